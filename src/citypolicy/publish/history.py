"""What changed in the knowledge base, from its git history: the latest commits that changed its
data/ or seeds/, newest first, each compared with its parent by ask/diff (`citypolicy diff`).

Each revision is written out once per data tree and loaded through the cache (load/revisions.py,
load/cache.py), so a commit and its parent, usually the next commit in the list, are read once, and
a second build reads them from the cache. A knowledge base outside a git repository, or a machine
without git, has no history: the page says so and the build goes on.
"""

from __future__ import annotations

import shutil
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from ..ask.diff import Diff, compare
from ..load.cache import load_cached
from ..load.loader import KnowledgeBase
from ..load.revisions import (
    LoggedCommit,
    NotAKnowledgeBase,
    Repository,
    RevisionError,
    Version,
    data_log,
    repository_of,
    revision,
)

LIMIT = 10  # commits shown


@dataclass
class Entry:
    """One commit: its comparison with its parent, or why there is none (an i18n key)."""

    commit: LoggedCommit
    diff: Diff | None = None
    problem: str | None = None  # changes.first, changes.parent_missing, changes.invalid_old, …
    old: KnowledgeBase | None = None
    new: KnowledgeBase | None = None


@dataclass
class History:
    entries: list[Entry]
    unavailable: str | None = None  # i18n key saying why there is no history


def data_history(kb_root: Path, limit: int = LIMIT) -> History:
    if shutil.which("git") is None:
        return History([], "changes.no_git")
    try:
        repository = repository_of(kb_root)
        commits = data_log(repository, limit)
    except RevisionError:
        return History([], "changes.not_repository")
    if not commits:
        return History([], "changes.no_commits")
    with ExitStack() as stack:
        versions = _Versions(repository, stack)
        return History([_entry(versions, commit) for commit in commits])


class _Versions:
    """Revisions written out and loaded once each, for as long as the history is being built."""

    def __init__(self, repository: Repository, stack: ExitStack):
        self.repository = repository
        self.stack = stack
        self.written: dict[str, Version] = {}
        self.loaded: dict[Path, tuple[KnowledgeBase, int]] = {}

    def load(self, commit: str) -> tuple[Version, KnowledgeBase, int]:
        """The knowledge base at `commit` and its number of problems (raises RevisionError)."""
        if commit not in self.written:
            self.written[commit] = self.stack.enter_context(revision(self.repository, commit))
        version = self.written[commit]
        if version.root not in self.loaded:
            knowledge, problems = load_cached(version.root)
            self.loaded[version.root] = (knowledge, len(problems))
        return (version, *self.loaded[version.root])


def _entry(versions: _Versions, commit: LoggedCommit) -> Entry:
    entry = Entry(commit)
    try:
        new_version, entry.new, new_problems = versions.load(commit.commit)
    except RevisionError:
        entry.problem = "changes.unreadable"
        return entry
    if new_problems:
        entry.problem = "changes.invalid_new"
        return entry
    if not commit.parents:
        entry.problem = "changes.first"
        return entry
    try:
        old_version, entry.old, old_problems = versions.load(commit.parents[0])
    except NotAKnowledgeBase:
        entry.problem = "changes.first"
        return entry
    except RevisionError:
        entry.problem = "changes.parent_missing"
        return entry
    if old_problems:
        entry.problem = "changes.invalid_old"
        return entry
    entry.diff = compare(entry.old, entry.new, old_version, new_version)
    return entry

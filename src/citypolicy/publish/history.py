"""What changed in the knowledge base, from its git history: the latest commits that changed its
data/ or seeds/, newest first, each compared with its parent by ask/diff (`citypolicy diff`).

Each revision is written out once per data tree and loaded through the cache (load/revisions.py,
load/cache.py), so a commit and its parent, usually the next commit in the list, are read once, and
a second build reads them from the cache. A knowledge base outside a git repository, or a machine
without git, has no history: the page says so and the build goes on.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from ..ask.diff import Diff, compare
from ..load.cache import load_cached
from ..load.loader import KnowledgeBase
from ..load.revisions import (
    LoggedCommit,
    NotAKnowledgeBase,
    RevisionError,
    Version,
    data_log,
    data_versions,
    repository_of,
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
    wanted = list(dict.fromkeys([c.commit for c in commits] + [c.parents[0] for c in commits if c.parents]))
    with data_versions(repository, wanted) as versions:
        loaded = _Loaded(versions)
        return History([_entry(loaded, commit) for commit in commits])


class _Loaded:
    """Each version loaded once (a commit and its parent are usually neighbours in the list)."""

    def __init__(self, versions: dict[str, Version | RevisionError]):
        self.versions = versions
        self.loaded: dict[Path, tuple[KnowledgeBase, int]] = {}

    def load(self, commit: str) -> tuple[Version, KnowledgeBase, int]:
        """The knowledge base at `commit` and its number of problems (raises RevisionError)."""
        version = self.versions[commit]
        if isinstance(version, RevisionError):
            raise version
        if version.root not in self.loaded:
            knowledge, problems = load_cached(version.root)
            self.loaded[version.root] = (knowledge, len(problems))
        return (version, *self.loaded[version.root])


def _entry(versions: _Loaded, commit: LoggedCommit) -> Entry:
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

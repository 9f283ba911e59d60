"""Versions of a knowledge base to compare: a folder, or a revision of the knowledge base's git repository.

A revision is read with git itself: its `data/` and `seeds/` trees (under the knowledge base's own
folder inside the repository) are written out with `git archive` into a folder named after the two
tree ids, so every revision whose data is the same shares one folder, and a second look at it needs
no git archive and finds the validated knowledge base in the cache (keyed by folder and content).
These folders live in the cache folder under `revisions/`; one unused for a week is removed. With
the cache turned off (CITYPOLICY_CACHE=0) a revision is written to a temporary folder instead,
removed when the comparison is done.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import stat
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..core.paths import is_kb

_MARKER = ".citypolicy-revision"
_KEEP_SECONDS = 7 * 24 * 3600
WORKING_TREE = "working tree"


class RevisionError(Exception):
    """A version that cannot be read: neither a folder nor a revision, no repository, no git."""


class NotAKnowledgeBase(RevisionError):
    """A revision that exists but holds no data/ or no seeds/ (one from before the knowledge base)."""


@dataclass(frozen=True)
class Version:
    """One side of a comparison: what the user typed, where its files are, the commit if any."""

    label: str
    root: Path
    commit: str | None = None

    def to_json(self) -> dict[str, object]:
        kind = "git" if self.commit else "folder"
        return {
            "label": self.label,
            "kind": kind,
            "commit": self.commit,
            "folder": None if self.commit else str(self.root),
        }

    def describe(self) -> str:
        """`HEAD~1 (3f2a9c01b7de)`; a commit typed as such, or a folder, as typed."""
        return (
            f"{self.label} ({self.commit[:12]})"
            if self.commit and not self.commit.startswith(self.label)
            else self.label
        )


@dataclass(frozen=True)
class Repository:
    top: Path  # the repository's work tree
    prefix: str  # the knowledge base's folder inside it, '' or ending in '/'


def repository_of(kb_root: Path) -> Repository:
    """The git repository holding the knowledge base at `kb_root`."""
    lines = _git(kb_root, "rev-parse", "--show-toplevel", "--show-prefix", what=f"{kb_root}").splitlines()
    if len(lines) < 1:
        raise RevisionError(f"{kb_root} is not in a git repository")
    return Repository(Path(lines[0]), lines[1] if len(lines) > 1 else "")


@contextmanager
def versions(old: str, new: str | None, kb_root: Path | None) -> Iterator[tuple[Version, Version]]:
    """The two sides `citypolicy diff OLD [NEW]` names. Each is a folder when it names an existing
    folder, else a revision of the repository holding `kb_root`; without NEW, the knowledge base's
    folder as it is now (its working tree, uncommitted edits included), as `git diff OLD` does."""
    with ExitStack() as stack:
        repository: list[Repository] = []  # found once, when a revision is named

        def side(text: str) -> Version:
            folder = Path(text)
            if folder.is_dir():
                if not is_kb(folder):
                    raise RevisionError(f"{text} is a folder but not a knowledge base: it needs data/ and seeds/")
                return Version(text, folder)
            if kb_root is None:
                raise RevisionError(f"'{text}' is not a folder")
            if not repository:
                try:
                    repository.append(repository_of(kb_root))
                except RevisionError as error:
                    raise RevisionError(
                        f"'{text}' is not a folder, and {error}: give two knowledge-base folders instead"
                    ) from None
            return stack.enter_context(_revision(repository[0], text))

        first = side(old)
        if new is None and kb_root is None:
            raise RevisionError("give the version to compare with: a folder or a revision")
        second = side(new) if new is not None else Version(WORKING_TREE, kb_root)  # type: ignore[arg-type]
        yield first, second


@contextmanager
def _revision(repository: Repository, revision: str) -> Iterator[Version]:
    commit = _commit(repository, revision)
    trees = _trees(repository, revision, commit)
    store = _store_folder()
    if store is None:
        with tempfile.TemporaryDirectory(prefix="citypolicy-revision-") as temporary:
            root = Path(temporary) / "kb"
            _write_out(repository, trees, root)
            yield Version(revision, root, commit)
        return
    key = hashlib.sha256("\0".join(trees).encode()).hexdigest()
    root = store / key
    if (root / _MARKER).is_file():
        os.utime(root)  # used: kept another week
    else:
        _materialise(repository, trees, store, root)
    _prune(store, keep=root)
    yield Version(revision, root, commit)


@contextmanager
def data_versions(repository: Repository, commits: list[str]) -> Iterator[dict[str, Version | RevisionError]]:
    """The knowledge base at each of several commits (full ids), their data trees found with one
    git call and written out once per tree; a commit missing from this copy of the repository, or
    one without data/ or seeds/ (NotAKnowledgeBase), maps to the error instead."""
    found = _batch_trees(repository, commits)
    store = _store_folder()
    with ExitStack() as stack:
        temporary = None
        if store is None:
            temporary = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="citypolicy-revision-")))
        out: dict[str, Version | RevisionError] = {}
        for commit, trees in found.items():
            if isinstance(trees, RevisionError):
                out[commit] = trees
                continue
            key = hashlib.sha256("\0".join(trees).encode()).hexdigest()
            root = (temporary or store) / key  # type: ignore[operator]
            if temporary is not None:
                if not root.exists():
                    _write_out(repository, trees, root)
            elif (root / _MARKER).is_file():
                os.utime(root)  # used: kept another week
            else:
                _materialise(repository, trees, store, root)  # type: ignore[arg-type]
            out[commit] = Version(commit[:12], root, commit)
        kept = [v.root for v in out.values() if isinstance(v, Version)]
        if store is not None and kept:
            _prune(store, keep=kept[0])  # the others were just used: none is a week old
        yield out


def _batch_trees(repository: Repository, commits: list[str]) -> dict[str, tuple[str, str] | RevisionError]:
    """Each commit's data/ and seeds/ tree ids, asked of git at once."""
    names = [
        f"{c}{suffix}" for c in commits for suffix in ("", f":{repository.prefix}data", f":{repository.prefix}seeds")
    ]
    answers = _git_bytes(repository.top, "cat-file", "--batch-check", stdin="\n".join(names) + "\n")
    lines = answers.decode("utf-8", "replace").splitlines()
    found: dict[str, tuple[str, str] | RevisionError] = {}
    for index, commit in enumerate(commits):
        head, data, seeds = (line.split() for line in lines[3 * index : 3 * index + 3])
        if len(head) != 3 or head[1] != "commit":
            found[commit] = RevisionError(f"commit {commit[:12]} is not in this copy of the repository")
        elif len(data) != 3 or len(seeds) != 3 or data[1] != "tree" or seeds[1] != "tree":
            found[commit] = NotAKnowledgeBase(f"commit {commit[:12]} holds no knowledge base")
        else:
            found[commit] = (data[0], seeds[0])
    return found


@dataclass(frozen=True)
class LoggedCommit:
    commit: str
    parents: tuple[str, ...]
    date: str  # the author's date, ISO 8601
    subject: str
    body: str
    only_data: bool = True  # changed nothing outside data/ and seeds/: an analyst's commit


def data_log(repository: Repository, limit: int) -> list[LoggedCommit]:
    """The latest `limit` commits that changed the knowledge base's data/ or seeds/, newest first
    (merges left out: each commit is compared with its parent); none in a repository without commits."""
    try:
        _git(repository.top, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    except RevisionError:
        return []
    paths = [f"{repository.prefix}{folder}" for folder in ("data", "seeds")]
    listing = _git_bytes(
        repository.top,
        "log",
        "--no-merges",
        f"--max-count={limit}",
        "--format=%H%x1f%P%x1f%aI%x1f%s%x1f%b%x1e",
        "--",
        *paths,
    ).decode("utf-8", "replace")
    commits = []
    for entry in listing.split("\x1e"):
        fields = entry.strip("\n").split("\x1f")
        if len(fields) == 5:
            commit, parents, when, subject, body = fields
            only_data = _changes_only(repository, commit, paths)
            commits.append(LoggedCommit(commit, tuple(parents.split()), when, subject, body.strip(), only_data))
    return commits


def _changes_only(repository: Repository, commit: str, folders: list[str]) -> bool:
    """Whether every file `commit` changed lies in one of `folders` (paths from the repository's top)."""
    listing = _git(repository.top, "diff-tree", "--no-commit-id", "--name-only", "-r", "--root", commit)
    return all(any(path.startswith(f"{folder}/") for folder in folders) for path in listing.splitlines())


def _commit(repository: Repository, revision: str) -> str:
    if revision.startswith("-"):
        raise RevisionError(f"'{revision}' is neither a folder nor a revision of {repository.top}")
    try:
        return _git(repository.top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    except RevisionError:
        raise RevisionError(
            f"'{revision}' is neither a folder nor a revision of the git repository {repository.top}"
        ) from None


def _trees(repository: Repository, revision: str, commit: str) -> tuple[str, str]:
    """The tree ids of data/ and seeds/ at `commit`."""
    wanted = {f"{repository.prefix}{folder}": folder for folder in ("data", "seeds")}
    listing = _git(repository.top, "ls-tree", "--full-tree", commit, "--", *wanted)
    found = {}
    for line in listing.splitlines():
        info, _, path = line.partition("\t")
        parts = info.split()
        if len(parts) == 3 and parts[1] == "tree" and path in wanted:
            found[wanted[path]] = parts[2]
    for path, folder in wanted.items():
        if folder not in found:
            raise NotAKnowledgeBase(f"revision '{revision}' has no {path}/ folder: it holds no knowledge base")
    return found["data"], found["seeds"]


def _materialise(repository: Repository, trees: tuple[str, str], store: Path, root: Path) -> None:
    """Write the revision out beside its final place, then rename it there (another process may
    have done the same meanwhile: then its copy is kept)."""
    temporary = Path(tempfile.mkdtemp(prefix=".partial-", dir=store))
    try:
        _write_out(repository, trees, temporary)
        (temporary / _MARKER).write_text("written by citypolicy diff; removed when unused for a week\n")
        try:
            os.rename(temporary, root)
        except OSError:
            if not (root / _MARKER).is_file():
                raise
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def _write_out(repository: Repository, trees: tuple[str, str], root: Path) -> None:
    for folder, tree in zip(("data", "seeds"), trees, strict=True):
        archive = _git_bytes(repository.top, "archive", "--format=tar", tree)
        target = root / folder
        target.mkdir(parents=True)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(target, filter="data")  # no absolute paths, no links out, no devices


def _store_folder() -> Path | None:
    """`revisions/` in the cache folder: private to this user, or not used."""
    from .cache import cache_folder

    folder = cache_folder()
    if folder is None:
        return None
    store = folder / "revisions"
    try:
        store.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = store.lstat()
    except OSError:
        return None
    private = stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid() and not info.st_mode & 0o022
    return store if private else None


def _prune(store: Path, keep: Path) -> None:
    """Remove revision folders unused for a week (only folders this module wrote: they hold the marker)."""
    oldest = time.time() - _KEEP_SECONDS
    try:
        entries = list(os.scandir(store))
    except OSError:
        return
    for entry in entries:
        if entry.path == str(keep) or not entry.is_dir(follow_symlinks=False):
            continue
        try:
            stale = entry.stat(follow_symlinks=False).st_mtime < oldest
        except OSError:
            continue
        ours = (Path(entry.path) / _MARKER).is_file() or entry.name.startswith(".partial-")
        if stale and ours:
            shutil.rmtree(entry.path, ignore_errors=True)


def _git(folder: Path, *args: str, what: str = "") -> str:
    return _git_bytes(folder, *args, what=what).decode("utf-8", "replace").strip()


def _git_bytes(folder: Path, *args: str, what: str = "", stdin: str | None = None) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args],
            input=stdin.encode() if stdin is not None else None,
            capture_output=True,
            check=False,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"},
        )
    except FileNotFoundError:
        raise RevisionError("git is not installed: install it, or give two knowledge-base folders") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        if what and reason and "not a git repository" in reason[-1]:
            raise RevisionError(f"{what} is not in a git repository")
        raise RevisionError(reason[-1] if reason else f"git {args[0]} failed")
    return done.stdout

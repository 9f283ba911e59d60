"""A cache of the validated knowledge base, so that queries need not re-read and re-check everything.

The cache is keyed by a fingerprint of every input (the files under data/ and seeds/, by path, size
and modification time) and of this package's own code; any change to either means a full load.
Only a knowledge base without problems is cached, and `check` never reads the cache. The cache lives
in $CITYPOLICY_CACHE (a folder; `0` or `off` disables it), else $XDG_CACHE_HOME/citypolicy or
~/.cache/citypolicy. A cache that cannot be read or written is ignored, never an error.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the loader (and pydantic) is imported only when a knowledge base is loaded
    from ..core.problems import Problem
    from .loader import KnowledgeBase

_PACKAGE = Path(__file__).resolve().parents[1]
_FORMAT = b"citypolicy-kb-cache-1"


def cache_folder() -> Path | None:
    setting = os.environ.get("CITYPOLICY_CACHE")
    if setting is not None:
        return None if setting.strip().lower() in {"", "0", "off", "no", "false"} else Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "citypolicy"


def _inputs(root: Path) -> Iterator[tuple[str, os.stat_result]]:
    for folder, pattern in (("data", "**/*.yaml"), ("seeds", "*.txt")):
        for path in sorted((root / folder).glob(pattern)):
            yield path.relative_to(root).as_posix(), path.stat()
    for path in sorted(_PACKAGE.rglob("*.py")):
        yield f"<code>/{path.relative_to(_PACKAGE).as_posix()}", path.stat()


def fingerprint(root: Path) -> str:
    digest = hashlib.sha256(_FORMAT)
    digest.update(str(root.resolve()).encode())
    for name, stat in _inputs(root):
        digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def load_cached(root: Path) -> tuple[KnowledgeBase, list[Problem]]:
    """The validated knowledge base, from the cache when its inputs are unchanged."""
    from .loader import KnowledgeBase, gc_paused, load

    folder = cache_folder()
    if folder is None:
        return load(root)
    key = fingerprint(root)
    path = folder / f"{key}.pickle"
    try:
        with path.open("rb") as handle, gc_paused():
            knowledge = pickle.load(handle)
        if isinstance(knowledge, KnowledgeBase):
            return knowledge, []
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        pass
    knowledge, problems = load(root)
    if not problems:
        knowledge.build_indexes()  # stored with it: queries need them at once
        _store(folder, path, knowledge)
    return knowledge, problems


def _store(folder: Path, path: Path, knowledge: object) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _prune(folder, keep=path)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=_TEMP_PREFIX, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump(knowledge, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except (OSError, pickle.PicklingError):
        Path(temporary).unlink(missing_ok=True)


_OWN_NAME = re.compile(r"[0-9a-f]{64}\.(?:pickle|answer)|\.citypolicy-cache-\w+\.tmp")
_TEMP_PREFIX = ".citypolicy-cache-"


def _prune(folder: Path, keep: Path) -> None:
    """Entries nobody read for a week go; only files named as this cache names them are touched."""
    for old in folder.iterdir():
        if old != keep and _OWN_NAME.fullmatch(old.name) and old.is_file() and old.stat().st_mtime < _newest_allowed():
            old.unlink(missing_ok=True)


def _newest_allowed() -> float:
    """Entries untouched for a week are removed when a new one is written."""
    import time

    return time.time() - 7 * 24 * 3600


# --------------------------------------------------------------------------- answers
# A query's output in a machine format (JSON, CSV, Markdown) depends only on the inputs, the code
# and its arguments: the same command on unchanged data prints the same bytes, read back here.


def answer_key(root: Path, arguments: list[str], style: str) -> str:
    digest = hashlib.sha256(fingerprint(root).encode())
    digest.update("\0".join([style, *arguments]).encode())
    return digest.hexdigest()


def recall(key: str) -> str | None:
    folder = cache_folder()
    if folder is None:
        return None
    try:
        return (folder / f"{key}.answer").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def remember(key: str, text: str) -> None:
    folder = cache_folder()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=_TEMP_PREFIX, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, folder / f"{key}.answer")
    except OSError:
        return

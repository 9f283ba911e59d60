"""A cache of the validated knowledge base, so that queries need not re-read and re-check everything.

Keyed on content: every file under data/ and seeds/ is read and hashed (SHA-256, a few
milliseconds per megabyte), together with this package's code, so no edit can be missed, whatever
happens to sizes and timestamps. One entry per knowledge base (by its real path) holds the validated
result of each data file, keyed by that file's hash, and the assembled knowledge base:
- nothing changed: the knowledge base is read back as it was;
- some files changed: only those are parsed and validated again, then the checks across files (ids,
  references, quotes) run over the whole knowledge base, exactly as a full load runs them;
- the code changed: everything is loaded afresh.
The new entry replaces the old one. Answers in a machine format are kept beside it, keyed by the
inputs' fingerprint and the command line, and dropped when the inputs change.

Entries are pickles, and a pickle can run code: they are read only from a private folder and only
after their HMAC under the user's secret is verified (see cachefolder.py), and unpickled with a
loader that accepts this package's own classes and plain values only. `check` never reads the cache.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import sys
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from . import cachefolder
from .cachefolder import cache_folder, private_folder
from .fileread import InputError, read_input

if TYPE_CHECKING:  # the loader (and pydantic) is imported only when a knowledge base is loaded
    from pydantic import BaseModel

    from ..core.problems import Problem
    from .loader import KnowledgeBase

__all__ = [
    "answer_key",
    "cache_folder",
    "fingerprint",
    "load_cached",
    "private_folder",
    "read_inputs",
    "recall",
    "remember",
]

_PACKAGE = Path(__file__).resolve().parents[1]
_FORMAT = "citypolicy-kb-cache-3"


@dataclass
class Inputs:
    """Every input of a knowledge base as read now: each file's hash, and the bytes of the data files
    (which are parsed from these very bytes, so what is validated is what was hashed)."""

    root: Path
    hashes: dict[str, str] = field(default_factory=dict)  # relative path -> sha256, or "!" + why unread
    data: dict[str, bytes] = field(default_factory=dict)  # relative path -> bytes, data/ files only

    @cached_property
    def fingerprint(self) -> str:
        digest = hashlib.sha256(f"{_FORMAT}\0{code_version()}\0{real_root(self.root)}\n".encode())
        for name, value in self.hashes.items():
            digest.update(f"{name}\0{value}\n".encode())
        return digest.hexdigest()


def read_inputs(root: Path) -> Inputs:
    """Every file under data/ (at any depth) and seeds/, whatever its name: whatever the loader
    reads, or lists, or warns about, changes the key when it changes."""
    inputs = Inputs(root)
    for folder, pattern in (("data", "**/*"), ("seeds", "*")):
        for path in sorted((root / folder).glob(pattern)):
            if path.is_dir() and not path.is_symlink():
                continue
            relative = path.relative_to(root).as_posix()
            try:
                raw = read_input(root, relative)
            except InputError as error:  # the loader reports it; the key still changes with it
                inputs.hashes[relative] = f"!{error}"
                continue
            inputs.hashes[relative] = hashlib.sha256(raw).hexdigest()
            if folder == "data" and relative.endswith(".yaml"):
                inputs.data[relative] = raw
    return inputs


def fingerprint(root: Path) -> str:
    """A hash of everything an answer depends on: the inputs' content and the code."""
    return read_inputs(root).fingerprint


_code_version: str | None = None


def code_version() -> str:
    """A hash of this package's code (and Python's version): another code, another cache."""
    global _code_version
    if _code_version is None:
        digest = hashlib.sha256(sys.version.encode())
        for path in sorted(_PACKAGE.rglob("*.py")):
            digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        _code_version = digest.hexdigest()
    return _code_version


def real_root(root: Path) -> str:
    return os.path.realpath(root)


def _kb_id(root: Path) -> str:
    return hashlib.sha256(real_root(root).encode()).hexdigest()[:32]


# --------------------------------------------------------------------------- the knowledge base


@dataclass
class FileResult:
    """What validating one file gave: its model (or what salvaged of it), its problems, the ids of
    items that failed. Depends on the file's bytes and the code only."""

    digest: str
    model_name: str
    model: BaseModel | None
    problems: list[Problem]
    invalid: frozenset[str]


@dataclass
class Entry:
    files: dict[str, FileResult]
    knowledge: KnowledgeBase
    problems: list[Problem]


class _PerFile:
    """The loader's per-file step, answered from the previous entry for files whose hash is unchanged."""

    def __init__(self, inputs: Inputs, previous: dict[str, FileResult]):
        self.inputs = inputs
        self.previous = previous
        self.results: dict[str, FileResult] = {}
        self.revalidated: list[str] = []

    def __call__(
        self, root: Path, relative: str, model: type[BaseModel], invalid: set[str]
    ) -> tuple[BaseModel | None, list[Problem]]:
        from .loader import _read_model

        raw = self.inputs.data.get(relative)
        if raw is None:  # refused or unreadable when hashed: the loader reads it and says why
            return _read_model(root, relative, model, invalid)
        digest = self.inputs.hashes[relative]
        result = self.previous.get(relative)
        if result is None or result.digest != digest or result.model_name != model.__name__:
            own: set[str] = set()
            validated, problems = _read_model(root, relative, model, own, raw=raw)
            result = FileResult(digest, model.__name__, validated, problems, frozenset(own))
            self.revalidated.append(relative)
        self.results[relative] = result
        invalid.update(result.invalid)
        return result.model, list(result.problems)  # the loader appends to the list it gets


def load_cached(root: Path, inputs: Inputs | None = None) -> tuple[KnowledgeBase, list[Problem]]:
    """The knowledge base and its problems, as load(root) gives them, doing only the work the
    changes since the last run call for."""
    from .loader import gc_paused, load

    folder = cachefolder.private_folder()
    if folder is None:
        return load(root)
    inputs = inputs or read_inputs(root)
    name = f"kb-{_kb_id(root)}.entry"
    previous, current = _read_entry(folder, name, inputs)
    if previous is not None and current:
        cachefolder.touch(folder, name)
        return previous.knowledge, list(previous.problems)
    per_file = _PerFile(inputs, previous.files if previous else {})
    knowledge, problems = load(root, read=per_file)
    if not problems:
        knowledge.build_indexes()  # stored with it: queries need them at once
    with gc_paused():
        payload = pickle.dumps(Entry(per_file.results, knowledge, problems), protocol=pickle.HIGHEST_PROTOCOL)
    header = _header(inputs)
    if cachefolder.write_sealed(folder, name, header, payload):
        cachefolder.prune(folder, keep=name, kb=_kb_id(root), fingerprint=inputs.fingerprint)
    return knowledge, problems


def _header(inputs: Inputs) -> bytes:
    fields = {"format": _FORMAT, "code": code_version(), "root": real_root(inputs.root), "inputs": inputs.fingerprint}
    return json.dumps(fields, sort_keys=True).encode()


def _read_entry(folder: Path, name: str, inputs: Inputs) -> tuple[Entry | None, bool]:
    """The stored entry if it is this code's, for this knowledge base; and whether its inputs are
    the current ones."""
    from .loader import gc_paused

    sealed = cachefolder.read_sealed(folder, name)
    if sealed is None:
        return None, False
    try:
        header = json.loads(sealed.header)
        if header["format"] != _FORMAT or header["code"] != code_version() or header["root"] != real_root(inputs.root):
            return None, False
        with gc_paused():
            entry = _Unpickler(io.BytesIO(sealed.payload)).load()
    except Exception:  # an entry that cannot be read back is rebuilt, whatever went wrong
        return None, False
    if not isinstance(entry, Entry):
        return None, False
    return entry, header["inputs"] == inputs.fingerprint


class _Unpickler(pickle.Unpickler):
    """Accepts only this package's own classes and plain values (defence in depth behind the HMAC)."""

    _PLAIN = {
        ("builtins", name) for name in ("set", "frozenset", "dict", "list", "tuple", "str", "int", "float", "bytes")
    } | {("collections", "defaultdict"), ("collections", "OrderedDict"), ("decimal", "Decimal")}
    _PLAIN |= {("pathlib", "PosixPath"), ("pathlib", "WindowsPath"), ("pathlib", "PurePosixPath")}

    def find_class(self, module: str, name: str) -> object:
        if (module, name) in self._PLAIN:
            return super().find_class(module, name)
        if (module == "citypolicy" or module.startswith("citypolicy.")) and name.isidentifier():
            found = super().find_class(module, name)
            if isinstance(found, type) or name == "_restore":
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")


# --------------------------------------------------------------------------- answers
# A query's output in a machine format (JSON, CSV, Markdown) depends only on the inputs, the code
# and its arguments: the same command on unchanged data prints the same bytes, read back here.


def answer_key(root: Path, arguments: list[str], style: str, inputs: Inputs | None = None) -> str:
    inputs = inputs or read_inputs(root)
    digest = hashlib.sha256(inputs.fingerprint.encode())
    digest.update("\0".join([style, *arguments]).encode())
    return f"{_kb_id(root)}-{inputs.fingerprint[:16]}-{digest.hexdigest()[:32]}"


def recall(key: str) -> str | None:
    folder = cachefolder.private_folder()
    sealed = cachefolder.read_sealed(folder, f"answer-{key}.answer") if folder else None
    if sealed is None or sealed.header != key.encode():
        return None
    try:
        return sealed.payload.decode("utf-8")
    except UnicodeDecodeError:
        return None


def remember(key: str, text: str) -> None:
    folder = cachefolder.private_folder()
    name = f"answer-{key}.answer"
    if folder is not None and cachefolder.write_sealed(folder, name, key.encode(), text.encode("utf-8")):
        kb, inputs, _ = key.split("-")
        cachefolder.prune(folder, keep=name, kb=kb, fingerprint=inputs)

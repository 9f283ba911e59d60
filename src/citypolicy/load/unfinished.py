"""What an analyst may leave unfinished, found by `check`: a draft in data/, a placeholder (TODO: …)
that `add` or `draft` wrote, an article in seeds/ that data/sources.yaml does not declare."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.problems import Loc, Problem
from .yamlread import locate

if TYPE_CHECKING:
    from .loader import KnowledgeBase

DRAFT_MARK = "# citypolicy draft"
PLACEHOLDER = "TODO"


def is_draft(path: Path) -> bool:
    """A file `citypolicy draft` wrote: its first line is the draft mark."""
    import stat

    try:  # only a regular file is read: a FIFO among the data files must not hang `check`
        if not stat.S_ISREG(path.lstat().st_mode):
            return False
        with path.open("rb") as handle:
            return handle.readline().decode("utf-8", "replace").lstrip("\ufeff").startswith(DRAFT_MARK)
    except OSError:
        return False


def drafts_in_data(root: Path) -> list[Problem]:
    """A draft is not data: left in data/ it would be half-confirmed guesses read as facts."""
    folder = root / "data"
    found = [p for pattern in ("*.yaml", "*.yml") for p in folder.rglob(pattern) if is_draft(p)]
    message = (
        "this is a draft written by `citypolicy draft`, not a data file: move it out of data/, confirm its "
        "guesses and choose its ids, then run `citypolicy accept FILE`, which writes each part where it belongs"
    )
    return [Problem(p.relative_to(root).as_posix(), message, "draft", line=1, column=1) for p in sorted(found)]


def undeclared_seeds(kb: KnowledgeBase, problems: list[Problem]) -> list[Problem]:
    from .loader import SOURCES_FILE

    if any(p.file == SOURCES_FILE and not p.loc for p in problems) or not (kb.root / SOURCES_FILE).is_file():
        return []  # no usable registry: every seed would look undeclared
    message = (
        "not declared in data/sources.yaml, so no record can cite it and `coverage` skips it; "
        "run `citypolicy add seeds/{0}` to declare it"
    )
    return [
        Problem(f"seeds/{name}", message.format(name), "undeclared-seed")
        for name in kb.library.files()
        if name not in kb.sources and name not in kb.invalid_ids
    ]


def _placeholders(data: object, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """Values still holding a placeholder written by `citypolicy add` or `draft` (TODO: …)."""
    if isinstance(data, str) and data.lstrip().startswith(PLACEHOLDER):
        yield loc, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _placeholders(value, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _placeholders(value, (*loc, index))


def placeholder_problems(relative: str, root: object, data: object) -> list[Problem]:
    out = []
    for loc, text in _placeholders(data):
        line, column = locate(root, loc)
        message = f"placeholder left to fill in: «{text}»; write the real value"
        out.append(Problem(relative, message, "placeholder", loc, line, column))
    return out

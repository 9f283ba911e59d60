"""Problems are values: a position (file, line, column, record path), a stable code and a message.

Every check in the project returns problems instead of raising; they are rendered in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    code: str = "invalid"
    loc: Loc = ()
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based

    @property
    def path(self) -> str:
        return format_loc(self.loc)

    def at(self, line: int | None, column: int | None) -> Problem:
        return replace(self, line=line, column=column)

    def render(self) -> str:
        position = self.file
        if self.line is not None:
            position += f":{self.line}:{self.column or 1}"
        path = f" {self.path}:" if self.loc else ""
        return f"{position}:{path} {self.message}"

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "code": self.code,
            "message": self.message,
        }


def format_loc(loc: Sequence[str | int]) -> str:
    """('instruments', 2, 'rate') -> 'instruments[2].rate'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file, p.line or 0, p.column or 0, p.message))


class InvalidData(Exception):
    """Raised by entry points (CLI, build) that cannot go on because the data has problems."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the knowledge base")

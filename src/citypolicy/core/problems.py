"""Problems are values: a position (file, line, column, record path), a stable code and a message.

Every check in the project returns problems instead of raising; they are rendered in one place.
"""

from __future__ import annotations

import re
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
        """One line, `file:line:column: path: message`, whatever the file name, keys or values hold."""
        position = one_line(self.file)
        if self.line is not None:
            position += f":{self.line}:{self.column or 1}"
        path = f" {one_line(clip(self.path, MAX_VALUE))}:" if self.loc else ""
        return f"{position}:{path} {one_line(shorten_message(self.message))}"

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": clip(self.path, MAX_VALUE),
            "code": self.code,
            "message": shorten_message(self.message),
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


MAX_VALUE = 120  # characters of a value echoed in a message ('…' quoted), the rest elided
MAX_MESSAGE = 1500  # characters of a whole message (a closest passage may be a long sentence)
MAX_PER_FILE = 100
MAX_PER_RUN = 1000

_VALUE = re.compile(rf"'([^'\n]{{{MAX_VALUE + 1},}})'")
# Characters that would break a message over lines or reorder it on screen (bidi controls).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def clip(text: str, most: int) -> str:
    return text if len(text) <= most else f"{text[: most - 1]}… ({len(text) - most + 1:,} more characters)"


def shorten_message(message: str) -> str:
    """Echoed values ('…') cut to MAX_VALUE characters, the whole to MAX_MESSAGE."""
    return clip(_VALUE.sub(lambda m: f"'{clip(m[1], MAX_VALUE)}'", message), MAX_MESSAGE)


def one_line(text: str) -> str:
    """Control characters (a newline in a key), line separators and bidi controls, escaped."""
    return _UNSAFE.sub(lambda m: _ESCAPES.get(m[0]) or f"\\u{ord(m[0]):04x}", text)


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def capped(problems: Sequence[Problem]) -> tuple[list[Problem], list[str]]:
    """At most MAX_PER_FILE problems of a file and MAX_PER_RUN in all, and one line per file saying
    how many more it has; the caller says how many were left out in all."""
    shown: list[Problem] = []
    per_file: dict[str, int] = {}
    more: dict[str, int] = {}
    for problem in problems:
        if per_file.get(problem.file, 0) >= MAX_PER_FILE or len(shown) >= MAX_PER_RUN:
            more[problem.file] = more.get(problem.file, 0) + 1
        else:
            shown.append(problem)
            per_file[problem.file] = per_file.get(problem.file, 0) + 1
    notes = [
        f"{one_line(file)}: {count:,} more problem(s) in this file not shown"
        for file, count in more.items()
        if file in per_file
    ]
    return shown, notes


def render_all(problems: Sequence[Problem]) -> list[str]:
    """The lines `check` prints: each problem on one line, capped, then the count."""
    shown, notes = capped(problems)
    lines = [p.render() for p in shown] + notes
    hidden = len(problems) - len(shown)
    if hidden:
        lines.append(f"{hidden:,} of {len(problems):,} problem(s) not shown: fix these first and run check again")
    lines.append(f"{len(problems)} problem(s) found")
    return lines


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file, p.line or 0, p.column or 0, p.message))


class InvalidData(Exception):
    """Raised by entry points (CLI, build) that cannot go on because the data has problems."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the knowledge base")

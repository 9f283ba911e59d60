"""Record text made inert in the formats it is written to.

- CSV: a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to a
  spreadsheet (`=HYPERLINK(…)`, `@SUM(…)`); as OWASP recommends, such a cell is prefixed with `'`,
  which spreadsheets show as text. A number (`-5`, `+0.5`, `-1,200.5`, `-5%`) is left as it is.
- Markdown: a viewer renders HTML in it (`<img src=x onerror=…>` runs script) and reads `|` as a
  table's column separator. `&`, `<`, `>` become entities, and `|`, `\\`, `[`, `]` are escaped with a
  backslash (so no link, image or footnote can be injected either); line breaks become spaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?%?")


def csv_cell(value: object) -> object:
    """A CSV cell a spreadsheet will not run; numbers (as numbers or as text) are unchanged."""
    if not isinstance(value, str) or not value.startswith(_FORMULA_START):
        return value
    if any(c.isdigit() for c in value) and _NUMBER.fullmatch(value):
        return value
    return "'" + value


def csv_row(values: Iterable[object]) -> list[object]:
    return [csv_cell(value) for value in values]


_MARKDOWN = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        "\\": "\\\\",
        "|": "\\|",
        "[": "\\[",
        "]": "\\]",
        "\r": " ",
        "\n": " ",
        "\u2028": " ",
        "\u2029": " ",
    }
)


def markdown_text(value: object) -> str:
    """Text for a Markdown document: shown as written, never rendered as HTML, a link or a cell break."""
    return str(value).translate(_MARKDOWN)


def markdown_cell(value: object) -> str:
    """Text for a Markdown table cell; a line break in it stays a line break (`<br>`)."""
    return "<br>".join(markdown_text(line) for line in str(value).splitlines())

"""Tables for people: rich on a terminal, plain aligned text when piped; aligned for Chinese text."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.cells import cell_len, chop_cells
from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:  # a query's table needs neither the extractor nor the presenters
    from ..author.extract import Report
    from .present import TableData

_STATUS_STYLE = {"captured": "green", "ignored": "yellow", "missing": "bold red"}


def console() -> Console:
    return Console(highlight=False, soft_wrap=False, markup=False)  # record text is never markup


def print_mentions(report: Report) -> None:
    table = Table(title=f"Mentions in {report.document}", show_lines=False)
    for column in ("#", "as written", "normalised", "status", "by", "sentence"):
        table.add_column(column, overflow="fold")
    for index, mention in enumerate(report.mentions, start=1):
        style = _STATUS_STYLE[mention.status]
        table.add_row(
            str(index),
            mention.text,
            mention.normalised,
            Text(mention.status.value, style=style),
            ", ".join(mention.by),
            _clip(mention.sentence, 60),
        )
    out = console()
    out.print(table)
    out.print(_summary(report))


def print_coverage(reports: list[Report], show_missing: bool) -> None:
    from ..author.extract import Status

    table = Table(title="Coverage of the numbers and dates in seeds/")
    for column in ("source", "mentions", "captured", "ignored", "missing", "accounted"):
        table.add_column(column, justify="left" if column == "source" else "right")
    for r in reports:
        table.add_row(
            r.document,
            str(len(r.mentions)),
            str(r.count(Status.CAPTURED)),
            str(r.count(Status.IGNORED)),
            str(r.count(Status.MISSING)),
            f"{r.accounted:.1%}",
        )
    total = sum(len(r.mentions) for r in reports)
    missing = sum(r.count(Status.MISSING) for r in reports)
    share = (total - missing) / total if total else 1.0
    out = console()
    out.print(table)
    out.print(f"{total - missing} of {total} mentions accounted for ({share:.1%})")
    if show_missing:
        for r in reports:
            for m in r.mentions:
                if m.status is Status.MISSING:
                    out.print(f"{r.document}: «{m.text}» ({m.normalised}) in: {_clip(m.sentence, 90)}")


def _summary(report: Report) -> str:
    from ..author.extract import Status

    return (
        f"{len(report.mentions)} mentions: {report.count(Status.CAPTURED)} captured, "
        f"{report.count(Status.IGNORED)} ignored, {report.count(Status.MISSING)} missing"
    )


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


TERMINAL_ROWS = 50  # a longer table shows its first rows on a terminal and says how to see them all
PIPED_WIDTH = 200  # display cells per line when the output is not a terminal
_LONGEST_WORD = 16  # cells: a column is cut no narrower than its longest word up to this width


def print_tables(tables: Iterable[TableData]) -> None:
    """Query tables. On a terminal: rich tables, a long one cut to its first TERMINAL_ROWS rows with a
    note saying how to see every row. Piped: every row as plain text, aligned and wrapped by display
    width (a Chinese character takes two cells), measured once per cell: thousands of rows stay fast."""
    out = Console(highlight=False)
    if not out.is_terminal:
        sys.stdout.write("\n\n".join("\n".join(plain_table(data, PIPED_WIDTH)) for data in tables) + "\n")
        return
    for data in tables:
        out.print(_rich_table(data, data.rows[:TERMINAL_ROWS]))
        hidden = len(data.rows) - TERMINAL_ROWS
        if hidden > 0:
            out.print(
                f"… and {hidden:,} more rows ({len(data.rows):,} in all): pipe the output "
                "(e.g. `| less -S`) or use --format csv, markdown or json to see every row",
                markup=False,
            )
        for note in data.notes:
            out.print(note, markup=False)


def _rich_table(data: TableData, rows: list[list[str]]) -> Table:
    table = Table(title=data.title, show_lines=True, title_justify="left")
    for column in data.columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))  # Text: record text is never read as markup
    return table


# --------------------------------------------------------------------------- plain tables


def plain_table(data: TableData, width: int) -> list[str]:
    """The title, a header, a rule and every row; columns two cells apart, cells wrapped to fit `width`.
    When some row takes several lines, rows are separated by a blank line."""
    widths = _column_widths([data.columns, *data.rows], width)
    rows = [[_wrap(cell, w) for cell, w in zip(row, widths, strict=False)] for row in data.rows]
    spaced = any(len(lines) > 1 for row in rows for lines in row)
    out = [data.title, ""]
    out += _lines([_wrap(c, w) for c, w in zip(data.columns, widths, strict=False)], widths)
    out.append("  ".join("─" * w for w in widths))
    for index, row in enumerate(rows):
        if spaced and index:
            out.append("")
        out += _lines(row, widths)
    return out + list(data.notes)


def _width(text: str) -> int:
    """Display cells: a Chinese character takes two (rich's table); plain ASCII is counted at once."""
    return len(text) if text.isascii() else cell_len(text)


def _column_widths(rows: list[list[str]], width: int) -> list[int]:
    """Each column's widest line. When they do not fit, the columns no wider than an equal share keep
    their width; each of the others gets its longest word (up to _LONGEST_WORD cells, so that numbers
    are not split) and they share the rest in proportion to how much wider they would like to be."""
    columns = list(zip(*rows, strict=False))
    natural = [max(_width(line) for cell in column for line in cell.split("\n")) for column in columns]
    room = width - 2 * (len(natural) - 1)
    wide = sorted(range(len(natural)), key=lambda c: natural[c])
    while wide and natural[wide[0]] <= room // len(wide):
        room -= natural[wide.pop(0)]
    widths = list(natural)
    least = {c: min(natural[c], _longest_word(columns[c])) for c in wide}
    spare, wanted = room - sum(least.values()), sum(natural[c] - least[c] for c in wide)
    for column in wide:
        widths[column] = least[column] + max(spare, 0) * (natural[column] - least[column]) // wanted
    return widths


def _longest_word(cells: Iterable[str]) -> int:
    return min(max((_width(word) for cell in cells for word in cell.split()), default=1), _LONGEST_WORD)


Line = tuple[str, int]  # text and its width in cells


def _wrap(text: str, width: int) -> list[Line]:
    """Lines of at most `width` cells: broken at spaces, and inside a word (Chinese has no spaces)
    only when the word alone is wider than a line."""
    lines: list[Line] = []
    for paragraph in text.split("\n"):
        size = _width(paragraph)
        if size <= width:
            lines.append((paragraph, size))
            continue
        line, used = "", 0
        for word in paragraph.split(" "):
            size = _width(word)
            if line and used + 1 + size <= width:
                line, used = f"{line} {word}", used + 1 + size
                continue
            if line:
                lines.append((line, used))
            pieces = [(w, _width(w)) for w in chop_cells(word, width)] if size > width else [(word, size)]
            lines += pieces[:-1]
            line, used = pieces[-1]
        lines.append((line, used))
    return lines


def _lines(cells: list[list[Line]], widths: list[int]) -> list[str]:
    """Wrapped cells side by side, each line padded to its column's width (trailing spaces dropped)."""
    height = max(len(lines) for lines in cells)
    if height == 1:
        return ["  ".join(t + " " * (w - n) for (t, n), w in zip((c[0] for c in cells), widths, strict=False)).rstrip()]
    out = []
    for row in range(height):
        parts = [(lines[row] if row < len(lines) else ("", 0)) for lines in cells]
        out.append("  ".join(t + " " * (w - n) for (t, n), w in zip(parts, widths, strict=False)).rstrip())
    return out

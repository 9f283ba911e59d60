"""Terminal tables (rich), aligned for Chinese text."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..author.extract import Report, Status

_STATUS_STYLE = {Status.CAPTURED: "green", Status.IGNORED: "yellow", Status.MISSING: "bold red"}


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
    return (
        f"{len(report.mentions)} mentions: {report.count(Status.CAPTURED)} captured, "
        f"{report.count(Status.IGNORED)} ignored, {report.count(Status.MISSING)} missing"
    )


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def print_tables(tables) -> None:  # type: ignore[no-untyped-def]
    """TableData (see present.py) as rich tables; wide enough for Chinese text when piped."""
    out = Console(highlight=False, markup=False, width=None if Console().is_terminal else 200)
    for data in tables:
        table = Table(title=data.title, show_lines=True, title_justify="left")
        for column in data.columns:
            table.add_column(column, overflow="fold")
        for row in data.rows:
            table.add_row(*row)
        out.print(table)
        for note in data.notes:
            out.print(note)

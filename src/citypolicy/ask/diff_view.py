"""A comparison of two knowledge-base versions as terminal tables and as Markdown for a pull request.

Both list, per place, each record added, removed, changed or renamed, then its figures (old → new,
each with the quote that states it) and its other fields. The Markdown escapes all record text (it
will be rendered: a quote holding `*`, `|` or `<b>` shows as written) and keeps quotes whole;
the terminal tables clip long quotes, as every table does.
"""

from __future__ import annotations

import html
import re

from .diff import SINGULAR, Diff, FactChange, FieldChange, RecordChange, figure_text
from .present import TableData

_COLUMNS = ["change", "id", "what", "old", "new"]
_CLIP = 48


def title(diff: Diff) -> str:
    return f"Changes from {diff.old.describe()} to {diff.new.describe()}"


def no_differences(diff: Diff) -> str:
    return f"no differences between {diff.old.describe()} and {diff.new.describe()}"


def summary_rows(diff: Diff) -> list[list[str]]:
    counts = diff.counts()
    rows = []
    for what, name in (("records", "records"), ("facts", "figures"), ("sources", "sources")):
        numbers = counts[what]
        rows.append([name, *(str(numbers.get(c, "")) for c in ("added", "removed", "changed", "renamed"))])
    return rows


_SUMMARY_COLUMNS = ["", "added", "removed", "changed", "renamed"]


# --------------------------------------------------------------------------- terminal tables


def tables(diff: Diff) -> list[TableData]:
    if diff.empty:
        return [TableData(title(diff), _COLUMNS, [], [no_differences(diff)])]
    out = [TableData(title(diff), _SUMMARY_COLUMNS, summary_rows(diff))]
    for place in diff.places:
        rows = [row for record in place.records for row in _record_rows(record, _clip)]
        out.append(TableData(f"{place.name['zh']} {place.name['en']} ({place.id})", _COLUMNS, rows))
    if diff.sources:
        rows = [row for record in diff.sources for row in _record_rows(record, _clip)]
        out.append(TableData("Sources (data/sources.yaml)", _COLUMNS, rows))
    return out


def _clip(text: str) -> str:
    return text if len(text) <= _CLIP else text[: _CLIP - 1] + "…"


def _record_rows(record: RecordChange, clip) -> list[list[str]]:  # type: ignore[no-untyped-def]
    ident = f"{record.id}\n(formerly {record.formerly})" if record.formerly else record.id
    name = f"{record.name['zh']} {record.name['en']}".strip()
    rows = [[f"{record.change} {SINGULAR[record.section]}", ident, name, "", ""]]
    rows += [_fact_cells(fact, clip) for fact in record.facts]
    rows += [_field_cells(record, item, clip) for item in record.fields]
    return rows


def _fact_cells(fact: FactChange, clip) -> list[str]:  # type: ignore[no-untyped-def]
    ident = fact.id if fact.old_id in (None, fact.id) else f"{fact.id}\n(was {fact.old_id})"
    return [f"  figure {fact.change}", ident, fact.label["en"], _side(fact.old, clip), _side(fact.new, clip)]


def _side(row: dict[str, object] | None, clip) -> str:  # type: ignore[no-untyped-def]
    if row is None:
        return "—"
    source = row["source"]
    assert isinstance(source, dict)
    return f"{figure_text(row)}\n«{clip_around(str(source['quote']), str(row['text']))}» {source['document']}"


def clip_around(quote: str, text: str, width: int = _CLIP) -> str:
    """The part of a long quote around the figure it states, so that a changed figure shows."""
    if len(quote) <= width:
        return quote
    at = quote.find(text)
    if at < 0:
        return _clip(quote)
    start = max(0, min(at - (width - len(text)) // 2, len(quote) - width))
    end = start + width
    return ("…" if start else "") + quote[start:end] + ("…" if end < len(quote) else "")


def _field_cells(record: RecordChange, item: FieldChange, clip) -> list[str]:  # type: ignore[no-untyped-def]
    def text(value: str | None) -> str:
        if value is None:
            return "—"
        return "\n".join(clip(line) for line in value.split("\n"))

    return ["  field changed", record.id, item.path, text(item.old), text(item.new)]


# --------------------------------------------------------------------------- Markdown


def markdown(diff: Diff) -> str:
    """A pull-request description: a summary, then a table per place; all record text escaped."""
    lines = [f"## {escape(title(diff))}", ""]
    if diff.empty:
        return "\n".join([*lines, f"No differences: {escape(no_differences(diff))}.", ""])
    lines += _md_table(_SUMMARY_COLUMNS, summary_rows(diff))
    for place in diff.places:
        lines += ["", f"### {escape(place.name['zh'])} {escape(place.name['en'])} (`{place.id}`)", ""]
        lines += _md_table(_COLUMNS, [row for record in place.records for row in _md_rows(record)])
    if diff.sources:
        lines += ["", "### Sources (`data/sources.yaml`)", ""]
        lines += _md_table(_COLUMNS, [row for record in diff.sources for row in _md_rows(record)])
    return "\n".join([*lines, ""])


def _md_rows(record: RecordChange) -> list[list[str]]:
    """Rendered cells: ids (which hold only a-z, 0-9, -, :, . and [ ]) in code spans, the rest escaped."""
    ident = f"`{record.id}`" + (f"<br>formerly `{record.formerly}`" if record.formerly else "")
    name = escape(f"{record.name['zh']} {record.name['en']}".strip())
    rows = [[f"**{record.change}** {SINGULAR[record.section]}", ident, name, "", ""]]
    for fact in record.facts:
        fact_id = f"`{fact.id}`" + (f"<br>was `{fact.old_id}`" if fact.old_id not in (None, fact.id) else "")
        label = escape(f"{fact.label['en']} ({fact.label['zh']})")
        rows.append([f"figure {fact.change}", fact_id, label, _md_side(fact.old), _md_side(fact.new)])
    for item in record.fields:
        rows.append(["field changed", f"`{record.id}`", escape(item.path), _md_value(item.old), _md_value(item.new)])
    return rows


def _md_side(row: dict[str, object] | None) -> str:
    if row is None:
        return "—"
    source = row["source"]
    assert isinstance(source, dict)
    return f"{escape(figure_text(row))}<br>«{escape(str(source['quote']))}» ({escape(str(source['document']))})"


def _md_value(value: str | None) -> str:
    return "—" if value is None else escape(value)


def _md_table(columns: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(escape(c) for c in columns) + " |", "|" + "---|" * len(columns)]
    return lines + ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]


_SPECIAL = re.compile(r"([\\`*_\[\]|~$])")  # & < > are escaped as HTML


def escape(text: str) -> str:
    """Text shown as written once rendered: HTML escaped, Markdown's punctuation backslashed, lines
    joined with <br> (a table cell is one line)."""
    return _SPECIAL.sub(r"\\\1", html.escape(text, quote=False)).replace("\n", "<br>")

"""Query results as documented JSON payloads and as tables (terminal, CSV, Markdown).

JSON keeps numbers normalised (CNY in yuan, ratios 0..1) with the text as written beside them;
tables show them formatted (¥10,000,000 · 50%). A gap is always written "not stated in the sources".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..core.escape import csv_row, markdown_cell, markdown_text
from ..core.quantity import format_quantity
from ..load.loader import KnowledgeBase
from ..schema.glossary import NOT_STATED, label
from ..schema.model import Citation, Instrument, Jurisdiction, Record, Tier
from ..schema.values import to_json
from .queries import (
    Comparison,
    VoucherRow,
    limit_text,
    outcome_text,
    period_suffix,
    rate_text,
)

if TYPE_CHECKING:  # imported for annotations only: queries that do not need them stay fast
    from .resolve import Hit

GAP = NOT_STATED["en"]


@dataclass
class TableData:
    title: str
    columns: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)


@dataclass
class View:
    payload: object  # what --format json prints
    make_tables: list[TableData] | Callable[[], list[TableData]]  # built only for table formats

    @property
    def tables(self) -> list[TableData]:
        return self.make_tables() if callable(self.make_tables) else self.make_tables


def place_json(place: Jurisdiction) -> dict[str, object]:
    return {"id": place.id, "level": place.level.value, "name": {"zh": place.name.zh, "en": place.name.en}}


def record_json(record: Record | Jurisdiction) -> dict[str, object]:
    return to_json(record)


def source_text(citations: list[Citation], width: int = 48) -> str:
    """The first citation for a table cell, its quote clipped (JSON and reports carry them whole)."""
    first = citations[0]
    more = f" (+{len(citations) - 1})" if len(citations) > 1 else ""
    quote = first.quote if len(first.quote) <= width else first.quote[: width - 1] + "…"
    return f"{first.document}: «{quote}»{more}"


def quotes_text(citations: list[Citation]) -> str:
    """Every citation whole, one a line: for a cell whose reader must see the sentence that states
    the figure (an instrument's terms over time); a table wraps it, Markdown keeps the line breaks."""
    return "\n".join(f"{c.document}: «{c.quote}»" for c in citations)


def place_text(kb: KnowledgeBase, place: Jurisdiction, city: Jurisdiction) -> str:
    if place.id == city.id:
        return f"{city.name.zh} {city.name.en}"
    return f"{city.name.zh} {city.name.en} › {place.name.zh} {place.name.en}"


# --------------------------------------------------------------------------- vouchers


def vouchers_view(kb: KnowledgeBase, rows: list[VoucherRow], kind: str) -> View:
    payload = {
        "query": "vouchers",
        "kind": kind,
        "as_of": rows[0].status.day.isoformat() if rows and rows[0].status else None,
        "rows": [
            {
                "city": place_json(r.city),
                "place": place_json(r.place),
                "status": "stated" if r.instrument else "not_stated",
                "instrument": record_json(r.instrument) if r.instrument else None,
                "in_force": r.status.to_json() if r.status else None,
                "changes": r.changes,
                "eligibility": r.conditions,
                "policy": {"id": r.policy.id, "title": to_json(r.policy.title)} if r.policy else None,
            }
            for r in rows
        ],
    }
    columns = ["place", "instrument", "rate", "tiers", "cap", "pool", "who may claim", "status", "policy", "source"]
    title = f"Vouchers and compute subsidies by city ({kind})"
    return View(payload, lambda: [TableData(title, columns, [_voucher_cells(kb, r) for r in rows])])


def _instrument_name(instrument: Instrument) -> str:
    """算力券 compute voucher; the kind in brackets only where the name does not already say it."""
    kind = label(instrument.kind)
    name = f"{instrument.name.zh} {instrument.name.en}"
    return name if kind.casefold() == instrument.name.en.casefold() else f"{name} [{kind}]"


def _voucher_cells(kb: KnowledgeBase, row: VoucherRow) -> list[str]:
    where = place_text(kb, row.place, row.city)
    i = row.instrument
    if i is None:
        return [where, "none stated in the sources", "", "", "", "", "", "", "", ""]
    tiers = "; ".join(_tier_text(t) for t in i.tiers) or "—"
    status = row.status.label() if row.status else ""
    return [
        where,
        _instrument_name(i),
        rate_text(i) if i.rate else ("see tiers" if i.tiers else GAP),
        tiers,
        limit_text(i.cap) if i.cap else ("see tiers" if any(t.cap for t in i.tiers) else GAP),
        f"{format_quantity(i.pool.amount)}{period_suffix(i.pool.period)}" if i.pool else GAP,
        ", ".join(label(b) for b in i.beneficiaries) or GAP,
        "; ".join([status, *row.changes]),
        f"{row.policy.title.zh}" if row.policy else GAP,
        source_text(i.sources),
    ]


def _tier_text(tier: Tier) -> str:
    terms = [format_quantity(tier.rate)] if tier.rate else []
    terms += [f"cap {limit_text(tier.cap)}"] if tier.cap else []
    return f"{tier.describe()}: {', '.join(terms) or GAP}"


# --------------------------------------------------------------------------- targets


def targets_view(kb: KnowledgeBase, targets: list, as_of: object = None) -> View:  # type: ignore[type-arg]
    from . import timeline

    day = timeline.as_day(as_of)
    payload = {
        "query": "targets",
        "as_of": day.isoformat(),
        "targets": [
            {
                "place": place_json(kb.jurisdictions[t.jurisdiction]),
                **record_json(t),
                "outcome": timeline.target_outcome(t, day),
            }
            for t in targets
        ],
    }
    rows = []
    for t in targets:
        place = kb.jurisdictions[t.jurisdiction]
        rows.append(
            [
                t.deadline.human() if t.deadline else GAP,
                f"{place.name.zh} {place.name.en}",
                f"{t.metric.zh} / {t.metric.en}",
                format_quantity(t.value) if t.value else GAP,
                format_quantity(t.stretch) if t.stretch else "—",
                outcome_text(t, day),
                kb.policies[t.policy].title.zh if t.policy else "—",
                source_text(t.sources),
            ]
        )
    columns = [
        "deadline",
        "place",
        "metric",
        "value (floor)",
        "stretch (力争)",
        f"outcome on {day}",
        "policy",
        "source",
    ]
    return View(payload, [TableData("Targets", columns, rows)])


# --------------------------------------------------------------------------- profile, compare


def compare_view(kb: KnowledgeBase, c: Comparison) -> View:
    payload = {
        "query": "compare",
        "places": [place_json(p) for p in c.places],
        "rows": [
            {
                "section": r.section,
                "label": {"zh": r.label_zh, "en": r.label_en},
                "cells": [[{"text": cell.text, "record": cell.record_id} for cell in cells] for cells in r.cells],
            }
            for r in c.rows
        ],
    }
    columns = ["section", "dimension", *[f"{p.name.zh} {p.name.en}" for p in c.places]]
    rows = [
        [r.section, f"{r.label_zh} {r.label_en}", *["\n".join(cell.text for cell in cells) or GAP for cells in r.cells]]
        for r in c.rows
    ]
    return View(payload, [TableData("Comparison", columns, rows)])


def search_view(kb: KnowledgeBase, query: str, hits: list[Hit], suggestions: list[str]) -> View:
    payload = {"query": "search", "text": query, "hits": [h.to_json() for h in hits], "did_you_mean": suggestions}
    rows = []
    for h in hits:
        item = kb.get(h.entry.record_id)
        place_id = getattr(item, "jurisdiction", None) or h.entry.record_id
        place = kb.jurisdictions.get(place_id)
        rows.append(
            [
                h.entry.record_id,
                h.entry.kind,
                place.name.en if place else "—",
                h.entry.field,
                h.entry.text,
                f"{h.score:.0f}",
            ]
        )
    notes = (
        []
        if hits
        else [f"nothing matches '{query}'" + (f"; did you mean: {', '.join(suggestions)}?" if suggestions else "")]
    )
    return View(
        payload, [TableData(f"Search: {query}", ["id", "kind", "place", "matched", "text", "score"], rows, notes)]
    )


# --------------------------------------------------------------------------- output formats


def to_csv(tables: list[TableData]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    multi = len(tables) > 1
    for index, table in enumerate(tables):
        if index == 0 or multi:
            writer.writerow(csv_row((["table"] if multi else []) + table.columns))
        for row in table.rows:
            writer.writerow(csv_row(([table.title] if multi else []) + row))
    return out.getvalue()


def to_markdown(tables: list[TableData]) -> str:
    parts = []
    for table in tables:
        parts.append(f"### {markdown_text(table.title)}\n")
        parts.append("| " + " | ".join(markdown_cell(c) for c in table.columns) + " |")
        parts.append("|" + "---|" * len(table.columns))
        for row in table.rows:
            parts.append("| " + " | ".join(markdown_cell(c) for c in row) + " |")
        parts += [f"\n{markdown_text(note)}" for note in table.notes]
        parts.append("")
    return "\n".join(parts)


def indicators_view(kb: KnowledgeBase, found: list, topic) -> View:  # type: ignore[no-untyped-def, type-arg]
    from .queries import city_of

    payload = {
        "query": "indicators",
        "topic": topic.value if topic else None,
        "indicators": [{"place": place_json(kb.jurisdictions[i.jurisdiction]), **record_json(i)} for i in found],
    }
    rows = []
    for i in found:
        place = kb.jurisdictions[i.jurisdiction]
        rows.append(
            [
                place_text(kb, place, city_of(kb, place)),
                f"{i.metric.zh} / {i.metric.en}",
                format_quantity(i.value),
                i.value.text,
                i.as_of.human(),
                source_text(i.sources),
            ]
        )
    title = f"Indicators: {label(topic)}" if topic else "Indicators"
    notes = [] if found else ["no such figure is stated in the sources for these places"]
    return View(payload, [TableData(title, ["place", "metric", "value", "as written", "as of", "source"], rows, notes)])

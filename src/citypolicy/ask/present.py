"""Query results as documented JSON payloads and as tables (terminal, CSV, Markdown).

JSON keeps numbers normalised (CNY in yuan, ratios 0..1) with the text as written beside them;
tables show them formatted (¥10,000,000 · 50%). A gap is always written "not stated in the sources".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from ..core.escape import csv_row, markdown_cell, markdown_text
from ..core.quantity import format_cny, format_quantity, json_number
from ..load.loader import KnowledgeBase
from ..schema.glossary import NOT_STATED, label
from ..schema.model import Citation, Jurisdiction, Record
from ..schema.values import to_json
from .queries import (
    Comparison,
    Payout,
    Profile,
    SubsidyResult,
    VoucherRow,
    instrument_text,
    limit_text,
    period_suffix,
    target_text,
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


def place_text(kb: KnowledgeBase, place: Jurisdiction, city: Jurisdiction) -> str:
    if place.id == city.id:
        return f"{city.name.zh} {city.name.en}"
    return f"{city.name.zh} {city.name.en} › {place.name.zh} {place.name.en}"


# --------------------------------------------------------------------------- vouchers


def vouchers_view(kb: KnowledgeBase, rows: list[VoucherRow], kind: str) -> View:
    payload = {
        "query": "vouchers",
        "kind": kind,
        "rows": [
            {
                "city": place_json(r.city),
                "place": place_json(r.place),
                "status": "stated" if r.instrument else "not_stated",
                "instrument": record_json(r.instrument) if r.instrument else None,
                "policy": {"id": r.policy.id, "title": to_json(r.policy.title)} if r.policy else None,
            }
            for r in rows
        ],
    }
    columns = ["place", "instrument", "rate", "tiers", "cap", "pool", "beneficiaries", "policy", "source"]
    title = f"Vouchers and compute subsidies by city ({kind})"
    return View(payload, lambda: [TableData(title, columns, [_voucher_cells(kb, r) for r in rows])])


def _voucher_cells(kb: KnowledgeBase, row: VoucherRow) -> list[str]:
    where = place_text(kb, row.place, row.city)
    i = row.instrument
    if i is None:
        return [where, f"no voucher or compute subsidy {GAP}", "", "", "", "", "", "", ""]
    tiers = "; ".join(f"{label(t.group)}: {format_quantity(t.rate)}" for t in i.tiers if t.rate) or "—"
    return [
        where,
        f"{i.name.zh} {i.name.en} [{label(i.kind)}]",
        format_quantity(i.rate) if i.rate else GAP,
        tiers,
        limit_text(i.cap) if i.cap else GAP,
        f"{format_quantity(i.pool.amount)}{period_suffix(i.pool.period)}" if i.pool else GAP,
        ", ".join(label(b) for b in i.beneficiaries) or GAP,
        f"{row.policy.title.zh}" if row.policy else GAP,
        source_text(i.sources),
    ]


# --------------------------------------------------------------------------- subsidy


def subsidy_view(kb: KnowledgeBase, result: SubsidyResult) -> View:
    payload = {
        "query": "subsidy",
        "spend": json_number(result.spend),
        "startup": result.startup,
        "beneficiary": result.beneficiary.value,
        "ranked": [_payout_json(p) for p in result.ranked],
        "separate": [_payout_json(p) for p in result.separate],
        "not_computable": [_payout_json(p) for p in result.not_computable],
        "without_instrument": [place_json(c) for c in result.without_instrument],
    }
    who = ("startup " if result.startup else "") + label(result.beneficiary)
    tables = [
        TableData(
            f"What {format_cny(result.spend)} a year of compute spend gets back ({who})",
            ["rank", "place", "instrument", "pays", "how"],
            [[str(n), *_payout_cells(kb, p)] for n, p in enumerate(result.ranked, start=1)],
        )
    ]
    if result.separate:
        tables.append(
            TableData(
                "Also available in the same city — the sources do not say whether these stack; not added up",
                ["place", "instrument", "pays", "how"],
                [_payout_cells(kb, p) for p in result.separate],
            )
        )
    if result.not_computable:
        tables.append(
            TableData(
                "Cannot be computed or not open to this applicant",
                ["place", "instrument", "why"],
                [_payout_cells(kb, p) for p in result.not_computable],
            )
        )
    if result.without_instrument:
        tables.append(
            TableData(
                "No compute voucher or subsidy stated in the sources",
                ["place"],
                [[f"{c.name.zh} {c.name.en}"] for c in result.without_instrument],
            )
        )
    return View(payload, tables)


def _payout_cells(kb: KnowledgeBase, p: Payout) -> list[str]:
    """place, instrument, [amount,] the arithmetic: the amount only when there is one."""
    amount = [format_cny(p.amount)] if p.amount is not None else []
    return [
        place_text(kb, p.place, p.city),
        f"{p.instrument.name.zh} {p.instrument.name.en}",
        *amount,
        "; ".join(p.steps),
    ]


def _payout_json(p: Payout) -> dict[str, object]:
    def num(value: Decimal | None) -> int | float | None:
        return json_number(value) if value is not None else None

    return {
        "city": place_json(p.city),
        "place": place_json(p.place),
        "instrument": {"id": p.instrument.id, "kind": p.instrument.kind.value, "name": to_json(p.instrument.name)},
        "eligible": p.eligible,
        "rate": p.rate.to_json() if p.rate else None,
        "tier": p.tier.value if p.tier else None,
        "gross": num(p.gross),
        "cap": to_json(p.cap) if p.cap else None,
        "payout": num(p.amount),
        "capped": p.capped,
        "steps": p.steps,
        "sources": [to_json(c) for c in p.instrument.sources],
    }


# --------------------------------------------------------------------------- targets


def targets_view(kb: KnowledgeBase, targets: list) -> View:  # type: ignore[type-arg]
    payload = {
        "query": "targets",
        "targets": [{"place": place_json(kb.jurisdictions[t.jurisdiction]), **record_json(t)} for t in targets],
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
                label(t.status) if t.status else "—",
                kb.policies[t.policy].title.zh if t.policy else "—",
                source_text(t.sources),
            ]
        )
    columns = ["deadline", "place", "metric", "value (floor)", "stretch (力争)", "status", "policy", "source"]
    return View(payload, [TableData("Targets", columns, rows)])


# --------------------------------------------------------------------------- profile, compare


def profile_view(kb: KnowledgeBase, p: Profile) -> View:
    payload = {
        "query": "show",
        "place": record_json(p.place),
        "ancestors": [place_json(a) for a in p.ancestors],
        "places": [place_json(x) for x in p.places],
        **{
            section: [record_json(r) for r in getattr(p, section)]
            for section in ("policies", "instruments", "targets", "indicators", "institutions")
        },
    }
    name = f"{p.place.name.zh} {p.place.name.en}"

    def where(r):  # type: ignore[no-untyped-def]
        return kb.jurisdictions[r.jurisdiction].name.en

    tables = [
        TableData(
            f"{name}: places",
            ["place", "level", "within"],
            [
                [f"{x.name.zh} {x.name.en}", label(x.level), kb.jurisdictions[x.parent].name.en if x.parent else "—"]
                for x in p.places
            ],
        ),
        TableData(
            f"{name}: policies",
            ["issued", "place", "title", "kind", "period"],
            [
                [
                    x.issued.human() if x.issued else GAP,
                    where(x),
                    f"{x.title.zh} / {x.title.en}",
                    label(x.kind),
                    str(x.period) if x.period else "—",
                ]
                for x in p.policies
            ],
        ),
        TableData(
            f"{name}: instruments",
            ["place", "kind", "terms", "source"],
            [[where(x), label(x.kind), instrument_text(x), source_text(x.sources)] for x in p.instruments],
        ),
        TableData(
            f"{name}: targets",
            ["place", "target", "source"],
            [[where(x), target_text(x), source_text(x.sources)] for x in p.targets],
        ),
        TableData(
            f"{name}: indicators",
            ["place", "topic", "metric", "value", "as of", "source"],
            [
                [
                    where(x),
                    label(x.topic),
                    f"{x.metric.zh} / {x.metric.en}",
                    format_quantity(x.value),
                    x.as_of.human(),
                    source_text(x.sources),
                ]
                for x in p.indicators
            ],
        ),
        TableData(
            f"{name}: institutions",
            ["place", "kind", "name", "since"],
            [
                [where(x), label(x.kind), f"{x.name.zh} / {x.name.en}", x.established.human() if x.established else "—"]
                for x in p.institutions
            ],
        ),
    ]
    return View(payload, tables)


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

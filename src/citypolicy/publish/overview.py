"""The home page's matrix: each city's row from queries.overview, with the number each column sorts
by (the largest figure in the cell; an empty cell has none and sorts last)."""

from __future__ import annotations

from dataclasses import dataclass

from ..ask import queries
from ..core.quantity import Quantity
from ..load.loader import KnowledgeBase
from . import figures


@dataclass
class OverviewRow:
    row: queries.OverviewRow
    sort: dict[str, str]  # column -> value to sort by ("" for a cell without a figure)


def _largest(found: list[Quantity | None]) -> str:
    stated = [q for q in found if q is not None]
    if not stated:
        return ""
    best = max(stated, key=lambda q: q.high if q.high is not None else q.value)
    return figures.sort_value(best)


def overview_rows(kb: KnowledgeBase) -> list[OverviewRow]:
    out = []
    for row in queries.overview(kb):
        rates: list[Quantity | None] = []
        for i in row.compute:
            rates.append(i.rate)
            rates += [t.rate for t in i.tiers]
        sort = {
            "rate": _largest(rates),
            "cap": _largest([i.cap.amount if i.cap else None for i in row.compute]),
            "pool": _largest([i.pool.amount if i.pool else None for i in row.compute]),
            "funds": _largest([f.pool.amount if f.pool else None for f in row.funds]),
            "ai_firms": _largest([row.ai_firms.value if row.ai_firms else None]),
            "industry_scale": _largest([row.industry_scale.value if row.industry_scale else None]),
            "policies": str(row.policies),
        }
        out.append(OverviewRow(row, sort))
    return out

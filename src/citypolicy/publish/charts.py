"""Bar charts of the voucher page, as data for an HTML chart (text stays legible on a phone).

Bars are sorted by value, highest first; a district's bar is named with its city; a figure the
source gives as a maximum ("up to", 最高) is drawn differently from an exact one; each chart names
its metric and unit, and the sources its figures come from.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..ask import queries
from ..core.quantity import Bound, Quantity
from ..load.loader import KnowledgeBase
from ..schema.glossary import label
from ..schema.model import Instrument, Jurisdiction, Limit, Source
from . import figures
from .facts import figure_citation


@dataclass
class Bar:
    place_zh: str
    place_en: str
    what_zh: str
    what_en: str
    quantity: Quantity
    record: Instrument
    share: float  # 0..1 of the chart's scale
    text_en: str
    text_zh: str

    @property
    def upto(self) -> bool:
        return self.quantity.bound is Bound.AT_MOST

    @property
    def bound(self) -> str:
        return self.quantity.bound.value


@dataclass
class Chart:
    id: str
    title_key: str  # i18n key: metric and unit
    bars: list[Bar]
    sources: list[Source]


def place_names(kb: KnowledgeBase, place: Jurisdiction, city: Jurisdiction) -> tuple[str, str]:
    """(zh, en) of a place, a district named with its city: 深圳市南山区 / Nanshan District, Shenzhen."""
    if place.id == city.id:
        return place.name.zh, place.name.en
    return f"{city.name.zh}{place.name.zh}", f"{place.name.en}, {city.name.en}"


def _compute_rows(rows: list[queries.VoucherRow]) -> list[tuple[queries.VoucherRow, Instrument]]:
    return [(r, r.instrument) for r in rows if r.instrument is not None and r.instrument.kind in queries.COMPUTE_KINDS]


def _bar(kb: KnowledgeBase, row: queries.VoucherRow, i: Instrument, q: Quantity, what: tuple[str, str]) -> Bar:
    zh, en = place_names(kb, row.place, row.city)
    return Bar(zh, en, what[0], what[1], q, i, 0.0, figures.figure_en(q), figures.compact_zh(q))


def rate_chart(kb: KnowledgeBase, rows: list[queries.VoucherRow]) -> Chart:
    """Every stated rate (and tier rate) of a compute-type instrument; the scale is 0..100%."""
    bars = []
    for row, i in _compute_rows(rows):
        name = (i.name.zh, label(i.kind))
        if i.rate:
            bars.append(_bar(kb, row, i, i.rate, name))
        for tier in i.tiers:
            if tier.rate:
                what = (f"{i.name.zh}（{tier.describe('zh')}）", f"{label(i.kind)} ({tier.describe()})")
                bars.append(_bar(kb, row, i, tier.rate, what))
    for bar in bars:
        bar.share = float(_top(bar.quantity))
    return Chart("rates", "chart.rates", _sorted(bars), _sources(kb, bars))


def cap_chart(kb: KnowledgeBase, rows: list[queries.VoucherRow]) -> Chart:
    """Every stated cap per recipient of a compute-type instrument; the scale is 0..the largest cap."""
    bars = []
    for row, i in _compute_rows(rows):
        if i.cap:
            bar = _bar(kb, row, i, i.cap.amount, (i.name.zh, label(i.kind)))
            bar.text_en += _period_en(i.cap)
            bar.text_zh = _period_zh(i.cap) + bar.text_zh
            bars.append(bar)
    largest = max((_top(b.quantity) for b in bars), default=Decimal(1)) or Decimal(1)
    for bar in bars:
        bar.share = float(_top(bar.quantity) / largest)
    return Chart("caps", "chart.caps", _sorted(bars), _sources(kb, bars))


def _period_en(limit: Limit) -> str:
    return queries.period_suffix(limit.period)


def _period_zh(limit: Limit) -> str:
    word = label(limit.period, "zh")
    return word if word and word != "总额" else ""


def _top(q: Quantity) -> Decimal:
    return q.high if q.high is not None else q.value


def _sorted(bars: list[Bar]) -> list[Bar]:
    return sorted(bars, key=lambda b: (-_top(b.quantity), b.place_en, b.what_en))


def _sources(kb: KnowledgeBase, bars: list[Bar]) -> list[Source]:
    documents = {figure_citation(kb, b.record, b.quantity).document for b in bars}
    # by date, then file name: a set's order differs between processes (a build's workers)
    return sorted(
        (kb.sources[d] for d in documents), key=lambda s: (s.published.sort_key() if s.published else (), s.file)
    )


def charts(kb: KnowledgeBase, rows: list[queries.VoucherRow]) -> list[Chart]:
    return [rate_chart(kb, rows), cap_chart(kb, rows)]

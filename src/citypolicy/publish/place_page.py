"""A place's page: the headline figures an analyst compares (the infobox), a table of contents, then
its records. Every place has one: provinces, cities, districts and zones.

The infobox is a list of rows, each a string key and the figures that fill it, so rows (and badges
beside the title) can be added without touching the template.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..ask import queries
from ..core.dates import PartialDate
from ..core.quantity import Quantity, Unit
from ..load.loader import KnowledgeBase
from ..schema.model import (
    CITY_LEVELS,
    COMPUTE_KINDS,
    Indicator,
    Instrument,
    InstrumentKind,
    Jurisdiction,
    Level,
    Limit,
    Name,
    Record,
    Target,
    Tier,
    Topic,
)
from .status_view import RecordTimes, record_times

#: Instruments shown in the first section of a place page: what pays for compute, data and models.
VOUCHER_KINDS = COMPUTE_KINDS | {InstrumentKind.CORPUS_VOUCHER, InstrumentKind.MODEL_VOUCHER}
_COMPUTE_ORDER = [
    InstrumentKind.COMPUTE_VOUCHER,
    InstrumentKind.TRAINING_VOUCHER,
    InstrumentKind.COMPUTE_SUBSIDY,
    InstrumentKind.CORPUS_VOUCHER,
    InstrumentKind.MODEL_VOUCHER,
]


@dataclass
class InfoFigure:
    """One figure in an infobox row, with what it is (instrument name or metric) and where."""

    record: Record
    quantity: Quantity | None = None
    what: Name | None = None
    tier: Tier | None = None  # the tier (group, class or condition) of a tier rate
    limit: Limit | None = None  # a cap, shown with its period and per
    place: Jurisdiction | None = None  # set when the record sits on a place under this one
    when: PartialDate | None = None
    stretch: Quantity | None = None


@dataclass
class InfoRow:
    key: str  # i18n string key of the label
    figures: list[InfoFigure] = field(default_factory=list)
    count: int | None = None  # rows that count records rather than show figures
    href: str | None = None  # where the count's records are listed on the page


@dataclass
class Section:
    id: str
    key: str  # i18n string key of the heading
    count: int


@dataclass
class SubPlace:
    place: Jurisdiction
    records: int


@dataclass
class PlacePage:
    place: Jurisdiction
    ancestors: list[Jurisdiction]
    profile: queries.Profile
    infobox: list[InfoRow]
    children: list[SubPlace]
    compute: list[Instrument]
    other_instruments: list[Instrument]
    sections: list[Section]
    times: RecordTimes  # status badges, terms over time, eligibility, target outcomes

    @property
    def is_province(self) -> bool:
        return self.place.level is Level.PROVINCE

    @property
    def has_subplaces(self) -> bool:
        return len(self.profile.places) > 1


def place_page(kb: KnowledgeBase, place: Jurisdiction, as_of: object = None) -> PlacePage:
    profile = queries.profile(kb, place, as_of)
    order = [p.id for p in profile.places]
    instruments = sorted(profile.instruments, key=lambda i: (order.index(i.jurisdiction), i.kind.value, i.id))
    compute = sorted(
        (i for i in instruments if i.kind in VOUCHER_KINDS),
        key=lambda i: (order.index(i.jurisdiction), _COMPUTE_ORDER.index(i.kind), i.id),
    )
    other = [i for i in instruments if i.kind not in VOUCHER_KINDS]
    children = [SubPlace(child, _record_count(kb, child.id)) for child in kb.children(place.id)]
    sections = [
        Section("places", f"place.in_it.{_child_word(place)}", len(children)),
        Section("compute", "section.compute", len(compute)),
        Section("instruments", "section.instruments", len(other)),
        Section("targets", "section.targets", len(profile.targets)),
        Section("indicators", "section.indicators", len(profile.indicators)),
        Section("policies", "section.policies", len(profile.policies)),
        Section("institutions", "section.institutions", len(profile.institutions)),
    ]
    return PlacePage(
        place=place,
        ancestors=profile.ancestors,
        profile=profile,
        infobox=infobox(kb, place, profile, compute),
        children=children,
        compute=compute,
        other_instruments=other,
        sections=[s for s in sections if s.count or s.id != "places"],
        times=record_times(kb, profile),
    )


def _child_word(place: Jurisdiction) -> str:
    if place.level is Level.PROVINCE:
        return "province"
    return "city" if place.level in CITY_LEVELS else "district"


def _record_count(kb: KnowledgeBase, place_id: str) -> int:
    sections = ("policies", "instruments", "targets", "indicators", "institutions")
    return sum(len(kb.records_at(s, [place_id])) for s in sections)


# --------------------------------------------------------------------------- the infobox


def infobox(
    kb: KnowledgeBase, place: Jurisdiction, profile: queries.Profile, compute: list[Instrument]
) -> list[InfoRow]:
    def where(record: Record) -> Jurisdiction | None:
        return kb.jurisdictions[record.jurisdiction] if record.jurisdiction != place.id else None

    paying = [i for i in compute if i.kind in COMPUTE_KINDS]
    rows = [
        InfoRow("info.compute_rate", _best_rate(paying, where)),
        InfoRow("info.compute_cap", _largest_limit(paying, where)),
        InfoRow("info.compute_pool", _largest_pool(paying, where)),
        InfoRow("info.funds", _funds(profile.instruments, where)),
        InfoRow("info.targets", _headline_targets(profile.targets, where)),
        InfoRow("info.ai_firms", _latest(profile.indicators, Topic.AI_FIRMS, place, where)),
        InfoRow("info.industry_scale", _latest(profile.indicators, Topic.INDUSTRY_SCALE, place, where)),
        InfoRow("info.policies", count=len(profile.policies), href="#policies"),
    ]
    if len(profile.places) > 1 or place.level is Level.PROVINCE:
        rows.append(InfoRow("info.places", count=len(kb.children(place.id)), href="#places"))
    return rows


def _best_rate(instruments: list[Instrument], where) -> list[InfoFigure]:  # type: ignore[no-untyped-def]
    found = []
    for i in instruments:
        if i.rate:
            found.append(InfoFigure(i, i.rate, i.name, place=where(i)))
        for tier in i.tiers:
            if tier.rate:
                found.append(InfoFigure(i, tier.rate, i.name, tier=tier, place=where(i)))
    return _top(found, 1)


def _largest_limit(instruments: list[Instrument], where) -> list[InfoFigure]:  # type: ignore[no-untyped-def]
    found = [InfoFigure(i, i.cap.amount, i.name, limit=i.cap, place=where(i)) for i in instruments if i.cap]
    return _top(found, 1)


def _largest_pool(instruments: list[Instrument], where) -> list[InfoFigure]:  # type: ignore[no-untyped-def]
    found = [InfoFigure(i, i.pool.amount, i.name, place=where(i)) for i in instruments if i.pool]
    return _top(found, 1)


def _funds(instruments: list[Instrument], where) -> list[InfoFigure]:  # type: ignore[no-untyped-def]
    funds = [i for i in instruments if i.kind is InstrumentKind.FUND]
    with_pool = [InfoFigure(i, i.pool.amount, i.name, place=where(i)) for i in funds if i.pool]
    without = [InfoFigure(i, None, i.name, place=where(i)) for i in funds if not i.pool]
    return (_top(with_pool, 2) + without)[:2]


def _headline_targets(targets: list[Target], where) -> list[InfoFigure]:  # type: ignore[no-untyped-def]
    stated = [t for t in targets if t.value or t.stretch]
    headline = [t for t in stated if t.topic in (Topic.INDUSTRY_SCALE, Topic.COMPUTE)] or stated
    return [InfoFigure(t, t.value, t.metric, place=where(t), when=t.deadline, stretch=t.stretch) for t in headline[:2]]


def _latest(indicators: list[Indicator], topic: Topic, place: Jurisdiction, where) -> list[InfoFigure]:  # type: ignore[no-untyped-def]
    """The latest count for the place itself (not a share); else the latest of a place under it."""
    matching = [i for i in indicators if i.topic is topic and i.value.unit is not Unit.RATIO]
    own = [i for i in matching if i.jurisdiction == place.id] or matching
    if not own:
        return []
    latest = max(own, key=lambda i: i.as_of.sort_key())
    return [InfoFigure(latest, latest.value, latest.metric, place=where(latest), when=latest.as_of)]


def _top(found: list[InfoFigure], n: int) -> list[InfoFigure]:
    def key(f: InfoFigure) -> Decimal:
        q = f.quantity
        assert q is not None
        return q.high if q.high is not None else q.value

    return sorted(found, key=key, reverse=True)[:n]

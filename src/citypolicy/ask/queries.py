"""The questions analysts ask, as plain functions over a loaded knowledge base.

The CLI, the reports and the site all call these; none of them computes anything on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..core.dates import PartialDate
from ..core.quantity import Unit, format_quantity
from ..load.loader import KnowledgeBase
from ..schema import glossary
from ..schema.glossary import NOT_STATED, label
from ..schema.model import (
    CITY_LEVELS,
    COMPUTE_KINDS,
    Indicator,
    Institution,
    Instrument,
    InstrumentKind,
    Jurisdiction,
    Level,
    Limit,
    Period,
    Policy,
    Record,
    Target,
    Topic,
)
from . import timeline
from .timeline import StatusAt


def kinds_for(choice: str) -> set[InstrumentKind]:
    """compute: everything that pays for compute (算力券, 训力券, 算力补贴); all: every voucher too."""
    return {InstrumentKind(value) for value in glossary.kinds_for(choice)}


def kind_order(kind: InstrumentKind) -> int:
    return list(InstrumentKind).index(kind)


# --------------------------------------------------------------------------- places


def cities(kb: KnowledgeBase, wanted: list[str] | None = None) -> list[Jurisdiction]:
    """City-level places (cities and municipalities), or the ones named, in the order named."""
    if wanted:
        from .resolve import resolve_place

        return [city_of(kb, resolve_place(kb, text)) for text in wanted]
    found = [p for p in kb.jurisdictions.values() if p.level in CITY_LEVELS]
    return sorted(found, key=lambda p: p.name.en)


def city_of(kb: KnowledgeBase, place: Jurisdiction) -> Jurisdiction:
    """The city a district or zone belongs to; a city or a province is its own."""
    if place.level in CITY_LEVELS or place.level is Level.PROVINCE:
        return place
    for ancestor in kb.ancestors(place.id):
        if ancestor.level in CITY_LEVELS:
            return ancestor
    return place


def scope(kb: KnowledgeBase, place_id: str) -> list[str]:
    """The place and the places under it whose records it shows: a city holds its districts and
    zones; a province holds only itself (its cities have their own pages and files)."""
    if kb.jurisdictions[place_id].level is Level.PROVINCE:
        return [place_id]
    return kb.subtree(place_id)


def records_in(kb: KnowledgeBase, section: str, place_id: str) -> list[Record]:
    return kb.records_at(section, scope(kb, place_id))


# --------------------------------------------------------------------------- vouchers


@dataclass
class VoucherRow:
    city: Jurisdiction
    place: Jurisdiction
    instrument: Instrument | None = None  # with the terms in force on the day asked about
    policy: Policy | None = None
    status: StatusAt | None = None
    changes: list[str] = field(default_factory=list)  # "pool changed from ¥100,000,000 to … in 2025"
    conditions: list[str] = field(default_factory=list)  # who and when, in words


def voucher_rows(
    kb: KnowledgeBase, kind: str = "all", wanted: list[str] | None = None, as_of: object = None
) -> list[VoucherRow]:
    """Each place's vouchers of `kind` with the terms in force on `as_of` (default today); those
    that had ended or not begun by then are left out, those whose status is unknown stay, marked."""
    kinds = kinds_for(kind)
    rows: list[VoucherRow] = []
    for city in cities(kb, wanted):
        found = [
            i
            for i in records_in(kb, "instruments", city.id)
            if isinstance(i, Instrument) and i.kind in kinds and timeline.in_force(kb, i, as_of) is not False
        ]
        if not found:
            rows.append(VoucherRow(city, city))
        order = scope(kb, city.id)
        for instrument in sorted(found, key=lambda i: (order.index(i.jurisdiction), kind_order(i.kind))):
            policy = kb.policies.get(instrument.policy) if instrument.policy else None
            rows.append(
                VoucherRow(
                    city,
                    kb.jurisdictions[instrument.jurisdiction],
                    timeline.terms_at(instrument, as_of),
                    policy,
                    timeline.status(kb, instrument, as_of),
                    timeline.change_notes(instrument, as_of),
                    eligibility_words(instrument),
                )
            )
    return rows


def eligibility_words(instrument: Instrument, lang: str = "en") -> list[str]:
    """Who may claim and under what conditions, in words: what a reader checks before applying."""
    words = []
    if instrument.beneficiaries:
        joiner = "、" if lang == "zh" else ", "
        who = joiner.join(label(b, lang) for b in instrument.beneficiaries)
        words.append(f"适用对象：{who}" if lang == "zh" else f"for {who}")
    if instrument.condition:
        words.append(f"条件：{instrument.condition.zh}" if lang == "zh" else f"only if {instrument.condition.en}")
    for tier in instrument.tiers:
        words.append(tier.describe(lang))
    return words


# --------------------------------------------------------------------------- targets


def targets(
    kb: KnowledgeBase,
    wanted: list[str] | None = None,
    due_by: int | None = None,
    metric: str | None = None,
) -> list[Target]:
    places: set[str] | None = None
    if wanted:
        places = {pid for city in cities(kb, wanted) for pid in scope(kb, city.id)}
    found = []
    for target in kb.targets.values():
        if places is not None and target.jurisdiction not in places:
            continue
        if due_by is not None and (target.deadline is None or target.deadline.year > due_by):
            continue
        if metric and not _metric_matches(target, metric):
            continue
        found.append(target)
    return sorted(
        found, key=lambda t: (t.deadline.sort_key() if t.deadline else (PartialDate(9999).start,), t.jurisdiction, t.id)
    )


def _metric_matches(record: Target | Indicator, text: str) -> bool:
    from .resolve import normalise_query

    key = normalise_query(text)
    haystack = [record.metric.zh, record.metric.en, record.topic.value, label(record.topic), label(record.topic, "zh")]
    return any(key in normalise_query(h) for h in haystack)


# --------------------------------------------------------------------------- profiles and comparison


@dataclass
class Profile:
    place: Jurisdiction
    ancestors: list[Jurisdiction]
    places: list[Jurisdiction]
    policies: list[Policy]
    instruments: list[Instrument]  # with the terms in force on `as_of`
    targets: list[Target]
    indicators: list[Indicator]
    institutions: list[Institution]
    as_of: date = field(default_factory=timeline.today)
    status: dict[str, StatusAt] = field(default_factory=dict)  # policy and instrument ids
    changes: dict[str, list[str]] = field(default_factory=dict)  # instrument id -> change notes


def profile(kb: KnowledgeBase, place: Jurisdiction, as_of: object = None) -> Profile:
    day = timeline.as_day(as_of)
    policies: list[Policy] = sorted(records_in(kb, "policies", place.id), key=_policy_order)  # type: ignore[arg-type]
    instruments: list[Instrument] = sorted(records_in(kb, "instruments", place.id), key=lambda i: (i.kind.value, i.id))  # type: ignore[arg-type, attr-defined]
    return Profile(
        place=place,
        ancestors=kb.ancestors(place.id),
        places=[kb.jurisdictions[p] for p in scope(kb, place.id)],
        policies=policies,
        instruments=[timeline.terms_at(i, day) for i in instruments],
        targets=sorted(records_in(kb, "targets", place.id), key=_deadline_order),  # type: ignore[arg-type]
        indicators=sorted(records_in(kb, "indicators", place.id), key=lambda i: (i.topic.value, str(i.as_of), i.id)),  # type: ignore[arg-type, attr-defined]
        institutions=sorted(records_in(kb, "institutions", place.id), key=lambda i: (i.kind.value, i.id)),  # type: ignore[arg-type, attr-defined]
        as_of=day,
        status={r.id: timeline.status(kb, r, day) for r in [*policies, *instruments]},
        changes={i.id: timeline.change_notes(i, day) for i in instruments if i.changes},
    )


def _policy_order(policy: Policy) -> tuple:
    return (policy.issued.sort_key() if policy.issued else (PartialDate(9999).start,), policy.id)


def _deadline_order(target: Target) -> tuple:
    return (target.deadline.sort_key() if target.deadline else (PartialDate(9999).start,), target.id)


_ENDED = {"expired", "superseded", "not_yet_in_force"}


@dataclass
class Cell:
    text: str
    record_id: str | None = None


@dataclass
class CompareRow:
    section: str
    label_zh: str
    label_en: str
    cells: list[list[Cell]]  # one list per city


@dataclass
class Comparison:
    places: list[Jurisdiction]
    rows: list[CompareRow]


def compare(kb: KnowledgeBase, places: list[Jurisdiction], as_of: object = None) -> Comparison:
    """Places side by side: instruments in force on `as_of` (today), indicators and targets."""
    profiles = [profile(kb, p, as_of) for p in places]
    for p in profiles:
        p.instruments = [i for i in p.instruments if p.status[i.id].status.value not in _ENDED]
    rows: list[CompareRow] = []
    rows += _instrument_rows(profiles)
    rows += _grouped_rows("indicators", profiles, lambda p: p.indicators, lambda i: i.topic, _indicator_text)
    day = profiles[0].as_of if profiles else None
    rows += _grouped_rows("targets", profiles, lambda p: p.targets, lambda t: t.topic, lambda t: target_text(t, day))
    rows.append(
        CompareRow(
            "policies",
            "政策文件",
            "policy documents",
            [[Cell(_policy_text(x), x.id) for x in p.policies] for p in profiles],
        )
    )
    rows.append(
        CompareRow(
            "institutions",
            "机构与项目",
            "institutions and programmes",
            [[Cell(f"{x.name.zh} ({x.name.en})", x.id) for x in p.institutions] for p in profiles],
        )
    )
    return Comparison(places, rows)


def _instrument_rows(profiles: list[Profile]) -> list[CompareRow]:
    kinds = sorted({i.kind for p in profiles for i in p.instruments}, key=lambda k: list(InstrumentKind).index(k))
    compute_first = sorted(kinds, key=lambda k: k not in COMPUTE_KINDS)
    rows = []
    for kind in compute_first:
        zh, en = label(kind, "zh"), label(kind)
        cells = [[Cell(instrument_text(i), i.id) for i in p.instruments if i.kind is kind] for p in profiles]
        rows.append(CompareRow("instruments", zh, en, cells))
    return rows


def _grouped_rows(section, profiles, items, key, text) -> list[CompareRow]:  # type: ignore[no-untyped-def]
    topics = sorted({key(x) for p in profiles for x in items(p)}, key=lambda t: list(Topic).index(t))
    return [
        CompareRow(
            section,
            label(t, "zh"),
            label(t),
            [[Cell(text(x), x.id) for x in items(p) if key(x) is t] for p in profiles],
        )
        for t in topics
    ]


def rate_text(instrument: Instrument, lang: str = "en") -> str:
    """The rate with what it is a share of, where the source says (100% of the loan prime rate)."""
    assert instrument.rate is not None
    text = format_quantity(instrument.rate, lang)
    if instrument.rate_basis:
        text = f"{instrument.rate_basis.zh}的{text}" if lang == "zh" else f"{text} of the {instrument.rate_basis.en}"
    return text


def instrument_text(instrument: Instrument) -> str:
    parts = [instrument.name.zh]
    if instrument.rate:
        parts.append(rate_text(instrument))
    for tier in instrument.tiers:
        terms = [format_quantity(tier.rate)] if tier.rate else []
        terms += [f"cap {limit_text(tier.cap)}"] if tier.cap else []
        if terms:
            parts.append(f"{tier.describe()}: {', '.join(terms)}")
    if instrument.cap:
        parts.append(f"cap {limit_text(instrument.cap)}")
    if instrument.pool:
        parts.append(f"pool {format_quantity(instrument.pool.amount)}{period_suffix(instrument.pool.period)}")
    if instrument.benefit:
        parts.append(format_quantity(instrument.benefit))
    return " · ".join(parts)


def limit_text(limit: Limit) -> str:
    text = format_quantity(limit.amount)
    if limit.years:
        text += f" over {limit.years} years"
    text += period_suffix(limit.period)
    text += f" {label(limit.per)}"
    return text + (f" (can be relaxed: {limit.relaxable.en})" if limit.relaxable else "")


def period_suffix(period: Period) -> str:
    return {Period.YEAR: " a year", Period.TOTAL: " in total"}.get(period, "")


def _indicator_text(indicator: Indicator) -> str:
    text = f"{indicator.metric.en}: {format_quantity(indicator.value)} ({indicator.as_of.human()})"
    if indicator.said_by:
        text += f" — said by {indicator.said_by.en}"
    if indicator.comparability:
        text += f" [{indicator.comparability.en}]"
    return text


def target_text(target: Target, as_of: object = None) -> str:
    value = format_quantity(target.value) if target.value else "value " + NOT_STATED["en"]
    if target.stretch:
        value += f", striving for {format_quantity(target.stretch)}"
    due = f" by {target.deadline.human()}" if target.deadline else ""
    return f"{target.metric.en}: {value}{due} — {outcome_text(target, as_of)}"


def outcome_text(target: Target, as_of: object = None, lang: str = "en") -> str:
    """achieved early / due / outcome not stated in the sources (past its deadline) …"""
    outcome = timeline.target_outcome(target, as_of)
    if target.status is not None:
        return label(target.status, lang)
    zh, en = timeline.OUTCOME_LABELS[outcome]
    return zh if lang == "zh" else en


def _policy_text(policy: Policy) -> str:
    year = f" ({policy.issued})" if policy.issued else ""
    return f"{policy.title.zh}{year}"


def indicators(kb: KnowledgeBase, topic: Topic | None = None, wanted: list[str] | None = None) -> list[Indicator]:
    """Indicators of one topic (or all) across cities, city by city, latest first."""
    order = {c.id: n for n, c in enumerate(cities(kb, wanted))}
    found = []
    for indicator in kb.indicators.values():
        city = city_of(kb, kb.jurisdictions[indicator.jurisdiction])
        if city.id in order and (topic is None or indicator.topic is topic):
            found.append(
                (
                    order[city.id],
                    indicator.topic.value,
                    [-d.toordinal() for d in indicator.as_of.sort_key()],
                    indicator.id,
                    indicator,
                )
            )
    return [item[-1] for item in sorted(found, key=lambda x: x[:-1])]


# --------------------------------------------------------------------------- overview (home page)


@dataclass
class OverviewRow:
    city: Jurisdiction
    compute: list[Instrument]  # compute-type vouchers and subsidies, city first then districts
    funds: list[Instrument]
    targets: list[Target]  # headline: industry-scale and compute targets, else the first ones
    ai_firms: Indicator | None
    industry_scale: Indicator | None
    policies: int


def overview(kb: KnowledgeBase) -> list[OverviewRow]:
    rows = []
    for city in cities(kb):
        p = profile(kb, city)
        headline = [t for t in p.targets if t.topic in (Topic.INDUSTRY_SCALE, Topic.COMPUTE) and (t.value or t.stretch)]
        rows.append(
            OverviewRow(
                city=city,
                compute=sorted(
                    (i for i in p.instruments if i.kind in COMPUTE_KINDS),
                    key=lambda i: [x.id for x in p.places].index(i.jurisdiction),
                ),
                funds=[i for i in p.instruments if i.kind is InstrumentKind.FUND],
                targets=(headline or [t for t in p.targets if t.value or t.stretch])[:2],
                ai_firms=_latest(p.indicators, Topic.AI_FIRMS, city.id),
                industry_scale=_latest(p.indicators, Topic.INDUSTRY_SCALE, city.id),
                policies=len(p.policies),
            )
        )
    return rows


def _latest(found: list[Indicator], topic: Topic, place_id: str) -> Indicator | None:
    """The latest count for the place itself (not a share, not a district)."""
    matching = [i for i in found if i.topic is topic and i.jurisdiction == place_id and i.value.unit is not Unit.RATIO]
    return max(matching, key=lambda i: i.as_of.sort_key(), default=None)

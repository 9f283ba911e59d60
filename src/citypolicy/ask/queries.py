"""The questions analysts ask, as plain functions over a loaded knowledge base.

The CLI, the reports and the site all call these; none of them computes anything on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..core.dates import PartialDate
from ..core.quantity import Bound, Quantity, QuantityError, Unit, format_cny, format_quantity, parse_quantity
from ..load.loader import KnowledgeBase
from ..schema.glossary import NOT_STATED, label
from ..schema.model import (
    CITY_LEVELS,
    COMPUTE_KINDS,
    MAX_MAGNITUDE,
    VOUCHER_KINDS,
    Beneficiary,
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
from ..schema.values import to_json

VOUCHER_CHOICES = ("compute", "training", "corpus", "model", "all")
_KIND_ORDER = [
    InstrumentKind.COMPUTE_VOUCHER,
    InstrumentKind.TRAINING_VOUCHER,
    InstrumentKind.COMPUTE_SUBSIDY,
    InstrumentKind.CORPUS_VOUCHER,
    InstrumentKind.MODEL_VOUCHER,
]


def kinds_for(choice: str) -> set[InstrumentKind]:
    """compute: everything that pays for compute (算力券, 训力券, 算力补贴); all: every voucher too."""
    if choice == "compute":
        return set(COMPUTE_KINDS)
    if choice == "all":
        return set(VOUCHER_KINDS.values()) | set(COMPUTE_KINDS)
    if choice in VOUCHER_KINDS:
        return {VOUCHER_KINDS[choice]}
    raise ValueError(f"unknown voucher kind '{choice}': choose from {', '.join(VOUCHER_CHOICES)}")


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
    instrument: Instrument | None = None
    policy: Policy | None = None


def voucher_rows(kb: KnowledgeBase, kind: str = "all", wanted: list[str] | None = None) -> list[VoucherRow]:
    kinds = kinds_for(kind)
    rows: list[VoucherRow] = []
    for city in cities(kb, wanted):
        found = [i for i in records_in(kb, "instruments", city.id) if isinstance(i, Instrument) and i.kind in kinds]
        if not found:
            rows.append(VoucherRow(city, city))
        order = scope(kb, city.id)
        for instrument in sorted(found, key=lambda i: (order.index(i.jurisdiction), _KIND_ORDER.index(i.kind))):
            policy = kb.policies.get(instrument.policy) if instrument.policy else None
            rows.append(VoucherRow(city, kb.jurisdictions[instrument.jurisdiction], instrument, policy))
    return rows


# --------------------------------------------------------------------------- subsidy calculator

_ENGLISH_MULTIPLIERS = {"k": 10**3, "m": 10**6, "mn": 10**6, "b": 10**9, "bn": 10**9}
_ENGLISH_AMOUNT = re.compile(r"^[¥￥]?\s*(\d+(?:,\d{3})*(?:\.\d+)?)\s*(k|m|mn|b|bn)?\s*(?:yuan|cny|rmb)?$", re.I)


def parse_spend(text: str) -> Decimal:
    """`1200万`, `1.2亿`, `12000000`, `12M`, `¥12,000,000` -> yuan."""
    written = text.strip()
    english = _ENGLISH_AMOUNT.match(written)
    if english:
        value = Decimal(english.group(1).replace(",", ""))
        suffix = (english.group(2) or "").lower()
        amount = value * _ENGLISH_MULTIPLIERS.get(suffix, 1)
    else:
        try:
            quantity = parse_quantity(written, Unit.CNY)
        except QuantityError as error:
            raise ValueError(f"cannot read the spend '{text}': write e.g. 1200万, 1.2亿, 12000000 or 12M") from error
        if quantity.unit is not Unit.CNY or quantity.bound is not Bound.EXACT:
            raise ValueError(f"the spend '{text}' must be one amount of money, e.g. 1200万")
        amount = quantity.value
    if amount <= 0:
        raise ValueError(f"the spend must be more than zero, got '{text}'")
    if amount > MAX_MAGNITUDE:
        raise ValueError(f"the spend '{text}' is larger than any budget (at most 10^18 yuan)")
    return amount


@dataclass
class Payout:
    city: Jurisdiction
    place: Jurisdiction
    instrument: Instrument
    eligible: bool | None  # None: the sources do not say who may claim it
    rate: Quantity | None = None
    tier: Beneficiary | None = None
    gross: Decimal | None = None
    cap: Limit | None = None
    amount: Decimal | None = None
    capped: bool = False
    steps: list[str] = field(default_factory=list)

    @property
    def computable(self) -> bool:
        return self.amount is not None


@dataclass
class SubsidyResult:
    spend: Decimal
    startup: bool
    beneficiary: Beneficiary
    ranked: list[Payout]  # each city's best instrument, highest first
    separate: list[Payout]  # further instruments in a ranked city: stacking not stated
    not_computable: list[Payout]  # rate not stated, or not open to this beneficiary
    without_instrument: list[Jurisdiction]


def subsidy(
    kb: KnowledgeBase,
    spend: Decimal,
    startup: bool = False,
    beneficiary: Beneficiary = Beneficiary.ENTERPRISE,
    wanted: list[str] | None = None,
) -> SubsidyResult:
    ranked: list[Payout] = []
    separate: list[Payout] = []
    not_computable: list[Payout] = []
    without: list[Jurisdiction] = []
    for city in cities(kb, wanted):
        instruments = [
            i for i in records_in(kb, "instruments", city.id) if isinstance(i, Instrument) and i.kind in COMPUTE_KINDS
        ]
        if not instruments:
            without.append(city)
            continue
        payouts = [payout(kb, city, i, spend, startup, beneficiary) for i in instruments]
        good = sorted((p for p in payouts if p.computable and p.eligible is not False), key=lambda p: -p.amount)  # type: ignore[operator]
        not_computable += [p for p in payouts if p not in good]
        if good:
            ranked.append(good[0])
            separate += good[1:]
    ranked.sort(key=lambda p: (-p.amount, p.city.name.en))  # type: ignore[operator]
    return SubsidyResult(spend, startup, beneficiary, ranked, separate, not_computable, without)


def payout(
    kb: KnowledgeBase,
    city: Jurisdiction,
    instrument: Instrument,
    spend: Decimal,
    startup: bool,
    beneficiary: Beneficiary,
) -> Payout:
    place = kb.jurisdictions[instrument.jurisdiction]
    eligible = _eligible(instrument, startup, beneficiary)
    result = Payout(city, place, instrument, eligible)
    if eligible is False:
        who = ", ".join(label(b) for b in instrument.beneficiaries)
        result.steps.append(f"not open to {label(beneficiary)}: the sources name {who}")
        return result
    tier = next((t for t in instrument.tiers if startup and t.group is Beneficiary.STARTUP), None)
    result.rate = tier.rate if tier and tier.rate else instrument.rate
    result.tier = Beneficiary.STARTUP if tier and tier.rate else None
    result.cap = tier.cap if tier and tier.cap else instrument.cap
    if result.rate is None:
        result.steps.append(f"rate {NOT_STATED['en']}")
        return result
    result.gross = _yuan(result.rate.value * spend)
    step = f"{format_quantity(result.rate)} × {format_cny(spend)} = {format_cny(result.gross)}"
    if result.tier is not None:
        step = f"startup rate: {step}"
    result.amount, result.capped, cap_text = _apply_cap(result.gross, result.cap)
    result.steps.append(f"{step}, {cap_text}")
    if eligible is None:
        result.steps.append(f"who may claim it is {NOT_STATED['en']}")
    if result.rate.bound is Bound.AT_MOST:
        most = format_quantity(result.rate).removeprefix("up to ")
        result.steps.append(f"the source says the rate is at most {most}: this is the most it pays")
    return result


def _apply_cap(gross: Decimal, cap: Limit | None) -> tuple[Decimal, bool, str]:
    if cap is None:
        return gross, False, f"cap {NOT_STATED['en']}"
    limit = cap.amount.value
    when = {Period.YEAR: " a year", Period.TOTAL: " in total"}.get(cap.period, "")
    if cap.years:
        limit, when = limit / cap.years, f" a year ({format_cny(cap.amount.value)} over {cap.years} years)"
    period_note = "" if cap.period is not Period.UNSPECIFIED else " (its period is not stated)"
    if gross > limit:
        return _yuan(limit), True, f"capped at {format_cny(limit)}{when}{period_note}"
    return gross, False, f"under the {format_cny(limit)} cap{when}{period_note}"


def _eligible(instrument: Instrument, startup: bool, beneficiary: Beneficiary) -> bool | None:
    named = set(instrument.beneficiaries) | {t.group for t in instrument.tiers}
    if not named:
        return None
    if beneficiary in named:
        return True
    if beneficiary is Beneficiary.ENTERPRISE and startup:
        return Beneficiary.STARTUP in named or Beneficiary.SME in named
    return False


def _yuan(value: Decimal) -> Decimal:
    return (
        value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
        if value != value.to_integral_value()
        else value.quantize(Decimal(1))
    )


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
    instruments: list[Instrument]
    targets: list[Target]
    indicators: list[Indicator]
    institutions: list[Institution]


def profile(kb: KnowledgeBase, place: Jurisdiction) -> Profile:
    return Profile(
        place=place,
        ancestors=kb.ancestors(place.id),
        places=[kb.jurisdictions[p] for p in scope(kb, place.id)],
        policies=sorted(records_in(kb, "policies", place.id), key=_policy_order),  # type: ignore[arg-type]
        instruments=sorted(records_in(kb, "instruments", place.id), key=lambda i: (i.kind.value, i.id)),  # type: ignore[arg-type, attr-defined]
        targets=sorted(records_in(kb, "targets", place.id), key=_deadline_order),  # type: ignore[arg-type]
        indicators=sorted(records_in(kb, "indicators", place.id), key=lambda i: (i.topic.value, str(i.as_of), i.id)),  # type: ignore[arg-type, attr-defined]
        institutions=sorted(records_in(kb, "institutions", place.id), key=lambda i: (i.kind.value, i.id)),  # type: ignore[arg-type, attr-defined]
    )


def _policy_order(policy: Policy) -> tuple:
    return (policy.issued.sort_key() if policy.issued else (PartialDate(9999).start,), policy.id)


def _deadline_order(target: Target) -> tuple:
    return (target.deadline.sort_key() if target.deadline else (PartialDate(9999).start,), target.id)


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


def compare(kb: KnowledgeBase, places: list[Jurisdiction]) -> Comparison:
    profiles = [profile(kb, p) for p in places]
    rows: list[CompareRow] = []
    rows += _instrument_rows(profiles)
    rows += _grouped_rows("indicators", profiles, lambda p: p.indicators, lambda i: i.topic, _indicator_text)
    rows += _grouped_rows("targets", profiles, lambda p: p.targets, lambda t: t.topic, target_text)
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


def instrument_text(instrument: Instrument) -> str:
    parts = [instrument.name.zh]
    if instrument.rate:
        parts.append(format_quantity(instrument.rate))
    for tier in instrument.tiers:
        if tier.rate:
            parts.append(f"{label(tier.group)} {format_quantity(tier.rate)}")
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
    return f"{text} {label(limit.per)}"


def period_suffix(period: Period) -> str:
    return {Period.YEAR: " a year", Period.TOTAL: " in total"}.get(period, "")


def _indicator_text(indicator: Indicator) -> str:
    return f"{indicator.metric.en}: {format_quantity(indicator.value)} ({indicator.as_of.human()})"


def target_text(target: Target) -> str:
    value = format_quantity(target.value) if target.value else "value " + NOT_STATED["en"]
    if target.stretch:
        value += f", striving for {format_quantity(target.stretch)}"
    due = f" by {target.deadline.human()}" if target.deadline else ""
    status = f" — {label(target.status)}" if target.status else ""
    return f"{target.metric.en}: {value}{due}{status}"


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


def calculator_data(kb: KnowledgeBase) -> list[dict[str, object]]:
    """What the site's calculator needs to repeat `subsidy` in the browser, exactly (in fen)."""
    out = []
    for city in cities(kb):
        for instrument in records_in(kb, "instruments", city.id):
            if not isinstance(instrument, Instrument) or instrument.kind not in COMPUTE_KINDS:
                continue
            place = kb.jurisdictions[instrument.jurisdiction]
            out.append(
                {
                    "city": city.id,
                    "cityName": to_json(city.name),
                    "place": place.id,
                    "placeName": to_json(place.name),
                    "id": instrument.id,
                    "name": to_json(instrument.name),
                    "kind": instrument.kind.value,
                    "rate": _basis_points(instrument.rate),
                    "rateAtMost": bool(instrument.rate and instrument.rate.bound is Bound.AT_MOST),
                    "cap": _cap_json(instrument.cap),
                    "tiers": [
                        {"group": t.group.value, "rate": _basis_points(t.rate), "cap": _cap_json(t.cap)}
                        for t in instrument.tiers
                    ],
                    "beneficiaries": [b.value for b in instrument.beneficiaries],
                }
            )
    return out


def _basis_points(rate: Quantity | None) -> int | None:
    """A rate in 1/10000ths; exact for every rate with at most four decimals (50% -> 5000)."""
    if rate is None:
        return None
    scaled = rate.value * 10000
    if scaled != scaled.to_integral_value():
        raise ValueError(f"rate {rate.text} has more precision than the calculator keeps")
    return int(scaled)


def _cap_json(cap: Limit | None) -> dict[str, object] | None:
    if cap is None:
        return None
    return {"fen": str(int(cap.amount.value * 100)), "years": cap.years, "period": cap.period.value}

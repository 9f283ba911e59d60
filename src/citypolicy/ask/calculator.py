"""The subsidy calculator: what a year's spend gets back from each place's vouchers and subsidies.

It never chooses silently. For one applicant (a kind of beneficiary, startup or SME, a class the
source names, named conditions known to hold or not), each instrument's terms become one or more
*cases*:
- terms for a group the applicant belongs to (a startup tier, for an enterprise that is a startup)
  replace the instrument's own; a tier for another group never applies;
- a class or a condition the applicant did not state gives one case per class or condition, each
  labelled with what it assumes ("if class A …", "if …, otherwise …"), never the best one picked;
- a rate that is a range, or not stated, cannot be computed; a cap not stated makes rate × spend an
  upper bound, kept apart from capped amounts.
Each case's arithmetic is exact: money in Decimal yuan, rounded half up to the fen. Ranked answers
are only definite cases (nothing assumed, a cap stated); ties share a rank. The site's calculator
repeats the arithmetic on the cases exported by `calculator_cases`, so both give the same answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from ..core.quantity import Bound, Quantity, QuantityError, Unit, format_cny, format_quantity, parse_quantity
from ..load.loader import KnowledgeBase
from ..schema.glossary import NOT_STATED, label
from ..schema.model import (
    Beneficiary,
    Condition,
    Instrument,
    InstrumentKind,
    Jurisdiction,
    Limit,
    Per,
    Period,
    Pool,
    Tier,
)

if TYPE_CHECKING:
    from .timeline import StatusAt

MAX_SPEND = Decimal(10) ** 12
MIN_SPEND = Decimal("0.01")
GAP = NOT_STATED["en"]


# --------------------------------------------------------------------------- the spend


_ENGLISH_MULTIPLIERS = {"k": 10**3, "m": 10**6, "mn": 10**6, "b": 10**9, "bn": 10**9}
_ENGLISH_AMOUNT = re.compile(r"^[¥￥]?\s*(\d+(?:,\d{3})*(?:\.\d+)?)\s*(k|m|mn|b|bn)?\s*(?:yuan|cny|rmb)?$", re.I)


def parse_spend(text: str) -> Decimal:
    """`1200万`, `1.2亿`, `12000000`, `12M`, `¥12,000,000`, full-width digits -> yuan, from one fen to 10^12."""
    import unicodedata

    written = unicodedata.normalize("NFKC", text).strip()
    if written[:1] in ("-", "\u2212"):
        raise ValueError(f"the spend must be more than zero, got '{text}'")
    english = _ENGLISH_AMOUNT.match(written)
    if english:
        value = Decimal(english.group(1).replace(",", ""))
        amount = value * _ENGLISH_MULTIPLIERS.get((english.group(2) or "").lower(), 1)
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
    if amount < MIN_SPEND:
        raise ValueError(f"the spend '{text}' is less than one fen (¥0.01): no subsidy is paid in smaller units")
    if amount > MAX_SPEND:
        raise ValueError(f"the spend '{text}' is above ¥1,000,000,000,000 (1万亿): no compute budget is that large")
    return amount


def to_fen(value: Decimal) -> Decimal:
    """Half up to the fen; integral amounts stay integral."""
    rounded = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return rounded.quantize(Decimal(1)) if rounded == rounded.to_integral_value() else rounded.normalize()


# --------------------------------------------------------------------------- the applicant


@dataclass(frozen=True)
class Applicant:
    beneficiary: Beneficiary = Beneficiary.ENTERPRISE
    startup: bool = False  # only an enterprise can be a startup or an SME
    sme: bool = False
    applicant_class: str | None = None
    conditions: tuple[tuple[str, bool], ...] = ()  # named conditions known to hold (True) or not (False)

    def condition(self, name: str | None) -> bool | None:
        return dict(self.conditions).get(name) if name else None

    @property
    def groups(self) -> set[Beneficiary]:
        """The beneficiary groups this applicant belongs to."""
        groups = {self.beneficiary}
        if self.beneficiary is Beneficiary.ENTERPRISE:
            groups |= {Beneficiary.STARTUP} if self.startup else set()
            groups |= {Beneficiary.SME} if self.sme else set()
        return groups

    def describe(self, condition_words: dict[str, str] | None = None) -> str:
        """'startup enterprises; class A; model-as-a-service on …: yes': conditions in the source's
        words where `condition_words` (id → English) has them."""
        who = []
        if self.beneficiary is Beneficiary.ENTERPRISE and self.startup:
            who.append("startup")
        if self.beneficiary is Beneficiary.ENTERPRISE and self.sme:
            who.append("SME")
        who.append(label(self.beneficiary))
        extras = [f"class {self.applicant_class.upper()}"] if self.applicant_class else []  # classes match in any case
        words = condition_words or {}
        extras += [f"{words.get(name, name)}: {'yes' if held else 'no'}" for name, held in self.conditions]
        return "; ".join([" ".join(who), *extras])


# --------------------------------------------------------------------------- cases


@dataclass(frozen=True)
class Assumption:
    """What a case assumes about the applicant, in the source's words."""

    zh: str
    en: str
    condition: str | None = None  # the condition's id, for --condition
    holds: bool = True
    key: str | None = None  # for other assumptions: class:A

    @property
    def name(self) -> str:
        """How a calculation case refers to it: the condition's id (not:<id> when it does not hold) or class:A."""
        if self.condition:
            return self.condition if self.holds else f"not:{self.condition}"
        return self.key or self.en

    def text(self, lang: str = "en") -> str:
        words = self.zh if lang == "zh" else self.en
        if self.holds:
            return f"如{words}" if lang == "zh" else f"if {words}"
        return f"如不属于：{words}" if lang == "zh" else f"if not: {words}"


@dataclass
class Case:
    """One set of terms that may apply, and what it pays."""

    assumes: list[Assumption]
    rate: Quantity | None
    cap: Limit | None
    pool: Pool | None
    tier_label: str | None = None  # "terms for startups", "class A"
    gross: Decimal | None = None
    amount: Decimal | None = None
    bound: Bound = Bound.EXACT
    capped: bool = False
    steps: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    @property
    def definite(self) -> bool:
        return not self.assumes and self.amount is not None and self.cap is not None

    @property
    def cap_unknown(self) -> bool:
        return self.amount is not None and self.cap is None


@dataclass
class Payout:
    city: Jurisdiction
    place: Jurisdiction
    instrument: Instrument
    eligible: bool | None  # None: the sources do not say who may claim it
    cases: list[Case] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)  # why it is not open, when it is not

    @property
    def best_definite(self) -> Case | None:
        definite = [c for c in self.cases if c.definite]
        return max(definite, key=lambda c: c.amount, default=None)  # type: ignore[arg-type, return-value]


def cases_for(instrument: Instrument, applicant: Applicant) -> tuple[bool | None, list[Case], list[str]]:
    """Eligibility, the cases that may apply to this applicant (before any spend), and why not."""
    eligible = _eligible(instrument, applicant)
    if eligible is False:
        who = ", ".join(label(b) for b in _named(instrument)) or GAP
        return False, [], [f"not open to {applicant.describe()}: the sources name {who}"]
    cases = [Case([], instrument.rate, instrument.cap, instrument.pool)]
    if instrument.condition is not None:
        held = applicant.condition(instrument.condition.id)
        if held is False:
            return False, [], [f"applies only if {instrument.condition.en}, which does not hold"]
        if held is None:
            cases = [_assume(c, instrument.condition) for c in cases]
    cases, why = _apply_tiers(instrument.tiers, applicant, cases)
    if not cases:
        return False, [], why
    return eligible, cases, []


def _named(instrument: Instrument) -> list[Beneficiary]:
    named = list(instrument.beneficiaries)
    named += [t.group for t in instrument.tiers if t.group is not None and t.group not in named]
    return named


def _eligible(instrument: Instrument, applicant: Applicant) -> bool | None:
    named = set(_named(instrument))
    if not named:
        return None
    return bool(named & applicant.groups)


def _apply_tiers(tiers: list[Tier], applicant: Applicant, cases: list[Case]) -> tuple[list[Case], list[str]]:
    for tier in tiers:
        if tier.group in applicant.groups and tier.applicant_class is None and tier.condition is None:
            cases = [_override(c, tier, f"terms for {label(tier.group)}") for c in cases]
    classes = [t for t in tiers if t.applicant_class is not None and (t.group is None or t.group in applicant.groups)]
    if classes:
        cases, why = _by_class(classes, applicant, cases)
        if not cases:
            return [], why
    conditional = [t for t in tiers if t.condition is not None and t.applicant_class is None and t.group is None]
    return _by_condition(conditional, applicant, cases), []


def _by_class(classes: list[Tier], applicant: Applicant, cases: list[Case]) -> tuple[list[Case], list[str]]:
    if applicant.applicant_class is not None:
        wanted = applicant.applicant_class.strip().lower()
        chosen = [t for t in classes if str(t.applicant_class).lower() == wanted]
        if not chosen:
            named = ", ".join(str(t.applicant_class) for t in classes)
            return [], [f"no class {applicant.applicant_class}: the sources name classes {named}"]
        return [_override(c, chosen[0], _class_label(chosen[0])) for c in cases], []
    return [_override(_assume_class(c, t), t, _class_label(t)) for c in cases for t in classes], []


def _class_label(tier: Tier, lang: str = "en") -> str:
    name = f" ({tier.name.zh if lang == 'zh' else tier.name.en})" if tier.name else ""
    return f"{tier.applicant_class}类{name}" if lang == "zh" else f"class {tier.applicant_class}{name}"


def _by_condition(tiers: list[Tier], applicant: Applicant, cases: list[Case]) -> list[Case]:
    unknown = []
    for tier in tiers:
        assert tier.condition is not None
        held = applicant.condition(tier.condition.id)
        if held is True:
            return [_override(c, tier, tier.condition.en) for c in cases]
        if held is None:
            unknown.append(tier)
    if not unknown:
        return cases
    alternatives = [_override(_assume(c, t.condition), t, t.condition.en) for c in cases for t in unknown]  # type: ignore[arg-type]
    otherwise = [c for c in cases if c.rate is not None]
    for tier in unknown:
        assert tier.condition is not None
        otherwise = [_assume(c, tier.condition, holds=False) for c in otherwise]
    return alternatives + otherwise


def _override(case: Case, tier: Tier, tier_label: str) -> Case:
    return replace(
        case,
        rate=tier.rate or case.rate,
        cap=tier.cap or case.cap,
        pool=tier.pool or case.pool,
        tier_label=tier_label,
        steps=[],
        flags=[],
    )


def _assume(case: Case, condition: Condition, holds: bool = True) -> Case:
    assumption = Assumption(condition.zh, condition.en, condition.id, holds)
    return replace(case, assumes=[*case.assumes, assumption], steps=[], flags=[])


def _assume_class(case: Case, tier: Tier) -> Case:
    assumption = Assumption(
        f"申请主体属于{_class_label(tier, 'zh')}",
        f"the applicant is {_class_label(tier)}",
        key=f"class:{tier.applicant_class}",
    )
    return replace(case, assumes=[*case.assumes, assumption], steps=[], flags=[])


# --------------------------------------------------------------------------- arithmetic


def compute_case(case: Case, spend: Decimal) -> Case:
    """Fill in what a case pays for `spend`, with every step in words."""
    case = replace(case, steps=[], flags=[])
    prefix = f"{case.tier_label}: " if case.tier_label else ""
    if case.rate is None:
        case.steps.append(f"{prefix}rate {GAP}")
        return case
    if case.rate.bound is Bound.RANGE:
        case.steps.append(f"{prefix}the rate is a range ({format_quantity(case.rate)}): which end applies is {GAP}")
        return case
    case.gross = to_fen(case.rate.value * spend)
    case.bound = case.rate.bound if case.rate.bound in (Bound.AT_MOST, Bound.AT_LEAST, Bound.APPROX) else Bound.EXACT
    arithmetic = f"{prefix}{format_quantity(case.rate)} × {format_cny(spend)} = {format_cny(case.gross)}"
    case.amount, case.capped, cap_words = _apply_cap(case.gross, case.cap)
    if case.cap is None:
        case.bound = Bound.AT_MOST
    case.steps.append(f"{arithmetic}, {cap_words}")
    if case.rate.bound is Bound.AT_MOST:
        case.steps.append(
            f"the rate is at most {format_quantity(case.rate).removeprefix('up to ')}: it pays up to this"
        )
    if case.cap is not None and case.cap.relaxable is not None:
        case.flags.append(f"the cap can be relaxed: {case.cap.relaxable.en}")
    if case.pool is not None and case.amount > case.pool.amount.value:
        case.flags.append(f"the pool ({_pool_text(case.pool)}) is smaller than this payout")
    return case


def _apply_cap(gross: Decimal, cap: Limit | None) -> tuple[Decimal, bool, str]:
    if cap is None:
        return gross, False, f"cap {GAP}: rate × spend is an upper bound"
    limit = cap.amount.value
    words = _cap_words(cap)
    if gross > limit:
        return to_fen(limit), True, f"capped at {format_cny(limit)}{words}"
    return gross, False, f"under the {format_cny(limit)} cap{words}"


def _cap_words(cap: Limit) -> str:
    if cap.years:
        when = f" over {cap.years} years (how it is spread over the years is {GAP})"
    else:
        when = {Period.YEAR: " a year", Period.TOTAL: " in total"}.get(cap.period, f" (its period is {GAP})")
    per = {
        Per.CONTRACT: " per contract (the spend is taken as one contract)",
        Per.PROJECT: " per project (the spend is taken as one project)",
        Per.PERSON: " per person",
    }.get(cap.per, "")
    return f"{when}{per}"


def _pool_text(pool: Pool) -> str:
    return format_quantity(pool.amount) + {Period.YEAR: " a year", Period.TOTAL: " in total"}.get(pool.period, "")


# --------------------------------------------------------------------------- the answer


@dataclass
class SubsidyResult:
    spend: Decimal
    applicant: Applicant
    kinds: list[InstrumentKind]
    ranked: list[tuple[int, Payout, Case]]  # (rank, payout, its definite case): each place's best, ties share a rank
    separate: list[tuple[Payout, Case]]  # other definite payouts in a ranked place: stacking not stated
    conditional: list[Payout]  # cases that depend on a class or condition the applicant did not state
    cap_not_stated: list[tuple[Payout, Case]]  # rate × spend, an upper bound: never ranked
    not_computable: list[Payout]  # rate not stated, a range, or not open to this applicant
    without_instrument: list[Jurisdiction]
    notes: list[str] = field(default_factory=list)
    #: (city, instrument, its status): instruments of the kinds asked about not in force on --as-of
    not_in_force: list[tuple[Jurisdiction, Instrument, StatusAt]] = field(default_factory=list)

    @property
    def startup(self) -> bool:
        return self.applicant.startup

    @property
    def beneficiary(self) -> Beneficiary:
        return self.applicant.beneficiary


def subsidy(
    kb: KnowledgeBase,
    spend: Decimal,
    applicant: Applicant | None = None,
    wanted: list[str] | None = None,
    kinds: Iterable[InstrumentKind] | None = None,
    as_of: object = None,
) -> SubsidyResult:
    from . import queries, timeline

    applicant = applicant or Applicant()
    chosen = sorted(set(kinds) if kinds else queries.kinds_for("compute"), key=queries.kind_order)
    result = SubsidyResult(spend, applicant, chosen, [], [], [], [], [], [])
    best: list[tuple[Payout, Case]] = []
    in_scope: dict[str, list[Instrument]] = {}
    for city in queries.cities(kb, wanted):
        in_scope[city.id] = []
        for i in queries.records_in(kb, "instruments", city.id):
            if not isinstance(i, Instrument) or i.kind not in chosen:
                continue
            found = timeline.status(kb, i, as_of)
            if timeline.is_in_force(found) is False:
                result.not_in_force.append((city, i, found))  # said, never dropped silently
            else:
                in_scope[city.id].append(timeline.terms_at(i, as_of))
    _check_names(applicant, [i for found in in_scope.values() for i in found], list(kb.instruments.values()))
    for city in queries.cities(kb, wanted):
        instruments = in_scope[city.id]
        if not instruments:
            if not any(c.id == city.id for c, _, _ in result.not_in_force):
                result.without_instrument.append(city)
            continue
        payouts = [payout(kb, city, i, spend, applicant) for i in instruments]
        definite = sorted(((p, p.best_definite) for p in payouts if p.best_definite), key=lambda x: -x[1].amount)  # type: ignore[union-attr]
        if definite:
            best.append(definite[0])  # type: ignore[arg-type]
            result.separate += definite[1:]  # type: ignore[arg-type]
        for p in payouts:
            _sort_rest(p, result)
    result.ranked = _ranks(best)
    result.notes = _notes(result, spend)
    return result


def _check_names(applicant: Applicant, instruments: list[Instrument], every: list[Instrument]) -> None:
    """A class or condition no instrument asked about names is a typo, not an answer: refused, with
    the kinds (--kind) whose instruments do name it."""

    def conditions_of(found: list[Instrument]) -> set[str]:
        return {c.id for i in found for c in [i.condition, *(t.condition for t in i.tiers)] if c is not None and c.id}

    def classes_of(found: list[Instrument]) -> set[str]:
        return {t.applicant_class.upper() for i in found for t in i.tiers if t.applicant_class}

    for name, _ in applicant.conditions:
        if name not in conditions_of(instruments):
            naming = [i for i in every if name in conditions_of([i])]
            _refuse("condition", name, sorted(conditions_of(instruments)), naming)
    wanted = (applicant.applicant_class or "").upper()
    if wanted and wanted not in classes_of(instruments):
        naming = [i for i in every if wanted in classes_of([i])]
        _refuse("class", applicant.applicant_class, sorted(classes_of(instruments)), naming)


def _refuse(what: str, name: str, known: list[str], naming: list[Instrument]) -> None:
    """No instrument of the kinds asked about names it: say which kinds do, if any."""
    from ..schema.glossary import INSTRUMENT_KINDS
    from .resolve import NotFound

    kinds = sorted({i.kind.value for i in naming})
    options = ", ".join(f"--kind {INSTRUMENT_KINDS[k].choice or k}" for k in kinds)
    owners = " and the ".join(INSTRUMENT_KINDS[k].en for k in kinds)
    hint = f"; it is a {what} of the {owners}: ask with {options}" if kinds else None
    raise NotFound(f"{what} of the instruments asked about", name, known[:8], hint)


def payout(
    kb: KnowledgeBase, city: Jurisdiction, instrument: Instrument, spend: Decimal, applicant: Applicant
) -> Payout:
    eligible, cases, why = cases_for(instrument, applicant)
    result = Payout(city, kb.jurisdictions[instrument.jurisdiction], instrument, eligible, steps=why)
    result.cases = [compute_case(c, spend) for c in cases]
    if eligible is None:
        for case in result.cases:
            case.flags.append(f"who may claim it is {GAP}")
    return result


def _sort_rest(p: Payout, result: SubsidyResult) -> None:
    if any(c.assumes for c in p.cases):
        result.conditional.append(p)
    for case in p.cases:
        if not case.assumes and case.cap_unknown:
            result.cap_not_stated.append((p, case))
    if not p.cases or all(c.amount is None for c in p.cases):
        result.not_computable.append(p)


def _ranks(best: list[tuple[Payout, Case]]) -> list[tuple[int, Payout, Case]]:
    ordered = sorted(best, key=lambda x: (-x[1].amount, x[0].city.name.en))  # type: ignore[operator]
    ranked: list[tuple[int, Payout, Case]] = []
    for position, (p, case) in enumerate(ordered, start=1):
        rank = ranked[-1][0] if ranked and ranked[-1][2].amount == case.amount else position
        ranked.append((rank, p, case))
    return ranked


def _notes(result: SubsidyResult, spend: Decimal) -> list[str]:
    notes = []
    if result.applicant.beneficiary is not Beneficiary.ENTERPRISE and (
        result.applicant.startup or result.applicant.sme
    ):
        notes.append(f"startup and SME terms apply to enterprises only, not to {label(result.applicant.beneficiary)}")
    definite = [case for _, _, case in result.ranked] + [case for _, case in result.separate]
    if definite and all(case.capped for case in definite):
        reach = max(_cap_reached_at(case) for case in definite)
        notes.append(f"every ranked instrument is capped at this spend: above {format_cny(reach)} none pays more")
    return notes


def _cap_reached_at(case: Case) -> Decimal:
    assert case.cap is not None and case.rate is not None
    return to_fen(case.cap.amount.value / case.rate.value) if case.rate.value else case.cap.amount.value


# --------------------------------------------------------------------------- for the site


SITE_APPLICANTS = (
    ("enterprise", Applicant(Beneficiary.ENTERPRISE)),
    ("startup", Applicant(Beneficiary.ENTERPRISE, startup=True)),
    ("university", Applicant(Beneficiary.UNIVERSITY)),
    ("research_institute", Applicant(Beneficiary.RESEARCH_INSTITUTE)),
)


def calculator_cases(kb: KnowledgeBase, as_of: object = None) -> list[dict[str, object]]:
    """What the site's calculator needs to repeat `subsidy` in the browser, exactly: for every
    compute instrument in force and every applicant the page offers, the cases (rate in 1/10000ths,
    caps and pools in fen). Only the arithmetic and the grouping are left to the page."""
    from . import queries, timeline

    out = []
    for city in queries.cities(kb):
        for record in queries.records_in(kb, "instruments", city.id):
            if not isinstance(record, Instrument) or record.kind not in queries.kinds_for("compute"):
                continue
            if timeline.in_force(kb, record, as_of) is False:
                continue
            instrument = timeline.terms_at(record, as_of)
            place = kb.jurisdictions[instrument.jurisdiction]
            out.append(
                {
                    "city": city.id,
                    "cityName": {"zh": city.name.zh, "en": city.name.en},
                    "place": place.id,
                    "placeName": {"zh": place.name.zh, "en": place.name.en},
                    "id": instrument.id,
                    "name": {"zh": instrument.name.zh, "en": instrument.name.en},
                    "applicants": {key: _site_cases(instrument, who) for key, who in SITE_APPLICANTS},
                }
            )
    return out


def _site_cases(instrument: Instrument, applicant: Applicant) -> dict[str, object]:
    eligible, cases, why = cases_for(instrument, applicant)
    return {"eligible": eligible, "why": why, "cases": [_site_case(c) for c in cases]}


def _site_case(case: Case) -> dict[str, object]:
    return {
        "assumes": [{"zh": a.zh, "en": a.en, "name": a.name, "holds": a.holds} for a in case.assumes],
        "terms": case.tier_label,
        "rateBp": _basis_points(case.rate),
        "rateBound": case.rate.bound.value if case.rate else None,
        "rateText": format_quantity(case.rate) if case.rate else None,
        "cap": None
        if case.cap is None
        else {
            "fen": str(int(case.cap.amount.value * 100)),
            "years": case.cap.years,
            "period": case.cap.period.value,
            "per": case.cap.per.value,
        },
        "poolFen": str(int(case.pool.amount.value * 100)) if case.pool else None,
    }


def _basis_points(rate: Quantity | None) -> int | None:
    """A rate in 1/10000ths; exact for every rate with at most four decimals (50% -> 5000)."""
    if rate is None or rate.bound is Bound.RANGE:
        return None
    scaled = rate.value * 10000
    if scaled != scaled.to_integral_value():
        raise ValueError(f"rate {rate.text} has more precision than the calculator keeps")
    return int(scaled)

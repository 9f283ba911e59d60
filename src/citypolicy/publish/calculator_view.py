"""The calculator's words in Chinese: the rows the vouchers page writes for readers without
JavaScript, and the Chinese the page's script needs beside the cases it computes.

The arithmetic and the rules stay in ask/calculator.py (and its repetition in calculator.js): this
module reads a computed Case (its rate, cap, gross and amount) and says in Chinese what the
calculator says in English (`compute_case`'s steps and `payout`'s flags), step for step.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..ask import timeline
from ..ask.calculator import SITE_APPLICANTS, Applicant, Case, Payout, SubsidyResult, cases_for
from ..ask.subsidy_view import pays_text
from ..core.quantity import Bound, format_cny, format_quantity
from ..load.loader import KnowledgeBase
from ..schema.glossary import label
from ..schema.model import Beneficiary, Instrument, Limit, Per, Period, Pool, Tier

Pair = tuple[str, str]  # (en, zh)

_ZH_BOUND = {Bound.AT_MOST: "最高", Bound.AT_LEAST: "至少", Bound.APPROX: "约"}
_ZH_PERIOD = {Period.YEAR: "（每年）", Period.TOTAL: "（总额）"}
_ZH_PER = {
    Per.CONTRACT: "（每份合同，支出按一份合同计）",
    Per.PROJECT: "（每个项目，支出按一个项目计）",
    Per.PERSON: "（每人）",
}


@dataclass
class Line:
    """One payout as the page writes it: what it pays and how, in both languages."""

    payout: Payout
    case: Case
    pays: Pair
    how: Pair
    assumes: Pair | None = None


def pays(case: Case) -> Pair:
    if case.amount is None:
        return "", ""
    return pays_text(case), _ZH_BOUND.get(case.bound, "") + format_cny(case.amount)


def how(payout: Payout, case: Case, spend: Decimal) -> Pair:
    """The calculator's steps and flags, joined: the English as `subsidy` prints them."""
    return "; ".join(case.steps + case.flags), "；".join(steps_zh(payout, case, spend))


def steps_zh(payout: Payout, case: Case, spend: Decimal) -> list[str]:
    """compute_case's steps and payout's flags, in Chinese, one for one."""
    prefix = _tier_prefix(payout.instrument, case.tier_label)
    rate = case.rate
    if rate is None:
        return [f"{prefix}比例来源未说明"]
    if rate.bound is Bound.RANGE:
        return [f"{prefix}比例为区间（{format_quantity(rate, 'zh')}），适用哪一端来源未说明"]
    assert case.gross is not None and case.amount is not None
    arithmetic = f"{prefix}{format_quantity(rate, 'zh')} × {format_cny(spend)} = {format_cny(case.gross)}"
    steps = [f"{arithmetic}，{_cap_zh(case)}"]
    if rate.bound is Bound.AT_MOST:
        steps.append(f"比例最高为{format_quantity(rate, 'zh').removeprefix('最高')}：补贴额最高为此数")
    if case.cap is not None and case.cap.relaxable is not None:
        steps.append(f"上限可放宽：{case.cap.relaxable.zh}")
    if case.pool is not None and case.amount > case.pool.amount.value:
        steps.append(f"资金规模（{_pool_zh(case.pool)}）小于该补贴额")
    if payout.eligible is None:
        steps.append("适用对象来源未说明")
    return steps


def _cap_zh(case: Case) -> str:
    if case.cap is None:
        return "上限来源未说明：比例×支出为上限估计"
    words = f"{format_cny(case.cap.amount.value)}{_cap_when(case.cap)}{_ZH_PER.get(case.cap.per, '')}"
    return f"超过上限，按{words}封顶" if case.capped else f"未超过{words}的上限"


def _cap_when(cap: Limit) -> str:
    if cap.years:
        return f"（{cap.years}年合计，各年如何分配来源未说明）"
    return _ZH_PERIOD.get(cap.period, "（期限来源未说明）")


def _pool_zh(pool: Pool) -> str:
    return format_quantity(pool.amount, "zh") + _ZH_PERIOD.get(pool.period, "")


def _tier_prefix(instrument: Instrument, tier_label: str | None) -> str:
    """The Chinese for the calculator's tier label ("terms for startups", "class A (…)", a condition)."""
    if not tier_label:
        return ""
    for tier in instrument.tiers:
        if tier_label in _tier_labels_en(tier):
            return f"{_tier_zh(tier)}："
    raise ValueError(f"{instrument.id}: no tier is labelled '{tier_label}'")


def _tier_labels_en(tier: Tier) -> set[str]:
    """What the calculator calls the terms of this tier (ask/calculator.py `_apply_tiers`)."""
    found = set()
    if tier.group is not None:
        found.add(f"terms for {label(tier.group)}")
    if tier.applicant_class is not None:
        found.add(f"class {tier.applicant_class}" + (f" ({tier.name.en})" if tier.name else ""))
    if tier.condition is not None:
        found.add(tier.condition.en)
    return found


def _tier_zh(tier: Tier) -> str:
    if tier.group is not None and tier.applicant_class is None and tier.condition is None:
        return f"{label(tier.group, 'zh')}条款"
    return tier.describe("zh")


# --------------------------------------------------------------------------- the page's rows


@dataclass
class ServerRows:
    """The calculator's answer for the form's default, as the page writes it without JavaScript."""

    ranked: list[tuple[int, Line]]
    conditional: list[Line]
    cap_not_stated: list[Line]


def server_rows(result: SubsidyResult) -> ServerRows:
    spend = result.spend

    def line(p: Payout, case: Case) -> Line:
        assumed = None
        if case.assumes:
            assumed = ("; ".join(a.text() for a in case.assumes), "；".join(a.text("zh") for a in case.assumes))
        return Line(p, case, pays(case), how(p, case, spend), assumed)

    return ServerRows(
        ranked=[(rank, line(p, case)) for rank, p, case in result.ranked],
        conditional=[line(p, case) for p in result.conditional for case in p.cases if case.assumes],
        cap_not_stated=[line(p, case) for p, case in result.cap_not_stated],
    )


# --------------------------------------------------------------------------- the script's data


def with_chinese(kb: KnowledgeBase, cases: list[dict[str, object]], as_of: object = None) -> list[dict[str, object]]:
    """calculator_cases' data, each case with its rate as Chinese writes it (`rateTextZh`) and each
    applicant's reasons in Chinese (`whyZh`): the script computes, these are only words."""
    applicants = dict(SITE_APPLICANTS)
    for entry in cases:
        instrument = timeline.terms_at(kb.instruments[str(entry["id"])], as_of)
        rules_by_applicant = entry["applicants"]
        assert isinstance(rules_by_applicant, dict)
        for key, rules in rules_by_applicant.items():
            eligible, found, _ = cases_for(instrument, applicants[key])
            for shown, case in zip(rules["cases"], found, strict=True):
                shown["rateTextZh"] = format_quantity(case.rate, "zh") if case.rate else None
            rules["whyZh"] = [_not_open_zh(instrument, applicants[key])] if eligible is False else []
    return cases


def _not_open_zh(instrument: Instrument, applicant: Applicant) -> str:
    named = list(instrument.beneficiaries) + [t.group for t in instrument.tiers if t.group is not None]
    names = "、".join(dict.fromkeys(label(b, "zh") for b in named)) or "来源未说明"
    return f"不适用于{_applicant_zh(applicant)}：来源列明的适用对象为{names}"


def _applicant_zh(applicant: Applicant) -> str:
    if applicant.beneficiary is Beneficiary.ENTERPRISE and applicant.startup:
        return "初创企业"
    return label(applicant.beneficiary, "zh")

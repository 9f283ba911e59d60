"""The calculator's rules and arithmetic, in process (fast enough to run once per mutant).

Synthetic instruments, validated by the schema, exercise each rule: who may claim, which tier applies,
which cases a class or a condition opens, the cap's period and unit, caps not stated, ranges, pools;
the fixture knowledge base exercises the grouping of a whole answer. Every assertion is a whole
value: amounts to the fen, whole step lists, whole groups.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from helpers import PROJECT

from citypolicy.ask.calculator import (
    MAX_SPEND,
    Applicant,
    Assumption,
    calculator_cases,
    cases_for,
    compute_case,
    parse_spend,
    subsidy,
    to_fen,
)
from citypolicy.core.quantity import Bound
from citypolicy.load.loader import load
from citypolicy.schema.model import Beneficiary, Instrument

D = Decimal
FIXTURE = PROJECT / "tests" / "fixtures" / "vouchers_kb"
SOURCE = [{"document": "x.txt", "quote": "a quote of the source"}]


def instrument(**fields: object) -> Instrument:
    base = {"id": "x", "jurisdiction": "p", "kind": "compute_voucher", "name": {"zh": "券", "en": "voucher"}}
    return Instrument.model_validate({**base, "sources": SOURCE, **fields})


def computed(item: Instrument, spend: int | str, applicant: Applicant | None = None) -> list[tuple]:
    """(assumptions, amount, bound, capped) of each case."""
    _, cases, _ = cases_for(item, applicant or Applicant())
    out = []
    for case in cases:
        done = compute_case(case, D(spend))
        out.append(([a.name for a in done.assumes], done.amount, done.bound, done.capped))
    return out


@pytest.fixture(scope="module")
def kb():  # type: ignore[no-untyped-def]
    knowledge, problems = load(FIXTURE)
    assert problems == []
    return knowledge


# --------------------------------------------------------------------------- who may claim


@pytest.mark.parametrize(
    ("named", "applicant", "expected"),
    [
        ([], Applicant(), None),
        (["enterprise"], Applicant(), True),
        (["enterprise"], Applicant(Beneficiary.UNIVERSITY), False),
        (["startup"], Applicant(), False),
        (["startup"], Applicant(startup=True), True),
        (["sme"], Applicant(startup=True), False),
        (["sme"], Applicant(sme=True), True),
        (["startup"], Applicant(Beneficiary.UNIVERSITY, startup=True), False),
        (["university", "research_institute"], Applicant(Beneficiary.RESEARCH_INSTITUTE), True),
    ],
)
def test_who_may_claim(named: list[str], applicant: Applicant, expected: bool | None) -> None:
    eligible, cases, why = cases_for(instrument(rate="50%", beneficiaries=named), applicant)
    assert eligible is expected
    assert (len(cases), bool(why)) == ((0, True) if expected is False else (1, False))


def test_why_not_names_who_may_claim() -> None:
    _, _, why = cases_for(
        instrument(rate="50%", beneficiaries=["enterprise", "sme"]), Applicant(Beneficiary.INDIVIDUAL)
    )
    assert why == ["not open to individuals: the sources name enterprises, SMEs"]


def test_a_tier_group_counts_as_named() -> None:
    item = instrument(rate="50%", tiers=[{"group": "startup", "rate": "60%"}])
    assert cases_for(item, Applicant(startup=True))[0] is True
    assert cases_for(item, Applicant())[0] is False


# --------------------------------------------------------------------------- tiers


def test_group_terms_replace_the_instruments_own() -> None:
    item = instrument(
        rate="最高50%",
        cap={"amount": "最高1000万元"},
        beneficiaries=["enterprise"],
        tiers=[
            {"group": "startup", "rate": "最高60%"},
            {"group": "sme", "rate": "最高55%", "cap": {"amount": "最高500万元"}},
        ],
    )
    assert computed(item, 10_000_000) == [([], D(5_000_000), Bound.AT_MOST, False)]
    assert computed(item, 10_000_000, Applicant(startup=True)) == [([], D(6_000_000), Bound.AT_MOST, False)]
    assert computed(item, 10_000_000, Applicant(sme=True)) == [([], D(5_000_000), Bound.AT_MOST, True)]
    _, (case,), _ = cases_for(item, Applicant(startup=True))
    assert case.tier_label == "terms for startups" and case.cap is not None and case.cap.amount.value == 10_000_000


def test_classes_unstated_give_one_case_each_stated_give_one() -> None:
    item = instrument(
        kind="labelling_voucher",
        beneficiaries=["enterprise"],
        tiers=[
            {"class": "A", "rate": "最高80%", "cap": {"amount": "最高300万元"}},
            {"class": "B", "rate": "最高15%", "cap": {"amount": "最高500万元"}},
        ],
    )
    assert computed(item, 10_000_000) == [
        (["class:A"], D(3_000_000), Bound.AT_MOST, True),
        (["class:B"], D(1_500_000), Bound.AT_MOST, False),
    ]
    assert computed(item, 10_000_000, Applicant(applicant_class="b")) == [([], D(1_500_000), Bound.AT_MOST, False)]
    eligible, cases, why = cases_for(item, Applicant(applicant_class="C"))
    assert (eligible, cases, why) == (False, [], ["no class C: the sources name classes A, B"])


def test_classes_of_another_group_open_no_cases() -> None:
    item = instrument(
        kind="labelling_voucher",
        tiers=[
            {"group": "enterprise", "class": "A", "rate": "最高80%"},
            {"group": "university", "class": "B", "rate": "最高15%"},
        ],
    )
    assert computed(item, 1_000_000) == [(["class:A"], D(800_000), Bound.AT_MOST, False)]
    assert computed(item, 1_000_000, Applicant(Beneficiary.UNIVERSITY)) == [
        (["class:B"], D(150_000), Bound.AT_MOST, False)
    ]


def test_conditions_unstated_are_cases_stated_are_applied() -> None:
    item = instrument(
        rate="最高20%",
        cap={"amount": "最高800万元", "period": "year"},
        beneficiaries=["enterprise"],
        tiers=[{"condition": {"id": "maas", "zh": "模型即服务", "en": "model as a service"}, "rate": "最高30%"}],
    )
    assert computed(item, 10_000_000) == [
        (["maas"], D(3_000_000), Bound.AT_MOST, False),
        (["not:maas"], D(2_000_000), Bound.AT_MOST, False),
    ]
    holds = Applicant(conditions=(("maas", True),))
    assert computed(item, 10_000_000, holds) == [([], D(3_000_000), Bound.AT_MOST, False)]
    fails = Applicant(conditions=(("maas", False),))
    assert computed(item, 10_000_000, fails) == [([], D(2_000_000), Bound.AT_MOST, False)]


def test_without_own_terms_only_the_conditions_lines_remain() -> None:
    item = instrument(
        beneficiaries=["enterprise"],
        tiers=[
            {"condition": {"id": "a", "zh": "甲", "en": "A"}, "rate": "30%"},
            {"condition": {"id": "b", "zh": "乙", "en": "B"}, "rate": "20%"},
        ],
    )
    assert computed(item, 1_000_000) == [
        (["a"], D(300_000), Bound.AT_MOST, False),
        (["b"], D(200_000), Bound.AT_MOST, False),
    ]
    assert computed(item, 1_000_000, Applicant(conditions=(("a", False),))) == [
        (["b"], D(200_000), Bound.AT_MOST, False)
    ]


def test_a_condition_on_the_whole_instrument() -> None:
    item = instrument(
        rate="30%", cap={"amount": "最高100万元"}, condition={"id": "filed", "zh": "已备案", "en": "filed"}
    )
    assert computed(item, 1_000_000) == [(["filed"], D(300_000), Bound.EXACT, False)]
    assert computed(item, 1_000_000, Applicant(conditions=(("filed", True),))) == [([], D(300_000), Bound.EXACT, False)]
    eligible, cases, why = cases_for(item, Applicant(conditions=(("filed", False),)))
    assert (eligible, cases, why) == (False, [], ["applies only if filed, which does not hold"])


def test_assumptions_in_words() -> None:
    holds, fails = Assumption("甲", "A", "a"), Assumption("甲", "A", "a", holds=False)
    assert (holds.text(), holds.text("zh"), holds.name) == ("if A", "如甲", "a")
    assert (fails.text(), fails.text("zh"), fails.name) == ("if not: A", "如不属于：甲", "not:a")
    assert Assumption("乙", "B", key="class:B").name == "class:B"


# --------------------------------------------------------------------------- arithmetic


def _steps(item: Instrument, spend: str, applicant: Applicant | None = None) -> list[str]:
    _, (case,), _ = cases_for(item, applicant or Applicant())
    done = compute_case(case, parse_spend(spend))
    return [*done.steps, *done.flags]


@pytest.mark.parametrize(
    ("cap", "spend", "steps"),
    [
        (None, "100万", ["30% × ¥1,000,000 = ¥300,000, cap not stated in the sources: rate × spend is an upper bound"]),
        (
            {"amount": "最高10万元", "period": "year"},
            "100万",
            ["30% × ¥1,000,000 = ¥300,000, capped at ¥100,000 a year"],
        ),
        (
            {"amount": "最高50万元", "period": "total"},
            "100万",
            ["30% × ¥1,000,000 = ¥300,000, under the ¥500,000 cap in total"],
        ),
        (
            {"amount": "最高10万元"},
            "100万",
            ["30% × ¥1,000,000 = ¥300,000, capped at ¥100,000 (its period is not stated in the sources)"],
        ),
        (
            {"amount": "180万元", "per": "person", "period": "total", "over": "5年"},
            "1000万",
            [
                "30% × ¥10,000,000 = ¥3,000,000, capped at ¥1,800,000 over 5 years (how it is spread over the years "
                "is not stated in the sources) per person"
            ],
        ),
        (
            {"amount": "最高20万元", "per": "contract", "period": "year"},
            "100万",
            [
                "30% × ¥1,000,000 = ¥300,000, capped at ¥200,000 a year per contract "
                "(the spend is taken as one contract)"
            ],
        ),
        (
            {"amount": "最高40万元", "per": "project", "period": "year"},
            "100万",
            [
                "30% × ¥1,000,000 = ¥300,000, under the ¥400,000 cap a year per project "
                "(the spend is taken as one project)"
            ],
        ),
        (
            {
                "amount": "最高30万元",
                "period": "year",
                "relaxable": {"zh": "重大项目可放宽", "en": "for major projects"},
            },
            "100万",
            [
                "30% × ¥1,000,000 = ¥300,000, under the ¥300,000 cap a year",
                "the cap can be relaxed: for major projects",
            ],
        ),
    ],
)
def test_whole_steps_for_each_kind_of_cap(cap: dict | None, spend: str, steps: list[str]) -> None:
    item = instrument(rate="30%", beneficiaries=["enterprise"], **({"cap": cap} if cap else {}))
    assert _steps(item, spend) == steps


def test_bounds_of_a_payout() -> None:
    def bound(rate: str, cap: bool = True) -> tuple[Decimal | None, Bound]:
        item = instrument(rate=rate, **({"cap": {"amount": "最高1亿元"}} if cap else {}))
        _, (case,), _ = cases_for(item, Applicant())
        done = compute_case(case, D(1_000_000))
        return done.amount, done.bound

    assert bound("30%") == (D(300_000), Bound.EXACT)
    assert bound("最高30%") == (D(300_000), Bound.AT_MOST)
    assert bound("30%以上") == (D(300_000), Bound.AT_LEAST)
    assert bound("约30%") == (D(300_000), Bound.APPROX)
    assert bound("30%", cap=False) == (D(300_000), Bound.AT_MOST)
    assert bound("20%—30%") == (None, Bound.EXACT)


def test_a_range_or_a_missing_rate_is_not_computed() -> None:
    assert _steps(instrument(rate="20%—30%", cap={"amount": "最高1亿元"}), "100万") == [
        "the rate is a range (20%–30%): which end applies is not stated in the sources"
    ]
    assert _steps(instrument(cap={"amount": "最高1亿元"}), "100万") == ["rate not stated in the sources"]


def test_a_ceiling_rate_says_so() -> None:
    item = instrument(rate="不超过50%", cap={"amount": "最高1亿元", "period": "year"})
    assert _steps(item, "100万") == [
        "up to 50% × ¥1,000,000 = ¥500,000, under the ¥100,000,000 cap a year",
        "the rate is at most 50%: it pays up to this",
    ]


def test_a_pool_smaller_than_the_payout_is_flagged_and_an_equal_one_is_not() -> None:
    small = instrument(rate="50%", cap={"amount": "最高1亿元"}, pool={"amount": "40万元", "period": "year"})
    assert _steps(small, "100万")[1:] == ["the pool (¥400,000 a year) is smaller than this payout"]
    equal = instrument(rate="50%", cap={"amount": "最高1亿元"}, pool={"amount": "50万元", "period": "total"})
    assert _steps(equal, "100万")[1:] == []


@pytest.mark.parametrize(
    ("spend", "gross"),
    [("0.01", "0.01"), ("0.03", "0.02"), ("1.11", "0.56"), ("3", "1.5"), ("12345.67", "6172.84"), ("2", "1")],
)
def test_half_up_to_the_fen(spend: str, gross: str) -> None:
    _, (case,), _ = cases_for(instrument(rate="50%", cap={"amount": "最高1亿元"}), Applicant())
    assert str(compute_case(case, D(spend)).amount) == gross


def test_to_fen() -> None:
    assert [str(to_fen(D(v))) for v in ("5.00", "1.005", "1.004", "0.995", "7")] == ["5", "1.01", "1", "1", "7"]


def test_the_cap_exactly_is_not_capped_one_fen_over_is() -> None:
    item = instrument(rate="50%", cap={"amount": "最高100万元"})
    assert computed(item, 2_000_000) == [([], D(1_000_000), Bound.EXACT, False)]
    assert computed(item, "2000000.02") == [([], D(1_000_000), Bound.EXACT, True)]


# --------------------------------------------------------------------------- the spend


@pytest.mark.parametrize(
    ("text", "yuan"),
    [
        ("1200万", D(12_000_000)),
        ("1.2亿", D(120_000_000)),
        ("12000000", D(12_000_000)),
        ("12M", D(12_000_000)),
        ("12m yuan", D(12_000_000)),
        ("12k", D(12_000)),
        ("1.2bn", D(1_200_000_000)),
        ("5mn", D(5_000_000)),
        ("2b", D(2_000_000_000)),
        ("¥12,000,000", D(12_000_000)),
        ("１２００万", D(12_000_000)),
        ("一千二百万元", D(12_000_000)),
        ("1万亿", MAX_SPEND),
        ("0.01", D("0.01")),
    ],
)
def test_spend_forms(text: str, yuan: Decimal) -> None:
    assert parse_spend(text) == yuan


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0", "the spend must be more than zero, got '0'"),
        ("0万", "the spend must be more than zero, got '0万'"),
        ("-5", "the spend must be more than zero, got '-5'"),
        ("−5万", "the spend must be more than zero, got '−5万'"),
        ("0.009", "the spend '0.009' is less than one fen (¥0.01): no subsidy is paid in smaller units"),
        ("1000000000000.01", "the spend '1000000000000.01' is above ¥1,000,000,000,000 (1万亿): no compute budget"),
        ("最高100万", "the spend '最高100万' must be one amount of money, e.g. 1200万"),
        ("50%", "the spend '50%' must be one amount of money, e.g. 1200万"),
        ("abc", "cannot read the spend 'abc': write e.g. 1200万, 1.2亿, 12000000 or 12M"),
    ],
)
def test_spend_refusals(text: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_spend(text)
    assert str(raised.value).startswith(message)


# --------------------------------------------------------------------------- a whole answer


def test_the_grouping_of_a_whole_answer(kb) -> None:  # type: ignore[no-untyped-def]
    result = subsidy(kb, D(50_000_000))
    assert [(rank, p.instrument.id, case.amount) for rank, p, case in result.ranked] == [
        (1, "nancheng-training-voucher", D(10_000_000))
    ]
    assert [p.instrument.id for p in result.conditional] == ["zhangzhou-compute-voucher"]
    assert [(p.instrument.id, c.amount) for p, c in result.cap_not_stated] == [
        ("donghu-compute-subsidy", D(15_000_000))
    ]
    assert result.separate == [] and result.not_computable == [] and result.without_instrument == []
    assert result.notes == ["every ranked instrument is capped at this spend: above ¥20,000,000 none pays more"]


def test_ties_share_a_rank_and_others_stack_separately(kb) -> None:  # type: ignore[no-untyped-def]
    from citypolicy.schema.model import InstrumentKind

    result = subsidy(kb, D(40_000_000), Applicant(conditions=(("maas-domestic", True),)))
    assert [(rank, p.city.id, case.amount) for rank, p, case in result.ranked] == [
        (1, "nancheng", D(10_000_000)),
        (2, "zhangzhou", D(8_000_000)),
    ]
    labelling = subsidy(kb, D(1_000_000), Applicant(applicant_class="A"), kinds=[InstrumentKind.LABELLING_VOUCHER])
    assert [(rank, case.amount) for rank, _, case in labelling.ranked] == [(1, D(800_000))]
    assert [c.id for c in labelling.without_instrument] == ["nancheng"]


def test_universities_are_told_startup_terms_are_for_enterprises(kb) -> None:  # type: ignore[no-untyped-def]
    result = subsidy(kb, D(10_000_000), Applicant(Beneficiary.UNIVERSITY, startup=True))
    assert result.notes == ["startup and SME terms apply to enterprises only, not to universities"]
    assert [p.instrument.id for p in result.not_computable] == ["donghu-compute-subsidy", "zhangzhou-compute-voucher"]
    assert subsidy(kb, D(10_000_000), Applicant(Beneficiary.UNIVERSITY)).notes == []


def test_applicant_in_words() -> None:
    assert Applicant().describe() == "enterprises"
    assert Applicant(startup=True, sme=True).describe() == "startup SME enterprises"
    assert Applicant(Beneficiary.UNIVERSITY, startup=True).describe() == "universities"
    assert Applicant(applicant_class="A", conditions=(("x", True), ("y", False))).describe() == (
        "enterprises; class A; x: yes; y: no"
    )
    assert Applicant(applicant_class="a", conditions=(("x", True), ("y", False), ("z", True))).describe() == (
        "enterprises; class A; x: yes; y: no; z: yes"
    )
    words = {"x": "model-as-a-service on filed models"}
    expected = "enterprises; model-as-a-service on filed models: yes"
    assert Applicant(conditions=(("x", True),)).describe(words) == expected


def test_what_the_site_calculator_is_given(kb) -> None:  # type: ignore[no-untyped-def]
    cases = {c["id"]: c for c in calculator_cases(kb)}
    assert sorted(cases) == ["donghu-compute-subsidy", "nancheng-training-voucher", "zhangzhou-compute-voucher"]
    startup = cases["nancheng-training-voucher"]["applicants"]["startup"]
    assert startup == {
        "eligible": True,
        "why": [],
        "cases": [
            {
                "assumes": [],
                "terms": "terms for startups",
                "rateBp": 6000,
                "rateBound": "at_most",
                "rateText": "up to 60%",
                "cap": {"fen": "1000000000", "years": None, "period": "unspecified", "per": "recipient"},
                "poolFen": None,
            }
        ],
    }
    voucher = cases["zhangzhou-compute-voucher"]["applicants"]["university"]
    assert (voucher["eligible"], voucher["cases"], voucher["why"]) == (
        False,
        [],
        ["not open to universities: the sources name enterprises"],
    )
    maas = cases["zhangzhou-compute-voucher"]["applicants"]["enterprise"]["cases"][0]
    assert (maas["rateBp"], maas["poolFen"], maas["assumes"][0]["name"]) == (3000, "25000000000", "maas-domestic")
    assert cases["donghu-compute-subsidy"]["applicants"]["enterprise"]["cases"][0]["cap"] is None


# --------------------------------------------------------------------------- answers on a tiny knowledge base


def tiny_kb(*instruments: Instrument):  # type: ignore[no-untyped-def]
    """Two cities of one province holding the given instruments (no articles: rules only)."""
    from pathlib import Path

    from citypolicy.load.loader import KnowledgeBase
    from citypolicy.schema.model import Jurisdiction

    kb = KnowledgeBase(Path("."))
    places = [
        {"id": "p", "level": "province", "name": {"zh": "省", "en": "Province"}},
        {"id": "a", "level": "city", "parent": "p", "name": {"zh": "甲市", "en": "Alpha"}},
        {"id": "b", "level": "city", "parent": "p", "name": {"zh": "乙市", "en": "Beta"}},
    ]
    for place in places:
        kb.jurisdictions[place["id"]] = Jurisdiction.model_validate(place)
    for item in instruments:
        kb.instruments[item.id] = item
    return kb


def _in(city: str, name: str, **fields: object) -> Instrument:
    return instrument(id=name, jurisdiction=city, **fields)


def test_ties_share_a_rank_and_a_second_instrument_is_separate() -> None:
    kb = tiny_kb(
        _in("a", "a-one", rate="50%", cap={"amount": "最高100万元"}, beneficiaries=["enterprise"]),
        _in("a", "a-two", rate="10%", cap={"amount": "最高100万元"}, beneficiaries=["enterprise"]),
        _in("b", "b-one", rate="20%", cap={"amount": "最高100万元"}, beneficiaries=["enterprise"]),
    )
    result = subsidy(kb, D(10_000_000))
    assert [(rank, p.instrument.id, case.amount) for rank, p, case in result.ranked] == [
        (1, "a-one", D(1_000_000)),
        (1, "b-one", D(1_000_000)),
    ]
    assert [(p.instrument.id, case.amount) for p, case in result.separate] == [("a-two", D(1_000_000))]
    small = subsidy(kb, D(1_000_000))
    assert [(rank, p.instrument.id, case.amount) for rank, p, case in small.ranked] == [
        (1, "a-one", D(500_000)),
        (2, "b-one", D(200_000)),
    ]
    assert [(p.instrument.id, case.amount) for p, case in small.separate] == [("a-two", D(100_000))]


def test_no_rate_is_not_computable_and_who_may_claim_not_stated_is_flagged() -> None:
    kb = tiny_kb(
        _in("a", "a-none", cap={"amount": "最高100万元"}, beneficiaries=["enterprise"]),
        _in("b", "b-anyone", rate="20%", cap={"amount": "最高100万元"}),
    )
    result = subsidy(kb, D(1_000_000))
    assert [p.instrument.id for p in result.not_computable] == ["a-none"]
    ((_, p, case),) = result.ranked
    assert (p.instrument.id, p.eligible, case.flags) == (
        "b-anyone",
        None,
        ["who may claim it is not stated in the sources"],
    )
    _, (missing,), _ = cases_for(kb.instruments["a-none"], Applicant())
    done = compute_case(missing, D(1_000_000))
    assert (done.amount, done.capped, done.gross, done.bound) == (None, False, None, Bound.EXACT)


def test_a_startup_tier_step_names_its_terms() -> None:
    item = instrument(rate="最高50%", cap={"amount": "最高1000万元"}, tiers=[{"group": "startup", "rate": "最高60%"}])
    assert _steps(item, "1000万", Applicant(startup=True)) == [
        "terms for startups: up to 60% × ¥10,000,000 = ¥6,000,000, under the ¥10,000,000 cap (its period is not "
        "stated in the sources)",
        "the rate is at most 60%: it pays up to this",
    ]


def test_class_cases_say_which_class_in_both_languages() -> None:
    item = instrument(
        beneficiaries=["enterprise"],
        tiers=[
            {"class": "A", "name": {"zh": "工业企业", "en": "industrial firms"}, "rate": "80%"},
            {"class": "B", "rate": "15%"},
        ],
    )
    _, cases, _ = cases_for(item, Applicant())
    assert [(c.tier_label, [(a.text(), a.text("zh"), a.name) for a in c.assumes]) for c in cases] == [
        (
            "class A (industrial firms)",
            [("if the applicant is class A (industrial firms)", "如申请主体属于A类 (工业企业)", "class:A")],
        ),
        ("class B", [("if the applicant is class B", "如申请主体属于B类", "class:B")]),
    ]
    done = compute_case(cases[1], D(1_000_000))
    assert done.steps == [
        "class B: 15% × ¥1,000,000 = ¥150,000, cap not stated in the sources: rate × spend is an upper bound"
    ]


def test_a_pool_in_total_smaller_than_the_payout() -> None:
    item = instrument(rate="50%", cap={"amount": "最高1亿元"}, pool={"amount": "40万元", "period": "total"})
    assert _steps(item, "100万")[1:] == ["the pool (¥400,000 in total) is smaller than this payout"]


@pytest.mark.parametrize(("text", "yuan"), [("12m cny", D(12_000_000)), ("1200 rmb", D(1200)), ("5 yuan", D(5))])
def test_spend_with_a_currency_word(text: str, yuan: Decimal) -> None:
    assert parse_spend(text) == yuan


def test_rates_for_the_site_in_ten_thousandths() -> None:
    from citypolicy.ask.calculator import _basis_points
    from citypolicy.core.quantity import parse_quantity

    assert [_basis_points(parse_quantity(t)) for t in ("50%", "最高12.5%", "0.25%")] == [5000, 1250, 25]
    assert _basis_points(None) is None and _basis_points(parse_quantity("20%—30%")) is None
    with pytest.raises(ValueError) as refused:
        _basis_points(parse_quantity("33.333%"))
    assert str(refused.value) == "rate 33.333% has more precision than the calculator keeps"


def test_every_site_applicant_and_the_instrument_it_names(kb) -> None:  # type: ignore[no-untyped-def]
    (voucher,) = [c for c in calculator_cases(kb) if c["id"] == "zhangzhou-compute-voucher"]
    assert {k: v for k, v in voucher.items() if k != "applicants"} == {
        "city": "zhangzhou",
        "cityName": {"zh": "漳州市", "en": "Zhangzhou"},
        "place": "zhangzhou",
        "placeName": {"zh": "漳州市", "en": "Zhangzhou"},
        "id": "zhangzhou-compute-voucher",
        "name": {"zh": "算力券", "en": "compute voucher"},
    }
    assert sorted(voucher["applicants"]) == ["enterprise", "research_institute", "startup", "university"]
    assert voucher["applicants"]["enterprise"]["cases"][0]["assumes"] == [
        {
            "zh": "基于已备案模型、使用国产算力提供模型即服务",
            "en": "model-as-a-service on a filed model using domestic compute",
            "name": "maas-domestic",
            "holds": True,
        }
    ]


def test_a_condition_or_class_no_instrument_names_is_refused(kb) -> None:  # type: ignore[no-untyped-def]
    from citypolicy.ask.queries import kinds_for
    from citypolicy.ask.resolve import NotFound

    with pytest.raises(NotFound) as typo:
        subsidy(kb, D(10_000_000), Applicant(conditions=(("maas-domestc", True),)))
    assert str(typo.value) == (
        "no condition of the instruments asked about matches 'maas-domestc'; did you mean maas-domestic, other-compute?"
    )
    with pytest.raises(NotFound) as no_class:
        subsidy(kb, D(10_000_000), Applicant(applicant_class="C"), kinds=kinds_for("labelling"))
    assert str(no_class.value) == "no class of the instruments asked about matches 'C'; did you mean A, B?"
    with pytest.raises(NotFound) as other_kind:
        subsidy(kb, D(10_000_000), Applicant(applicant_class="A"))  # compute vouchers name no classes
    assert str(other_kind.value) == (
        "no class of the instruments asked about matches 'A'; it is a class of the data-labelling voucher: "
        "ask with --kind labelling"
    )
    with pytest.raises(NotFound) as other_condition:
        subsidy(kb, D(10_000_000), Applicant(conditions=(("maas-domestic", True),)), kinds=kinds_for("labelling"))
    assert str(other_condition.value) == (
        "no condition of the instruments asked about matches 'maas-domestic'; it is a condition of the compute "
        "voucher: ask with --kind compute"
    )
    answered = subsidy(kb, D(10_000_000), Applicant(applicant_class="b"), kinds=kinds_for("labelling"))
    assert [p.instrument.id for _, p, _ in answered.ranked] == ["zhangzhou-labelling-voucher"]
    assert subsidy(kb, D(10_000_000), Applicant(conditions=(("other-compute", False),))).ranked


def test_a_city_without_the_instrument_is_listed_beside_one_not_yet_in_force() -> None:
    from datetime import date

    knowledge, _ = load(PROJECT / "tests" / "fixtures" / "kb")
    result = subsidy(knowledge, D(10_000_000), as_of=date(2024, 12, 31))
    assert [(c.id, i.id) for c, i, _ in result.not_in_force] == [("xinghai", "xinghai-compute-voucher")]
    assert [c.id for c in result.without_instrument] == ["jingchuan"]


def test_a_class_no_instrument_asked_about_names_says_which_kinds_do() -> None:
    from citypolicy.ask.calculator import _refuse
    from citypolicy.ask.resolve import NotFound

    naming = [instrument(kind="labelling_voucher"), instrument(kind="training_voucher")]
    with pytest.raises(NotFound) as raised:
        _refuse("class", "c", [], naming)
    assert str(raised.value) == (
        "no class of the instruments asked about matches 'c'; it is a class of the data-labelling voucher"
        " and the training-compute voucher: ask with --kind labelling, --kind training"
    )
    many = [f"K{n}" for n in range(10)]
    with pytest.raises(NotFound) as raised:
        _refuse("class", "z", many, [])
    assert str(raised.value) == (
        "no class of the instruments asked about matches 'z'; did you mean K0, K1, K2, K3, K4, K5, K6, K7?"
    )  # at most eight names

"""The subsidy calculator on a fixture knowledge base written from the figures of the calculator issue:
a compute voucher with two conditional rates (30% for model-as-a-service on filed models with domestic
compute, 20% for other compute, ¥8M a year per firm, pool ¥100M a year raised to ¥250M in 2025), a
labelling voucher with classes A (80%, ¥3M) and B (15%, ¥5M), a training voucher (up to 50%, startups up
to 60%, ¥10M cap) and a district's 30% compute subsidy with no cap stated.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import PROJECT, citypolicy

from citypolicy.ask.calculator import Applicant, cases_for, compute_case, parse_spend, subsidy, to_fen
from citypolicy.core.quantity import Bound
from citypolicy.load.loader import load
from citypolicy.schema.model import Beneficiary

FIXTURE = PROJECT / "tests" / "fixtures" / "vouchers_kb"


@pytest.fixture(scope="module")
def kb():  # type: ignore[no-untyped-def]
    knowledge, problems = load(FIXTURE)
    assert problems == []
    return knowledge


def _subsidy_json(*args: str, kb: Path = FIXTURE) -> dict:
    done = citypolicy("subsidy", *args, "--format", "json", kb=kb)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _lines(payout: dict) -> dict[str, tuple[int | None, str]]:
    return {
        " & ".join(sorted(a["condition"] or a["en"] for a in c["assumes"])): (c["payout"], c["bound"])
        for c in payout["cases"]
    }


# --------------------------------------------------------------------------- the answers


def test_unstated_conditions_are_two_lines_never_a_choice() -> None:
    answer = _subsidy_json("--spend", "1000万")
    (voucher,) = [p for p in answer["conditional"] if p["instrument"]["id"] == "zhangzhou-compute-voucher"]
    assert _lines(voucher) == {"maas-domestic": (3_000_000, "at_most"), "other-compute": (2_000_000, "at_most")}
    assert "zhangzhou-compute-voucher" not in [p["instrument"]["id"] for p in answer["ranked"]]


def test_both_conditional_lines_are_capped_at_8m_for_50m() -> None:
    answer = _subsidy_json("--spend", "5000万")
    (voucher,) = [p for p in answer["conditional"] if p["instrument"]["id"] == "zhangzhou-compute-voucher"]
    assert _lines(voucher) == {"maas-domestic": (8_000_000, "at_most"), "other-compute": (8_000_000, "at_most")}
    assert all(c["capped"] for c in voucher["cases"])


def test_a_stated_condition_gives_one_definite_ranked_answer() -> None:
    answer = _subsidy_json("--spend", "1000万", "--condition", "maas-domestic")
    ranked = {p["instrument"]["id"]: (p["rank"], p["payout"], p["bound"]) for p in answer["ranked"]}
    assert ranked == {
        "nancheng-training-voucher": (1, 5_000_000, "at_most"),
        "zhangzhou-compute-voucher": (2, 3_000_000, "at_most"),
    }
    # Ruling one condition out leaves the other as a line of its own: the source does not say the
    # two conditions cover every case.
    answer = _subsidy_json("--spend", "1000万", "--condition", "maas-domestic=no")
    (voucher,) = [p for p in answer["conditional"] if p["instrument"]["id"] == "zhangzhou-compute-voucher"]
    assert _lines(voucher) == {"other-compute": (2_000_000, "at_most")}
    answer = _subsidy_json("--spend", "1000万", "--condition", "maas-domestic=no", "--condition", "other-compute")
    assert {p["instrument"]["id"]: p["payout"] for p in answer["ranked"]}["zhangzhou-compute-voucher"] == 2_000_000


@pytest.mark.parametrize(("klass", "payout", "capped"), [("A", 3_000_000, True), ("B", 1_500_000, False)])
def test_labelling_voucher_classes(klass: str, payout: int, capped: bool) -> None:
    who = "labelling_platform" if klass == "B" else "enterprise"
    answer = _subsidy_json("--spend", "1000万", "--kind", "labelling", "--class", klass, "--beneficiary", who)
    (row,) = answer["ranked"]
    assert (row["instrument"]["id"], row["payout"], row["capped"], row["bound"]) == (
        "zhangzhou-labelling-voucher",
        payout,
        capped,
        "at_most",
    )


def test_labelling_voucher_without_a_class_shows_both() -> None:
    answer = _subsidy_json("--spend", "1000万", "--kind", "标注券")
    (voucher,) = answer["conditional"]
    assert _lines(voucher) == {
        "the applicant is class A (industrial firms buying labelling services)": (3_000_000, "at_most"),
        "the applicant is class B (data-labelling platforms)": (1_500_000, "at_most"),
    }
    assert answer["ranked"] == []


def test_a_cap_not_stated_is_an_upper_bound_never_ranked_above_a_capped_amount() -> None:
    answer = _subsidy_json("--spend", "5000万")
    assert [(p["instrument"]["id"], p["payout"]) for p in answer["ranked"]] == [("nancheng-training-voucher", 1e7)]
    (upper,) = answer["cap_not_stated"]
    assert (upper["instrument"]["id"], upper["payout"], upper["bound"]) == (
        "donghu-compute-subsidy",
        15_000_000,
        "at_most",
    )
    assert upper["steps"] == [
        "30% × ¥50,000,000 = ¥15,000,000, cap not stated in the sources: rate × spend is an upper bound"
    ]


def test_startup_terms_are_for_enterprises_only() -> None:
    startup = _subsidy_json("--spend", "1000万", "--startup")
    assert [(p["payout"], p["bound"], p["terms"]) for p in startup["ranked"]] == [
        (6_000_000, "at_most", "terms for startups")
    ]
    assert startup["ranked"][0]["steps"][0].startswith("terms for startups: up to 60% × ¥10,000,000 = ¥6,000,000")
    university = _subsidy_json("--spend", "1000万", "--startup", "--beneficiary", "university")
    assert [(p["payout"], p["bound"], p["terms"]) for p in university["ranked"]] == [(5_000_000, "at_most", None)]
    assert university["notes"][0] == "startup and SME terms apply to enterprises only, not to universities"
    not_open = {p["instrument"]["id"]: p["why"] for p in university["not_computable"]}
    assert not_open == {
        "donghu-compute-subsidy": ["not open to universities: the sources name enterprises"],
        "zhangzhou-compute-voucher": ["not open to universities: the sources name enterprises"],
    }


def test_the_table_says_up_to() -> None:
    done = citypolicy("subsidy", "--spend", "1000万", "--startup", kb=FIXTURE)
    assert "up to ¥6,000,000" in done.stdout
    assert "Cap not stated in the sources" in done.stdout


# --------------------------------------------------------------------------- arithmetic and steps


def test_whole_steps_of_a_capped_startup_case(kb) -> None:  # type: ignore[no-untyped-def]
    voucher = kb.instruments["nancheng-training-voucher"]
    _, (case,), _ = cases_for(voucher, Applicant(startup=True))
    done = compute_case(case, Decimal(50_000_000))
    assert (done.gross, done.amount, done.capped, done.bound) == (
        Decimal(30_000_000),
        Decimal(10_000_000),
        True,
        Bound.AT_MOST,
    )
    assert done.steps == [
        "terms for startups: up to 60% × ¥50,000,000 = ¥30,000,000, capped at ¥10,000,000 (its period is not stated "
        "in the sources)",
        "the rate is at most 60%: it pays up to this",
    ]
    assert done.flags == []


def test_spend_exactly_at_the_cap(kb) -> None:  # type: ignore[no-untyped-def]
    voucher = kb.instruments["nancheng-training-voucher"]
    _, (case,), _ = cases_for(voucher, Applicant())
    done = compute_case(case, Decimal(20_000_000))
    assert (done.amount, done.capped) == (Decimal(10_000_000), False)
    assert done.steps[0].endswith("= ¥10,000,000, under the ¥10,000,000 cap (its period is not stated in the sources)")


@pytest.mark.parametrize(
    ("spend", "payout"),
    [
        ("12345.67", Decimal("6172.84")),  # 6172.835 rounds half up
        ("0.01", Decimal("0.01")),  # 0.005 rounds up to one fen
        ("0.03", Decimal("0.02")),  # 0.015 → 0.02
        ("1.11", Decimal("0.56")),  # 0.555 → 0.56
        ("3", Decimal("1.5")),
    ],
)
def test_fractional_payouts_round_half_up_to_the_fen(kb, spend: str, payout: Decimal) -> None:  # type: ignore[no-untyped-def]
    voucher = kb.instruments["nancheng-training-voucher"]
    _, (case,), _ = cases_for(voucher, Applicant())
    assert compute_case(case, parse_spend(spend)).amount == payout


def test_to_fen_keeps_whole_amounts_whole() -> None:
    assert str(to_fen(Decimal("5000000.00"))) == "5000000"
    assert str(to_fen(Decimal("1.005"))) == "1.01"
    assert str(to_fen(Decimal("1.004"))) == "1"


def test_the_pool_smaller_than_the_payout_is_flagged(kb) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from citypolicy.schema.model import Pool

    voucher = kb.instruments["zhangzhou-compute-voucher"]
    _, cases, _ = cases_for(voucher, Applicant(conditions=(("maas-domestic", True),)))
    small = Pool(amount="100万元")
    done = compute_case(replace(cases[0], pool=small), Decimal(10_000_000))
    assert done.amount == Decimal(3_000_000)
    assert done.flags == ["the pool (¥1,000,000) is smaller than this payout"]


def test_who_may_claim_not_stated_is_flagged_only_then(kb) -> None:  # type: ignore[no-untyped-def]
    from citypolicy.ask.calculator import payout

    named = kb.instruments["nancheng-training-voucher"]
    unnamed = named.model_copy(update={"beneficiaries": [], "tiers": []})
    city = kb.jurisdictions["nancheng"]
    answer = payout(kb, city, unnamed, Decimal(10_000_000), Applicant(Beneficiary.UNIVERSITY))
    assert answer.eligible is None
    assert answer.cases[0].flags == ["who may claim it is not stated in the sources"]
    answer = payout(kb, city, named, Decimal(10_000_000), Applicant(Beneficiary.UNIVERSITY))
    assert answer.eligible is True and answer.cases[0].flags == []
    result = subsidy(kb, Decimal(10_000_000), Applicant())
    assert [case.flags for _, _, case in result.ranked] == [[]]


def test_ties_share_a_rank(tmp_path: Path) -> None:
    copy = tmp_path / "kb"
    shutil.copytree(FIXTURE, copy)
    answer = _subsidy_json("--spend", "2000万", "--condition", "maas-domestic", kb=copy)
    assert [(p["rank"], p["instrument"]["id"], p["payout"]) for p in answer["ranked"]] == [
        (1, "nancheng-training-voucher", 10_000_000),
        (2, "zhangzhou-compute-voucher", 6_000_000),
    ]
    answer = _subsidy_json("--spend", "5000万", "--condition", "maas-domestic", kb=copy)
    assert [(p["rank"], p["payout"]) for p in answer["ranked"]] == [(1, 10_000_000), (2, 8_000_000)]
    notes = answer["notes"]
    assert notes == ["every ranked instrument is capped at this spend: above ¥26,666,666.67 none pays more"]


# --------------------------------------------------------------------------- the spend


@pytest.mark.parametrize(
    ("text", "yuan"),
    [
        ("1200万", Decimal(12_000_000)),
        ("1.2亿", Decimal(120_000_000)),
        ("12000000", Decimal(12_000_000)),
        ("12M", Decimal(12_000_000)),
        ("12k", Decimal(12_000)),
        ("1.2bn", Decimal(1_200_000_000)),
        ("5mn", Decimal(5_000_000)),
        ("2b", Decimal(2_000_000_000)),
        ("¥12,000,000", Decimal(12_000_000)),
        ("１２００万", Decimal(12_000_000)),
        ("一千二百万元", Decimal(12_000_000)),
        ("1万亿", Decimal(10) ** 12),
    ],
)
def test_spend_forms(text: str, yuan: Decimal) -> None:
    assert parse_spend(text) == yuan


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0", "more than zero"),
        ("-5万", "more than zero"),
        ("1.1万亿", "above ¥1,000,000,000,000"),
        ("最高100万", "one amount of money"),
        ("abc", "cannot read"),
        ("3—5万", "one amount of money"),
    ],
)
def test_implausible_spends_are_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_spend(text)


def test_an_implausible_spend_is_a_usage_error() -> None:
    done = citypolicy("subsidy", "--spend", "2万亿", kb=FIXTURE)
    assert done.returncode == 2
    assert "above ¥1,000,000,000,000" in done.stderr and "Traceback" not in done.stderr


def test_beneficiary_accepts_chinese_and_refuses_nonsense() -> None:
    answer = _subsidy_json("--spend", "1000万", "--beneficiary", "高校")
    assert answer["applicant"]["beneficiary"] == "university"
    done = citypolicy("subsidy", "--spend", "1000万", "--beneficiary", "martian", kb=FIXTURE)
    assert done.returncode == 2 and "is not a kind of beneficiary" in done.stderr


def test_applicant_groups() -> None:
    assert Applicant(Beneficiary.ENTERPRISE, startup=True).groups == {Beneficiary.ENTERPRISE, Beneficiary.STARTUP}
    assert Applicant(Beneficiary.ENTERPRISE, sme=True).groups == {Beneficiary.ENTERPRISE, Beneficiary.SME}
    assert Applicant(Beneficiary.UNIVERSITY, startup=True, sme=True).groups == {Beneficiary.UNIVERSITY}


# --------------------------------------------------------------------------- pinned cases


def test_the_fixture_cases_pass() -> None:
    done = citypolicy("test", kb=FIXTURE)
    assert done.returncode == 0, done.stdout
    assert done.stdout.strip().endswith("8 of 8 cases pass")


@pytest.mark.data
def test_the_shipped_cases_pass() -> None:
    """The calculation cases pinned on the shipped data (data/cases/) hold, every one of them."""
    import yaml

    pinned = sum(
        len(yaml.safe_load(path.read_text(encoding="utf-8"))["cases"])
        for path in (PROJECT / "data" / "cases").glob("*.yaml")
    )
    done = citypolicy("test", kb=PROJECT)
    assert done.returncode == 0, done.stdout
    assert pinned >= 8 and done.stdout.strip().endswith(f"{pinned} of {pinned} cases pass")
    assert "FAIL" not in done.stdout


def test_a_changed_expected_answer_fails_with_a_readable_diff(tmp_path: Path) -> None:
    copy = tmp_path / "kb"
    shutil.copytree(FIXTURE, copy)
    cases = copy / "data" / "cases" / "vouchers.yaml"
    cases.write_text(cases.read_text(encoding="utf-8").replace("payout: 600万", "payout: 650万"), encoding="utf-8")
    done = citypolicy("test", kb=copy)
    assert done.returncode == 1
    assert (
        "FAIL data/cases/vouchers.yaml cases[2]: a startup spending ¥10M gets the startup ceiling\n"
        "    - nancheng-training-voucher: ranked #1: up to ¥6,500,000\n"
        "    + nancheng-training-voucher: ranked #1: up to ¥6,000,000\n"
    ) in done.stdout
    assert done.stdout.strip().endswith("7 of 8 cases pass")


def test_a_case_naming_an_unknown_instrument_fails_check(tmp_path: Path) -> None:
    copy = tmp_path / "kb"
    shutil.copytree(FIXTURE, copy)
    cases = copy / "data" / "cases" / "vouchers.yaml"
    text = cases.read_text(encoding="utf-8").replace(
        "instrument: donghu-compute-subsidy, group: not_open", "instrument: donghu-compute-subsidi, group: not_open"
    )
    cases.write_text(text, encoding="utf-8")
    done = citypolicy("check", kb=copy)
    assert done.returncode == 1
    assert "data/cases/vouchers.yaml:34:22: cases[3].expect[1].instrument:" in done.stderr
    assert "unknown instrument 'donghu-compute-subsidi'; did you mean 'donghu-compute-subsidy'?" in done.stderr


@pytest.mark.parametrize(
    ("question", "command"),
    [
        ("漳州的标注券", "citypolicy vouchers --city zhangzhou --kind labelling"),
        ("哪个城市算力补贴最多", "citypolicy subsidy --spend 1000万"),
        ("best compute subsidy for a startup", "citypolicy subsidy --spend 1000万 --startup"),
        ("which city pays the most for compute", "citypolicy subsidy --spend 1000万"),
        ("compute voucher rates by city", "citypolicy vouchers --kind compute"),
        (
            "标注券 labelling vouchers in Zhangzhou, ranked for ¥10M",
            "citypolicy subsidy --city zhangzhou --spend ¥10M --kind labelling",
        ),
    ],
)
def test_questions_about_vouchers_and_rankings(question: str, command: str) -> None:
    done = citypolicy("query", question, kb=FIXTURE)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[0] == f"ran: {command}"


def test_an_instrument_not_yet_in_force_is_said_not_dropped() -> None:
    """Before Xinghai's voucher took effect (May 2025), the calculator says so rather than leaving
    Xinghai out of the answer as if it had no voucher."""
    kb = PROJECT / "tests" / "fixtures" / "kb"
    done = citypolicy("subsidy", "--spend", "1000万", "--as-of", "2024-12-31", "--format", "json", kb=kb)
    answer = json.loads(done.stdout)
    assert [r["instrument"]["id"] for r in answer["ranked"]] == ["yungang-training-voucher"]
    assert [
        (n["city"]["id"], n["instrument"]["id"], n["status"]["status"], n["status"]["reason"]["en"])
        for n in answer["not_in_force"]
    ] == [("xinghai", "xinghai-compute-voucher", "not_yet_in_force", "takes effect May 2025")]
    assert "xinghai" not in [c["id"] for c in answer["without_instrument"]]
    table = citypolicy("subsidy", "--spend", "1000万", "--as-of", "2024-12-31", "--format", "markdown", kb=kb).stdout
    assert "### Not in force on 2024-12-31\n\n| place | instrument | status |\n|---|---|---|\n" in table
    assert "| 星海市 Xinghai | 算力券 compute voucher | not yet in force: takes effect May 2025 |" in table
    later = json.loads(
        citypolicy("subsidy", "--spend", "1000万", "--as-of", "2025-12-31", "--format", "json", kb=kb).stdout
    )
    assert later["not_in_force"] == [] and "xinghai-compute-voucher" in [r["instrument"]["id"] for r in later["ranked"]]


@pytest.mark.parametrize(
    ("options", "who"),
    [
        ((), "enterprises"),
        (("--startup",), "startup enterprises"),
        (
            ("--condition", "maas-domestic"),
            "enterprises; model-as-a-service on a filed model using domestic compute: yes",
        ),
        (
            ("--startup", "--condition", "maas-domestic=no"),
            "startup enterprises; model-as-a-service on a filed model using domestic compute: no",
        ),
        (("--kind", "labelling", "--class", "b"), "enterprises; class B"),
    ],
)
def test_the_answer_names_the_applicant_in_the_sources_words(options: tuple[str, ...], who: str) -> None:
    done = citypolicy("subsidy", "--spend", "1000万", *options, "--format", "markdown", kb=FIXTURE)
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout.splitlines()[0] == f"### What ¥10,000,000 a year of spend gets back ({who}) — definite amounts only"
    )


def test_no_definite_payout_says_so_in_the_ranked_table() -> None:
    done = citypolicy("subsidy", "--spend", "1000万", "--beneficiary", "individual", "--format", "markdown", kb=FIXTURE)
    lines = done.stdout.splitlines()
    assert lines[2:5] == [
        "| rank | place | instrument | pays | how |",
        "|---|---|---|---|---|",
        "| — | none |  |  | no instrument pays this applicant a definite amount; the tables below say why |",
    ]

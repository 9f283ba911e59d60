"""The calculator's words in Chinese (publish/calculator_view.py): for every compute instrument of
the project and of the calculator's fixture, every applicant the site offers and spends from small to
large, each English step and flag `subsidy` prints has its Chinese counterpart, with the same figures
and no English left; the script's data carries each rate and each reason in Chinese."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import PROJECT

from citypolicy.ask import calculator, queries
from citypolicy.ask.calculator import SITE_APPLICANTS, compute_case, payout
from citypolicy.load.loader import load
from citypolicy.publish.calculator_view import how, pays, server_rows, steps_zh, with_chinese
from citypolicy.schema.model import Instrument

FIXTURE = PROJECT / "tests" / "fixtures" / "vouchers_kb"
SPENDS = [Decimal(10_000), Decimal(10_000_000), Decimal(500_000_000)]


@pytest.fixture(
    scope="module", params=[pytest.param(PROJECT, marks=pytest.mark.data), FIXTURE], ids=["project", "fixture"]
)
def kb(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    knowledge, problems = load(Path(request.param))
    assert problems == []
    return knowledge


def _payouts(kb):  # type: ignore[no-untyped-def]
    for city in queries.cities(kb):
        for record in queries.records_in(kb, "instruments", city.id):
            if isinstance(record, Instrument) and record.kind in queries.kinds_for("compute"):
                for _, applicant in SITE_APPLICANTS:
                    for spend in SPENDS:
                        yield spend, payout(kb, city, record, spend, applicant)


def _money(text: str) -> list[str]:
    return re.findall(r"¥\d+(?:,\d{3})*(?:\.\d+)?", text)


def test_every_step_has_its_chinese(kb) -> None:  # type: ignore[no-untyped-def]
    seen = 0
    for spend, p in _payouts(kb):
        for case in p.cases:
            english = case.steps + case.flags
            chinese = steps_zh(p, case, spend)
            assert len(chinese) == len(english), (p.instrument.id, english, chinese)
            for en, zh in zip(english, chinese, strict=True):
                assert re.findall(r"[A-Za-z]{2,}", zh) == [], zh
                assert _money(zh) == _money(en), (en, zh)
            seen += 1
    assert seen > 10


def test_tier_terms_are_named_in_chinese() -> None:
    knowledge, _ = load(FIXTURE)
    instrument = knowledge.instruments["nancheng-training-voucher"]
    city = knowledge.jurisdictions["nancheng"]
    startup = dict(SITE_APPLICANTS)["startup"]
    p = payout(knowledge, city, instrument, Decimal(10_000_000), startup)
    assert how(p, p.cases[0], Decimal(10_000_000)) == (
        "terms for startups: up to 60% × ¥10,000,000 = ¥6,000,000, under the ¥10,000,000 cap (its period is not stated "
        "in the sources); the rate is at most 60%: it pays up to this",
        "初创企业条款：最高60% × ¥10,000,000 = ¥6,000,000，未超过¥10,000,000（期限来源未说明）的上限；"
        "比例最高为60%：补贴额最高为此数",
    )
    assert pays(p.cases[0]) == ("up to ¥6,000,000", "最高¥6,000,000")
    zhangzhou = knowledge.instruments["zhangzhou-compute-voucher"]
    p = payout(knowledge, knowledge.jurisdictions["zhangzhou"], zhangzhou, Decimal(10_000_000), startup)
    first = compute_case(p.cases[0], Decimal(10_000_000))
    assert steps_zh(p, first, Decimal(10_000_000))[0].startswith(
        "如基于已备案模型、使用国产算力提供模型即服务：最高30%"
    )


def test_the_rows_without_script_and_the_scripts_data_are_in_both_languages(kb) -> None:  # type: ignore[no-untyped-def]
    rows = server_rows(calculator.subsidy(kb, Decimal(10_000_000)))
    assert rows.ranked
    for _, line in rows.ranked:
        assert line.pays[1] and line.how[1] and not re.search(r"[A-Za-z]{2,}", line.how[1])
    for line in rows.conditional:
        assert line.assumes is not None and line.assumes[1].startswith("如")
    data = with_chinese(kb, calculator.calculator_cases(kb))
    for entry in data:
        for key, rules in entry["applicants"].items():
            for case in rules["cases"]:
                assert (case["rateTextZh"] is None) == (case["rateText"] is None)
            assert len(rules["whyZh"]) == len(rules["why"]), (entry["id"], key)
            for reason in rules["whyZh"]:
                assert reason.startswith("不适用于") and not re.search(r"[A-Za-z]{2,}", reason)

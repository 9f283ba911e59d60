"""The terms a report states: for a day (`report --as-of`, issue 11) the terms in force then, what
changed by then, and targets past their deadline that day with their outcome not stated; each tier's
own cap beside its rate (issue 10's classes); a cap the source lets be relaxed says so."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from helpers import FIXTURE_KB, FIXTURES, citypolicy, copy_kb

from citypolicy.load.loader import load
from citypolicy.publish.report import render_report

VOUCHERS_KB = FIXTURES / "vouchers_kb"
PREPARED = date(2026, 11, 25)


def _zhangzhou_row(text: str) -> str:
    (row,) = [line for line in text.splitlines() if line.startswith("| Zhangzhou ") and "compute voucher" in line]
    return " ".join(row.split())


@pytest.fixture(scope="module")
def vouchers_kb():  # type: ignore[no-untyped-def]
    knowledge, problems = load(VOUCHERS_KB)
    assert problems == []
    return knowledge


def test_before_the_rise_the_pool_is_the_first_and_the_change_is_announced(vouchers_kb) -> None:  # type: ignore[no-untyped-def]
    text = render_report(vouchers_kb, "vouchers", [], "markdown", today=PREPARED, as_of=date(2024, 12, 31))
    assert "Prepared 25 November 2026 · terms in force on 31 December 2024 · sources dated 2024 to 2025" in text
    assert "; pool ¥100m[^4] (pool to change in 2025) |" in _zhangzhou_row(text)


def test_after_the_rise_the_pool_is_the_new_one_and_says_what_it_was(vouchers_kb) -> None:  # type: ignore[no-untyped-def]
    text = render_report(vouchers_kb, "vouchers", [], "markdown", today=PREPARED, as_of=date(2025, 6, 30))
    assert "terms in force on 30 June 2025" in text
    assert (
        "; pool ¥250m[^4] (pool changed from ¥100m a year to ¥250m a year in 2025; the exact day in 2025 is not "
        "stated: on 30 Jun 2025 the earlier terms may still have applied) |"
    ) in _zhangzhou_row(text)
    chinese = render_report(vouchers_kb, "vouchers", [], "markdown", lang="zh", today=PREPARED, as_of=date(2025, 6, 30))
    assert "（资金规模自2025年起由1亿元（每年）调整为2.5亿元（每年）；来源未说明2025年的具体日期" in chinese
    assert "[^4]: " in text and "由1亿元扩大至2.5亿元" in text.split("[^4]: ")[1].splitlines()[0]


def test_a_city_report_in_chinese_for_a_day(vouchers_kb) -> None:  # type: ignore[no-untyped-def]
    text = render_report(vouchers_kb, "city", ["zhangzhou"], "markdown", "zh", PREPARED, date(2024, 12, 31))
    assert "编制日期：2026年11月25日 · 所列条款为2024年12月31日有效者" in text
    assert "总额 ¥1亿[^2]（2025年起资金规模将调整）" in text
    later = render_report(vouchers_kb, "city", ["zhangzhou"], "markdown", "zh", PREPARED, date(2026, 1, 1))
    assert "总额 ¥2.5亿[^2]" in later and "¥1亿" not in later.split("## 扶持政策")[1].split("## ")[0]


def test_a_report_for_the_day_it_is_prepared_names_no_other_day(vouchers_kb) -> None:  # type: ignore[no-untyped-def]
    text = render_report(vouchers_kb, "vouchers", [], "markdown", today=PREPARED, as_of=PREPARED)
    assert text.splitlines()[2] == "Prepared 25 November 2026 · sources dated 2024 to 2025"


def test_targets_past_their_deadline_on_the_day_have_no_outcome_stated() -> None:
    knowledge, _ = load(FIXTURE_KB)

    def xinghai_line(day: date) -> str:
        text = render_report(knowledge, "targets", ["xinghai"], "markdown", today=PREPARED, as_of=day)
        (line,) = [x for x in text.splitlines() if "AI core industry scale" in x]
        return line

    assert "outcome not stated in the sources" not in xinghai_line(date(2027, 12, 31))
    assert xinghai_line(date(2028, 1, 1)).rstrip(" |").endswith(" by 2027 — outcome not stated in the sources")


def test_the_cli_takes_the_day_and_refuses_a_bad_one(tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    done = citypolicy("report", "vouchers", "--as-of", "2024-12", "-o", str(out), kb=VOUCHERS_KB)
    assert done.returncode == 0, done.stderr
    assert "terms in force on 31 December 2024" in out.read_text(encoding="utf-8")
    bad = citypolicy("report", "vouchers", "--as-of", "2024-13-01", kb=VOUCHERS_KB)
    assert bad.returncode == 2 and "--as-of" in bad.stderr and "Traceback" not in bad.stderr


def test_each_class_shows_its_own_cap_beside_its_rate(vouchers_kb) -> None:  # type: ignore[no-untyped-def]
    text = render_report(vouchers_kb, "vouchers", [], "markdown", today=PREPARED)
    (row,) = [" ".join(x.split()) for x in text.splitlines() if "data-labelling voucher" in x]
    assert (
        "| class A (industrial firms buying labelling services) up to 80%[^5], cap up to ¥3m[^5] period not stated "
        "per recipient; class B (data-labelling platforms) up to 15%[^5], cap up to ¥5m[^5] period not stated per "
        "recipient |"
    ) in row
    zh = render_report(vouchers_kb, "city", ["zhangzhou"], "markdown", "zh", PREPARED)
    assert (
        "标注券：A类（购买数据标注服务的工业企业） 最高80%[^3]，上限 最高¥300万[^3]（期限未说明），每个主体；"
        "B类（数据标注平台） 最高15%[^3]，上限 最高¥500万[^3]（期限未说明），每个主体"
    ) in zh


def test_a_cap_that_may_be_relaxed_says_so_everywhere_it_is_stated(tmp_path: Path) -> None:
    kb = copy_kb(VOUCHERS_KB, tmp_path / "kb")
    seed = kb / "seeds" / "900_fixture_zhangzhou.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\n对重大项目，上述上限可以适当放宽。\n", encoding="utf-8")
    city = kb / "data" / "cities" / "zhangzhou.yaml"
    city.write_text(
        city.read_text(encoding="utf-8").replace(
            "cap: {amount: 最高800万元, per: 企业, period: 每年}",
            "cap: {amount: 最高800万元, per: 企业, period: 每年, relaxable: {zh: 重大项目, en: for major projects}}",
        ),
        encoding="utf-8",
    )
    knowledge, problems = load(kb)
    assert problems == []
    en = render_report(knowledge, "vouchers", [], "markdown", today=PREPARED)
    assert "cap up to ¥8m[^3] a year per recipient (the cap can be relaxed: for major projects);" in en
    zh = render_report(knowledge, "city", ["zhangzhou"], "markdown", "zh", PREPARED)
    assert "上限 最高¥800万[^1]（每年），每个主体（上限可放宽：重大项目）" in zh
    shown = citypolicy("vouchers", "--kind", "compute", "--format", "csv", kb=kb)
    assert "up to ¥8,000,000 a year per recipient (can be relaxed: for major projects)" in shown.stdout

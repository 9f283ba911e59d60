"""How figures read in each language on pages and in reports: compact, bounded, fractions as the
source writes them, 万亿 rather than 兆 in Chinese, and the exact value kept for sorting."""

from __future__ import annotations

import pytest

from citypolicy.core.quantity import Unit, parse_quantity
from citypolicy.publish import figures


@pytest.mark.parametrize(
    ("written", "unit", "english", "chinese", "compact_zh"),
    [
        ("最高1000万元", Unit.CNY, "up to ¥10m", "最高1000万元", "最高¥1,000万"),
        ("100亿元", Unit.CNY, "¥10bn", "100亿元", "¥100亿"),
        ("力争1兆元", Unit.CNY, "¥1tn", "1万亿元", "¥1万亿"),
        ("8,000億元以上", Unit.CNY, "over ¥800bn", "8,000亿元以上", "超过¥8,000亿"),
        ("17.87萬元", Unit.CNY, "¥178,700", "17.87万元", "¥17.87万"),
        ("超过1/3", Unit.RATIO, "over 1/3", "超过1/3", "超过1/3"),
        ("不超過50%", Unit.RATIO, "up to 50%", "不超过50%", "最高50%"),
        ("50%—60%", Unit.RATIO, "50–60%", "50%—60%", "50–60%"),
        ("4.06%", Unit.RATIO, "4.06%", "4.06%", "4.06%"),
        ("2600余家", None, "over 2,600", "2600余家", "2600余家"),
        ("3—5个", None, "3–5", "3—5个", "3—5个"),
        ("100 EFLOPS", None, "100 EFLOPS", "100 EFLOPS", "100 EFLOPS"),
    ],
)
def test_figures_in_each_language(written: str, unit: Unit | None, english: str, chinese: str, compact_zh: str) -> None:
    q = parse_quantity(written, unit)
    assert figures.figure_en(q) == english
    assert figures.figure_zh(q) == chinese
    assert figures.compact_zh(q) == compact_zh


def test_a_fraction_is_never_shown_as_a_rounded_percentage() -> None:
    q = parse_quantity("超过1/3", Unit.RATIO)
    for text in (figures.figure_en(q), figures.figure_zh(q), figures.compact_zh(q), figures.exact(q)):
        assert "1/3" in text and "33.3" not in text


def test_the_sort_value_is_exact_and_a_range_sorts_by_its_top() -> None:
    assert figures.sort_value(parse_quantity("最高1000万元", Unit.CNY)) == "10000000"
    assert figures.sort_value(parse_quantity("4.06%", Unit.RATIO)) == "0.0406"
    assert figures.sort_value(parse_quantity("50%—60%", Unit.RATIO)) == "0.6"


def test_lists_follow_the_language() -> None:
    assert figures.join(["企业", "高等院校"], "zh") == "企业、高等院校"
    assert figures.join(["enterprises", "universities"], "en") == "enterprises, universities"

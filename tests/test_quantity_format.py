"""Golden outputs of format_quantity and format_cny: what every table, report and page prints.

Each row is a normalised quantity and the exact text a reader sees, in English and in Chinese, in
full and in the compact form pages use for large money (¥10 m, ¥800 bn, ¥1 tn).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from citypolicy.core.quantity import Bound, Quantity, Unit, format_cny, format_quantity, parse_quantity

D = Decimal


def q(value: str, unit: Unit, bound: Bound = Bound.EXACT, high: str | None = None) -> Quantity:
    return Quantity(D(value), unit, bound, "", D(high) if high is not None else None)


# --------------------------------------------------------------------------- bounds, both languages

# written as a source writes it → English, Chinese
FROM_TEXT = [
    ("最高1000万元", "up to ¥10,000,000", "最高¥10,000,000"),
    ("不超过50%", "up to 50%", "最高50%"),
    ("2600余家", "over 2,600", "超2,600"),
    ("8,000亿元以上", "over ¥800,000,000,000", "超¥800,000,000,000"),
    ("约2640亿元", "about ¥264,000,000,000", "约¥264,000,000,000"),
    ("近8000万元", "about ¥80,000,000", "约¥80,000,000"),
    ("5亿元", "¥500,000,000", "¥500,000,000"),
    ("力争1兆元", "¥1,000,000,000,000", "¥1,000,000,000,000"),
    ("3—5个", "3–5", "3–5"),
    ("50%—60%", "50%–60%", "50%–60%"),
    ("数百万元", "¥2,000,000–¥9,000,000", "¥2,000,000–¥9,000,000"),
    ("1-2成", "10%–20%", "10%–20%"),
    ("超过1/3", "over 33.3333%", "超33.3333%"),
    ("九成", "90%", "90%"),
    ("5‰", "0.5%", "0.5%"),
    ("4.06%", "4.06%", "4.06%"),
    ("突破100EFLOPS", "over 100 EFLOPS", "超100 EFLOPS"),
    ("500 PFLOPS", "0.5 EFLOPS", "0.5 EFLOPS"),
    ("第三", "#3", "第3"),
    ("15天", "15 days", "15天"),
    ("3小时", "3 hours", "3小时"),
    ("6个月", "6 months", "6个月"),
    ("5年", "5 years", "5年"),
    ("30分钟", "30 minutes", "30分钟"),
    ("9000平方公里", "9,000 km²", "9,000平方公里"),
    ("三至五年", "3 years–5 years", "3–5年"),  # each end with its unit
    ("1234.5万元", "¥12,345,000", "¥12,345,000"),
    ("12.5家", "12.5", "12.5"),
]


@pytest.mark.parametrize(("text", "english", "chinese"), FROM_TEXT, ids=[row[0] for row in FROM_TEXT])
def test_format_as_read_from_the_source(text: str, english: str, chinese: str) -> None:
    quantity = parse_quantity(text)
    assert format_quantity(quantity) == english
    assert format_quantity(quantity, "en") == english
    assert format_quantity(quantity, "zh") == chinese


@pytest.mark.parametrize(
    ("bound", "english", "chinese"),
    [
        (Bound.EXACT, "¥5", "¥5"),
        (Bound.AT_MOST, "up to ¥5", "最高¥5"),
        (Bound.AT_LEAST, "over ¥5", "超¥5"),
        (Bound.APPROX, "about ¥5", "约¥5"),
    ],
)
def test_every_bound_word(bound: Bound, english: str, chinese: str) -> None:
    assert format_quantity(q("5", Unit.CNY, bound)) == english
    assert format_quantity(q("5", Unit.CNY, bound), "zh") == chinese


def test_a_range_without_its_upper_end_shows_its_lower_end() -> None:
    assert format_quantity(q("3", Unit.COUNT, Bound.RANGE)) == "3"


# --------------------------------------------------------------------------- compact scales

# value, unit → compact text (pages); the plain text is always the full number
COMPACT = [
    ("999999", Unit.CNY, "¥999,999"),
    ("1000000", Unit.CNY, "¥1 m"),
    ("1500000", Unit.CNY, "¥1.5 m"),
    ("10000000", Unit.CNY, "¥10 m"),
    ("12345678", Unit.CNY, "¥12.3457 m"),  # four decimals at most
    ("999999999", Unit.CNY, "¥1,000 m"),  # rounded within its scale, not promoted to bn
    ("1000000000", Unit.CNY, "¥1 bn"),
    ("264000000000", Unit.CNY, "¥264 bn"),
    ("800000000000", Unit.CNY, "¥800 bn"),
    ("999999999999", Unit.CNY, "¥1,000 bn"),
    ("1000000000000", Unit.CNY, "¥1 tn"),
    ("1234567890123", Unit.CNY, "¥1.2346 tn"),
    ("12000000000000", Unit.CNY, "¥12 tn"),
    ("600000", Unit.CNY, "¥600,000"),
    ("0.5", Unit.CNY, "¥0.5"),
    # counts are compact only from 10^8 on
    ("99999999", Unit.COUNT, "99,999,999"),
    ("100000000", Unit.COUNT, "100 m"),
    ("2500000000", Unit.COUNT, "2.5 bn"),
    ("3000000000000", Unit.COUNT, "3 tn"),
    ("1000000000", Unit.COUNT, "1 bn"),
    ("1000000000000", Unit.COUNT, "1 tn"),
    ("1000000000", Unit.RATIO, "100,000,000,000%"),
    ("1500000", Unit.COUNT, "1,500,000"),
    # other units are never compact
    ("0.5", Unit.RATIO, "50%"),
    ("1000000", Unit.EFLOPS, "1,000,000 EFLOPS"),
    ("1000000", Unit.DAYS, "1,000,000 days"),
    ("1000000000", Unit.KM2, "1,000,000,000 km²"),
    ("3", Unit.RANK, "#3"),
]


@pytest.mark.parametrize(("value", "unit", "compact"), COMPACT, ids=[f"{r[0]}-{r[1].value}" for r in COMPACT])
def test_compact_scales_at_their_boundaries(value: str, unit: Unit, compact: str) -> None:
    assert format_quantity(q(value, unit), compact=True) == compact


def test_compact_ranges_and_bounds() -> None:
    assert format_quantity(parse_quantity("数百万元"), compact=True) == "¥2 m–¥9 m"
    assert format_quantity(parse_quantity("最高5亿元"), compact=True) == "up to ¥500 m"
    assert format_quantity(parse_quantity("最高5亿元"), "zh", compact=True) == "最高¥500 m"
    assert format_quantity(parse_quantity("8,000亿元以上"), compact=True) == "over ¥800 bn"
    assert format_quantity(parse_quantity("1兆元"), compact=True) == "¥1 tn"
    assert format_quantity(parse_quantity("5000万—1亿元"), compact=True) == "¥50 m–¥100 m"
    assert format_quantity(parse_quantity("60万元"), compact=True) == "¥600,000"


def test_plain_money_is_never_compact() -> None:
    assert format_quantity(q("1000000000000", Unit.CNY)) == "¥1,000,000,000,000"
    assert format_quantity(q("100000000", Unit.COUNT)) == "100,000,000"


# --------------------------------------------------------------------------- digits


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("1234.5", "1,234.5"),
        ("1234.56789", "1,234.5679"),  # at most four decimals, rounded
        ("0.33333", "0.3333"),
        ("2.50", "2.5"),
        ("7.0", "7"),
        ("1000", "1,000"),
        ("1000000", "1,000,000"),
        ("0", "0"),
        ("0.00001", "0"),
    ],
)
def test_digits_are_grouped_and_trimmed(value: str, text: str) -> None:
    assert format_quantity(q(value, Unit.COUNT)) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(D(12345), "¥12,345"), (12345, "¥12,345"), (D("6000000.50"), "¥6,000,000.5"), (D("0.01"), "¥0.01"), (0, "¥0")],
)
def test_format_cny(value: Decimal | int, text: str) -> None:
    assert format_cny(value) == text

"""The number grammar (core/quantity.py) as tables: every word it knows, with the value it must give.

Expected values are written out by hand (never computed from the module's own word lists), so a
changed word, multiplier or magnitude fails a row. The completeness tests check that every word
the grammar knows has a row here, so a word added later cannot go untested.
"""

from __future__ import annotations

import pickle
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citypolicy.core import quantity as Q
from citypolicy.core.quantity import Bound, Quantity, QuantityError, Unit, parse_quantity

D = Decimal


def _read(text: str, default: Unit | None = None) -> tuple[Decimal, Decimal | None, Unit, Bound]:
    q = parse_quantity(text, default)
    assert q.text == text.strip()
    return q.value, q.high, q.unit, q.bound


# --------------------------------------------------------------------------- qualifiers

# Each qualifier before 5个 (or after it), and the bound it gives.
QUALIFIERS_BEFORE = {
    "最高": Bound.AT_MOST,
    "最多": Bound.AT_MOST,
    "不超过": Bound.AT_MOST,
    "不高于": Bound.AT_MOST,
    "不到": Bound.AT_MOST,
    "不足": Bound.AT_MOST,
    "至多": Bound.AT_MOST,
    "上限为": Bound.AT_MOST,
    "上限": Bound.AT_MOST,
    "低至": Bound.AT_MOST,
    "少于": Bound.AT_MOST,
    "低于": Bound.AT_MOST,
    "超过": Bound.AT_LEAST,
    "超出": Bound.AT_LEAST,
    "超": Bound.AT_LEAST,
    "逾": Bound.AT_LEAST,
    "突破": Bound.AT_LEAST,
    "不少于": Bound.AT_LEAST,
    "不低于": Bound.AT_LEAST,
    "至少": Bound.AT_LEAST,
    "高于": Bound.AT_LEAST,
    "多于": Bound.AT_LEAST,
    "大约": Bound.APPROX,
    "约": Bound.APPROX,
    "近": Bound.APPROX,
    "将近": Bound.APPROX,
    "接近": Bound.APPROX,
    "上": Bound.AT_LEAST,  # 上百家: upwards of a hundred (issue 9)
    "最高不超过": Bound.AT_MOST,  # the doubled ceilings analysts copy from policy texts (issue 12)
    "最多不超过": Bound.AT_MOST,
    "最高不高于": Bound.AT_MOST,
}
# Words that say nothing about the bound (力争, 达 …): the number stays exact.
NEUTRAL_BEFORE = ("力争", "达到", "达", "为", "共", "累计", "合计", "总额", "总计")
QUALIFIERS_AFTER = {
    "以上": Bound.AT_LEAST,
    "之多": Bound.AT_LEAST,
    "以下": Bound.AT_MOST,
    "以内": Bound.AT_MOST,
    "左右": Bound.APPROX,
}


@pytest.mark.parametrize(("word", "bound"), QUALIFIERS_BEFORE.items())
def test_qualifier_before_the_number(word: str, bound: Bound) -> None:
    assert _read(f"{word}5个") == (D(5), None, Unit.COUNT, bound)


@pytest.mark.parametrize("word", NEUTRAL_BEFORE)
def test_neutral_word_before_the_number_keeps_it_exact(word: str) -> None:
    assert _read(f"{word}5个") == (D(5), None, Unit.COUNT, Bound.EXACT)


@pytest.mark.parametrize(("word", "bound"), QUALIFIERS_AFTER.items())
def test_qualifier_after_the_number(word: str, bound: Bound) -> None:
    assert _read(f"5个{word}") == (D(5), None, Unit.COUNT, bound)


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("不超過50%", Bound.AT_MOST),  # Traditional script
        ("最高1000萬元", Bound.AT_MOST),
        ("約2640億元", Bound.APPROX),
        ("超過1/3", Bound.AT_LEAST),
        ("達8,000億元以上", Bound.AT_LEAST),
    ],
)
def test_qualifiers_in_traditional_script(text: str, bound: Bound) -> None:
    assert parse_quantity(text).bound is bound


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("约5个以上", Bound.AT_LEAST),  # a word after the number wins over one before it
        ("最高5个左右", Bound.APPROX),
        ("超5个以下", Bound.AT_MOST),
    ],
)
def test_word_after_the_number_decides(text: str, bound: Bound) -> None:
    assert parse_quantity(text).bound is bound


def test_neutral_word_after_a_qualifier() -> None:
    assert _read("超过达5个") == (D(5), None, Unit.COUNT, Bound.AT_LEAST)
    assert _read("约达到3000家") == (D(3000), None, Unit.COUNT, Bound.APPROX)
    with pytest.raises(QuantityError):  # a qualifier comes before 力争/达, never after
        parse_quantity("力争超过5个")


def test_every_qualifier_word_has_a_row() -> None:
    assert set(Q._PRE_BOUND) == set(QUALIFIERS_BEFORE)
    assert set(Q._POST_BOUND) == set(QUALIFIERS_AFTER)
    assert set(Q._NEUTRAL_PRE.split("|")) == set(NEUTRAL_BEFORE)


# --------------------------------------------------------------------------- units

# Each unit word after 5: the unit and the value it gives (the multiplier applied to 5).
UNIT_WORDS = {
    "元人民币": (Unit.CNY, D(5)),
    "元": (Unit.CNY, D(5)),
    "%": (Unit.RATIO, D("0.05")),
    "‰": (Unit.RATIO, D("0.005")),
    "成": (Unit.RATIO, D("0.5")),
    "EFLOPS": (Unit.EFLOPS, D(5)),
    "PFLOPS": (Unit.EFLOPS, D("0.005")),
    "个月": (Unit.MONTHS, D(5)),
    "周年": (Unit.YEARS, D(5)),
    "年": (Unit.YEARS, D(5)),
    "天": (Unit.DAYS, D(5)),
    "日": (Unit.DAYS, D(5)),
    "小时": (Unit.HOURS, D(5)),
    "分钟": (Unit.MINUTES, D(5)),
    "平方公里": (Unit.KM2, D(5)),
}
COUNTERS = "家个项款名位人支件台张套份期届座所封次批辆户场例篇部组只颗块间"
UNIT_WORDS |= {counter: (Unit.COUNT, D(5)) for counter in COUNTERS}


@pytest.mark.parametrize(("word", "expected"), UNIT_WORDS.items())
def test_unit_word(word: str, expected: tuple[Unit, Decimal]) -> None:
    unit, value = expected
    assert _read(f"5{word}") == (value, None, unit, Bound.EXACT)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("50%", D("0.5"), Unit.RATIO),
        ("50％", D("0.5"), Unit.RATIO),  # full-width percent sign
        ("4.06%", D("0.0406"), Unit.RATIO),
        ("100%", D(1), Unit.RATIO),
        ("0.5%", D("0.005"), Unit.RATIO),
        ("1.5‰", D("0.0015"), Unit.RATIO),
        ("九成", D("0.9"), Unit.RATIO),
        ("五成", D("0.5"), Unit.RATIO),
        ("100 EFLOPS", D(100), Unit.EFLOPS),
        ("500 PFLOPS", D("0.5"), Unit.EFLOPS),
        ("1500PFLOPS", D("1.5"), Unit.EFLOPS),
        ("3.5小时", D("3.5"), Unit.HOURS),
        ("6个月", D(6), Unit.MONTHS),  # months, not 6个 followed by 月
        ("45周年", D(45), Unit.YEARS),
        ("9000多平方公里", D(9000), Unit.KM2),
        ("5 万元", D(50_000), Unit.CNY),
        ("¥5", D(5), Unit.CNY),
        ("￥1,000", D(1000), Unit.CNY),
        ("¥1.5万", D(15_000), Unit.CNY),
        ("最高 1000 万元", D(10_000_000), Unit.CNY),  # spaces anywhere are dropped
        ("约 2,640 亿元", D(264_000_000_000), Unit.CNY),
    ],
)
def test_unit_values(text: str, value: Decimal, unit: Unit) -> None:
    q = parse_quantity(text)
    assert (q.value, q.unit) == (value, unit)


@pytest.mark.parametrize("word", UNIT_WORDS)
def test_unit_word_at_both_ends_of_a_range(word: str) -> None:
    unit, five = UNIT_WORDS[word]
    quantity = parse_quantity(f"3{word}—5{word}")
    assert (quantity.value, quantity.high, quantity.unit, quantity.bound) == (five * 3 / 5, five, unit, Bound.RANGE)


@pytest.mark.parametrize("word", UNIT_WORDS)
def test_the_extractor_takes_the_longest_unit_word(word: str) -> None:
    """The extractor finds mentions with the same pattern in running text (no fullmatch to force
    backtracking): 6个月 must be one mention in months, 5元人民币 one in yuan."""
    assert Q.quantity_re().match(f"5{word}。").group(0) == f"5{word}"


@pytest.mark.parametrize(
    "text", ["100 EFLOPS", "5 万元", "1000万 元", "2600余 家", "3 — 5 个", "50% — 60%", "2600 余家", "1000 万元以上"]
)
def test_the_extractor_reads_spaced_mentions_whole(text: str) -> None:
    assert Q.quantity_re().match(text + "，").group(0) == text


def test_every_unit_word_has_a_row() -> None:
    assert set(Q._UNIT_WORDS) == set(UNIT_WORDS)
    assert "".join(Q.COUNTERS) == COUNTERS


@pytest.mark.parametrize(
    ("text", "default", "value", "unit"),
    [
        ("500000000", Unit.CNY, D(500_000_000), Unit.CNY),
        ("500000000", None, D(500_000_000), Unit.COUNT),  # no unit, no default: a count
        ("0.5", Unit.RATIO, D("0.5"), Unit.RATIO),  # a plain ratio is not divided by 100
        ("5亿", Unit.CNY, D(500_000_000), Unit.CNY),
        ("5亿", None, D(500_000_000), Unit.COUNT),
        ("5年", Unit.CNY, D(5), Unit.YEARS),  # a unit word beats the default
        ("1/3", Unit.CNY, D("0.3333333333333333333333333333"), Unit.RATIO),  # a fraction is a share
        ("¥5", Unit.COUNT, D(5), Unit.CNY),
        ("第三", Unit.CNY, D(3), Unit.RANK),
    ],
)
def test_default_unit_applies_only_without_a_unit(text: str, default: Unit | None, value: Decimal, unit: Unit) -> None:
    q = parse_quantity(text, default)
    assert (q.value, q.unit) == (value, unit)


@pytest.mark.parametrize(
    ("value", "default", "expected"),
    [
        (500000000, Unit.CNY, D(500_000_000)),
        (0.5, Unit.RATIO, D("0.5")),
        (Decimal("12.50"), Unit.CNY, D("12.5")),
    ],
)
def test_numbers_that_are_not_text(value: object, default: Unit, expected: Decimal) -> None:
    q = parse_quantity(value, default)
    assert (q.value, q.unit, q.bound, q.text) == (expected, default, Bound.EXACT, str(value))


# --------------------------------------------------------------------------- magnitudes

# text, value, high (ranges), unit, bound
MAGNITUDES = [
    ("5万", D(50_000), None, Unit.COUNT, Bound.EXACT),
    ("5亿", D(500_000_000), None, Unit.COUNT, Bound.EXACT),
    ("5万亿", D(5 * 10**12), None, Unit.COUNT, Bound.EXACT),
    ("5兆", D(5 * 10**12), None, Unit.COUNT, Bound.EXACT),  # Taiwanese usage: 10^12
    ("1万亿元", D(10**12), None, Unit.CNY, Bound.EXACT),
    ("1兆元", D(10**12), None, Unit.CNY, Bound.EXACT),
    ("兆元", D(10**12), None, Unit.CNY, Bound.EXACT),  # a magnitude alone is one of it
    ("亿元", D(10**8), None, Unit.CNY, Bound.EXACT),
    ("1.2万", D(12_000), None, Unit.COUNT, Bound.EXACT),
    ("2.5亿元", D(250_000_000), None, Unit.CNY, Bound.EXACT),
    ("475.16亿元", D(47_516_000_000), None, Unit.CNY, Bound.EXACT),
    ("8,000亿元以上", D(800_000_000_000), None, Unit.CNY, Bound.AT_LEAST),
    ("1,234.5万元", D(12_345_000), None, Unit.CNY, Bound.EXACT),
    ("千亿级", D(100_000_000_000), None, Unit.COUNT, Bound.AT_LEAST),
    ("百亿级", D(10_000_000_000), None, Unit.COUNT, Bound.AT_LEAST),
    ("万亿级", D(10**12), None, Unit.COUNT, Bound.AT_LEAST),
    ("千亿级元", D(100_000_000_000), None, Unit.CNY, Bound.AT_LEAST),
    ("两万", D(20_000), None, Unit.COUNT, Bound.EXACT),
    ("兩萬", D(20_000), None, Unit.COUNT, Bound.EXACT),
    ("十万", D(100_000), None, Unit.COUNT, Bound.EXACT),
    ("一千二百家", D(1200), None, Unit.COUNT, Bound.EXACT),
    ("两千家", D(2000), None, Unit.COUNT, Bound.EXACT),
    ("三十个", D(30), None, Unit.COUNT, Bound.EXACT),
    ("零个", D(0), None, Unit.COUNT, Bound.EXACT),
    ("〇个", D(0), None, Unit.COUNT, Bound.EXACT),
    ("一百〇五家", D(105), None, Unit.COUNT, Bound.EXACT),
    ("二十家", D(20), None, Unit.COUNT, Bound.EXACT),
    ("四十个", D(40), None, Unit.COUNT, Bound.EXACT),
    ("五千人", D(5000), None, Unit.COUNT, Bound.EXACT),
    ("六个月", D(6), None, Unit.MONTHS, Bound.EXACT),
    ("七天", D(7), None, Unit.DAYS, Bound.EXACT),
    ("八成", D("0.8"), None, Unit.RATIO, Bound.EXACT),
    ("九十九项", D(99), None, Unit.COUNT, Bound.EXACT),
    ("三百六十五天", D(365), None, Unit.DAYS, Bound.EXACT),
    # 余 / 多: "more than"
    ("2600余家", D(2600), None, Unit.COUNT, Bound.AT_LEAST),
    ("百余项", D(100), None, Unit.COUNT, Bound.AT_LEAST),
    ("300多家", D(300), None, Unit.COUNT, Bound.AT_LEAST),
    ("10余万人", D(100_000), None, Unit.COUNT, Bound.AT_LEAST),
    ("10万余人", D(100_000), None, Unit.COUNT, Bound.AT_LEAST),
    ("10多万人", D(100_000), None, Unit.COUNT, Bound.AT_LEAST),
    ("两百多亿元", D(20_000_000_000), None, Unit.CNY, Bound.AT_LEAST),
    ("40余个", D(40), None, Unit.COUNT, Bound.AT_LEAST),
    # 上百: "upwards of a hundred", at least
    ("上百家", D(100), None, Unit.COUNT, Bound.AT_LEAST),
    ("上千人", D(1000), None, Unit.COUNT, Bound.AT_LEAST),
    # fuzzy magnitudes: ranges, multiplied by the scale that follows
    ("数百家", D(200), D(900), Unit.COUNT, Bound.RANGE),
    ("几十个", D(20), D(90), Unit.COUNT, Bound.RANGE),
    ("数千人", D(2000), D(9000), Unit.COUNT, Bound.RANGE),
    ("几百项", D(200), D(900), Unit.COUNT, Bound.RANGE),
    ("数百万元", D(2_000_000), D(9_000_000), Unit.CNY, Bound.RANGE),
    ("數百萬元", D(2_000_000), D(9_000_000), Unit.CNY, Bound.RANGE),
    ("几十亿元", D(2_000_000_000), D(9_000_000_000), Unit.CNY, Bound.RANGE),
    ("幾十億元", D(2_000_000_000), D(9_000_000_000), Unit.CNY, Bound.RANGE),
    ("数十万人", D(200_000), D(900_000), Unit.COUNT, Bound.RANGE),
    ("几千万元", D(20_000_000), D(90_000_000), Unit.CNY, Bound.RANGE),
    ("数百PFLOPS", D("0.2"), D("0.9"), Unit.EFLOPS, Bound.RANGE),
    ("十几个", D(11), D(19), Unit.COUNT, Bound.RANGE),
    ("二十几家", D(21), D(29), Unit.COUNT, Bound.RANGE),
    ("一百几家", D(110), D(190), Unit.COUNT, Bound.RANGE),
    ("三千几家", D(3100), D(3900), Unit.COUNT, Bound.RANGE),
    ("十几万", D(110_000), D(190_000), Unit.COUNT, Bound.RANGE),
    ("十几亿元", D(1_100_000_000), D(1_900_000_000), Unit.CNY, Bound.RANGE),
    ("近十几个", D(11), D(19), Unit.COUNT, Bound.RANGE),  # a range keeps its ends, whatever the word
]


@pytest.mark.parametrize(("text", "value", "high", "unit", "bound"), MAGNITUDES, ids=[row[0] for row in MAGNITUDES])
def test_magnitude(text: str, value: Decimal, high: Decimal | None, unit: Unit, bound: Bound) -> None:
    assert _read(text) == (value, high, unit, bound)


def test_every_magnitude_word_has_a_row() -> None:
    assert Q._MAGNITUDES == {"万": 10**4, "亿": 10**8, "万亿": 10**12, "兆": 10**12}
    assert set(Q._MORE.split("|")) == {"余", "多"}


# --------------------------------------------------------------------------- ranges, halves, fractions

RANGES = [
    ("3—5个", D(3), D(5), Unit.COUNT),
    ("3-5个", D(3), D(5), Unit.COUNT),
    ("3–5个", D(3), D(5), Unit.COUNT),
    ("3~5个", D(3), D(5), Unit.COUNT),
    ("3至5个", D(3), D(5), Unit.COUNT),
    ("3到5个", D(3), D(5), Unit.COUNT),
    ("3 — 5 个", D(3), D(5), Unit.COUNT),
    ("5—5个", D(5), D(5), Unit.COUNT),  # equal ends: a range of one value, accepted
    ("5-5个", D(5), D(5), Unit.COUNT),
    ("50%—60%", D("0.5"), D("0.6"), Unit.RATIO),
    ("50—60%", D("0.5"), D("0.6"), Unit.RATIO),
    ("1-2成", D("0.1"), D("0.2"), Unit.RATIO),
    ("3—5万元", D(30_000), D(50_000), Unit.CNY),  # the magnitude of the upper end applies to both
    ("3万—5万元", D(30_000), D(50_000), Unit.CNY),
    ("5000万—1亿元", D(50_000_000), D(100_000_000), Unit.CNY),  # each end its own magnitude
    ("1—1.5亿元", D(100_000_000), D(150_000_000), Unit.CNY),
    ("三至五年", D(3), D(5), Unit.YEARS),
    ("1/3—1/2", D("0.3333333333333333333333333333"), D("0.5"), Unit.RATIO),  # fractions: shares
    ("最高3—5个", D(3), D(5), Unit.COUNT),
]


@pytest.mark.parametrize(("text", "value", "high", "unit"), RANGES, ids=[row[0] for row in RANGES])
def test_range(text: str, value: Decimal, high: Decimal, unit: Unit) -> None:
    assert _read(text) == (value, high, unit, Bound.RANGE)


@pytest.mark.parametrize(
    ("text", "value", "bound"),
    [
        ("一半", D("0.5"), Bound.EXACT),
        ("半数", D("0.5"), Bound.EXACT),
        ("一半以上", D("0.5"), Bound.AT_LEAST),
        ("半数以上", D("0.5"), Bound.AT_LEAST),
        ("超过一半", D("0.5"), Bound.AT_LEAST),
        ("1/3", D("0.3333333333333333333333333333"), Bound.EXACT),
        ("超过1/3", D("0.3333333333333333333333333333"), Bound.AT_LEAST),
        ("2/3", D("0.6666666666666666666666666667"), Bound.EXACT),  # 28 significant digits
        ("3/4", D("0.75"), Bound.EXACT),
        ("近1/4", D("0.25"), Bound.APPROX),
    ],
)
def test_halves_and_fractions_are_shares(text: str, value: Decimal, bound: Bound) -> None:
    assert _read(text) == (value, None, Unit.RATIO, bound)


@pytest.mark.parametrize(
    ("text", "value"),
    [("第三", D(3)), ("第1", D(1)), ("第十二", D(12)), ("全省第二", None), ("第3名", D(3))],
)
def test_ranks(text: str, value: Decimal | None) -> None:
    if value is None:  # a rank is written from 第 on: the place before it is not part of the figure
        with pytest.raises(QuantityError):
            parse_quantity(text)
        return
    assert _read(text) == (value, None, Unit.RANK, Bound.EXACT)


# --------------------------------------------------------------------------- exact values


def test_money_is_an_exact_integer() -> None:
    quantity = parse_quantity("5亿元")
    assert quantity.value == 500_000_000
    assert quantity.value.as_tuple().exponent == 0  # not 5E+8
    assert str(quantity.value) == "500000000"
    assert quantity.to_json() == {
        "value": 500_000_000,
        "high": None,
        "unit": "cny",
        "bound": "exact",
        "text": "5亿元",
        "derivation": None,
    }


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("5.0亿元", "500000000"),
        ("5.00万元", "50000"),
        ("0.50", "0.5"),
        ("5.10%", "0.051"),
        ("12.50万元", "125000"),
        ("0.125亿元", "12500000"),
        ("2.5%", "0.025"),
        ("1.50成", "0.15"),
        ("100.000", "100"),
    ],
)
def test_values_are_tidy(text: str, written: str) -> None:
    """Trailing zeros go and integers stay integral, so 5.0亿 and 5亿 are the same value."""
    assert str(parse_quantity(text).value) == written


def test_range_and_ratio_to_json() -> None:
    assert parse_quantity("50%—60%").to_json() == {
        "value": 0.5,
        "high": 0.6,
        "unit": "ratio",
        "bound": "range",
        "text": "50%—60%",
        "derivation": None,
    }
    assert parse_quantity("3—5个").to_json()["high"] == 5
    assert isinstance(parse_quantity("3—5个").to_json()["high"], int)


@pytest.mark.parametrize(("value", "expected"), [(D(5), 5), (D("5.0"), 5), (D("0.5"), 0.5), (D("1E+3"), 1000)])
def test_json_number(value: Decimal, expected: int | float) -> None:
    number = Q.json_number(value)
    assert number == expected and type(number) is type(expected)


@pytest.mark.parametrize("text", ["最高1000万元", "50%—60%", "超过1/3", "数百万元", "第三", "5‰"])
def test_quantities_survive_pickling(text: str) -> None:
    """The cache stores quantities pickled: they must come back equal, range ends included."""
    quantity = parse_quantity(text)
    again = pickle.loads(pickle.dumps(quantity))
    assert again == quantity
    assert (type(again.value), type(again.high)) == (Decimal, type(quantity.high))


def test_matches_either_end_in_the_same_unit() -> None:
    span = parse_quantity("3—5个")
    assert span.matches(Unit.COUNT, D(3)) and span.matches(Unit.COUNT, D(5))
    assert not span.matches(Unit.COUNT, D(4))
    assert not span.matches(Unit.CNY, D(3))
    single = parse_quantity("5个")
    assert single.matches(Unit.COUNT, D(5)) and not single.matches(Unit.COUNT, D(6))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # expected values are written out: Decimal arithmetic in the default context would round
        ("1" * 30 + "家", D("1" * 30)),
        ("1" * 25 + "亿元", D("1" * 25 + "0" * 8)),
        ("123456789012345678.5万亿元", D("1234567890123456785" + "0" * 11)),
        ("1234567890123456789012345678.9家", D("1234567890123456789012345678.9")),
        ("123456789012345678901234.56789万", D("1234567890123456789012345678.9")),
        ("1.00000000000000000000000000001家", D("1.00000000000000000000000000001")),
        ("1" * 40 + "家", D("1" * 40)),  # the longest number read: 40 digits
        ("9" * 39 + ".5万亿元", D("9" * 39 + "5" + "0" * 11)),
    ],
)
def test_large_values_are_exact(text: str, expected: Decimal) -> None:
    """Money and counts are exact Decimals, even past the default 28-digit context."""
    quantity = parse_quantity(text)
    assert quantity.value == expected
    assert str(quantity.value) == str(expected)


@pytest.mark.parametrize("text", ["1" * 41 + "家", "1" * 20 + "." + "1" * 21 + "元", "1" * 41 + "/3", "3—" + "1" * 41])
def test_numbers_longer_than_40_digits_are_refused(text: str) -> None:
    with pytest.raises(QuantityError) as raised:
        parse_quantity(text)
    assert "has more than 40 digits" in str(raised.value)


# --------------------------------------------------------------------------- refusals


HOW = "; write it as the source does, e.g. 最高1000万元, 8,000亿元以上, 50%, 3—5个, 100 EFLOPS"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "cannot read 'abc' as a quantity" + HOW),
        ("5亿元元", "cannot read '5亿元元' as a quantity" + HOW),
        ("", "empty quantity"),
        ("   ", "empty quantity"),
        ("-5亿元", "cannot read '-5亿元' as a quantity" + HOW),
        ("1.2.3万", "cannot read '1.2.3万' as a quantity" + HOW),
        ("8,00亿", "cannot read '8,00亿' as a quantity" + HOW),
        ("元", "cannot read '元' as a quantity" + HOW),
        ("%", "cannot read '%' as a quantity" + HOW),
        ("以上", "cannot read '以上' as a quantity" + HOW),
        ("最高", "cannot read '最高' as a quantity" + HOW),
        ("数家", "cannot read '数家' as a quantity" + HOW),  # 数 alone is no number
        ("十几十个", "cannot read '十几十个' as a quantity" + HOW),  # 几 only first or last
        ("几数十个", "cannot read '几数十个' as a quantity" + HOW),
        ("5—3个", "range '5—3个' runs backwards (5 > 3)"),
        ("60%—50%", "range '60%—50%' runs backwards (0.60 > 0.50)"),
        ("5万—1万元", "range '5万—1万元' runs backwards (50000 > 10000)"),
        ("1/0", "1/0: division by zero"),
        ("几个", "几 is not a definite number"),
        ("一一个", "一一 is a string of digits, not a Chinese number (唯一一个, 一一)"),
        ("十百个", "cannot read the Chinese numeral '一十百'"),
        ("1" * 41 + "家", "1" * 41 + " has more than 40 digits: no policy figure is that long"),
    ],
)
def test_unreadable_quantities_raise_quantity_error(text: str, message: str) -> None:
    with pytest.raises(QuantityError) as raised:
        parse_quantity(text)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "expected a quantity such as 5亿元 or 50%, got None"),
        (True, "expected a quantity such as 5亿元 or 50%, got True"),
        (False, "expected a quantity such as 5亿元 or 50%, got False"),
        (["5亿元"], "expected a quantity written as text, got list"),
        ({"a": 1}, "expected a quantity written as text, got dict"),
    ],
)
def test_non_text_is_refused(value: object, message: str) -> None:
    with pytest.raises(QuantityError) as raised:
        parse_quantity(value)
    assert str(raised.value) == message


def test_chinese_numeral_helper() -> None:
    assert Q.chinese_numeral("一千二百") == 1200
    assert Q.chinese_numeral("百") == 100
    assert Q.chinese_numeral("千") == 1000
    assert Q.chinese_numeral("十") == 10
    assert Q.chinese_numeral("两") == 2
    with pytest.raises(QuantityError):
        Q.chinese_numeral("几")


def test_normalise_folds_width_and_traditional_numerals() -> None:
    assert Q.normalise("２.５億元") == "2.5亿元"
    assert Q.normalise("５０％") == "50%"
    assert Q.normalise("兩萬") == "两万"
    assert Q.normalise("幾十") == "几十"
    assert Q.normalise("數百") == "数百"


# --------------------------------------------------------------------------- properties

MAGNITUDE_EXPONENTS = {"万": 4, "亿": 8, "万亿": 12, "兆": 12}


@st.composite
def digit_numbers(draw: st.DrawFn) -> tuple[str, Decimal]:
    """A non-negative number written in digits: integer part (with or without thousands
    separators) and 0–4 decimal places. Integer parts stay below 10**15, i.e. below 10**27 yuan
    once multiplied by 万亿 (larger values: see test_large_values_are_exact)."""
    integer = draw(st.integers(min_value=0, max_value=10**15 - 1))
    places = draw(st.integers(min_value=0, max_value=4))
    fraction = draw(st.text(alphabet="0123456789", min_size=places, max_size=places))
    grouped = draw(st.booleans())
    text = f"{integer:,}" if grouped else str(integer)
    exact = str(integer)
    if places:
        text += "." + fraction
        exact += "." + fraction
    return text, Decimal(exact)


@given(number=digit_numbers(), magnitude=st.sampled_from(sorted(MAGNITUDE_EXPONENTS)), yuan=st.booleans())
def test_digits_with_magnitude_round_trip(number: tuple[str, Decimal], magnitude: str, yuan: bool) -> None:
    written, value = number
    quantity = parse_quantity(written + magnitude + ("元" if yuan else ""))
    assert quantity.value == value * Decimal(10) ** MAGNITUDE_EXPONENTS[magnitude]
    assert quantity.unit is (Unit.CNY if yuan else Unit.COUNT)
    assert quantity.bound is Bound.EXACT
    assert quantity.high is None


@given(number=digit_numbers(), magnitude=st.sampled_from(sorted(MAGNITUDE_EXPONENTS)))
def test_money_default_unit_applies_to_magnitudes(number: tuple[str, Decimal], magnitude: str) -> None:
    written, value = number
    quantity = parse_quantity(written + magnitude, Unit.CNY)
    assert quantity.value == value * Decimal(10) ** MAGNITUDE_EXPONENTS[magnitude]
    assert quantity.unit is Unit.CNY


@given(number=digit_numbers(), sign=st.sampled_from(["%", "％"]))
def test_percentages_round_trip(number: tuple[str, Decimal], sign: str) -> None:
    written, value = number
    quantity = parse_quantity(written + sign)
    assert quantity.value == value / 100
    assert quantity.unit is Unit.RATIO
    assert quantity.bound is Bound.EXACT


@given(low=st.integers(min_value=0, max_value=10**9), extra=st.integers(min_value=0, max_value=10**9))
def test_ranges_in_order_are_read_and_backwards_ones_refused(low: int, extra: int) -> None:
    high = low + extra
    assert _read(f"{low}—{high}家") == (D(low), D(high), Unit.COUNT, Bound.RANGE)
    if extra:
        with pytest.raises(QuantityError):
            parse_quantity(f"{high}—{low}家")


def test_a_quantity_is_a_value_object() -> None:
    assert Quantity(D(5), Unit.COUNT, Bound.EXACT, "5个") == parse_quantity("5个")


@pytest.mark.parametrize("numeral", list("零〇一二两三四五六七八九十百千"))
def test_one_character_numerals_read_as_cn2an_reads_them(numeral: str) -> None:
    import cn2an

    from citypolicy.core.quantity import chinese_numeral

    expected = cn2an.cn2an("一" + numeral if numeral in "十百千" else numeral, "normal")
    assert chinese_numeral(numeral) == expected


def test_cn2an_is_imported_only_for_numerals_of_several_characters() -> None:
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from citypolicy.core.quantity import parse_quantity\n"
        "values = [parse_quantity(t).value for t in ('不少于两个', '九成', '千亿级', '百余项', '几十家')]\n"
        "print(values, 'cn2an' in sys.modules)\n"
        "print(parse_quantity('一千二百家').value, 'cn2an' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == [
        "[Decimal('2'), Decimal('0.9'), Decimal('100000000000'), Decimal('100'), Decimal('20')] False",
        "1200 True",
    ]

"""Quantities and dates as analysts write them, with real expected values, plus round-trip properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citypolicy.core.dates import DateError, Part, PartialDate, parse_date
from citypolicy.core.quantity import Bound, QuantityError, Unit, parse_quantity

D = Decimal

# text, default unit, value, unit, bound, high (for ranges)
CASES = [
    ("5亿元", None, D(500_000_000), Unit.CNY, Bound.EXACT, None),
    ("1000万元", None, D(10_000_000), Unit.CNY, Bound.EXACT, None),
    ("1万亿元", None, D(10**12), Unit.CNY, Bound.EXACT, None),
    ("1兆元", None, D(10**12), Unit.CNY, Bound.EXACT, None),
    ("8,000億元以上", None, D(800_000_000_000), Unit.CNY, Bound.AT_LEAST, None),
    ("50%", None, D("0.5"), Unit.RATIO, Bound.EXACT, None),
    ("100 EFLOPS", None, D(100), Unit.EFLOPS, Bound.EXACT, None),
    ("最高1000万元", None, D(10_000_000), Unit.CNY, Bound.AT_MOST, None),
    ("超3000名", None, D(3000), Unit.COUNT, Bound.AT_LEAST, None),
    ("近10万人", None, D(100_000), Unit.COUNT, Bound.APPROX, None),
    ("3—5个", None, D(3), Unit.COUNT, Bound.RANGE, D(5)),
    ("2600余家", None, D(2600), Unit.COUNT, Bound.AT_LEAST, None),
    ("千亿级", None, D(100_000_000_000), Unit.COUNT, Bound.AT_LEAST, None),
    ("百余项", None, D(100), Unit.COUNT, Bound.AT_LEAST, None),
    ("不少于两个", None, D(2), Unit.COUNT, Bound.AT_LEAST, None),
    ("九成", None, D("0.9"), Unit.RATIO, Bound.EXACT, None),
    ("1-2成", None, D("0.1"), Unit.RATIO, Bound.RANGE, D("0.2")),
    ("超过1/3", None, D(1) / D(3), Unit.RATIO, Bound.AT_LEAST, None),
    ("一半以上", None, D("0.5"), Unit.RATIO, Bound.AT_LEAST, None),
    ("500000000", Unit.CNY, D(500_000_000), Unit.CNY, Bound.EXACT, None),
    ("0.5", Unit.RATIO, D("0.5"), Unit.RATIO, Bound.EXACT, None),
    # a few more shapes the sources use
    ("500000000", None, D(500_000_000), Unit.COUNT, Bound.EXACT, None),
    ("1,234.5万元", None, D(12_345_000), Unit.CNY, Bound.EXACT, None),
    ("２.５亿元", None, D(250_000_000), Unit.CNY, Bound.EXACT, None),  # full-width digits
    ("不超过50%", None, D("0.5"), Unit.RATIO, Bound.AT_MOST, None),
    ("50%—60%", None, D("0.5"), Unit.RATIO, Bound.RANGE, D("0.6")),
    ("力争1兆元", None, D(10**12), Unit.CNY, Bound.EXACT, None),
    ("500 PFLOPS", None, D("0.5"), Unit.EFLOPS, Bound.EXACT, None),
    ("15天", None, D(15), Unit.DAYS, Bound.EXACT, None),
    ("数百家", None, D(200), Unit.COUNT, Bound.RANGE, D(900)),
    ("第三", None, D(3), Unit.RANK, Bound.EXACT, None),
]


@pytest.mark.parametrize(("text", "default", "value", "unit", "bound", "high"), CASES, ids=[c[0] for c in CASES])
def test_parse_quantity(text, default, value, unit, bound, high) -> None:
    quantity = parse_quantity(text, default)
    assert quantity.value == value
    assert isinstance(quantity.value, Decimal)
    assert quantity.unit is unit
    assert quantity.bound is bound
    assert quantity.high == high
    assert quantity.text == text


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
    }


def test_one_third_is_the_decimal_quotient() -> None:
    quantity = parse_quantity("超过1/3")
    assert quantity.value == D("0.3333333333333333333333333333")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "cannot read 'abc' as a quantity"),
        ("5亿元元", "cannot read '5亿元元' as a quantity"),
        ("", "empty quantity"),
        ("   ", "empty quantity"),
        ("-5亿元", "cannot read '-5亿元' as a quantity"),
        ("1.2.3万", "cannot read '1.2.3万' as a quantity"),
        ("5—3个", "runs backwards"),
        ("1/0", "division by zero"),
    ],
)
def test_unreadable_quantities_raise_quantity_error(text: str, message: str) -> None:
    with pytest.raises(QuantityError) as raised:
        parse_quantity(text)
    assert message in str(raised.value)


@pytest.mark.parametrize("value", [None, True, False, ["5亿元"], {"a": 1}])
def test_non_text_is_refused(value: object) -> None:
    with pytest.raises(QuantityError):
        parse_quantity(value)


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
    ],
)
def test_large_values_are_exact_or_refused_cleanly(text: str, expected: Decimal) -> None:
    """Money and counts are exact Decimals: a value beyond the default 28-digit context must be
    either exact or refused with a QuantityError (which check reports at its line): never silently
    rounded, never another exception (decimal.InvalidOperation escapes to the CLI as an internal
    error)."""
    try:
        quantity = parse_quantity(text)
    except QuantityError:
        return
    assert quantity.value == expected


# --------------------------------------------------------------------------- properties

MAGNITUDES = {"万": 4, "亿": 8, "万亿": 12, "兆": 12}


@st.composite
def digit_numbers(draw: st.DrawFn) -> tuple[str, Decimal]:
    """A non-negative number written in digits: integer part (with or without thousands
    separators) and 0–4 decimal places. Integer parts stay below 10**15, i.e. below 10**27 yuan
    once multiplied by 万亿 (larger values: see test_large_values_are_exact_or_refused_cleanly)."""
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


@settings(deadline=None)  # the first call loads OpenCC and cn2an
@given(number=digit_numbers(), magnitude=st.sampled_from(sorted(MAGNITUDES)), yuan=st.booleans())
def test_digits_with_magnitude_round_trip(number: tuple[str, Decimal], magnitude: str, yuan: bool) -> None:
    written, value = number
    text = written + magnitude + ("元" if yuan else "")
    quantity = parse_quantity(text)
    assert quantity.value == value * Decimal(10) ** MAGNITUDES[magnitude]
    assert quantity.unit is (Unit.CNY if yuan else Unit.COUNT)
    assert quantity.bound is Bound.EXACT
    assert quantity.high is None


@settings(deadline=None)  # the first call loads OpenCC and cn2an
@given(number=digit_numbers(), magnitude=st.sampled_from(sorted(MAGNITUDES)))
def test_money_default_unit_applies_to_magnitudes(number: tuple[str, Decimal], magnitude: str) -> None:
    written, value = number
    quantity = parse_quantity(written + magnitude, Unit.CNY)
    assert quantity.value == value * Decimal(10) ** MAGNITUDES[magnitude]
    assert quantity.unit is Unit.CNY


@settings(deadline=None)  # the first call loads OpenCC and cn2an
@given(number=digit_numbers(), sign=st.sampled_from(["%", "％"]))
def test_percentages_round_trip(number: tuple[str, Decimal], sign: str) -> None:
    written, value = number
    quantity = parse_quantity(written + sign)
    assert quantity.value == value / 100
    assert quantity.unit is Unit.RATIO
    assert quantity.bound is Bound.EXACT


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    import calendar

    year = draw(st.integers(min_value=1900, max_value=2100))
    month = draw(st.none() | st.integers(min_value=1, max_value=12))
    day = None
    if month is not None:
        day = draw(st.none() | st.integers(min_value=1, max_value=calendar.monthrange(year, month)[1]))
    part = None if day is not None else draw(st.none() | st.sampled_from(list(Part)))
    return PartialDate(year, month, day, part)


@settings(deadline=None)
@given(partial_dates())
def test_dates_round_trip(date: PartialDate) -> None:
    assert parse_date(str(date)) == date
    assert date.start <= date.end


# --------------------------------------------------------------------------- dates by example


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025", PartialDate(2025)),
        ("2025-05", PartialDate(2025, 5)),
        ("2025-03-03", PartialDate(2025, 3, 3)),
        ("2024-late", PartialDate(2024, None, None, Part.LATE)),
        ("2024-07-late", PartialDate(2024, 7, None, Part.LATE)),
        ("2024-02-29", PartialDate(2024, 2, 29)),
        (2025, PartialDate(2025)),
    ],
)
def test_parse_date(text: object, expected: PartialDate) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2025/03/01", "is not a date"),
        ("2025-02-30", "day 30 does not exist in 2025-02"),
        ("2025-02-29", "day 29 does not exist in 2025-02"),
        ("2025-13", "month 13 does not exist"),
        ("1899", "year 1899 is out of range"),
        ("2025-03-03-late", "a day and a part of the month cannot both be given"),
        ("March 2025", "is not a date"),
    ],
)
def test_bad_dates(text: str, message: str) -> None:
    with pytest.raises(DateError) as raised:
        parse_date(text)
    assert message in str(raised.value)


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

"""Dates as analysts write them (core/dates.py): by example, refusals, and a round-trip property."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citypolicy.core.dates import DateError, Part, PartialDate, parse_date


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

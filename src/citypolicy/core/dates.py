"""Dates as precisely as a source gives them: `2025`, `2025-03`, `2025-03-03`, `2024-late`.

A part of year or month (early, mid, late: 年初, 年中, 年底/月底) keeps what the source says without
inventing a day. Dates sort chronologically; `start` and `end` give the window they stand for.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Part(StrEnum):
    EARLY = "early"
    MID = "mid"
    LATE = "late"


_DATE_RE = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?(?:-(?P<part>early|mid|late))?")
_PART_MONTHS = {Part.EARLY: (1, 2), Part.MID: (6, 7), Part.LATE: (11, 12)}
_PART_DAYS = {Part.EARLY: (1, 10), Part.MID: (11, 20), Part.LATE: (21, 31)}


class DateError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None
    part: Part | None = None
    basis: str | None = field(default=None, compare=False)  # how the date was inferred, when no quote states it

    def __reduce__(self) -> tuple[object, ...]:  # compact in the cache
        return (_restore, (self.year, self.month, self.day, self.part.value if self.part else None, self.basis))

    @property
    def inferred(self) -> bool:
        return self.basis is not None

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        if self.part:
            text += f"-{self.part.value}"
        return text

    @property
    def start(self) -> date:
        if self.month is None:
            month = _PART_MONTHS[self.part][0] if self.part else 1
            return date(self.year, month, 1)
        if self.day is None:
            return date(self.year, self.month, _PART_DAYS[self.part][0] if self.part else 1)
        return date(self.year, self.month, self.day)

    @property
    def end(self) -> date:
        if self.month is None:
            month = _PART_MONTHS[self.part][1] if self.part else 12
            return date(self.year, month, calendar.monthrange(self.year, month)[1])
        if self.day is None:
            last = calendar.monthrange(self.year, self.month)[1]
            return date(self.year, self.month, min(_PART_DAYS[self.part][1], last) if self.part else last)
        return date(self.year, self.month, self.day)

    def sort_key(self) -> tuple[date, date]:
        return (self.end, self.start)

    def human(self, lang: str = "en") -> str:
        """As a reader says it (`late 2024`, `2024年底`); an inferred date says so."""
        text = self._plain_human(lang)
        if self.basis is not None:
            text += "（推断）" if lang == "zh" else " (inferred)"
        return text

    def _plain_human(self, lang: str) -> str:
        if lang == "zh":
            text = f"{self.year}年"
            if self.month:
                text += f"{self.month}月"
            if self.day:
                text += f"{self.day}日"
            if self.part:
                text += {"early": "初", "mid": "中", "late": "底"}[self.part.value]
            return text
        text = str(self.year)
        if self.month:
            text = f"{calendar.month_abbr[self.month]} {text}"
        if self.day:
            text = f"{self.day} {text}"
        if self.part:
            text = f"{self.part.value} {text}"
        return text


def _written_in_words(text: str) -> str | None:
    """`2025年3月` -> `2025-03`: a date as a Chinese text writes it, read with the mention grammar."""
    from .mentions import find_mentions  # mentions imports this module

    found = find_mentions(text)
    if len(found) == 1 and found[0].text == text and isinstance(found[0].date, PartialDate):
        return str(found[0].date)
    return None


def _restore(year: int, month: int | None, day: int | None, part: str | None, basis: str | None = None) -> PartialDate:
    return PartialDate(year, month, day, Part(part) if part else None, basis)


def parse_date(value: object) -> PartialDate:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, date):
        return PartialDate(value.year, value.month, value.day)
    if not isinstance(value, str):
        raise DateError(f"expected a date such as 2025, 2025-03, 2025-03-03 or 2024-late, got {value!r}")
    match = _DATE_RE.fullmatch(value.strip())
    if match is None:
        meant = _written_in_words(value.strip())
        hint = f"; did you mean {meant}? Write" if meant else ": write"
        raise DateError(
            f"{value!r} is not a date{hint} 2025, 2025-03, 2025-03-03, or add a part of the "
            "period the source names: 2024-late (年底), 2025-early (年初), 2024-07-late (7月底)"
        )
    year = int(match["year"])
    month = int(match["month"]) if match["month"] else None
    day = int(match["day"]) if match["day"] else None
    part = Part(match["part"]) if match["part"] else None
    if day and part:
        raise DateError(f"{value!r}: a day and a part of the month cannot both be given")
    if not 1900 <= year <= 2100:
        raise DateError(f"{value!r}: year {year} is out of range 1900–2100")
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"{value!r}: month {month} does not exist")
    if day is not None and month is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise DateError(f"{value!r}: day {day} does not exist in {year}-{month:02d}")
    return PartialDate(year, month, day, part)

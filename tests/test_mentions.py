"""Mentions as the proof, `extract` and `coverage` read them: every date form, every bound from
context, what is not a mention, and when a record's date agrees with a text's."""

from __future__ import annotations

from datetime import date

import pytest

from citypolicy.core.dates import Part, PartialDate
from citypolicy.core.mentions import DayRange, YearRange, dates_agree, find_mentions, sentence_at


def _dates(text: str, year: int | PartialDate | None = 2025) -> list[tuple[str, str]]:
    return [(m.text, str(m.date)) for m in find_mentions(text, year) if m.kind == "date"]


def _figures(text: str) -> list[tuple[str, str, str, str]]:
    return [
        (m.text, str(m.quantity.value), m.quantity.unit.value, m.quantity.bound.value)
        for m in find_mentions(text)
        if m.quantity is not None
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025年3月3日发布", [("2025年3月3日", "2025-03-03")]),
        ("2024年底出台", [("2024年底", "2024-late")]),
        ("2024年初", [("2024年初", "2024-early")]),
        ("2024年末", [("2024年末", "2024-late")]),
        ("2023年中", [("2023年中", "2023-mid")]),
        ("2024年7月底", [("2024年7月底", "2024-07-late")]),
        ("2024年7月初", [("2024年7月初", "2024-07-early")]),
        ("2025年2月中旬", [("2025年2月中旬", "2025-02-mid")]),
        ("2025年2月上旬", [("2025年2月上旬", "2025-02-early")]),
        ("2025年2月下旬", [("2025年2月下旬", "2025-02-late")]),
        ("今年5月", [("今年5月", "2025-05")]),
        ("去年年底", [("去年年底", "2024-late")]),
        ("明年", [("明年", "2026")]),
        ("前年", [("前年", "2023")]),
        ("今年3月31日", [("今年3月31日", "2025-03-31")]),
        ("2024年发布，同年10月", [("2024年", "2024"), ("同年10月", "2024-10")]),
        ("3月31日成立", [("3月31日", "2025-03-31")]),
        ("2月21日至23日举行", [("2月21日至23日", "2025-02-21/23")]),
        ("2025—2027年", [("2025—2027年", "2025–2027")]),
        ("2025-2027年", [("2025-2027年", "2025–2027")]),
        ("90年代", [("90年代", "None")]),
        ("目前", [("目前", "2025")]),
        ("截至目前", [("截至目前", "2025")]),
        ("如今", [("如今", "2025")]),
    ],
)
def test_date_forms(text: str, expected: list[tuple[str, str]]) -> None:
    assert _dates(text) == expected


def test_dates_without_the_articles_year_are_mentions_without_a_value() -> None:
    assert _dates("今年5月，3月31日，目前", None) == [("今年5月", "None"), ("3月31日", "None"), ("目前", "None")]
    assert _dates("目前", PartialDate(2025, 3)) == [("目前", "2025-03")]


def test_a_year_inside_a_word_is_not_a_date() -> None:
    assert _dates("ABC2025年版本") == []
    assert _dates("第2025年") == [("2025年", "2025")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("给予最高1000万元资助", [("最高1000万元", "10000000", "cny", "at_most")]),
        ("每年度最高可使用1000萬元", [("1000萬元", "10000000", "cny", "at_most")]),
        ("至多5000万元", [("至多5000万元", "50000000", "cny", "at_most")]),
        ("上限为300万元", [("上限为300万元", "3000000", "cny", "at_most")]),
        ("封顶200万元", [("200万元", "2000000", "cny", "at_most")]),
        ("不少于10项", [("不少于10项", "10", "count", "at_least")]),
        ("不低于的5个", [("5个", "5", "count", "at_least")]),
        ("至少的3家", [("3家", "3", "count", "at_least")]),
        ("逾百家", [("逾百家", "100", "count", "at_least")]),
        ("其中人数最多的两组", [("两组", "2", "count", "exact")]),
        ("其中最高的3家", [("3家", "3", "count", "exact")]),
        ("大约有30家", [("30家", "30", "count", "approx")]),
        ("约合500万元", [("500万元", "5000000", "cny", "approx")]),
        ("接近的2个", [("2个", "2", "count", "approx")]),
        (
            "签约10个、预约5个、合约3份",
            [("10个", "10", "count", "exact"), ("5个", "5", "count", "exact"), ("3份", "3", "count", "exact")],
        ),
        (
            "最高80%贷款风险补偿、LPR100%贷款贴息",
            [("最高80%", "0.8", "ratio", "at_most"), ("100%", "1", "ratio", "exact")],
        ),
    ],
)
def test_bounds_from_the_clause(text: str, expected: list[tuple[str, str, str, str]]) -> None:
    assert _figures(text) == expected


def test_a_qualifier_reaches_sixteen_characters_and_stops_at_a_comma() -> None:
    assert _figures("不超过一二三四五六七八九十一二三的50%") == [("50%", "0.5", "ratio", "at_most")]
    assert _figures("不超过一二三四五六七八九十一二三四五六七八九的50%") == [("50%", "0.5", "ratio", "exact")]
    assert _figures("不超过合同金额，给予50%") == [("50%", "0.5", "ratio", "exact")]


def test_raising_to_needs_a_ceiling_of_the_same_unit_in_the_sentence() -> None:
    assert _figures("按不超过合同的50%给予资助，初创企业提高至60%。") == [
        ("50%", "0.5", "ratio", "at_most"),
        ("60%", "0.6", "ratio", "at_most"),
    ]
    assert _figures("最高100万元，初创企业比例提高至60%。") == [
        ("最高100万元", "1000000", "cny", "at_most"),
        ("60%", "0.6", "ratio", "exact"),
    ]
    assert _figures("按不超过合同的50%给予资助。初创企业提高至60%。")[1] == ("60%", "0.6", "ratio", "exact")
    assert _figures("按50%给予资助，初创企业提高至60%。")[1] == ("60%", "0.6", "ratio", "exact")


def test_an_incomplete_count_makes_counts_and_money_lower_bounds_in_its_sentence_only() -> None:
    assert _figures("据不完全统计，引进企业28家，总投资6亿元，占比30%。引进人才5名。") == [
        ("28家", "28", "count", "at_least"),
        ("6亿元", "600000000", "cny", "at_least"),
        ("30%", "0.3", "ratio", "exact"),
        ("5名", "5", "count", "exact"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全省第二", [("第二", "2", "rank", "exact")]),
        ("全国第一", [("第一", "1", "rank", "exact")]),
        ("位居第三", [("第三", "3", "rank", "exact")]),
        ("排名第5", [("第5", "5", "rank", "exact")]),
        ("第五届大赛", []),
        ("跻身前20", [("前20", "20", "rank", "at_most")]),
        ("进入前十名", [("前十名", "10", "rank", "at_most")]),
        ("入选“十强”", [("十强", "10", "rank", "at_most")]),
        ("百强企业", [("百强", "100", "rank", "at_most")]),
        ("实现三连跳", [("三连跳", "3", "count", "exact")]),
        ("两连冠", [("两连冠", "2", "count", "exact")]),
    ],
)
def test_ranks_and_streaks(text: str, expected: list[tuple[str, str, str, str]]) -> None:
    assert _figures(text) == expected


@pytest.mark.parametrize(
    "text",
    ["QwQ-32B模型", "“20+8”产业集群", "一家企业", "每万人口", "瞬息万变", "两级国资", "一个平台"],
)
def test_not_mentions(text: str) -> None:
    assert _figures(text) == []


def test_sentence_at() -> None:
    text = "第一句。第二句有 5家\n企业；第三句"
    start = text.index("5家")
    assert sentence_at(text, start, start + 2) == "第二句有 5家"  # a line break ends a sentence (a paragraph)
    assert sentence_at(text, len(text) - 1, len(text)) == "第三句"


@pytest.mark.parametrize(
    ("held", "seen", "agree"),
    [
        # a record's date is stated only by a text date at least as precise: 2月底 does not state the 23rd
        (PartialDate(2025, 2, 23), PartialDate(2025, 2, None, Part.LATE), False),
        (PartialDate(2025, 2, 23), PartialDate(2025), False),
        (PartialDate(2025, 2, 23), PartialDate(2025, 2, 23), True),
        (PartialDate(2025, 2, None, Part.LATE), PartialDate(2025, 2, 23), True),
        (PartialDate(2025, 2, 10), PartialDate(2025, 2, None, Part.LATE), False),
        (PartialDate(2025), PartialDate(2025, 3), True),
        (PartialDate(2024), PartialDate(2025, 3), False),
        (PartialDate(2025, 2, 22), DayRange(PartialDate(2025, 2, 21), PartialDate(2025, 2, 23)), True),
        (PartialDate(2025, 2, 24), DayRange(PartialDate(2025, 2, 21), PartialDate(2025, 2, 23)), False),
        # a plan's span (2023年至2025年) does not state the year a record dates to, at either end
        (PartialDate(2025), YearRange(2023, 2025), False),
        (PartialDate(2023), YearRange(2023, 2025), False),
        (PartialDate(2024), YearRange(2023, 2025), False),
        (PartialDate(2025, 3), YearRange(2023, 2025), False),
        (YearRange(2025, 2027), PartialDate(2027), True),
        (YearRange(2025, 2027), PartialDate(2026), False),
        (YearRange(2025, 2027), YearRange(2025, 2027), True),
        (YearRange(2025, 2027), YearRange(2025, 2026), False),
    ],
)
def test_dates_agree(held: object, seen: object, agree: bool) -> None:
    assert dates_agree(held, seen) is agree


def test_a_day_range_spans_its_days() -> None:
    days = DayRange(PartialDate(2025, 2, 21), PartialDate(2025, 2, 23))
    assert (days.start, days.end, str(days)) == (date(2025, 2, 21), date(2025, 2, 23), "2025-02-21/23")

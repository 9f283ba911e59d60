"""Every qualifier word of the mention grammar, one sentence each: the bound a reader takes from it.

A table per word list of core/mentions.py, so that a word dropped from a list (or a list entry
changed) fails here by name. The sentences are written for these tests."""

from __future__ import annotations

import pytest

from citypolicy.core.dates import PartialDate
from citypolicy.core.mentions import find_mentions


def bounds(text: str) -> list[tuple[str, str]]:
    return [(m.quantity.bound.value, str(m.quantity.value)) for m in find_mentions(text) if m.quantity]


@pytest.mark.parametrize(
    ("word", "bound"),
    [
        *[(w, "at_most") for w in ("不超过", "不高于", "最高", "至多", "最多", "上限", "封顶")],
        *[(w, "at_least") for w in ("不少于", "不低于", "至少", "超过", "逾")],
        *[(w, "approx") for w in ("约占", "约为", "约合", "约有", "大约", "接近")],
    ],
)
def test_a_qualifier_words_away_governs_the_number(word: str, bound: str) -> None:
    assert bounds(f"对企业{word}服务合同金额的50%给予补贴。") == [(bound, "0.5")]


@pytest.mark.parametrize("end", list("，,。；;！？!?\n：:"))
def test_a_qualifier_stops_at_the_end_of_its_clause(end: str) -> None:
    assert bounds(f"最高{end}补贴50%") == [("exact", "0.5")]


@pytest.mark.parametrize("before", list("签预合条公节制契违履赴邀特"))
def test_yue_in_a_word_is_not_about(before: str) -> None:
    assert bounds(f"今年{before}约10个项目。") == [("exact", "10")]


def test_yue_alone_is_about() -> None:
    assert bounds("今年约10个项目。") == [("approx", "10")]


@pytest.mark.parametrize("raise_to", ["提高资助比例至60%", "提高到60%", "提高资助比例到 60%", "提高至60%"])
def test_raising_after_a_ceiling_raises_the_ceiling(raise_to: str) -> None:
    assert bounds(f"按不超过合同金额的50%给予补贴，对初创企业{raise_to}。") == [("at_most", "0.5"), ("at_most", "0.6")]


@pytest.mark.parametrize("broken", ["提高，至60%", "提高资助比例。至60%", "提高资助比例；到60%"])
def test_a_raise_cut_by_punctuation_is_not_a_raise(broken: str) -> None:
    assert bounds(f"按不超过合同金额的50%给予补贴，对初创企业{broken}。")[1] == ("exact", "0.6")


def test_an_incomplete_count_is_a_lower_bound() -> None:
    assert bounds("据不完全统计，全市有企业300家。") == [("at_least", "300")]
    assert bounds("据统计，全市有企业300家。") == [("exact", "300")]


@pytest.mark.parametrize(
    "text",
    [
        "最终有50%的企业获得补贴。",  # 最, not 最高 or 最多
        "高校占比50%。",  # 高, not 最高
        "多个园区中50%获得补贴。",  # 多, not 至多 or 最多
        "上半年增长50%。",  # 上, not 上限
        "期限内补贴50%。",  # 限, not 上限
        "封装企业占50%。",  # 封, not 封顶
        "顶尖人才占50%。",  # 顶, not 封顶
        "不少企业把50%的预算用于算力。",  # 不少, not 不少于
        "少数企业占50%。",  # 少, not 至少
        "超算中心占50%。",  # 超算 (supercomputing), not 超过
        "过去一年增长50%。",  # 过去 (the past), not 超过
        "为企业提供50%补贴。",  # 为, not 约为
        "大模型企业占50%。",  # 大模型, not 大约
        "占比50%。",  # 占, not 约占
        "合同金额的50%。",  # 合同, not 约合
        "有50%的企业。",  # 有, not 约有
        "接入50%。",  # 接, not 接近
        "不超额部分的50%。",  # 不超额, not 不超过
        "由30%调整至50%。",  # 至 alone, not 至少 or 至多
    ],
)
def test_part_of_a_qualifier_is_not_a_qualifier(text: str) -> None:
    assert all(bound == "exact" for bound, _ in bounds(text)), bounds(text)


PUBLISHED = PartialDate(2025, 3)  # the article's date, for 今年, 去年 and 目前


def normalised(text: str, published: PartialDate | None = PUBLISHED) -> list[str]:
    return [m.normalised for m in find_mentions(text, published)]


@pytest.mark.parametrize(
    "written",
    ["2025—2027年", "2025-2027年", "2025–2027年", "2025~2027年", "2025至2027年", "2025到2027年", "2025年至2027年"],
)
def test_every_way_of_writing_a_span_of_years(written: str) -> None:
    assert normalised(written) == ["2025–2027"]


@pytest.mark.parametrize("written", ["3月1日至5日", "3月1日到5日", "3月1日-5日"])
def test_every_way_of_writing_a_span_of_days(written: str) -> None:
    assert normalised(written) == ["2025-03-01/05"]


@pytest.mark.parametrize(
    ("written", "date"),
    [
        ("今年年初", "2025-early"),
        ("去年年末", "2024-late"),
        ("去年底", "2024-late"),
        ("当前", "2025-03"),
        ("目前", "2025-03"),
    ],
)
def test_parts_of_a_year_and_now(written: str, date: str) -> None:
    assert normalised(written) == [date]


@pytest.mark.parametrize(
    ("written", "rank"),
    [
        ("跻身前十。", "10"),
        ("位列前三。", "3"),
        ("进入前十。", "10"),
        ("位居前五。", "5"),
        ("居前三。", "3"),
        ("排名前十。", "10"),
        ("入选前十。", "10"),
    ],
)
def test_every_ranking_verb_before_a_top_n(written: str, rank: str) -> None:
    assert normalised(written) == [f"{rank} rank (at_most)"]


def test_a_mention_in_words_a_reader_can_check() -> None:
    assert normalised("占50%—60%。") == ["0.5..0.6 ratio (range)"]
    assert normalised("3月有10家。") == ["2025-03", "10 count (exact)"]
    assert normalised("3月有10家。", None) == ["(date without a year)", "10 count (exact)"]

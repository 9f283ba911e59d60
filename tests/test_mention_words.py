"""Every qualifier word of the mention grammar, one sentence each: the bound a reader takes from it.

A table per word list of core/mentions.py, so that a word dropped from a list (or a list entry
changed) fails here by name. The sentences are written for these tests."""

from __future__ import annotations

import pytest

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

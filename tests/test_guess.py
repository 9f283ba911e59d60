"""The draft's guesses, sentence by sentence (author/guess.py), without the CLI."""

from __future__ import annotations

from citypolicy.author import guess as G
from citypolicy.author.yamltext import Flow, Guess, render, scalar
from citypolicy.core.mentions import find_mentions


def plain(value: object) -> object:
    if isinstance(value, Guess):
        return plain(value.value)
    if isinstance(value, Flow):
        return {k: plain(v) for k, v in value.items.items()}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def test_an_untitled_policy_with_a_date_says_it_is_untitled() -> None:
    sentence = "2025年3月，厦门出台支持人工智能发展若干措施。"
    data, held = G.policy_from(sentence, 0, find_mentions(sentence, 2025))
    assert plain(data) == {
        "title": {"zh": "支持人工智能发展若干措施", "en": G.TODO_EN},
        "untitled": "true",
        "kind": "measures",
        "issued": "2025-03",
    }
    assert [m.text for m in held] == ["2025年3月"]


def test_an_untitled_policy_without_a_date_is_no_record() -> None:
    sentence = "漳州出台人工智能产业若干措施"
    assert G.policy_from(sentence, 0, find_mentions(sentence)) is None


def test_rates_after_conditions_become_tiers_with_those_conditions() -> None:
    text = (
        "对使用国产算力的企业，按不超过合同金额的30%给予支持；"
        "对其他企业，按不超过合同金额的20%给予支持，单个企业每年最高800万元。"
    )
    kind = G.instrument_words("算力券")[0]
    record = G.instrument_from(kind, text, 0, find_mentions(text))
    tiers = plain(record.data["tiers"])
    assert [t["condition"]["zh"] for t in tiers] == ["使用国产算力的企业", "其他企业"]
    assert [t["rate"] for t in tiers] == [{"text": "30%", "bound": "at_most"}, {"text": "20%", "bound": "at_most"}]
    assert tiers[1]["cap"] == {"amount": "最高800万元", "per": "recipient", "period": "year"}


def test_quoted_words_are_speech() -> None:
    assert G.is_speech("“我们希望用三年时间，把莆田打造成高地。”")
    assert G.is_speech("他说：“今年要再发1亿元算力券”，莆田市工信局负责人表示。")
    assert not G.is_speech("莆田将发放“算力券”，每家企业每年不超过300万元。")


def test_a_count_of_firms_is_about_ai_firms_and_gdp_about_the_economy() -> None:
    assert G.topic_of("目前莆田已集聚人工智能相关企业", "150余家")[0] == "ai_firms"
    assert G.topic_of("去年全市数字经济规模占GDP比重", "超过45%")[0] == "economy"
    assert G.topic_of("全市人工智能核心产业规模", "达到200亿元")[0] == "industry_scale"


def test_a_figure_keeps_its_text_and_gets_the_bound_of_its_context() -> None:
    (rate,) = find_mentions("按不超过实际费用的40%给予补贴")
    (cap,) = find_mentions("单个企业每年最高不超过200万元")
    assert G.quantity_value(rate) == Flow({"text": "40%", "bound": "at_most"})
    assert G.quantity_value(cap) == "最高不超过200万元"


def test_yaml_text_quotes_what_yaml_would_misread_and_marks_guesses() -> None:
    assert [scalar(v) for v in ("2025", "算力券", "a, b", "Class A: x", "40%", "no")] == [
        '"2025"',
        "算力券",
        '"a, b"',
        '"Class A: x"',
        "40%",
        '"no"',
    ]
    assert render({"kind": Guess("compute_voucher", "«算力券» in the sentence")}) == [
        "kind: compute_voucher  # guess: «算力券» in the sentence"
    ]

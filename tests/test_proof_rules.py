"""The quote proof's rules, in process: what proves a figure, what a message says, which citation a
reader is sent to. Records are validated by the schema and proven against an invented article."""

from __future__ import annotations

import pytest

from citypolicy.core.dates import PartialDate
from citypolicy.core.quantity import parse_quantity
from citypolicy.load.proof import Quotes, _clip, path_to_loc, prove_record, stating_citation
from citypolicy.load.sources import Document
from citypolicy.schema.model import Citation, Indicator, Instrument, Jurisdiction, Policy, YearSpan

ARTICLE = (
    "（测试用虚构文章）2025年3月，某市发布《人工智能若干措施（2025—2027年）》。"
    "对企业按不超过合同金额的50%给予最高1000万元补贴，每年总额5亿元，初创企业提高至60%。"
    "目前全市已有人工智能企业约300家。培育千亿级产业集群。"
    "全市有12个园区、3个实验室、4个基金、5个平台、6个中心、7个基地、8个联盟、9个协会、10个项目。"
)
DOC = "t.txt"
QUOTES = {DOC: Quotes(Document(DOC, ARTICLE), PartialDate(2025, 3))}
RATES = "对企业按不超过合同金额的50%给予最高1000万元补贴，每年总额5亿元，初创企业提高至60%。"


def cite(quote: str) -> dict[str, str]:
    return {"document": DOC, "quote": quote}


def voucher(**fields: object) -> Instrument:
    base = {"id": "v", "jurisdiction": "c", "kind": "compute_voucher", "name": {"zh": "券", "en": "voucher"}}
    return Instrument.model_validate({**base, "sources": [cite(RATES)], **fields})


def messages(item: object) -> list[tuple[str, str]]:
    return [(p.path, p.message) for p in prove_record(item, "f.yaml", ("instruments", 0), QUOTES)]  # type: ignore[arg-type]


def test_figures_stated_with_their_bounds_pass() -> None:
    item = voucher(
        rate="不超过50%",
        tiers=[{"group": "startup", "rate": {"text": "60%", "bound": "at_most"}}],
        cap={"amount": "最高1000万元"},
        pool={"amount": "5亿元", "period": "year"},
    )
    assert messages(item) == []


def test_a_figure_not_stated_lists_what_the_quotes_state() -> None:
    assert messages(voucher(cap={"amount": "最高1200万元"})) == [
        (
            "instruments[0].cap.amount",
            "最高1200万元 is not stated in any quote of this record; its quotes state 50%, 最高1000万元, 总额5亿元, "
            "60%",
        )
    ]


def test_the_listing_stops_at_eight() -> None:
    item = voucher(
        benefit="11个",
        sources=[cite("全市有12个园区、3个实验室、4个基金、5个平台、6个中心、7个基地、8个联盟、9个协会、10个项目。")],
    )
    assert messages(item) == [
        (
            "instruments[0].benefit",
            "11个 is not stated in any quote of this record; its quotes state 12个, 3个, 4个, 5个, 6个, 7个, 8个, 9个 "
            "and 1 more",
        )
    ]


def test_a_quote_with_no_figure_says_so() -> None:
    item = voucher(benefit="11个", sources=[cite("（测试用虚构文章）")])
    assert messages(item) == [
        ("instruments[0].benefit", "11个 is not stated in any quote of this record; its quotes state no figure")
    ]


@pytest.mark.parametrize(
    ("rate", "said"),
    [
        ("50%", "recorded as exact but its sentence says up to"),
        ("50%以上", "recorded as over but its sentence says up to"),
    ],
)
def test_a_bound_that_disagrees_is_named(rate: str, said: str) -> None:
    ((path, message),) = messages(voucher(rate=rate))
    assert path == "instruments[0].rate"
    assert message == f"{rate} is {said} («50%» in «{RATES}»)"


def test_a_declared_derivation_or_unit() -> None:
    assert messages(voucher(cap={"amount": {"text": "最高2000万元", "derived": "two contracts"}})) == []
    cluster = {
        "id": "t",
        "jurisdiction": "c",
        "topic": "industry_scale",
        "metric": {"zh": "产业集群", "en": "cluster"},
        "sources": [cite("培育千亿级产业集群。")],
    }
    from citypolicy.schema.model import Target

    assert messages(Target.model_validate({**cluster, "value": {"text": "千亿级", "unit": "cny"}})) == []
    assert messages(Target.model_validate({**cluster, "value": "千亿级"})) == []  # read as a count: also stated
    # where the text names no unit, the unit is the analyst's declaration, shown with the figure
    assert messages(Target.model_validate({**cluster, "value": {"text": "千亿级", "unit": "eflops"}})) == []
    assert [m for _, m in messages(Target.model_validate({**cluster, "value": "千亿元以上"}))] == [
        "千亿元以上 is not stated in any quote of this record; its quotes state 千亿级"
    ]
    firms = {**cluster, "sources": [cite("目前全市已有人工智能企业约300家。")]}
    assert [m for _, m in messages(Target.model_validate({**firms, "value": {"text": "约300", "unit": "cny"}}))] == [
        "约300 is not stated in any quote of this record; its quotes state 约300家"
    ]  # 家 names the unit: a declared unit cannot change it


def test_dates_proven_inferred_or_not_stated() -> None:
    policy = {
        "id": "p",
        "jurisdiction": "c",
        "title": {"zh": "措施", "en": "measures"},
        "kind": "measures",
        "sources": [cite("2025年3月，某市发布《人工智能若干措施（2025—2027年）》。")],
    }
    assert (
        messages(Policy.model_validate({**policy, "issued": "2025-03", "period": {"start": 2025, "end": 2027}})) == []
    )
    assert messages(Policy.model_validate({**policy, "issued": "2025"})) == []  # 2025年3月 states the year
    # the text's month does not state a day, nor its plan span a year
    assert messages(Policy.model_validate({**policy, "issued": "2025-03-15"})) == [
        (
            "instruments[0].issued",
            "2025-03-15 is not stated in any quote of this record; its quotes state 2025年3月, 2025—2027年; quote "
            "the sentence that dates it, or write {date: 2025-03-15, basis: how it was inferred}",
        )
    ]
    assert [m for _, m in messages(Policy.model_validate({**policy, "issued": "2027"}))] == [
        "2027 is not stated in any quote of this record; its quotes state 2025年3月, 2025—2027年; quote the "
        "sentence that dates it, or write {date: 2027, basis: how it was inferred}"
    ]
    assert (
        messages(Policy.model_validate({**policy, "issued": {"date": "2024", "basis": "it says so elsewhere"}})) == []
    )
    assert messages(Policy.model_validate({**policy, "issued": "2024"})) == [
        (
            "instruments[0].issued",
            "2024 is not stated in any quote of this record; its quotes state 2025年3月, 2025—2027年; quote the "
            "sentence that dates it, or write {date: 2024, basis: how it was inferred}",
        )
    ]
    assert messages(Policy.model_validate({**policy, "period": {"start": 2025, "end": 2026}})) == [
        (
            "instruments[0].period",
            "the period 2025–2026 is not stated in any quote of this record; its quotes state 2025年3月, 2025—2027年",
        )
    ]


def test_now_in_a_quote_proves_the_articles_date() -> None:
    found = Indicator.model_validate(
        {
            "id": "i",
            "jurisdiction": "c",
            "topic": "ai_firms",
            "metric": {"zh": "企业", "en": "firms"},
            "value": "约300家",
            "as_of": "2025-03",
            "sources": [cite("目前全市已有人工智能企业约300家。")],
        }
    )
    assert messages(found) == []
    assert [m for _, m in messages(found.model_copy(update={"as_of": PartialDate(2025, 4)}))] == [
        "2025-04 is not stated in any quote of this record; its quotes state 目前; quote the sentence that dates it, "
        "or write {date: 2025-04, basis: how it was inferred}"
    ]


def test_two_fields_on_one_mention_are_both_reported() -> None:
    item = voucher(rate="不超过60%", tiers=[{"group": "startup", "rate": {"text": "60%", "bound": "at_most"}}])
    assert messages(item) == [
        (
            "instruments[0].rate",
            "不超过60% is stated once in any one quote of this record but recorded twice (rate, tiers[0].rate): one "
            "of them is not stated",
        ),
        (
            "instruments[0].tiers[0].rate",
            "不超过60% is stated once in any one quote of this record but recorded twice (rate, tiers[0].rate): one "
            "of them is not stated",
        ),
    ]


def test_a_place_with_an_established_date() -> None:
    place = Jurisdiction.model_validate(
        {
            "id": "c",
            "level": "city",
            "parent": "p",
            "name": {"zh": "某市", "en": "City"},
            "established": "2025",
            "sources": [cite(RATES)],
        }
    )
    assert messages(place) == [
        (
            "instruments[0].established",
            "2025 is not stated in any quote of this record; its quotes state no date; quote the sentence that dates "
            "it, or write {date: 2025, basis: how it was inferred}",
        )
    ]


def test_a_change_is_proven_by_its_own_quotes_first() -> None:
    dated = cite("2025年3月，某市发布《人工智能若干措施（2025—2027年）》。")
    item = voucher(
        cap={"amount": "最高1000万元"},
        changes=[{"date": "2025-03", "pool": {"amount": "5亿元", "period": "year"}, "sources": [dated]}],
    )
    assert messages(item) == []  # the date from the change's quote, the pool from the record's
    moved = voucher(changes=[{"date": "2026", "benefit": "12个", "sources": [dated]}])
    assert [p for p, _ in messages(moved)] == ["instruments[0].changes[0].date", "instruments[0].changes[0].benefit"]


def test_the_citation_a_reader_is_sent_to() -> None:
    first, second = (
        Citation(document=DOC, quote="目前全市已有人工智能企业约300家。"),
        Citation(document=DOC, quote=RATES),
    )
    cap = voucher(cap={"amount": "最高1000万元"}).cap
    assert stating_citation(QUOTES, [first, second], cap.amount) == second  # type: ignore[union-attr]
    assert stating_citation(QUOTES, [second, first], cap.amount) == second  # type: ignore[union-attr]
    assert stating_citation(QUOTES, [first], cap.amount) == first  # type: ignore[union-attr]
    assert stating_citation(QUOTES, [first, second], PartialDate(2025, 3)) == first
    issued = Citation(document=DOC, quote="2025年3月，某市发布《人工智能若干措施（2025—2027年）》。")
    assert stating_citation(QUOTES, [second, issued], PartialDate(2025, 3)) == issued  # not the one of amounts
    period = Citation(document=DOC, quote="某市发布《人工智能若干措施（2025—2027年）》")
    assert stating_citation(QUOTES, [period, issued], PartialDate(2025, 3)) == issued  # not another date
    unknown = Citation(document="elsewhere.txt", quote="anything at all")
    assert stating_citation(QUOTES, [unknown, second], cap.amount) == second  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("path", "loc"),
    [
        ("rate", ("rate",)),
        ("cap.amount", ("cap", "amount")),
        ("tiers[0].rate", ("tiers", 0, "rate")),
        ("changes[12].tiers[3].cap.amount", ("changes", 12, "tiers", 3, "cap", "amount")),
        ("tiers[0][1]", ("tiers", 0, 1)),
    ],
)
def test_paths_become_locations(path: str, loc: tuple[str | int, ...]) -> None:
    assert path_to_loc(path) == loc


def test_a_listing_of_exactly_eight_is_whole() -> None:
    item = voucher(
        benefit="11个",
        sources=[cite("全市有12个园区、3个实验室、4个基金、5个平台、6个中心、7个基地、8个联盟、9个协会")],
    )
    assert messages(item) == [
        (
            "instruments[0].benefit",
            "11个 is not stated in any quote of this record; its quotes state 12个, 3个, 4个, 5个, 6个, 7个, 8个, 9个",
        )
    ]


def test_a_figure_at_the_very_end_of_its_quote_is_stated_by_it() -> None:
    assert messages(voucher(pool={"amount": "总额5亿元", "period": "year"}, sources=[cite("每年总额5亿元")])) == []


def test_one_figure_stated_twice_may_be_recorded_twice() -> None:
    twice = "高校按最高30%、科研机构按最高30%给予补贴。"
    quotes = {"u.txt": Quotes(Document("u.txt", f"（测试用虚构文章）{twice}"), PartialDate(2025))}
    item = voucher(
        tiers=[{"group": "university", "rate": "最高30%"}, {"group": "research_institute", "rate": "最高30%"}],
        sources=[{"document": "u.txt", "quote": twice}],
    )
    assert prove_record(item, "f.yaml", ("instruments", 0), quotes) == []


def test_three_fields_on_one_mention_are_counted_in_words_and_every_problem_is_not_stated() -> None:
    item = voucher(
        rate="不超过60%",
        tiers=[
            {"group": "startup", "rate": {"text": "60%", "bound": "at_most"}},
            {"group": "sme", "rate": {"text": "60%", "bound": "at_most"}},
        ],
    )
    problems = prove_record(item, "f.yaml", ("instruments", 0), QUOTES)
    assert [p.message for p in problems] == [
        "不超过60% is stated once in any one quote of this record but recorded 3 times (rate, tiers[0].rate, "
        "tiers[1].rate): one of them is not stated"
    ] * 3
    assert {p.code for p in problems} == {"not-stated"}
    unstated = prove_record(voucher(cap={"amount": "最高1200万元"}), "f.yaml", ("instruments", 0), QUOTES)
    assert [p.code for p in unstated] == ["not-stated"]


def test_a_long_sentence_is_clipped_at_sixty_characters() -> None:
    assert _clip("字" * 60) == "字" * 60
    assert _clip("字" * 61) == "字" * 59 + "…"


def test_no_citation_stating_the_figure_sends_the_reader_to_the_first() -> None:
    rates, now = Citation(document=DOC, quote=RATES), Citation(document=DOC, quote="目前全市已有人工智能企业约300家。")
    unstated = parse_quantity("最高1200万元")
    assert stating_citation(QUOTES, [rates, now], unstated) == rates
    assert stating_citation(QUOTES, [now, rates], unstated) == now
    unknown = Citation(document="elsewhere.txt", quote="anything at all")
    assert stating_citation(QUOTES, [unknown, rates], "a name, not a figure") == unknown


def test_the_citation_that_dates_a_record_or_states_its_period() -> None:
    rates, dated = Citation(document=DOC, quote=RATES), Citation(document=DOC, quote="2025年3月，某市发布")
    assert stating_citation(QUOTES, [rates, dated], PartialDate(2025, 3)) == dated
    spans = "2023—2024年行动计划。2025—2027年规划。"
    quotes = {"s.txt": Quotes(Document("s.txt", spans), PartialDate(2025))}
    earlier, plan = (Citation(document="s.txt", quote=q) for q in ("2023—2024年行动计划。", "2025—2027年规划。"))
    assert stating_citation(quotes, [earlier, plan], YearSpan(start=2025, end=2027)) == plan
    assert stating_citation(quotes, [earlier, plan], YearSpan(start=2023, end=2024)) == earlier

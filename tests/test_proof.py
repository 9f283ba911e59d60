"""A figure is proven by its quote: `check` fails when a figure or date is not what its quote states.

Code tests on the fixture knowledge base: every figure changed (generated from the data, not a
hand-picked list), bounds from context, messages at the figure's own line, declared units, bounds,
derivations and inferred dates.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import PROJECT, citypolicy
from proofcheck import mutations, proof_problems

from citypolicy.core.mentions import find_mentions
from citypolicy.load.loader import load

FIXTURE = PROJECT / "tests" / "fixtures" / "vouchers_kb"


@pytest.fixture(scope="module")
def kb():  # type: ignore[no-untyped-def]
    knowledge, problems = load(FIXTURE)
    assert problems == []
    return knowledge


def test_every_changed_figure_of_the_fixture_fails_its_proof(kb) -> None:  # type: ignore[no-untyped-def]
    checked = []
    for record_id, path, old, new in mutations(kb):
        messages = proof_problems(kb, record_id, path, new)
        assert messages, f"{record_id}.{path}: {old} changed to {new} still passes"
        checked.append((record_id, path))
    figures = {(record_id, path) for record_id, path in checked}
    # 4 instruments with 15 figures and dates between them, each changed two ways
    assert len(figures) == 15 and len(checked) == 30


@pytest.mark.data
def test_every_changed_figure_of_the_shipped_data_fails_its_proof() -> None:
    shipped, problems = load(PROJECT)
    assert problems == []
    passing = [
        f"{record_id}.{path}: {old} changed to {new}"
        for record_id, path, old, new in mutations(shipped)
        if not proof_problems(shipped, record_id, path, new)
    ]
    assert passing == []


def _copy(tmp_path: Path) -> Path:
    copy = tmp_path / "kb"
    shutil.copytree(FIXTURE, copy)
    return copy


def _edit(kb: Path, relative: str, old: str, new: str) -> None:
    path = kb / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_changed_cap_fails_at_its_line_naming_what_the_quotes_state(tmp_path: Path) -> None:
    kb = _copy(tmp_path)
    _edit(kb, "data/cities/nancheng.yaml", "cap: {amount: 最高1000万元}", "cap: {amount: 最高1300万元}")
    done = citypolicy("check", kb=kb)
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == (
        "data/cities/nancheng.yaml:28:19: instruments[0].cap.amount: 最高1300万元 is not stated in any quote of "
        "this record; its quotes state 50%, 最高1000万元, 60%"
    )


def test_a_figure_recorded_exact_where_the_sentence_says_at_most_fails(tmp_path: Path) -> None:
    kb = _copy(tmp_path)
    _edit(kb, "data/cities/nancheng.yaml", "rate: 不超过50%", "rate: 50%")
    done = citypolicy("check", kb=kb)
    assert done.returncode == 1
    assert (
        "data/cities/nancheng.yaml:24:11: instruments[0].rate: 50% is recorded as exact but its sentence says up to "
        "(«50%» in «对租用智能算力进行大模型训练的企业、高等院校和科研机构，按不超过服务合同金额的50%，"
        "给予最高1000万元资助，对初创…»)"
    ) in done.stderr


def test_a_figure_moved_onto_another_figure_of_the_same_sentence_fails_at_both(tmp_path: Path) -> None:
    kb = _copy(tmp_path)
    _edit(kb, "data/cities/nancheng.yaml", "rate: 不超过50%", "rate: 不超过60%")
    done = citypolicy("check", kb=kb)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert lines[0] == (
        "data/cities/nancheng.yaml:24:11: instruments[0].rate: 不超过60% is stated once in any one quote of this "
        "record but recorded twice (rate, tiers[0].rate): one of them is not stated"
    )
    assert lines[1].startswith(
        "data/cities/nancheng.yaml:27:15: instruments[0].tiers[0].rate: 不超过60% is stated once"
    )


def test_a_date_no_quote_states_must_say_how_it_was_inferred(tmp_path: Path) -> None:
    kb = _copy(tmp_path)
    _edit(kb, "data/cities/nancheng.yaml", 'launched: "2024"', 'launched: "2023"')
    done = citypolicy("check", kb=kb)
    assert (
        "data/cities/nancheng.yaml:30:15: instruments[0].launched: 2023 is not stated in any quote of this record; "
        "its quotes state 2024年; quote the sentence that dates it, or write {date: 2023, basis: how it was inferred}"
    ) in done.stderr
    _edit(
        kb,
        "data/cities/nancheng.yaml",
        'launched: "2023"',
        "launched: {date: 2023, basis: the invented article implies it}",
    )
    assert citypolicy("check", kb=kb).returncode == 0
    shown = citypolicy("show", "nancheng", "--format", "json", kb=kb, cwd=tmp_path)
    assert '"launched": "2023"' in shown.stdout


def test_a_declared_bound_is_checked_against_the_sentence(tmp_path: Path) -> None:
    kb = _copy(tmp_path)
    _edit(kb, "data/cities/nancheng.yaml", "rate: {text: 60%, bound: at_most}", "rate: {text: 60%, bound: at_least}")
    done = citypolicy("check", kb=kb)
    assert "instruments[0].tiers[0].rate: 60% is recorded as over but its sentence says up to" in done.stderr


def test_a_derivation_is_declared_in_words(tmp_path: Path) -> None:
    kb = _copy(tmp_path)
    _edit(
        kb,
        "data/cities/nancheng.yaml",
        "cap: {amount: 最高1000万元}",
        "cap: {amount: {text: 最高2000万元, derived: two contracts of the sentence's ¥10M each}}",
    )
    assert citypolicy("check", kb=kb).returncode == 0
    _edit(kb, "data/cities/nancheng.yaml", "derived: two contracts of the sentence's ¥10M each", "derived: ''")
    done = citypolicy("check", kb=kb)
    assert "'derived' must say in words how the figure follows from the quote" in done.stderr


# --------------------------------------------------------------------------- the grammar in context


def _bounds(text: str) -> list[tuple[str, str]]:
    return [(m.text, m.quantity.bound.value) for m in find_mentions(text) if m.quantity is not None]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("按不超過服務合約金額的50%,給予最高1000萬元資助", [("50%", "at_most"), ("最高1000萬元", "at_most")]),
        (
            "按不超过服务合同金额的50%给予资助，对初创企业提高资助比例至60%。",
            [("50%", "at_most"), ("60%", "at_most")],
        ),
        ("对初创企业提高资助比例至60%。", [("60%", "exact")]),  # no ceiling in the sentence: nothing to raise
        ("每年度最高可使用1000萬元的“算力券”", [("1000萬元", "at_most")]),
        ("深圳本地便有上百家電機廠", [("上百家", "at_least")]),
        ("據不完全統計,僅1992年珠海就引進了科技型企業28家,總投資6億元", [("28家", "at_least"), ("6億元", "at_least")]),
        ("引進了科技型企業28家,總投資6億元", [("28家", "exact"), ("6億元", "exact")]),
        ("約2400 家,約占全國四成", [("約2400 家", "approx"), ("四成", "approx")]),
        ("簽約10個項目", [("10個", "exact")]),
        ("最高80%貸款風險補償、LPR100%貸款貼息", [("最高80%", "at_most"), ("100%", "exact")]),
        ("至多5000万元", [("至多5000万元", "at_most")]),
    ],
)
def test_bounds_come_from_the_sentence(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert _bounds(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("研發投入佔GDP比重4.06%、全省第二", [("4.06%", "ratio", "exact"), ("第二", "rank", "exact")]),
        (
            "珠海人均GDP17.87萬元,在廣東位居第二,在全國躋身前20",
            [("17.87萬元", "cny", "exact"), ("第二", "rank", "exact"), ("前20", "rank", "at_most")],
        ),
        (
            "入选福布斯中国中央商务区“十强”,排名实现“三连跳”",
            [("十强", "rank", "at_most"), ("三连跳", "count", "exact")],
        ),
        ("第五届琶洲算法大赛", []),
    ],
)
def test_ranks_and_streaks_in_words_are_mentions(sentence: str, expected: list[tuple[str, str, str]]) -> None:
    found = [(m.text, m.quantity.unit.value, m.quantity.bound.value) for m in find_mentions(sentence) if m.quantity]
    assert found == expected


def test_relative_years_and_now_resolve_against_the_article_date() -> None:
    from citypolicy.core.dates import PartialDate

    dates = [(m.text, str(m.date)) for m in find_mentions("去年珠海出台措施，目前已有企业申请。", PartialDate(2025, 3))]
    assert dates == [("去年", "2024"), ("目前", "2025-03")]

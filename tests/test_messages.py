"""Messages that say what to do (issue 12 §4), each pinned with its exact wording.

Every fault is one an analyst made while adding articles; each is applied to a copy of the fixture
knowledge base (tests/fixtures/vouchers_kb) and `check` runs as a subprocess.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from kbkit import cli, copy_kb, edit, line_of

from citypolicy.core.mentions import find_mentions
from citypolicy.core.quantity import Bound, Unit, parse_quantity
from citypolicy.schema.keyhints import suggest_key
from citypolicy.schema.model import Instrument, Target

ZHANGZHOU = "data/cities/zhangzhou.yaml"
NANCHENG = "data/cities/nancheng.yaml"
FUJIAN = "data/provinces/fujian.yaml"
DOC = "900_fixture_zhangzhou.txt"


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    return copy_kb(tmp_path / "kb")


def check(kb: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    return cli(kb, "check", cache=tmp_path / "cache", kb=kb)


def problems(kb: Path, tmp_path: Path) -> list[str]:
    done = check(kb, tmp_path)
    assert done.code == 1, done.err
    assert "Traceback" not in done.err
    return [line for line in done.lines if not line.endswith("problem(s) found")]


# --------------------------------------------------------------------------- YAML


def test_an_ascii_comma_inside_a_flow_mapping_says_to_quote_the_value(kb: Path, tmp_path: Path) -> None:
    path = kb / ZHANGZHOU
    edit(
        path, "    name: {zh: 标注券, en: data-labelling voucher}", "    name: {zh: 标注券(A类,工业企业), en: voucher}"
    )
    line = line_of(path, "标注券(A类,工业企业)")
    assert problems(kb, tmp_path) == [
        f"{ZHANGZHOU}:{line}:23: a comma inside {{…}} ended the value of 'zh' before «工业企业)»: quote the value "
        '(zh: "标注券(A类,工业企业)") or write the mapping as a block, one key per line'
    ]


def test_a_colon_in_a_block_value_says_to_quote_it_or_use_a_block_scalar(kb: Path, tmp_path: Path) -> None:
    path = kb / ZHANGZHOU
    edit(
        path,
        "    beneficiaries: [enterprise, labelling_platform]\n",
        "    beneficiaries: [enterprise, labelling_platform]\n    note: Class A: for industrial firms\n",
    )
    line = line_of(path, "note: Class A")
    assert problems(kb, tmp_path) == [
        f"{ZHANGZHOU}:{line}:18: a colon followed by a space inside a value starts a new key: quote the value "
        '(note: "Class A: for industrial firms") or use a block scalar (note: >- with the text on the next lines, '
        "indented)"
    ]


def test_a_colon_in_a_flow_value_says_to_quote_it(kb: Path, tmp_path: Path) -> None:
    path = kb / ZHANGZHOU
    edit(path, "    name: {zh: 标注券, en: data-labelling voucher}", "    name: {zh: 标注券, en: Class A: for firms}")
    line = line_of(path, "Class A: for firms")
    assert problems(kb, tmp_path) == [
        f"{ZHANGZHOU}:{line}:32: inside {{…}} a value holding a colon or a comma must be quoted: "
        'en: "Class A: for firms"; or write the mapping as a block, one key per line, with a block scalar (>-) '
        "for long text"
    ]


# --------------------------------------------------------------------------- places


def test_a_missing_parent_says_how_to_create_it_and_suggests_no_unrelated_place(kb: Path, tmp_path: Path) -> None:
    (kb / FUJIAN).unlink()
    # a district whose id is one letter from 'fujian' must not be offered as the city's parent
    edit(
        kb / NANCHENG,
        "  - id: donghu\n",
        "  - id: futian\n    level: district\n    parent: nancheng\n    name: {zh: 福田区, en: Futian}\n"
        "    sources:\n      - document: 901_fixture_nancheng.txt\n        quote: 南城市东湖区对经认定的企业\n"
        "  - id: donghu\n",
    )
    line = line_of(kb / ZHANGZHOU, "parent: fujian")
    assert problems(kb, tmp_path) == [
        f"{ZHANGZHOU}:{line}:13: jurisdictions[0].parent: unknown place 'fujian': no file defines it. Create "
        "data/provinces/fujian.yaml holding `id: fujian` and a jurisdiction `{id: fujian, level: province, "
        "name: {zh: …, en: …}, sources: []}` (no source is needed for a place that is only the parent of cited "
        "places), or let `citypolicy draft ARTICLE --place zhangzhou` write it"
    ]


def test_a_misspelt_parent_suggests_the_province(kb: Path, tmp_path: Path) -> None:
    edit(kb / ZHANGZHOU, "parent: fujian", "parent: fujain")
    line = line_of(kb / ZHANGZHOU, "parent: fujain")
    assert problems(kb, tmp_path) == [
        f"{ZHANGZHOU}:{line}:13: jurisdictions[0].parent: unknown place 'fujain'; did you mean 'fujian'?"
    ]


@pytest.mark.parametrize("written", ["福建", "福建省", "Fujian", "福建 "])
def test_a_parent_written_as_a_name_resolves_to_the_place(written: str, kb: Path, tmp_path: Path) -> None:
    edit(kb / ZHANGZHOU, "parent: fujian", f'parent: "{written}"')
    assert check(kb, tmp_path).code == 0
    shown = cli(kb, "show", "zhangzhou", "--format", "json", cache=tmp_path / "cache", kb=kb)
    assert '"parent": "fujian"' in shown.out


def test_an_unknown_parent_name_says_which_file_to_create(kb: Path, tmp_path: Path) -> None:
    (kb / FUJIAN).unlink()
    edit(kb / ZHANGZHOU, "parent: fujian", "parent: 福建省")
    message = problems(kb, tmp_path)[0]
    assert message.endswith(
        "jurisdictions[0].parent: unknown place '福建省': no file defines it. Create data/provinces/fujian.yaml "
        "holding `id: fujian` and a jurisdiction `{id: fujian, level: province, name: {zh: …, en: …}, sources: []}` "
        "(no source is needed for a place that is only the parent of cited places), or let `citypolicy draft "
        "ARTICLE --place zhangzhou` write it"
    )


# --------------------------------------------------------------------------- vocabularies and values


def test_vocabulary_values_in_chinese_are_accepted(kb: Path, tmp_path: Path) -> None:
    path = kb / ZHANGZHOU
    edit(path, "    kind: labelling_voucher\n", "    kind: 标注券\n")
    edit(path, "    pool: {amount: 1亿元, period: year}", "    pool: {amount: 1亿元, period: 每年}")
    edit(path, "    beneficiaries: [enterprise, labelling_platform]", "    beneficiaries: [企业, 数据标注平台]")
    done = check(kb, tmp_path)
    assert done.code == 0, done.err
    exported = cli(kb, "export", "--format", "json", cache=tmp_path / "cache", kb=kb).out
    assert '"kind": "labelling_voucher"' in exported
    assert '"beneficiaries": ["enterprise", "labelling_platform"]' in exported


def test_an_unknown_chinese_vocabulary_word_names_the_term_to_write(kb: Path, tmp_path: Path) -> None:
    edit(kb / ZHANGZHOU, "    kind: 算力券\n", "    kind: 算力卷\n")
    line = line_of(kb / ZHANGZHOU, "kind: 算力卷")
    message = problems(kb, tmp_path)[0]
    assert message.startswith(
        f"{ZHANGZHOU}:{line}:11: instruments[0].kind: '算力卷' is not a kind of instrument; "
        "did you mean compute_voucher (算力券)? Write one of: compute_voucher (算力券), "
    )


@pytest.mark.parametrize("written", ["最高不超过200万元", "不超过200万元（含）", "不超过200万元(含)"])
def test_doubled_and_inclusive_caps_read_as_at_most(written: str) -> None:
    quantity = parse_quantity(written)
    assert (quantity.value, quantity.unit, quantity.bound) == (2_000_000, Unit.CNY, Bound.AT_MOST)
    (mention,) = find_mentions(f"单个企业{written}。")
    assert mention.text == written
    assert (mention.quantity.value, mention.quantity.bound) == (2_000_000, Bound.AT_MOST)


def test_a_bare_number_for_a_rate_suggests_a_percentage(kb: Path, tmp_path: Path) -> None:
    edit(kb / NANCHENG, "    rate: 30%\n", "    rate: 30\n")
    line = line_of(kb / NANCHENG, "    rate: 30")
    assert problems(kb, tmp_path) == [
        f"{NANCHENG}:{line}:11: instruments[1].rate: 30 is above 100% (a bare number is a share of 1); "
        "did you mean 30%?"
    ]


def test_a_date_written_in_chinese_suggests_the_date(kb: Path, tmp_path: Path) -> None:
    edit(kb / NANCHENG, '    launched: "2024"\n', "    launched: 2025年3月\n")
    line = line_of(kb / NANCHENG, "launched: 2025年3月")
    assert problems(kb, tmp_path) == [
        f"{NANCHENG}:{line}:15: instruments[0].launched: '2025年3月' is not a date; did you mean 2025-03? Write "
        "2025, 2025-03, 2025-03-03, or add a part of the period the source names: 2024-late (年底), "
        "2025-early (年初), 2024-07-late (7月底)"
    ]


def test_a_wrong_key_is_suggested_by_meaning(kb: Path, tmp_path: Path) -> None:
    edit(
        kb / NANCHENG,
        "    rate: 不超过50%\n",
        "    rate: 不超过50%\n    rate_base: {zh: 服务合同金额, en: contract value}\n",
    )
    line = line_of(kb / NANCHENG, "rate_base:")
    assert problems(kb, tmp_path) == [
        f"{NANCHENG}:{line}:5: instruments[0].rate_base: unknown key 'rate_base'; did you mean 'rate_basis'?"
    ]


def test_keys_are_suggested_only_among_the_record_kinds_own_keys() -> None:
    instrument = list(Instrument.model_fields)
    target = list(Target.model_fields)
    assert suggest_key("rate_base", instrument) == "rate_basis"  # edit distance alone says 'rate'
    assert suggest_key("percentage", instrument) == "rate"
    assert suggest_key("date", instrument) == "launched"
    assert suggest_key("date", target) == "deadline"
    assert suggest_key("goal", target) == "value"
    assert suggest_key("deadline", instrument) is None


# --------------------------------------------------------------------------- quotes


def test_a_quote_with_one_wrong_character_shows_the_difference(kb: Path, tmp_path: Path) -> None:
    edit(kb / ZHANGZHOU, "按不超过合同金额的20%给予支持", "按不超过合同金额的25%给予支持")
    line = line_of(kb / ZHANGZHOU, "按不超过合同金额的25%")
    assert problems(kb, tmp_path) == [
        f"{ZHANGZHOU}:{line}:16: instruments[0].sources[0].quote: quote not found in {DOC}; closest passage: "
        "«对基于已备案模型、使用国产算力提供模型即服务的企业，按不超过合同金额的30%给予支持；对其他算力服务，"
        "按不超过合同金额的20%给予支持，单个企业每年最高800万元。»; the article has «金额的2[0]%给予支» "
        "where the quote has «金额的2[5]%给予支»"
    ]


def _repeat_sentence(kb: Path) -> None:
    article = kb / "seeds" / DOC
    article.write_text(article.read_text("utf-8") + "漳州出台人工智能产业若干措施\n", "utf-8")


def test_a_quote_that_occurs_twice_is_a_warning(kb: Path, tmp_path: Path) -> None:
    _repeat_sentence(kb)
    line = line_of(kb / ZHANGZHOU, "quote: 漳州出台人工智能产业若干措施")
    done = check(kb, tmp_path)
    assert done.code == 0, done.err
    assert done.lines[0] == (
        f"{ZHANGZHOU}:{line}:16: jurisdictions[0].sources[0].quote: warning: quote occurs 2 times in {DOC} "
        "(lines 2 and 5); it stands for its first occurrence only: lengthen it so that it names one passage"
    )


def test_an_ignore_entry_covering_one_of_two_occurrences_says_so(kb: Path, tmp_path: Path) -> None:
    _repeat_sentence(kb)
    (kb / "data" / "ignored.yaml").write_text(
        f"ignored:\n  - document: {DOC}\n    quote: 人工智能产业若干措施\n    reason: the headline, repeated\n", "utf-8"
    )
    done = check(kb, tmp_path)
    assert done.code == 0, done.err
    assert (
        "data/ignored.yaml:3:12: ignored[0].quote: warning: this passage occurs 2 times in "
        f"{DOC} (lines 2 and 5) but an ignore entry covers only its first occurrence: lengthen the quote to the "
        "occurrence you mean, or add an entry for each"
    ) in done.lines


# --------------------------------------------------------------------------- what an analyst leaves behind


def test_an_undeclared_seed_is_a_warning_in_check_and_a_line_in_coverage(kb: Path, tmp_path: Path) -> None:
    (kb / "seeds" / "902_new.txt").write_text("厦门发布算力券，最高500万元。\n", "utf-8")
    done = check(kb, tmp_path)
    assert done.code == 0
    assert done.lines[0] == (
        "seeds/902_new.txt:1:1: warning: not declared in data/sources.yaml, so no record can cite it and `coverage` "
        "skips it; run `citypolicy add seeds/902_new.txt` to declare it"
    )
    assert done.out.startswith("ok: ")
    covered = cli(kb, "coverage", cache=tmp_path / "cache", kb=kb)
    assert covered.code == 1
    assert (
        "seeds/902_new.txt: not declared in data/sources.yaml, so not counted; run `citypolicy add seeds/902_new.txt`"
        in covered.out.splitlines()
    )


def test_a_draft_left_in_data_is_refused(kb: Path, tmp_path: Path) -> None:
    (kb / "data" / "cities" / "xiamen.yaml").write_text("# citypolicy draft: not data yet\n--- # new file: x\n")
    assert problems(kb, tmp_path) == [
        "data/cities/xiamen.yaml:1:1: this is a draft written by `citypolicy draft`, not a data file: move it out "
        "of data/, confirm its guesses and choose its ids, then run `citypolicy accept FILE`, which writes each "
        "part where it belongs"
    ]


def test_a_placeholder_left_in_the_sources_is_refused(kb: Path, tmp_path: Path) -> None:
    path = kb / "data" / "sources.yaml"
    edit(
        path,
        "outlet: {zh: 测试用虚构文章, en: Invented test article}",
        'outlet: {zh: 测试用虚构文章, en: "TODO: outlet"}',
        2,
    )
    assert problems(kb, tmp_path) == [
        f"data/sources.yaml:{line}:{column}: sources[{index}].outlet.en: placeholder left to fill in: «TODO: outlet»; "
        "write the real value"
        for index, (line, column) in enumerate([(4, 31), (10, 31)])
    ]

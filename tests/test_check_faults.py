"""A corpus of faults an analyst can make, each checked through the real CLI.

Every fault is applied to a fresh copy of the fixture knowledge base (tests/fixtures/kb: invented
places and articles), then `python -m citypolicy check --kb DIR` runs as a subprocess. A fault must
give exit code 1, no traceback, and a problem rendered as `file:line:col: path: message` at the
line the fault is on. Expected lines are computed from the text written, never taken from the files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from helpers import FIXTURE_KB, citypolicy

from citypolicy.core.dates import PartialDate
from citypolicy.load.loader import load

XINGHAI = "data/cities/xinghai.yaml"
LINGDONG = "data/provinces/lingdong.yaml"
SOURCES = "data/sources.yaml"
IGNORED = "data/ignored.yaml"
ARTICLE_A = "fixture_a_xinghai.txt"
ZIWAN = "data/cities/ziwan.yaml"

# A small valid city file, added next to the others: a city article A names without a record.
ZIWAN_TEXT = """\
id: ziwan
jurisdictions:
  - id: ziwan
    level: city
    parent: lingdong
    name: {zh: 紫湾市, en: Ziwan}
    sources:
      - document: fixture_a_xinghai.txt
        quote: 星海市与邻近的紫湾市同属岭东省沿海城市群
"""

PROBLEM_LINE = re.compile(r"^(?:data|seeds)/[^:]+(?::\d+:\d+)?: ")
SUMMARY_LINE = re.compile(r"^(\d+) problem\(s\) found$")


# --------------------------------------------------------------------------- editing helpers


def read(kb: Path, relative: str) -> str:
    return (kb / relative).read_text(encoding="utf-8")


def write(kb: Path, relative: str, text: str | bytes) -> None:
    path = kb / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def replace(kb: Path, relative: str, old: str, new: str) -> None:
    """Replace `old`, which must occur exactly once, by `new`."""
    text = read(kb, relative)
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {relative}"
    write(kb, relative, text.replace(old, new))


def line_of(text: str, needle: str) -> int:
    """1-based number of the only line containing `needle`."""
    found = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(found) == 1, f"{needle!r} is on lines {found}"
    return found[0]


def line_in(kb: Path, relative: str, needle: str) -> int:
    return line_of(read(kb, relative), needle)


def line_equal(kb: Path, relative: str, whole: str) -> int:
    """1-based number of the only line that is exactly `whole`."""
    found = [n for n, line in enumerate(read(kb, relative).splitlines(), start=1) if line == whole]
    assert len(found) == 1, f"{whole!r} is on lines {found}"
    return found[0]


def add_ziwan(kb: Path, extra: str = "", text: str = ZIWAN_TEXT) -> None:
    write(kb, ZIWAN, text + extra)


# --------------------------------------------------------------------------- running check


@dataclass
class Checked:
    code: int
    out: str
    err: str

    @property
    def problems(self) -> list[str]:
        return [line for line in self.err.splitlines() if not SUMMARY_LINE.match(line)]


def check(run_cli: Callable[..., tuple[int, str, str]], kb: Path) -> Checked:
    return Checked(*run_cli("check", kb=kb))


def assert_clean_failure(result: Checked) -> None:
    """Exit 1, no traceback, every line a positioned problem, and a count that adds up."""
    assert result.code == 1, (result.out, result.err)
    assert "Traceback" not in result.err, result.err
    assert "internal error" not in result.err, result.err
    lines = result.err.splitlines()
    assert lines, "no output"
    summary = SUMMARY_LINE.match(lines[-1])
    assert summary, f"last line is not the problem count: {lines[-1]!r}"
    assert int(summary.group(1)) == len(lines) - 1, result.err
    for line in lines[:-1]:
        assert PROBLEM_LINE.match(line), f"not a `file:line:col: message` problem: {line!r}\n{result.err}"


def assert_reported(result: Checked, file: str, line: int, fragment: str) -> str:
    prefix = f"{file}:{line}:"
    matching = [p for p in result.problems if p.startswith(prefix) and fragment in p]
    assert matching, f"no problem starting {prefix!r} containing {fragment!r}; got:\n{result.err}"
    return matching[0]


# --------------------------------------------------------------------------- the corpus

Expect = tuple[str, int, str]  # file, line, part of the message
FAULTS: dict[str, Callable[[Path], Expect]] = {}


def fault(function: Callable[[Path], Expect]) -> Callable[[Path], Expect]:
    FAULTS[function.__name__] = function
    return function


@fault
def yaml_syntax_error(kb: Path) -> Expect:
    # `: ` inside plain text starts a mapping where none can be.
    old = "    note: The article gives the month the regulation was issued, not the day."
    replace(kb, XINGHAI, old, "    note: The article gives: the month the regulation was issued, not the day.")
    return (
        XINGHAI,
        line_in(kb, XINGHAI, "gives: the month"),
        'a colon followed by a space inside a value starts a new key: quote the value (note: "The article gives: '
        'the month the regulation was issued, not the day.") or use a block scalar',
    )


@fault
def tab_indentation(kb: Path) -> Expect:
    replace(kb, XINGHAI, "    kind: regulation\n", "\tkind: regulation\n")
    return XINGHAI, line_in(kb, XINGHAI, "\tkind: regulation"), "tab character in indentation"


@fault
def duplicate_key(kb: Path) -> Expect:
    replace(kb, XINGHAI, "    kind: regulation\n", "    kind: regulation\n    kind: work_report\n")
    first = line_in(kb, XINGHAI, "kind: regulation")
    second = line_in(kb, XINGHAI, "kind: work_report")
    return XINGHAI, second, f"duplicate key 'kind' (first written on line {first})"


@fault
def unknown_key_typo(kb: Path) -> Expect:
    replace(kb, XINGHAI, "    rate_basis:", "    rate_basi:")
    line = line_in(kb, XINGHAI, "rate_basi:")
    return XINGHAI, line, "unknown key 'rate_basi'; did you mean 'rate_basis'?"


@fault
def unknown_nested_key_typo(kb: Path) -> Expect:
    replace(kb, XINGHAI, "      amount: 最高1000万元\n", "      amout: 最高1000万元\n")
    line = line_in(kb, XINGHAI, "amout:")
    return XINGHAI, line, "unknown key 'amout'; did you mean 'amount'?"


@fault
def list_where_text_expected(kb: Path) -> Expect:
    old = "    note: The article gives the month the regulation was issued, not the day."
    replace(kb, XINGHAI, old, "    note: [gives the month, not the day]")
    return XINGHAI, line_in(kb, XINGHAI, "note: [gives"), "expected text, got a list"


@fault
def mapping_where_list_expected(kb: Path) -> Expect:
    replace(kb, XINGHAI, "    short_names: [《措施》]", "    short_names: {zh: 《措施》}")
    line = line_in(kb, XINGHAI, "short_names: {zh:")
    return XINGHAI, line, "expected a list (lines starting with '- '), got a mapping"


@fault
def missing_record_jurisdiction(kb: Path) -> Expect:
    replace(
        kb,
        XINGHAI,
        "  - id: haiwan-compute-subsidy\n    jurisdiction: haiwan\n",
        "  - id: haiwan-compute-subsidy\n",
    )
    # 'missing' points at the record's mapping, which starts on its `- id:` line
    line = line_in(kb, XINGHAI, "- id: haiwan-compute-subsidy")
    return XINGHAI, line, "required key 'jurisdiction' is missing"


@fault
def missing_jurisdiction_name(kb: Path) -> Expect:
    replace(kb, XINGHAI, "    name: {zh: 海湾区, en: Haiwan District}\n", "")
    # 'missing' points at the place's mapping, which starts on its `- id:` line
    return XINGHAI, line_equal(kb, XINGHAI, "  - id: haiwan"), "required key 'name' is missing"


@fault
def bad_id_pattern(kb: Path) -> Expect:
    replace(kb, XINGHAI, "  - id: xinghai-ai-unicorns\n", "  - id: Xing Hai\n")
    line = line_in(kb, XINGHAI, "id: Xing Hai")
    return XINGHAI, line, "'Xing Hai' is not a valid id"


@fault
def duplicate_id_within_file(kb: Path) -> Expect:
    replace(kb, XINGHAI, "  - id: xinghai-ai-unicorns\n", "  - id: xinghai-ai-firms\n")
    lines = [n for n, text in enumerate(read(kb, XINGHAI).splitlines(), start=1) if text == "  - id: xinghai-ai-firms"]
    assert len(lines) == 2
    return XINGHAI, lines[1], "id 'xinghai-ai-firms' is already used in data/cities/xinghai.yaml"


@fault
def duplicate_id_across_files(kb: Path) -> Expect:
    add_ziwan(
        kb,
        "institutions:\n"
        "  - id: xinghai-ai-innovation-centre\n"
        "    jurisdiction: ziwan\n"
        "    kind: lab\n"
        "    name: {zh: 紫湾实验室, en: Ziwan Laboratory}\n"
        "    sources:\n"
        "      - document: fixture_a_xinghai.txt\n"
        "        quote: 星海市与邻近的紫湾市同属岭东省沿海城市群\n",
    )
    line = line_in(kb, ZIWAN, "id: xinghai-ai-innovation-centre")
    return ZIWAN, line, "id 'xinghai-ai-innovation-centre' is already used in data/cities/xinghai.yaml"


@fault
def unknown_policy_reference(kb: Path) -> Expect:
    replace(
        kb,
        XINGHAI,
        "    policy: xinghai-ai-measures-2025\n    kind: compute_voucher\n",
        "    policy: xinghai-ai-measure-2025\n    kind: compute_voucher\n",
    )
    line = line_in(kb, XINGHAI, "policy: xinghai-ai-measure-2025")
    return XINGHAI, line, "unknown policy 'xinghai-ai-measure-2025'; did you mean 'xinghai-ai-measures-2025'?"


@fault
def unknown_jurisdiction_reference(kb: Path) -> Expect:
    replace(
        kb,
        XINGHAI,
        "  - id: haiwan-compute-subsidy\n    jurisdiction: haiwan\n",
        "  - id: haiwan-compute-subsidy\n    jurisdiction: haiwann\n",
    )
    line = line_in(kb, XINGHAI, "jurisdiction: haiwann")
    return XINGHAI, line, "unknown place 'haiwann'; did you mean 'haiwan'?"


@fault
def unknown_parent_place(kb: Path) -> Expect:
    add_ziwan(kb, text=ZIWAN_TEXT.replace("parent: lingdong", "parent: lingdon"))
    line = line_in(kb, ZIWAN, "parent: lingdon")
    return ZIWAN, line, "unknown place 'lingdon'; did you mean 'lingdong'?"


@fault
def city_under_district(kb: Path) -> Expect:
    add_ziwan(kb, text=ZIWAN_TEXT.replace("parent: lingdong", "parent: haiwan"))
    line = line_in(kb, ZIWAN, "parent: haiwan")
    return ZIWAN, line, "a city cannot sit under a district (haiwan)"


@fault
def city_without_parent(kb: Path) -> Expect:
    add_ziwan(kb, text=ZIWAN_TEXT.replace("    parent: lingdong\n", ""))
    # a missing key points at the mapping that should hold it
    return ZIWAN, line_in(kb, ZIWAN, "- id: ziwan"), "a city needs a parent place"


@fault
def city_file_in_provinces_folder(kb: Path) -> Expect:
    write(kb, "data/provinces/ziwan.yaml", ZIWAN_TEXT)
    line = line_in(kb, "data/provinces/ziwan.yaml", "level: city")
    return "data/provinces/ziwan.yaml", line, "a file in data/provinces holds a province, not a city"


@fault
def unknown_source_document(kb: Path) -> Expect:
    replace(
        kb,
        XINGHAI,
        "      - document: fixture_a_xinghai.txt\n        quote: 早在2023年7月",
        "      - document: fixture_a_xinghai.tx\n        quote: 早在2023年7月",
    )
    line = line_equal(kb, XINGHAI, "      - document: fixture_a_xinghai.tx")
    return XINGHAI, line, "unknown source 'fixture_a_xinghai.tx'; did you mean 'fixture_a_xinghai.txt'?"


@fault
def declared_seed_missing(kb: Path) -> Expect:
    (kb / "seeds" / "fixture_b_yungang.txt").unlink()
    line = line_in(kb, SOURCES, "file: fixture_b_yungang.txt")
    return SOURCES, line, "seeds/fixture_b_yungang.txt does not exist"


@fault
def source_declared_twice(kb: Path) -> Expect:
    text = read(kb, SOURCES)
    start = text.index("  - file: fixture_c_jingchuan.txt")
    write(kb, SOURCES, text + text[start:])  # the last entry, once more at the end
    lines = [n for n, t in enumerate(read(kb, SOURCES).splitlines(), 1) if "file: fixture_c_jingchuan.txt" in t]
    assert len(lines) == 2
    return SOURCES, lines[1], "source fixture_c_jingchuan.txt is declared twice"


@fault
def quote_not_in_document(kb: Path) -> Expect:
    replace(kb, XINGHAI, "就出台了《星海市人工智能产业促进条例》", "就出台了《星海市人工智能产业保护条例》")
    line = line_in(kb, XINGHAI, "产业保护条例")
    return (
        XINGHAI,
        line,
        "quote not found in fixture_a_xinghai.txt; closest passage: "
        "«早在2023年7月，星海市就出台了《星海市人工智能产业促进条例》，明确设立人工智能伦理委员会。»",
    )


@fault
def rate_above_100_percent(kb: Path) -> Expect:
    replace(kb, XINGHAI, "        rate: 60%\n", "        rate: 150%\n")
    return XINGHAI, line_in(kb, XINGHAI, "rate: 150%"), "150% is above 100%"


@fault
def range_above_100_percent(kb: Path) -> Expect:
    replace(kb, XINGHAI, "    value: 40%—50%\n", "    value: 40%—150%\n")
    return XINGHAI, line_in(kb, XINGHAI, "value: 40%—150%"), "40%—150% is above 100%"


@fault
def range_backwards(kb: Path) -> Expect:
    replace(kb, XINGHAI, "    value: 40%—50%\n", "    value: 50%—40%\n")
    return XINGHAI, line_in(kb, XINGHAI, "value: 50%—40%"), "range '50%—40%' runs backwards"


@fault
def negative_quantity(kb: Path) -> Expect:
    replace(kb, XINGHAI, "    value: 5家\n", "    value: -5家\n")
    return XINGHAI, line_in(kb, XINGHAI, "value: -5家"), "cannot read '-5家' as a quantity"


@fault
def unparseable_quantity(kb: Path) -> Expect:
    replace(kb, XINGHAI, "    value: 5家\n", "    value: dozens of firms\n")
    line = line_in(kb, XINGHAI, "value: dozens of firms")
    return XINGHAI, line, "cannot read 'dozens of firms' as a quantity"


@fault
def fraction_divides_by_zero(kb: Path) -> Expect:
    replace(kb, XINGHAI, "    value: 超过1/3\n", "    value: 超过1/0\n")
    return XINGHAI, line_in(kb, XINGHAI, "value: 超过1/0"), "division by zero"


@fault
def number_longer_than_40_digits(kb: Path) -> Expect:
    replace(kb, XINGHAI, "    value: 5家\n", f"    value: {'1' * 41}家\n")
    return XINGHAI, line_in(kb, XINGHAI, "1" * 41), "has more than 40 digits"


@fault
def percentage_in_money_field(kb: Path) -> Expect:
    replace(kb, XINGHAI, "      amount: 最高5亿元\n", "      amount: 30%\n")
    return XINGHAI, line_in(kb, XINGHAI, "amount: 30%"), "30% is a ratio quantity; expected cny"


@fault
def date_in_wrong_shape(kb: Path) -> Expect:
    replace(kb, XINGHAI, "    established: 2023-09\n", "    established: 2025/03/01\n")
    line = line_in(kb, XINGHAI, "established: 2025/03/01")
    return XINGHAI, line, "'2025/03/01' is not a date"


@fault
def impossible_date(kb: Path) -> Expect:
    replace(kb, XINGHAI, "    established: 2023-09\n", "    established: 2025-02-30\n")
    line = line_in(kb, XINGHAI, "established: 2025-02-30")
    return XINGHAI, line, "'2025-02-30': day 30 does not exist in 2025-02"


@fault
def enum_value_misspelt(kb: Path) -> Expect:
    replace(kb, XINGHAI, "    kind: regulation\n", "    kind: regulations\n")
    return (
        XINGHAI,
        line_in(kb, XINGHAI, "kind: regulations"),
        "'regulations' is not a kind of policy; did you mean regulation (条例)?",
    )


@fault
def year_not_a_number(kb: Path) -> Expect:
    replace(kb, XINGHAI, "    period: {start: 2025, end: 2027}\n", "    period: {start: twenty25, end: 2027}\n")
    line = line_in(kb, XINGHAI, "start: twenty25")
    return XINGHAI, line, "expected a whole number, got 'twenty25'"


@fault
def period_ends_before_start(kb: Path) -> Expect:
    replace(kb, XINGHAI, "    period: {start: 2025, end: 2027}\n", "    period: {start: 2027, end: 2025}\n")
    line = line_in(kb, XINGHAI, "period: {start: 2027, end: 2025}")
    return XINGHAI, line, "period ends (2025) before it starts (2027)"


@fault
def target_value_and_stretch_in_different_units(kb: Path) -> Expect:
    replace(kb, XINGHAI, "    stretch: 力争4000亿元\n", "    stretch: 力争1000家\n")
    line = line_in(kb, XINGHAI, "- id: xinghai-ai-core-industry-2027")
    return XINGHAI, line, "value (3000亿元以上) and stretch (力争1000家) use different units"


@fault
def empty_sources_list(kb: Path) -> Expect:
    note = "    note: The article says the cap has not been published yet.\n"
    replace(
        kb,
        XINGHAI,
        note + "    sources:\n"
        "      - document: fixture_a_xinghai.txt\n"
        "        quote: 星海市海湾区对经认定的企业给予30%算力补贴，补贴上限尚未公布。\n",
        note + "    sources: []\n",
    )
    return XINGHAI, line_in(kb, XINGHAI, "sources: []"), "must not be empty"


@fault
def subject_is_a_place(kb: Path) -> Expect:
    replace(kb, XINGHAI, "    subject: xinghai-ai-innovation-centre\n", "    subject: haiwan\n")
    line = line_equal(kb, XINGHAI, "    subject: haiwan")
    return XINGHAI, line, "unknown record 'haiwan'; did you mean 'haiwan-compute-subsidy'?"


@fault
def non_utf8_file(kb: Path) -> Expect:
    write(kb, ZIWAN, ZIWAN_TEXT.encode("gbk"))
    first_chinese = next(n for n, t in enumerate(ZIWAN_TEXT.splitlines(), 1) if not t.isascii())
    return ZIWAN, first_chinese, "file is not UTF-8"


@fault
def empty_file(kb: Path) -> Expect:
    write(kb, ZIWAN, "")
    return ZIWAN, 1, "file is empty"


@fault
def comments_only_file(kb: Path) -> Expect:
    write(kb, ZIWAN, "# Ziwan: to be written\n# nothing yet\n")
    return ZIWAN, 1, "file is empty"


@fault
def top_level_list(kb: Path) -> Expect:
    write(kb, ZIWAN, "- id: ziwan\n- level: city\n")
    return ZIWAN, 1, "expected a mapping of keys (id, jurisdictions"


@fault
def custom_tag(kb: Path) -> Expect:
    add_ziwan(kb, text=ZIWAN_TEXT.replace("level: city", "level: !custom city"))
    return ZIWAN, line_in(kb, ZIWAN, "!custom"), "YAML tag !custom is not allowed here"


@fault
def core_tag_other_than_str(kb: Path) -> Expect:
    add_ziwan(kb, "institutions: !!binary aGVsbG8=\n")
    return ZIWAN, line_in(kb, ZIWAN, "!!binary"), "YAML tag !!binary is not allowed here"


@fault
def key_that_is_not_a_name(kb: Path) -> Expect:
    add_ziwan(kb, "? [policies, targets]\n: []\n")
    return ZIWAN, line_in(kb, ZIWAN, "? [policies"), "a key must be a plain name"


@fault
def file_name_differs_from_id(kb: Path) -> Expect:
    replace(kb, XINGHAI, "\nid: xinghai\n", "\nid: xinghia\n")
    line = line_of(read(kb, XINGHAI), "id: xinghia")
    return XINGHAI, line, "the file is named xinghai.yaml but its id is 'xinghia'; rename one of them"


@fault
def record_of_a_place_described_elsewhere(kb: Path) -> Expect:
    add_ziwan(
        kb,
        "institutions:\n"
        "  - id: haiwan-test-lab\n"
        "    jurisdiction: haiwan\n"
        "    kind: lab\n"
        "    name: {zh: 海湾实验室, en: Haiwan lab}\n"
        "    sources:\n"
        "      - document: fixture_a_xinghai.txt\n"
        "        quote: 星海市与邻近的紫湾市同属岭东省沿海城市群\n",
    )
    line = line_in(kb, ZIWAN, "jurisdiction: haiwan")
    return ZIWAN, line, "place 'haiwan' is described in data/cities/xinghai.yaml: move this record there"


@fault
def ignored_quote_not_in_document(kb: Path) -> Expect:
    write(
        kb,
        IGNORED,
        "ignored:\n"
        "  - document: fixture_b_yungang.txt\n"
        "    quote: 这句话并不在这篇文章里\n"
        "    reason: a passage with no policy content\n",
    )
    line = line_in(kb, IGNORED, "quote: 这句话")
    return IGNORED, line, "quote not found in fixture_b_yungang.txt"


@fault
def ignored_unknown_document(kb: Path) -> Expect:
    write(
        kb,
        IGNORED,
        "ignored:\n"
        "  - document: fixture_b_yungang.tx\n"
        "    quote: 截至2025年3月，雲港市人工智慧企業約800家\n"
        "    reason: a passage with no policy content\n",
    )
    line = line_in(kb, IGNORED, "document: fixture_b_")
    return IGNORED, line, "unknown source 'fixture_b_yungang.tx'; did you mean 'fixture_b_yungang.txt'?"


@fault
def control_character_in_text(kb: Path) -> Expect:
    # An escape character pasted from a terminal into a note.
    add_ziwan(kb, text=ZIWAN_TEXT.replace("    level: city\n", "    level: city\n    note: see \x1b[1mhere\n"))
    line = line_in(kb, ZIWAN, "\x1b")
    return ZIWAN, line, "control character"


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_fault_is_reported_at_its_line(name: str, kb: Path, run_cli) -> None:
    file, line, fragment = FAULTS[name](kb)
    result = check(run_cli, kb)
    assert_clean_failure(result)
    assert_reported(result, file, line, fragment)


# --------------------------------------------------------------------------- beyond the corpus


def test_python_tag_is_refused_and_never_executed(kb: Path, run_cli, tmp_path: Path) -> None:
    add_ziwan(kb, 'institutions: !!python/object/apply:os.system ["touch PWNED"]\n')
    line = line_in(kb, ZIWAN, "!!python/object")
    result = check(run_cli, kb)
    assert_clean_failure(result)
    assert_reported(result, ZIWAN, line, "YAML tag !!python/object/apply:os.system is not allowed here")
    assert not (tmp_path / "PWNED").exists()  # the CLI's working directory
    assert not (kb / "PWNED").exists()
    assert not (kb / "data" / "cities" / "PWNED").exists()


def _billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused(kb: Path, run_cli) -> None:
    """9^10 expanded nodes if aliases were followed: the check must refuse them instead (it takes
    about a second; the run's time-out, 120 s, is the only clock here)."""
    add_ziwan(kb, text=_billion_laughs())
    result = check(run_cli, kb)
    assert_clean_failure(result)
    file_lines = len(_billion_laughs().splitlines())
    assert result.problems
    for problem in result.problems:
        match = re.match(rf"^{re.escape(ZIWAN)}:(\d+):\d+: ", problem)
        assert match, problem
        assert 1 <= int(match.group(1)) <= file_lines
        assert "anchors and aliases (&name, *name) are not allowed" in problem


def test_alias_bomb_reports_each_problem_once(kb: Path, run_cli) -> None:
    """The same rendered problem must not be printed over and over (one per expanded alias)."""
    add_ziwan(kb, text=_billion_laughs())
    result = check(run_cli, kb)
    assert_clean_failure(result)
    assert len(result.problems) == len(set(result.problems)), result.err


def test_several_faults_in_one_file_are_all_reported(kb: Path, run_cli) -> None:
    replace(kb, XINGHAI, "    rate_basis:", "    rate_basi:")
    replace(kb, XINGHAI, "    value: 5家\n", "    value: 5家家\n")
    replace(kb, XINGHAI, "    established: 2023-09\n", "    established: 2025/03/01\n")
    replace(kb, XINGHAI, "《星海市人工智能产业促进条例》", "《紫湾市人工智能产业促进条例》")
    expected = [
        (line_in(kb, XINGHAI, "rate_basi:"), "unknown key 'rate_basi'; did you mean 'rate_basis'?"),
        (line_in(kb, XINGHAI, "value: 5家家"), "cannot read '5家家' as a quantity"),
        (line_in(kb, XINGHAI, "established: 2025/03/01"), "'2025/03/01' is not a date"),
        (line_in(kb, XINGHAI, "《紫湾市人工智能"), "quote not found in fixture_a_xinghai.txt"),
    ]
    result = check(run_cli, kb)
    assert_clean_failure(result)
    for line, fragment in expected:
        assert_reported(result, XINGHAI, line, fragment)
    assert len({line for line, _ in expected}) == 4
    assert len(result.problems) == 4, result.err
    assert result.err.splitlines()[-1] == "4 problem(s) found"


def test_problem_after_a_dropped_record_keeps_its_own_line(kb: Path, run_cli) -> None:
    """policies[0] is invalid (bad kind) and dropped; a bad quote in policies[1] must still be
    reported at policies[1]'s line, with the path policies[1]."""
    replace(kb, XINGHAI, "    kind: measures\n", "    kind: measuress\n")
    replace(kb, XINGHAI, "明确设立人工智能伦理委员会", "明确设立人工智能道德委员会")
    kind_line = line_in(kb, XINGHAI, "kind: measuress")
    quote_line = line_in(kb, XINGHAI, "人工智能道德委员会")
    result = check(run_cli, kb)
    assert_clean_failure(result)
    assert_reported(
        result,
        XINGHAI,
        kind_line,
        "policies[0].kind: 'measuress' is not a kind of policy; did you mean measures (若干措施)?",
    )
    assert_reported(result, XINGHAI, quote_line, "policies[1].sources[0].quote: quote not found")
    assert len(result.problems) == 2, result.err


def test_problems_after_an_invalid_place_keep_their_own_lines(kb: Path, run_cli) -> None:
    """jurisdictions[0] (xinghai) is invalid; an unknown parent of jurisdictions[2] (kedao)
    must be reported at kedao's own `parent:` line, not at the line of the item before it."""
    replace(kb, XINGHAI, "    aliases: [星海, xh, Xinghai City]\n", "    aliases: {zh: 星海}\n")
    replace(
        kb,
        XINGHAI,
        "  - id: kedao\n    level: zone\n    parent: haiwan\n",
        "  - id: kedao\n    level: zone\n    parent: haiwann\n",
    )
    parent_line = line_in(kb, XINGHAI, "parent: haiwann")
    result = check(run_cli, kb)
    assert_clean_failure(result)
    assert_reported(result, XINGHAI, line_in(kb, XINGHAI, "aliases: {zh: 星海}"), "expected a list")
    assert_reported(result, XINGHAI, parent_line, "jurisdictions[2].parent: unknown place 'haiwann'")


def test_a_forty_digit_count_is_read_exactly(kb: Path, run_cli) -> None:
    """The longest number the grammar reads (40 digits) keeps every digit where it is read (extract);
    in a record it is larger than any figure a source states (issue 14 bounds figures at 10^18), so
    check refuses it at its line. The longest figure a record may hold (18 digits, beyond a float's
    precision) keeps every digit through check and export."""
    digits = "9" * 39 + "7"
    replace(kb, f"seeds/{ARTICLE_A}", "独角兽企业5家。", f"独角兽企业{digits}家。")
    replace(kb, XINGHAI, "独角兽企业5家。\n", f"独角兽企业{digits}家。\n")
    replace(kb, XINGHAI, "    value: 5家\n", f"    value: {digits}家\n")
    result = check(run_cli, kb)
    assert_clean_failure(result)
    assert result.problems == [
        f"{XINGHAI}:{line_in(kb, XINGHAI, f'value: {digits}家')}:12: indicators[2].value: {digits}家 is larger than "
        "any figure a source states (at most 10^18)"
    ]
    done = citypolicy("extract", str(kb / "seeds" / ARTICLE_A), "--format", "json", kb=FIXTURE_KB, cwd=kb)
    assert done.returncode == 0, done.stderr
    read_back = [m["value"] for m in json.loads(done.stdout)["items"] if m["text"] == f"{digits}家"]
    assert [(q["value"], q["unit"], q["bound"]) for q in read_back] == [(int(digits), "count", "exact")]

    largest = "9" * 17 + "7"
    replace(kb, f"seeds/{ARTICLE_A}", digits, largest)
    replace(kb, XINGHAI, f"独角兽企业{digits}家。\n", f"独角兽企业{largest}家。\n")
    replace(kb, XINGHAI, f"    value: {digits}家\n", f"    value: {largest}家\n")
    code, out, err = run_cli("check", kb=kb)
    assert code == 0, err
    done = citypolicy("export", "--format", "json", kb=kb, cwd=kb)
    assert done.returncode == 0, done.stderr
    facts = {f["id"]: f for f in json.loads(done.stdout)["facts"]}
    assert facts["xinghai-ai-unicorns:value"]["value"] == int(largest)
    assert facts["xinghai-ai-unicorns:value"]["text"] == f"{largest}家"


def test_deep_nesting_is_a_problem_not_a_crash(kb: Path, run_cli) -> None:
    depth = 2000
    add_ziwan(kb, "note: " + "[" * depth + "]" * depth + "\n")
    line = line_in(kb, ZIWAN, "note: [[[")
    result = check(run_cli, kb)
    assert_clean_failure(result)
    assert any(p.startswith(f"{ZIWAN}:{line}:") for p in result.problems), result.err


# --------------------------------------------------------------------------- valid input


# The same parser the product uses (libyaml): the registry's flow mappings hold a `?` that
# PyYAML's pure-Python scanner reads differently.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PLACE_FILES = (LINGDONG, XINGHAI, "data/cities/yungang.yaml", "data/cities/jingchuan.yaml")


def _yaml(text: str) -> object:
    return yaml.load(text, Loader=_YAML_LOADER)


def _count_citations(node: object) -> int:
    if isinstance(node, dict):
        return (1 if set(node) == {"document", "quote"} else 0) + sum(_count_citations(v) for v in node.values())
    if isinstance(node, list):
        return sum(_count_citations(v) for v in node)
    return 0


def test_fixture_kb_passes_with_a_one_line_summary(kb: Path, run_cli) -> None:
    code, out, err = run_cli("check", kb=kb)
    assert code == 0, err
    assert err == ""
    assert out == (
        "ok: 8 jurisdictions, 4 policies, 6 instruments, 4 targets, 11 indicators, 2 institutions; "
        "38 quotes verified in 3 sources\n"
    )
    # the same counts, read independently from the files
    places = [_yaml(read(kb, f)) for f in PLACE_FILES]
    assert sorted(p.relative_to(kb).as_posix() for p in kb.glob("data/*/*.yaml")) == sorted(PLACE_FILES)
    counts = [
        sum(len(p.get(section) or []) for p in places)
        for section in ("jurisdictions", "policies", "instruments", "targets", "indicators", "institutions")
    ]
    ignored = len(_yaml(read(kb, IGNORED))["ignored"])
    assert counts == [8, 4, 6, 4, 11, 2]
    assert sum(_count_citations(p) for p in places) + ignored == 38
    assert len(_yaml(read(kb, SOURCES))["sources"]) == 3


def test_alias_no_stays_a_string(kb: Path, run_cli) -> None:
    replace(kb, XINGHAI, "    aliases: [星海, xh, Xinghai City]\n", "    aliases: [no, yes, off, 星海]\n")
    code, out, err = run_cli("check", kb=kb)
    assert code == 0, err
    assert out.startswith("ok: ")
    knowledge, problems = load(kb)
    assert problems == []
    assert knowledge.jurisdictions["xinghai"].aliases == ["no", "yes", "off", "星海"]


def test_unquoted_year_month_is_read_as_that_month(fixture_kb: Path) -> None:
    assert "    issued: 2025-05\n" in read(fixture_kb, XINGHAI)  # unquoted: YAML 1.1 would not read a month
    knowledge, problems = load(fixture_kb)
    assert problems == []
    issued = knowledge.policies["xinghai-ai-measures-2025"].issued
    assert issued == PartialDate(2025, 5)
    assert str(issued) == "2025-05"
    assert str(knowledge.targets["yungang-compute-2026"].deadline) == "2026-late"


def test_ignored_passage_found_in_its_document_passes(kb: Path, run_cli) -> None:
    write(
        kb,
        IGNORED,
        "ignored:\n"
        "  - document: fixture_b_yungang.txt\n"
        "    quote: 截至2025年3月，雲港市人工智慧企業約800家\n"
        "    reason: already captured by a record\n",
    )
    code, out, err = run_cli("check", kb=kb)
    assert code == 0, err
    knowledge, problems = load(kb)
    assert problems == []
    assert [p.document for p in knowledge.ignored] == ["fixture_b_yungang.txt"]

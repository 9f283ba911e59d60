"""A corpus of faults an analyst can make, each checked through the real CLI.

Every fault is applied to a fresh copy of the minimal knowledge base (see conftest.py), then
`python -m citypolicy check --kb DIR` runs as a subprocess. A fault must give exit code 1, no
traceback, and a problem rendered as `file:line:col: path: message` at the line the fault is on.
Expected lines are computed from the text written, never taken from the real files.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import GUANGDONG, IGNORED, SHENZHEN, SOURCES

from citypolicy.core.dates import PartialDate
from citypolicy.load.loader import load

ZHUHAI = "data/cities/zhuhai.yaml"

# A small valid city file, added next to shenzhen.yaml (it sorts after it).
ZHUHAI_TEXT = """\
id: zhuhai
jurisdictions:
  - id: zhuhai
    level: city
    parent: guangdong
    name: {zh: 珠海市, en: Zhuhai}
    sources:
      - document: 000_fbc55fd9cbfa71d9.txt
        quote: 都說這個地級市
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


def add_zhuhai(kb: Path, extra: str = "", text: str = ZHUHAI_TEXT) -> None:
    write(kb, ZHUHAI, text + extra)


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
    old = "    note: The article names the policy but not its title."
    replace(kb, SHENZHEN, old, "    note: The article names: the policy but not its title.")
    return (
        SHENZHEN,
        line_in(kb, SHENZHEN, "names: the policy"),
        'a colon followed by a space inside a value starts a new key: quote the value (note: "The article names: '
        'the policy but not its title.") or use a block scalar',
    )


@fault
def tab_indentation(kb: Path) -> Expect:
    replace(kb, SHENZHEN, "    kind: regulation\n", "\tkind: regulation\n")
    return SHENZHEN, line_in(kb, SHENZHEN, "\tkind: regulation"), "tab character in indentation"


@fault
def duplicate_key(kb: Path) -> Expect:
    replace(kb, SHENZHEN, "    kind: regulation\n", "    kind: regulation\n    kind: work_report\n")
    first = line_in(kb, SHENZHEN, "kind: regulation")
    second = line_in(kb, SHENZHEN, "kind: work_report")
    return SHENZHEN, second, f"duplicate key 'kind' (first written on line {first})"


@fault
def unknown_key_typo(kb: Path) -> Expect:
    replace(kb, SHENZHEN, "    rate_basis:", "    rate_basi:")
    line = line_in(kb, SHENZHEN, "rate_basi:")
    return SHENZHEN, line, "unknown key 'rate_basi'; did you mean 'rate_basis'?"


@fault
def unknown_nested_key_typo(kb: Path) -> Expect:
    replace(kb, SHENZHEN, "      amount: 最高3000万元\n", "      amout: 最高3000万元\n")
    line = line_in(kb, SHENZHEN, "amout:")
    return SHENZHEN, line, "unknown key 'amout'; did you mean 'amount'?"


@fault
def list_where_text_expected(kb: Path) -> Expect:
    old = "    note: The article names the policy but not its title."
    replace(kb, SHENZHEN, old, "    note: [names the policy, not its title]")
    return SHENZHEN, line_in(kb, SHENZHEN, "note: [names"), "expected text, got a list"


@fault
def mapping_where_list_expected(kb: Path) -> Expect:
    replace(kb, SHENZHEN, "    short_names: [《条例》]", "    short_names: {zh: 《条例》}")
    line = line_in(kb, SHENZHEN, "short_names: {zh:")
    return SHENZHEN, line, "expected a list (lines starting with '- '), got a mapping"


@fault
def missing_record_jurisdiction(kb: Path) -> Expect:
    replace(
        kb,
        SHENZHEN,
        "  - id: shenzhen-corpus-voucher\n    jurisdiction: shenzhen\n",
        "  - id: shenzhen-corpus-voucher\n",
    )
    # 'missing' points at the record's mapping, which starts on its `- id:` line
    line = line_in(kb, SHENZHEN, "- id: shenzhen-corpus-voucher")
    return SHENZHEN, line, "required key 'jurisdiction' is missing"


@fault
def missing_jurisdiction_name(kb: Path) -> Expect:
    replace(kb, SHENZHEN, "    name: {zh: 福田区, en: Futian District}\n", "")
    # 'missing' points at the place's mapping, which starts on its `- id:` line
    return SHENZHEN, line_equal(kb, SHENZHEN, "  - id: futian"), "required key 'name' is missing"


@fault
def bad_id_pattern(kb: Path) -> Expect:
    replace(kb, SHENZHEN, "  - id: shenzhen-ai-task-force\n", "  - id: Shen Zhen\n")
    line = line_in(kb, SHENZHEN, "id: Shen Zhen")
    return SHENZHEN, line, "'Shen Zhen' is not a valid id"


@fault
def duplicate_id_within_file(kb: Path) -> Expect:
    replace(kb, SHENZHEN, "  - id: shenzhen-ai-task-force\n", "  - id: shenzhen-ai-industry-office\n")
    lines = [
        n
        for n, text in enumerate(read(kb, SHENZHEN).splitlines(), start=1)
        if text == "  - id: shenzhen-ai-industry-office"
    ]
    assert len(lines) == 2
    return SHENZHEN, lines[1], "id 'shenzhen-ai-industry-office' is already used in data/cities/shenzhen.yaml"


@fault
def duplicate_id_across_files(kb: Path) -> Expect:
    add_zhuhai(
        kb,
        "institutions:\n"
        "  - id: peng-cheng-laboratory\n"
        "    jurisdiction: zhuhai\n"
        "    kind: lab\n"
        "    name: {zh: 鹏城实验室, en: Peng Cheng Laboratory}\n"
        "    sources:\n"
        "      - document: 000_fbc55fd9cbfa71d9.txt\n"
        "        quote: 都說這個地級市\n",
    )
    line = line_in(kb, ZHUHAI, "id: peng-cheng-laboratory")
    return ZHUHAI, line, "id 'peng-cheng-laboratory' is already used in data/cities/shenzhen.yaml"


@fault
def unknown_policy_reference(kb: Path) -> Expect:
    replace(
        kb,
        SHENZHEN,
        "    policy: shenzhen-talent-environment-measures-2025\n",
        "    policy: shenzhen-talent-environment-measure-2025\n",
    )
    line = line_in(kb, SHENZHEN, "policy: shenzhen-talent-environment-measure-2025")
    return (
        SHENZHEN,
        line,
        "unknown policy 'shenzhen-talent-environment-measure-2025'; "
        "did you mean 'shenzhen-talent-environment-measures-2025'?",
    )


@fault
def unknown_jurisdiction_reference(kb: Path) -> Expect:
    replace(
        kb,
        SHENZHEN,
        "  - id: shenzhen-ai-task-force\n    jurisdiction: shenzhen\n",
        "  - id: shenzhen-ai-task-force\n    jurisdiction: shenzen\n",
    )
    line = line_in(kb, SHENZHEN, "jurisdiction: shenzen")
    return SHENZHEN, line, "unknown place 'shenzen'; did you mean 'shenzhen'?"


@fault
def unknown_parent_place(kb: Path) -> Expect:
    add_zhuhai(kb, text=ZHUHAI_TEXT.replace("parent: guangdong", "parent: guangdon"))
    line = line_in(kb, ZHUHAI, "parent: guangdon")
    return ZHUHAI, line, "unknown place 'guangdon'; did you mean 'guangdong'?"


@fault
def city_under_district(kb: Path) -> Expect:
    add_zhuhai(kb, text=ZHUHAI_TEXT.replace("parent: guangdong", "parent: nanshan"))
    line = line_in(kb, ZHUHAI, "parent: nanshan")
    return ZHUHAI, line, "a city cannot sit under a district (nanshan)"


@fault
def city_without_parent(kb: Path) -> Expect:
    add_zhuhai(kb, text=ZHUHAI_TEXT.replace("    parent: guangdong\n", ""))
    # a missing key points at the mapping that should hold it
    return ZHUHAI, line_in(kb, ZHUHAI, "- id: zhuhai"), "a city needs a parent place"


@fault
def city_file_in_provinces_folder(kb: Path) -> Expect:
    write(kb, "data/provinces/zhuhai.yaml", ZHUHAI_TEXT)
    line = line_in(kb, "data/provinces/zhuhai.yaml", "level: city")
    return "data/provinces/zhuhai.yaml", line, "a file in data/provinces holds a province, not a city"


@fault
def unknown_source_document(kb: Path) -> Expect:
    replace(
        kb,
        SHENZHEN,
        "      - document: 001_7673d027fa37600e.txt\n        quote: 中國工程院院士",
        "      - document: 001_7673d027fa37600f.txt\n        quote: 中國工程院院士",
    )
    line = line_in(kb, SHENZHEN, "document: 001_7673d027fa37600f.txt")
    return (
        SHENZHEN,
        line,
        "unknown source '001_7673d027fa37600f.txt'; did you mean '001_7673d027fa37600e.txt'?",
    )


@fault
def declared_seed_missing(kb: Path) -> Expect:
    (kb / "seeds" / "002_e71591340c5b937c.txt").unlink()
    line = line_in(kb, SOURCES, "file: 002_e71591340c5b937c.txt")
    return SOURCES, line, "seeds/002_e71591340c5b937c.txt does not exist"


@fault
def source_declared_twice(kb: Path) -> Expect:
    text = read(kb, SOURCES)
    start = text.index("  - file: 004_407594d02d198a52.txt")
    write(kb, SOURCES, text + text[start:])  # the last entry, once more at the end
    lines = [n for n, t in enumerate(read(kb, SOURCES).splitlines(), 1) if "file: 004_407594d02d198a52.txt" in t]
    assert len(lines) == 2
    return SOURCES, lines[1], "source 004_407594d02d198a52.txt is declared twice"


@fault
def quote_not_in_document(kb: Path) -> Expect:
    replace(
        kb,
        SHENZHEN,
        "quote: 中國工程院院士、鵬城實驗室主任高文表示。",
        "quote: 中國工程院院士、鵬城實驗室主任李文表示。",
    )
    line = line_in(kb, SHENZHEN, "主任李文表示")
    return (
        SHENZHEN,
        line,
        "quote not found in 001_7673d027fa37600e.txt; closest passage: «中國工程院院士、鵬城實驗室主任高文表示。»",
    )


@fault
def rate_above_100_percent(kb: Path) -> Expect:
    replace(kb, SHENZHEN, "        rate: 60%\n", "        rate: 150%\n")
    return SHENZHEN, line_in(kb, SHENZHEN, "rate: 150%"), "150% is above 100%"


@fault
def range_above_100_percent(kb: Path) -> Expect:
    replace(kb, SHENZHEN, "    value: 50%—60%\n", "    value: 50%—160%\n")
    return SHENZHEN, line_in(kb, SHENZHEN, "value: 50%—160%"), "50%—160% is above 100%"


@fault
def range_backwards(kb: Path) -> Expect:
    replace(kb, SHENZHEN, "    value: 50%—60%\n", "    value: 60%—50%\n")
    return SHENZHEN, line_in(kb, SHENZHEN, "value: 60%—50%"), "range '60%—50%' runs backwards"


@fault
def negative_quantity(kb: Path) -> Expect:
    replace(kb, SHENZHEN, "    value: 34家\n", "    value: -34家\n")
    return SHENZHEN, line_in(kb, SHENZHEN, "value: -34家"), "cannot read '-34家' as a quantity"


@fault
def unparseable_quantity(kb: Path) -> Expect:
    replace(kb, SHENZHEN, "    value: 34家\n", "    value: dozens of firms\n")
    line = line_in(kb, SHENZHEN, "value: dozens of firms")
    return SHENZHEN, line, "cannot read 'dozens of firms' as a quantity"


@fault
def fraction_divides_by_zero(kb: Path) -> Expect:
    replace(kb, SHENZHEN, "    value: 超过1/3\n", "    value: 超过1/0\n")
    return SHENZHEN, line_in(kb, SHENZHEN, "value: 超过1/0"), "division by zero"


@fault
def percentage_in_money_field(kb: Path) -> Expect:
    replace(kb, SHENZHEN, "      amount: 最高3亿元\n", "      amount: 30%\n")
    return SHENZHEN, line_in(kb, SHENZHEN, "amount: 30%"), "30% is a ratio quantity; expected cny"


@fault
def date_in_wrong_shape(kb: Path) -> Expect:
    replace(kb, SHENZHEN, "    established: 2024-10\n", "    established: 2025/03/01\n")
    line = line_in(kb, SHENZHEN, "established: 2025/03/01")
    return SHENZHEN, line, "'2025/03/01' is not a date"


@fault
def impossible_date(kb: Path) -> Expect:
    replace(kb, SHENZHEN, "    established: 2024-10\n", "    established: 2025-02-30\n")
    line = line_in(kb, SHENZHEN, "established: 2025-02-30")
    return SHENZHEN, line, "'2025-02-30': day 30 does not exist in 2025-02"


@fault
def enum_value_misspelt(kb: Path) -> Expect:
    replace(kb, SHENZHEN, "    kind: regulation\n", "    kind: regulations\n")
    return SHENZHEN, line_in(kb, SHENZHEN, "kind: regulations"), "'regulations' is not one of"


@fault
def year_not_a_number(kb: Path) -> Expect:
    replace(kb, SHENZHEN, "    period: {start: 2025, end: 2027}\n", "    period: {start: twenty25, end: 2027}\n")
    line = line_in(kb, SHENZHEN, "start: twenty25")
    return SHENZHEN, line, "expected a whole number, got 'twenty25'"


@fault
def period_ends_before_start(kb: Path) -> Expect:
    replace(kb, SHENZHEN, "    period: {start: 2025, end: 2027}\n", "    period: {start: 2027, end: 2025}\n")
    line = line_in(kb, SHENZHEN, "period: {start: 2027, end: 2025}")
    return SHENZHEN, line, "period ends (2025) before it starts (2027)"


@fault
def target_value_and_stretch_in_different_units(kb: Path) -> Expect:
    replace(kb, SHENZHEN, "    stretch: 力争1兆元\n", "    stretch: 力争1000家\n")
    line = line_in(kb, SHENZHEN, "- id: shenzhen-ai-terminal-industry-2026")
    return SHENZHEN, line, "value (8,000亿元以上) and stretch (力争1000家) use different units"


@fault
def empty_sources_list(kb: Path) -> Expect:
    replace(
        kb,
        SHENZHEN,
        "    note: The article names the policy but not its title.\n"
        "    sources:\n"
        "      - document: 001_7673d027fa37600e.txt\n"
        "        quote: 同時發布人形機器人專項政策\n",
        "    note: The article names the policy but not its title.\n    sources: []\n",
    )
    return SHENZHEN, line_in(kb, SHENZHEN, "sources: []"), "must not be empty"


@fault
def subject_is_a_place(kb: Path) -> Expect:
    replace(kb, SHENZHEN, "    subject: futian-government-llm\n", "    subject: futian\n")
    line = line_equal(kb, SHENZHEN, "    subject: futian")
    return SHENZHEN, line, "unknown record 'futian'; did you mean 'futian-government-llm'?"


@fault
def non_utf8_file(kb: Path) -> Expect:
    write(kb, ZHUHAI, ZHUHAI_TEXT.encode("gbk"))
    first_chinese = next(n for n, t in enumerate(ZHUHAI_TEXT.splitlines(), 1) if not t.isascii())
    return ZHUHAI, first_chinese, "file is not UTF-8"


@fault
def empty_file(kb: Path) -> Expect:
    write(kb, ZHUHAI, "")
    return ZHUHAI, 1, "file is empty"


@fault
def comments_only_file(kb: Path) -> Expect:
    write(kb, ZHUHAI, "# Zhuhai: to be written\n# nothing yet\n")
    return ZHUHAI, 1, "file is empty"


@fault
def top_level_list(kb: Path) -> Expect:
    write(kb, ZHUHAI, "- id: zhuhai\n- level: city\n")
    return ZHUHAI, 1, "expected a mapping of keys (id, jurisdictions"


@fault
def custom_tag(kb: Path) -> Expect:
    add_zhuhai(kb, text=ZHUHAI_TEXT.replace("level: city", "level: !custom city"))
    return ZHUHAI, line_in(kb, ZHUHAI, "!custom"), "YAML tag !custom is not allowed here"


@fault
def core_tag_other_than_str(kb: Path) -> Expect:
    add_zhuhai(kb, "institutions: !!binary aGVsbG8=\n")
    return ZHUHAI, line_in(kb, ZHUHAI, "!!binary"), "YAML tag !!binary is not allowed here"


@fault
def key_that_is_not_a_name(kb: Path) -> Expect:
    add_zhuhai(kb, "? [policies, targets]\n: []\n")
    return ZHUHAI, line_in(kb, ZHUHAI, "? [policies"), "a key must be a plain name"


@fault
def file_name_differs_from_id(kb: Path) -> Expect:
    replace(kb, SHENZHEN, "\nid: shenzhen\n", "\nid: shenzen\n")
    line = line_of(read(kb, SHENZHEN), "id: shenzen")
    return SHENZHEN, line, "the file is named shenzhen.yaml but its id is 'shenzen'; rename one of them"


@fault
def record_of_a_place_described_elsewhere(kb: Path) -> Expect:
    add_zhuhai(
        kb,
        "institutions:\n"
        "  - id: nanshan-test-lab\n"
        "    jurisdiction: nanshan\n"
        "    kind: lab\n"
        "    name: {zh: 南山实验室, en: Nanshan lab}\n"
        "    sources:\n"
        "      - document: 000_fbc55fd9cbfa71d9.txt\n"
        "        quote: 都說這個地級市\n",
    )
    line = line_in(kb, ZHUHAI, "jurisdiction: nanshan")
    return ZHUHAI, line, "place 'nanshan' is described in data/cities/shenzhen.yaml: move this record there"


@fault
def ignored_quote_not_in_document(kb: Path) -> Expect:
    write(
        kb,
        IGNORED,
        "ignored:\n"
        "  - document: 003_75256af910aee7c0.txt\n"
        "    quote: 这句话并不在这篇文章里\n"
        "    reason: a passage with no policy content\n",
    )
    line = line_in(kb, IGNORED, "quote: 这句话")
    return IGNORED, line, "quote not found in 003_75256af910aee7c0.txt"


@fault
def ignored_unknown_document(kb: Path) -> Expect:
    write(
        kb,
        IGNORED,
        "ignored:\n"
        "  - document: 003_75256af910aee7c0.tx\n"
        "    quote: 深圳市50%—60%的人工智慧企業集聚在南山區\n"
        "    reason: a passage with no policy content\n",
    )
    line = line_in(kb, IGNORED, "document: 003_")
    return IGNORED, line, "unknown source '003_75256af910aee7c0.tx'; did you mean '003_75256af910aee7c0.txt'?"


@fault
def control_character_in_text(kb: Path) -> Expect:
    # An escape character pasted from a terminal into a note.
    add_zhuhai(kb, text=ZHUHAI_TEXT.replace("    level: city\n", "    level: city\n    note: see \x1b[1mhere\n"))
    line = line_in(kb, ZHUHAI, "\x1b")
    return ZHUHAI, line, "control character"


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_fault_is_reported_at_its_line(name: str, kb: Path, run_cli) -> None:
    file, line, fragment = FAULTS[name](kb)
    result = check(run_cli, kb)
    assert_clean_failure(result)
    assert_reported(result, file, line, fragment)


def test_corpus_is_large_enough() -> None:
    assert len(FAULTS) >= 32


# --------------------------------------------------------------------------- beyond the corpus


def test_python_tag_is_refused_and_never_executed(kb: Path, run_cli, tmp_path: Path) -> None:
    add_zhuhai(kb, 'institutions: !!python/object/apply:os.system ["touch PWNED"]\n')
    line = line_in(kb, ZHUHAI, "!!python/object")
    result = check(run_cli, kb)
    assert_clean_failure(result)
    assert_reported(result, ZHUHAI, line, "YAML tag !!python/object/apply:os.system is not allowed here")
    assert not (tmp_path / "PWNED").exists()  # the CLI's working directory
    assert not (kb / "PWNED").exists()
    assert not (kb / "data" / "cities" / "PWNED").exists()


def _billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_quickly(kb: Path, run_cli) -> None:
    add_zhuhai(kb, text=_billion_laughs())
    started = time.monotonic()
    result = check(run_cli, kb)
    elapsed = time.monotonic() - started
    assert elapsed < 10, f"check took {elapsed:.1f} s on an alias bomb"
    assert_clean_failure(result)
    file_lines = len(_billion_laughs().splitlines())
    assert result.problems
    for problem in result.problems:
        match = re.match(rf"^{re.escape(ZHUHAI)}:(\d+):\d+: ", problem)
        assert match, problem
        assert 1 <= int(match.group(1)) <= file_lines
        assert "anchors and aliases (&name, *name) are not allowed" in problem


def test_alias_bomb_reports_each_problem_once(kb: Path, run_cli) -> None:
    """The same rendered problem must not be printed over and over (one per expanded alias)."""
    add_zhuhai(kb, text=_billion_laughs())
    result = check(run_cli, kb)
    assert_clean_failure(result)
    assert len(result.problems) == len(set(result.problems)), result.err


def test_several_faults_in_one_file_are_all_reported(kb: Path, run_cli) -> None:
    replace(kb, SHENZHEN, "    rate_basis:", "    rate_basi:")
    replace(kb, SHENZHEN, "    value: 34家\n", "    value: 34家家\n")
    replace(kb, SHENZHEN, "    established: 2024-10\n", "    established: 2025/03/01\n")
    replace(kb, SHENZHEN, "《深圳市加快推動人工智能高質量發展", "《广州市加快推動人工智能高質量發展")
    expected = [
        (line_in(kb, SHENZHEN, "rate_basi:"), "unknown key 'rate_basi'; did you mean 'rate_basis'?"),
        (line_in(kb, SHENZHEN, "value: 34家家"), "cannot read '34家家' as a quantity"),
        (line_in(kb, SHENZHEN, "established: 2025/03/01"), "'2025/03/01' is not a date"),
        (line_in(kb, SHENZHEN, "《广州市加快推動"), "quote not found in 001_7673d027fa37600e.txt"),
    ]
    result = check(run_cli, kb)
    assert_clean_failure(result)
    for line, fragment in expected:
        assert_reported(result, SHENZHEN, line, fragment)
    assert len({line for line, _ in expected}) == 4
    assert len(result.problems) == 4, result.err
    assert result.err.splitlines()[-1] == "4 problem(s) found"


def test_problem_after_a_dropped_record_keeps_its_own_line(kb: Path, run_cli) -> None:
    """policies[0] is invalid (bad kind) and dropped; a bad quote in policies[1] must still be
    reported at policies[1]'s line, with the path policies[1]."""
    replace(kb, SHENZHEN, "    kind: regulation\n", "    kind: regulations\n")
    replace(kb, SHENZHEN, "2023年5月,《深圳市加快推動", "2023年6月,《深圳市加快推動")
    kind_line = line_in(kb, SHENZHEN, "kind: regulations")
    quote_line = line_in(kb, SHENZHEN, "2023年6月,《深圳市加快推動")
    result = check(run_cli, kb)
    assert_clean_failure(result)
    assert_reported(result, SHENZHEN, kind_line, "policies[0].kind: 'regulations' is not one of")
    assert_reported(result, SHENZHEN, quote_line, "policies[1].sources[0].quote: quote not found")
    assert len(result.problems) == 2, result.err


def test_problems_after_an_invalid_place_keep_their_own_lines(kb: Path, run_cli) -> None:
    """jurisdictions[0] (shenzhen) is invalid; an unknown parent of jurisdictions[2] (futian)
    must be reported at futian's own `parent:` line, not at the line of the item before it."""
    replace(kb, SHENZHEN, "    aliases: [深圳, sz, Shenzhen City]\n", "    aliases: {zh: 深圳}\n")
    replace(
        kb,
        SHENZHEN,
        "  - id: futian\n    level: district\n    parent: shenzhen\n",
        "  - id: futian\n    level: district\n    parent: shenzhenn\n",
    )
    parent_line = line_in(kb, SHENZHEN, "parent: shenzhenn")
    result = check(run_cli, kb)
    assert_clean_failure(result)
    assert_reported(result, SHENZHEN, line_in(kb, SHENZHEN, "aliases: {zh: 深圳}"), "expected a list")
    assert_reported(result, SHENZHEN, parent_line, "jurisdictions[2].parent: unknown place 'shenzhenn'")


def test_huge_number_is_a_problem_not_a_crash(kb: Path, run_cli) -> None:
    """A 30-digit count is either read exactly or reported at its line; never an internal error."""
    digits = "1" * 30
    replace(kb, SHENZHEN, "    value: 34家\n", f"    value: {digits}家\n")
    line = line_in(kb, SHENZHEN, f"value: {digits}家")
    result = check(run_cli, kb)
    assert "Traceback" not in result.err, result.err
    assert "internal error" not in result.err, result.err
    if result.code != 0:
        assert_clean_failure(result)
        prefix = f"{SHENZHEN}:{line}:"
        assert any(p.startswith(prefix) for p in result.problems), result.err


def test_deep_nesting_is_a_problem_not_a_crash(kb: Path, run_cli) -> None:
    depth = 2000
    add_zhuhai(kb, "note: " + "[" * depth + "]" * depth + "\n")
    line = line_in(kb, ZHUHAI, "note: [[[")
    result = check(run_cli, kb)
    assert_clean_failure(result)
    assert any(p.startswith(f"{ZHUHAI}:{line}:") for p in result.problems), result.err


# --------------------------------------------------------------------------- valid input


# The same parser the product uses (libyaml): the registry's flow mappings hold a `?` that
# PyYAML's pure-Python scanner reads differently.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _yaml(text: str) -> object:
    return yaml.load(text, Loader=_YAML_LOADER)


def _count_citations(node: object) -> int:
    if isinstance(node, dict):
        return (1 if set(node) == {"document", "quote"} else 0) + sum(_count_citations(v) for v in node.values())
    if isinstance(node, list):
        return sum(_count_citations(v) for v in node)
    return 0


def test_minimal_kb_passes_with_a_one_line_summary(kb: Path, run_cli) -> None:
    code, out, err = run_cli("check", kb=kb)
    assert code == 0, err
    assert err == ""
    lines = out.splitlines()
    assert len(lines) == 1
    places = [_yaml(read(kb, f)) for f in (GUANGDONG, SHENZHEN)]
    counts = {
        section: sum(len(p.get(section) or []) for p in places)
        for section in ("jurisdictions", "policies", "instruments", "targets", "indicators", "institutions")
    }
    sources = len(_yaml(read(kb, SOURCES))["sources"])
    quotes = sum(_count_citations(p) for p in places)
    assert lines[0] == (
        f"ok: {counts['jurisdictions']} jurisdictions, {counts['policies']} policies, "
        f"{counts['instruments']} instruments, {counts['targets']} targets, "
        f"{counts['indicators']} indicators, {counts['institutions']} institutions; "
        f"{quotes} quotes verified in {sources} sources"
    )
    assert counts["jurisdictions"] == 5  # guangdong + shenzhen and its three districts


def test_alias_no_stays_a_string(kb: Path, run_cli) -> None:
    replace(kb, SHENZHEN, "    aliases: [深圳, sz, Shenzhen City]\n", "    aliases: [no, yes, off, 深圳]\n")
    code, out, err = run_cli("check", kb=kb)
    assert code == 0, err
    assert out.startswith("ok: ")
    knowledge, problems = load(kb)
    assert problems == []
    assert knowledge.jurisdictions["shenzhen"].aliases == ["no", "yes", "off", "深圳"]


def test_unquoted_year_month_is_read_as_that_month(kb: Path, run_cli) -> None:
    replace(kb, SHENZHEN, "    issued: 2023-05\n", "    issued: 2025-05\n")
    code, out, err = run_cli("check", kb=kb)
    assert code == 0, err
    assert out.startswith("ok: ")
    knowledge, problems = load(kb)
    assert problems == []
    issued = knowledge.policies["shenzhen-ai-action-programme-2023"].issued
    assert issued == PartialDate(2025, 5)
    assert str(issued) == "2025-05"


def test_ignored_passage_found_in_its_document_passes(kb: Path, run_cli) -> None:
    write(
        kb,
        IGNORED,
        "ignored:\n"
        "  - document: 003_75256af910aee7c0.txt\n"
        "    quote: 深圳市50%—60%的人工智慧企業集聚在南山區\n"
        "    reason: already captured by a record\n",
    )
    code, out, err = run_cli("check", kb=kb)
    assert code == 0, err
    knowledge, problems = load(kb)
    assert problems == []
    assert [p.document for p in knowledge.ignored] == ["003_75256af910aee7c0.txt"]

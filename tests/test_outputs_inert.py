"""Record text written into Markdown and CSV stays text (issue 14, items 12 and 13).

Reported: rendered by a Markdown viewer, `<img src=x onerror=…>` in a name ran script in every
Markdown report and answer, and a `|` in a name broke table rows; CSV outputs wrote cells starting
with `=`, `+`, `-`, `@` verbatim, which spreadsheets run as formulas.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from minimal_kb import XINGHAI, build_minimal_kb, run_cli

from citypolicy.core.escape import csv_cell, markdown_cell, markdown_text


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    """A copy of the fixture knowledge base (see minimal_kb.py)."""
    return build_minimal_kb(tmp_path / "kb")


XINGHAI_NAME = "name: {zh: 星海市, en: Xinghai}"
VOUCHER_NAME = "name: {zh: 算力券, en: compute voucher}"
MEASURES_TITLE = (
    "title: {zh: 星海市促进人工智能产业发展若干措施（2025—2027年）, "
    'en: "Xinghai Measures to Promote the AI Industry (2025–2027)"}'
)
HOSTILE = {
    XINGHAI_NAME: 'name: {zh: "星海市<img src=x onerror=alert(1)>", en: "=HYPERLINK(""http://evil"")A|B[^1]"}',
    VOUCHER_NAME: 'name: {zh: "@SUM(1+1)算力券", en: "+cmd|x<script>alert(2)</script>"}',
    MEASURES_TITLE: (
        'title: {zh: "-星海市促进人工智能产业发展若干措施（2025—2027年）", en: "\\tMeasures ![x](http://evil/p.png)"}'
    ),
    "metric: {zh: 人工智能企业数量, en: AI firms}": 'metric: {zh: "=人工智能企业数量", en: "-2+3 <b>firms</b> A|B"}',
}


@pytest.fixture
def hostile_kb(kb: Path) -> Path:
    path = kb / XINGHAI
    text = path.read_text(encoding="utf-8")
    for old, new in HOSTILE.items():
        assert old in text
        text = text.replace(old, new.replace('""', '\\"'))
    path.write_text(text, encoding="utf-8")
    return kb


def _cli(kb: Path, tmp_path: Path, *args: str) -> str:
    done = run_cli(*args, kb=kb, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return done.stdout


MARKDOWN_OUTPUTS = [
    ["report", "city", "xinghai"],
    ["report", "vouchers"],
    ["report", "targets"],
    ["report", "compare", "xinghai", "lingdong"],
    ["vouchers", "--format", "markdown"],
    ["targets", "--format", "markdown"],
    ["show", "xinghai", "--format", "markdown"],
    ["compare", "xinghai", "lingdong", "--format", "markdown"],
    ["indicators", "--format", "markdown"],
    ["search", "星海", "--format", "markdown"],
]


def test_markdown_outputs_render_record_text_as_text(hostile_kb: Path, tmp_path: Path) -> None:
    renderer = MarkdownIt("commonmark").enable("table")
    for command in MARKDOWN_OUTPUTS:
        html = renderer.render(_cli(hostile_kb, tmp_path, *command))
        assert not re.search(r"<(img|script|b)\b", html), command
        assert re.search(r"&lt;(img|b|script)\b|HYPERLINK", html), command  # shown, as text
        assert 'href="http://evil' not in html and 'src="http://evil' not in html, command
        assert not re.search(r"A</t[dh]>\s*<t[dh]>B", html), command  # a pipe never splits a cell
        assert "A|B" in html, command


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


CSV_OUTPUTS = [
    ["export", "--format", "csv"],
    ["vouchers", "--format", "csv"],
    ["targets", "--format", "csv"],
    ["show", "xinghai", "--format", "csv"],
    ["indicators", "--format", "csv"],
    ["search", "星海", "--format", "csv"],
]
NUMBER = re.compile(r"[+-]?[\d,]*\.?\d+(e[+-]?\d+)?%?", re.I)


def test_csv_outputs_never_start_a_text_cell_with_a_formula_character(hostile_kb: Path, tmp_path: Path) -> None:
    seen_hostile = 0
    for command in CSV_OUTPUTS:
        for cell in _cells(_cli(hostile_kb, tmp_path, *command)):
            if cell[:1] in {"=", "+", "-", "@", "\t", "\r"}:
                assert NUMBER.fullmatch(cell), (command, cell)
            if cell.startswith(("'=", "'+", "'-", "'@", "'\t")):
                seen_hostile += 1
                assert not NUMBER.fullmatch(cell[1:]), (command, cell)
    assert seen_hostile >= 6


def test_csv_numbers_stay_numbers(kb: Path, tmp_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(_cli(kb, tmp_path, "export", "--format", "csv"))))
    assert rows and all(NUMBER.fullmatch(row["value"]) for row in rows)


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\r=1", "'\r=1"),
        ("-5", "-5"),
        ("-0.5", "-0.5"),
        ("+3", "+3"),
        ("-1,200.5", "-1,200.5"),
        ("-5%", "-5%"),
        ("-", "'-"),
        ("深圳", "深圳"),
        (-5, -5),
        (0.5, 0.5),
        (None, None),
    ],
)
def test_csv_cells(cell: object, written: object) -> None:
    assert csv_cell(cell) == written


def test_markdown_text_and_cells() -> None:
    assert markdown_text("<img src=x onerror=alert(1)> A|B [x](y) \\| a&b\nc") == (
        "&lt;img src=x onerror=alert(1)&gt; A\\|B \\[x\\](y) \\\\\\| a&amp;b c"
    )
    assert markdown_cell("first\nsecond|") == "first<br>second\\|"


def test_terminal_tables_show_brackets_as_written(kb: Path, tmp_path: Path) -> None:
    """Rich reads `[bold]` and `[/x]` as markup: a name holding them crashed every table (MarkupError)."""
    path = kb / XINGHAI
    path.write_text(
        path.read_text(encoding="utf-8").replace(XINGHAI_NAME, 'name: {zh: 星海市, en: "[/x] [bold]Xing"}', 1),
        encoding="utf-8",
    )
    for command in (["show", "xinghai"], ["vouchers"], ["compare", "xinghai", "lingdong"], ["search", "Xing"]):
        assert "[/x]" in _cli(kb, tmp_path, *command), command

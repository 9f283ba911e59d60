"""`show PLACE` lists an instrument's terms over time, each with the whole of the quotes that state
it (issue 11): the fixture voucher's yearly pool was 1亿 until it rose to 2.5亿 in 2025, and the
sentence that says so is the proof of both terms. A quote cut short in the table ("…» (+1)") would
hide it, so every format must carry every quote whole: the piped table, Markdown and JSON.
"""

from __future__ import annotations

import json

import pytest
from helpers import FIXTURES, citypolicy
from rich.cells import cell_len

KB = FIXTURES / "vouchers_kb"
DOCUMENT = "900_fixture_zhangzhou.txt"
# The two sentences the voucher's record cites (tests/fixtures/vouchers_kb/data/cities/zhangzhou.yaml).
RATES = (
    "对基于已备案模型、使用国产算力提供模型即服务的企业，按不超过合同金额的30%给予支持；"
    "对其他算力服务，按不超过合同金额的20%给予支持，单个企业每年最高800万元。"
)
POOL = "2025年，漳州将每年“算力券”总规模由1亿元扩大至2.5亿元。"
TERMS = (
    "算力券 · if model-as-a-service on a filed model using domestic compute: up to 30% · if other compute "
    "services: up to 20% · cap up to ¥8,000,000 a year per recipient · pool {pool} a year"
)
TITLE = "漳州市 Zhangzhou: terms over time"


def _show(*args: str) -> str:
    done = citypolicy("show", "zhangzhou", *args, "--as-of", "2025-06-30", kb=KB)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout


def test_the_quotes_are_the_records_and_the_articles_own() -> None:
    record = (KB / "data" / "cities" / "zhangzhou.yaml").read_text(encoding="utf-8")
    assert f"quote: {RATES}\n" in record and record.count(f"quote: {POOL}\n") == 2
    article = (KB / "seeds" / DOCUMENT).read_text(encoding="utf-8")
    assert RATES in article and POOL in article


def test_markdown_lists_both_terms_with_their_whole_quotes() -> None:
    section = _show("--format", "markdown").split(f"### {TITLE}\n\n", 1)[1].split("\n\n", 1)[0]
    assert section.splitlines() == [
        "| instrument | from | terms | source |",
        "|---|---|---|---|",
        f"| 算力券 compute voucher | not stated in the sources | {TERMS.format(pool='¥100,000,000')} "
        f"| {DOCUMENT}: «{RATES}»<br>{DOCUMENT}: «{POOL}» |",
        f"| 算力券 compute voucher | 2025 | {TERMS.format(pool='¥250,000,000')} | {DOCUMENT}: «{POOL}» |",
    ]


def _cut(line: str, start: int, end: int | None) -> str:
    """The part of `line` between display cells `start` and `end` (a Chinese character takes two)."""
    out, used = [], 0
    for char in line:
        if used >= start and (end is None or used < end):
            out.append(char)
        used += cell_len(char)
    return "".join(out).rstrip()


def _piped_rows(text: str) -> list[list[str]]:
    """The rows of the terms-over-time table as printed when piped, each cell's wrapped lines joined
    with no space (the quotes have none; Chinese is broken anywhere, English at a space)."""
    lines = text.split(f"{TITLE}\n\n", 1)[1].split("\n\n漳州市 ", 1)[0].splitlines()
    header, rule, body = lines[0], lines[1], lines[2:]
    assert header.split() == ["instrument", "from", "terms", "source"]
    starts = [i for i, c in enumerate(rule) if c == "─" and (i == 0 or rule[i - 1] == " ")]
    bounds = list(zip(starts, [*starts[1:], None], strict=True))
    rows: list[list[str]] = []
    for block in "\n".join(body).split("\n\n"):
        cells = [[_cut(line, a, b) for line in block.splitlines()] for a, b in bounds]
        rows.append(["".join(part.replace(" ", "") for part in cell) for cell in cells])
    return rows


def test_piped_table_lists_both_terms_with_their_whole_quotes() -> None:
    def squeezed(text: str) -> str:
        return text.replace(" ", "")

    rows = _piped_rows(_show())
    assert rows == [
        [
            squeezed("算力券 compute voucher"),
            squeezed("not stated in the sources"),
            squeezed(TERMS.format(pool="¥100,000,000")),
            squeezed(f"{DOCUMENT}: «{RATES}»{DOCUMENT}: «{POOL}»"),
        ],
        [
            squeezed("算力券 compute voucher"),
            "2025",
            squeezed(TERMS.format(pool="¥250,000,000")),
            squeezed(f"{DOCUMENT}: «{POOL}»"),
        ],
    ]


@pytest.fixture(scope="module")
def history() -> list[dict]:
    return json.loads(_show("--format", "json"))["history"]["zhangzhou-compute-voucher"]


def test_json_lists_both_terms_with_their_whole_quotes(history: list[dict]) -> None:
    assert [(h["from"], h["terms"]["pool"]["amount"]["text"], h["terms"]["pool"]["period"]) for h in history] == [
        (None, "1亿元", "year"),
        ("2025", "2.5亿元", "year"),
    ]
    assert [h["sources"] for h in history] == [
        [{"document": DOCUMENT, "quote": RATES}, {"document": DOCUMENT, "quote": POOL}],
        [{"document": DOCUMENT, "quote": POOL}],
    ]

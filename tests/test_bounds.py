"""Values `check` accepts cannot crash a later command, and no quote makes `check` search for long
(issue 14, items 10 and 11).

Reported: `不少于10000000000000000000项` passed `check`, then `export --format sqlite` and `build` died
with OverflowError; a 29-digit value broke `targets`, `show`, `report` and `build`; a 10,000-character
quote that is not in its source took 18.7 s to answer and 1 MB never finished.
"""

from __future__ import annotations

import random
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import FIXTURE_KB
from minimal_kb import XINGHAI, build_minimal_kb, run_cli

from citypolicy.core.quantity import Bound, Quantity, Unit
from citypolicy.load.loader import load
from citypolicy.load.sources import Document, closest_span
from citypolicy.publish.export import export_sqlite


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    """A copy of the fixture knowledge base (see minimal_kb.py)."""
    return build_minimal_kb(tmp_path / "kb")


DOCUMENT = "long_article.txt"


def _replace(kb: Path, old: str, new: str) -> None:
    path = kb / XINGHAI
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    "written", ["不少于10000000000000000000项", "12345678901234567890123456789家", "1000000000000万亿元"]
)
def test_quantities_too_large_for_any_source_are_refused_by_check(kb: Path, tmp_path: Path, written: str) -> None:
    _replace(kb, "value: 1200余家", f"value: {written}")
    done = run_cli("check", kb=kb, cwd=tmp_path)
    assert done.returncode == 1
    assert f"{written} is larger than any figure a source states (at most 10^18)" in done.stderr
    for command in (["targets"], ["show", "xinghai"], ["export", "--format", "csv"]):
        later = run_cli(*command, kb=kb, cwd=tmp_path)
        assert later.returncode == 1 and "internal error" not in later.stderr


def test_the_largest_accepted_quantity_goes_through_every_output(kb: Path, tmp_path: Path) -> None:
    _replace(kb, "value: 1200余家", "value: 1000000000000000000家")
    assert run_cli("check", kb=kb, cwd=tmp_path).returncode in (0, 1)  # a quote may not state it
    knowledge, problems = load(kb)
    assert not [p for p in problems if "larger than" in p.message]
    database = tmp_path / "out.sqlite"
    export_sqlite(knowledge, database)
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT max(value) FROM facts").fetchone()[0] == 10**18


def test_sqlite_stores_a_number_beyond_64_bits_as_a_real_instead_of_overflowing(kb: Path, tmp_path: Path) -> None:
    """Defence in depth behind the schema's bound: the export itself cannot overflow."""
    knowledge, problems = load(kb)
    assert problems == []
    indicator = next(iter(knowledge.indicators.values()))
    huge = Quantity(Decimal(10) ** 25, Unit.COUNT, Bound.AT_LEAST, "不少于10^25项")
    knowledge.indicators[indicator.id] = indicator.model_copy(update={"value": huge})
    database = tmp_path / "out.sqlite"
    export_sqlite(knowledge, database)
    with sqlite3.connect(database) as db:
        stored = db.execute("SELECT value FROM indicators WHERE id = ?", (indicator.id,)).fetchone()[0]
    assert stored == 1e25


def test_a_spend_larger_than_any_budget_is_a_usage_error(kb: Path, tmp_path: Path) -> None:
    done = run_cli("subsidy", "--spend", "9" * 38, kb=kb, cwd=tmp_path)
    assert done.returncode == 2
    assert "is above ¥1,000,000,000,000 (1万亿): no compute budget is that large" in done.stderr
    assert "internal error" not in done.stderr


# --------------------------------------------------------------------------- quotes


def test_a_quote_longer_than_a_sentence_is_refused_with_a_short_message(kb: Path, tmp_path: Path) -> None:
    long = "星海" * 5000  # 10,000 characters, not in the source
    _replace(kb, "quote: 星海市位于岭东省东部沿海", f"quote: {long}")
    done = run_cli("check", kb=kb, cwd=tmp_path, timeout=60)
    assert done.returncode == 1
    line = next(x for x in done.stderr.splitlines() if "jurisdictions[0].sources[0].quote" in x)
    assert line.endswith(
        "10,000 characters is too long; at most 1,000 are allowed: quote only the sentence that states the figure"
    )
    assert len(line) < 300


def test_a_megabyte_quote_is_refused(kb: Path, tmp_path: Path) -> None:
    _replace(kb, "quote: 星海市位于岭东省东部沿海", "quote: " + "算力" * 500_000)
    done = run_cli("check", kb=kb, cwd=tmp_path, timeout=60)
    assert done.returncode == 1
    assert "1,000,000 characters is too long" in done.stderr
    assert len(done.stderr) < 10_000


def _article() -> str:
    """An article of about 3,000 characters (the fixture articles are short): sentences of the fixture
    articles' own characters in a seeded random order, ending in 。, in paragraphs."""
    words = sorted({c for p in (FIXTURE_KB / "seeds").glob("*.txt") for c in p.read_text("utf-8") if not c.isspace()})
    rng = random.Random(14)
    paragraphs = [
        "".join("".join(rng.choices(words, k=rng.randint(15, 40))) + "。" for _ in range(5)) for _ in range(22)
    ]
    return "\n\n".join(paragraphs) + "\n"


def test_the_closest_passage_of_a_long_quote_with_one_wrong_character_is_that_passage() -> None:
    text = _article()
    assert len(text) > 3000
    document = Document(DOCUMENT, text)
    for start, length in ((0, 900), (len(text) // 2, 700), (len(text) - 960, 950), (2000, 65)):
        passage = text[start : start + length]
        wrong = passage[: length // 3] + "犇" + passage[length // 3 + 1 :]
        assert not document.contains(wrong)
        assert document.closest(wrong) == " ".join(passage.split())


def test_pieces_agree_on_the_passage_even_when_one_piece_matches_elsewhere() -> None:
    filler = "甲乙丙丁" * 50
    haystack = filler + "".join(chr(0x4E00 + i) for i in range(2000)) + filler
    needle = "甲乙丙丁" * 16 + haystack[600:1400]  # its first piece matches the filler, not the passage
    assert closest_span(needle, haystack) == (600 - 64, 1400)


def test_a_long_quote_is_aligned_only_by_short_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """The exact alignment of a long needle is quadratic in its length; only short pieces are aligned."""
    from rapidfuzz import fuzz

    lengths: list[int] = []
    real = fuzz.partial_ratio_alignment

    def recording(needle: str, haystack: str, **options: object):  # type: ignore[no-untyped-def]
        lengths.append(len(needle))
        return real(needle, haystack, **options)

    monkeypatch.setattr(fuzz, "partial_ratio_alignment", recording)
    text = _article()
    Document(DOCUMENT, text).closest(text[100:1100].replace("。", "犇"))
    assert lengths and max(lengths) <= 64 and len(lengths) <= 8

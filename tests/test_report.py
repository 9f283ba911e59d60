"""Reports an analyst can send on: dated, summarised, one section per kind with rows aligned across
places, compact numbers, in English or Chinese, and every footnote's quote states the figures it
supports (read with the extractor's own grammar). The HTML report prints one section per page.

Code tests on the fixture knowledge base (tests/fixtures/kb); the footnote check also runs on the
shipped data for every pair of places below (marked `data`)."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import FIXTURE_KB, PROJECT
from helpers import citypolicy as _citypolicy
from playwright.sync_api import Page

from citypolicy.author.extract import find_mentions
from citypolicy.core.quantity import Quantity, Unit, normalise, quantity_from_match, quantity_re
from citypolicy.load.loader import KnowledgeBase, load
from citypolicy.publish.report import build_report

pytest_plugins = ["site_fixtures"]  # the browser, for the printed report

FIXTURE_PAIRS = [["xinghai", "yungang"], ["haiwan", "kedao"], ["jingchuan", "dongan"]]
SHIPPED_PAIRS = [["shenzhen", "zhuhai"], ["beijing", "shanghai"], ["guangzhou", "hangzhou"], ["pazhou", "nanshan"]]
PAIRS = [pytest.param(FIXTURE_KB, pair, id="-".join(pair)) for pair in FIXTURE_PAIRS] + [
    pytest.param(PROJECT, pair, id="shipped-" + "-".join(pair), marks=pytest.mark.data) for pair in SHIPPED_PAIRS
]


def citypolicy(*args: str, kb: Path = FIXTURE_KB):  # type: ignore[no-untyped-def]
    return _citypolicy(*args, kb=kb, cwd=kb)


@lru_cache(maxsize=2)
def _knowledge(root: Path) -> KnowledgeBase:
    knowledge, problems = load(root)
    assert problems == []
    return knowledge


def stated(quote: str) -> set[tuple[Unit, Decimal]]:
    """The (unit, value) pairs a quote states: the extractor's mentions, and ranks (第二), which the
    extractor leaves out as ordinals but the same grammar reads."""
    pairs = set()
    for mention in find_mentions(quote):
        if mention.quantity is not None:
            pairs |= {
                (mention.quantity.unit, v) for v in (mention.quantity.value, mention.quantity.high) if v is not None
            }
    for match in quantity_re().finditer(normalise(quote)):
        if match.group("ordinal") and match.group("n"):
            q = quantity_from_match(match, match.group(0))
            pairs.add((q.unit, q.value))
    return pairs


def _states(pairs: set[tuple[Unit, Decimal]], figure: Quantity) -> bool:
    """A figure whose record names the unit its sentence leaves implicit (千亿级 as money) is stated as a count."""
    return (figure.unit, figure.value) in pairs or (figure.unit_declared and (Unit.COUNT, figure.value) in pairs)


@pytest.mark.parametrize(("root", "places"), PAIRS)
@pytest.mark.parametrize("kind", ["compare", "city"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_footnote_quote_states_the_figures_it_supports(
    root: Path, places: list[str], kind: str, lang: str
) -> None:
    report = build_report(_knowledge(root), kind, places if kind == "compare" else places[:1], lang)
    supported = 0
    for note in report.notes:
        pairs = stated(note.citation.quote)
        for q in note.figures:
            assert _states(pairs, q), f"note {note.number}: «{note.citation.quote}» does not state {q.text}"
            supported += 1
    assert supported >= 3
    numbers = [n.number for n in report.notes]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len({(n.citation.document, n.citation.quote) for n in report.notes}) == len(numbers)  # one per quote


def _report(*args: str) -> str:
    done = citypolicy("report", *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _sections(markdown: str) -> dict[str, str]:
    parts = re.split(r"^## (.+)$", markdown, flags=re.M)
    return {title: body for title, body in zip(parts[1::2], parts[2::2], strict=True)}


def test_a_comparison_in_markdown_is_a_deliverable() -> None:
    text = _report("compare", "xinghai", "yungang")
    assert text.startswith("# Xinghai and Yungang compared: AI-industry policy\n")
    assert re.search(r"^Prepared \d{1,2} \w+ \d{4} · sources dated .+ to .+$", text, re.M)
    sections = _sections(text)
    assert list(sections) == [
        "Summary",
        "Before comparing",
        "Support measures",
        "Targets",
        "Indicators",
        "Policy documents",
        "Sources",
    ]
    assert (
        "- Best compute-voucher rate: Xinghai 60%[^1] (compute voucher, startups); Yungang up to 60%[^2] "
        "(training-compute voucher, startups)\n" in sections["Summary"]
    )
    for title in ("Support measures", "Targets", "Indicators"):
        labels = [row.split("|")[1].strip() for row in sections[title].splitlines() if row.startswith("| ")][1:]
        assert labels and len(labels) == len(set(labels)), f"{title}: a row label repeats"
        widths = {
            len(row)
            for row in sections[title].splitlines()
            if row.startswith("|") and not re.search(r"[^\x00-\x7f]", row)
        }
        assert len(widths) <= 1, f"{title}: the table's columns do not line up"
    assert "over ¥300bn" in text and "up to ¥10m" in text
    assert not re.search(r"¥\d{1,3}(,\d{3}){3,}", text)  # no ¥10,000,000,000
    assert ".txt" not in text


def test_footnotes_cite_outlet_headline_and_date_and_are_all_used() -> None:
    text = _report("compare", "xinghai", "yungang", "jingchuan")
    notes = re.findall(r"^\[\^(\d+)\]: (.+)$", text, re.M)
    assert [int(n) for n, _ in notes] == list(range(1, len(notes) + 1))
    used = set(re.findall(r"\[\^(\d+)\](?!:)", text))
    assert used == {n for n, _ in notes}
    weekly = [body for _, body in notes if body.startswith("Fixture Weekly")]
    assert weekly and all(
        b.startswith("Fixture Weekly, “Yungang's training-compute vouchers”, Apr 2025. «") for b in weekly
    )
    assert any(
        body.startswith("Fixture Observer, untitled article (Jingchuan's embodied AI (invented)), Mar 2025. «")
        for _, body in notes
    )


def test_a_chinese_report() -> None:
    text = _report("compare", "星海", "京川", "--lang", "zh")
    assert text.startswith("# 星海市与京川市人工智能产业政策对比")
    assert "编制日期：" in text and "来源日期：" in text
    assert list(_sections(text))[:3] == ["摘要", "比较须知", "扶持政策"]
    assert "¥3,000亿" in text and "¥1万亿" in text and "兆" not in text.split("## 来源")[0]
    assert "测试夹具日报，《星海：一座海滨城市的人工智能账本》，2025年6月。 «" in text
    assert "测试夹具观察，无标题报道（京川市的具身智能（虚构）），2025年3月。 «" in text
    assert not re.search(r"\b(Summary|Sources|Targets|rate|cap|pool)\b", text.split("## 来源")[0])


def test_the_other_reports_carry_date_summary_and_sources() -> None:
    for args in (("vouchers",), ("targets",), ("city", "kedao"), ("vouchers", "--lang", "zh")):
        text = _report(*args)
        assert re.search(r"^(Prepared|编制日期)", text, re.M), args
        assert ("## Summary" in text or "## 摘要" in text) and ("## Sources" in text or "## 来源" in text), args


def test_an_unknown_language_is_a_usage_error() -> None:
    done = citypolicy("report", "compare", "xinghai", "yungang", "--lang", "fr")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.figures: list[tuple[str, str, str]] = []  # unit, value, note it cites
        self._figure: tuple[str, str] | None = None
        self.notes: dict[str, str] = {}
        self._note: str | None = None
        self._quote = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(a["id"] or "")
        if tag == "span" and a.get("class") == "fig":
            self._figure = (a["data-unit"] or "", a["data-value"] or "")
        if tag == "a" and a.get("class") == "fnref" and self._figure:
            self.figures.append((*self._figure, (a["href"] or "").removeprefix("#fn-")))
            self._figure = None
        if tag == "li" and (a.get("id") or "").startswith("fn-"):
            self._note = (a["id"] or "").removeprefix("fn-")
        if tag == "q" and self._note:
            self._quote = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "q":
            self._quote = False

    def handle_data(self, data: str) -> None:
        if self._quote and self._note:
            self.notes[self._note] = self.notes.get(self._note, "") + data


def test_every_figure_in_the_html_report_points_to_a_quote_stating_it(tmp_path: Path) -> None:
    out = tmp_path / "compare.html"
    done = citypolicy("report", "compare", "xinghai", "yungang", "--format", "html", "-o", str(out))
    assert done.returncode == 0, done.stderr
    parser = _Html()
    parser.feed(out.read_text(encoding="utf-8"))
    assert [i for i, n in Counter(parser.ids).items() if n > 1] == []  # every id once
    assert len(parser.figures) > 20
    for unit, value, note in parser.figures:
        assert (Unit(unit), Decimal(value)) in stated(parser.notes[note]), (unit, value, parser.notes[note])


@pytest.mark.browser
def test_the_html_report_prints_one_section_per_page(tmp_path: Path, page: Page) -> None:
    out = tmp_path / "compare.html"
    assert citypolicy("report", "compare", "xinghai", "yungang", "--format", "html", "-o", str(out)).returncode == 0
    page.goto(out.as_uri())
    assert page.locator("section.summary li").count() >= 3  # a summary opens the report
    page.emulate_media(media="print")
    breaks = page.locator("section").evaluate_all("s => s.map(x => getComputedStyle(x).breakBefore)")
    assert breaks[0] != "page" and set(breaks[1:]) == {"page"}
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    assert pages >= len(breaks)  # each section starts a page

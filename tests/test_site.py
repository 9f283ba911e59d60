"""The static site in a real browser: Debian's Chromium driven by Playwright.

The site is built once from the project's knowledge base and served on localhost; a second build
from a hostile fixture checks that record text is never executed. What an analyst does with the site
(finding, reading in either language, following a figure) is tested in test_site_*.py. Screenshots
go to $CITYPOLICY_ARTIFACTS if set, else a temporary folder (the `artifacts` fixture of conftest.py).
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from helpers import PROJECT, citypolicy
from playwright.sync_api import Browser, Page
from site_reading import all_pages

pytest_plugins = ["site_fixtures"]  # the built site, its server and the browser
pytestmark = pytest.mark.browser


# --------------------------------------------------------------------------- every page


def test_pages_exist_for_every_place_and_source(site: Path, knowledge: dict) -> None:
    pages = set(all_pages(site))
    for fixed in ("index.html", "vouchers.html", "targets.html", "data.html", "changes.html"):
        assert fixed in pages
    places = {p["id"] for p in knowledge["jurisdictions"]}
    assert {"pazhou", "haizhu", "nanshan", "xiangzhou", "guangdong", "beijing"} <= places
    assert {f"places/{place}.html" for place in places} == {p for p in pages if p.startswith("places/")}
    for seed in (PROJECT / "seeds").glob("*.txt"):
        assert f"sources/{seed.stem}.html" in pages
    data_page = (site / "data.html").read_text(encoding="utf-8")
    downloads = ("citypolicy.json", "facts.csv", "citypolicy.sqlite", "place.schema.json", "datapackage.json")
    for download in (*downloads, "metadata.json"):
        assert (site / "data" / download).stat().st_size > 0
        assert f'href="data/{download}"' in data_page, download


def test_no_console_errors_and_no_request_leaves_the_page(site: Path, server: str, page: Page) -> None:
    errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((server, "data:")) else None)
    headings = []
    for relative in all_pages(site):
        page.goto(f"{server}/{relative}")
        page.wait_for_load_state("load")
        headings.append((relative, page.locator("h1").first.inner_text().strip()))
    assert errors == []
    assert outside == []
    assert [relative for relative, heading in headings if not heading] == []  # every page rendered its heading
    assert len(headings) == len(all_pages(site)) > 10


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        for key in ("href", "src"):
            if values.get(key):
                self.hrefs.append(values[key] or "")


def test_no_broken_internal_links_or_anchors(site: Path) -> None:
    parsed: dict[Path, _Links] = {}

    def parse(path: Path) -> _Links:
        if path not in parsed:
            parser = _Links()
            parser.feed(path.read_text(encoding="utf-8"))
            parsed[path] = parser
        return parsed[path]

    broken = []
    checked = 0
    for relative in all_pages(site):
        page_path = site / relative
        for href in parse(page_path).hrefs:
            url = urlparse(href)
            if url.scheme in {"http", "https"} or href == "data:,":  # data:, is the empty favicon
                continue
            assert url.scheme == "", f"{relative}: unexpected link {href}"
            target = (page_path.parent / unquote(url.path)).resolve() if url.path else page_path
            checked += 1
            if not target.exists():
                broken.append(f"{relative} -> {href}")
            elif url.fragment and target.suffix == ".html" and unquote(url.fragment) not in parse(target).ids:
                broken.append(f"{relative} -> {href} (no such anchor)")
            # A figure's link says where the reader came from: that page and place on it exist too.
            for came_from in parse_qs(url.query).get("from", []):
                back, _, at = came_from.partition("#")
                if not (site / back).exists() or (at and at not in parse(site / back).ids):
                    broken.append(f"{relative} -> {href} (from {came_from} does not exist)")
    assert broken == []
    assert checked > 500  # every figure, citation and record is a link


def test_every_figure_on_a_place_page_links_to_a_highlighted_passage(site: Path, server: str, page: Page) -> None:
    figures = 0
    for relative in [p for p in all_pages(site) if p.startswith("places/")]:
        page.goto(f"{server}/{relative}")
        hrefs = page.eval_on_selector_all("a.fig", "links => links.map(a => a.getAttribute('href'))")
        figures += len(hrefs)
        by_source: dict[str, set[str]] = {}
        for href in hrefs:
            url = urlparse(href)
            assert url.path.startswith("../sources/") and url.fragment.startswith("c-"), href
            by_source.setdefault(url.path.removeprefix("../"), set()).add(url.fragment)
        for source, anchors in by_source.items():
            page.goto(f"{server}/{source}")
            missing = page.evaluate(
                "ids => ids.filter(id => !(document.getElementById(id) || {closest: () => null}).closest('mark'))",
                sorted(anchors),
            )
            assert missing == [], f"{relative}: figures link to passages that are not highlighted in {source}"
    assert figures > 100


def test_passage_link_lands_on_the_quoted_sentence(site: Path, server: str, page: Page) -> None:
    page.goto(f"{server}/places/zhuhai.html")
    rate = page.locator("#zhuhai-compute-voucher a.fig").first
    rate.click()
    page.wait_for_load_state("load")
    url = urlparse(page.url)
    assert url.path.endswith("/sources/000_fbc55fd9cbfa71d9.html")
    assert url.fragment.startswith("c-zhuhai-compute-voucher-")
    anchor = url.fragment
    assert page.evaluate("id => document.getElementById(id).closest('mark').classList.contains('current')", anchor)
    passage = "".join(page.locator("mark.current").all_inner_texts())
    assert "按實際購買算力費用的50%獲得“算力券”支持" in passage


# The calculator is tested in test_calculator_site.py (every shipped and fixture case, to the fen).


# --------------------------------------------------------------------------- language, keyboard, layout


def test_language_toggle_switches_labels_and_remembers(server: str, page: Page) -> None:
    page.goto(f"{server}/index.html")
    heading = page.locator("h1")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert "cited sentence by sentence" in heading.inner_text()
    page.click("#lang-toggle")
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    assert "逐句可查" in heading.inner_text()
    assert "cited sentence by sentence" not in heading.inner_text()
    page.goto(f"{server}/vouchers.html")
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    assert "算力券与算力补贴" in page.locator("h1").inner_text()


def test_toggle_and_sort_work_from_the_keyboard(server: str, page: Page) -> None:
    page.goto(f"{server}/index.html")
    page.focus("#lang-toggle")
    page.keyboard.press("Enter")
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    header = page.locator("table.matrix thead th").last.locator("button.sort")
    header.focus()
    page.keyboard.press("Enter")  # numbers: largest first
    policies = "rows => rows.map(r => +r.cells[r.cells.length - 1].dataset.value)"
    first = page.locator("table.matrix tbody tr").evaluate_all(policies)
    assert first == sorted(first, reverse=True)
    page.keyboard.press("Enter")
    second = page.locator("table.matrix tbody tr").evaluate_all(policies)
    assert second == sorted(first)


def test_filter_narrows_the_voucher_table(server: str, page: Page) -> None:
    page.goto(f"{server}/vouchers.html")
    page.fill("input[data-filter=voucher-table]", "训力券")
    visible = page.locator("#voucher-table tbody tr:visible")
    assert visible.count() == 1
    assert "Shenzhen" in visible.inner_text()


def test_tables_have_captions_and_header_cells(site: Path) -> None:
    for relative in all_pages(site):
        html = (site / relative).read_text(encoding="utf-8")
        tables = html.count("<table")
        assert html.count("<caption") == tables, relative
        assert tables == 0 or "<th" in html


def test_pages_name_their_languages(site: Path) -> None:
    source = (site / "sources" / "000_fbc55fd9cbfa71d9.html").read_text(encoding="utf-8")
    assert '<div class="article" lang="zh-Hant">' in source  # a Traditional article
    simplified = (site / "sources" / "002_e71591340c5b937c.html").read_text(encoding="utf-8")
    assert '<div class="article" lang="zh-Hans">' in simplified
    assert '<html lang="en"' in (site / "index.html").read_text(encoding="utf-8")


def test_works_from_file_urls(browser: Browser, site: Path) -> None:
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((site / "index.html").as_uri())
    page.click("table.matrix th a[href$='places/zhuhai.html']")
    assert page.url.endswith("places/zhuhai.html")
    assert "珠海市" in page.locator("h1").inner_text()
    page.goto((site / "vouchers.html").as_uri())
    assert page.locator("#calc-results tbody tr").count() >= 2
    assert errors == []
    context.close()


# --------------------------------------------------------------------------- hostile text, atomic builds

HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


def _hostile_kb(root: Path) -> Path:
    kb = root / "kb"
    shutil.copytree(PROJECT / "data", kb / "data")
    shutil.copytree(PROJECT / "seeds", kb / "seeds")
    seed = kb / "seeds" / "999_hostile.txt"
    seed.write_text(f"某市发布政策{HOSTILE}，设立最高1000万元算力券。\n", encoding="utf-8")
    sources = kb / "data" / "sources.yaml"
    sources.write_text(
        sources.read_text(encoding="utf-8")
        + "  - file: 999_hostile.txt\n"
        + f"    outlet: {{zh: '{HOSTILE}', en: '{HOSTILE}'}}\n"
        + f"    topic: {{zh: '{HOSTILE}', en: '{HOSTILE}'}}\n"
        + '    published: "2025"\n'
        + f"    date_basis: '{HOSTILE}'\n"
        + "    script: simplified\n",
        encoding="utf-8",
    )
    zhuhai = kb / "data" / "cities" / "zhuhai.yaml"
    text = zhuhai.read_text(encoding="utf-8")
    text = text.replace(
        "name: {zh: 算力券, en: compute voucher}", f"name: {{zh: '算力券{HOSTILE}', en: '{HOSTILE}'}}", 1
    )
    text = text.replace(
        "instruments:\n",
        "instruments:\n"
        "  - id: zhuhai-hostile-voucher\n"
        "    jurisdiction: zhuhai\n"
        "    kind: compute_voucher\n"
        f"    name: {{zh: '{HOSTILE}', en: '{HOSTILE}'}}\n"
        "    cap: {amount: 最高1000万元}\n"
        f"    note: '{HOSTILE}'\n"
        "    sources:\n"
        "      - document: 999_hostile.txt\n"
        f"        quote: '发布政策{HOSTILE}，设立最高1000万元算力券'\n",
        1,
    )
    zhuhai.write_text(text, encoding="utf-8")
    return kb


def test_hostile_text_is_shown_as_text_and_never_executed(tmp_path: Path, browser: Browser) -> None:
    kb = _hostile_kb(tmp_path)
    check = citypolicy("check", kb=kb)
    assert check.returncode == 0, check.stderr
    out = tmp_path / "site"
    assert citypolicy("build", "--out", str(out), kb=kb).returncode == 0
    context = browser.new_context()
    page = context.new_page()
    for relative in ("index.html", "vouchers.html", "places/zhuhai.html", "sources/999_hostile.html"):
        page.goto((out / relative).as_uri())
        page.wait_for_load_state("load")
        assert page.evaluate("window.__pwned") is None, relative
        assert page.locator("body img[src=x]").count() == 0, relative
    assert "<script>window.__pwned = 1</script>" in page.locator("body").inner_text()
    context.close()


def _tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_failed_build_leaves_the_previous_site_untouched(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(PROJECT / "data", kb / "data")
    shutil.copytree(PROJECT / "seeds", kb / "seeds")
    out = tmp_path / "site"
    assert citypolicy("build", "--out", str(out), kb=kb).returncode == 0
    before = _tree_digest(out)
    broken = kb / "data" / "cities" / "zhuhai.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("rate: 50%", "rate: 150%", 1), encoding="utf-8")
    failed = citypolicy("build", "--out", str(out), kb=kb)
    assert failed.returncode == 1
    assert re.search(r"data/cities/zhuhai\.yaml:\d+:\d+: instruments\[\d+\]\.rate: 150% is above 100%", failed.stderr)
    assert "Traceback" not in failed.stderr
    assert _tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb", "site"]  # no staging folder left behind


def test_a_template_error_leaves_the_previous_site_untouched(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert citypolicy("build", "--out", str(out)).returncode == 0
    before = _tree_digest(out)
    script = (
        "import sys, jinja2, citypolicy.publish.site as r\n"
        "from pathlib import Path\n"
        "from citypolicy.load.loader import load\n"
        "kb, problems = load(Path(sys.argv[1]))\n"
        "r.Site.targets = lambda self: self.env.from_string('{{ missing.attribute }}').render()\n"
        "try:\n"
        "    r.build(kb, Path(sys.argv[2]))\n"
        "except jinja2.UndefinedError:\n"
        "    sys.exit(3)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(PROJECT), str(out)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 3, done.stderr
    assert _tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]

"""The static site in a real browser: Debian's Chromium driven by Playwright.

The site is built once from the project's knowledge base and served on localhost; a second build
from a hostile fixture checks that record text is never executed. Screenshots of each page kind are
saved for a person to look at: in $CITYPOLICY_ARTIFACTS if set, else a temporary folder (the
`artifacts` fixture of conftest.py).
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from helpers import PROJECT, citypolicy
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# The flags a machine without network needs: no background fetches, no updates, no sandbox as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    done = citypolicy("build", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert str(out) in done.stdout
    return out


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def all_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


# --------------------------------------------------------------------------- every page


def test_pages_exist_for_every_place_file_and_source(site: Path) -> None:
    pages = set(all_pages(site))
    for fixed in ("index.html", "vouchers.html", "targets.html", "data.html"):
        assert fixed in pages
    for city in ("beijing", "shanghai", "shenzhen", "hangzhou", "zhuhai", "guangzhou", "guangdong", "zhejiang"):
        assert f"places/{city}.html" in pages
    for seed in (PROJECT / "seeds").glob("*.txt"):
        assert f"sources/{seed.stem}.html" in pages
    for download in ("citypolicy.json", "facts.csv", "citypolicy.sqlite", "place.schema.json"):
        assert (site / "data" / download).stat().st_size > 0


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
            path, _, fragment = href.partition("#")
            assert path.startswith("../sources/") and fragment.startswith("c-"), href
            by_source.setdefault(path.removeprefix("../"), set()).add(fragment)
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
    assert "/sources/000_fbc55fd9cbfa71d9.html#c-zhuhai-compute-voucher-" in page.url
    anchor = urlparse(page.url).fragment
    assert page.evaluate("id => document.getElementById(id).closest('mark').classList.contains('current')", anchor)
    passage = "".join(page.locator("mark.current").all_inner_texts())
    assert "按實際購買算力費用的50%獲得“算力券”支持" in passage


# --------------------------------------------------------------------------- the calculator


def _calculator_figures(page: Page, spend: str, unit: str, startup: bool, beneficiary: str) -> list[tuple[str, int]]:
    page.select_option("#calc-unit", unit)
    page.fill("#calc-spend", spend)
    page.set_checked("#calc-startup", startup)
    page.select_option("#calc-beneficiary", beneficiary)
    page.wait_for_function("() => document.getElementById('calc-error').textContent === ''")
    rows = page.eval_on_selector_all(
        "#calc-results tbody tr", "rows => rows.map(r => [r.dataset.instrument, r.dataset.fen])"
    )
    return [(instrument, int(fen)) for instrument, fen in rows]


def _cli_figures(spend: str, startup: bool, beneficiary: str) -> list[tuple[str, int]]:
    args = [
        "subsidy",
        "--spend",
        spend,
        "--beneficiary",
        {"research_institute": "research"}.get(beneficiary, beneficiary),
    ]
    done = citypolicy(*args, *(["--startup"] if startup else []), "--format", "json")
    assert done.returncode == 0, done.stderr
    ranked = json.loads(done.stdout)["ranked"]
    return [(p["instrument"]["id"], round(p["payout"] * 100)) for p in ranked]


@pytest.mark.parametrize(
    ("spend", "unit", "cli_spend"),
    [
        ("1000", "10000", "1000万"),
        ("3000", "10000", "3000万"),
        ("1.2", "100000000", "1.2亿"),
        ("12345.67", "1", "12345.67"),
    ],
)
@pytest.mark.parametrize("startup", [False, True])
@pytest.mark.parametrize("beneficiary", ["enterprise", "university"])
def test_calculator_gives_what_the_cli_gives(
    server: str, page: Page, spend: str, unit: str, cli_spend: str, startup: bool, beneficiary: str
) -> None:
    page.goto(f"{server}/vouchers.html")
    shown = _calculator_figures(page, spend, unit, startup, beneficiary)
    assert shown == _cli_figures(cli_spend, startup, beneficiary)
    assert shown  # at least one place pays something in every case


def test_calculator_known_answers(server: str, page: Page) -> None:
    page.goto(f"{server}/vouchers.html")
    shown = dict(_calculator_figures(page, "1000", "10000", True, "enterprise"))
    assert shown["shenzhen-training-compute-voucher"] == 6_000_000_00
    assert shown["zhuhai-compute-voucher"] == 5_000_000_00
    notes = page.locator("#calc-separate").inner_text()
    assert "stacking not stated" in notes and "香洲区" in notes


def test_calculator_rejects_a_bad_amount(server: str, page: Page) -> None:
    page.goto(f"{server}/vouchers.html")
    page.fill("#calc-spend", "abc")
    assert "Enter an amount" in page.locator("#calc-error").inner_text()


def test_static_rows_without_javascript_match_the_cli(site: Path) -> None:
    html = (site / "vouchers.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr data-city="[^"]+" data-instrument="([^"]+)" data-fen="(\d+)">', html)
    assert [(i, int(f)) for i, f in rows] == _cli_figures("1000万", True, "enterprise")


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
    page.keyboard.press("Enter")
    first = page.locator("table.matrix tbody tr td[data-value]").evaluate_all(
        "cells => cells.map(c => +c.dataset.value)"
    )
    assert first == sorted(first)
    page.keyboard.press("Enter")
    second = page.locator("table.matrix tbody tr td[data-value]").evaluate_all(
        "cells => cells.map(c => +c.dataset.value)"
    )
    assert second == sorted(first, reverse=True)


def test_filter_narrows_the_voucher_table(server: str, page: Page) -> None:
    page.goto(f"{server}/vouchers.html")
    page.fill("input[data-filter=voucher-table]", "训力券")
    visible = page.locator("#voucher-table tbody tr:visible")
    assert visible.count() == 1
    assert "Shenzhen" in visible.inner_text()


def test_readable_at_375px_without_sideways_scrolling(browser: Browser, server: str, site: Path) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800}, device_scale_factor=1)
    page = context.new_page()
    for relative in (
        "index.html",
        "vouchers.html",
        "targets.html",
        "places/shenzhen.html",
        "sources/002_e71591340c5b937c.html",
    ):
        page.goto(f"{server}/{relative}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 380, f"{relative} is {width}px wide at 375px"
    context.close()


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
    page.click("table.matrix a[href$='#place-zhuhai']")
    assert page.url.endswith("places/zhuhai.html#place-zhuhai")
    assert "珠海市" in page.locator("h1").inner_text()
    page.goto((site / "vouchers.html").as_uri())
    assert page.locator("#calc-results tbody tr").count() >= 2
    assert errors == []
    context.close()


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n" and header[12:16] == b"IHDR", f"{path} is not a PNG"
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


def test_screenshots_of_each_page_kind(browser: Browser, server: str, artifacts: Path) -> None:
    kinds = {
        "home": "index.html",
        "vouchers": "vouchers.html",
        "targets": "targets.html",
        "place": "places/shenzhen.html",
        "source": "sources/003_75256af910aee7c0.html",
        "data": "data.html",
    }
    for width in (1280, 375):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        for kind, relative in kinds.items():
            page.goto(f"{server}/{relative}")
            target = artifacts / f"{kind}-{width}.png"
            page.screenshot(path=str(target), full_page=width == 1280)
            whole = page.evaluate("document.documentElement.scrollHeight")
            # the wide shots hold the whole page, the narrow ones the first screen
            assert _png_size(target) == (width, whole if width == 1280 else 900), target
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

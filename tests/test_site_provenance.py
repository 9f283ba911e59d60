"""Landing on a source: the article titled by headline and outlet, the followed number marked in its
sentence, a banner naming it with a way back; pages free of developer text; print and dark styles."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from helpers import PROJECT, citypolicy
from playwright.sync_api import Browser, Page
from site_reading import all_pages, visible_text

pytest_plugins = ["site_fixtures"]  # the built site, its server and the browser
pytestmark = pytest.mark.browser


def test_a_source_page_is_titled_by_headline_and_outlet(server: str, page: Page, knowledge: dict) -> None:
    for source in knowledge["sources"]:
        page.goto(f"{server}/sources/{Path(source['file']).stem}.html")
        title = page.title()
        named = source["headline"] or source["topic"]
        assert title.startswith(named["en"]) and source["outlet"]["en"] in title
        assert ".txt" not in page.locator("main").inner_text()
        assert named["zh"] in page.locator("h1").inner_text()
        assert page.locator(".kicker").inner_text().endswith(("2024", "2025", "2026"))


@pytest.mark.data  # edits a copy of the shipped sources
def test_a_source_with_a_known_address_links_to_the_original(tmp_path: Path, browser: Browser) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(PROJECT / "data", kb / "data")
    shutil.copytree(PROJECT / "seeds", kb / "seeds")
    sources = kb / "data" / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    text = text.replace("    script: simplified\n", "    script: simplified\n    url: https://example.org/a?b=1\n", 1)
    sources.write_text(text, encoding="utf-8")
    out = tmp_path / "site"
    assert citypolicy("build", "--out", str(out), kb=kb).returncode == 0
    context = browser.new_context()
    page = context.new_page()
    page.goto((out / "sources" / "002_e71591340c5b937c.html").as_uri())
    assert page.locator("a.original").get_attribute("href") == "https://example.org/a?b=1"
    page.emulate_media(media="print")
    printed = page.locator("a.original").evaluate("a => getComputedStyle(a, '::after').content")
    assert "https://example.org/a?b=1" in printed  # the address is printed beside the link
    context.close()


FIXTURE = PROJECT / "tests" / "fixtures" / "vouchers_kb"


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The calculator fixture's site, its Nancheng article's date made unknown."""
    root = tmp_path_factory.mktemp("fixture-site")
    shutil.copytree(FIXTURE, root / "kb")
    sources = root / "kb" / "data" / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    known = '    published: "2024"\n    date_basis: The invented article names 2024 as the year of the policy.\n'
    assert known in text
    unknown = "    published: unknown\n    date_basis: The invented article prints no date and names none of its own.\n"
    sources.write_text(text.replace(known, unknown), encoding="utf-8")
    done = citypolicy("build", "--out", str(root / "site"), kb=root / "kb")
    assert done.returncode == 0, done.stderr
    return root / "site"


def test_a_source_of_unknown_date_says_so_with_why(fixture_site: Path, page: Page) -> None:
    page.goto((fixture_site / "sources" / "901_fixture_nancheng.html").as_uri())
    published = page.locator(".meta-list dd").nth(1)
    assert published.locator(".date-unknown").inner_text() == "date not known"
    assert published.locator("summary").inner_text() == "Why it cannot be told (in English)"
    assert "inferred" not in published.inner_text().lower()
    published.locator("summary").click()
    assert "prints no date" in published.inner_text()
    page.goto((fixture_site / "sources" / "901_fixture_nancheng.html").as_uri() + "?lang=zh")
    assert page.locator(".meta-list .date-unknown").inner_text() == "日期不详"


def test_a_followed_tier_figure_is_named_by_its_tier(fixture_site: Path, page: Page) -> None:
    page.goto((fixture_site / "places" / "zhangzhou.html").as_uri())
    page.locator("#zhangzhou-compute-voucher dl.terms a.fig").first.click()
    banner = page.locator("#provenance").inner_text()
    assert "if model-as-a-service on a filed model using domestic compute: rate" in banner
    assert "None" not in banner
    for html in fixture_site.rglob("*.html"):
        assert "for None" not in html.read_text(encoding="utf-8"), html.name


def test_the_followed_number_is_marked_with_a_banner_and_a_way_back(server: str, page: Page) -> None:
    page.goto(f"{server}/places/zhuhai.html")
    page.locator("#zhuhai-compute-voucher dl.terms a.fig").first.click()
    page.wait_for_selector("#provenance:not([hidden])")
    marked = page.locator(".figure.followed")
    assert marked.count() >= 1 and "50%" in "".join(marked.all_inner_texts())
    assert marked.first.evaluate("e => !!e.closest('mark.current')")  # inside the highlighted sentence
    banner = page.locator("#provenance").inner_text()
    assert "50%" in banner and "compute voucher" in banner and "Zhuhai" in banner
    page.click("#provenance a.back")
    page.wait_for_url("**/places/zhuhai.html#zhuhai-compute-voucher")
    assert page.locator("#zhuhai-compute-voucher").is_visible()


def test_the_way_back_names_the_page_in_chinese_too(server: str, page: Page) -> None:
    page.goto(f"{server}/index.html?lang=zh")
    page.locator("#row-shenzhen a.fig").first.click()
    page.wait_for_selector("#provenance:not([hidden])")
    back = page.locator("#provenance a.back")
    assert "返回总览" in back.inner_text()
    back.click()
    page.wait_for_url("**/index.html#row-shenzhen")


def test_a_link_from_elsewhere_cannot_send_the_reader_off_the_site(server: str, page: Page) -> None:
    page.goto(f"{server}/sources/000_fbc55fd9cbfa71d9.html?from=javascript:alert(1)#c-zhuhai-0")
    assert page.locator("#provenance a.back").count() == 0
    page.goto(f"{server}/sources/000_fbc55fd9cbfa71d9.html?from=https://evil.example/x.html")
    assert page.locator("#provenance a.back").count() == 0


def test_cited_by_names_records_not_ids(site: Path, server: str, page: Page, knowledge: dict) -> None:
    ids = {
        r["id"]
        for section in ("policies", "instruments", "targets", "indicators", "institutions")
        for r in knowledge[section]
    }
    for relative in (p for p in all_pages(site) if p.startswith("sources/")):
        page.goto(f"{server}/{relative}")
        names = page.locator(".cited-by a, ul.citing a:not([title])").all_inner_texts()
        assert names, relative
        assert not set(names) & ids, relative


# The changes page quotes each commit's message as its author wrote it, marked as a commit message.
COMMIT_MESSAGES = ".commit-subject, .commit-body"
_KEYS = ("quotes_verified", "jurisdictions", "ai_firms", "compute_voucher", "industry_scale", "at_most")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_developer_text_on_public_pages(site: Path, server: str, page: Page, knowledge: dict, lang: str) -> None:
    ids = {
        r["id"]
        for s in ("jurisdictions", "policies", "instruments", "targets", "indicators", "institutions")
        for r in knowledge[s]
    }
    hyphenated = {i for i in ids if "-" in i}
    for relative in all_pages(site):
        page.goto(f"{server}/{relative}?lang={lang}")
        text = " ".join(t for t, _ in visible_text(page, skip=COMMIT_MESSAGES))
        words = set(re.findall(r"[a-z0-9]+(?:[-_][a-z0-9]+)+", text))
        assert not words & hyphenated, f"{relative}: record ids shown: {sorted(words & hyphenated)}"
        assert not [k for k in _KEYS if k in words], relative
        assert "`" not in text, relative
        assert not re.search(r"\d\.\d{4,}%", text), relative  # 33.3333%: fractions are shown as written
        assert not re.search(r"\b\d{3}_[0-9a-f]{16}\.txt\b", text), relative  # source file names


def test_print_shows_the_content_without_navigation_or_controls(server: str, page: Page) -> None:
    for relative in ("index.html", "vouchers.html", "places/shenzhen.html", "sources/003_75256af910aee7c0.html"):
        page.goto(f"{server}/{relative}")
        page.emulate_media(media="print")
        for selector in ("header.top", "form.search", "#lang-toggle", "nav.crumbs", ".filter", "footer"):
            for element in page.locator(selector).all():
                assert element.is_hidden(), f"{relative}: {selector} is printed"
        assert page.locator("main h1").is_visible()
        for sort in page.locator("th .sort").all()[:1]:
            assert sort.evaluate("b => getComputedStyle(b, '::after').content") in ('""', "none")
        page.emulate_media(media="screen")


def test_the_dark_palette_follows_the_system(browser: Browser, server: str) -> None:
    def colours(scheme: str) -> tuple[float, float]:
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(f"{server}/places/shenzhen.html")
        rgb = page.evaluate(
            "() => [getComputedStyle(document.documentElement).backgroundColor, getComputedStyle(document.body).color]"
        )
        context.close()
        return tuple(sum(map(int, re.findall(r"\d+", c)[:3])) / 765 for c in rgb)  # type: ignore[return-value]

    light_bg, light_ink = colours("light")
    dark_bg, dark_ink = colours("dark")
    assert light_bg > 0.9 and light_ink < 0.3
    assert dark_bg < 0.2 and dark_ink > 0.7

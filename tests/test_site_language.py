"""Reading the site in either language: Chinese mode shows no English UI string on any page kind
(checked against the string table), the language applies before the first paint and can be linked,
numbers, dates and lists follow the language, Traditional articles have a Simplified reading, and
every page fits a phone. Screenshots of each page kind in both languages and widths are written to a
temporary folder, or to CITYPOLICY_ARTIFACTS when it names one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from site_reading import all_pages, visible_text

from citypolicy.publish.i18n import english_ui_strings
from citypolicy.schema.glossary import VOCABULARIES

pytest_plugins = ["site_fixtures"]  # the built site, its server and the browser
pytestmark = pytest.mark.browser

#: One page of each kind; the sources are one Traditional and one Simplified article.
PAGE_KINDS = {
    "home": "index.html",
    "vouchers": "vouchers.html",
    "targets": "targets.html",
    "data": "data.html",
    "changes": "changes.html",
    "province": "places/guangdong.html",
    "city": "places/shenzhen.html",
    "district": "places/haizhu.html",
    "zone": "places/pazhou.html",
    "source-traditional": "sources/003_75256af910aee7c0.html",
    "source-simplified": "sources/002_e71591340c5b937c.html",
}
# Text written only in English, and labelled so: notes, how a date was inferred, commit messages and
# record text quoted as written on the changes page.
ENGLISH_DATA = ".note, details.basis, .commit-subject, .commit-body, .as-written[lang=en]"
CALCULATOR = "#calc, #calc-results, #calc-more"
APPLICANTS = ("enterprise", "startup", "university", "research_institute")


def _open_in_chinese(page: Page, server: str, relative: str) -> None:
    """A page in Chinese with everything a script writes brought out: search results, an empty
    filter, the banner of a followed figure."""
    page.goto(f"{server}/{relative}?lang=zh")
    if relative.startswith("sources/"):  # arrive as from a figure on the overview
        key = (page.locator(".figure[data-figs]").first.get_attribute("data-figs") or "").split()[0]
        cite = page.locator(f".figure[data-figs~='{key}']").first.evaluate(
            "e => e.closest('mark').dataset.cites.split(' ')[0]"
        )
        page.goto(f"{server}/{relative}?lang=zh&fig={key}&from=index.html#{cite}")
        assert page.locator("#provenance").is_visible()
    for box in page.locator("input[data-filter]").all():
        box.fill("zzzz")
    page.fill("#search-box", "深圳")
    page.wait_for_selector("#search-results:not([hidden])")


@pytest.mark.parametrize("kind", sorted(PAGE_KINDS))
def test_chinese_mode_leaves_no_english_ui_string(server: str, page: Page, kind: str) -> None:
    _open_in_chinese(page, server, PAGE_KINDS[kind])
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    english = english_ui_strings() | {t.en for v in VOCABULARIES for t in v if t.en and t.en != t.zh}
    shown = visible_text(page)
    exact = sorted({text for text, _ in shown if text in english})
    assert exact == [], f"{kind}: English UI strings visible in Chinese mode: {exact}"
    sentences = [s for s in english if len(s.split()) >= 4]
    prose = " ".join(text for text, _ in visible_text(page, skip=ENGLISH_DATA))
    inside = sorted(s for s in sentences if s in prose)
    assert inside == [], f"{kind}: English UI sentences visible in Chinese mode: {inside}"
    assert page.locator(".t[lang=en]:visible").count() == 0
    assert page.title() == page.evaluate("document.documentElement.dataset.titleZh")


def _latin_words(page: Page) -> list[str]:
    """Words in Latin letters a reader sees in the calculator, its chosen applicant included (12M,
    an example of what may be typed, has one letter)."""
    shown = " ".join(t for t, _ in page.evaluate(VISIBLE_IN, CALCULATOR))
    assert shown
    return sorted(set(re.findall(r"[A-Za-z]{2,}", shown)))


VISIBLE_IN = """
(selector) => Array.from(document.querySelectorAll(selector)).flatMap(root => {
  const out = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement, text = node.textContent.trim();
    if (text && el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) out.push([text, el.lang]);
  }
  for (const option of root.querySelectorAll("select option:checked")) out.push([option.textContent, ""]);
  return out;
})
"""


def test_the_calculator_writes_no_english_in_chinese(server: str, page: Page) -> None:
    page.goto(f"{server}/vouchers.html?lang=zh")
    for applicant in APPLICANTS:
        page.select_option("#calc-applicant", applicant)
        page.wait_for_function("() => document.querySelectorAll('#calc-results tbody tr, #calc-more li').length > 0")
        assert _latin_words(page) == [], applicant
    assert "未超过" in page.locator("#calc-results").inner_text()
    page.fill("#calc-spend", "abc")
    page.wait_for_function("() => document.getElementById('calc-error').textContent !== ''")
    assert _latin_words(page) == []
    assert "请输入金额" in page.locator("#calc-error").inner_text()


def test_the_calculator_rows_without_its_script_read_in_chinese(browser: Browser, server: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.route("**/static/calculator.js", lambda route: route.abort())  # the rows the page itself holds
    page.goto(f"{server}/vouchers.html?lang=zh")
    rows = page.locator("#calc-results tbody tr")
    assert rows.count() >= 2
    assert _latin_words(page) == []
    how = rows.first.locator("td").nth(4).inner_text()
    assert "× ¥10,000,000 = " in how and ("未超过" in how or "封顶" in how)
    page.goto(f"{server}/vouchers.html?lang=en")
    how = page.locator("#calc-results tbody tr").first.locator("td").nth(4).inner_text()
    assert "× ¥10,000,000 = " in how and ("under the" in how or "capped at" in how)
    context.close()


def test_the_language_applies_before_the_first_paint(browser: Browser, server: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.route("**/static/*.js", lambda route: route.abort())  # only what is in the page itself runs
    page.goto(f"{server}/places/shenzhen.html?lang=zh")
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    assert page.locator("h1").inner_text().strip() == "深圳市"
    assert page.title().startswith("深圳市")
    assert "At a glance" not in page.locator("main").inner_text()
    context.close()


def test_the_language_can_be_linked_and_is_remembered(server: str, page: Page) -> None:
    page.goto(f"{server}/vouchers.html?lang=zh")
    assert "算力券与算力补贴" in page.locator("h1").inner_text()
    page.goto(f"{server}/targets.html")
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    page.goto(f"{server}/targets.html?lang=en")
    assert page.locator("h1").inner_text() == "Targets by deadline"
    page.goto(f"{server}/index.html")
    assert page.evaluate("document.documentElement.lang") == "en"
    page.goto(f"{server}/data.html?lang=zh")
    page.click("#lang-toggle")  # switching keeps a shared or reloaded address in the new language
    assert page.url.endswith("data.html?lang=en")
    page.reload()
    assert page.locator("h1").inner_text() == "Data downloads"


def test_numbers_dates_and_lists_follow_the_language(server: str, page: Page) -> None:
    page.goto(f"{server}/places/shenzhen.html?lang=zh")
    text = page.locator("main").inner_text()
    assert "1万亿元" in text and "兆" not in text  # 力争1兆元 in a Taiwanese-usage article
    assert "企业、高等院校、科研机构" in text
    assert "2024年底" in text
    assert "超过1/3" in text or "超過1/3" in text
    page.goto(f"{server}/places/shenzhen.html?lang=en")
    text = page.locator("main").inner_text()
    assert "¥1tn" in text and "up to ¥10m" in text
    assert "enterprises, universities, research institutes" in text
    assert "late 2024" in text
    assert "over 1/3" in text and "33.33" not in text


def test_a_traditional_article_has_a_simplified_reading(server: str, page: Page) -> None:
    page.goto(f"{server}/sources/000_fbc55fd9cbfa71d9.html#c-zhuhai-compute-voucher-0")
    article = page.locator(".article")
    assert "按實際購買算力費用的50%獲得" in article.inner_text()
    page.click("button.reading-view[data-view=simplified]")
    simplified = article.inner_text()
    assert "按实际购买算力费用的50%获得" in simplified and "實際購買" not in simplified
    assert page.locator("mark.current").count() > 0  # the passage stays lit in either reading
    page.reload()
    assert "实际购买" in article.inner_text()  # the choice is remembered
    page.click("button.reading-view[data-view=original]")
    assert "實際購買" in article.inner_text()


def test_no_page_scrolls_sideways_at_375px(browser: Browser, server: str, site: Path) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    for relative in all_pages(site):
        for lang in ("en", "zh"):
            page.goto(f"{server}/{relative}?lang={lang}")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, f"{relative} ({lang}) is {width}px wide at 375px"
    context.close()


def test_policy_titles_do_not_wrap_a_character_per_line(browser: Browser, server: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(f"{server}/vouchers.html?lang=zh")
    widths = page.locator("#voucher-table td.policy").evaluate_all(
        "cells => cells.map(c => c.getBoundingClientRect().width)"
    )
    assert widths and min(widths) >= 150
    context.close()


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n" and header[12:16] == b"IHDR", f"{path} is not a PNG"
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


def test_screenshots_of_each_page_kind(browser: Browser, server: str, artifacts: Path) -> None:
    folder = artifacts
    for width in (1280, 375):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        for lang in ("en", "zh"):
            for kind, relative in PAGE_KINDS.items():
                page.goto(f"{server}/{relative}?lang={lang}")
                target = folder / f"{kind}-{lang}-{width}.png"
                page.screenshot(path=str(target), full_page=True)
                whole = page.evaluate("document.documentElement.scrollHeight")
                assert _png_size(target) == (width, whole), target  # the whole page, at the viewport's width
        context.close()
    assert len(list(folder.glob("*.png"))) >= 2 * 2 * len(PAGE_KINDS)

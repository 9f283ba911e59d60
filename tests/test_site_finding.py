"""Finding things on the site as an analyst does: a page for every place with its headline figures on
top, search from any page (names, aliases, pinyin, English, Traditional script, typos), filters,
numeric sorting, an overview that says whose record is whose, and charts that can be trusted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import citypolicy
from playwright.sync_api import Browser, Page
from site_reading import all_pages, search, visible_text

pytest_plugins = ["site_fixtures"]  # the built site, its server and the browser
pytestmark = pytest.mark.browser


# --------------------------------------------------------------------------- a page for every place


def test_every_place_has_a_page_with_an_infobox(server: str, page: Page, knowledge: dict) -> None:
    places = {p["id"]: p for p in knowledge["jurisdictions"]}
    for place_id, place in places.items():
        page.goto(f"{server}/places/{place_id}.html")
        assert place["name"]["zh"] in page.locator("h1").inner_text()
        infobox = page.locator("table.infobox")
        assert infobox.is_visible(), place_id
        labels = infobox.locator("tbody th").all_inner_texts()
        assert labels[:4] == [
            "Best compute-voucher rate",
            "Largest compute-voucher cap",
            "Largest compute-voucher pool",
            "Funds",
        ], place_id
        # provinces list their cities, cities their districts and zones: every child is linked
        children = [p for p in places.values() if p["parent"] == place_id]
        for child in children:
            assert page.locator(f"#places a[href$='{child['id']}.html']").count() == 1, (place_id, child["id"])
        # a district or zone names the places it belongs to
        if place["parent"]:
            assert page.locator(f".part-of a[href$='{place['parent']}.html']").count() == 1, place_id


def test_a_district_page_names_its_city_and_the_province_lists_its_cities(server: str, page: Page) -> None:
    page.goto(f"{server}/places/pazhou.html")
    part_of = page.locator(".part-of").inner_text()
    assert "Haizhu District" in part_of and "Guangzhou" in part_of and "Guangdong" in part_of
    page.goto(f"{server}/places/guangdong.html")
    cities = page.locator("#places li").all_inner_texts()
    assert len(cities) == 3 and all(any(c in text for text in cities) for c in ("深圳市", "珠海市", "广州市"))


def test_the_headline_figures_are_at_the_top_and_link_to_their_sentences(server: str, page: Page) -> None:
    page.goto(f"{server}/places/shenzhen.html")
    rate = page.locator("tr.info-compute_rate a.fig")
    assert rate.inner_text() == "up to 60%"  # 提高资助比例至60% raises a rate of 不超过50%: a ceiling too
    assert rate.bounding_box()["y"] < 900  # on the first screen
    assert "startups" in page.locator("tr.info-compute_rate").inner_text()
    contents = page.locator("nav.toc").inner_text()
    assert "Compute vouchers and subsidies" in contents and "Policies" in contents
    # 训力券 no longer sits at the bottom of a long page: it opens the first section after the places
    voucher = page.locator("#shenzhen-training-compute-voucher").bounding_box()
    height = page.evaluate("document.documentElement.scrollHeight")
    assert voucher["y"] < 0.25 * height
    rate.click()
    assert "/sources/" in page.url and page.locator("mark.current").count() > 0


# --------------------------------------------------------------------------- search


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("琶洲", "places/pazhou.html"),
        ("Pazhou", "places/pazhou.html"),
        ("pa zhou", "places/pazhou.html"),
        ("訓力券", "places/shenzhen.html#shenzhen-training-compute-voucher"),
        ("Shenzen", "places/shenzhen.html"),
        ("训练券", "places/shenzhen.html#shenzhen-training-compute-voucher"),
        ("sz", "places/shenzhen.html"),
        ("AI十八条", "places/shenzhen.html#shenzhen-ai-pioneer-measures"),
        ("廣州", "places/guangzhou.html"),
    ],
)
def test_search_from_the_home_page_finds_it_first(server: str, page: Page, query: str, expected: str) -> None:
    page.goto(f"{server}/index.html")
    assert search(page, query)[0] == expected


def test_search_finds_quotes_in_either_script(server: str, page: Page) -> None:
    page.goto(f"{server}/index.html")
    hits = search(page, "按实际购买算力费用")  # Simplified; the article is Traditional
    assert any(h.startswith("sources/000_fbc55fd9cbfa71d9.html#c-zhuhai-compute-voucher-") for h in hits)


@pytest.mark.data
def test_search_agrees_with_the_command_line(server: str, page: Page) -> None:
    page.goto(f"{server}/index.html")
    for query in ("琶洲", "Shenzen", "训练券", "Hurun", "模塑申城"):
        done = citypolicy("search", query, "--format", "json")
        assert done.returncode == 0, done.stderr
        best = json.loads(done.stdout)["hits"][0]["id"]
        records = [h for h in search(page, query) if not h.startswith("sources/")]
        assert records[0].endswith((f"#{best}", f"/{best}.html")), (query, best, records[:3])


def test_search_works_from_file_urls_and_the_keyboard(browser: Browser, site: Path) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto((site / "places" / "beijing.html").as_uri())  # a page one folder down
    page.fill("#search-box", "Pazhou")
    page.wait_for_selector("#search-results [role=option]")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    page.wait_for_url("**/places/pazhou.html")
    assert "琶洲" in page.locator("h1").inner_text()
    context.close()


def test_search_says_when_nothing_matches(server: str, page: Page) -> None:
    page.goto(f"{server}/vouchers.html")
    assert search(page, "qqqqxz") == []
    assert "No match for “qqqqxz”" in page.locator("#search-results").inner_text()


# --------------------------------------------------------------------------- filters


def test_voucher_filter_narrows_and_says_when_no_row_matches(server: str, page: Page) -> None:
    page.goto(f"{server}/vouchers.html")
    box = page.locator("#voucher-filter")
    box.fill("珠海")
    rows = page.locator("#voucher-table tbody tr:visible")
    assert rows.count() == 2 and "Xiangzhou" in rows.last.inner_text()
    assert page.locator("#voucher-table-none").is_hidden()
    box.fill("no such voucher")
    assert page.locator("#voucher-table-none").is_visible()
    assert page.locator("#voucher-table").is_hidden()
    box.fill("")
    assert page.locator("#voucher-table tbody tr:visible").count() == page.locator("#voucher-table tbody tr").count()


def test_targets_filter_hides_years_without_a_match(server: str, page: Page) -> None:
    page.goto(f"{server}/targets.html")
    box = page.locator("#target-filter")
    box.fill("Haizhu")
    visible_years = page.locator("li.year:visible h2").all_inner_texts()
    assert visible_years == ["2026"]
    assert page.locator("li.year tbody tr:visible").count() == 4
    box.fill("atlantis")
    assert page.locator("#targets-none").is_visible()
    assert page.locator("li.year:visible").count() == 0


# --------------------------------------------------------------------------- sorting


def _column(page: Page, table: str, index: int) -> list[tuple[str, str, str]]:
    return page.locator(f"{table} tbody tr").evaluate_all(
        f"rows => rows.map(r => [r.cells[{index}].dataset.value || '', r.cells[{index}].dataset.unit || '',"
        f" r.cells[{index}].innerText.trim()])"
    )


def _sorted_with_gaps_last(cells: list[tuple[str, str, str]], descending: bool) -> bool:
    values = [(unit, float(value)) for value, unit, _ in cells if value]
    gaps = [i for i, (value, _, _) in enumerate(cells) if not value]
    if gaps and gaps != list(range(len(values), len(cells))):
        return False
    for unit in {u for u, _ in values}:
        run = [v for u, v in values if u == unit]
        if run != sorted(run, reverse=descending):
            return False
    return True


def test_numbers_sort_by_value_not_as_text(server: str, page: Page) -> None:
    page.goto(f"{server}/places/zhuhai.html")
    table = "#indicators table"
    page.locator(f"{table} thead th").nth(2).locator("button").click()
    cells = _column(page, table, 2)
    assert _sorted_with_gaps_last(cells, descending=True)
    money = [text for value, unit, text in cells if unit == "cny"]
    assert money.index("over ¥600m") < money.index("¥178,700")  # as text, "¥178,700" would come first
    page.locator(f"{table} thead th").nth(2).locator("button").click()
    assert _sorted_with_gaps_last(_column(page, table, 2), descending=False)


def test_gaps_sort_last_in_both_directions(server: str, page: Page) -> None:
    page.goto(f"{server}/index.html")
    headers = page.locator("table.matrix thead th")
    for index in range(1, headers.count()):
        if headers.nth(index).get_attribute("data-sort") != "number":
            continue
        button = headers.nth(index).locator("button")
        button.click()
        assert _sorted_with_gaps_last(_column(page, "table.matrix", index), descending=True), index
        button.click()
        assert _sorted_with_gaps_last(_column(page, "table.matrix", index), descending=False), index


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_words_sort_by_what_the_reader_sees_in_either_language(server: str, page: Page, lang: str) -> None:
    page.goto(f"{server}/targets.html?lang={lang}")
    locale = "en" if lang == "en" else "zh-Hans"
    checked = 0
    for table in page.locator("li.year table").all():
        if table.locator("tbody tr").count() < 2:
            continue
        for column in (0, 1, 5):  # place, target, status: words, each cell in both languages
            table.locator("thead th").nth(column).locator("button").click()
            shown = table.locator("tbody tr").evaluate_all(f"rows => rows.map(r => r.cells[{column}].innerText.trim())")
            in_order = page.evaluate(
                "([texts, lang]) => texts.slice().sort((a, b) => a.localeCompare(b, lang))", [shown, locale]
            )
            assert shown == in_order, (column, lang)  # the hidden language's words do not decide the order
            checked += 1
    assert checked >= 6


# --------------------------------------------------------------------------- overview


def test_overview_tags_district_records_and_uses_a_compact_gap(server: str, page: Page) -> None:
    page.goto(f"{server}/index.html")
    guangzhou = page.locator("#row-guangzhou").inner_text()
    assert "Haizhu District" in guangzhou  # Haizhu's targets are not Guangzhou's
    shown = " ".join(
        text for text, _ in visible_text(page, skip=".visually-hidden, header, footer, .legend, .lede, h2, ul")
    )
    assert "Haizhu District" in shown and "not stated" not in shown
    assert page.locator("table.matrix .gap").count() > 10
    assert "— not stated in the sources" in page.locator("p.legend").first.inner_text()


# --------------------------------------------------------------------------- charts


def test_charts_are_sorted_titled_sourced_and_mark_maxima(server: str, page: Page) -> None:
    page.goto(f"{server}/vouchers.html")
    for chart, unit in (("#rates", "%"), ("#caps", "¥")):
        values = page.locator(f"{chart} .bar-value").evaluate_all("links => links.map(a => +a.dataset.value)")
        assert len(values) >= 2 and values == sorted(values, reverse=True), chart
        assert unit in page.locator(f"{chart} h2").inner_text()
        sources = page.locator(f"{chart} .chart-source a")
        hrefs = sources.evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert hrefs and all(h.startswith("sources/") for h in hrefs)
    upto = page.locator("#rates .bound-at_most .bar-fill").first
    exact = page.locator("#rates .bound-exact .bar-fill").first
    assert "up to" in page.locator("#rates .bound-at_most .bar-value").first.inner_text()
    style = "el => getComputedStyle(el).backgroundImage"
    assert upto.evaluate(style) != exact.evaluate(style)  # an "up to" bar is drawn differently
    labels = page.locator("#rates .bar-label").all_inner_texts()
    assert any("Xiangzhou District, Zhuhai" in label for label in labels)  # a district names its city


def test_charts_are_legible_at_375px(browser: Browser, server: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(f"{server}/vouchers.html")
    sizes = page.locator(".bar-label, .bar-value").evaluate_all(
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert sizes and min(sizes) >= 12
    rights = page.locator(".bar-row").evaluate_all("rows => rows.map(r => r.getBoundingClientRect().right)")
    assert max(rights) <= 375
    context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_bars_share_one_scale(browser: Browser, server: str, width: int) -> None:
    """Every bar of a chart has a track of the same length, so a longer label or value cannot shorten it."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(f"{server}/vouchers.html")
    for chart in ("#rates", "#caps"):
        tracks = page.locator(f"{chart} .bar-track").evaluate_all(
            "els => els.map(e => e.getBoundingClientRect().width)"
        )
        assert len(tracks) >= 2 and max(tracks) - min(tracks) < 1, (chart, width, tracks)
        fills = page.locator(f"{chart} .bar-fill").evaluate_all("els => els.map(e => e.getBoundingClientRect().width)")
        values = page.locator(f"{chart} .bar-value").evaluate_all("links => links.map(a => +a.dataset.value)")
        scale = 1 if chart == "#rates" else values[0]  # rates on 0..100%, caps on 0..the largest cap
        drawn = [round(fill / track, 2) for fill, track in zip(fills, tracks, strict=True)]
        assert drawn == [round(value / scale, 2) for value in values], (chart, width)
    context.close()


def test_nothing_interactive_inside_an_image(site: Path) -> None:
    from html.parser import HTMLParser

    class Images(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.stack: list[bool] = []
            self.nested: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            inside = any(self.stack)
            if inside and tag in {"a", "button", "input", "select", "textarea"}:
                self.nested.append(tag)
            if tag not in {"br", "img", "input", "meta", "link", "hr", "rect", "line"}:
                self.stack.append(dict(attrs).get("role") == "img")

        def handle_endtag(self, tag: str) -> None:
            if self.stack and tag not in {"br", "img", "input", "meta", "link", "hr", "rect", "line"}:
                self.stack.pop()

    for relative in all_pages(site):
        parser = Images()
        parser.feed((site / relative).read_text(encoding="utf-8"))
        assert parser.nested == [], relative

"""Time on the site, read in Debian's Chromium: every policy and instrument says whether it is in
force on the day the site was built (and why), an instrument whose terms changed shows them over time
with the passages that state them, and a reader sees who may claim, who made a claim, what makes a
figure hard to compare, and what a target past its deadline came to.

The records chosen have a status that no later day changes: superseded in March 2025, expired at
the end of 2025, in force since late 2024 with no end stated, an event; targets due in 2025, without
a deadline, or achieved early.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page

pytest_plugins = ["site_fixtures"]  # the built site, its server and the browser
pytestmark = pytest.mark.browser

SHENZHEN = "places/shenzhen.html"
STATUSES = {
    # record: (badge, reason) in English, then in Chinese
    "shenzhen-ai-pioneer-programme-2024": (
        ("superseded", "replaced by 深圳市加快打造人工智能先锋城市行动计划（2025—2026年）"),
        ("已被取代", "已被深圳市加快打造人工智能先锋城市行动计划（2025—2026年）取代"),
    ),
    "shenzhen-ai-pioneer-measures": (
        ("in force (no end date stated)", "since late 2024 (inferred)"),
        ("现行有效（未说明截止日期）", "自2024年底（推断）起"),
    ),
    "shenzhen-peacock-plan-c-class": (("expired", "ended 2025 (inferred)"), ("已失效", "2025年（推断）到期")),
    "shenzhen-talent-environment-measures-2025": (
        ("not a policy document: no status", ""),
        ("非政策文件（无生效状态）", ""),
    ),
}


def _status(page: Page, record: str) -> tuple[str, str]:
    line = page.locator(f"#{record} .status-line")
    reason = line.locator(".status-reason")
    return line.locator(".status-badge").inner_text(), reason.inner_text() if reason.count() else ""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_policy_and_instrument_has_its_status_on_the_build_day(server: str, page: Page, lang: str) -> None:
    page.goto(f"{server}/{SHENZHEN}?lang={lang}")
    for record, (english, chinese) in STATUSES.items():
        assert _status(page, record) == (english if lang == "en" else chinese), record
    records = page.locator("#compute article.record, #instruments article.record, #policies article.record")
    assert records.count() > 20
    assert page.locator(".record .status-line .status-badge").count() == records.count()
    day = page.locator(".status-day").inner_text()
    assert ("the day this site was built" if lang == "en" else "本站生成之日") in day


def test_a_changed_instrument_shows_its_terms_over_time(server: str, page: Page) -> None:
    page.goto(f"{server}/{SHENZHEN}")
    lodging = page.locator("#shenzhen-graduate-free-lodging")
    entries = lodging.locator("ol.terms-history > li")
    assert entries.count() == 2
    first, second = entries.nth(0), entries.nth(1)
    assert first.locator(".terms-when").inner_text() == "since when: not stated in the sources earlier terms"
    assert "benefit: 7 days" in first.inner_text()
    assert second.locator(".terms-when").inner_text() == "from late Feb 2025 in force now"
    assert "benefit: 15 days" in second.inner_text()
    assert "terms-current" in (second.get_attribute("class") or "")
    notes = lodging.locator(".change-notes").inner_text()
    assert "benefit changed from 7 days to 15 days in late Feb 2025" in notes
    # each set of terms links to the passage that states it, and its figure to the number itself
    figure = second.locator("a.fig")
    query = parse_qs(urlparse(figure.get_attribute("href") or "").query)
    assert query["fig"] == ["shenzhen-graduate-free-lodging:changes[0].benefit"]
    for entry, words in ((first, "從7天延長到15天"), (second, "今年2月底")):  # the record's quote, the change's
        entry.locator(".cites a").first.click()
        passage = page.locator("mark.current")
        assert passage.count() > 0 and words in "".join(passage.all_inner_texts())
        page.go_back()
    figure.click()
    assert page.locator(".figure.followed").inner_text() == "15天"
    page.goto(f"{server}/{SHENZHEN}?lang=zh")
    lodging = page.locator("#shenzhen-graduate-free-lodging")
    assert (
        lodging.locator("ol.terms-history > li").nth(1).locator(".terms-when").inner_text()
        == "自2025年2月底起 现行条款"
    )
    assert "待遇自2025年2月底起由7天调整为15天" in lodging.locator(".change-notes").inner_text()


def test_who_may_claim_and_who_said_it(server: str, page: Page) -> None:
    page.goto(f"{server}/{SHENZHEN}")
    voucher = page.locator("#shenzhen-training-compute-voucher .eligibility")
    assert voucher.inner_text() == "Who may claim: for enterprises, universities, research institutes; startups"
    peacock = page.locator("#shenzhen-peacock-plan-c-class .claim").inner_text()
    assert peacock.startswith("Said by a person the article quotes, not stated by the article itself:")
    assert "Zhang Taotao, head of the programme centre" in peacock
    firms = page.locator("tr#shenzhen-ai-firms .comparability").inner_text()
    assert firms.startswith("Before comparing:") and "AI-related firms vs AI firms" in firms
    page.goto(f"{server}/{SHENZHEN}?lang=zh")
    assert page.locator("#shenzhen-training-compute-voucher .eligibility").inner_text() == (
        "适用对象与条件： 适用对象：企业、高等院校、科研机构；初创企业"
    )
    assert "张涛涛（深圳科创学院计划中心负责人）" in page.locator("#shenzhen-peacock-plan-c-class .claim").inner_text()
    assert page.locator("tr#shenzhen-ai-firms .comparability").inner_text().startswith("比较须知：")


@pytest.mark.parametrize(
    ("place", "target", "english", "chinese"),
    [
        ("shanghai", "shanghai-intelligent-compute-2025", "outcome not stated in the sources", "结果来源未说明"),
        ("beijing", "beijing-baai-scholars-target", "deadline not stated in the sources", "期限来源未说明"),
        ("shanghai", "shanghai-ai-industry-14th-fyp-target", "achieved early", "提前完成"),
    ],
)
def test_a_target_says_what_its_deadline_came_to(
    server: str, page: Page, place: str, target: str, english: str, chinese: str
) -> None:
    for relative in (f"places/{place}.html", "targets.html"):
        for lang, words in (("en", english), ("zh", chinese)):
            page.goto(f"{server}/{relative}?lang={lang}")
            assert page.locator(f"tr#{target} td").nth(4).inner_text() == words, (relative, lang)


def test_the_overview_flags_figures_that_are_not_like_for_like(server: str, page: Page) -> None:
    page.goto(f"{server}/index.html")
    for city in ("beijing", "shenzhen"):
        flag = page.locator(f"tr#row-{city} .comparability-flag")
        assert flag.inner_text() == "not like for like: why"
        assert flag.get_attribute("href") == f"places/{city}.html#{city}-ai-firms"
    assert page.locator("tr#row-beijing .claim-flag").all_inner_texts() == ["said by a person quoted"] * 2
    page.locator("tr#row-beijing .comparability-flag").click()
    assert "AI-related firms vs AI firms" in page.locator("tr#beijing-ai-firms .comparability").inner_text()

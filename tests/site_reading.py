"""Reading the site as a reader does: which pages there are, the text a reader can see, what the
search box answers; and the browser the tests drive (Debian's Chromium)."""

from __future__ import annotations

import shutil
from pathlib import Path

from playwright.sync_api import Page

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


def all_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


# Text nodes a reader can see (rendered, not in a closed element), with the language they are marked as.
VISIBLE_TEXT = """
(skip) => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    const text = node.textContent.replace(/\\s+/g, " ").trim();
    if (!text || !el || el.closest("script, style, template")) continue;
    if (skip && el.closest(skip)) continue;
    if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
    const marked = el.closest("[lang]");
    out.push([text, marked ? marked.lang : ""]);
  }
  return out;
}
"""


def visible_text(page: Page, skip: str | None = None) -> list[tuple[str, str]]:
    """(text, lang) of every visible text node, leaving out what `skip` (a CSS selector) covers."""
    return [tuple(pair) for pair in page.evaluate(VISIBLE_TEXT, skip)]


def search(page: Page, query: str) -> list[str]:
    """Type into the search box; the hrefs of the results, best first."""
    page.fill("#search-box", query)
    page.wait_for_selector("#search-results:not([hidden])")
    return page.eval_on_selector_all(
        "#search-results [role=option] a", "links => links.map(a => a.getAttribute('href'))"
    )

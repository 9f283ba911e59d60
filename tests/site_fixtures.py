"""Fixtures the browser tests share, loaded as a plugin (`pytest_plugins = ["site_fixtures"]`): the
site built once per session from the project's knowledge base, a local server, the knowledge base as
exported, and Debian's Chromium through Playwright."""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import citypolicy
from playwright.sync_api import Browser, Page, sync_playwright
from site_reading import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    done = citypolicy("build", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert str(out) in done.stdout
    return out


@pytest.fixture(scope="session")
def knowledge() -> dict:
    """The knowledge base as `citypolicy export` gives it: the ground truth pages are checked against."""
    done = citypolicy("export", "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


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

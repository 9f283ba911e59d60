"""The site's calculator gives what `citypolicy subsidy` gives, to the fen, in Debian's Chromium.

The site is built from the calculator's fixture knowledge base; for every calculation case in its
data/cases/ that the page can express (spend and applicant; the page shows every class and condition
as its own line), the page's ranked rows, conditional lines and caps not stated are compared with
the CLI's JSON answer.
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from helpers import PROJECT, citypolicy
from playwright.sync_api import Browser, Page, sync_playwright

FIXTURE = PROJECT / "tests" / "fixtures" / "vouchers_kb"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("calc") / "site"
    done = citypolicy("build", "--out", str(out), kb=FIXTURE)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser: Browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{server}/vouchers.html")
        yield page
        browser.close()


def _page_answer(page: Page, spend: str, applicant: str) -> dict[str, object]:
    page.select_option("#calc-applicant", applicant)
    page.fill("#calc-spend", spend)
    page.wait_for_function("() => document.getElementById('calc-error').textContent === ''")
    ranked = page.eval_on_selector_all(
        "#calc-results tbody tr",
        "rows => rows.map(r => [Number(r.dataset.rank), r.dataset.instrument, r.dataset.fen, r.dataset.bound])",
    )
    lines = page.eval_on_selector_all(
        "#calc-conditional li", "items => items.map(i => [i.dataset.instrument, i.dataset.when, i.dataset.fen || null])"
    )
    upper = page.eval_on_selector_all(
        "#calc-cap-unknown li", "items => items.map(i => [i.dataset.instrument, i.dataset.fen])"
    )
    return {"ranked": ranked, "conditional": sorted(lines), "cap_not_stated": sorted(upper)}


def _fen(value: float | int | None) -> str | None:
    return None if value is None else str(round(value * 100))


def _cli_answer(spend: str, startup: bool, beneficiary: str) -> dict[str, object]:
    args = ["subsidy", "--spend", spend, "--beneficiary", beneficiary, "--format", "json"]
    done = citypolicy(*args, *(["--startup"] if startup else []), kb=FIXTURE)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    lines = [
        [
            p["instrument"]["id"],
            " & ".join(sorted(a["condition"] or f"class:{a['en']}" for a in c["assumes"])),
            _fen(c["payout"]),
        ]
        for p in answer["conditional"]
        for c in p["cases"]
        if c["assumes"]
    ]
    return {
        "ranked": [[p["rank"], p["instrument"]["id"], _fen(p["payout"]), p["bound"]] for p in answer["ranked"]],
        "conditional": sorted(lines),
        "cap_not_stated": sorted([p["instrument"]["id"], _fen(p["payout"])] for p in answer["cap_not_stated"]),
    }


def _name(assumption: dict[str, object]) -> str:
    condition = assumption["condition"]
    return str(condition if assumption["holds"] else f"not:{condition}")


def _site_cases() -> list[tuple[str, str, bool, str]]:
    cases = yaml.safe_load((FIXTURE / "data" / "cases" / "vouchers.yaml").read_text(encoding="utf-8"))["cases"]
    return [
        (c["name"], str(c["spend"]), bool(c.get("startup")), c.get("beneficiary", "enterprise"))
        for c in cases
        if not c.get("class") and not c.get("conditions") and c.get("kind", "compute") == "compute"
    ]


@pytest.mark.parametrize(("name", "spend", "startup", "beneficiary"), _site_cases())
def test_the_page_answers_every_case_as_the_cli_does(
    page: Page, name: str, spend: str, startup: bool, beneficiary: str
) -> None:
    applicant = "startup" if startup and beneficiary == "enterprise" else beneficiary
    shown = _page_answer(page, spend, applicant)
    expected = _cli_answer(spend, startup and beneficiary == "enterprise", beneficiary)
    assert shown == expected, name


@pytest.mark.parametrize(
    ("spend", "fen"),
    [
        ("1200万", "600000000"),
        ("1.2亿", "1000000000"),
        ("12M", "600000000"),
        ("12000000", "600000000"),
        ("１２００万", "600000000"),
        ("¥12,000,000", "600000000"),
        ("12345.67", "617284"),  # half up: 6,172.835 → 6,172.84
    ],
)
def test_the_page_reads_what_the_cli_reads(page: Page, spend: str, fen: str) -> None:
    shown = _page_answer(page, spend, "enterprise")
    assert shown["ranked"][0][2] == fen  # type: ignore[index]


def test_invalid_input_clears_the_results(page: Page) -> None:
    _page_answer(page, "1000万", "enterprise")
    page.fill("#calc-spend", "abc")
    page.wait_for_function("() => document.getElementById('calc-error').textContent !== ''")
    assert "Enter an amount" in page.locator("#calc-error").inner_text()
    assert page.locator("#calc-results tbody tr").count() == 0
    assert page.locator("#calc-more li").count() == 0
    page.fill("#calc-spend", "2万亿")
    assert page.locator("#calc-results tbody tr").count() == 0


def test_without_javascript_the_rows_match_the_default_form(site: Path) -> None:
    html = (site / "vouchers.html").read_text(encoding="utf-8")
    expected = _cli_answer("1000万", False, "enterprise")
    for rank, instrument, fen, bound in expected["ranked"]:  # type: ignore[union-attr, misc]
        assert f'data-instrument="{instrument}" data-fen="{fen}" data-bound="{bound}" data-rank="{rank}"' in html

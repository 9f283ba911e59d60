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
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from helpers import PROJECT, citypolicy
from playwright.sync_api import Browser, Page

FIXTURE = PROJECT / "tests" / "fixtures" / "vouchers_kb"
pytestmark = pytest.mark.browser
pytest_plugins = ["site_fixtures"]  # the project's site, its server and the browser


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def fixture_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The calculator fixture's site, built and served for this module."""
    out = tmp_path_factory.mktemp("calc") / "site"
    done = citypolicy("build", "--out", str(out), kb=FIXTURE)
    assert done.returncode == 0, done.stderr
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture
def calc(browser: Browser, server: str, fixture_server: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    """The vouchers page of the project's site, or of the fixture's when parametrized with "fixture"."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{fixture_server if getattr(request, 'param', 'project') == 'fixture' else server}/vouchers.html")
    yield page
    context.close()


KBS = {"project": PROJECT, "fixture": FIXTURE}


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


def _cli_answer(kb: Path, spend: str, startup: bool, beneficiary: str) -> dict[str, object]:
    args = ["subsidy", "--spend", spend, "--beneficiary", beneficiary, "--format", "json"]
    done = citypolicy(*args, *(["--startup"] if startup else []), kb=kb)
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


def _site_cases(kb: Path, which: str) -> list[object]:
    """Every calculation case the page can express: a spend and an applicant, today, compute kinds."""
    found = []
    for path in sorted((kb / "data" / "cases").glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            if (
                case.get("class")
                or case.get("conditions")
                or case.get("as_of")
                or case.get("kind", "compute") != "compute"
            ):
                continue
            args = (str(case["spend"]), bool(case.get("startup")), case.get("beneficiary", "enterprise"))
            marks = [pytest.mark.data] if which == "project" else []
            found.append(pytest.param(which, *args, id=f"{which}: {case['name']}", marks=marks))
    return found


@pytest.mark.parametrize(
    ("calc", "spend", "startup", "beneficiary"),
    _site_cases(PROJECT, "project") + _site_cases(FIXTURE, "fixture"),
    indirect=["calc"],
)
def test_the_page_answers_every_case_as_the_cli_does(
    calc: Page, spend: str, startup: bool, beneficiary: str, request: pytest.FixtureRequest
) -> None:
    kb = KBS[request.node.callspec.params["calc"]]
    applicant = "startup" if startup and beneficiary == "enterprise" else beneficiary
    shown = _page_answer(calc, spend, applicant)
    assert shown == _cli_answer(kb, spend, startup and beneficiary == "enterprise", beneficiary)


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
@pytest.mark.parametrize("calc", ["fixture"], indirect=True)
def test_the_page_reads_what_the_cli_reads(calc: Page, spend: str, fen: str) -> None:
    shown = _page_answer(calc, spend, "enterprise")
    assert shown["ranked"][0][2] == fen  # type: ignore[index]


def test_invalid_input_clears_the_results(calc: Page) -> None:
    page = calc
    _page_answer(page, "1000万", "enterprise")
    page.fill("#calc-spend", "abc")
    page.wait_for_function("() => document.getElementById('calc-error').textContent !== ''")
    assert "Enter an amount" in page.locator("#calc-error").inner_text()
    assert page.locator("#calc-results tbody tr").count() == 0
    assert page.locator("#calc-more li").count() == 0
    page.fill("#calc-spend", "2万亿")
    assert page.locator("#calc-results tbody tr").count() == 0


@pytest.mark.data
def test_without_javascript_the_rows_match_the_default_form(site: Path) -> None:
    html = (site / "vouchers.html").read_text(encoding="utf-8")
    expected = _cli_answer(PROJECT, "1000万", False, "enterprise")
    for rank, instrument, fen, bound in expected["ranked"]:  # type: ignore[union-attr, misc]
        assert f'data-instrument="{instrument}" data-fen="{fen}" data-bound="{bound}" data-rank="{rank}"' in html

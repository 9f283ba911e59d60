"""The "What changed" page, in Debian's Chromium: built from the knowledge base's git history when
it has one (a repository made here from the calculator's fixture: a first commit, a cap edited from
最高1000万元 to 最高800万元, a commit outside the data), and one sentence when it has none (a plain
folder, or a machine without git), the build succeeding either way.

Screenshots of the page in both languages and widths go to CITYPOLICY_ARTIFACTS when it names a
folder, else to a temporary one.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import PROJECT, citypolicy, cli_env
from playwright.sync_api import Browser, Page

from citypolicy.publish.history import data_history

pytest_plugins = ["site_fixtures"]  # the browser
pytestmark = pytest.mark.browser

FIXTURE = PROJECT / "tests" / "fixtures" / "vouchers_kb"
NANCHENG = ("seeds/901_fixture_nancheng.txt", "data/cities/nancheng.yaml")


def _git(repo: Path, *args: str, when: str = "2025-01-10T10:00:00+08:00") -> None:
    env = {**cli_env(), "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    identity = ["-c", "user.name=Analyst", "-c", "user.email=analyst@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", *identity, "-C", str(repo), *args], check=True, capture_output=True, env=env)


def _edit_cap(kb: Path, old: str, new: str) -> None:
    for relative in NANCHENG:
        path = kb / relative
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def make_history(root: Path) -> Path:
    """A repository holding the fixture knowledge base in its kb/ folder, with five commits (one outside the data)."""
    repo = root / "repo"
    shutil.copytree(FIXTURE, repo / "kb")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "First version of the fixture data")
    for relative in (NANCHENG[0], NANCHENG[1]):  # a figure changed with the program: a developer's commit
        path = repo / "kb" / relative
        path.write_text(path.read_text(encoding="utf-8").replace("30%算力补贴", "35%算力补贴"), encoding="utf-8")
    path = repo / "kb" / NANCHENG[1]
    path.write_text(path.read_text(encoding="utf-8").replace("    rate: 30%\n", "    rate: 35%\n"), encoding="utf-8")
    (repo / "convert.py").write_text("print('a tool')\n", encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "refactor the loader's trampolines (developer text)", when="2025-02-01T09:00:00+08:00")
    path.write_text("# read twice\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    _git(repo, "commit", "-qam", "A comment in the data, no record changed", when="2025-02-15T09:00:00+08:00")
    _edit_cap(repo / "kb", "最高1000万元", "最高800万元")
    _git(
        repo,
        "commit",
        "-qam",
        "Nancheng's training voucher: cap 800万 <b>per recipient</b>",
        when="2025-03-02T09:00:00+08:00",
    )
    (repo / "README.md").write_text("Not data.\n", encoding="utf-8")
    _git(repo, "add", "README.md")
    _git(repo, "commit", "-qm", "A readme, outside the data", when="2025-03-03T09:00:00+08:00")
    return repo / "kb"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def _serve(folder: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def history_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("history")
    kb = make_history(root)
    done = citypolicy("build", "--out", str(root / "site"), kb=kb)
    assert done.returncode == 0, done.stderr
    yield from _serve(root / "site")


def test_the_page_lists_the_data_commits_newest_first(history_site: str, page: Page) -> None:
    page.goto(f"{history_site}/index.html")
    page.click("nav.main-nav a[href$='changes.html']")
    commits = page.locator("li.commit")
    assert commits.count() == 3  # neither the readme's commit nor the comment's changed a record
    latest, mixed, first = commits.nth(0), commits.nth(1), commits.nth(2)
    assert mixed.locator("h2 time").get_attribute("datetime") == "2025-02-01"
    assert mixed.locator(".commit-subject, .commit-body").count() == 0  # it also changed the program
    assert "developer" not in mixed.inner_text()
    assert "35%" in mixed.locator("li.figure-change .new").first.inner_text()
    assert latest.locator("h2 time").get_attribute("datetime") == "2025-03-02"
    assert latest.locator("h2").inner_text().startswith("2 Mar 2025")
    assert latest.locator(".commit-subject .message").inner_text() == (
        "Nancheng's training voucher: cap 800万 <b>per recipient</b>"  # a message is text, never markup
    )
    assert latest.locator(".changes-counts").inner_text() == "records: 1 changed; figures: 1 changed"
    place = latest.locator(".changes-place h3 a")
    assert place.inner_text() == "Nancheng" and place.get_attribute("href") == "places/nancheng.html"
    record = latest.locator("li.record-change")
    assert record.count() == 1
    assert record.locator("> .change-word").inner_text() == "changed"
    link = record.locator("> a")
    assert link.inner_text() == "training-compute voucher"
    assert link.get_attribute("href") == "places/nancheng.html#nancheng-training-voucher"
    figure = record.locator("li.figure-change")
    assert figure.locator(".old .figure-text").inner_text() == "up to ¥10m"
    assert figure.locator(".new .figure-text").inner_text() == "up to ¥8m"
    assert "给予最高1000万元资助" in figure.locator(".old q").inner_text()
    assert "给予最高800万元资助" in figure.locator(".new q").inner_text()
    assert first.locator(".changes-note").inner_text() == (
        "The first version of the knowledge base: nothing before it to compare with."
    )
    link.click()
    assert page.url.endswith("places/nancheng.html#nancheng-training-voucher")
    assert "up to ¥8m" in page.locator("#nancheng-training-voucher").inner_text()


def test_the_page_reads_in_chinese(history_site: str, page: Page) -> None:
    page.goto(f"{history_site}/changes.html?lang=zh")
    latest = page.locator("li.commit").first
    assert latest.locator("h2").inner_text().startswith("2025年3月2日")
    assert latest.locator(".changes-counts").inner_text() == "记录：修改1；数字：修改1"
    record = latest.locator("li.record-change")
    assert record.locator("> .change-word").inner_text() == "修改"
    assert record.locator("> a").inner_text() == "训力券"
    figure = record.locator("li.figure-change")
    assert figure.locator(".what").inner_text() == "训力券：每个主体上限"
    assert figure.locator(".old .figure-text").inner_text() == "最高1000万元"
    assert figure.locator(".new .figure-text").inner_text() == "最高800万元"
    assert page.locator(".t[lang=en]:visible").count() == 0


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_fits_a_phone(browser: Browser, history_site: str, lang: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(f"{history_site}/changes.html?lang={lang}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


def test_a_folder_outside_git_has_no_history_and_still_builds(tmp_path: Path, browser: Browser) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(FIXTURE, kb)
    assert subprocess.run(["git", "-C", str(kb), "rev-parse"], capture_output=True).returncode != 0
    done = citypolicy("build", "--out", str(tmp_path / "site"), kb=kb)
    assert done.returncode == 0, done.stderr
    page = browser.new_page()
    page.goto((tmp_path / "site" / "changes.html").as_uri())
    assert page.locator("#changes-unavailable").inner_text() == (
        "The history of the data cannot be shown: the knowledge base this site was built from is not in a git "
        "repository."
    )
    assert page.locator("li.commit").count() == 0
    page.goto((tmp_path / "site" / "changes.html").as_uri() + "?lang=zh")
    assert page.locator("#changes-unavailable").inner_text() == "无法显示数据更新记录：生成本站的数据不在 git 仓库中。"
    page.close()


def test_without_git_the_page_says_so(tmp_path: Path) -> None:
    kb = make_history(tmp_path)
    out = tmp_path / "site"
    env = {**cli_env(), "PATH": str(tmp_path / "no-programs")}  # git cannot be found
    done = subprocess.run(
        [sys.executable, "-m", "citypolicy", "build", "--out", str(out), "--kb", str(kb)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    html = (out / "changes.html").read_text(encoding="utf-8")
    assert "git was not installed where this site was built" in html
    assert 'class="commit"' not in html


def test_history_reports_commits_it_cannot_compare(tmp_path: Path) -> None:
    """A commit whose data no longer passes check is listed with that said, not compared."""
    kb = make_history(tmp_path)
    repo = kb.parent
    _edit_cap(kb, "最高800万元", "最高900万元")  # the quote no longer in its article
    path = kb / NANCHENG[0]
    path.write_text(path.read_text(encoding="utf-8").replace("最高900万元", "最高800万元"), encoding="utf-8")
    _git(repo, "commit", "-qam", "A cap no article states", when="2025-04-01T09:00:00+08:00")
    history = data_history(kb)
    assert history.unavailable is None
    assert [e.problem for e in history.entries] == ["changes.invalid_new", None, None, None, "changes.first"]
    assert [e.commit.only_data for e in history.entries] == [True, True, True, False, True]
    assert history.entries[1].diff is not None and history.entries[1].diff.counts()["facts"]["changed"] == 1
    assert [e.commit.subject for e in history.entries][0] == "A cap no article states"
    assert len(data_history(kb, limit=1).entries) == 1


def _screenshot_folder(tmp_path: Path) -> Path:
    chosen = os.environ.get("CITYPOLICY_ARTIFACTS")
    folder = Path(chosen) if chosen else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_screenshots_of_the_page(browser: Browser, history_site: str, tmp_path: Path) -> None:
    folder = _screenshot_folder(tmp_path)
    for width in (1280, 375):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        for lang in ("en", "zh"):
            page.goto(f"{history_site}/changes.html?lang={lang}")
            target = folder / f"changes-fixture-{lang}-{width}.png"
            page.screenshot(path=str(target), full_page=True)
            assert target.stat().st_size > 10_000
        context.close()

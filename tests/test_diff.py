"""`citypolicy diff`: two folders, two git revisions, renames, errors; table, JSON and Markdown.

The versions are copies of the fixture knowledge base (tests/fixtures/vouchers_kb) edited here: the
new one lowers the training voucher's cap from 1000万 to 800万 (its article says so), adds an
indicator and removes Donghu's compute subsidy.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import PROJECT, cache_folder, citypolicy, cli_env

FIXTURE = PROJECT / "tests" / "fixtures" / "vouchers_kb"
EXPECTED = {
    ("nancheng-training-voucher", "changed"),
    ("zhangzhou-ai-firms", "added"),
    ("donghu-compute-subsidy", "removed"),
}
OLD_QUOTE_PART = "给予最高1000万元资助"
NEW_QUOTE_PART = "给予最高800万元资助"


@pytest.fixture(autouse=True)
def _own_cache(_isolated_run: None, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The cache folder of this test's CLI runs (helpers.cli_env), for in-process code too."""
    cache = cache_folder()
    monkeypatch.setenv("CITYPOLICY_CACHE", str(cache))
    return cache


def copy_fixture(dest: Path) -> Path:
    shutil.copytree(FIXTURE, dest, ignore=shutil.ignore_patterns("cases"))  # the cases name the removed record
    return dest


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def make_new_version(kb: Path) -> None:
    """One cap changed, one record added, one removed (each as the articles then say)."""
    edit(kb / "seeds/901_fixture_nancheng.txt", OLD_QUOTE_PART, NEW_QUOTE_PART)
    nancheng = kb / "data/cities/nancheng.yaml"
    edit(nancheng, "cap: {amount: 最高1000万元}", "cap: {amount: 最高800万元}")
    edit(nancheng, OLD_QUOTE_PART, NEW_QUOTE_PART)
    text = nancheng.read_text(encoding="utf-8")
    nancheng.write_text(text[: text.index("  - id: donghu-compute-subsidy")], encoding="utf-8")
    seed = kb / "seeds/900_fixture_zhangzhou.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "截至2025年底，漳州人工智能企业达到120家。\n", encoding="utf-8")
    zhangzhou = kb / "data/cities/zhangzhou.yaml"
    zhangzhou.write_text(
        zhangzhou.read_text(encoding="utf-8")
        + """
indicators:
  - id: zhangzhou-ai-firms
    jurisdiction: zhangzhou
    topic: ai_firms
    metric: {zh: 人工智能企业数量, en: AI firms}
    value: 120家
    as_of: 2025-late
    sources:
      - document: 900_fixture_zhangzhou.txt
        quote: 截至2025年底，漳州人工智能企业达到120家。
""",
        encoding="utf-8",
    )


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    old = copy_fixture(tmp_path / "old")
    new = copy_fixture(tmp_path / "new")
    make_new_version(new)
    assert citypolicy("check", kb=new).returncode == 0
    return old, new


def diff(
    *args: str, cwd: Path = FIXTURE, kb: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`citypolicy diff ARGS`; two folders need no --kb: run in the fixture, never on the shipped data."""
    return citypolicy("diff", *args, kb=kb, cwd=cwd, env=env)


def diff_json(*args: str, cwd: Path = FIXTURE, kb: Path | None = None, env: dict[str, str] | None = None) -> dict:
    done = diff(*args, "--format", "json", cwd=cwd, kb=kb, env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def changed_records(payload: dict) -> set[tuple[str, str]]:
    return {(r["id"], r["change"]) for p in payload["places"] for r in p["records"]}


def record(payload: dict, record_id: str) -> dict:
    return next(r for p in payload["places"] for r in p["records"] if r["id"] == record_id)


# --------------------------------------------------------------------------- two folders


def test_json_reports_exactly_the_three_changes(versions: tuple[Path, Path]) -> None:
    old, new = versions
    payload = diff_json(str(old), str(new))
    assert payload["differences"] is True
    assert changed_records(payload) == EXPECTED
    assert payload["counts"]["records"] == {"added": 1, "removed": 1, "changed": 1, "renamed": 0}
    assert payload["sources"] == []
    places = {p["place"]["id"]: {r["id"] for r in p["records"]} for p in payload["places"]}
    assert places == {
        "nancheng": {"nancheng-training-voucher"},
        "donghu": {"donghu-compute-subsidy"},
        "zhangzhou": {"zhangzhou-ai-firms"},
    }


def test_the_changed_cap_shows_old_and_new_with_both_quotes(versions: tuple[Path, Path]) -> None:
    payload = diff_json(*map(str, versions))
    voucher = record(payload, "nancheng-training-voucher")
    assert voucher["fields"] == []  # the new quote is shown with the figure it states, not again
    assert voucher["file"] == "data/cities/nancheng.yaml"
    [cap] = voucher["facts"]
    assert (cap["id"], cap["field"], cap["change"]) == ("nancheng-training-voucher:cap.amount", "cap.amount", "changed")
    assert (cap["old"]["value"], cap["old"]["text"], cap["old"]["bound"]) == (10_000_000, "最高1000万元", "at_most")
    assert (cap["new"]["value"], cap["new"]["text"], cap["new"]["bound"]) == (8_000_000, "最高800万元", "at_most")
    assert OLD_QUOTE_PART in cap["old"]["source"]["quote"]
    assert NEW_QUOTE_PART in cap["new"]["source"]["quote"]
    assert cap["new"]["source"]["document"] == "901_fixture_nancheng.txt"


def test_added_and_removed_records_list_their_figures(versions: tuple[Path, Path]) -> None:
    payload = diff_json(*map(str, versions))
    added = record(payload, "zhangzhou-ai-firms")
    assert [(f["id"], f["change"], f["old"], f["new"]["value"]) for f in added["facts"]] == [
        ("zhangzhou-ai-firms:value", "added", None, 120)
    ]
    assert added["facts"][0]["new"]["source"]["quote"] == "截至2025年底，漳州人工智能企业达到120家。"
    removed = record(payload, "donghu-compute-subsidy")
    assert removed["file"] == "data/cities/nancheng.yaml"
    assert [(f["id"], f["change"], f["old"]["text"], f["new"]) for f in removed["facts"]] == [
        ("donghu-compute-subsidy:rate", "removed", "30%", None)
    ]
    assert payload["counts"]["facts"] == {"added": 1, "removed": 1, "changed": 1}


def test_table_lists_the_three_records_and_nothing_else(versions: tuple[Path, Path]) -> None:
    done = diff(*map(str, versions))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for record_id, change in EXPECTED:
        assert record_id in out
        assert change in out
    assert "nancheng-training-voucher:cap.amount" in out
    assert "最高1000万元" in out and "最高800万元" in out
    old_cell, new_cell = _plain_cells(out, "nancheng-training-voucher:cap.amount", ("old", "new"))
    # each figure with its quote, clipped around the figure, and the article
    assert old_cell.startswith("最高1000万元 (up to ¥10,000,000) «…") and OLD_QUOTE_PART in _solid(old_cell)
    assert new_cell.startswith("最高800万元 (up to ¥8,000,000) «…") and NEW_QUOTE_PART in _solid(new_cell)
    assert old_cell.endswith("» 901_fixture_nancheng.txt") and new_cell.endswith("» 901_fixture_nancheng.txt")
    for unchanged in ("zhangzhou-compute-voucher", "zhangzhou-labelling-voucher", "nancheng-training-voucher:rate"):
        assert unchanged not in out


def test_markdown_is_a_pull_request_description(versions: tuple[Path, Path]) -> None:
    done = diff(*map(str, versions), "--format", "markdown")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("## Changes from ")
    record_rows = [line for line in out.splitlines() if line.startswith("| **")]
    assert len(record_rows) == 3
    assert {re.search(r"`([a-z0-9-]+)`", row).group(1) for row in record_rows} == {r for r, _ in EXPECTED}
    figure_rows = [line for line in out.splitlines() if line.startswith("| figure ")]
    assert len(figure_rows) == 3
    cap_row = next(row for row in figure_rows if "cap.amount" in row)
    assert cap_row.count("|") - cap_row.count("\\|") == 6  # five cells, whole quotes inside them
    assert OLD_QUOTE_PART in cap_row and NEW_QUOTE_PART in cap_row
    assert "### 南城市 Nancheng (`nancheng`)" in out


def test_markdown_escapes_record_text(versions: tuple[Path, Path]) -> None:
    old, new = versions
    nancheng = new / "data/cities/nancheng.yaml"
    edit(
        nancheng,
        '    launched: "2024"',
        '    launched: "2024"\n    note: "a *bold* claim | <script>x</script> [link](http://e.x)"',
    )
    out = diff(str(old), str(new), "--format", "markdown").stdout
    row = next(line for line in out.splitlines() if "| note |" in line)
    assert "\\*bold\\*" in row
    assert "\\|" in row
    assert "&lt;script&gt;x&lt;/script&gt;" in row and "<script>" not in out
    assert "\\[link\\]" in row


def _plain_cells(out: str, row_id: str, columns: tuple[str, ...]) -> list[str]:
    """The text of `columns` in the row naming `row_id` of a piped table, its wrapped lines joined by
    spaces (a line may break inside a Chinese word: compare with `_solid`).
    Columns are found by display cells (a Chinese character takes two) under the table's header."""
    from rich.cells import cell_len

    lines = out.splitlines()
    first = next(n for n, line in enumerate(lines) if row_id in line)
    header = next(lines[n] for n in range(first, -1, -1) if lines[n].startswith("change "))
    starts = [header.index(f"  {name}") + 2 for name in columns]  # the header is ASCII: index = cell
    ends = [*starts[1:], 10**6]
    block = lines[first : next((n for n in range(first, len(lines)) if not lines[n].strip()), len(lines))]

    def between(line: str, start: int, end: int) -> str:
        kept, cell = [], 0
        for char in line:
            if start <= cell < end:
                kept.append(char)
            cell += cell_len(char)
        return "".join(kept).strip()

    return [" ".join(filter(None, (between(line, s, e) for line in block))) for s, e in zip(starts, ends, strict=True)]


def _solid(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("fmt", ["table", "json", "markdown"])
def test_no_differences_exits_zero_and_says_so(versions: tuple[Path, Path], fmt: str) -> None:
    old, _ = versions
    done = diff(str(old), str(old), "--format", fmt)
    assert done.returncode == 0, done.stderr
    if fmt == "json":
        payload = json.loads(done.stdout)
        assert payload["differences"] is False
        assert payload["places"] == [] and payload["sources"] == []
    else:
        assert "no differences" in done.stdout.lower()


def test_a_renamed_record_is_a_rename_not_delete_and_add(versions: tuple[Path, Path]) -> None:
    old, new = versions
    nancheng = new / "data/cities/nancheng.yaml"
    edit(
        nancheng,
        "  - id: nancheng-training-voucher\n",
        "  - id: nancheng-train-voucher\n    formerly: [nancheng-training-voucher]\n",
    )
    payload = diff_json(str(old), str(new))
    assert changed_records(payload) == {
        ("nancheng-train-voucher", "renamed"),
        ("zhangzhou-ai-firms", "added"),
        ("donghu-compute-subsidy", "removed"),
    }
    renamed = record(payload, "nancheng-train-voucher")
    assert renamed["formerly"] == "nancheng-training-voucher"
    [cap] = renamed["facts"]  # the unchanged figures are matched across the rename
    assert cap["id"] == "nancheng-train-voucher:cap.amount"
    assert cap["old"]["text"] == "最高1000万元"
    table = diff(str(old), str(new)).stdout
    assert "formerly nancheng-training-voucher" in table


def test_a_source_added_to_the_registry_is_listed(versions: tuple[Path, Path]) -> None:
    old, new = versions
    (new / "seeds/902_fixture_extra.txt").write_text("（本文为测试用虚构文章。）\n", encoding="utf-8")
    registry = new / "data/sources.yaml"
    registry.write_text(
        registry.read_text(encoding="utf-8")
        + """  - file: 902_fixture_extra.txt
    outlet: {zh: 测试用虚构文章, en: Invented test article}
    topic: {zh: 另一篇, en: another one}
    published: unknown
    date_basis: the text carries no date
    script: simplified
""",
        encoding="utf-8",
    )
    payload = diff_json(str(old), str(new))
    assert [(s["id"], s["change"], s["file"]) for s in payload["sources"]] == [
        ("902_fixture_extra.txt", "added", "data/sources.yaml")
    ]


# --------------------------------------------------------------------------- git revisions


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    identity = ["-c", "user.name=test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"]
    done = subprocess.run(["git", "-C", str(repo), *identity, *args], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding the knowledge base in a sub-folder: v1 is the fixture, HEAD the edit."""
    top = tmp_path / "repo"
    kb = copy_fixture(top / "kb")
    (top / "README").write_text("not part of the knowledge base\n")
    git(top, "init", "-q")
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "v1")
    git(top, "tag", "v1")
    make_new_version(kb)
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "v2")
    return kb


def test_two_revisions_report_what_git_diff_shows(repo: Path) -> None:
    payload = diff_json("v1", "HEAD", kb=repo)
    assert changed_records(payload) == EXPECTED
    assert payload["old"]["kind"] == "git" and len(payload["old"]["commit"]) == 40
    git_files = set(git(repo.parent, "diff", "--name-only", "v1", "HEAD", "--", "kb/data").split())
    ours = {f"kb/{r['file']}" for p in payload["places"] for r in p["records"]}
    assert ours == git_files == {"kb/data/cities/nancheng.yaml", "kb/data/cities/zhangzhou.yaml"}


def test_revisions_and_folders_give_the_same_answer(repo: Path, versions: tuple[Path, Path]) -> None:
    from_git = diff_json("v1", "HEAD", kb=repo)
    from_folders = diff_json(*map(str, versions))
    assert from_git["places"] == from_folders["places"]
    assert (
        diff("v1", "HEAD", "--format", "markdown", kb=repo).stdout.split("\n", 1)[1]
        == diff(*map(str, versions), "--format", "markdown").stdout.split("\n", 1)[1]
    )


def test_one_revision_is_compared_with_the_working_tree(repo: Path) -> None:
    assert "no differences between HEAD" in diff("HEAD", kb=repo).stdout
    payload = diff_json("HEAD~1", kb=repo)
    assert payload["new"] == {"label": "working tree", "kind": "folder", "commit": None, "folder": str(repo)}
    assert changed_records(payload) == EXPECTED
    edit(
        repo / "data/cities/zhangzhou.yaml",
        "name: {zh: 标注券, en: data-labelling voucher}",
        "name: {zh: 标注券, en: labelling voucher}",
    )
    uncommitted = diff_json("HEAD", kb=repo)
    assert changed_records(uncommitted) == {("zhangzhou-labelling-voucher", "changed")}
    [field] = record(uncommitted, "zhangzhou-labelling-voucher")["fields"]
    assert field == {"field": "name", "old": "标注券 / data-labelling voucher", "new": "标注券 / labelling voucher"}


def test_a_revision_is_written_out_once_and_shared(repo: Path, _own_cache: Path) -> None:
    diff_json("v1", "HEAD", kb=repo)
    diff_json("HEAD~1", "HEAD", kb=repo)
    git(repo.parent, "commit", "-q", "--allow-empty", "-m", "code only")
    diff_json("HEAD~1", "HEAD", kb=repo)  # same data as before: the same folders
    folders = sorted(p for p in (_own_cache / "revisions").iterdir())
    assert len(folders) == 2
    assert all((p / "data/cities/nancheng.yaml").is_file() and (p / "seeds").is_dir() for p in folders)


def test_without_a_cache_revisions_go_to_a_temporary_folder(repo: Path, _own_cache: Path) -> None:
    off = {**cli_env(), "CITYPOLICY_CACHE": "0"}
    assert changed_records(diff_json("v1", "HEAD", kb=repo, env=off)) == EXPECTED
    assert not _own_cache.exists() or not (_own_cache / "revisions").exists()


# --------------------------------------------------------------------------- errors


def test_an_unknown_revision_is_a_usage_error(repo: Path) -> None:
    done = diff("v9", "HEAD", kb=repo)
    assert done.returncode == 2
    assert "'v9' is neither a folder nor a revision of the git repository" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_revision_outside_a_repository_is_a_usage_error(versions: tuple[Path, Path]) -> None:
    old, _ = versions
    done = diff("HEAD", kb=old, cwd=old)
    assert done.returncode == 2
    assert "is not in a git repository" in done.stderr
    assert "give two knowledge-base folders" in done.stderr


def test_a_folder_that_is_not_a_knowledge_base_is_refused(versions: tuple[Path, Path], tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    done = diff(str(versions[0]), str(tmp_path / "empty"))
    assert done.returncode == 2
    assert "is a folder but not a knowledge base" in done.stderr


def test_a_revision_without_data_is_refused(repo: Path) -> None:
    branch = git(repo.parent, "rev-parse", "--abbrev-ref", "HEAD").strip()
    git(repo.parent, "checkout", "-q", "--orphan", "bare")
    git(repo.parent, "rm", "-q", "-r", "--cached", "kb")
    git(repo.parent, "commit", "-q", "-m", "readme only")
    git(repo.parent, "checkout", "-q", "-f", branch)
    done = diff("bare", "v1", kb=repo)
    assert done.returncode == 2
    assert "revision 'bare' has no kb/data/ folder" in done.stderr


def test_an_invalid_side_is_named_with_its_problems(repo: Path) -> None:
    edit(repo / "data/cities/nancheng.yaml", "cap: {amount: 最高800万元}", "cap: {amount: 最高800万元, per: nobody}")
    git(repo.parent, "commit", "-q", "-am", "broken")
    done = diff("v1", "HEAD", kb=repo)
    assert done.returncode == 1
    assert "the new version, HEAD (" in done.stderr
    assert re.search(r"^HEAD:data/cities/nancheng\.yaml:\d+:\d+: instruments\[0\]\.cap\.per: ", done.stderr, re.M)
    folder = diff(str(repo), "v1", kb=repo)
    assert folder.returncode == 1
    assert f"the old version, {repo}, does not pass" in folder.stderr
    assert f"{repo}/data/cities/nancheng.yaml:" in folder.stderr


# --------------------------------------------------------------------------- this project's own history


@pytest.mark.data
def test_on_the_projects_own_history_the_changed_records_are_the_files_git_diff_names() -> None:
    """The newest commit that changed data/ against the one that changed it before. Needs the
    shipped data to pass check: while it does not, this test fails (it must not be skipped)."""
    check = citypolicy("check")
    assert check.returncode == 0, (
        f"the shipped data does not pass check, so diff cannot be tried on it:\n{check.stdout}{check.stderr}"
    )
    commits = git(PROJECT, "log", "--format=%H", "-n", "2", "--", "data").split()
    assert len(commits) == 2, "the project's history holds fewer than two commits that change data/"
    new, old = commits
    done = diff(old, new, "--format", "json", kb=PROJECT)
    assert done.returncode == 0, f"diff {old[:12]} {new[:12]} failed:\n{done.stderr}"
    payload = json.loads(done.stdout)
    ours = {r["file"] for p in payload["places"] for r in p["records"]}
    ours |= {"data/sources.yaml"} if payload["sources"] else set()
    compared = ["data/cities", "data/provinces", "data/sources.yaml"]  # not ignored.yaml, not cases
    named = set(git(PROJECT, "diff", "--name-only", old, new, "--", *compared).split())
    assert ours == named
    patch = git(PROJECT, "diff", "--unified=0", old, new, "--", *compared)
    for place in payload["places"]:
        for item in place["records"]:
            if item["change"] == "added":
                assert re.search(rf"^\+\s*(- )?id: {re.escape(item['id'])}$", patch, re.M), item["id"]
            if item["change"] == "removed":
                assert re.search(rf"^-\s*(- )?id: {re.escape(item['id'])}$", patch, re.M), item["id"]


# --------------------------------------------------------------------------- formerly, checked


def test_check_refuses_a_former_id_that_is_still_in_use_or_claimed_twice(tmp_path: Path) -> None:
    kb = copy_fixture(tmp_path / "kb")
    nancheng = kb / "data/cities/nancheng.yaml"
    edit(
        nancheng,
        "  - id: nancheng-training-voucher\n",
        "  - id: nancheng-training-voucher\n    formerly: [donghu-compute-subsidy]\n",
    )
    edit(nancheng, "  - id: donghu-compute-subsidy\n", "  - id: donghu-compute-subsidy\n    formerly: [old-voucher]\n")
    zhangzhou = kb / "data/cities/zhangzhou.yaml"
    edit(
        zhangzhou,
        "  - id: zhangzhou-compute-voucher\n",
        "  - id: zhangzhou-compute-voucher\n    formerly: [old-voucher]\n",
    )
    done = citypolicy("check", kb=kb)
    assert done.returncode == 1
    in_use = (
        r"data/cities/nancheng\.yaml:\d+:\d+: instruments\[0\]\.formerly\[0\]: 'donghu-compute-subsidy' is the id of"
    )
    twice = r"data/cities/\w+\.yaml:\d+:\d+: instruments\[\d\]\.formerly\[0\]: 'old-voucher' is also listed as"
    assert re.search(in_use, done.stderr, re.M), done.stderr
    assert re.search(twice, done.stderr, re.M), done.stderr
    assert "1 problem" not in done.stderr and "2 problem(s) found" in done.stderr


def test_a_policy_title_and_a_link_to_a_policy_show_at_record_level(versions: tuple[Path, Path]) -> None:
    old, new = versions
    policy = """
policies:
  - id: nancheng-training-voucher-policy
    jurisdiction: nancheng
    kind: policy
    title: {zh: 南城市“训力券”政策, en: %s}
    untitled: true
    issued: "2024"
    sources:
      - document: 901_fixture_nancheng.txt
        quote: 南城市2024年发布“训力券”政策
"""
    for kb, title in ((old, "Nancheng's training-voucher policy"), (new, "Nancheng training-compute voucher policy")):
        path = kb / "data/cities/nancheng.yaml"
        text = path.read_text(encoding="utf-8").replace("\ninstruments:\n", policy % title + "\ninstruments:\n", 1)
        path.write_text(text, encoding="utf-8")
    edit(
        new / "data/cities/nancheng.yaml",
        "    kind: training_voucher\n",
        "    kind: training_voucher\n    policy: nancheng-training-voucher-policy\n",
    )
    payload = diff_json(str(old), str(new))
    policy_change = record(payload, "nancheng-training-voucher-policy")
    assert (policy_change["kind"], policy_change["change"]) == ("policy", "changed")
    assert policy_change["fields"] == [
        {
            "field": "title",
            "old": "南城市“训力券”政策 / Nancheng's training-voucher policy",
            "new": "南城市“训力券”政策 / Nancheng training-compute voucher policy",
        }
    ]
    voucher = record(payload, "nancheng-training-voucher")
    assert {"field": "policy", "old": None, "new": "nancheng-training-voucher-policy"} in voucher["fields"]

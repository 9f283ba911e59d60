"""Messages: one line each, starting with a path; bounded in number and length; the user's
environment (a full disk, a closed pipe) is not an internal error (issue 14, items 15–17).

Reported: 100,000 bad records printed 100,001 lines (30 MB) and one message echoed a 3 MB value; a
key containing a newline split a message over lines; file-level messages carried no position;
`> /dev/full` and `| head` ended in "internal error".
"""

from __future__ import annotations

import errno
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import cli_env
from minimal_kb import SOURCES, XINGHAI, build_minimal_kb, run_cli

from citypolicy.cli.common import UserError, writing
from citypolicy.core.problems import MAX_PER_FILE, MAX_PER_RUN


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    """A copy of the fixture knowledge base (see minimal_kb.py)."""
    return build_minimal_kb(tmp_path / "kb")


POSITIONED = re.compile(r"^data/[^:\s]+\.yaml:\d+:\d+: \S")
SUMMARY = re.compile(r"^[\d,]+ (of [\d,]+ )?problem\(s\) (found|not shown)")


def _bad_indicators(count: int) -> str:
    """`count` indicators that each fail twice: an unknown key and a quantity that cannot be read."""
    return "".join(
        f"  - id: bad-{n}\n    jurisdiction: xinghai\n    topic: other\n    metric: {{zh: 坏, en: bad}}\n"
        f"    value: 很多\n    as_of: '2024'\n    colour: red\n"
        "    sources: [{document: fixture_a_xinghai.txt, quote: 星海市位于岭东省东部沿海}]\n"
        for n in range(count)
    )


def _add_indicators(kb: Path, relative: str, text: str) -> None:
    path = kb / relative
    content = path.read_text(encoding="utf-8")
    assert "\nindicators:\n" in content
    path.write_text(content.replace("\nindicators:\n", "\nindicators:\n" + text, 1), encoding="utf-8")


def _extra_city(kb: Path, name: str, bad: int) -> None:
    head = (
        f"id: {name}\njurisdictions:\n  - id: {name}\n    level: city\n    parent: lingdong\n"
        f"    name: {{zh: 某市, en: Some city}}\n"
        "    sources: [{document: fixture_a_xinghai.txt, quote: 星海市位于岭东省东部沿海}]\n"
    )
    text = (
        head
        + "indicators:\n"
        + _bad_indicators(bad).replace("jurisdiction: xinghai", f"jurisdiction: {name}").replace("bad-", f"{name}-")
    )
    (kb / "data" / "cities" / f"{name}.yaml").write_text(text, encoding="utf-8")


def test_problems_are_capped_per_file_and_per_run_with_a_count_of_the_rest(kb: Path, tmp_path: Path) -> None:
    for n in range(9):
        _extra_city(kb, f"extra{n}", 100)  # 200 problems each: 100 shown, 100 counted
    _add_indicators(kb, XINGHAI, _bad_indicators(1500))  # 3,000 problems: 100 shown
    _extra_city(kb, "zz", 100)  # after the run's 1,000: none shown
    done = run_cli("check", kb=kb, cwd=tmp_path, timeout=300)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    positioned = [x for x in lines if POSITIONED.match(x)]
    assert len(positioned) == MAX_PER_RUN
    assert sum(1 for x in positioned if x.startswith(XINGHAI + ":")) == MAX_PER_FILE
    assert f"{XINGHAI}: 2,900 more problem(s) in this file not shown" in lines
    assert "data/cities/extra0.yaml: 100 more problem(s) in this file not shown" in lines
    assert not any(x.startswith("data/cities/zz.yaml") for x in lines)
    assert lines[-2] == "4,000 of 5,000 problem(s) not shown: fix these first and run check again"
    assert lines[-1] == "5000 problem(s) found"
    assert len(lines) == MAX_PER_RUN + 10 + 2

    report = run_cli("check", "--format", "json", kb=kb, cwd=tmp_path, timeout=300)
    parsed = json.loads(report.stdout)
    assert parsed["problems_total"] == 5000 and len(parsed["problems"]) == MAX_PER_RUN


def test_an_echoed_value_is_truncated(kb: Path, tmp_path: Path) -> None:
    huge = "x" * 3_000_000
    bad = _bad_indicators(1).replace("value: 很多", f"value: {huge}").replace("topic: other", f"topic: {huge}")
    _add_indicators(kb, XINGHAI, bad)
    done = run_cli("check", kb=kb, cwd=tmp_path, timeout=120)
    assert done.returncode == 1
    assert len(done.stderr) < 5_000
    assert all(len(line) < 1_700 for line in done.stderr.splitlines())
    assert "more characters)" in done.stderr


def test_every_message_is_one_line_that_starts_with_a_path(kb: Path, tmp_path: Path) -> None:
    path = kb / XINGHAI
    text = path.read_text(encoding="utf-8")
    hostile = '    "rate_\\nbasis\\u2028\\u202e": x\n    "id\\r": y\n'
    anchor = "    name: {zh: 算力券, en: compute voucher}\n"
    assert anchor in text
    text = text.replace(anchor, anchor + hostile, 1)
    text = text.replace("level: district", 'level: "dis\\ntrict"', 1)
    path.write_text(text, encoding="utf-8")
    (kb / "data" / "cities" / "broken.yaml").write_bytes(b"id: broken\n\xff\xfe\n")
    done = run_cli("check", kb=kb, cwd=tmp_path)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert lines[-1].endswith("problem(s) found")
    for line in lines[:-1]:
        assert POSITIONED.match(line), line
    assert any("unknown key 'rate_\\nbasis\\u2028\\u202e'" in line for line in lines)
    assert "\u2028" not in done.stderr and "\u202e" not in done.stderr and "\r" not in done.stderr


def test_file_level_messages_carry_a_position(kb: Path, tmp_path: Path) -> None:
    (kb / SOURCES).unlink()
    done = run_cli("check", kb=kb, cwd=tmp_path)
    assert "data/sources.yaml:1:1: the sources registry is missing" in done.stderr.splitlines()
    (tmp_path / "elsewhere.yaml").write_text("sources: []\n", encoding="utf-8")
    (kb / SOURCES).symlink_to(tmp_path / "elsewhere.yaml")
    done = run_cli("check", kb=kb, cwd=tmp_path)
    assert "data/sources.yaml:1:1: refused: it is a symbolic link to " in done.stderr


def test_a_user_error_echoing_input_is_one_line(kb: Path, tmp_path: Path) -> None:
    done = run_cli("show", "qqq\nzzz\u2028x", kb=kb, cwd=tmp_path)
    assert done.returncode == 1
    assert len(done.stderr.splitlines()) == 1
    assert "qqq\\nzzz\\u2028x" in done.stderr


# --------------------------------------------------------------------------- the user's environment


@pytest.mark.parametrize("cache", ["0", "on"])
@pytest.mark.parametrize(
    "command", [["vouchers", "--format", "json"], ["vouchers"], ["export", "--format", "json"], ["check"]]
)
def test_a_full_disk_says_disk_full(kb: Path, tmp_path: Path, command: list[str], cache: str) -> None:
    env = {**cli_env(), "CITYPOLICY_CACHE": "0" if cache == "0" else str(tmp_path / "cache")}
    for _ in range(2):  # with the cache: cold, then warm
        with open("/dev/full", "w") as full:
            done = subprocess.run(
                [sys.executable, "-m", "citypolicy", *command, "--kb", str(kb)],
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
                timeout=120,
                check=False,
            )
        assert done.returncode == 1
        assert done.stderr == "error: disk full: the output could not be written\n"


PIPE_BUFFER = 65_536  # Linux: a writer blocks beyond this until the reader reads or closes


def _many_vouchers(kb: Path, copies: int) -> None:
    """Copies of Xinghai's compute voucher under new ids: outputs longer than a pipe holds."""
    path = kb / XINGHAI
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: xinghai-compute-voucher\n")
    record = text[start : text.index("\n  - id: haiwan-compute-subsidy\n")] + "\n"
    copied = "".join(
        record.replace("id: xinghai-compute-voucher", f"id: xinghai-voucher-copy-{n}") for n in range(copies)
    )
    path.write_text(text[:start] + copied + text[start:], encoding="utf-8")


@pytest.mark.parametrize("command", [["export", "--format", "json"], ["export", "--format", "csv"], ["vouchers"]])
def test_a_closed_pipe_ends_quietly(kb: Path, tmp_path: Path, command: list[str]) -> None:
    _many_vouchers(kb, 150)
    env = {**cli_env(), "CITYPOLICY_CACHE": str(tmp_path / "cache")}
    whole = run_cli(*command, kb=kb, cwd=tmp_path, cache=tmp_path / "cache")
    assert whole.returncode == 0, whole.stderr
    assert len(whole.stdout.encode()) > PIPE_BUFFER  # so the writer is still writing when the pipe closes
    process = subprocess.Popen(
        [sys.executable, "-m", "citypolicy", *command, "--kb", str(kb)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert process.stdout is not None and process.stderr is not None
    assert len(process.stdout.read(10)) == 10
    process.stdout.close()  # as `| head -c 10` does
    err = process.stderr.read().decode()
    assert process.wait(timeout=120) in (0, 1)
    assert err == ""


def test_a_full_disk_while_writing_an_output_file_says_disk_full(tmp_path: Path) -> None:
    def full() -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with pytest.raises(UserError, match=r"^cannot write .*out\.json: disk full$"):
        writing(tmp_path / "out.json", full)

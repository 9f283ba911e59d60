"""Fixture knowledge bases for the authoring tests, and the real CLI run on them with its own cache.

The knowledge bases are copies of tests/fixtures/vouchers_kb (invented articles about invented
policies in real place names), never the shipped data/, which others edit.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from helpers import PROJECT, cli_env

FIXTURES = PROJECT / "tests" / "fixtures"
VOUCHERS_KB = FIXTURES / "vouchers_kb"
ARTICLES = FIXTURES / "articles"


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.err.splitlines()


def copy_kb(dest: Path, source: Path = VOUCHERS_KB) -> Path:
    """A copy without data/cases (the calculator's pinned answers, which a broken record would upset)."""
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns("cases"))
    return dest


def cli(cwd: Path, *args: str, cache: Path, kb: Path | None = None) -> Run:
    """`python -m citypolicy ARGS [--kb KB]` in `cwd`, its cache in `cache` (a temporary folder)."""
    env = cli_env()
    env["CITYPOLICY_CACHE"] = str(cache)
    command = [sys.executable, "-m", "citypolicy", *args] + (["--kb", str(kb)] if kb is not None else [])
    done = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=300, check=False
    )
    return Run(done.returncode, done.stdout, done.stderr)


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace `old` (which must occur `count` times) by `new`."""
    text = path.read_text("utf-8")
    assert text.count(old) == count, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), "utf-8")


def line_of(path: Path, needle: str) -> int:
    found = [n for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1) if needle in line]
    assert len(found) == 1, f"{needle!r} is on lines {found} of {path}"
    return found[0]

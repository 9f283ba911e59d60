"""Shared fixtures: a minimal, stable knowledge base copied into tmp_path, and the real CLI.

The minimal knowledge base holds seeds/, data/sources.yaml, data/provinces/guangdong.yaml and
data/cities/shenzhen.yaml only: other place files are being edited by others and may be invalid
at any moment, so no test depends on them.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import PROJECT, citypolicy

#: The files (relative to PROJECT) a minimal knowledge base is made of, besides seeds/.
MINIMAL_FILES = (
    "data/sources.yaml",
    "data/provinces/guangdong.yaml",
    "data/cities/shenzhen.yaml",
)
SHENZHEN = "data/cities/shenzhen.yaml"
GUANGDONG = "data/provinces/guangdong.yaml"
SOURCES = "data/sources.yaml"
IGNORED = "data/ignored.yaml"


def build_kb(dest: Path) -> Path:
    """Copy the minimal knowledge base into `dest` (created) and return it."""
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "data" / "cities").mkdir(parents=True, exist_ok=True)
    (dest / "data" / "provinces").mkdir(parents=True, exist_ok=True)
    shutil.copytree(PROJECT / "seeds", dest / "seeds")
    for relative in MINIMAL_FILES:
        shutil.copyfile(PROJECT / relative, dest / relative)
    return dest


@pytest.fixture
def make_kb(tmp_path: Path) -> Callable[[str], Path]:
    """Factory: make_kb() or make_kb("other") builds a fresh minimal knowledge base in tmp_path."""

    def make(name: str = "kb") -> Path:
        return build_kb(tmp_path / name)

    return make


@pytest.fixture
def kb(make_kb: Callable[[str], Path]) -> Path:
    """A fresh minimal knowledge base."""
    return make_kb("kb")


def run_cli_in(cwd: Path, *args: str, kb: Path | None = None, timeout: float = 120) -> tuple[int, str, str]:
    """Run `python -m citypolicy *args --kb kb` in `cwd`; return (returncode, stdout, stderr)."""
    done = citypolicy(*args, kb=kb, cwd=cwd, timeout=timeout)
    return done.returncode, done.stdout, done.stderr


@pytest.fixture
def run_cli(tmp_path: Path) -> Callable[..., tuple[int, str, str]]:
    """run_cli(*args, kb=DIR) runs the real CLI as a subprocess with cwd=tmp_path."""

    def run(*args: str, kb: Path | None = None, timeout: float = 120) -> tuple[int, str, str]:
        return run_cli_in(tmp_path, *args, kb=kb, timeout=timeout)

    return run

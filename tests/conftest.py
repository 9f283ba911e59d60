"""Shared fixtures: a minimal, stable knowledge base copied into tmp_path, and the real CLI.

The minimal knowledge base holds seeds/, data/sources.yaml, data/provinces/guangdong.yaml and
data/cities/shenzhen.yaml only: other place files are being edited by others and may be invalid
at any moment, so no test depends on them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]

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


def _cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("CITYPOLICY_DEBUG", None)  # internal errors must show as they do for users
    env.pop("CITYPOLICY_KB", None)
    env["PYTHONIOENCODING"] = "utf-8"
    env.setdefault("LC_ALL", "C.UTF-8")
    return env


def run_cli_in(cwd: Path, *args: str, kb: Path | None = None, timeout: float = 120) -> tuple[int, str, str]:
    """Run `python -m citypolicy *args --kb kb` in `cwd`; return (returncode, stdout, stderr)."""
    command = [sys.executable, "-m", "citypolicy", *args]
    if kb is not None:
        command += ["--kb", str(kb)]
    done = subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=_cli_env(),
        timeout=timeout,
    )
    return done.returncode, done.stdout, done.stderr


@pytest.fixture
def run_cli(tmp_path: Path) -> Callable[..., tuple[int, str, str]]:
    """run_cli(*args, kb=DIR) runs the real CLI as a subprocess with cwd=tmp_path."""

    def run(*args: str, kb: Path | None = None, timeout: float = 120) -> tuple[int, str, str]:
        return run_cli_in(tmp_path, *args, kb=kb, timeout=timeout)

    return run

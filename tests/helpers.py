"""What several test files share: the project folder, the fixture knowledge base and the real CLI.

Every CLI run gets a clean environment: no inherited CITYPOLICY_* variable, LC_ALL set explicitly,
and its own cache folder (CITYPOLICY_CACHE), which conftest.py points into the test's temporary
folder. Code tests may not read the shipped data (data/ and seeds/ of this project): `citypolicy()`
refuses to run on them unless the test is marked `data` (conftest.py tells it which test runs).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
FIXTURES = PROJECT / "tests" / "fixtures"
#: A small, hand-written, valid knowledge base of invented places and articles (tests/fixtures/kb).
FIXTURE_KB = FIXTURES / "kb"

LOCALE = "C.UTF-8"
_LOCALE_VARIABLES = ("LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "LC_NUMERIC", "LC_COLLATE")


class _Run:
    """What the test being run allows: set by conftest.py around each test."""

    cache: Path | None = None  # the CITYPOLICY_CACHE of every CLI run
    shipped_data_allowed: bool = True  # False in code tests (not marked `data`)
    test: str = ""


RUN = _Run()


def cache_folder() -> Path:
    if RUN.cache is None:  # outside pytest (a script importing helpers): a folder of its own
        RUN.cache = Path(tempfile.mkdtemp(prefix="citypolicy-test-cache-"))
    return RUN.cache


def cli_env(cache: Path | None = None) -> dict[str, str]:
    """The environment of a CLI run: the caller's, less CITYPOLICY_* and locale settings, plus ours."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("CITYPOLICY_") and key not in _LOCALE_VARIABLES and key != "PYTHONUTF8"
    }
    env["CITYPOLICY_CACHE"] = str(cache or cache_folder())
    env["LC_ALL"] = LOCALE
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def reads_shipped_data(args: tuple[str, ...], kb: Path | None, cwd: Path) -> bool:
    """Would this run read the project's own data/ and seeds/?"""
    if "--help" in args or (args and args[0] == "schema"):
        return False
    if kb is None:  # the CLI falls back to the current folder, else the project's knowledge base
        return cwd.resolve() == PROJECT or not ((cwd / "data").is_dir() and (cwd / "seeds").is_dir())
    return kb.resolve() == PROJECT


def citypolicy(
    *args: str,
    kb: Path | None = PROJECT,
    cwd: Path = PROJECT,
    umask: int | None = None,
    timeout: float = 180,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `python -m citypolicy ARGS --kb KB` in `cwd` and return the finished process (utf-8 text)."""
    if not RUN.shipped_data_allowed and reads_shipped_data(args, kb, cwd):
        raise AssertionError(
            f"{RUN.test} is a code test but runs `citypolicy {' '.join(args)}` on the shipped data: "
            "use the fixture knowledge base (the fixture_kb or kb fixtures) or mark the test `data`"
        )
    command = [sys.executable, "-m", "citypolicy", *args]
    if kb is not None:
        command += ["--kb", str(kb)]
    return subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=env if env is not None else cli_env(),
        timeout=timeout,
        check=False,
        preexec_fn=(lambda: os.umask(umask)) if umask is not None else None,  # noqa: PLW1509
    )


def copy_kb(source: Path, dest: Path) -> Path:
    """Copy a knowledge base's data/ and seeds/ into `dest` (created) and return it."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source / "data", dest / "data")
    shutil.copytree(source / "seeds", dest / "seeds")
    return dest


def json_answer(*args: str, kb: Path | None = PROJECT, cwd: Path = PROJECT) -> object:
    """`citypolicy ARGS --format json` run to success, its answer parsed."""
    done = citypolicy(*args, "--format", "json", kb=kb, cwd=cwd)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return json.loads(done.stdout)


def no_traceback(done: subprocess.CompletedProcess[str]) -> None:
    """A refusal in words: no traceback on either stream and no internal error."""
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    assert "internal error" not in done.stderr

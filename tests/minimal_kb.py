"""The knowledge base the hardening tests (issue 14) edit, and the CLI run with an explicit cache.

The tests of the cache, the refused inputs, the bounds, the inert outputs and the messages edit a
copy of the fixture knowledge base (tests/fixtures/kb: invented places and articles), never the
shipped data, so an analyst's edit of data/ cannot fail them; the strings they edit are written in
those tests. Their CLI runs name the cache setting they need in the environment they pass, whatever
helpers.cli_env() and conftest.py choose for other tests.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from helpers import FIXTURE_KB, cli_env, copy_kb

XINGHAI = "data/cities/xinghai.yaml"
SOURCES = "data/sources.yaml"
#: The fixture article the Xinghai records quote.
ARTICLE = "fixture_a_xinghai.txt"


def build_minimal_kb(dest: Path) -> Path:
    return copy_kb(FIXTURE_KB, dest)


KEEP = "keep"  # the cache folder helpers.cli_env() chooses


def run_cli(
    *args: str,
    kb: Path,
    cwd: Path,
    cache: str | Path | None = KEEP,
    extra: dict[str, str] | None = None,
    umask: int | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """`python -m citypolicy ARGS --kb KB`; `cache`: a folder, "0" (off), None (unset) or KEEP."""
    env = cli_env()
    if cache is None:
        env.pop("CITYPOLICY_CACHE", None)
    elif cache != KEEP:
        env["CITYPOLICY_CACHE"] = str(cache)
    env.update(extra or {})
    return subprocess.run(
        [sys.executable, "-m", "citypolicy", *args, "--kb", str(kb)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        check=False,
        preexec_fn=(lambda: os.umask(umask)) if umask is not None else None,  # noqa: PLW1509
    )

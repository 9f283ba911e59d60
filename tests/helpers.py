"""What several test files share: the project folder and running the real CLI as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]


def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("CITYPOLICY_DEBUG", None)  # internal errors must show as they do for users
    env.pop("CITYPOLICY_KB", None)
    env["PYTHONIOENCODING"] = "utf-8"
    env.setdefault("LC_ALL", "C.UTF-8")
    return env


def citypolicy(
    *args: str, kb: Path | None = PROJECT, cwd: Path = PROJECT, umask: int | None = None, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    """Run `python -m citypolicy ARGS --kb KB` in `cwd` and return the finished process (utf-8 text)."""
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
        env=cli_env(),
        timeout=timeout,
        check=False,
        preexec_fn=(lambda: os.umask(umask)) if umask is not None else None,  # noqa: PLW1509
    )

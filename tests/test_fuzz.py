"""A bounded fuzz run in CI: seeded mutations of the shipped data files through the real CLI entry
point end in no traceback, no internal error, no hang and no answer the cache changes (issue 14).

The harness and the long run (3,000 cases, recorded in docs/fuzzing.md) are in tests/fuzzing.py.
"""

from __future__ import annotations

import subprocess
import sys

from helpers import PROJECT, cli_env

CASES = 80  # about 30 s on two cores; the long run covers these and 2,920 more


def test_seeded_mutations_end_in_no_traceback_internal_error_or_hang() -> None:
    done = subprocess.run(
        [sys.executable, str(PROJECT / "tests" / "fuzzing.py"), "--seed", "1", "--cases", str(CASES)],
        capture_output=True,
        text=True,
        env=cli_env(),
        timeout=900,
        check=False,
    )
    assert "tracebacks: 0, internal errors: 0, hangs: 0, cache mismatches: 0" in done.stdout, done.stdout
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"cases: {CASES} (" in done.stdout

"""Measuring whole processes: wall time, CPU time and peak memory, from os.wait4 and /proc.

A parallel build is several processes (forked workers share the parent's pages until they write to
them), so its memory is measured as the peak of the summed proportional set size (PSS) of the whole
process tree, sampled from /proc/<pid>/smaps_rollup: a page shared by three processes counts a third
in each. Sampling costs CPU, so it is done in a separate run that is not timed.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
OUT = PROJECT / "bench" / "out"


@dataclass
class Measurement:
    """Wall-clock seconds, CPU seconds and peak RSS (KiB) of the timed runs of one command."""

    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # user + system seconds, children included
    rss_kib: list[int] = field(default_factory=list)  # the largest single process's peak
    errors: list[str] = field(default_factory=list)
    tree_pss_kib: int | None = None  # the whole process tree's peak PSS, from a separate sampled run

    @property
    def ok(self) -> bool:
        return bool(self.seconds) and not self.errors

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak_mib(self) -> float:
        return max(self.rss_kib) / 1024

    @property
    def memory_mib(self) -> float:
        """The process tree's peak PSS when it was sampled, else the peak RSS."""
        return self.tree_pss_kib / 1024 if self.tree_pss_kib else self.peak_mib


@dataclass
class Run:
    seconds: float
    cpu: float
    rss_kib: int
    code: int
    stderr: str


def run_once(argv: Sequence[str], env: dict[str, str], stdout: Path) -> Run:
    """Wall time, CPU time, peak RSS, exit code and stderr of one process, measured by os.wait4
    (whose figures include the children the process waited for)."""
    errors = stdout.with_suffix(".err")
    with stdout.open("wb") as out, errors.open("wb") as err:
        start = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=err, env=env, cwd=OUT)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    message = errors.read_text(encoding="utf-8", errors="replace")
    return Run(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, process.returncode, message)


def measure(
    argv: Sequence[str], env: dict[str, str], repeat: int, before_each: Callable[[], None] | None = None
) -> Measurement:
    """One warm-up run, then `repeat` timed runs, each in a new process."""
    result = Measurement()
    stdout = OUT / "last-stdout.txt"
    for index in range(repeat + 1):
        if before_each:
            before_each()
        run = run_once(argv, env, stdout)
        if run.code != 0:
            result.errors.append(f"exit {run.code}: {run.stderr.strip()[-300:]}")
            break
        if index > 0:
            result.seconds.append(run.seconds)
            result.cpu.append(run.cpu)
            result.rss_kib.append(run.rss_kib)
    return result


# --------------------------------------------------------------------------- memory of a process tree


def _tree(pid: int) -> set[int]:
    found, todo = {pid}, [pid]
    while todo:
        for task in Path(f"/proc/{todo.pop()}/task").glob("*/children"):
            try:
                children = {int(c) for c in task.read_text().split()}
            except OSError:
                continue
            todo += children - found
            found |= children
    return found


def _pss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def tree_peak_pss(argv: Sequence[str], env: dict[str, str], before: Callable[[], None] | None = None) -> int | None:
    """The peak of the summed PSS (KiB) of a command's process tree, sampled every 50 ms; None where
    /proc has no smaps_rollup (not Linux)."""
    if not Path(f"/proc/{os.getpid()}/smaps_rollup").exists():
        return None
    if before:
        before()
    peak = 0
    done = threading.Event()
    with (OUT / "last-stdout.txt").open("wb") as out:
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.DEVNULL, env=env, cwd=OUT)

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, sum(_pss_kib(p) for p in _tree(process.pid)))
                done.wait(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = process.wait()
        done.set()
        sampler.join()
    if code != 0:
        print(f"  memory run failed with exit {code}", file=sys.stderr)
        return None
    return peak

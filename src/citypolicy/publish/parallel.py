"""Running the independent pieces of a build (chunks of pages, the data files) on every core.

Workers are forks of the process that loaded the knowledge base: they share it copy-on-write
instead of loading it again or receiving it pickled, and only task numbers and results cross between
processes. A worker dies with the build that started it (a killed build leaves nothing writing into
its staging folder), and the first task to fail stops the others and is raised in the caller.
Where there is one core, or no fork (Windows, macOS by default), the tasks run one after the other.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

_tasks: Sequence[Callable[[], object]] = ()  # set before the workers are forked; they inherit it


def workers() -> int:
    """How many processes a build uses: one per core it may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def chunks(items: Sequence[T], per_worker: int = 8) -> list[Sequence[T]]:
    """`items` in about `per_worker` pieces per worker, so that the workers finish close together."""
    size = max(1, -(-len(items) // (workers() * per_worker)))
    return [items[start : start + size] for start in range(0, len(items), size)]


def run(tasks: Sequence[Callable[[], T]]) -> Iterator[T]:
    """Each task's result as it finishes (in any order)."""
    global _tasks
    count = min(workers(), len(tasks))
    if count <= 1 or "fork" not in multiprocessing.get_all_start_methods() or sys.platform == "darwin":
        yield from (task() for task in tasks)
        return
    _tasks = tasks
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(count, initializer=_die_with, initargs=(os.getpid(),)) as pool:
            yield from pool.imap_unordered(_run_task, range(len(tasks)))
    finally:
        _tasks = ()


def _run_task(index: int) -> object:
    return _tasks[index]()


def _die_with(parent: int) -> None:
    """Ask the kernel to kill this worker when the build that forked it dies (Linux)."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        set_parent_death_signal = 1  # PR_SET_PDEATHSIG, from <linux/prctl.h>
        ctypes.CDLL(None, use_errno=True).prctl(set_parent_death_signal, signal.SIGKILL)
    if os.getppid() != parent:  # the build died before the line above ran
        os._exit(1)

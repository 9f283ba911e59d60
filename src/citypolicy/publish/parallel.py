"""Running the independent pieces of a build (the data files, chunks of pages) on every core.

The build's own process works too, and one worker is forked per further core. A fork shares the
loaded knowledge base copy-on-write instead of loading it again or receiving it pickled; but every
object a worker reads gets its reference count written, which copies the memory page it sits on.
So the tasks are taken from the two ends of one list: the build takes them from the front (the data
files and the pages that read every record come first, and cost it no copies), the workers from the
back, each touching a run of neighbouring place files; they meet in the middle. Only task numbers,
page counts and errors cross between processes. A worker dies with the build that started it (a
killed build leaves nothing writing into its staging folder), and the first task to fail stops the
others and is raised in the build. With one core, or without fork (Windows, macOS), the tasks run
one after the other in the build's process.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from typing import TypeVar

T = TypeVar("T")


def workers() -> int:
    """How many processes a build uses: one per core it may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def chunks(items: Sequence[T], per_process: int = 8) -> list[Sequence[T]]:
    """`items` in about `per_process` pieces per process, so that the processes finish close together."""
    size = max(1, -(-len(items) // (workers() * per_process)))
    return [items[start : start + size] for start in range(0, len(items), size)]


def run(tasks: Sequence[Callable[[], int]]) -> Iterator[int]:
    """Each task's result (a count) as it finishes, in any order."""
    count = min(workers(), len(tasks))
    if count <= 1 or sys.platform in {"win32", "darwin"} or "fork" not in multiprocessing.get_all_start_methods():
        yield from (task() for task in tasks)
        return
    context = multiprocessing.get_context("fork")
    ends = context.Array("i", [0, len(tasks)])  # [next from the front, one past the next from the back]
    children: list[multiprocessing.process.BaseProcess] = []
    receivers: list[Connection] = []
    try:
        for _ in range(count - 1):
            receiver, sender = context.Pipe(duplex=False)
            child = context.Process(target=_work, args=(tasks, ends, sender, os.getpid()), daemon=True)
            child.start()
            sender.close()
            children.append(child)
            receivers.append(receiver)
        while (index := _take(ends, front=True)) is not None:
            yield tasks[index]()
            yield from _reports(receivers, block=False)
        while receivers:
            yield from _reports(receivers, block=True)
        for child in children:
            child.join()
            if child.exitcode != 0:
                raise RuntimeError(f"a build worker stopped with exit code {child.exitcode}")
    finally:
        for child in children:
            if child.is_alive():
                child.kill()
            child.join()
        for receiver in receivers:
            receiver.close()


def _take(ends, front: bool) -> int | None:  # type: ignore[no-untyped-def]
    with ends.get_lock():
        if ends[0] >= ends[1]:
            return None
        if front:
            ends[0] += 1
            return ends[0] - 1
        ends[1] -= 1
        return ends[1]


def _reports(receivers: list[Connection], block: bool) -> Iterator[int]:
    """The counts the workers have sent; a worker's error is raised here. A receiver whose worker
    has finished (or died) is closed and removed."""
    for receiver in wait(receivers, timeout=None if block else 0):
        assert isinstance(receiver, Connection)
        try:
            kind, value = receiver.recv()
        except EOFError:
            receivers.remove(receiver)
            receiver.close()
            continue
        if kind == "error":
            raise value
        yield value


def _work(tasks: Sequence[Callable[[], int]], ends, report: Connection, parent: int) -> None:  # type: ignore[no-untyped-def]
    _die_with(parent)
    while (index := _take(ends, front=False)) is not None:
        try:
            report.send(("done", tasks[index]()))
        except BaseException as error:  # sent to the build, which raises it
            try:
                report.send(("error", error))
            except Exception:  # not picklable: its text
                report.send(("error", RuntimeError(f"{type(error).__name__}: {error}")))
            raise SystemExit(1) from None
    report.close()


def _die_with(parent: int) -> None:
    """Ask the kernel to kill this worker when the build that forked it dies (Linux)."""
    if sys.platform.startswith("linux"):
        import ctypes

        set_parent_death_signal = 1  # PR_SET_PDEATHSIG, from <linux/prctl.h>
        ctypes.CDLL(None, use_errno=True).prctl(set_parent_death_signal, signal.SIGKILL)
    if os.getppid() != parent:  # the build died before the line above ran
        os._exit(1)

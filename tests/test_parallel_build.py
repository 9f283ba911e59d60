"""The site is built on every core: the same bytes as a build on one core, and no worker outlives a
build that was killed."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import PROJECT, cli_env

multi_core = pytest.mark.skipif(
    not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2, reason="needs two cores"
)


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _build(kb: Path, out: Path, cores: set[int] | None) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "citypolicy", "build", "--out", str(out), "--kb", str(kb)]
    pin = (lambda: os.sched_setaffinity(0, cores)) if cores else None
    env = cli_env() | {"CITYPOLICY_CACHE": "off"}
    return subprocess.Popen(command, cwd=out.parent, env=env, stdout=subprocess.DEVNULL, preexec_fn=pin)  # noqa: PLW1509


@pytest.fixture(scope="module")
def kb_100(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("kb") / "kb-100"
    generator = PROJECT / "bench" / "generate.py"
    subprocess.run([sys.executable, str(generator), "--places", "100", "--seed", "1", "--out", str(out)], check=True)
    return out


_CHART_SOURCES = """
import json
import sys
from pathlib import Path
from citypolicy.ask import queries
from citypolicy.load.loader import load
from citypolicy.publish.charts import charts

kb, _ = load(Path(sys.argv[1]))
for chart in charts(kb, queries.voucher_rows(kb, "all")):
    print(json.dumps([[str(s.published), s.file] for s in chart.sources]))
"""


def test_chart_source_lines_do_not_depend_on_the_hash_seed(kb_100: Path) -> None:
    """A build's workers and a build on one core are separate processes: an order left to a set of
    strings differs between them. Sources of the same month are listed by file name."""
    answers = []
    for seed in ("1", "2", "3"):
        env = cli_env() | {"PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", _CHART_SOURCES, str(kb_100)], env=env, capture_output=True, text=True, check=True
        )
        answers.append(done.stdout)
    assert answers[0] == answers[1] == answers[2]
    months = [when for line in answers[0].splitlines() for when, _ in json.loads(line)]
    assert len(months) > len(set(months))  # some sources share a month: their order is the tie-break


@multi_core
def test_a_build_on_every_core_writes_what_a_build_on_one_core_writes(kb_100: Path, tmp_path: Path) -> None:
    one, every = tmp_path / "one", tmp_path / "every"
    assert _build(kb_100, one, {min(os.sched_getaffinity(0))}).wait(timeout=300) == 0
    assert _build(kb_100, every, None).wait(timeout=300) == 0
    written = _digest(every)
    assert len([p for p in written if p.startswith("places/")]) > 20
    assert written == _digest(one)


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found |= {int(c) for c in task.read_text().split()}
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@multi_core
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_with_a_killed_build(kb_100: Path, tmp_path: Path) -> None:
    build = _build(kb_100, tmp_path / "site", None)
    expected = len(os.sched_getaffinity(0)) - 1  # the build works too, beside one worker per further core
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while len(workers) < expected and build.poll() is None and time.monotonic() < deadline:
        workers = _children(build.pid)
        time.sleep(0.01)
    assert len(workers) == expected, "the build never started its workers"
    build.send_signal(signal.SIGKILL)
    build.wait()
    # The kernel kills them with the build (a worker left alone would finish its task, writing on:
    # the data files alone take longer than this).
    deadline = time.monotonic() + 0.25
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not any(_alive(w) for w in workers), "a worker kept running after its build was killed"


def _write_marker(folder: Path, n: int) -> int:
    time.sleep(0.02)  # long enough for the worker to start while the build works
    (folder / f"{n}.txt").write_text(f"{n} by {os.getpid()}")
    return n


def _fail() -> int:
    raise ValueError("task 9 cannot be done")


@multi_core
def test_every_task_runs_once_in_the_build_or_a_worker(tmp_path: Path) -> None:
    from functools import partial

    from citypolicy.publish import parallel

    tasks = [partial(_write_marker, tmp_path, n) for n in range(40)]
    assert sorted(parallel.run(tasks)) == list(range(40))
    writers = {p.read_text().split(" by ")[1] for p in tmp_path.iterdir()}
    assert len(list(tmp_path.iterdir())) == 40 and len(writers) >= 2  # the work was shared


@multi_core
def test_a_task_failing_in_a_worker_is_raised_in_the_build(tmp_path: Path) -> None:
    from functools import partial

    from citypolicy.publish import parallel

    tasks = [*(partial(_write_marker, tmp_path, n) for n in range(9)), _fail]  # a worker starts from the end
    with pytest.raises(ValueError, match="task 9 cannot be done"):
        list(parallel.run(tasks))

"""Benchmark citypolicy from cold processes at 10 to 5,000 places and write docs/performance.md.

Run from the project root (the full run takes about 15 minutes, most of it at N=5,000):

    .venv/bin/python bench/run.py                 # N = 10, 100, 1000, 5000; writes docs/performance.md
    .venv/bin/python bench/run.py --quick         # N = 10, 100 only; writes bench/out/performance-quick.md
    .venv/bin/python bench/run.py --sizes 10,1000 --repeat 3 --no-profile --doc /tmp/perf.md

For every size it generates a knowledge base (bench/generate.py, seed 1) under bench/out/, then times
whole processes of the installed CLI: `check`, `build`, `export --format json` and `vouchers --format
json`, each with an empty product cache ($CITYPOLICY_CACHE is a folder under bench/out/, emptied
before every run: the first query after a change), `vouchers --format json` with the knowledge base
cached but no kept answer (a new question on unchanged data), and again with everything warm (a
repeated query). The floors are the same python doing only PyYAML's C loader over the
data files, and only importing the CLI's dependencies. Every figure is the median of --repeat runs
after one warm-up (which also warms the OS file cache); peak memory is each process's maximum RSS
from os.wait4. With N=1,000 among the sizes, `check` and `build` are also profiled with py-spy
(`.venv/bin/pip install py-spy`; raw stacks and flame graphs under bench/out/profile/) and summarised
under "Where the time goes".
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
OUT = PROJECT / "bench" / "out"
DOC = PROJECT / "docs" / "performance.md"
QUICK_DOC = OUT / "performance-quick.md"
GENERATOR = PROJECT / "bench" / "generate.py"
FULL_SIZES = (10, 100, 1000, 5000)
QUICK_SIZES = (10, 100)
SEED = 1
PROFILE_RATE = 200  # py-spy samples per second
NOTES_START, NOTES_END = "<!-- notes:start -->", "<!-- notes:end -->"
PARSE_SCRIPT = (
    "import sys, yaml\n"
    "from pathlib import Path\n"
    "for f in sorted(Path(sys.argv[1]).glob('data/**/*.yaml')):\n"
    "    with open(f, 'rb') as h:\n"
    "        yaml.load(h, Loader=yaml.CSafeLoader)\n"
)
IMPORT_SCRIPT = "import typer, pydantic, yaml, rapidfuzz, opencc, jinja2"
COMMANDS = (
    "check",
    "build",
    "export",
    "vouchers",
    "vouchers-loaded",
    "vouchers-repeated",
    "parse-floor",
    "import-floor",
)
HEADINGS = {
    "check": "check",
    "build": "build",
    "export": "export json",
    "vouchers": "vouchers json, empty cache",
    "vouchers-loaded": "vouchers json, knowledge base cached",
    "vouchers-repeated": "vouchers json, repeated",
    "parse-floor": "floor: parse only",
    "import-floor": "floor: import only",
}

# --------------------------------------------------------------------------- measuring processes


@dataclass
class Measurement:
    """Wall-clock seconds, CPU seconds and peak RSS (KiB) of the timed runs of one command."""

    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # user + system seconds
    rss_kib: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.seconds) and not self.errors

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak_mib(self) -> float:
        return max(self.rss_kib) / 1024


@dataclass
class Run:
    seconds: float
    cpu: float
    rss_kib: int
    code: int
    stderr: str


def run_once(argv: Sequence[str], env: dict[str, str], stdout: Path) -> Run:
    """Wall time, CPU time, peak RSS, exit code and stderr of one process, measured by os.wait4."""
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


def cli() -> list[str]:
    script = Path(sys.executable).parent / "citypolicy"
    return [str(script)] if script.exists() else [sys.executable, "-m", "citypolicy"]


def environment(cache: Path) -> dict[str, str]:
    """The CLI's environment: its cache under bench/out, and bytecode caching on, as on a normal install
    (the .pyc files go to bench/out/pycache, so nothing is written beside the sources)."""
    unwanted = {"CITYPOLICY_KB", "CITYPOLICY_DEBUG", "PYTHONDONTWRITEBYTECODE"}
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    env.update(
        CITYPOLICY_CACHE=str(cache),
        PYTHONPYCACHEPREFIX=str(OUT / "pycache"),
        LC_ALL="C.UTF-8",
        PYTHONIOENCODING="utf-8",
    )
    return env


def forget_answers(folder: Path) -> Callable[[], None]:
    """Keep the cached knowledge base, drop the kept answers: a new question on unchanged data."""

    def forget() -> None:
        for answer in folder.glob("*.answer"):
            answer.unlink()

    return forget


def emptied(folder: Path) -> Callable[[], None]:
    def empty() -> None:
        shutil.rmtree(folder, ignore_errors=True)

    return empty


# --------------------------------------------------------------------------- one size


@dataclass
class SizeResult:
    label: str  # "10", "1000" or "shipped"
    places: int
    measurements: dict[str, Measurement] = field(default_factory=dict)
    site_bytes: int | None = None
    data_bytes: int = 0
    files: int = 0


def generate(places: int) -> Path:
    kb = OUT / f"kb-{places}"
    subprocess.run(
        [sys.executable, str(GENERATOR), "--places", str(places), "--seed", str(SEED), "--out", str(kb)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return kb


def disk_usage(folder: Path) -> int:
    """Bytes on disk, as du counts them (allocated blocks)."""
    return sum(p.lstat().st_blocks * 512 for p in folder.rglob("*")) + folder.lstat().st_blocks * 512


def data_files(kb: Path) -> list[Path]:
    return sorted((kb / "data").glob("**/*.yaml"))


def bench_size(label: str, kb: Path, places: int, repeat: int) -> SizeResult:
    cache = OUT / "cache" / label
    env = environment(cache)
    base, where = cli(), ["--kb", str(kb)]
    site = OUT / f"site-{label}"
    cold = emptied(cache)
    plan: list[tuple[str, list[str], Callable[[], None] | None]] = [
        ("check", [*base, "check", *where], None),
        ("build", [*base, "build", *where, "--out", str(site)], cold),
        ("export", [*base, "export", "--format", "json", *where], cold),
        ("vouchers", [*base, "vouchers", "--format", "json", *where], cold),
        ("vouchers-loaded", [*base, "vouchers", "--format", "json", *where], forget_answers(cache)),
        ("vouchers-repeated", [*base, "vouchers", "--format", "json", *where], None),
        ("parse-floor", [sys.executable, "-c", PARSE_SCRIPT, str(kb)], None),
        ("import-floor", [sys.executable, "-c", IMPORT_SCRIPT], None),
    ]
    result = SizeResult(label, places)
    files = data_files(kb)
    result.files, result.data_bytes = len(files), sum(f.stat().st_size for f in files)
    for name, argv, before in plan:
        print(f"  N={label}: {name} …", end="", flush=True)
        result.measurements[name] = measure(argv, env, repeat, before)
        m = result.measurements[name]
        print(f" {m.median:.2f} s, {m.peak_mib:.0f} MiB" if m.ok else f" failed: {m.errors[0]}", flush=True)
    if site.is_dir():
        result.site_bytes = disk_usage(site)
    return result


def shipped_places() -> int:
    """Jurisdictions in the project's own knowledge base (0 when it does not load)."""
    done = subprocess.run(
        [*cli(), "check", "--format", "json", "--kb", str(PROJECT)],
        capture_output=True,
        text=True,
        env=environment(OUT / "cache" / "shipped"),
    )
    match = re.search(r'"jurisdictions":\s*(\d+)', done.stdout)
    return int(match.group(1)) if match else 0


# --------------------------------------------------------------------------- profiles


@dataclass
class Cost:
    name: str
    seconds: float


@dataclass
class ProfileSummary:
    command: str
    total: float
    modules: list[Cost]
    functions_self: list[Cost]
    functions_inclusive: list[Cost]
    flamegraph: Path


@dataclass
class ProfileTarget:
    slug: str  # file names under bench/out/profile/
    title: str  # the report's heading
    args: list[str]  # citypolicy arguments
    kb: Path
    warm: bool = False  # run once unprofiled first, so that the product cache is warm


def profile_targets() -> list[ProfileTarget]:
    kb, site, query = OUT / "kb-1000", ["build", "--out", str(OUT / "site-profile")], ["vouchers", "--format", "json"]
    return [
        ProfileTarget("check-1000", "`check` at N=1,000", ["check"], kb),
        ProfileTarget("build-1000", "`build` at N=1,000, empty cache", site, kb),
        ProfileTarget(
            "vouchers-repeated-1000", "`vouchers --format json` at N=1,000, repeated (warm cache)", query, kb, True
        ),
        ProfileTarget("vouchers-shipped", "`vouchers --format json` on the shipped data, empty cache", query, PROJECT),
    ]


def profile(target: ProfileTarget) -> ProfileSummary | None:
    """A py-spy profile (sampling, out of process) of one `citypolicy …` process, summarised."""
    spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
    if spy is None:
        return None
    folder = OUT / "profile"
    folder.mkdir(parents=True, exist_ok=True)
    raw, svg = folder / f"{target.slug}.txt", folder / f"{target.slug}.svg"
    argv = [sys.executable, "-m", "citypolicy", *target.args, "--kb", str(target.kb)]
    record = [spy, "record", "--nonblocking", "--rate", str(PROFILE_RATE)]
    cache = OUT / "cache" / "profile"
    env = environment(cache)
    quiet = {"env": env, "cwd": OUT, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    for output, fmt in ((raw, "raw"), (svg, "flamegraph")):
        shutil.rmtree(cache, ignore_errors=True)
        if target.warm:
            subprocess.run(argv, check=True, **quiet)  # type: ignore[call-overload]
        command = [*record, "--format", fmt, "--output", str(output), "--", *argv]
        subprocess.run(command, check=True, **quiet)  # type: ignore[call-overload]
    return summarise(target.title, raw.read_text(encoding="utf-8", errors="replace"), svg)


def installed_packages() -> set[str]:
    purelib = Path(sysconfig.get_paths()["purelib"])
    return {p.name.removesuffix(".py") for p in purelib.iterdir()} if purelib.is_dir() else set()


def owner(path: str, packages: set[str]) -> str:
    """Who a py-spy file name belongs to: citypolicy.render, jinja2, template place.html, stdlib re …"""
    if path.startswith("citypolicy/"):
        return "citypolicy." + Path(path).stem
    if path.endswith((".html", ".j2", ".md")):
        return "template " + path
    top = path.split("/", 1)[0].removesuffix(".py")
    if top in packages:
        return top
    if "importlib" in path:
        return "import system"
    return "stdlib " + top.strip("<>").removeprefix("frozen ")


FRAME = re.compile(r"^(?P<function>.*) \((?P<path>[^()]*?)(?::\d+)?\)$")


def frame_name(frame: str, packages: set[str]) -> tuple[str, str]:
    """(owner, owner:function) of one py-spy frame, e.g. 'render (citypolicy/render.py:201)'."""
    match = FRAME.match(frame)
    if match is None:
        return "(unknown)", frame
    where = owner(match["path"], packages)
    return where, f"{where}:{match['function']}"


def summarise(command: str, raw: str, svg: Path) -> ProfileSummary:
    packages = installed_packages()
    modules: dict[str, float] = {}
    own: dict[str, float] = {}
    inclusive: dict[str, float] = {}
    total = 0.0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        seconds = int(count) / PROFILE_RATE
        names = [frame_name(f, packages) for f in stack.split(";")]
        total += seconds
        module, function = names[-1]
        modules[module] = modules.get(module, 0.0) + seconds
        own[function] = own.get(function, 0.0) + seconds
        for name in {n for _, n in names}:  # a recursive function counts once per sample
            inclusive[name] = inclusive.get(name, 0.0) + seconds

    def top(table: dict[str, float], count: int, keep: Callable[[str, float], bool]) -> list[Cost]:
        ranked = sorted(table.items(), key=lambda kv: (-kv[1], kv[0]))
        return [Cost(n, s) for n, s in ranked if keep(n, s)][:count]

    def informative(name: str, seconds: float) -> bool:
        return seconds < 0.95 * total and not name.startswith(("stdlib runpy", "typer", "import system"))

    return ProfileSummary(
        command,
        total,
        top(modules, 12, lambda n, s: True),
        top(own, 15, lambda n, s: True),
        top(inclusive, 25, informative),
        svg,
    )


# --------------------------------------------------------------------------- the report


@dataclass
class Goal:
    text: str
    measured: str
    passed: bool | None  # None: not measured in this run


@dataclass
class Session:
    """When the run happened, how busy the machine was, and which code it measured."""

    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    load_before: tuple[float, float, float] = field(default_factory=os.getloadavg)
    code_before: str = field(default_factory=lambda: code_digest())
    finished: dt.datetime | None = None
    load_after: tuple[float, float, float] | None = None
    code_after: str | None = None

    def finish(self) -> None:
        self.finished, self.load_after, self.code_after = dt.datetime.now(dt.UTC), os.getloadavg(), code_digest()

    def lines(self) -> list[tuple[str, str]]:
        def load(values: tuple[float, float, float] | None) -> str:
            return "/".join(f"{v:.2f}" for v in values) if values else "?"

        end = self.finished.strftime("%H:%M UTC") if self.finished else "?"
        code = f"{_git_state()}; digest of src/ and templates/ {self.code_before}"
        if self.code_after and self.code_after != self.code_before:
            code += f" at the start, **{self.code_after} at the end: the code changed during the run**"
        return [
            ("Code", code),
            ("Date", f"{self.started.strftime('%Y-%m-%d %H:%M')}–{end}"),
            ("Load average (1/5/15 min)", f"{load(self.load_before)} before, {load(self.load_after)} after"),
        ]


def code_digest() -> str:
    """A short hash of the product's code and templates, to tell runs of different code apart."""
    digest = hashlib.sha256()
    files = [*(PROJECT / "src" / "citypolicy").glob("*.py"), *(PROJECT / "templates").rglob("*")]
    for path in sorted(p for p in files if p.is_file()):
        digest.update(path.relative_to(PROJECT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def machine() -> list[tuple[str, str]]:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    models = re.findall(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    mem = re.search(r"MemTotal:\s*(\d+)", meminfo)
    versions = ", ".join(f"{p} {_version(p)}" for p in ("pydantic", "PyYAML", "Jinja2", "opencc", "rapidfuzz", "typer"))
    return [
        ("CPU", models[0].strip() if models else platform.processor() or "unknown"),
        ("Cores", f"{os.cpu_count()} logical"),
        ("RAM", f"{int(mem.group(1)) / 1024 / 1024:.1f} GiB" if mem else "unknown"),
        ("Python", f"{platform.python_version()} ({sys.executable})"),
        ("OS", platform.platform()),
        ("Libraries", versions),
    ]


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def _git_state() -> str:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=PROJECT, capture_output=True, text=True)
        return done.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--", "src", "templates")
    return f"git {commit}" + (" with uncommitted changes in src/ or templates/" if dirty else "")


def cell(m: Measurement | None) -> str:
    if m is None:
        return "—"
    if not m.ok:
        return "error"
    return f"{m.median:.2f} s · {m.peak_mib:.0f} MiB"


def mib(size: int | None) -> str:
    if size is None:
        return "—"
    return f"{size / 1024:.0f} KiB" if size < 2**20 else f"{size / 2**20:.1f} MiB"


def results_table(results: list[SizeResult]) -> list[str]:
    head = ["N (places)", "data files", *(HEADINGS[c] for c in COMMANDS), "site on disk"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        row = [r.label, f"{r.files} ({mib(r.data_bytes)})", *(cell(r.measurements.get(c)) for c in COMMANDS)]
        lines.append("| " + " | ".join([*row, mib(r.site_bytes)]) + " |")
    return lines


def spread_table(results: list[SizeResult]) -> list[str]:
    head = "| N | command | min | median | max | median CPU (user+sys) | peak RSS | runs |"
    lines = [head, "|---|---|---|---|---|---|---|---|"]
    for r in results:
        for name in COMMANDS:
            m = r.measurements.get(name)
            if m is None:
                continue
            if not m.ok:
                lines.append(f"| {r.label} | {HEADINGS[name]} | error: {m.errors[0][:120]} | | | | | |")
                continue
            times = f"{min(m.seconds):.3f} s | {m.median:.3f} s | {max(m.seconds):.3f} s"
            cpu = f"{statistics.median(m.cpu):.3f} s"
            lines.append(
                f"| {r.label} | {HEADINGS[name]} | {times} | {cpu} | {m.peak_mib:.0f} MiB | {len(m.seconds)} |"
            )
    return lines


def _get(results: list[SizeResult], label: str, name: str) -> Measurement | None:
    for r in results:
        if r.label == label and name in r.measurements and r.measurements[name].ok:
            return r.measurements[name]
    return None


def _site(results: list[SizeResult], label: str) -> int | None:
    return next((r.site_bytes for r in results if r.label == label), None)


def goals(results: list[SizeResult]) -> list[Goal]:
    check = "`check` at N=1,000 ≤ 1.5× parse-only floor"
    cold = "query on the shipped data, cold process (knowledge base cached) ≤ 1.5× import-only floor"
    repeated = "repeated query at N=1,000 ≤ 2× import-only floor"
    return [
        _ratio_goal(results, ("1000", "check"), ("1000", "parse-floor"), 1.5, check),
        _ratio_goal(results, ("shipped", "vouchers-loaded"), ("shipped", "import-floor"), 1.5, cold),
        _ratio_goal(results, ("1000", "vouchers-repeated"), ("1000", "import-floor"), 2.0, repeated),
        _limit_goal(_get(results, "1000", "build"), 15.0, "`build` at N=1,000 under 15 s"),
        _ratio_goal(results, ("5000", "build"), ("1000", "build"), 5.5, "`build` time at 5,000 ≤ 5.5× time at 1,000"),
        _site_goal(results),
        _memory_goal(results),
    ]


def _ratio_goal(
    results: list[SizeResult], top: tuple[str, str], bottom: tuple[str, str], limit: float, text: str
) -> Goal:
    a, b = _get(results, *top), _get(results, *bottom)
    if a is None or b is None:
        return Goal(text, "not measured in this run", None)
    ratio = a.median / b.median
    return Goal(text, f"{a.median:.2f} s / {b.median:.2f} s = {ratio:.2f}×", ratio <= limit)


def _limit_goal(m: Measurement | None, limit: float, text: str) -> Goal:
    if m is None:
        return Goal(text, "not measured in this run", None)
    return Goal(text, f"{m.median:.2f} s", m.median < limit)


def _site_goal(results: list[SizeResult]) -> Goal:
    text = "site size linear in N (size at 5,000 ≤ 5.5× size at 1,000)"
    small, large = _site(results, "1000"), _site(results, "5000")
    if not small or not large:
        return Goal(text, "not measured in this run", None)
    per = ", ".join(f"N={r.label}: {r.site_bytes / r.places / 1024:.0f} KiB/place" for r in results if r.site_bytes)
    ratio = large / small
    return Goal(text, f"{mib(large)} / {mib(small)} = {ratio:.2f}× ({per})", ratio <= 5.5)


def _memory_goal(results: list[SizeResult]) -> Goal:
    text = "peak memory at N=5,000 under 1 GiB (largest of all commands)"
    big = next((r for r in results if r.label == "5000"), None)
    if big is None:
        return Goal(text, "not measured in this run", None)
    peaks = {name: m.peak_mib for name, m in big.measurements.items() if m.ok}
    name = max(peaks, key=lambda k: peaks[k])
    return Goal(text, f"{peaks[name]:.0f} MiB ({HEADINGS[name]})", peaks[name] < 1024)


def goal_lines(found: list[Goal]) -> list[str]:
    lines = ["| goal | measured | result |", "|---|---|---|"]
    for g in found:
        verdict = "not measured" if g.passed is None else ("**PASS**" if g.passed else "**FAIL**")
        lines.append(f"| {g.text} | {g.measured} | {verdict} |")
    return lines


def profile_lines(summaries: list[ProfileSummary]) -> list[str]:
    if not summaries:
        return ["Not profiled in this run (profiles need N=1,000 among the sizes, and py-spy installed)."]
    lines = [
        f"py-spy ({PROFILE_RATE} samples/s, non-blocking, so the process runs at nearly full speed) on one",
        "process each; shares are of the sampled time. *Self* time is",
        "spent in the function itself; *inclusive* time also counts what it calls (a function twice on",
        "the stack counts once); CLI plumbing (typer, runpy) is left out of the inclusive table. Flame",
        "graphs: " + ", ".join(f"`{s.flamegraph.relative_to(PROJECT)}`" for s in summaries) + ".",
    ]
    for s in summaries:
        lines += ["", f"### {s.command} ({s.total:.2f} s sampled)", ""]
        lines += _cost_table("by owner (self time)", s.modules, s.total)
        lines += [""] + _cost_table("by function, inclusive", s.functions_inclusive, s.total)
        lines += [""] + _cost_table("by function, self time", s.functions_self, s.total)
    return lines


def _cost_table(title: str, costs: list[Cost], total: float) -> list[str]:
    lines = [f"| {title} | seconds | share |", "|---|---|---|"]
    lines += [f"| `{c.name}` | {c.seconds:.2f} | {100 * c.seconds / total:.1f}% |" for c in costs]
    return lines


def kept_notes(doc: Path) -> list[str]:
    """The hand-written analysis between the notes markers of the previous report, kept as is."""
    if not doc.exists():
        return [NOTES_START, "_No analysis written yet._", NOTES_END]
    text = doc.read_text(encoding="utf-8")
    start, end = text.find(NOTES_START), text.find(NOTES_END)
    if start < 0 or end < start:
        return [NOTES_START, "_No analysis written yet._", NOTES_END]
    return text[start : end + len(NOTES_END)].splitlines()


def report(
    results: list[SizeResult], summaries: list[ProfileSummary], args: argparse.Namespace, session: Session
) -> str:
    command = " ".join(["bench/run.py", *sys.argv[1:]])
    lines = [
        "# Performance",
        "",
        f"Generated by `.venv/bin/python {command}` (the tables are rewritten on every run; the analysis",
        "between the notes markers is kept). Rerun the full benchmark with `.venv/bin/python bench/run.py`",
        "(about 15 minutes), or `--quick` for N=10 and 100 only.",
        "",
        "## Machine",
        "",
        *[f"- **{k}**: {v}" for k, v in [*machine(), *session.lines()]],
        "",
        "## Method",
        "",
        f"- Knowledge bases: `bench/generate.py --places N --seed {SEED}` (N counts jurisdictions: provinces,",
        "  cities, districts, zones; one file per city or province; see the script's docstring). *shipped*",
        "  is the project's own data/ and seeds/.",
        "- Every figure is a whole process of the installed CLI (`.venv/bin/citypolicy …` with `--kb`), the",
        f"  median of {args.repeat} runs after one warm-up; memory is the process's peak RSS (os.wait4).",
        "- `build`, `export` and *vouchers json, empty cache* run with an empty product cache",
        "  ($CITYPOLICY_CACHE emptied before each run): the first command after a change to data/ or seeds/.",
        "  *vouchers json, knowledge base cached* keeps the cached knowledge base but drops kept answers: a",
        "  new question on unchanged data (the usual case after `check`/`build`). *vouchers json, repeated*",
        "  asks the same question again, which is answered from the kept answer. `check` never uses the cache.",
        "- Bytecode caching is on for every process (PYTHONPYCACHEPREFIX=bench/out/pycache), as on a normal",
        "  install; the warm-up run writes the .pyc files.",
        "- Floors: *parse only* is the same python loading every data/**/*.yaml with",
        "  `yaml.load(f, Loader=yaml.CSafeLoader)`; *import only* is",
        f'  `python -c "{IMPORT_SCRIPT}"`.',
        "",
        "## Results",
        "",
        "Median wall time · peak RSS.",
        "",
        *results_table(results),
        "",
        "## Goals",
        "",
        *goal_lines(goals(results)),
        "",
        "## Where the time goes",
        "",
        *profile_lines(summaries),
        "",
        "## Analysis",
        "",
        *kept_notes(args.doc),
        "",
        "## Spread of the runs",
        "",
        *spread_table(results),
        "",
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="sizes 10 and 100 only")
    parser.add_argument("--sizes", help="comma-separated N, e.g. 10,100,1000,5000")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per command after the warm-up (default 5)")
    parser.add_argument("--no-profile", action="store_true", help="skip the py-spy profiles at N=1,000")
    parser.add_argument("--no-shipped", action="store_true", help="skip the project's own knowledge base")
    parser.add_argument("--doc", type=Path, help="where to write the report (default docs/performance.md)")
    args = parser.parse_args(argv)
    if args.sizes:
        args.sizes = tuple(int(s) for s in args.sizes.split(",") if s.strip())
    else:
        args.sizes = QUICK_SIZES if args.quick else FULL_SIZES
    if args.doc is None:
        args.doc = QUICK_DOC if args.quick else DOC
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    session = Session()
    OUT.mkdir(parents=True, exist_ok=True)
    results: list[SizeResult] = []
    if not args.no_shipped:
        print("shipped knowledge base", flush=True)
        results.append(bench_size("shipped", PROJECT, shipped_places(), args.repeat))
    for places in args.sizes:
        print(f"N={places}: generating", flush=True)
        results.append(bench_size(str(places), generate(places), places, args.repeat))
    summaries: list[ProfileSummary] = []
    if 1000 in args.sizes and not args.no_profile:
        for target in profile_targets():
            print(f"profiling {target.slug}", flush=True)
            summary = profile(target)
            if summary:
                summaries.append(summary)
    session.finish()
    args.doc.parent.mkdir(parents=True, exist_ok=True)
    args.doc.write_text(report(results, summaries, args, session), encoding="utf-8")
    print(f"wrote {args.doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

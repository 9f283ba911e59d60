"""docs/performance.md: the machine, the method, the results, the goals with their ratios, the profiles.

The tables are rewritten on every run; the analysis between the notes markers is kept as written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import platform
import re
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import hugo
from measure import OUT, PROJECT, Measurement
from profiles import ProfileSummary, profile_lines

DOC = PROJECT / "docs" / "performance.md"
QUICK_DOC = OUT / "performance-quick.md"
SEED = 1
NOTES_START, NOTES_END = "<!-- notes:start -->", "<!-- notes:end -->"
COMMANDS = {
    "check": "check",
    "build": "build",
    "export": "export json",
    "vouchers": "vouchers json, empty cache",
    "vouchers-loaded": "vouchers json, knowledge base cached",
    "vouchers-repeated": "vouchers json, repeated",
    "vouchers-table": "vouchers table, knowledge base cached",
    "show": "show PLACE, knowledge base cached",
    "edited": "vouchers json after editing a city file",
}
FLOORS = {
    "parse-floor": "floor: parse (PyYAML C loader)",
    "read-floor": "floor: parse (project's reader)",
    "import-floor": "floor: import (a query's modules)",
    "hugo": "peer: Hugo build",
}
HEADINGS = {**COMMANDS, **FLOORS}


@dataclass
class SizeResult:
    label: str  # "10", "1000" or "shipped"
    places: int
    measurements: dict[str, Measurement] = field(default_factory=dict)
    site_bytes: int | None = None
    hugo_bytes: int | None = None
    data_bytes: int = 0
    files: int = 0
    query_modules: int | None = None  # modules the import floor imports
    cache_before_edits: tuple[int, int] | None = None  # (files, bytes) in the cache folder
    cache_after_edits: tuple[int, int] | None = None
    edits: int = 0


@dataclass
class Goal:
    text: str
    measured: str
    passed: bool | None  # None: not measured in this run, or reported without a limit


# --------------------------------------------------------------------------- the run and the machine


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
    files = [*(PROJECT / "src" / "citypolicy").rglob("*.py"), *(PROJECT / "templates").rglob("*")]
    for path in sorted(p for p in files if p.is_file()):
        digest.update(path.relative_to(PROJECT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def machine() -> list[tuple[str, str]]:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    models = re.findall(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    mem = re.search(r"MemTotal:\s*(\d+)", meminfo)
    packages = ("pydantic", "PyYAML", "Jinja2", "opencc", "rapidfuzz", "typer", "rich", "pypinyin", "cn2an")
    return [
        ("CPU", models[0].strip() if models else platform.processor() or "unknown"),
        ("Cores", f"{os.cpu_count()} logical"),
        ("RAM", f"{int(mem.group(1)) / 1024 / 1024:.1f} GiB" if mem else "unknown"),
        ("Python", f"{platform.python_version()} ({sys.executable})"),
        ("OS", platform.platform()),
        ("Libraries", ", ".join(f"{p} {_version(p)}" for p in packages)),
        ("Peer", hugo.version() or "Hugo not installed: no comparison in this run"),
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


# --------------------------------------------------------------------------- tables


def cell(m: Measurement | None, memory: bool = False) -> str:
    if m is None:
        return "—"
    if not m.ok:
        return "error"
    return f"{m.median:.2f} s · {m.memory_mib if memory else m.peak_mib:.0f} MiB"


def mib(size: int | None) -> str:
    if size is None:
        return "—"
    return f"{size / 1024:.0f} KiB" if size < 2**20 else f"{size / 2**20:.1f} MiB"


def results_tables(results: list[SizeResult]) -> list[str]:
    head = ["N (places)", "data files", *COMMANDS.values(), "site on disk"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        row = [r.label, f"{r.files} ({mib(r.data_bytes)})"]
        row += [cell(r.measurements.get(c), memory=c == "build") for c in COMMANDS]
        lines.append("| " + " | ".join([*row, mib(r.site_bytes)]) + " |")
    head = [
        "N (places)",
        *FLOORS.values(),
        "Hugo's site on disk",
        "modules a query imports",
        "cache folder before → after the edits",
    ]
    lines += ["", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        row = [r.label, *(cell(r.measurements.get(c), memory=c == "hugo") for c in FLOORS), mib(r.hugo_bytes)]
        row += [str(r.query_modules or "—"), _cache_change(r)]
        lines.append("| " + " | ".join(row) + " |")
    return lines


def _cache_change(r: SizeResult) -> str:
    if not r.cache_before_edits or not r.cache_after_edits:
        return "—"
    (f0, b0), (f1, b1) = r.cache_before_edits, r.cache_after_edits
    return f"{f0} files, {mib(b0)} → {f1} files, {mib(b1)} ({r.edits} edits)"


def spread_table(results: list[SizeResult]) -> list[str]:
    head = "| N | command | min | median | max | median CPU (user+sys) | peak RSS (one process) | tree PSS | runs |"
    lines = [head, "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        for name, heading in HEADINGS.items():
            m = r.measurements.get(name)
            if m is None:
                continue
            if not m.ok:
                lines.append(f"| {r.label} | {heading} | error: {m.errors[0][:120]} | | | | | | |")
                continue
            times = f"{min(m.seconds):.3f} s | {m.median:.3f} s | {max(m.seconds):.3f} s"
            cpu = f"{statistics.median(m.cpu):.3f} s"
            tree = f"{m.tree_pss_kib / 1024:.0f} MiB" if m.tree_pss_kib else "—"
            lines.append(
                f"| {r.label} | {heading} | {times} | {cpu} | {m.peak_mib:.0f} MiB | {tree} | {len(m.seconds)} |"
            )
    return lines


# --------------------------------------------------------------------------- goals


def _get(results: list[SizeResult], label: str, name: str) -> Measurement | None:
    for r in results:
        if r.label == label and name in r.measurements and r.measurements[name].ok:
            return r.measurements[name]
    return None


def _size(results: list[SizeResult], label: str) -> SizeResult | None:
    return next((r for r in results if r.label == label), None)


def issue_goals(results: list[SizeResult]) -> list[Goal]:
    """The goals of issue 15, "Speed where analysts feel it"."""
    edited = "first query after editing one city file ≤ 1.5× the import floor (shipped data)"
    return [
        _ratio(results, ("shipped", "edited"), ("shipped", "import-floor"), 1.5, "1. " + edited),
        _ratio(results, ("1000", "edited"), ("1000", "import-floor"), 2.0, "1. … and ≤ 2× at N=1,000"),
        _limit(_get(results, "5000", "show"), 0.3, "2. `show PLACE` at N=5,000 ≤ 0.3 s"),
        _ratio(
            results,
            ("5000", "vouchers-table"),
            ("5000", "vouchers-loaded"),
            2.0,
            "3. `vouchers --format table` at N=5,000 ≤ 2× the same rows as JSON (knowledge base cached)",
        ),
        _ratio(results, ("5000", "build"), ("5000", "hugo"), 0.7, "4. `build` at N=5,000 ≤ 0.7× Hugo's wall time"),
        _memory_vs_hugo(results),
        _cache_goal(results),
        _ratio(
            results,
            ("1000", "check"),
            ("1000", "read-floor"),
            None,
            "6. `check` at N=1,000 against the project's own YAML reading (reported)",
        ),
    ]


def standing_goals(results: list[SizeResult]) -> list[Goal]:
    """The benchmark's earlier goals, measured against the floors as now defined."""
    return [
        _ratio(
            results, ("1000", "check"), ("1000", "parse-floor"), 1.5, "`check` at N=1,000 ≤ 1.5× parse floor (PyYAML C)"
        ),
        _ratio(
            results,
            ("shipped", "vouchers-loaded"),
            ("shipped", "import-floor"),
            1.5,
            "query on the shipped data, cold process (knowledge base cached) ≤ 1.5× import floor",
        ),
        _ratio(
            results,
            ("1000", "vouchers-repeated"),
            ("1000", "import-floor"),
            2.0,
            "repeated query at N=1,000 ≤ 2× import floor",
        ),
        _limit(_get(results, "1000", "build"), 15.0, "`build` at N=1,000 under 15 s"),
        _ratio(results, ("5000", "build"), ("1000", "build"), 5.5, "`build` time at 5,000 ≤ 5.5× time at 1,000"),
        _site_goal(results),
        _memory_goal(results),
    ]


def _ratio(
    results: list[SizeResult], top: tuple[str, str], bottom: tuple[str, str], limit: float | None, text: str
) -> Goal:
    a, b = _get(results, *top), _get(results, *bottom)
    if a is None or b is None:
        return Goal(text, "not measured in this run", None)
    ratio = a.median / b.median
    return Goal(text, f"{a.median:.2f} s / {b.median:.2f} s = {ratio:.2f}×", None if limit is None else ratio <= limit)


def _limit(m: Measurement | None, limit: float, text: str) -> Goal:
    if m is None:
        return Goal(text, "not measured in this run", None)
    return Goal(text, f"{m.median:.2f} s", m.median <= limit)


def _memory_vs_hugo(results: list[SizeResult]) -> Goal:
    text = "4. … with peak memory (process tree PSS) under half of Hugo's"
    ours, peer = _get(results, "5000", "build"), _get(results, "5000", "hugo")
    if ours is None or peer is None or not ours.tree_pss_kib or not peer.tree_pss_kib:
        return Goal(text, "not measured in this run", None)
    ratio = ours.tree_pss_kib / peer.tree_pss_kib
    return Goal(text, f"{ours.memory_mib:.0f} MiB / {peer.memory_mib:.0f} MiB = {ratio:.2f}×", ratio < 0.5)


def _cache_goal(results: list[SizeResult]) -> Goal:
    text = "5. one cache entry per knowledge base: the cache does not grow with edits (N=1,000, ≤ 1.25×)"
    r = _size(results, "1000")
    if r is None or not r.cache_before_edits or not r.cache_after_edits or not r.cache_before_edits[1]:
        return Goal(text, "not measured in this run", None)
    ratio = r.cache_after_edits[1] / r.cache_before_edits[1]
    return Goal(text, f"{_cache_change(r)}: {ratio:.2f}×", ratio <= 1.25)


def _site_goal(results: list[SizeResult]) -> Goal:
    text = "site size linear in N (size at 5,000 ≤ 5.5× size at 1,000)"
    small, large = _size(results, "1000"), _size(results, "5000")
    if not small or not large or not small.site_bytes or not large.site_bytes:
        return Goal(text, "not measured in this run", None)
    per = ", ".join(f"N={r.label}: {r.site_bytes / r.places / 1024:.0f} KiB/place" for r in results if r.site_bytes)
    ratio = large.site_bytes / small.site_bytes
    return Goal(text, f"{mib(large.site_bytes)} / {mib(small.site_bytes)} = {ratio:.2f}× ({per})", ratio <= 5.5)


def _memory_goal(results: list[SizeResult]) -> Goal:
    text = "peak memory at N=5,000 under 1 GiB (largest of all commands; `build`: its process tree)"
    big = _size(results, "5000")
    if big is None:
        return Goal(text, "not measured in this run", None)
    peaks = {name: m.memory_mib for name, m in big.measurements.items() if m.ok and name in COMMANDS}
    name = max(peaks, key=lambda k: peaks[k])
    return Goal(text, f"{peaks[name]:.0f} MiB ({HEADINGS[name]})", peaks[name] < 1024)


def goal_lines(found: list[Goal]) -> list[str]:
    lines = ["| goal | measured | result |", "|---|---|---|"]
    for g in found:
        if g.passed is None:
            verdict = "not measured" if g.measured.startswith("not measured") else "reported"
        else:
            verdict = "**PASS**" if g.passed else "**FAIL**"
        lines.append(f"| {g.text} | {g.measured} | {verdict} |")
    return lines


# --------------------------------------------------------------------------- the document


def kept_notes(doc: Path) -> list[str]:
    """The hand-written analysis between the notes markers of the previous report, kept as is."""
    if not doc.exists():
        return [NOTES_START, "_No analysis written yet._", NOTES_END]
    text = doc.read_text(encoding="utf-8")
    start, end = text.find(NOTES_START), text.find(NOTES_END)
    if start < 0 or end < start:
        return [NOTES_START, "_No analysis written yet._", NOTES_END]
    return text[start : end + len(NOTES_END)].splitlines()


METHOD = """\
- Knowledge bases: `bench/generate.py --places N --seed {seed}` (N counts jurisdictions: provinces,
  cities, districts, zones; one file per city or province; see the script's docstring). *shipped*
  is a copy of the project's own data/ and seeds/ (the edits below go to the copy).
- Every figure is a whole process of the installed CLI (`.venv/bin/citypolicy …` with `--kb`), the
  median of {repeat} runs after one warm-up; output goes to a file (so tables are printed as they
  are when piped). Memory is the process's peak RSS (os.wait4), except for `build` and Hugo, which
  run several processes or threads: there it is the peak of the summed PSS of the process tree,
  sampled every 50 ms in one more run that is not timed (bench/measure.py).
- `build`, `export` and *vouchers json, empty cache* run with an empty product cache
  ($CITYPOLICY_CACHE emptied before each run); `build`, like Hugo, into a folder that does not exist
  (replacing a previous site would add its removal). *knowledge base cached* keeps the cached knowledge
  base but drops kept answers: a new question on unchanged data. *vouchers json, repeated* asks the
  same question again, answered from the kept answer. *vouchers json after editing a city file*
  changes the bytes of one city file (a new comment line) before every run, with the knowledge base
  cached before the edit: the first query after an analyst saves a file. `check` never uses the cache.
- Bytecode caching is on for every process (PYTHONPYCACHEPREFIX=bench/out/pycache), as on a normal
  install; the warm-up run writes the .pyc files.
- Floors: *parse (PyYAML C loader)* is the same python loading every data/**/*.yaml with
  `yaml.load(f, Loader=yaml.CSafeLoader)`; *parse (project's reader)* reads the same files with
  `citypolicy.load.yamlread.read_yaml_file`, the reader `check` uses (it keeps line numbers for
  messages); *import (a query's modules)* imports exactly the modules that `vouchers --format json`
  with the knowledge base cached ends up with in `sys.modules`, citypolicy's own left out (their
  number is in the second table).
- Peer: Debian's `hugo` building the same pages from the same YAML files and articles (bench/hugo.py
  says what its project renders and what it leaves out), into an emptied folder before every run.
"""


def report(
    results: list[SizeResult], summaries: list[ProfileSummary], args: argparse.Namespace, session: Session
) -> str:
    command = " ".join(["bench/run.py", *sys.argv[1:]])
    lines = [
        "# Performance",
        "",
        f"Generated by `.venv/bin/python {command}` (the tables are rewritten on every run; the analysis",
        "between the notes markers is kept). Rerun the full benchmark with `.venv/bin/python bench/run.py`",
        "(about 20 minutes), or `--quick` for N=10 and 100 only.",
        "",
        "## Machine",
        "",
        *[f"- **{k}**: {v}" for k, v in [*machine(), *session.lines()]],
        "",
        "## Method",
        "",
        METHOD.format(seed=SEED, repeat=args.repeat).rstrip(),
        "",
        "## Results",
        "",
        "Median wall time · peak memory.",
        "",
        *results_tables(results),
        "",
        "## Goals",
        "",
        "Issue 15, *Speed where analysts feel it*:",
        "",
        *goal_lines(issue_goals(results)),
        "",
        "The benchmark's earlier goals, against the floors as defined above:",
        "",
        *goal_lines(standing_goals(results)),
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

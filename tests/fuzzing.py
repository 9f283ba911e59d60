"""A seeded mutation fuzzer over the shipped knowledge base, run through the real CLI entry point.

Each case copies nothing: it restores the files the previous case changed, mutates one to three
files of data/ or seeds/ (byte flips, deletions, swapped values, scalars turned into lists or maps,
hostile Unicode, huge numbers, long quotes, a FIFO or a link in place of a file), then runs
`citypolicy check` and, when the data is valid, a few commands that read it (queries in every
format, reports, exports, sometimes `build`), with the cache on or off. It counts:

- tracebacks: an exception escaping the CLI's entry point;
- internal errors: "internal error" on stderr (a bug the CLI caught);
- hangs: a command running longer than its time limit (each command runs in a forked child);
- mismatches: `export --format json` answering differently with the cache than without it.

Every case is reproducible on its own from the seed and its number:

    .venv/bin/python tests/fuzzing.py --cases 3000 --seed 1          # the long run (docs/fuzzing.md)
    .venv/bin/python tests/fuzzing.py --seed 1 --case 1234 --verbose  # one case, with every command

It exits 1 when anything was counted. tests/test_fuzz.py runs a bounded number of cases in CI.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import random
import re
import select
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parents[1]
TIME_LIMIT = 60  # seconds per command; the slowest (build) takes a few

HOSTILE_TEXT = [
    "\u202egnp.exe",  # right-to-left override
    "a\u200bb\u200dc\ufeff",  # zero-width characters and a BOM
    "line\u2028separator\u2029paragraph",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://evil","x")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "[/x] [bold]",
    "{{ 7*7 }} {% raw %}",
    "%s%n%x",
    "|a|b|",
    "\x1b[31mred",
    "e\u0301\u0301\u0301\u0301\u0301\u0301",  # stacked combining marks
    "😀🇨🇳👩‍👩‍👧",
    "１０００万元",  # full-width digits
    "深圳\n市",
    "\\",
    "'\"",
    "",
    " ",
    "a" * 5000,
    "深" * 20000,
]
HUGE_NUMBERS = [
    "9" * 30 + "亿元",
    "不少于10000000000000000000项",
    "12345678901234567890123456789家",
    "0." + "0" * 39 + "1%",
    "1e400",
    "1/0",
    "0/0%",
    "-5亿元",
    "九千九百九十九万亿亿元",
    "99999999999999999999999999999999999999999",
    "1" + "0" * 18 + "元",
    "1" + "0" * 19 + "元",
    "100%—" + "9" * 25 + "%",
    "最高" + "9" * 40 + "万亿元",
    "3—2个",
    "1,000,000,000,000,000,000,000元",
    "NaN",
    "inf%",
]
QUANTITY_KEYS = {"rate", "value", "stretch", "amount", "benefit", "benefit_before", "over"}


# --------------------------------------------------------------------------- mutations


def _leaves(node: object, path: tuple = ()) -> Iterator[tuple[tuple, object]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, (*path, index))
    else:
        yield path, node


def _set(node: object, path: tuple, value: object) -> None:
    for part in path[:-1]:
        node = node[part]  # type: ignore[index]
    node[path[-1]] = value  # type: ignore[index]


def _structured(raw: bytes, rng: random.Random, change: Callable[[object, random.Random], None]) -> bytes:
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError):
        return _byte_flips(raw, rng)
    if not isinstance(data, dict | list):
        return _byte_flips(raw, rng)
    change(data, rng)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6).encode("utf-8")


def _byte_flips(raw: bytes, rng: random.Random) -> bytes:
    out = bytearray(raw or b"\0")
    for _ in range(rng.randint(1, 8)):
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def _deletion(raw: bytes, rng: random.Random) -> bytes:
    if rng.random() < 0.5:
        lines = raw.split(b"\n")
        del lines[rng.randrange(len(lines))]
        return b"\n".join(lines)
    start = rng.randrange(len(raw) or 1)
    return raw[:start] + raw[start + rng.randint(1, 200) :]


def _duplicate_line(raw: bytes, rng: random.Random) -> bytes:
    lines = raw.split(b"\n")
    index = rng.randrange(len(lines))
    lines.insert(index, lines[index])
    return b"\n".join(lines)


def _swap_values(data: object, rng: random.Random) -> None:
    """Two values swapped: of the same key (two names, two rates) half of the time, else any two."""
    leaves = [leaf for leaf in _leaves(data) if leaf[0]]
    if rng.random() < 0.5 and leaves:
        key = rng.choice(leaves)[0][-1]
        leaves = [leaf for leaf in leaves if leaf[0][-1] == key] if isinstance(key, str) else leaves
    if len(leaves) >= 2:
        (a, x), (b, y) = rng.sample(leaves, 2)
        _set(data, a, y)
        _set(data, b, x)


def _wrap_scalar(data: object, rng: random.Random) -> None:
    leaves = [leaf for leaf in _leaves(data) if leaf[0]]
    if leaves:
        path, value = rng.choice(leaves)
        _set(data, path, rng.choice([[value], {"value": value}, {str(value): value}, [], {}, None]))


FREE_TEXT = {"zh", "en", "note", "date_basis", "reason"}


def _is_free_text(path: tuple) -> bool:
    return path[-1] in FREE_TEXT or (len(path) > 1 and path[-2] in {"aliases", "short_names"})


def _hostile_unicode(data: object, rng: random.Random) -> None:
    """Hostile text, mostly where free text is allowed (names, notes, aliases), so that it gets
    through `check` and into every output."""
    leaves = [leaf for leaf in _leaves(data) if leaf[0] and isinstance(leaf[1], str)]
    if rng.random() < 0.8:
        leaves = [leaf for leaf in leaves if _is_free_text(leaf[0])] or leaves
    for path, value in rng.sample(leaves, min(len(leaves), rng.randint(1, 3))):
        hostile = rng.choice(HOSTILE_TEXT)
        _set(data, path, rng.choice([hostile, value + hostile, hostile + value]))


def _quantity_leaves(data: object) -> list[tuple[tuple, object]]:
    return [
        leaf for leaf in _leaves(data) if leaf[0] and any(isinstance(p, str) and p in QUANTITY_KEYS for p in leaf[0])
    ]


def _huge_number(data: object, rng: random.Random) -> None:
    leaves = _quantity_leaves(data) or [leaf for leaf in _leaves(data) if leaf[0]]
    if leaves:
        path, _ = rng.choice(leaves)
        _set(data, path, rng.choice(HUGE_NUMBERS))


def _other_number(data: object, rng: random.Random) -> None:
    """A quantity's digits replaced by others: still a valid quantity, now a number no quote states."""
    leaves = [leaf for leaf in _quantity_leaves(data) if isinstance(leaf[1], str) and re.search(r"\d", leaf[1])]
    if leaves:
        path, value = rng.choice(leaves)
        digits = lambda _: str(rng.choice([0, 1, 7, 99, 100, 12345, 10**12, rng.randrange(10**6)]))  # noqa: E731
        _set(data, path, re.sub(r"\d+(?:\.\d+)?", digits, str(value), count=1))


def _long_quote(data: object, rng: random.Random) -> None:
    quotes = [leaf for leaf in _leaves(data) if leaf[0] and leaf[0][-1] == "quote"]
    if not quotes:
        return
    path, value = rng.choice(quotes)
    article = rng.choice(sorted((PROJECT / "seeds").glob("*.txt"))).read_text(encoding="utf-8")
    start = rng.randrange(len(article))
    passage = article[start : start + rng.choice([30, 200, 999, 1000, 1001, 5000])]
    options = [
        str(value) * rng.randint(2, 50),
        passage,
        passage[: len(passage) // 2] + "犇" + passage[len(passage) // 2 + 1 :],  # near miss: closest passage
        article,
        "算" * rng.choice([999, 1000, 1001, 10_000, 200_000]),
    ]
    _set(data, path, rng.choice(options))


def _rename_key(data: object, rng: random.Random) -> None:
    maps = [node for node in _nodes(data) if isinstance(node, dict) and node]
    if maps:
        node = rng.choice(maps)
        key = rng.choice(list(node))
        node[rng.choice([key + "_", key.upper(), "new\nline", "id", "", "🙂", key[:-1] or "x"])] = node.pop(key)


def _nodes(node: object) -> Iterator[object]:
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _nodes(value)


BYTE_MUTATIONS: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "byte flips": _byte_flips,
    "deletion": _deletion,
    "duplicated line": _duplicate_line,
    "truncation": lambda raw, rng: raw[: rng.randrange(len(raw) or 1)],
    "not UTF-8": lambda raw, rng: raw.replace("市".encode(), b"\xe5\xb8", 1) if rng.random() < 0.5 else b"\xff" + raw,
}
STRUCTURED_MUTATIONS: dict[str, Callable[[object, random.Random], None]] = {
    "swapped values": _swap_values,
    "scalar into list or map": _wrap_scalar,
    "hostile unicode": _hostile_unicode,
    "huge number": _huge_number,
    "other number": _other_number,
    "long quote": _long_quote,
    "renamed key": _rename_key,
}
FILE_KINDS = ["FIFO", "link outside", "folder", "empty"]


def mutate(root: Path, rng: random.Random) -> tuple[list[str], list[str]]:
    """Mutate one to three files under `root`; return (relative paths touched, mutation names)."""
    data_files = sorted(p.relative_to(root).as_posix() for p in (root / "data").rglob("*.yaml"))
    seeds = sorted(p.relative_to(root).as_posix() for p in (root / "seeds").glob("*.txt"))
    touched, names = [], []
    for _ in range(rng.choice([1, 1, 1, 1, 2, 3])):
        relative = rng.choice(data_files if rng.random() < 0.9 else seeds)
        path = root / relative
        roll = rng.random()
        if roll < 0.03:
            kind = rng.choice(FILE_KINDS)
            _replace_file(path, kind, root)
            names.append(f"{kind} at {relative}")
        else:
            raw = path.read_bytes() if path.is_file() and not path.is_symlink() else b""
            if roll < 0.25 or relative.startswith("seeds/"):
                name, change = rng.choice(sorted(BYTE_MUTATIONS.items()))
                raw = change(raw, rng)
            else:
                name, structured = rng.choice(sorted(STRUCTURED_MUTATIONS.items()))
                raw = _structured(raw, rng, structured)
            _remove(path)
            path.write_bytes(raw)
            names.append(f"{name} in {relative}")
        touched.append(relative)
    return touched, names


def _replace_file(path: Path, kind: str, root: Path) -> None:
    _remove(path)
    if kind == "FIFO":
        os.mkfifo(path)
    elif kind == "link outside":
        path.symlink_to(root.parent / "outside.txt")
    elif kind == "folder":
        path.mkdir()
    else:
        path.write_bytes(b"")


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


# --------------------------------------------------------------------------- running the CLI in-process


@dataclass
class Outcome:
    command: list[str]
    code: int | None
    stdout: str
    stderr: str
    traceback: str = ""
    hang: bool = False


def run(root: Path, command: list[str], cache: str) -> Outcome:
    """`citypolicy COMMAND --kb ROOT` through cli.main(), as a user runs it, in a forked child that
    is killed after TIME_LIMIT seconds (a signal cannot interrupt a search running in C)."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run, send the outcome, leave without running any exit handler
        os.close(reader)
        try:
            payload = json.dumps(asdict(run_here(root, command, cache))).encode()
            with os.fdopen(writer, "wb") as pipe:
                pipe.write(payload)
        finally:
            os._exit(0)
    os.close(writer)
    received = _receive(reader, time.monotonic() + TIME_LIMIT)
    if received is None:
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    if received is None:
        return Outcome(command, None, "", "", hang=True)
    if not received:
        return Outcome(command, None, "", "", traceback="the child died without an outcome")
    return Outcome(**json.loads(received))


def _receive(handle: int, deadline: float) -> bytes | None:
    """Everything the child sends, or None when it is still running at the deadline."""
    chunks = []
    with os.fdopen(handle, "rb", buffering=0) as pipe:
        while True:
            ready, _, _ = select.select([pipe], [], [], max(deadline - time.monotonic(), 0))
            if not ready:
                return None
            chunk = pipe.read(1 << 20)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


def run_here(root: Path, command: list[str], cache: str) -> Outcome:
    """Run the command in this process, its output captured."""
    import traceback

    from citypolicy.cli import main

    out, err = io.StringIO(), io.StringIO()
    argv, stdout, stderr = sys.argv, sys.stdout, sys.stderr
    os.environ["CITYPOLICY_CACHE"] = cache
    sys.argv = ["citypolicy", *command, "--kb", str(root)]
    sys.stdout, sys.stderr = out, err
    outcome = Outcome(command, None, "", "")
    try:
        main()
        outcome.code = 0
    except SystemExit as done:
        outcome.code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except BaseException:  # noqa: BLE001 - a traceback is what this harness looks for
        outcome.traceback = traceback.format_exc()
    finally:
        sys.argv, sys.stdout, sys.stderr = argv, stdout, stderr
    outcome.stdout, outcome.stderr = out.getvalue(), err.getvalue()
    return outcome


def warm_up(work: Path) -> None:
    """Import and build in this process what every child would otherwise build again (the models'
    validators, the quantity grammar, the templates), on the unchanged knowledge base."""
    for command in (["check"], ["report", "city", "shenzhen", "--format", "html"], ["vouchers"]):
        run_here(work / "kb", command, "0")
    gc.unfreeze()


def queries(rng: random.Random, places: list[str], out: Path) -> list[list[str]]:
    """A few commands that read a valid knowledge base, chosen at random."""
    fmt = lambda: rng.choice(["table", "json", "csv", "markdown"])  # noqa: E731
    place = rng.choice(places) if places else "shenzhen"
    other = rng.choice(places) if places else "beijing"
    pool = [
        ["vouchers", "--format", fmt(), "--kind", rng.choice(["compute", "all", "training"])],
        ["subsidy", "--spend", rng.choice(["1200万", "1.2亿", "12M", "1"]), "--format", fmt()],
        ["subsidy", "--spend", "500万", "--startup", "--format", fmt()],
        ["targets", "--format", fmt(), "--due-by", rng.choice(["2025", "2027", "2030"])],
        ["indicators", "--format", fmt()],
        ["show", place, "--format", fmt()],
        ["compare", place, other, "--format", fmt()],
        ["search", rng.choice(["训练券", "Shenzen", "算力", place, "sz"]), "--format", fmt()],
        ["query", rng.choice(["各城市算力券比例", "compute vouchers by city", f"targets of {place}"])],
        ["report", "city", place, "--format", rng.choice(["markdown", "html"])],
        ["report", "compare", place, other, "--format", rng.choice(["markdown", "html"])],
        ["report", rng.choice(["vouchers", "targets"]), "--format", rng.choice(["markdown", "html"])],
        ["export", "--format", rng.choice(["json", "csv"])],
        ["export", "--format", "sqlite", "-o", str(out / "kb.sqlite")],
        ["coverage", "--format", rng.choice(["table", "json"])],
        ["extract", str(PROJECT / "seeds" / "001_7673d027fa37600e.txt"), "--format", rng.choice(["text", "json"])],
    ]
    chosen = rng.sample(pool, 3)
    if rng.random() < 0.06:
        chosen.append(["build", "--out", str(out / "site")])
    return chosen


# --------------------------------------------------------------------------- the campaign


@dataclass
class Tally:
    cases: int = 0
    valid: int = 0
    commands: int = 0
    exits: Counter = field(default_factory=Counter)
    mutations: Counter = field(default_factory=Counter)
    valid_after: Counter = field(default_factory=Counter)  # mutation -> cases it left valid
    failures: list[str] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)  # traceback, internal error, hang, mismatch

    def record(self, case: int, outcome: Outcome) -> None:
        self.commands += 1
        self.exits[outcome.code] += 1
        kind = ""
        if outcome.hang:
            kind = "hang"
        elif outcome.traceback or "Traceback (most recent call last)" in outcome.stderr:
            kind = "traceback"
        elif "internal error" in outcome.stderr:
            kind = "internal error"
        if kind:
            self.counts[kind] += 1
            detail = (outcome.traceback or outcome.stderr).strip().splitlines()[-1:] or [""]
            self.failures.append(f"case {case}: {kind} in `{' '.join(outcome.command)}`: {detail[0][:300]}")


def place_ids(root: Path) -> list[str]:
    ids = []
    for path in sorted((root / "data" / "cities").glob("*.yaml")):
        ids.append(path.stem)
    return ids or ["shenzhen"]


def damage_cache(folder: Path, rng: random.Random) -> str:
    """Flip, truncate or replace a file of the cache (an entry, an answer or the secret)."""
    files = sorted(folder.iterdir()) if folder.is_dir() else []
    if not files:
        return "damaged cache (empty)"
    path = rng.choice(files)
    how = rng.choice(["flip", "truncate", "garbage", "FIFO"])
    raw = path.read_bytes() if path.is_file() else b""
    _remove(path)
    if how == "FIFO":
        os.mkfifo(path)
    else:
        damaged = {"flip": _byte_flips(raw, rng), "truncate": raw[: rng.randrange(len(raw) or 1)]}
        path.write_bytes(damaged.get(how, os.urandom(9)))
    return f"damaged cache ({how}) at {path.name[:12]}"


def run_case(work: Path, seed: int, case: int, tally: Tally, verbose: bool = False) -> None:
    rng = random.Random(f"{seed}:{case}")
    kb, out = work / "kb", work / "out"
    touched, names = mutate(kb, rng)
    tally.cases += 1
    cache = str(work / "cache") if rng.random() < 0.7 else "0"
    if cache != "0" and rng.random() < 0.15:
        names.append(damage_cache(work / "cache", rng))
    tally.mutations.update(name.split(" in ")[0].split(" at ")[0] for name in names)
    checked = run(kb, ["check"], cache)
    tally.record(case, checked)
    if verbose:
        _show(case, names, checked)
    commands = queries(rng, place_ids(kb), out) if checked.code == 0 else [["vouchers", "--format", "json"]]
    tally.valid += checked.code == 0
    if checked.code == 0:
        tally.valid_after.update(name.split(" in ")[0].split(" at ")[0] for name in names)
    for command in commands:
        outcome = run(kb, command, cache)
        tally.record(case, outcome)
        if verbose:
            _show(case, names, outcome)
    if checked.code == 0 and cache != "0" and rng.random() < 0.5:
        cached, fresh = run(kb, ["export", "--format", "json"], cache), run(kb, ["export", "--format", "json"], "0")
        tally.record(case, cached)
        tally.record(case, fresh)
        if (cached.code, cached.stdout) != (fresh.code, fresh.stdout):
            tally.counts["mismatch"] += 1
            tally.failures.append(f"case {case}: the cache answered export --format json differently")
    _restore(work, touched)


def _show(case: int, names: list[str], outcome: Outcome) -> None:
    print(f"case {case} [{'; '.join(names)}] {' '.join(outcome.command)} -> {outcome.code}")
    for line in (outcome.traceback or outcome.stderr).splitlines()[:5]:
        print("    " + line[:200])


def _restore(work: Path, touched: list[str]) -> None:
    for relative in touched:
        _remove(work / "kb" / relative)
        shutil.copyfile(PROJECT / relative, work / "kb" / relative)
    shutil.rmtree(work / "out", ignore_errors=True)
    (work / "out").mkdir()


def prepare(work: Path) -> None:
    (work / "kb").mkdir(parents=True)
    shutil.copytree(PROJECT / "data", work / "kb" / "data")
    shutil.copytree(PROJECT / "seeds", work / "kb" / "seeds")
    (work / "out").mkdir()
    (work / "outside.txt").write_text("a file outside the knowledge base\n", encoding="utf-8")


def campaign(seed: int, cases: range, verbose: bool = False, progress: bool = False) -> Tally:
    os.environ.pop("CITYPOLICY_DEBUG", None)
    os.environ.pop("CITYPOLICY_KB", None)
    tally = Tally()
    with tempfile.TemporaryDirectory(prefix="citypolicy-fuzz-") as folder:
        work = Path(folder)
        prepare(work)
        warm_up(work)
        started = time.monotonic()
        for case in cases:
            run_case(work, seed, case, tally, verbose)
            if progress and tally.cases % 100 == 0:
                elapsed = time.monotonic() - started
                print(
                    f"{tally.cases} cases, {tally.valid} valid, {len(tally.failures)} failures, {elapsed:.0f} s",
                    flush=True,
                )
    return tally


def report(tally: Tally, seconds: float) -> str:
    lines = [
        f"cases: {tally.cases} ({tally.valid} left the data valid), commands run: {tally.commands}, "
        f"time: {seconds:.0f} s",
        "mutations (cases, of which valid): "
        + ", ".join(f"{name} {count} ({tally.valid_after[name]})" for name, count in sorted(tally.mutations.items())),
        "exit codes: " + ", ".join(f"{code}: {count}" for code, count in sorted(tally.exits.items(), key=str)),
        f"tracebacks: {tally.counts['traceback']}, internal errors: {tally.counts['internal error']}, "
        f"hangs: {tally.counts['hang']}, cache mismatches: {tally.counts['mismatch']}",
        *tally.failures[:50],
    ]
    return "\n".join(lines)


def _set_time_limit(seconds: int) -> None:
    global TIME_LIMIT
    TIME_LIMIT = seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cases", type=int, default=100, help="run cases 0 … N-1")
    parser.add_argument("--start", type=int, default=0, help="first case number")
    parser.add_argument("--case", type=int, help="run only this case")
    parser.add_argument("--verbose", action="store_true", help="print every command and its first lines")
    parser.add_argument("--time-limit", type=int, default=TIME_LIMIT, help="seconds a command may run")
    options = parser.parse_args()
    _set_time_limit(options.time_limit)
    cases = (
        range(options.case, options.case + 1)
        if options.case is not None
        else range(options.start, options.start + options.cases)
    )
    started = time.monotonic()
    tally = campaign(options.seed, cases, options.verbose, progress=not options.verbose)
    print(report(tally, time.monotonic() - started))
    return 1 if tally.failures else 0


if __name__ == "__main__":
    sys.exit(main())

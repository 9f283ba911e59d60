#!/usr/bin/env python3
"""Mutation testing of one module: change one thing at a time, run the fast tests, count survivors.

    .venv/bin/python scripts/mutation.py src/citypolicy/core/quantity.py \
        --tests tests/test_quantity.py tests/test_quantity_format.py tests/test_dates.py

Each mutant is the module with one change (see MUTATIONS below), written into a private copy of
src/ that is put first on PYTHONPATH; the tests run against it with Hypothesis derandomised
(HYPOTHESIS_PROFILE=ci). A mutant is *killed* when the tests fail (or time out, or the module no
longer imports), *survived* when they pass. Survivors that cannot change behaviour are listed, one
key a line with the reason after `#`, in the file given by --equivalent (docs/mutation-equivalents.txt
by default); the score is killed / (all - equivalent survivors).

Why not mutmut: mutmut 3 mutates only function bodies (through trampolines), and most of a grammar
is module-level tables: qualifier words, unit words and multipliers, magnitudes, the regex. This
script mutates those too: an alternation such as "最高|最多|至多" loses one word per mutant, a
string of counters loses one character per mutant, a dictionary loses one entry per mutant, an
enum member is swapped for its neighbour (Unit.HOURS -> Unit.MINUTES), numbers move by one,
numeric strings (Decimal("0.001")) by a factor of ten, and operators flip (< <=, + -, * /, and or,
in / not in, not dropped).
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
DEFAULT_EQUIVALENTS = PROJECT / "docs" / "mutation-equivalents.txt"

COMPARE_SWAPS = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
BINOP_SWAPS = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Mult,
    ast.Pow: ast.Mult,
    ast.Mod: ast.Mult,
    ast.BitOr: ast.BitAnd,
}
#: Module-level names whose values are prose for people, not grammar (see docs/testing.md).
SKIPPED_NAMES = {"UNIT_DESCRIPTIONS"}


@dataclass
class Mutant:
    key: str  # stable across edits elsewhere in the file: scope | change | occurrence
    line: int
    source: str  # the whole mutated module


def _scope_names(tree: ast.Module) -> dict[ast.AST, str]:
    """Each node's enclosing function, class or module-level assignment, for stable keys."""
    scopes: dict[ast.AST, str] = {}

    def visit(node: ast.AST, scope: str) -> None:
        for child in ast.iter_child_nodes(node):
            name = scope
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{scope}.{child.name}" if scope != "<module>" else child.name
            elif isinstance(child, ast.Assign | ast.AnnAssign) and scope == "<module>":
                target = child.targets[0] if isinstance(child, ast.Assign) else child.target
                name = ast.unparse(target)
            scopes[child] = name
            visit(child, name)

    visit(tree, "<module>")
    return scopes


def _skipped(tree: ast.Module) -> set[int]:
    """ids of nodes never mutated: docstrings, annotations, imports, decorators, skipped names."""
    skip: set[int] = set()

    def mark(node: ast.AST | None) -> None:
        if node is not None:
            skip.update(id(n) for n in ast.walk(node))

    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            mark(first)
        if isinstance(node, ast.Import | ast.ImportFrom):
            mark(node)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            mark(node.returns)
            for arg in [*node.args.args, *node.args.kwonlyargs, *node.args.posonlyargs]:
                mark(arg.annotation)
            for decorator in node.decorator_list:
                mark(decorator)  # lru_cache sizes: a cache size never changes a result
        if isinstance(node, ast.ClassDef):
            for decorator in node.decorator_list:
                mark(decorator)
        if isinstance(node, ast.AnnAssign):
            mark(node.annotation)
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id in SKIPPED_NAMES for t in targets):
                mark(node)
    return skip


def _enum_members(tree: ast.Module) -> dict[str, list[str]]:
    members: dict[str, list[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and any(ast.unparse(b).endswith("Enum") for b in node.bases):
            assigned = [t for stmt in node.body if isinstance(stmt, ast.Assign) for t in stmt.targets]
            members[node.name] = [t.id for t in assigned if isinstance(t, ast.Name)]
    return members


def _string_variants(text: str) -> Iterator[tuple[str, str]]:
    """(description, mutated text) for a string constant."""
    if "|" in text and not text.startswith(("(", "\n")):
        words = text.split("|")
        for n, word in enumerate(words):
            yield f"drop alternative {word!r}", "|".join(words[:n] + words[n + 1 :])
        return
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is not None and text.strip():
        yield f"{text!r} -> x10", str(number * 10)
        return
    if text and len(text) <= 40 and not text.isascii():
        for n, char in enumerate(text):
            if not char.isspace():
                yield f"drop character {char!r} of {text!r}", text[:n] + text[n + 1 :]
        return
    if text:
        yield f"{text[:30]!r} -> 'XX…'", "XX" + text


def _variants(node: ast.AST, enums: dict[str, list[str]]) -> Iterator[tuple[str, ast.AST]]:
    """(description, replacement node) for each way to mutate `node`."""
    if isinstance(node, ast.Compare):
        for n, op in enumerate(node.ops):
            if type(op) in COMPARE_SWAPS:
                new = copy.deepcopy(node)
                new.ops[n] = COMPARE_SWAPS[type(op)]()
                yield f"{type(op).__name__} -> {COMPARE_SWAPS[type(op)].__name__}", new
    elif isinstance(node, ast.BinOp) and type(node.op) in BINOP_SWAPS:
        new = copy.deepcopy(node)
        new.op = BINOP_SWAPS[type(node.op)]()
        yield f"{type(node.op).__name__} -> {type(new.op).__name__}", new
    elif isinstance(node, ast.BoolOp):
        new = copy.deepcopy(node)
        new.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        yield f"{type(node.op).__name__} -> {type(new.op).__name__}", new
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield "drop not", copy.deepcopy(node.operand)
    elif isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            yield f"{value} -> {not value}", ast.Constant(not value)
        elif isinstance(value, int):
            yield f"{value} -> {value + 1}", ast.Constant(value + 1)
            if value not in (0, 1):
                yield f"{value} -> {value - 1}", ast.Constant(value - 1)
        elif isinstance(value, str):
            for description, text in _string_variants(value):
                yield description, ast.Constant(text)
    elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in enums:
        members = enums[node.value.id]
        if node.attr in members and len(members) > 1:
            other = members[(members.index(node.attr) + 1) % len(members)]
            yield (
                f"{node.value.id}.{node.attr} -> {node.value.id}.{other}",
                ast.Attribute(ast.Name(node.value.id, ast.Load()), other, ast.Load()),
            )
    elif isinstance(node, ast.Dict) and len(node.keys) > 1 and all(k is not None for k in node.keys):
        for n, key in enumerate(node.keys):
            new = copy.deepcopy(node)
            del new.keys[n], new.values[n]
            yield f"drop entry {ast.unparse(key)}", new


def mutants(path: Path) -> list[Mutant]:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    scopes, skip, enums = _scope_names(tree), _skipped(tree), _enum_members(tree)
    enum_bodies = {id(n) for c in tree.body if isinstance(c, ast.ClassDef) and c.name in enums for n in ast.walk(c)}
    found: list[Mutant] = []
    seen: dict[str, int] = {}
    for parent in ast.walk(tree):
        for field, old in ast.iter_fields(parent):
            children = old if isinstance(old, list) else [old]
            for index, child in enumerate(children):
                if not isinstance(child, ast.AST) or id(child) in skip or id(child) in enum_bodies:
                    continue
                for description, replacement in _variants(child, enums):
                    if ast.dump(replacement) == ast.dump(child):
                        continue  # no change (0 x 10): not a mutant
                    if isinstance(old, list):
                        old[index] = replacement
                    else:
                        setattr(parent, field, replacement)
                    try:
                        mutated = ast.unparse(ast.fix_missing_locations(tree))
                    finally:
                        if isinstance(old, list):
                            old[index] = child
                        else:
                            setattr(parent, field, child)
                    base = f"{scopes.get(child, '<module>')} | {description}"
                    seen[base] = seen.get(base, 0) + 1
                    key = base if seen[base] == 1 else f"{base} | #{seen[base]}"
                    found.append(Mutant(key, getattr(child, "lineno", 0), mutated))
    return found


# --------------------------------------------------------------------------- running


def _run_tests(src: Path, tests: list[str], timeout: float) -> tuple[bool, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CITYPOLICY_")}
    env.update(PYTHONPATH=str(src), HYPOTHESIS_PROFILE="ci", PYTHONDONTWRITEBYTECODE="1")
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    started = time.monotonic()
    try:
        done = subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return False, time.monotonic() - started  # a mutant that hangs is caught (killed)
    return done.returncode == 0, time.monotonic() - started


def _workspace(target: Path) -> tuple[Path, Path]:
    root = Path(tempfile.mkdtemp(prefix="citypolicy-mutation-"))
    shutil.copytree(PROJECT / "src", root / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    return root, root / target.resolve().relative_to(PROJECT)


def _equivalents(path: Path) -> dict[str, str]:
    known: dict[str, str] = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                key, _, reason = line.partition("  # ")
                known[key.strip()] = reason.strip()
    return known


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("module", type=Path, help="the file to mutate, e.g. src/citypolicy/core/quantity.py")
    parser.add_argument("--tests", nargs="+", required=True, help="test files or node ids to run per mutant")
    parser.add_argument("--equivalent", type=Path, default=DEFAULT_EQUIVALENTS, help="known equivalent mutants")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--only", help="run only mutants whose key contains this text")
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    args = parser.parse_args()

    found = mutants(args.module)
    if args.only:
        found = [m for m in found if args.only in m.key]
    if args.list:
        for mutant in found:
            print(f"{mutant.line:>4} {mutant.key}")
        print(f"{len(found)} mutants")
        return 0

    ok, baseline = _run_tests(PROJECT / "src", args.tests, timeout=600)
    if not ok:
        print("the tests fail on the unmutated code: fix them first", file=sys.stderr)
        return 2
    timeout = max(10 * baseline, 30.0)

    def run(mutant: Mutant) -> tuple[Mutant, bool]:
        root, module = _workspace(args.module)
        try:
            module.write_text(mutant.source, encoding="utf-8")
            survived, _ = _run_tests(root / "src", args.tests, timeout)
            return mutant, survived
        finally:
            shutil.rmtree(root, ignore_errors=True)

    started = time.monotonic()
    results: list[tuple[Mutant, bool]] = []
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for mutant, survived in pool.map(run, found):
            results.append((mutant, survived))
            verdict = "survived" if survived else "killed"
            print(f"[{len(results)}/{len(found)}] {verdict:<8} line {mutant.line}: {mutant.key}", flush=True)
    known = _equivalents(args.equivalent)
    survivors = [m for m, survived in results if survived]
    equivalent = [m for m in survivors if m.key in known]
    unexplained = [m for m in survivors if m.key not in known]
    killed = len(results) - len(survivors)
    scored = len(results) - len(equivalent)
    for mutant in unexplained:
        print(f"SURVIVED line {mutant.line}: {mutant.key}")
    for mutant in equivalent:
        print(f"equivalent line {mutant.line}: {mutant.key}  # {known[mutant.key]}")
    # The list serves every module: only keys of this module's mutants can be stale here.
    made = {m.key for m, _ in results}
    stale = [] if args.only else sorted((set(known) & made) - {m.key for m in survivors})
    for key in stale:
        print(f"listed as equivalent but killed or gone: {key}")
    score = killed / scored if scored else 1.0
    print(
        f"{args.module}: {len(results)} mutants, {killed} killed, {len(equivalent)} equivalent, "
        f"{len(unexplained)} survived; score {killed}/{scored} = {score:.1%} "
        f"({time.monotonic() - started:.0f} s, baseline {baseline:.1f} s a run)"
    )
    return 0 if not unexplained else 1


if __name__ == "__main__":
    sys.exit(main())

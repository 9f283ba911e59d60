"""The benchmark's synthetic knowledge bases (bench/generate.py): valid, deterministic, the right size.

Small sizes only (N=10 and N=30), run through the real CLI as subprocesses; no timing here (the
timings are bench/run.py's job). N counts jurisdictions, as bench/generate.py documents.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import cli_env

PROJECT = Path(__file__).resolve().parents[1]
GENERATOR = PROJECT / "bench" / "generate.py"
SIZES = (10, 30)


def _run(args: list[str], tmp: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=tmp,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=cli_env(),  # a clean environment and the test's own cache folder
        timeout=300,
    )


def _generate(places: int, seed: int, out: Path) -> Path:
    done = _run([str(GENERATOR), "--places", str(places), "--seed", str(seed), "--out", str(out)], out.parent)
    assert done.returncode == 0, done.stderr
    return out


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """One knowledge base per size, seed 1."""
    root = tmp_path_factory.mktemp("bench-kb")
    return {n: _generate(n, 1, root / f"kb-{n}") for n in SIZES}


@pytest.mark.parametrize("places", SIZES)
def test_generated_kb_passes_check(generated: dict[int, Path], places: int) -> None:
    kb = generated[places]
    done = _run(["-m", "citypolicy", "check", "--kb", str(kb)], kb.parent)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith(f"ok: {places} jurisdictions")


@pytest.mark.parametrize("places", SIZES)
def test_generated_kb_has_the_requested_number_of_places(generated: dict[int, Path], places: int) -> None:
    kb = generated[places]
    done = _run(["-m", "citypolicy", "export", "--format", "json", "--kb", str(kb)], kb.parent)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    jurisdictions = document["jurisdictions"]
    assert len(jurisdictions) == places
    levels = {j["level"] for j in jurisdictions}
    assert {"province", "city", "district"} <= levels
    kinds = {i["kind"] for i in document["instruments"]}
    assert "compute_voucher" in kinds
    assert any(i["tiers"] and i["cap"] and i["pool"] for i in document["instruments"])
    assert any(t["value"] and t["stretch"] for t in document["targets"])


def test_place_files_one_per_city_and_province(generated: dict[int, Path]) -> None:
    kb = generated[30]
    cities = sorted(p.stem for p in (kb / "data" / "cities").glob("*.yaml"))
    provinces = sorted(p.stem for p in (kb / "data" / "provinces").glob("*.yaml"))
    assert len(cities) >= 3 and len(provinces) >= 1
    assert len(list((kb / "seeds").glob("*.txt"))) >= len(cities) + len(provinces)


def test_same_seed_gives_identical_files(generated: dict[int, Path], tmp_path: Path) -> None:
    again = _generate(30, 1, tmp_path / "again")
    assert _files(again) == _files(generated[30])


def test_different_seed_differs(generated: dict[int, Path], tmp_path: Path) -> None:
    other = _generate(30, 2, tmp_path / "other")
    assert _files(other) != _files(generated[30])


def test_refuses_to_overwrite_a_folder_it_did_not_make(tmp_path: Path) -> None:
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me", encoding="utf-8")
    done = _run([str(GENERATOR), "--places", "10", "--out", str(foreign)], tmp_path)
    assert done.returncode != 0
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "keep me"

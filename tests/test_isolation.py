"""The suite is isolated from the machine it runs on, and code tests from the shipped data.

- A CLI run under test never sees the caller's CITYPOLICY_* settings or locale, and writes its
  cache into the test's own folder, never ~/.cache/citypolicy.
- Hypothesis keeps its files outside the checkout; screenshots go to a temporary folder.
- Breaking every shipped place file fails data tests only: the code tests pass on such a copy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ARTIFACTS_SETTING
from helpers import FIXTURE_KB, LOCALE, PROJECT, RUN, citypolicy, cli_env


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


# --------------------------------------------------------------------------- environment and cache


def test_cli_environment_drops_the_callers_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITYPOLICY_KB", "/nowhere")
    monkeypatch.setenv("CITYPOLICY_DEBUG", "1")
    monkeypatch.setenv("CITYPOLICY_CACHE", "/read-only")
    monkeypatch.setenv("LC_ALL", "tr_TR.ISO-8859-9")
    monkeypatch.setenv("LANG", "tr_TR.ISO-8859-9")
    monkeypatch.setenv("LC_CTYPE", "tr_TR.ISO-8859-9")
    env = cli_env()
    assert {k: v for k, v in env.items() if k.startswith("CITYPOLICY_")} == {"CITYPOLICY_CACHE": str(RUN.cache)}
    assert env["LC_ALL"] == LOCALE == "C.UTF-8"
    assert "LANG" not in env and "LC_CTYPE" not in env
    assert env["PYTHONIOENCODING"] == "utf-8"


def test_a_cli_run_ignores_the_callers_settings_and_caches_in_the_tests_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    broken = tmp_path / "broken-kb"
    (broken / "data").mkdir(parents=True)
    (broken / "seeds").mkdir()
    (broken / "data" / "sources.yaml").write_text("sources: [", encoding="utf-8")
    not_a_folder = tmp_path / "cache-file"
    not_a_folder.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("CITYPOLICY_KB", str(broken))  # would be read if --kb were missing
    monkeypatch.setenv("CITYPOLICY_CACHE", str(not_a_folder))
    monkeypatch.setenv("CITYPOLICY_DEBUG", "1")
    monkeypatch.setenv("LC_ALL", "C")
    assert list(RUN.cache.iterdir()) == []
    done = citypolicy("vouchers", "--format", "json", kb=FIXTURE_KB, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "xinghai-compute-voucher" in done.stdout
    assert any(RUN.cache.iterdir())  # the cache of this run is in this test's folder
    assert not_a_folder.read_text(encoding="utf-8") == "not a folder"


def test_each_test_has_a_cache_folder_of_its_own(tmp_path_factory: pytest.TempPathFactory) -> None:
    assert RUN.cache is not None and RUN.cache.is_dir()
    assert _inside(RUN.cache, tmp_path_factory.getbasetemp())
    assert list(RUN.cache.iterdir()) == []  # nothing left by another test
    assert Path(os.environ["CITYPOLICY_CACHE"]) != RUN.cache  # in-process code has the session's
    assert not _inside(RUN.cache, PROJECT)


def test_in_process_code_sees_no_inherited_setting() -> None:
    assert sorted(k for k in os.environ if k.startswith("CITYPOLICY_")) == ["CITYPOLICY_CACHE"]
    session = Path(os.environ["CITYPOLICY_CACHE"])
    assert session.name.startswith("citypolicy-session-cache-") and not _inside(session, PROJECT)
    assert not _inside(session, Path.home() / ".cache" / "citypolicy")


# --------------------------------------------------------------------------- code tests and shipped data


def test_a_code_test_may_not_run_the_cli_on_the_shipped_data(tmp_path: Path) -> None:
    assert RUN.shipped_data_allowed is False
    with pytest.raises(AssertionError, match="is a code test but runs `citypolicy check` on the shipped data"):
        citypolicy("check")
    with pytest.raises(AssertionError, match="shipped data"):
        citypolicy("vouchers", kb=None, cwd=tmp_path)  # no --kb outside a knowledge base: the project's own
    assert citypolicy("schema", kb=None, cwd=tmp_path).returncode == 0  # reads no knowledge base
    assert citypolicy("check", "--help", kb=None, cwd=PROJECT).returncode == 0


@pytest.mark.data
def test_a_data_test_may() -> None:
    assert RUN.shipped_data_allowed is True


# --------------------------------------------------------------------------- hypothesis and artifacts


def test_hypothesis_keeps_its_files_outside_the_checkout() -> None:
    from hypothesis import settings
    from hypothesis.configuration import storage_directory

    assert not _inside(storage_directory("examples", intent_to_write=False).path, PROJECT)
    database = settings.default.database
    if os.environ.get("CI") or os.environ.get("HYPOTHESIS_PROFILE") == "ci":
        assert settings.default.derandomize is True and database is None
    else:
        assert database is not None and not _inside(Path(database.path), PROJECT)


def test_artifacts_go_to_a_temporary_folder_unless_named(artifacts: Path, tmp_path_factory) -> None:
    if ARTIFACTS_SETTING:
        assert artifacts == Path(ARTIFACTS_SETTING)
    else:
        assert _inside(artifacts, tmp_path_factory.getbasetemp())
    assert artifacts.is_dir()


# --------------------------------------------------------------------------- an analyst's edit

COPIED = ("src", "tests", "data", "seeds", "schema", "templates", "bench", "scripts", "docs", ".ci")


def _copy_project(dest: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", ".hypothesis", "mutants")
    for name in COPIED:
        if (PROJECT / name).is_dir():
            shutil.copytree(PROJECT / name, dest / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copyfile(PROJECT / name, dest / name)
    return dest


def _pytest(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = cli_env()
    env.update(PYTHONPATH=str(project / "src"), HYPOTHESIS_PROFILE="ci", PYTHONDONTWRITEBYTECODE="1")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args]
    return subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, encoding="utf-8", timeout=3600, check=False
    )


def test_breaking_every_shipped_place_file_fails_no_code_test(tmp_path: Path) -> None:
    """An analyst's edit that makes every place file invalid: the shipped data no longer
    checks, the data tests fail, and the code tests all still pass on that copy of the project."""
    project = _copy_project(tmp_path / "project")
    places = sorted((project / "data" / "cities").glob("*.yaml")) + sorted(
        (project / "data" / "provinces").glob("*.yaml")
    )
    assert len(places) >= 8
    for city in places:
        city.write_text(city.read_text(encoding="utf-8") + "population: lots\n", encoding="utf-8")
    broken = citypolicy("check", kb=project, cwd=tmp_path)
    assert broken.returncode == 1
    assert "unknown key 'population'" in broken.stderr

    data = _pytest(project, "-m", "data", "tests/test_knowledge.py::test_check_passes_and_its_counts_match_the_export")
    assert data.returncode == 1, data.stdout  # a data test notices

    this = "tests/test_isolation.py::test_breaking_every_shipped_place_file_fails_no_code_test"
    code = _pytest(project, "-x", "-m", "not data", "--deselect", this)  # browser tests on fixtures too
    summary = code.stdout.strip().splitlines()[-1] if code.stdout.strip() else code.stderr
    assert code.returncode == 0, code.stdout[-3000:] + code.stderr[-2000:]
    assert " passed" in summary and "failed" not in summary and "error" not in summary, summary

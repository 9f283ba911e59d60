"""How every test runs: isolated from the user's machine, code tests apart from data tests.

- Code tests (the default) exercise the program on the fixture knowledge base in tests/fixtures/kb
  (invented places and articles) or on copies of it; data tests (marked `data`) check the shipped
  knowledge base (data/ and seeds/). An analyst's edit of data/ can fail only data tests:
  helpers.citypolicy() refuses to run a code test's CLI on the shipped data.
- Every test's CLI runs use a cache folder of that test's own (module- and session-scoped
  fixtures share one per session), a clean environment (no inherited CITYPOLICY_*, LC_ALL set)
  and never the user's ~/.cache/citypolicy. In-process code sees the same: CITYPOLICY_* variables
  inherited from the shell are removed when the session starts.
- Hypothesis keeps its files outside the checkout; with CI set (or HYPOTHESIS_PROFILE=ci) it is
  derandomised and keeps no database.
- Screenshots and other artifacts go to a temporary folder unless CITYPOLICY_ARTIFACTS names one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers import FIXTURE_KB, RUN, copy_kb
from helpers import citypolicy as _citypolicy

# Read before the environment is cleaned: the one CITYPOLICY_* variable meant for the tests.
ARTIFACTS_SETTING = os.environ.get("CITYPOLICY_ARTIFACTS")

#: Test files that check the shipped data as a whole (conftest-level split, no edit in the file).
#: test_site.py builds its site from the shipped knowledge base: a data test until it uses the
#: fixture knowledge base.
DATA_MODULES = frozenset({"test_site.py"})


def _hypothesis_home() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "citypolicy-tests" / "hypothesis"


def _configure_hypothesis() -> None:
    os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(_hypothesis_home()))
    from hypothesis import settings
    from hypothesis.configuration import set_hypothesis_home_dir
    from hypothesis.database import DirectoryBasedExampleDatabase

    home = Path(os.environ["HYPOTHESIS_STORAGE_DIRECTORY"])
    set_hypothesis_home_dir(home)  # never .hypothesis/ in the checkout
    settings.register_profile("dev", database=DirectoryBasedExampleDatabase(home / "examples"))
    settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))


_configure_hypothesis()


def pytest_configure(config: pytest.Config) -> None:
    for name in [key for key in os.environ if key.startswith("CITYPOLICY_")]:
        del os.environ[name]
    # In-process code (load_cached) gets a cache folder of the session's own.
    RUN.cache = Path(tempfile.mkdtemp(prefix="citypolicy-session-cache-"))
    os.environ["CITYPOLICY_CACHE"] = str(RUN.cache)


def pytest_unconfigure(config: pytest.Config) -> None:
    if RUN.cache is not None and RUN.cache.name.startswith("citypolicy-session-cache-"):
        shutil.rmtree(RUN.cache, ignore_errors=True)


#: site_fixtures.py's fixtures built from the shipped knowledge base: a test using one is a data test.
SHIPPED_FIXTURES = frozenset({"site", "server", "knowledge"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.name in DATA_MODULES or _uses_shipped_fixtures(item):
            item.add_marker(pytest.mark.data)


def _uses_shipped_fixtures(item: pytest.Item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    for name in SHIPPED_FIXTURES & set(info.names_closure):
        definitions = info.name2fixturedefs.get(name, ())
        if definitions and definitions[-1].func.__module__ == "site_fixtures":
            return True
    return False


@pytest.fixture(autouse=True)
def _isolated_run(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Each test: a cache folder of its own; shipped data only for data tests."""
    previous = (RUN.cache, RUN.shipped_data_allowed, RUN.test)
    RUN.cache = tmp_path_factory.mktemp("cache")
    RUN.shipped_data_allowed = request.node.get_closest_marker("data") is not None
    RUN.test = request.node.nodeid
    yield
    RUN.cache, RUN.shipped_data_allowed, RUN.test = previous


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: $CITYPOLICY_ARTIFACTS if set, else a temporary folder."""
    if ARTIFACTS_SETTING:
        folder = Path(ARTIFACTS_SETTING)
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    return tmp_path_factory.mktemp("artifacts")


# --------------------------------------------------------------------------- knowledge bases


@pytest.fixture(scope="session")
def fixture_kb() -> Path:
    """The fixture knowledge base itself (read-only: copy it with `kb` or `make_kb` to edit)."""
    return FIXTURE_KB


@pytest.fixture
def make_kb(tmp_path: Path) -> Callable[[str], Path]:
    """Factory: make_kb() or make_kb("other") copies the fixture knowledge base into tmp_path."""

    def make(name: str = "kb") -> Path:
        return copy_kb(FIXTURE_KB, tmp_path / name)

    return make


@pytest.fixture
def kb(make_kb: Callable[[str], Path]) -> Path:
    """A fresh, editable copy of the fixture knowledge base."""
    return make_kb("kb")


def run_cli_in(cwd: Path, *args: str, kb: Path | None = None, timeout: float = 120) -> tuple[int, str, str]:
    """Run `python -m citypolicy *args --kb kb` in `cwd`; return (returncode, stdout, stderr)."""
    done = _citypolicy(*args, kb=kb, cwd=cwd, timeout=timeout)
    return done.returncode, done.stdout, done.stderr


@pytest.fixture
def run_cli(tmp_path: Path) -> Callable[..., tuple[int, str, str]]:
    """run_cli(*args, kb=DIR) runs the real CLI as a subprocess with cwd=tmp_path."""

    def run(*args: str, kb: Path | None = None, timeout: float = 120) -> tuple[int, str, str]:
        return run_cli_in(tmp_path, *args, kb=kb, timeout=timeout)

    return run

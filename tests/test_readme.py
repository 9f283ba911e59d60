"""The README stays true: its CLI reference, its Quickstart and the CI entry point it names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from citypolicy.cli import app

PROJECT = Path(__file__).resolve().parents[1]
README = (PROJECT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    """The text of a `## title` section, up to the next second-level heading."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.M | re.S)
    assert match, f"README has no '## {title}' section"
    return match.group(1)


def _command_names() -> list[str]:
    names = []
    for command in app.registered_commands:
        name = command.name or command.callback.__name__.replace("_", "-")
        names.append(name)
    return names


def _reference_commands() -> list[str]:
    """The first column of the CLI reference table: `name` or `name ARGS`."""
    names = []
    for line in _section("CLI reference").splitlines():
        cell = re.match(r"^\| `([^`]+)` \|", line)
        if cell:
            names.append(cell.group(1).split()[0])
    return names


def _sh_blocks(text: str) -> list[str]:
    return [block.strip() for block in re.findall(r"^```sh\n(.*?)^```", text, re.M | re.S)]


def test_the_app_registers_the_commands() -> None:
    names = _command_names()
    assert len(names) == len(set(names))
    assert {"check", "vouchers", "subsidy", "query", "export", "build", "extract", "coverage"} <= set(names)


@pytest.mark.parametrize("name", _command_names())
def test_every_command_is_in_the_cli_reference(name: str) -> None:
    assert name in _reference_commands()


def test_the_cli_reference_names_only_real_commands() -> None:
    reference = _reference_commands()
    assert len(reference) == len(set(reference))
    assert sorted(reference) == sorted(_command_names())


def test_quickstart_has_exactly_two_sh_blocks() -> None:
    blocks = _sh_blocks(_section("Quickstart"))
    assert len(blocks) == 2
    first, second = blocks
    assert "citypolicy check" in first
    assert "citypolicy vouchers" in first
    assert "citypolicy build" in first
    assert second == "sh scripts/test.sh"


def test_quickstart_commands_are_real() -> None:
    first = _sh_blocks(_section("Quickstart"))[0]
    used = re.findall(r"citypolicy (\w[\w-]*)", first)
    assert used == ["check", "vouchers", "build"]
    assert set(used) <= set(_command_names())


def test_test_script_exists_and_runs_pytest() -> None:
    script = (PROJECT / "scripts" / "test.sh").read_text(encoding="utf-8")
    assert "pytest" in script


def test_ci_runs_the_test_script() -> None:
    ci = (PROJECT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line.strip() for line in ci.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert any(re.search(r"\bsh scripts/test\.sh\b", line) for line in commands), commands


def test_what_you_can_ask_examples_use_real_commands() -> None:
    examples = _sh_blocks(_section("What you can ask"))
    assert examples
    used = set(re.findall(r"^citypolicy (\w[\w-]*)", "\n".join(examples), re.M))
    assert used <= set(_command_names())
    assert {"vouchers", "subsidy", "targets", "show", "compare", "search", "query", "export"} <= used

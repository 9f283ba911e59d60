"""`citypolicy diff`: what changed between two versions of the knowledge base."""

from __future__ import annotations

import sys
from dataclasses import replace
from enum import StrEnum
from typing import Annotated

import typer

from ..core import problems as P
from .common import KbOption, app, dump_json, kb_root


class DiffFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help="A knowledge-base folder, or a git revision (v1, HEAD~5, a commit)")],
    new: Annotated[
        str | None,
        typer.Argument(help="Another folder or revision; default: the knowledge base as it is now (working tree)"),
    ] = None,
    format: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="table, json, or markdown (for a pull request)")
    ] = DiffFormat.table,
    kb: KbOption = None,
) -> None:
    """Records and figures added, removed, changed and renamed between two versions, per place, each
    figure old → new with the quotes that state it. A revision is one of the knowledge base's git
    repository; with one argument, it is compared with the files as they are now (like `git diff REV`).

    Example: citypolicy diff HEAD~5 --format markdown
    """
    from ..ask.diff import compare
    from ..load.cache import load_cached
    from ..load.revisions import RevisionError, versions

    try:
        with versions(old, new, kb_root(kb) if kb is not None or _needs_kb(old, new) else None) as sides:
            loaded = []
            for which, version in zip(("old", "new"), sides, strict=True):
                knowledge, problems = load_cached(version.root)
                if problems:
                    _invalid(which, version, problems)
                loaded.append(knowledge)
            result = compare(loaded[0], loaded[1], *sides)
    except RevisionError as error:
        raise typer.BadParameter(str(error), param_hint="OLD/NEW") from None
    _print(result, format)


def _needs_kb(old: str, new: str | None) -> bool:
    """Two folders need no knowledge base of their own; a revision or the working tree does."""
    from pathlib import Path

    return new is None or not (Path(old).is_dir() and Path(new).is_dir())


def _invalid(which: str, version, problems: list[P.Problem]) -> None:  # type: ignore[no-untyped-def]
    """The version does not pass check: its problems, each named by side (rev:file or folder/file)."""
    typer.echo(f"error: the {which} version, {version.describe()}, does not pass `citypolicy check`:", err=True)
    where = f"{version.label}:" if version.commit else f"{version.root}/"
    raise P.InvalidData([replace(p, file=f"{where}{p.file}") for p in problems])


def _print(result, format: DiffFormat) -> None:  # type: ignore[no-untyped-def]
    from ..ask import diff_view

    if format is DiffFormat.json:
        sys.stdout.write(dump_json(result.to_json()) + "\n")
    elif format is DiffFormat.markdown:
        sys.stdout.write(diff_view.markdown(result))
    elif result.empty:
        typer.echo(diff_view.no_differences(result))
    else:
        from ..ask.tables import print_tables

        print_tables(diff_view.tables(result))

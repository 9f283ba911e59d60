"""Commands that check the knowledge base and describe its schema."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Annotated

import typer

from ..core import problems as P
from ..core.paths import NoKnowledgeBase, resolve_kb
from .common import KbOption, app, fail, load_or_exit


@app.command()
def check(
    kb: KbOption = None,
    format: Annotated[str, typer.Option("--format", help="text or json")] = "text",
) -> None:
    """Validate every data file and verify every quote against its source.

    Example: citypolicy check --kb ~/my-kb
    """
    from ..load.loader import load

    try:
        root = resolve_kb(kb)
    except NoKnowledgeBase as error:
        raise fail(str(error)) from None
    knowledge, found = load(root)
    if format == "json":
        shown, _ = P.capped(found)
        payload = {
            "ok": not found,
            "summary": knowledge.summary(),
            "problems": [p.to_json() for p in shown],
            "problems_total": len(found),
            "warnings": [p.to_json() for p in knowledge.warnings],
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        raise typer.Exit(1 if found else 0)
    for warning in knowledge.warnings:
        typer.echo(replace(warning, message=f"warning: {warning.message}").render(), err=True)
    if found:
        raise P.InvalidData(found)
    s = knowledge.summary()
    typer.echo(
        f"ok: {s['jurisdictions']} jurisdictions, {s['policies']} policies, {s['instruments']} instruments, "
        f"{s['targets']} targets, {s['indicators']} indicators, {s['institutions']} institutions; "
        f"{s['quotes_verified']} quotes verified in {s['sources']} sources"
    )


@app.command()
def schema(
    kb: KbOption = None,
    sources: Annotated[
        bool, typer.Option("--sources", help="The schema of the sources registry (data/sources.yaml) instead")
    ] = False,
) -> None:
    """Print the JSON Schema of a place file (data/cities/*.yaml), or of data/sources.yaml, for editors.

    Example: citypolicy schema --sources > schema/sources.schema.json
    """
    from ..schema.jsonschema import place_schema, sources_schema

    typer.echo(json.dumps(sources_schema() if sources else place_schema(), ensure_ascii=False, indent=2))


@app.command("test")
def test_cases(
    kb: KbOption = None,
    format: Annotated[str, typer.Option("--format", help="text or json")] = "text",
) -> None:
    """Run the calculation cases in data/cases/*.yaml: each pinned answer must still hold.

    Example: citypolicy test
    """
    from ..ask.cases import render_outcomes, run_cases

    knowledge = load_or_exit(kb)
    outcomes = run_cases(knowledge)
    if format == "json":
        typer.echo(json.dumps([o.to_json() for o in outcomes], ensure_ascii=False, indent=2))
    else:
        typer.echo(render_outcomes(outcomes), nl=False)
    if not outcomes:
        typer.echo("no calculation cases in data/cases/", err=True)
    if any(not o.passed for o in outcomes):
        raise typer.Exit(1)

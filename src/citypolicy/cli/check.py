"""Commands that check the knowledge base and describe its schema."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from ..core import problems as P
from ..core.paths import NoKnowledgeBase, resolve_kb
from .common import KbOption, app, fail


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
        report = {
            "ok": not found,
            "summary": knowledge.summary(),
            "problems": [p.to_json() for p in shown],
            "problems_total": len(found),
        }
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
        raise typer.Exit(1 if found else 0)
    if found:
        raise P.InvalidData(found)
    s = knowledge.summary()
    typer.echo(
        f"ok: {s['jurisdictions']} jurisdictions, {s['policies']} policies, {s['instruments']} instruments, "
        f"{s['targets']} targets, {s['indicators']} indicators, {s['institutions']} institutions; "
        f"{s['quotes_verified']} quotes verified in {s['sources']} sources"
    )


@app.command()
def schema(kb: KbOption = None) -> None:
    """Print the JSON Schema of a place file (data/cities/*.yaml), for editors.

    Example: citypolicy schema > schema/place.schema.json
    """
    from ..schema.jsonschema import place_schema

    typer.echo(json.dumps(place_schema(), ensure_ascii=False, indent=2))

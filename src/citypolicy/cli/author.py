"""Commands for analysts adding articles: extract and coverage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ..core import problems as P
from ..core.paths import NoKnowledgeBase, resolve_kb
from .common import KbOption, app, load_or_exit


@app.command()
def extract(
    article: Annotated[
        Path,
        typer.Argument(help="A text file: a seed or any Chinese article saved as text.", exists=True, dir_okay=False),
    ],
    kb: KbOption = None,
    format: Annotated[str, typer.Option("--format", help="table, text (one line each) or json")] = "table",
    year: Annotated[
        int | None, typer.Option(help="Year the article was written, for 今年/去年 (default: from data/sources.yaml)")
    ] = None,
    missing_only: Annotated[
        bool, typer.Option("--missing", help="Only mentions no record or ignore entry accounts for")
    ] = False,
) -> None:
    """List every quantitative mention in an article and whether a record captures it.

    Example: citypolicy extract seeds/002_e71591340c5b937c.txt --format json
    """
    from ..author import extract as X
    from ..load.sources import Document
    from ..load.yamlread import decode_utf8

    text, problem = decode_utf8(article.read_bytes(), str(article))
    if problem:
        raise P.InvalidData([problem])
    knowledge = _kb_for_article(kb, article)
    document = (knowledge.library.get(article.name) if knowledge else None) or Document(article.name, text)
    if knowledge is not None and document.text != text:
        document = Document(article.name, text)
        knowledge = None  # a different text under a seed's name: do not account against records
    report = X.extract(knowledge, document, year)
    if missing_only:
        report.mentions = [m for m in report.mentions if m.status is X.Status.MISSING]
    if format == "json":
        typer.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        return
    if format == "text":
        for m in report.mentions:
            typer.echo(f"{m.start:>6} {m.status.value:<8} «{m.text}» = {m.normalised} | {m.sentence}")
        return
    from ..ask.tables import print_mentions

    print_mentions(report)


def _kb_for_article(kb: Path | None, article: Path):  # type: ignore[no-untyped-def]
    from ..load.loader import load

    try:
        root = resolve_kb(kb)
    except NoKnowledgeBase:
        return None
    knowledge, found = load(root)
    if found:
        raise P.InvalidData(found)
    return knowledge if article.name in knowledge.sources else None


@app.command()
def coverage(
    kb: KbOption = None,
    format: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    show_missing: Annotated[
        bool, typer.Option("--show-missing", help="List the mentions not yet accounted for")
    ] = False,
) -> None:
    """Share of the numbers and dates in seeds/ that records capture or data/ignored.yaml explains.

    Example: citypolicy coverage --show-missing
    """
    from ..author import extract as X

    knowledge = load_or_exit(kb)
    reports = X.coverage(knowledge)
    if format == "json":
        typer.echo(json.dumps([r.to_json() for r in reports], ensure_ascii=False, indent=2))
    else:
        from ..ask.tables import print_coverage

        print_coverage(reports, show_missing)
    if any(r.count(X.Status.MISSING) for r in reports):
        raise typer.Exit(1)

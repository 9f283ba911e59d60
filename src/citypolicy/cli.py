"""The command line: thin wrappers that parse options, call plain functions, and print."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from . import problems as P
from .paths import NoKnowledgeBase, resolve_kb

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="citypolicy: Chinese cities' AI-industry policies, cited sentence by sentence.",
)

KbOption = Annotated[
    Path | None,
    typer.Option(
        "--kb",
        envvar="CITYPOLICY_KB",
        help="Knowledge-base folder holding data/ and seeds/ (default: current folder, else the project's).",
        file_okay=False,
    ),
]


class UserError(Exception):
    """An error the user can fix; printed as one line, exit 1."""


def fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def load_or_exit(kb: Path | None):  # type: ignore[no-untyped-def]
    from .loader import load

    try:
        root = resolve_kb(kb)
    except NoKnowledgeBase as error:
        raise fail(str(error)) from None
    knowledge, found = load(root)
    if found:
        raise P.InvalidData(found)
    return knowledge


@app.command()
def check(
    kb: KbOption = None,
    format: Annotated[str, typer.Option("--format", help="text or json")] = "text",
) -> None:
    """Validate every data file and verify every quote against its source.

    Example: citypolicy check --kb ~/my-kb
    """
    from .loader import load

    try:
        root = resolve_kb(kb)
    except NoKnowledgeBase as error:
        raise fail(str(error)) from None
    knowledge, found = load(root)
    if format == "json":
        typer.echo(json.dumps({"ok": not found, "summary": knowledge.summary(), "problems": [p.to_json() for p in found]}, ensure_ascii=False, indent=2))
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
    from .schema import place_schema

    typer.echo(json.dumps(place_schema(), ensure_ascii=False, indent=2))


def main() -> None:
    try:
        app(standalone_mode=False)
    except P.InvalidData as error:
        for problem in error.problems:
            typer.echo(problem.render(), err=True)
        typer.echo(f"{len(error.problems)} problem(s) found", err=True)
        sys.exit(1)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except typer.Abort:
        typer.echo("aborted", err=True)
        sys.exit(1)
    except UserError as error:
        typer.echo(f"error: {error}", err=True)
        sys.exit(1)
    except __import__("click").ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)


@app.command()
def extract(
    article: Annotated[Path, typer.Argument(help="A text file: a seed or any Chinese article saved as text.", exists=True, dir_okay=False)],
    kb: KbOption = None,
    format: Annotated[str, typer.Option("--format", help="table, text (one line each) or json")] = "table",
    year: Annotated[int | None, typer.Option(help="Year the article was written, for 今年/去年 (default: from data/sources.yaml)")] = None,
    missing_only: Annotated[bool, typer.Option("--missing", help="Only mentions no record or ignore entry accounts for")] = False,
) -> None:
    """List every quantitative mention in an article and whether a record captures it.

    Example: citypolicy extract seeds/002_e71591340c5b937c.txt --format json
    """
    from . import extract as X
    from .sources import Document
    from .yamlread import decode_utf8

    text, problem = decode_utf8(article.read_bytes(), str(article))
    if problem:
        raise P.InvalidData([problem])
    knowledge = _kb_for_article(kb, article)
    document = (knowledge.library.get(article.name) if knowledge else None) or Document(article.name, text)
    if knowledge is not None and document.text != text:
        document = Document(article.name, text)
        knowledge = None  # a different text under a seed's name: do not account against records
    report = X.extract(knowledge, document)
    if year is not None:
        report = X.Report(document.file, X.find_mentions(text, year))
    if missing_only:
        report.mentions = [m for m in report.mentions if m.status is X.Status.MISSING]
    if format == "json":
        typer.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        return
    if format == "text":
        for m in report.mentions:
            typer.echo(f"{m.start:>6} {m.status.value:<8} «{m.text}» = {m.normalised} | {m.sentence}")
        return
    from .tables import print_mentions

    print_mentions(report)


def _kb_for_article(kb: Path | None, article: Path):  # type: ignore[no-untyped-def]
    from .loader import load

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
    show_missing: Annotated[bool, typer.Option("--show-missing", help="List the mentions not yet accounted for")] = False,
) -> None:
    """Share of the numbers and dates in seeds/ that records capture or data/ignored.yaml explains.

    Example: citypolicy coverage --show-missing
    """
    from . import extract as X

    knowledge = load_or_exit(kb)
    reports = X.coverage(knowledge)
    if format == "json":
        typer.echo(json.dumps([r.to_json() for r in reports], ensure_ascii=False, indent=2))
    else:
        from .tables import print_coverage

        print_coverage(reports, show_missing)
    if any(r.count(X.Status.MISSING) for r in reports):
        raise typer.Exit(1)

"""Commands for analysts adding articles: add, draft, accept, extract and coverage."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..core import problems as P
from ..core.paths import NoKnowledgeBase, resolve_kb
from .common import KbOption, UserError, app, check_output, kb_root, load_or_exit, writing


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
    undeclared = [name for name in knowledge.library.files() if name not in knowledge.sources]
    for name in undeclared:
        typer.echo(
            f"seeds/{name}: not declared in data/sources.yaml, so not counted; run `citypolicy add seeds/{name}`",
            err=format == "json",
        )
    if undeclared or any(r.count(X.Status.MISSING) for r in reports):
        raise typer.Exit(1)


@app.command()
def add(
    article: Annotated[Path, typer.Argument(help="The article as a UTF-8 text file.", exists=True, dir_okay=False)],
    kb: KbOption = None,
) -> None:
    """Copy an article into seeds/ and declare it in data/sources.yaml, with what its text tells.

    Example: citypolicy add ~/Downloads/ganzhou-ai-measures.txt
    """
    from ..author.add import AddError, add_article

    root = kb_root(kb)
    try:
        added = add_article(root, article)
    except AddError as error:
        raise UserError(str(error)) from None
    seed = f"seeds/{added.seed.name}"
    if added.copied:
        typer.echo(f"copied {article} to {seed}")
    else:
        typer.echo(f"{seed} is this article already: not copied again")
    if added.entry_line is None:
        typer.echo(f"{seed} is declared in data/sources.yaml already")
    else:
        typer.echo(f"declared it in data/sources.yaml (line {added.entry_line})")
        if added.notes:
            typer.echo(f"  fill in the TODO placeholders there: {'; '.join(added.notes)}")
        typer.echo("  and confirm or correct each line marked `# guess:`")
    place = added.place_hint or "PLACE"
    typer.echo(f"next: citypolicy draft {seed} --place {place} -o {place}.draft.yaml")


@app.command()
def draft(
    article: Annotated[
        Path, typer.Argument(help="A seed (seeds/NNN_….txt or its name) or the article file you added.")
    ],
    place: Annotated[
        str, typer.Option("--place", help="The place the records are about: an id or a name, new or known.")
    ],
    level: Annotated[
        str | None, typer.Option("--level", help="For a new place: city (default), district, zone, province.")
    ] = None,
    parent: Annotated[
        str | None, typer.Option("--parent", help="For a new place: its parent's id or name (default: from the text).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the draft to this file (never inside data/).")
    ] = None,
    kb: KbOption = None,
) -> None:
    """Draft the records an article supports, for you to confirm and `accept`.

    Example: citypolicy draft seeds/005_3f1c2a9b7d4e6f80.txt --place ganzhou -o ganzhou.draft.yaml
    """
    from ..author.draft import DraftError, make_draft
    from ..load.loader import load

    root = kb_root(kb)
    if output is not None:
        _refuse_inside_data(root, output)
        check_output(output, False, root)
    knowledge, found = load(root)
    document = _seed_of(knowledge, article)
    try:
        made = make_draft(knowledge, document, place, level, parent)
    except DraftError as error:
        raise UserError(str(error)) from None
    if found:
        typer.echo(f"note: the knowledge base has {len(found)} problem(s) now; see `citypolicy check`", err=True)
    if output is None:
        sys.stdout.write(made.text)
    else:
        from ..publish.outputs import write_text_atomic

        writing(output, lambda: write_text_atomic(output, made.text))
        typer.echo(
            f"wrote {output}: {made.records} record(s), {made.guesses} guess(es) to confirm, "
            f"{made.ignored} figure(s) to explain; parts: " + ", ".join(f"{m} {f}" for m, f in made.parts)
        )
        typer.echo(f"next: edit {output}, then citypolicy accept {output}")


def _refuse_inside_data(root: Path, output: Path) -> None:
    data = (root / "data").resolve()
    target = output.resolve()
    if target == data or data in target.parents:
        raise UserError(f"{output} is inside data/: a draft is not data; write it elsewhere (-o {output.name})")


def _seed_of(knowledge, article: Path):  # type: ignore[no-untyped-def]
    """The seed `article` names: a path in seeds/, a seed's name, or a file with a seed's content."""
    library = knowledge.library
    document = library.get(article.name)
    if document is not None and (
        not article.is_file() or article.read_bytes() == (library.folder / article.name).read_bytes()
    ):
        return document
    if article.is_file():
        raw = article.read_bytes()
        for name in library.files():
            if (library.folder / name).read_bytes() == raw:
                return library.get(name)
        raise UserError(f"{article} is not in seeds/: run `citypolicy add {article}` first")
    raise UserError(f"no seed named {article.name} and no file {article}")


@app.command()
def accept(
    draft_file: Annotated[
        Path, typer.Argument(help="A draft written by `citypolicy draft`.", exists=True, dir_okay=False)
    ],
    kb: KbOption = None,
) -> None:
    """Write a confirmed draft into data/: new files, and records added to existing files.

    Example: citypolicy accept ganzhou.draft.yaml
    """
    from ..author.accept import accept as accept_draft

    root = kb_root(kb)
    written, found = accept_draft(root, draft_file)
    if found:
        raise P.InvalidData(found)
    for file in written:
        typer.echo(f"wrote {file}")
    typer.echo("next: citypolicy check && citypolicy coverage")

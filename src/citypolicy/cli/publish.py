"""Commands that write deliverables: reports, exports and the site."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .common import (
    AsOfOption,
    ForceOption,
    KbOption,
    app,
    as_of_day,
    check_output,
    kb_root,
    load_or_exit,
    lookup,
    progress_bar,
    writing,
)


class ReportFormat(StrEnum):
    markdown = "markdown"
    html = "html"


class ReportLang(StrEnum):
    en = "en"
    zh = "zh"


@app.command()
def report(
    kind: Annotated[str, typer.Argument(help="vouchers, targets, city or compare")],
    places: Annotated[list[str] | None, typer.Argument(help="The place for `city`; two or more for `compare`")] = None,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="markdown or html")] = ReportFormat.markdown,
    lang: Annotated[ReportLang, typer.Option("--lang", help="en (English) or zh (Chinese)")] = ReportLang.en,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout)", dir_okay=False)
    ] = None,
    kb: KbOption = None,
    force: ForceOption = False,
    as_of: AsOfOption = None,
) -> None:
    """A report to hand on: summary, sections per kind, every figure footnoted with its source and quote.
    Terms, statuses and target outcomes are those of --as-of (default today).

    Example: citypolicy report compare beijing shanghai --format html --lang zh -o compare.html
    """
    from ..publish.outputs import write_text_atomic
    from ..publish.report import REPORT_KINDS, render_report

    if kind not in REPORT_KINDS:
        raise typer.BadParameter(f"choose one of: {', '.join(REPORT_KINDS)}", param_hint="KIND")
    check_output(output, force, kb)
    day = as_of_day(as_of)
    knowledge = load_or_exit(kb)
    try:
        text = lookup(lambda: render_report(knowledge, kind, places or [], format.value, lang.value, as_of=day))
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="PLACES") from None
    if output is None:
        typer.echo(text)
    else:
        writing(output, lambda: write_text_atomic(output, text))
        typer.echo(f"wrote {output}", err=True)


class ExportFormat(StrEnum):
    json = "json"
    csv = "csv"
    sqlite = "sqlite"
    datapackage = "datapackage"
    datasette = "datasette"


@app.command()
def export(
    format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="json (everything), csv (facts), sqlite, datapackage (folder: CSV + JSON + datapackage.json) "
            "or datasette (folder: SQLite + metadata.json)",
        ),
    ] = ExportFormat.json,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write (json/csv: default stdout; sqlite: default citypolicy.sqlite); "
            "for datapackage and datasette, the folder to write into",
        ),
    ] = None,
    kb: KbOption = None,
    as_of: AsOfOption = None,
    force: ForceOption = False,
) -> None:
    """Export the knowledge base: JSON document, CSV of facts (one row per number), SQLite, or either
    as a package data tools open (Frictionless data package; Datasette with its metadata).
    Facts carry their status on --as-of (default today); earlier terms are rows of their own.

    Example: citypolicy export --format datasette -o out && datasette out/citypolicy.sqlite -m out/metadata.json
    """
    from ..publish import export as E
    from ..publish.facts import fact_rows
    from ..publish.outputs import write_text_atomic

    if format in FOLDER_FORMATS:
        _export_folder(format, output, kb, as_of_day(as_of), force)
        return
    if format is ExportFormat.sqlite:
        output = output or Path("citypolicy.sqlite")
    check_output(output, force, kb)
    day = as_of_day(as_of)
    knowledge = load_or_exit(kb)
    facts = fact_rows(knowledge, day)
    if format is ExportFormat.sqlite:
        target = output
        writing(target, lambda: E.export_sqlite(knowledge, target, facts))
        typer.echo(f"wrote {target}", err=True)
        return
    if format is ExportFormat.json and output is None:
        sys.stdout.writelines(E.export_chunks(knowledge, facts))
    elif format is ExportFormat.json:
        writing(output, lambda: E.write_json(knowledge, output, facts))
    elif output is None:
        typer.echo(E.export_csv(knowledge, facts), nl=False)
    else:
        writing(output, lambda: write_text_atomic(output, E.export_csv(knowledge, facts)))
    if output is not None:
        typer.echo(f"wrote {output}", err=True)


FOLDER_FORMATS = (ExportFormat.datapackage, ExportFormat.datasette)


def _export_folder(format: ExportFormat, folder: Path | None, kb, day, force: bool) -> None:  # type: ignore[no-untyped-def]
    """A folder of files: each is checked first (refused with exit 2 as `-o FILE` is) and written atomically."""
    from ..publish.datapackage import PACKAGE_FILES, write_datapackage
    from ..publish.datasette_metadata import DATASETTE_FILES, write_datasette
    from ..publish.facts import fact_rows
    from ..publish.outputs import OutputRefused

    if folder is None:
        raise typer.BadParameter(f"give the folder to write the {format.value} files into", param_hint="-o")
    if folder.exists() and not folder.is_dir():
        raise OutputRefused(f"{folder} is not a folder: --format {format.value} writes several files into a folder")
    names, write = (
        (PACKAGE_FILES, write_datapackage) if format is ExportFormat.datapackage else (DATASETTE_FILES, write_datasette)
    )
    for name in names:
        check_output(folder / name, force, kb)
    knowledge = load_or_exit(kb)
    facts = fact_rows(knowledge, day)
    writing(folder, lambda: write(knowledge, folder, facts))
    typer.echo(f"wrote {', '.join(str(folder / name) for name in names)}", err=True)


@app.command()
def build(
    kb: KbOption = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the site to", file_okay=False)] = Path(
        "site"
    ),
) -> None:
    """Build the static comparison site (HTML, inline SVG charts, calculator, downloads).

    Example: citypolicy build --out site && python -m http.server -d site
    """
    from ..publish.site import build as build_site
    from ..publish.sitefolder import tidy

    tidy(out, kb_root(kb))
    knowledge = load_or_exit(kb)
    progress = progress_bar()
    with progress as bar:
        count = writing(out, lambda: build_site(knowledge, out, bar.update if bar else None))
    typer.echo(f"built {count} pages in {out.resolve()} — open {out.resolve() / 'index.html'}")

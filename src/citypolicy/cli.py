"""The command line: thin wrappers that parse options, call plain functions, and print."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from . import problems as P
from .paths import NoKnowledgeBase, resolve_kb

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
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


class VoucherKind(StrEnum):
    compute = "compute"
    training = "training"
    corpus = "corpus"
    model = "model"
    all = "all"


class BeneficiaryChoice(StrEnum):
    enterprise = "enterprise"
    university = "university"
    research = "research"

    @property
    def model_value(self):  # type: ignore[no-untyped-def]
        from .model import Beneficiary

        return {
            "enterprise": Beneficiary.ENTERPRISE,
            "university": Beneficiary.UNIVERSITY,
            "research": Beneficiary.RESEARCH_INSTITUTE,
        }[self.value]


class UserError(Exception):
    """An error the user can fix; printed as one line, exit 1."""


ForceOption = Annotated[
    bool, typer.Option("--force", help="Replace the output even if it is read-only, a link or a special file")
]


def check_output(target: Path | None, force: bool) -> None:
    """Refuse (exit 2) an output path the tool must not replace, before any work is done."""
    from .outputs import check_output_file

    if target is not None:
        check_output_file(target, force)


def fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def kb_root(kb: Path | None) -> Path:
    try:
        return resolve_kb(kb)
    except NoKnowledgeBase as error:
        raise fail(str(error)) from None


def load_or_exit(kb: Path | None):  # type: ignore[no-untyped-def]
    """The validated knowledge base (from the cache when nothing changed), or the problems."""
    from .cache import load_cached

    knowledge, found = load_cached(kb_root(kb))
    if found:
        raise P.InvalidData(found)
    import gc

    gc.freeze()  # the knowledge base lives as long as the command: keep the collector off it
    return knowledge


def answer(kb: Path | None, fmt: Format, view_of) -> None:  # type: ignore[no-untyped-def]
    """Print a query's answer. In a machine format the same command on unchanged data and code
    prints the same text, so it is kept (see cache.py) and a repeated query needs no loading."""
    if fmt is Format.table:
        emit(lookup(lambda: view_of(load_or_exit(kb))), fmt)
        return
    from . import cache

    key = cache.answer_key(kb_root(kb), sys.argv[1:], f"{fmt.value}:{sys.stdout.isatty()}")
    text = cache.recall(key)
    if text is None:
        text = render_text(lookup(lambda: view_of(load_or_exit(kb))), fmt)
        cache.remember(key, text)
    sys.stdout.write(text)


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
        typer.echo(
            json.dumps(
                {"ok": not found, "summary": knowledge.summary(), "problems": [p.to_json() for p in found]},
                ensure_ascii=False,
                indent=2,
            )
        )
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


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="table, json, csv or markdown")]
CityOption = Annotated[
    list[str] | None,
    typer.Option("--city", "-c", help="A city (id, 中文, English, pinyin, alias); repeat for several. Default: all."),
]


def emit(view, fmt: Format) -> None:  # type: ignore[no-untyped-def]
    if fmt is Format.table:
        from .tables import print_tables

        print_tables(view.tables)
    else:
        sys.stdout.write(render_text(view, fmt))


def render_text(view, fmt: Format) -> str:  # type: ignore[no-untyped-def]
    from . import present

    if fmt is Format.json:
        return dump_json(view.payload) + "\n"
    if fmt is Format.csv:
        return present.to_csv(view.tables)
    return present.to_markdown(view.tables) + "\n"


def writing(target: Path, call):  # type: ignore[no-untyped-def]
    """Run a write; a path that cannot be written is a user error, not a crash."""
    try:
        return call()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise UserError(f"cannot write {target}: {reason}") from None


def dump_json(payload: object) -> str:
    """Indented on a terminal; compact (C encoder, several times faster) when piped to a program."""
    indent = 2 if sys.stdout.isatty() else None
    return json.dumps(payload, ensure_ascii=False, indent=indent)


def lookup(call):  # type: ignore[no-untyped-def]
    """Run a query; a place or record that cannot be found is a user error (exit 1)."""
    from .resolve import Ambiguous, NotFound

    try:
        return call()
    except (NotFound, Ambiguous) as error:
        raise UserError(str(error)) from None


@app.command()
def vouchers(
    kb: KbOption = None,
    kind: Annotated[
        VoucherKind,
        typer.Option("--kind", "-k", help="compute (算力券, 训力券, 算力补贴), training, corpus, model, or all"),
    ] = VoucherKind.all,
    city: CityOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Every voucher and compute subsidy by city and district: rate, tiers, cap, pool, who may claim.

    Example: citypolicy vouchers --kind compute --format json
    """
    from .present import vouchers_view
    from .queries import voucher_rows

    answer(
        kb, format, lambda knowledge: vouchers_view(knowledge, voucher_rows(knowledge, kind.value, city), kind.value)
    )


@app.command()
def subsidy(
    spend: Annotated[str, typer.Option("--spend", "-s", help="Annual compute spend: 1200万, 1.2亿, 12000000, 12M")],
    startup: Annotated[bool, typer.Option("--startup", help="The applicant is a startup (初创企业)")] = False,
    beneficiary: Annotated[
        BeneficiaryChoice, typer.Option("--beneficiary", "-b", help="enterprise, university or research")
    ] = BeneficiaryChoice.enterprise,
    kb: KbOption = None,
    city: CityOption = None,
    format: FormatOption = Format.table,
) -> None:
    """What each place's compute vouchers and subsidies pay back for a year's compute spend.

    Example: citypolicy subsidy --spend 1200万 --startup --city 深圳 --city zhuhai
    """
    from .present import subsidy_view
    from .queries import parse_spend
    from .queries import subsidy as compute_subsidy

    try:
        amount = parse_spend(spend)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--spend") from None
    answer(
        kb,
        format,
        lambda knowledge: subsidy_view(
            knowledge, compute_subsidy(knowledge, amount, startup, beneficiary.model_value, city)
        ),
    )


@app.command()
def targets(
    kb: KbOption = None,
    city: CityOption = None,
    due_by: Annotated[int | None, typer.Option("--due-by", help="Only targets due by the end of this year")] = None,
    metric: Annotated[
        str | None, typer.Option("--metric", "-m", help="Words in the metric or its topic, e.g. 产业规模, compute")
    ] = None,
    format: FormatOption = Format.table,
) -> None:
    """Targets with value (floor), stretch (力争), deadline, status and source.

    Example: citypolicy targets --due-by 2026 --city shenzhen
    """
    from .present import targets_view
    from .queries import targets as find_targets

    answer(kb, format, lambda knowledge: targets_view(knowledge, find_targets(knowledge, city, due_by, metric)))


@app.command()
def show(
    place: Annotated[str, typer.Argument(help="A city, district or zone: id, 中文, English, pinyin or alias")],
    kb: KbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """A place's profile: sub-places, policies by date, instruments, targets, indicators, institutions.

    Example: citypolicy show 琶洲
    """
    from .present import profile_view
    from .queries import profile
    from .resolve import resolve_place

    answer(kb, format, lambda knowledge: profile_view(knowledge, profile(knowledge, resolve_place(knowledge, place))))


@app.command()
def compare(
    places: Annotated[list[str], typer.Argument(help="Two or more places")],
    kb: KbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Several places side by side, aligned by kind of instrument, indicator topic and target topic.

    Example: citypolicy compare beijing shanghai
    """
    from .present import compare_view
    from .queries import compare as build_comparison
    from .resolve import resolve_place

    if len(places) < 2:
        raise typer.BadParameter("name at least two places", param_hint="PLACES")
    answer(
        kb,
        format,
        lambda knowledge: compare_view(
            knowledge, build_comparison(knowledge, [resolve_place(knowledge, p) for p in places])
        ),
    )


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="Words in 简体, 繁體, English or pinyin")],
    kb: KbOption = None,
    limit: Annotated[int, typer.Option(min=1, max=200)] = 10,
    format: FormatOption = Format.table,
) -> None:
    """Fuzzy search over names, aliases, titles, short names and quotes.

    Example: citypolicy search 训练券
    """
    from .present import search_view
    from .resolve import did_you_mean, search_entries
    from .resolve import search as run_search

    knowledge = load_or_exit(kb)
    entries = search_entries(knowledge)
    hits = run_search(knowledge, text, limit, entries)
    suggestions = [] if hits else did_you_mean(knowledge, text, entries)
    emit(search_view(knowledge, text, hits, suggestions), format)
    if not hits:
        raise typer.Exit(1)


@app.command()
def indicators(
    topic: Annotated[
        str | None,
        typer.Option(
            "--topic", "-t", help="ai_firms, unicorns, industry_scale, budget, filings, talent … (default: all)"
        ),
    ] = None,
    kb: KbOption = None,
    city: CityOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Figures about places (AI firms, unicorns, industry scale …) with their as-of dates.

    Example: citypolicy indicators --topic ai_firms
    """
    from .model import Topic
    from .present import indicators_view
    from .queries import indicators as find_indicators

    try:
        chosen = Topic(topic) if topic else None
    except ValueError:
        raise typer.BadParameter(f"choose one of: {', '.join(t.value for t in Topic)}", param_hint="--topic") from None
    answer(kb, format, lambda knowledge: indicators_view(knowledge, find_indicators(knowledge, chosen, city), chosen))


@app.command()
def query(
    question: Annotated[
        str, typer.Argument(help='A question, e.g. "compute voucher rates by city" or "各城市算力券比例"')
    ],
    kb: KbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Answer a free-text question with the named query it means, and say which one ran.

    Example: citypolicy query "what would a startup spending ¥12M a year on compute get back in Shenzhen vs Zhuhai"
    """
    from .nlquery import QUERIES, execute, plan

    knowledge = load_or_exit(kb)
    chosen = plan(knowledge, question)
    if chosen is None:
        lines = "\n".join(f"  {name:<11} {what}" for name, what in QUERIES.items())
        raise UserError(f"no query matches '{question}'. The queries there are:\n{lines}")
    typer.echo(f"ran: {chosen.command()}", err=True)
    emit(lookup(lambda: execute(knowledge, chosen)), format)


class ReportFormat(StrEnum):
    markdown = "markdown"
    html = "html"


@app.command()
def report(
    kind: Annotated[str, typer.Argument(help="vouchers, targets, city or compare")],
    places: Annotated[list[str] | None, typer.Argument(help="The place for `city`; two or more for `compare`")] = None,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="markdown or html")] = ReportFormat.markdown,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout)", dir_okay=False)
    ] = None,
    kb: KbOption = None,
    force: ForceOption = False,
) -> None:
    """A shareable report, every figure footnoted with its source and quote.

    Example: citypolicy report compare beijing shanghai --format html -o compare.html
    """
    from .outputs import write_text_atomic
    from .report import REPORT_KINDS, render_report

    if kind not in REPORT_KINDS:
        raise typer.BadParameter(f"choose one of: {', '.join(REPORT_KINDS)}", param_hint="KIND")
    check_output(output, force)
    knowledge = load_or_exit(kb)
    try:
        text = lookup(lambda: render_report(knowledge, kind, places or [], format.value))
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


@app.command()
def export(
    format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="json (everything), csv (facts) or sqlite")
    ] = ExportFormat.json,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write (json/csv: default stdout; sqlite: default citypolicy.sqlite)",
            dir_okay=False,
        ),
    ] = None,
    kb: KbOption = None,
    force: ForceOption = False,
) -> None:
    """Export the knowledge base: JSON document, CSV of facts (one row per number), or SQLite.

    Example: citypolicy export --format sqlite -o policies.sqlite
    """
    from . import export as E
    from .outputs import write_text_atomic

    if format is ExportFormat.sqlite:
        output = output or Path("citypolicy.sqlite")
    check_output(output, force)
    knowledge = load_or_exit(kb)
    if format is ExportFormat.sqlite:
        target = output
        writing(target, lambda: E.export_sqlite(knowledge, target))
        typer.echo(f"wrote {target}", err=True)
        return
    if format is ExportFormat.json and output is None:
        sys.stdout.writelines(E.export_chunks(knowledge))
    elif format is ExportFormat.json:
        writing(output, lambda: E.write_json(knowledge, output))
    elif output is None:
        typer.echo(E.export_csv(knowledge), nl=False)
    else:
        writing(output, lambda: write_text_atomic(output, E.export_csv(knowledge)))
    if output is not None:
        typer.echo(f"wrote {output}", err=True)


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
    from .render import build as build_site
    from .sitefolder import tidy

    tidy(out, kb_root(kb))
    knowledge = load_or_exit(kb)
    progress = _progress_bar()
    with progress as bar:
        count = writing(out, lambda: build_site(knowledge, out, bar.update if bar else None))
    typer.echo(f"built {count} pages in {out.resolve()} — open {out.resolve() / 'index.html'}")


class _Quiet:
    def __enter__(self):  # type: ignore[no-untyped-def]
        return None

    def __exit__(self, *exc: object) -> None:
        return None


class _RichBar:
    """A rich progress bar on a terminal; pages are counted as they are written."""

    def __enter__(self):  # type: ignore[no-untyped-def]
        from rich.progress import Progress

        self.progress = Progress(transient=True)
        self.progress.__enter__()
        self.task = self.progress.add_task("building pages", total=None)
        return self

    def update(self, done: int, total: int) -> None:
        self.progress.update(self.task, completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        self.progress.__exit__(*exc)  # type: ignore[arg-type]


def _progress_bar():  # type: ignore[no-untyped-def]
    return _RichBar() if sys.stderr.isatty() else _Quiet()


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
    show_missing: Annotated[
        bool, typer.Option("--show-missing", help="List the mentions not yet accounted for")
    ] = False,
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


def main() -> None:
    """Entry point: user errors become messages and exit codes, never tracebacks."""
    import os

    from .outputs import Refused

    # pydantic looks for plugins through package metadata at the first model; the CLI uses none.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        app()  # standalone: typer prints usage errors (exit 2) and --help itself
    except P.InvalidData as error:
        for problem in error.problems:
            typer.echo(problem.render(), err=True)
        typer.echo(f"{len(error.problems)} problem(s) found", err=True)
        sys.exit(1)
    except UserError as error:
        typer.echo(f"error: {error}", err=True)
        sys.exit(1)
    except Refused as error:
        typer.echo(f"error: {error}", err=True)
        sys.exit(2)
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`): nothing left to say
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:  # a bug: say so plainly; CITYPOLICY_DEBUG=1 shows the traceback
        if os.environ.get("CITYPOLICY_DEBUG"):
            raise
        typer.echo(f"internal error: {type(error).__name__}: {error} (set CITYPOLICY_DEBUG=1 for details)", err=True)
        sys.exit(1)

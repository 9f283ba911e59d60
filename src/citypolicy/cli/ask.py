"""Commands that answer questions: vouchers, subsidy, targets, show, compare, search, indicators, query."""

from __future__ import annotations

from typing import Annotated

import typer

from ..core.problems import one_line
from .common import (
    AsOfOption,
    CityOption,
    Format,
    FormatOption,
    KbOption,
    UserError,
    answer,
    app,
    as_of_day,
    emit,
    load_or_exit,
    lookup,
    vocabulary_choice,
)


@app.command()
def vouchers(
    kb: KbOption = None,
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            "-k",
            help="compute (算力券, 训力券, 算力补贴), training, corpus, model, labelling, data, scenario, innovation, "
            "all (default), or a voucher's Chinese name",
        ),
    ] = "all",
    city: CityOption = None,
    as_of: AsOfOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Every voucher and compute subsidy by city and district: rate, tiers, cap, pool, who may claim,
    with the terms in force on --as-of (default today).

    Example: citypolicy vouchers --kind compute --format json
    """
    from ..ask.present import vouchers_view
    from ..ask.queries import kinds_for, voucher_rows

    try:
        kinds_for(kind)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--kind") from None
    day = as_of_day(as_of)
    answer(kb, format, lambda knowledge: vouchers_view(knowledge, voucher_rows(knowledge, kind, city, day), kind))


@app.command()
def subsidy(
    spend: Annotated[str, typer.Option("--spend", "-s", help="Annual spend: 1200万, 1.2亿, 12000000, 12M, 1.2bn")],
    startup: Annotated[
        bool, typer.Option("--startup", help="The applicant is a startup (初创企业), an enterprise")
    ] = False,
    sme: Annotated[bool, typer.Option("--sme", help="The applicant is an SME (中小企业), an enterprise")] = False,
    beneficiary: Annotated[
        str,
        typer.Option(
            "--beneficiary", "-b", help="enterprise, university, research, individual, labelling_platform (or 中文)"
        ),
    ] = "enterprise",
    applicant_class: Annotated[
        str | None, typer.Option("--class", help="The applicant's class where a voucher names classes (A, B)")
    ] = None,
    condition: Annotated[
        list[str] | None,
        typer.Option(
            "--condition",
            help="A named condition that holds (NAME) or not (NAME=no); repeat for several. Others are shown as cases",
        ),
    ] = None,
    kind: Annotated[
        str, typer.Option("--kind", "-k", help="compute (default: 算力券, 训力券, 算力补贴), training, labelling, …")
    ] = "compute",
    kb: KbOption = None,
    city: CityOption = None,
    as_of: AsOfOption = None,
    format: FormatOption = Format.table,
) -> None:
    """What each place's vouchers and subsidies pay back for a year's spend, never choosing silently.

    Example: citypolicy subsidy --spend 1200万 --startup --city 深圳 --city zhuhai
    """
    from ..ask.calculator import Applicant, parse_spend
    from ..ask.calculator import subsidy as compute_subsidy
    from ..ask.queries import kinds_for
    from ..ask.subsidy_view import subsidy_view
    from ..schema.glossary import BENEFICIARIES

    try:
        amount = parse_spend(spend)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--spend") from None
    try:
        kinds = kinds_for(kind)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--kind") from None
    applicant = Applicant(
        vocabulary_choice(beneficiary, BENEFICIARIES, "--beneficiary"),
        startup,
        sme,
        applicant_class,
        tuple(_condition(c) for c in condition or []),
    )
    day = as_of_day(as_of)
    answer(
        kb,
        format,
        lambda knowledge: subsidy_view(knowledge, compute_subsidy(knowledge, amount, applicant, city, kinds, day)),
    )


def _condition(text: str) -> tuple[str, bool]:
    name, _, value = text.partition("=")
    value = value.strip().lower() or "yes"
    if value not in {"yes", "no", "true", "false", "1", "0"}:
        raise typer.BadParameter(f"write NAME or NAME=no, got '{text}'", param_hint="--condition")
    return name.strip(), value in {"yes", "true", "1"}


@app.command()
def targets(
    kb: KbOption = None,
    city: CityOption = None,
    due_by: Annotated[int | None, typer.Option("--due-by", help="Only targets due by the end of this year")] = None,
    metric: Annotated[
        str | None, typer.Option("--metric", "-m", help="Words in the metric or its topic, e.g. 产业规模, compute")
    ] = None,
    as_of: AsOfOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Targets with value (floor), stretch (力争), deadline, and their outcome on --as-of (default today):
    achieved as a record states, due, or past the deadline with the outcome not stated.

    Example: citypolicy targets --due-by 2026 --city shenzhen
    """
    from ..ask.present import targets_view
    from ..ask.queries import targets as find_targets

    day = as_of_day(as_of)
    answer(kb, format, lambda knowledge: targets_view(knowledge, find_targets(knowledge, city, due_by, metric), day))


@app.command()
def show(
    place: Annotated[str, typer.Argument(help="A city, district or zone: id, 中文, English, pinyin or alias")],
    kb: KbOption = None,
    as_of: AsOfOption = None,
    format: FormatOption = Format.table,
) -> None:
    """A place's profile: sub-places, policies by date with their status, instruments with the terms in
    force on --as-of (default today) and their history, targets, indicators, institutions.

    Example: citypolicy show 琶洲
    """
    from ..ask.profile_view import profile_view
    from ..ask.queries import profile
    from ..ask.resolve import resolve_place

    day = as_of_day(as_of)
    answer(
        kb, format, lambda knowledge: profile_view(knowledge, profile(knowledge, resolve_place(knowledge, place), day))
    )


@app.command()
def compare(
    places: Annotated[list[str], typer.Argument(help="Two or more places")],
    kb: KbOption = None,
    as_of: AsOfOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Several places side by side, aligned by kind of instrument, indicator topic and target topic.

    Example: citypolicy compare beijing shanghai
    """
    from ..ask.present import compare_view
    from ..ask.queries import compare as build_comparison
    from ..ask.resolve import resolve_place

    if len(places) < 2:
        raise typer.BadParameter("name at least two places", param_hint="PLACES")
    day = as_of_day(as_of)
    answer(
        kb,
        format,
        lambda knowledge: compare_view(
            knowledge, build_comparison(knowledge, [resolve_place(knowledge, p) for p in places], day)
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
    from ..ask.present import search_view
    from ..ask.resolve import did_you_mean, search_entries
    from ..ask.resolve import search as run_search

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
    from ..ask.present import indicators_view
    from ..ask.queries import indicators as find_indicators
    from ..schema.model import Topic

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
    from ..ask.nlquery import QUERIES, execute, plan

    knowledge = load_or_exit(kb)
    chosen = plan(knowledge, question)
    if chosen is None:
        lines = "\n".join(f"  {name:<11} {what}" for name, what in QUERIES.items())
        raise UserError(f"no query matches '{one_line(question)}'. The queries there are:\n{lines}")
    typer.echo(f"ran: {chosen.command()}", err=True)
    emit(lookup(lambda: execute(knowledge, chosen)), format)

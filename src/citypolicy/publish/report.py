"""Reports an analyst can hand on (Markdown or HTML, English or Chinese): a title, the date and how
recent the sources are, a short summary, one section per kind of record with rows aligned across
places, comparability notes, and footnotes citing outlet, headline and date with the quote that
states each figure.

A report is built as data first (Report: sections of tables and lists whose lines mix text, figures
and footnote references), then laid out by templates/report/report.{md,html}. Footnotes are one per
distinct quote; each remembers the figures it supports, so a test can check that every footnote's
quote states them.
"""

from __future__ import annotations

import calendar
import unicodedata
from dataclasses import dataclass
from datetime import date

import jinja2
from markupsafe import Markup

from ..ask import queries, timeline
from ..ask.resolve import resolve_place
from ..core.dates import PartialDate
from ..core.escape import markdown_text
from ..core.quantity import Quantity
from ..load.loader import KnowledgeBase
from ..schema.glossary import label
from ..schema.model import Jurisdiction, Record
from . import figures, status_view
from .i18n import text as ui
from .report_model import Fig, Footnotes, Line, Note, Ref, Report, Row, Section, Table
from .site import TEMPLATES

REPORT_KINDS = ("vouchers", "targets", "city", "compare")
LANGS = ("en", "zh")


# --------------------------------------------------------------------------- building


class Builder:
    def __init__(self, kb: KnowledgeBase, lang: str, day: date):
        if lang not in LANGS:
            raise ValueError(f"unknown language '{lang}': choose en or zh")
        self.kb = kb
        self.lang = lang
        self.day = day  # terms in force, statuses and outcomes are those of this day
        self.fn = Footnotes(kb)

    def t(self, key: str, **values: object) -> str:
        return ui(f"report.{key}", self.lang, **values)

    def name(self, value: object) -> str:
        """A name or title in the report's language (a Name), or a vocabulary label."""
        zh, en = getattr(value, "zh", None), getattr(value, "en", None)
        if zh is not None and en is not None:
            return zh if self.lang == "zh" else en
        return label(value, self.lang)

    def place(self, place_id: str) -> str:
        place = self.kb.jurisdictions[place_id]
        return self.name(place.name)

    def sep(self) -> str:
        return "；" if self.lang == "zh" else "; "

    def join(self, items: list[str]) -> str:
        return figures.join(items, self.lang)

    def date(self, d: PartialDate | None) -> str:
        return d.human(self.lang) if d else self.t("not_stated")

    def fig(self, record: Record, q: Quantity) -> Fig:
        return self.fn.fig(record, q, self.lang)

    # -- pieces of lines

    def limit_line(self, record: Record, limit) -> Line:  # type: ignore[no-untyped-def]
        line: Line = [self.fig(record, limit.amount)]
        if limit.years:
            line.append(" " + self.t("over_years", n=limit.years))
        period = label(limit.period, self.lang)
        if period:
            line.append(f" {period}" if self.lang == "en" else f"（{period}）")
        per = label(limit.per, self.lang)
        line.append(f" {per}" if self.lang == "en" else f"，{per}")
        if limit.relaxable:
            relaxable = self.t("relaxable", when=self.name(limit.relaxable))
            line.append(f" ({relaxable})" if self.lang == "en" else f"（{relaxable}）")
        return line

    def instrument_line(self, i) -> Line:  # type: ignore[no-untyped-def]
        line: Line = [self.name(i.record.name)]
        if i.jurisdiction_note:
            line.append(i.jurisdiction_note)
        parts: list[Line] = []
        if i.record.rate:
            parts.append([self.t("rate") + " ", self.fig(i.record, i.record.rate)])
        for tier in i.record.tiers:
            parts += self.tier_parts(i.record, tier)
        if i.record.cap:
            parts.append([self.t("cap") + " ", *self.limit_line(i.record, i.record.cap)])
        if i.record.pool:
            parts.append([self.t("pool") + " ", self.fig(i.record, i.record.pool.amount)])
        if i.record.benefit:
            parts.append([self.fig(i.record, i.record.benefit)])
        if not parts:
            return [*line, self.t("colon"), self.t("no_terms"), self.fn.ref(i.record)]
        line.append(self.t("colon"))
        for n, part in enumerate(parts):
            if n:
                line.append(self.sep())
            line += part
        return line + self.changes(i.record)

    def changes(self, instrument) -> Line:  # type: ignore[no-untyped-def]
        """How the terms shown came to be ("pool raised from … in 2025"), from the record as written."""
        pairs = status_view.change_notes(self.kb.instruments[instrument.id], self.day)
        notes = [zh if self.lang == "zh" else en for en, zh in pairs]
        if not notes:
            return []
        return [f" ({'; '.join(notes)})" if self.lang == "en" else f"（{'；'.join(notes)}）"]

    def tier_parts(self, record: Record, tier) -> list[Line]:  # type: ignore[no-untyped-def]
        """A tier's own terms in one part, named once: its rate, its cap, its pool."""
        terms: list[Line] = []
        if tier.rate:
            terms.append([self.fig(record, tier.rate)])
        if tier.cap:
            terms.append([self.t("cap") + " ", *self.limit_line(record, tier.cap)])
        if tier.pool:
            terms.append([self.t("pool") + " ", self.fig(record, tier.pool.amount)])
        if not terms:
            return []
        part: Line = [tier.describe(self.lang) + " "]
        for n, term in enumerate(terms):
            part += ([", " if self.lang == "en" else "，"] if n else []) + term
        return [part]

    def target_line(self, tg) -> Line:  # type: ignore[no-untyped-def]
        line: Line = [self.name(tg.metric), self.t("colon")]
        if tg.value:
            line.append(self.fig(tg, tg.value))
        if tg.stretch:
            line += [(" " if tg.value else "") + self.t("striving_for") + " ", self.fig(tg, tg.stretch)]
        if not tg.value and not tg.stretch:
            line += [self.t("not_stated"), self.fn.ref(tg)]
        if tg.deadline:
            line.append(" " + self.t("by", when=tg.deadline.human(self.lang)))
        outcome = timeline.target_outcome(tg, self.day)
        if tg.status:
            line.append(f" — {label(tg.status, self.lang)}")
        elif outcome == "outcome_not_stated":
            line.append(f" — {ui('outcome.outcome_not_stated', self.lang)}")
        return line

    def indicator_line(self, x) -> Line:  # type: ignore[no-untyped-def]
        when = " " + self.t("as_of", when=self.date(x.as_of))
        return [self.name(x.metric), self.t("colon"), self.fig(x, x.value), when]


@dataclass
class Tagged:
    """A record with a note naming its place when that differs from the column's place."""

    record: Record
    jurisdiction_note: str = ""


def _tag(b: Builder, record: Record, place: Jurisdiction) -> Tagged:
    if record.jurisdiction == place.id:
        return Tagged(record)
    where = b.place(record.jurisdiction)
    return Tagged(record, f"（{where}）" if b.lang == "zh" else f" ({where})")


def _grouped_table(
    b: Builder,
    profiles: list[queries.Profile],
    items,
    key,
    order: list,
    line,  # type: ignore[no-untyped-def]
) -> Table:
    """Rows by kind or topic (one row each, never repeated), one column per place."""
    found = sorted({key(x) for p in profiles for x in items(p)}, key=order.index)
    rows = []
    for k in found:
        cells = [[line(x, p.place) for x in items(p) if key(x) is k] for p in profiles]
        rows.append(Row(label(k, b.lang), cells))
    return Table([b.name(p.place.name) for p in profiles], rows, b.t("dimension"))


def _sections(b: Builder, profiles: list[queries.Profile]) -> list[Section]:
    from ..schema.model import InstrumentKind, Topic

    kinds = list(InstrumentKind)
    compute_first = sorted(kinds, key=lambda k: (k not in queries.COMPUTE_KINDS, kinds.index(k)))
    sections = [
        Section(
            "instruments",
            b.t("instruments"),
            _grouped_table(
                b,
                profiles,
                lambda p: p.instruments,
                lambda i: i.kind,
                compute_first,
                lambda i, place: b.instrument_line(_tag(b, i, place)),
            ),
        ),
        Section(
            "targets",
            b.t("targets"),
            _grouped_table(
                b,
                profiles,
                lambda p: p.targets,
                lambda t: t.topic,
                list(Topic),
                lambda t, place: _tagged_line(b, t, place, b.target_line),
            ),
        ),
        Section(
            "indicators",
            b.t("indicators"),
            _grouped_table(
                b,
                profiles,
                lambda p: p.indicators,
                lambda x: x.topic,
                list(Topic),
                lambda x, place: _tagged_line(b, x, place, b.indicator_line),
            ),
        ),
        Section("policies", b.t("policies"), items=[_policy_line(b, p) for prof in profiles for p in prof.policies]),
    ]
    for section in sections:
        if section.table is not None and not section.table.rows:
            section.intro = b.t("none")
    return sections


def _tagged_line(b: Builder, record: Record, place: Jurisdiction, line) -> Line:  # type: ignore[no-untyped-def]
    out = line(record)
    tag = _tag(b, record, place).jurisdiction_note
    return [out[0], tag, *out[1:]] if tag else out


def _policy_line(b: Builder, p) -> Line:  # type: ignore[no-untyped-def]
    line: Line = [b.place(p.jurisdiction), b.t("colon"), b.name(p.title)]
    if p.issued:
        line.append(f" ({p.issued.human(b.lang)})" if b.lang == "en" else f"（{p.issued.human('zh')}）")
    line.append(b.fn.ref(p))
    return line


# --------------------------------------------------------------------------- summaries and notes


def _glance_part(b: Builder, f) -> Line:  # type: ignore[no-untyped-def]
    """One infobox figure: the number(s) and, in brackets, what it is."""
    part: Line = []
    if f.quantity is not None:
        part.append(b.fig(f.record, f.quantity))
    if f.stretch is not None:
        part += [(" " if f.quantity else "") + b.t("striving_for") + " ", b.fig(f.record, f.stretch)]
    what = b.name(f.what) if f.what else ""
    if f.tier is not None:
        what += f", {f.tier.describe(b.lang)}" if b.lang == "en" else f"，{f.tier.describe('zh')}"
    if f.place is not None:
        what += f", {b.name(f.place.name)}" if b.lang == "en" else f"，{b.name(f.place.name)}"
    if what:
        part.append(f" ({what})" if b.lang == "en" else f"（{what}）")
    return part


def _glance(b: Builder, places: list[Jurisdiction]) -> tuple[Table, list]:  # type: ignore[type-arg]
    """The headline figures of each place (its page's infobox), one row per figure."""
    from .place_page import place_page

    views = [place_page(b.kb, p, b.day) for p in places]
    rows = []
    for row in views[0].infobox:
        if row.key == "info.places":
            continue
        cells: list[list[Line]] = []
        for view in views:
            mine = next((r for r in view.infobox if r.key == row.key), None)
            if mine is None:
                cells.append([])
            elif mine.count is not None:
                cells.append([[str(mine.count)]])
            else:
                cells.append([_glance_part(b, f) for f in mine.figures])
        rows.append(Row(ui(row.key, b.lang), cells))
    return Table([b.name(p.name) for p in places], rows, ""), views


def _stated_figures(views: list, key: str) -> list[tuple[object, object]]:  # type: ignore[type-arg]
    """(place, first figure) of each place whose infobox row `key` holds a number, largest first."""
    found = []
    for view in views:
        row = next((r for r in view.infobox if r.key == key), None)
        if row is not None and row.figures and row.figures[0].quantity is not None:
            found.append((view.place, row.figures[0]))

    def top(item: tuple[object, object]) -> object:
        q = item[1].quantity  # type: ignore[attr-defined]
        return q.high if q.high is not None else q.value

    return sorted(found, key=top, reverse=True)  # type: ignore[arg-type]


def _leaders(b: Builder, views: list) -> list[Line]:  # type: ignore[type-arg]
    """The summary: who leads on each voucher and fund figure (every place when they tie; a line
    saying so when no place has one), each place's firms and industry scale, and what is on record."""
    lines: list[Line] = []
    for key in ("info.compute_rate", "info.compute_cap", "info.compute_pool", "info.funds"):
        found = _stated_figures(views, key)
        if not found:
            if key == "info.compute_rate":
                lines.append([b.t("no_vouchers", places=_and(b, [b.name(v.place.name) for v in views]))])
            continue
        best = found[0][1].quantity
        leaders = [(place, f) for place, f in found if f.quantity == best or f.quantity.value == best.value]
        lines.append(_figures_line(b, key, leaders))
    for key in ("info.ai_firms", "info.industry_scale"):
        found = _stated_figures(views, key)
        if found:
            lines.append(_figures_line(b, key, found))
    for view in views:
        p = view.profile
        counts = b.t(
            "counts",
            policies=len(p.policies),
            instruments=len(p.instruments),
            targets=len(p.targets),
            indicators=len(p.indicators),
        )
        lines.append([b.name(view.place.name), b.t("colon"), counts])
    return lines


def _figures_line(b: Builder, key: str, found: list) -> Line:  # type: ignore[type-arg]
    line: Line = [ui(key, b.lang), b.t("colon")]
    for n, (place, f) in enumerate(found):
        if n:
            line.append(b.sep())
        line += [b.name(place.name), " ", *_glance_part(b, f)]
    return line


def _comparability(b: Builder, profiles: list[queries.Profile]) -> list[Line]:
    from ..core.quantity import Bound
    from ..schema.model import COMPUTE_KINDS, Period

    notes: list[Line] = []
    levels = {p.place.level for p in profiles}
    if len(levels) > 1:
        notes.append(
            [
                b.t(
                    "note_levels",
                    places=b.join([f"{b.name(p.place.name)} ({label(p.place.level, b.lang)})" for p in profiles]),
                )
            ]
        )
    compute = [(p.place, i) for p in profiles for i in p.instruments if i.kind in COMPUTE_KINDS]
    bases = {i.rate_basis.en if i.rate_basis else None for _, i in compute if i.rate}
    if len(bases) > 1 or None in bases:
        described = [
            b.place(i.jurisdiction) + b.t("colon") + (b.name(i.rate_basis) if i.rate_basis else b.t("basis_not_stated"))
            for _, i in compute
            if i.rate
        ]
        notes.append([b.t("note_bases", list=b.join(described))])
    periods = {i.cap.period for _, i in compute if i.cap}
    if len(periods) > 1 or Period.UNSPECIFIED in periods:
        described = [
            f"{b.place(i.jurisdiction)}{b.t('colon')}{label(i.cap.period, b.lang) or b.t('period_not_stated')}"
            for _, i in compute
            if i.cap
        ]
        notes.append([b.t("note_periods", list=b.join(described))])
    if any(q.bound is Bound.AT_MOST for _, i in compute for q in (i.rate, i.cap.amount if i.cap else None) if q):
        notes.append([b.t("note_up_to")])
    dates = sorted({x.as_of for p in profiles for x in p.indicators}, key=lambda d: d.sort_key())
    if len(dates) > 1:
        notes.append([b.t("note_dates", start=dates[0].human(b.lang), end=dates[-1].human(b.lang))])
    notes.append([b.t("note_gaps")])
    return notes


def _sources_span(b: Builder) -> tuple[PartialDate | None, PartialDate | None]:
    dates = sorted((n.source.published for n in b.fn.notes if n.source), key=lambda d: d.sort_key())
    return (dates[0], dates[-1]) if dates else (None, None)


# --------------------------------------------------------------------------- the four reports


def build_report(
    kb: KnowledgeBase,
    kind: str,
    places: list[str],
    lang: str = "en",
    today: date | None = None,
    as_of: date | None = None,
) -> Report:
    """The report prepared `today` (default: the clock's day) with the terms in force on `as_of`
    (default: the day it is prepared)."""
    prepared = today or date.today()
    b = Builder(kb, lang, as_of or prepared)
    if kind == "compare":
        if len(places) < 2:
            raise ValueError("a comparison names at least two places: citypolicy report compare beijing shanghai")
        found = [resolve_place(kb, p) for p in places]
        profiles = [queries.profile(kb, p, b.day) for p in found]
        names = [b.name(p.name) for p in found]
        title = b.t("title_compare", places=_and(b, names))
        glance, views = _glance(b, found)
        summary = _leaders(b, views)
        sections = _sections(b, profiles)
        sections.insert(0, Section("comparability", b.t("comparability"), items=_comparability(b, profiles)))
    elif kind == "city":
        if len(places) != 1:
            raise ValueError("a city report names one place: citypolicy report city shenzhen")
        place = resolve_place(kb, places[0])
        profile = queries.profile(kb, place, b.day)
        title = b.t("title_city", place=b.name(place.name))
        glance, views = _glance(b, [place])
        summary = _leaders(b, views)
        sections = _sections(b, [profile])
        sections.append(
            Section(
                "institutions",
                b.t("institutions"),
                items=[[b.name(x.name), f" ({label(x.kind, b.lang)})", b.fn.ref(x)] for x in profile.institutions],
            )
        )
    elif kind == "vouchers":
        glance = None
        title, summary, sections = _vouchers(b, places)
    elif kind == "targets":
        glance = None
        title, summary, sections = _targets(b, places)
    else:
        raise ValueError(f"unknown report '{kind}': choose from {', '.join(REPORT_KINDS)}")
    start, end = _sources_span(b)
    return Report(lang, title, prepared, start, end, summary, glance, sections, b.fn.notes, b.day)


def _and(b: Builder, names: list[str]) -> str:
    if b.lang == "zh":
        return "、".join(names[:-1]) + "与" + names[-1]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _vouchers(b: Builder, places: list[str]) -> tuple[str, list[Line], list[Section]]:
    rows = queries.voucher_rows(b.kb, "all", places or None, b.day)
    table = Table([b.t("instrument"), b.t("terms"), b.t("beneficiaries"), b.t("policy")], [], b.t("place"))
    for r in rows:
        where = b.place(r.place.id) + ("" if r.place.id == r.city.id else f" ({b.place(r.city.id)})")
        if r.instrument is None:
            table.rows.append(Row(where, [[[b.t("no_voucher")]], [], [], []]))
            continue
        i = r.instrument
        terms = (
            b.instrument_line(Tagged(i))[2:]
            if (i.rate or i.cap or i.pool or i.tiers)
            else [b.t("no_terms"), b.fn.ref(i)]
        )
        who = [[b.join([label(x, b.lang) for x in i.beneficiaries])]] if i.beneficiaries else [[b.t("not_stated")]]
        policy = [[b.name(r.policy.title), b.fn.ref(r.policy)]] if r.policy else [[b.t("not_stated")]]
        table.rows.append(Row(where, [[[b.name(i.name)]], [terms], who, policy]))
    with_voucher = sorted({r.city.id for r in rows if r.instrument is not None})
    summary: list[Line] = [[b.t("vouchers_summary", n=len(with_voucher), total=len({r.city.id for r in rows}))]]
    return b.t("title_vouchers"), summary, [Section("instruments", b.t("instruments"), table=table)]


def _targets(b: Builder, places: list[str]) -> tuple[str, list[Line], list[Section]]:
    found = queries.targets(b.kb, places or None)
    table = Table([b.t("place"), b.t("target")], [], b.t("deadline"))
    for tg in found:
        table.rows.append(Row(b.date(tg.deadline), [[[b.place(tg.jurisdiction)]], [b.target_line(tg)]]))
    summary: list[Line] = [[b.t("targets_summary", n=len(found))]]
    return b.t("title_targets"), summary, [Section("targets", b.t("targets"), table=table)]


# --------------------------------------------------------------------------- rendering


def prepared_text(d: date, lang: str) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if lang == "zh" else f"{d.day} {calendar.month_name[d.month]} {d.year}"


def width(text: str) -> int:
    """Columns a text takes in a monospace font: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _md(text: object) -> Markup:
    """Record text in Markdown: inert (no HTML, links or cell breaks), see core/escape.py."""
    return text if isinstance(text, Markup) else Markup(markdown_text(text))


def _markdown(value: object) -> object:
    """Every value a Markdown report prints is escaped unless the template's own helpers made it."""
    return value if isinstance(value, Markup) else markdown_text(value)


def md_line(line: Line) -> Markup:
    out = []
    for piece in line:
        if isinstance(piece, Fig):
            out.append(f"{_md(piece.text)}[^{piece.note}]")
        elif isinstance(piece, Ref):
            out.append(f"[^{piece.note}]")
        else:
            out.append(_md(piece))
    return Markup("".join(out))


def md_table(table: Table) -> Markup:
    """A Markdown table whose columns line up in the file as well as when rendered."""
    header = [_md(c) for c in (table.label_column, *table.columns)]
    body = [
        [_md(row.label), *("<br>".join(md_line(line) for line in cell) or "—" for cell in row.cells)]
        for row in table.rows
    ]
    widths = [max(width(r[i]) for r in [header, *body]) for i in range(len(header))]

    def fmt(cells: list[str]) -> str:
        return "| " + " | ".join(c + " " * (w - width(c)) for c, w in zip(cells, widths, strict=True)) + " |"

    lines = [fmt(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *(fmt(r) for r in body)]
    return Markup("\n".join(lines))


def note_text(note: Note, lang: str) -> str:
    """Outlet, headline and date of the article, then the quote (and the link when known)."""
    s = note.source
    if s is None:
        return f"«{note.citation.quote}»"
    outlet = s.outlet.zh if lang == "zh" else s.outlet.en
    when = s.published.human(lang) if s.published else ("日期不详" if lang == "zh" else "date not known")
    if s.headline is not None:
        headline = s.headline.zh if lang == "zh" else s.headline.en
        return f"{outlet}，《{headline}》，{when}。" if lang == "zh" else f"{outlet}, “{headline}”, {when}."
    topic = s.topic.zh if lang == "zh" else s.topic.en
    if lang == "zh":
        return f"{outlet}，无标题报道（{topic}），{when}。"
    return f"{outlet}, untitled article ({topic}), {when}."


def render_report(
    kb: KnowledgeBase,
    kind: str,
    places: list[str],
    fmt: str,
    lang: str = "en",
    today: date | None = None,
    as_of: date | None = None,
) -> str:
    report = build_report(kb, kind, places, lang, today, as_of)
    html = fmt == "html"
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES / "report"),
        autoescape=html,  # HTML-escaped in HTML; in Markdown every value is escaped by `finalize`
        finalize=None if html else _markdown,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(md=_md, md_line=md_line, md_table=md_table, note_text=lambda n: note_text(n, lang))
    env.globals.update(
        Fig=Fig,
        Ref=Ref,
        is_fig=lambda p: isinstance(p, Fig),
        is_ref=lambda p: isinstance(p, Ref),
        t=lambda key, **values: ui(f"report.{key}", lang, **values),
        figures=figures,
    )
    template = env.get_template(f"report.{'html' if html else 'md'}")
    return template.render(
        r=report,
        prepared=prepared_text(report.prepared, lang),
        as_of=prepared_text(report.as_of, lang) if report.as_of != report.prepared else "",
        sources_from=report.sources_from.human(lang) if report.sources_from else "",
        sources_to=report.sources_to.human(lang) if report.sources_to else "",
    )

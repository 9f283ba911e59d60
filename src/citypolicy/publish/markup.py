"""The site's templates and the small pieces of markup every page writes many times (figures,
gaps, labels, dates), as Python functions: a page of a large knowledge base calls them thousands of
times, and a function costs a fraction of a template macro."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from ..core.dates import PartialDate
from ..core.paths import PROJECT_ROOT
from ..core.quantity import Bound, Quantity, format_cny
from ..load.loader import KnowledgeBase
from ..schema.glossary import NOT_STATED, VOCABULARIES, label
from ..schema.model import Period, Record
from . import figures, i18n
from .links import Links, safe_url
from .provenance import record_name

TEMPLATES = PROJECT_ROOT / "templates"


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # everywhere: record text is data, never markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        cny=format_cny,
        label=label,
        human=lambda d, lang="en": d.human(lang) if isinstance(d, PartialDate) else "",
        safe_url=safe_url,
        zh=figures.as_written_zh,
        fig_en=figures.figure_en,
        fig_zh=figures.figure_zh,
        exact=figures.exact,
        sort_value=figures.sort_value,
    )
    env.globals.update(
        NOT_STATED=NOT_STATED,
        fig=figure_link,
        gap=gap,
        lab=lab,
        date=date,
        period=period,
        tr=i18n.tr,
        text=i18n.text,
        aria=aria,
        both=i18n.both,
        join_both=join_both,
        join_labels=lambda values: join_both([(label(v), label(v, "zh")) for v in values]),
    )
    return env


@jinja2.pass_context
def figure_link(context: jinja2.runtime.Context, record: Record, q: Quantity) -> Markup:
    """A figure in both languages, its exact value for sorting, linked to the sentence stating it."""
    href = context["links"].figure(record, q)
    upto = " upto" if q.bound is Bound.AT_MOST else ""
    return Markup(
        f'<a class="fig{upto}" href="{escape(href)}" title="{escape(figures.exact(q))} · {escape(q.text)}"'
        f' data-value="{figures.sort_value(q)}" data-unit="{q.unit.value}">'
        f"{i18n.both(figures.figure_en(q), figures.figure_zh(q))}</a>"
    )


def aria(key: str) -> Markup:
    """An aria-label in the page's language (the script swaps it when the reader switches)."""
    en, zh = i18n.STRINGS[key]
    return Markup('aria-label="{}" data-label-en="{}" data-label-zh="{}"').format(en, en, zh)


def join_both(items: list[tuple[str, str]]) -> Markup:
    """(en, zh) pairs as one list per language: `a, b` / `a、b`."""
    return i18n.both(", ".join(en for en, _ in items), "、".join(zh for _, zh in items))


_NOTE_TOKEN = re.compile(r"`?\b([a-z0-9]+(?:-[a-z0-9]+)+|[a-z]+(?:_[a-z0-9]+)+)\b`?")
_VOCABULARY = {t.value: t.en for v in VOCABULARIES for t in v if "_" in t.value and t.en}


_ARTICLE_REFERENCE = re.compile(r"\b([Aa]rticles?) (\d{3}(?:(?:,? and |, )\d{3})*)\b")
_ARTICLE_NUMBER = re.compile(r"\d{3}")


def reader_note(kb: KnowledgeBase, links: Links, note: str) -> Markup:
    """A record's note as a reader should see it: `article 001` becomes the article's outlet, linked to
    its source page; a record id the record's name, linked; a vocabulary key (`ai_firms`) its label;
    a field name (`as_of`) words."""
    out: list[Markup] = []
    last = 0
    for match in _ARTICLE_REFERENCE.finditer(note):
        out.append(_note_words(kb, links, note[last : match.start()]))
        out.append(_article_links(kb, links, match))
        last = match.end()
    out.append(_note_words(kb, links, note[last:]))
    return Markup("".join(out))


def _article_links(kb: KnowledgeBase, links: Links, match: re.Match[str]) -> Markup:
    """`article 001` -> `the Oriental Outlook article` linked to its page; a number with no article stays."""
    by_number = {Path(file).name[:3]: source for file, source in kb.sources.items()}
    parts: list[str] = []
    last = 0
    numbers = match.group(2)
    for number in _ARTICLE_NUMBER.finditer(numbers):
        source = by_number.get(number.group())
        if source is None:
            return Markup(escape(match.group()))
        parts.append(str(escape(numbers[last : number.start()])))
        parts.append(str(Markup('<a href="{}">{}</a>').format(links.source(source.file), source.outlet.en)))
        last = number.end()
    word = match.group(1)
    the = "The" if word[0].isupper() else "the"
    return Markup(f"{the} {''.join(parts)} {word.lower()}")


def _note_words(kb: KnowledgeBase, links: Links, note: str) -> Markup:
    out: list[str] = []
    last = 0
    for match in _NOTE_TOKEN.finditer(note):
        token = match.group(1)
        record = kb.get(token) if "-" in token else None
        if "-" in token and record is None:
            continue
        out.append(str(escape(note[last : match.start()])))
        if record is not None:
            en, _ = record_name(kb, record)
            out.append(str(Markup('<a href="{}">{}</a>').format(links.record(record), en)))
        else:
            out.append(str(escape(_VOCABULARY.get(token, token.replace("_", " ")))))
        last = match.end()
    out.append(str(escape(note[last:])))
    return Markup("".join(out).replace("`", ""))


def gap() -> Markup:
    """What the sources do not state: a compact dash, read out in full by screen readers."""
    return _GAP


_GAP = (
    Markup('<span class="gap"><span aria-hidden="true">—</span><span class="visually-hidden">')
    + i18n.tr("gap.long")
    + Markup("</span></span>")
)


def lab(value: object) -> Markup:
    """A vocabulary value's label in both languages."""
    return i18n.both(label(value), label(value, "zh"))


def date(d: PartialDate | None) -> Markup:
    return i18n.both(d.human(), d.human("zh")) if d else _GAP


def period(p: Period) -> Markup:
    if p is Period.YEAR:
        return Markup(" ") + i18n.tr("a_year")
    if p is Period.TOTAL:
        return Markup(" ") + i18n.tr("in_total")
    return Markup("")

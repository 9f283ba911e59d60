"""Shareable reports (Markdown or HTML) from the query functions, every figure footnoted with its
source file and the quote it came from."""

from __future__ import annotations

from dataclasses import dataclass, field

import jinja2
from markupsafe import Markup

from ..ask import queries
from ..ask.resolve import resolve_place
from ..core.escape import markdown_text
from ..core.quantity import Quantity, format_quantity
from ..load.loader import KnowledgeBase
from ..schema.glossary import NOT_STATED, label
from ..schema.model import Citation, Jurisdiction, Record
from .export import citation_for
from .site import TEMPLATES

REPORT_KINDS = ("vouchers", "targets", "city", "compare")


@dataclass
class Footnotes:
    """Numbers citations in the order figures first use them; one note per distinct quote."""

    html: bool
    notes: list[Citation] = field(default_factory=list)

    def __call__(self, record: Record | Jurisdiction, quantity: Quantity | None = None) -> str:
        citation = citation_for(record.sources, quantity) if quantity is not None else record.sources[0]
        if citation not in self.notes:
            self.notes.append(citation)
        number = self.notes.index(citation) + 1
        if self.html:
            return Markup(f'<sup><a href="#fn-{number}" id="ref-{number}">{number}</a></sup>')
        return Markup(f"[^{number}]")


def _markdown(value: object) -> object:
    """Every value a Markdown report prints is escaped (see core/escape.py) unless it is already
    output of the template itself (a macro's text, a footnote mark)."""
    return value if isinstance(value, Markup) else Markup(markdown_text(value))


def render_report(kb: KnowledgeBase, kind: str, places: list[str], fmt: str) -> str:
    html = fmt == "html"
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES / "report"),
        autoescape=True,  # HTML-escaped in HTML; escaped for Markdown by `finalize` in Markdown
        finalize=None if html else _markdown,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(q=format_quantity, label=label, md=lambda t: t)
    footnotes = Footnotes(html)
    context: dict[str, object] = {"kb": kb, "fn": footnotes, "NOT_STATED": NOT_STATED["en"], "kind": kind}
    if kind == "vouchers":
        context["rows"] = queries.voucher_rows(kb, "all", places or None)
        context["title"] = "Compute vouchers and subsidies by city"
    elif kind == "targets":
        context["targets"] = queries.targets(kb, places or None)
        context["title"] = "Targets by deadline"
    elif kind == "city":
        if len(places) != 1:
            raise ValueError("a city report names one place: citypolicy report city shenzhen")
        place = resolve_place(kb, places[0])
        context["profile"] = queries.profile(kb, place)
        context["title"] = f"{place.name.en} ({place.name.zh}): AI-industry policy profile"
    elif kind == "compare":
        if len(places) < 2:
            raise ValueError("a comparison names at least two places: citypolicy report compare beijing shanghai")
        found = [resolve_place(kb, p) for p in places]
        context["comparison"] = queries.compare(kb, found)
        context["title"] = "Comparison: " + " / ".join(p.name.en for p in found)
    else:
        raise ValueError(f"unknown report '{kind}': choose from {', '.join(REPORT_KINDS)}")
    template = env.get_template(f"report.{'html' if html else 'md'}")
    return template.render(**context, footnotes=footnotes)

"""Where everything lives in the site. Every href is relative to the page that uses it, so the site
works from file:// as well as from a server.

A figure's link lands on the sentence that states it and says which number the reader followed and
where they came from:
`sources/000_….html?fig=zhuhai-compute-voucher:rate&from=places/zhuhai.html%23zhuhai-compute-voucher#c-…-0`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlparse

from ..core.quantity import Quantity
from ..load.loader import KnowledgeBase
from ..schema.model import Citation, Jurisdiction, Record
from ..schema.values import quantities
from .facts import figure_citation


def safe_url(url: str | None) -> str | None:
    """Only http(s) links are rendered; anything else (javascript:, data:) is dropped."""
    if not url:
        return None
    return url if urlparse(url).scheme in {"http", "https"} else None


def anchor(record: Record | Jurisdiction, citation: Citation) -> str:
    """The id of a citation's passage on its source page: `c-<record>-<n>` for the record's own
    citations, `c-<record>-t<k>-<n>` for those of its k-th later terms (an instrument's changes)."""
    if citation in record.sources:
        return f"c-{record.id}-{record.sources.index(citation)}"
    for number, change in enumerate(getattr(record, "changes", ()), start=1):
        if citation in change.sources:
            return f"c-{record.id}-t{number}-{change.sources.index(citation)}"
    raise ValueError(f"{record.id} does not cite {citation.document}: «{citation.quote}»")


def change_citations(record: Record | Jurisdiction) -> list[Citation]:
    """The citations of an instrument's later terms that the record's own do not repeat."""
    found = []
    for change in getattr(record, "changes", ()):
        found += [c for c in change.sources if c not in record.sources and c not in found]
    return found


_FIELDS: dict[int, tuple[Record, list[tuple[str, Quantity]]]] = {}


def record_quantities(record: Record) -> list[tuple[str, Quantity]]:
    """quantities(record), walked once per record (records are immutable; pages ask many times)."""
    known = _FIELDS.get(id(record))
    if known is None or known[0] is not record:
        known = _FIELDS[id(record)] = (record, quantities(record))
    return known[1]


def field_of(record: Record, q: Quantity) -> str:
    """The path of a quantity in its record (`rate`, `cap.amount`, `tiers[0].rate`)."""
    found = record_quantities(record)
    for path, value in found:
        if value is q:
            return path
    for path, value in found:
        if value == q:
            return path
    return ""


@dataclass
class Links:
    kb: KnowledgeBase
    here: str = "index.html"  # this page's path from the site root
    back_anchor: Callable[[Record], str] | None = None  # where on this page a record is shown

    @property
    def depth(self) -> int:
        return self.here.count("/")

    @property
    def root(self) -> str:
        return "../" * self.depth

    def place(self, place_id: str) -> str:
        return f"{self.root}places/{place_id}.html"

    page_of_place = place

    def record(self, record: Record | Jurisdiction) -> str:
        if isinstance(record, Jurisdiction):
            return self.place(record.id)
        return f"{self.place(record.jurisdiction)}#{record.id}"

    def source(self, document: str) -> str:
        return f"{self.root}sources/{Path(document).stem}.html"

    def passage(self, record: Record | Jurisdiction, citation: Citation) -> str:
        return f"{self.source(citation.document)}#{anchor(record, citation)}"

    def figure(self, record: Record, q: Quantity) -> str:
        """The passage stating this number, marked, with a way back to this page."""
        citation = figure_citation(self.kb, record, q)
        back = self.back_anchor(record) if self.back_anchor else record.id
        fig = quote(f"{record.id}:{field_of(record, q)}", safe=":")
        came_from = quote(f"{self.here}#{back}", safe="/")
        return f"{self.source(citation.document)}?fig={fig}&from={came_from}#{anchor(record, citation)}"

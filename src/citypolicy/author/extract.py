"""Find every quantitative mention in an article and tell which ones the records account for.

Mentions (numbers with a unit, counter, magnitude or percent, ranks, dates), with the bound their
sentence gives them, are found by core/mentions.py: the same grammar the loader and the quote-proof
check use, so what `extract` finds is what a record can hold.

A mention is *captured* when a record cites the article with a quote that contains the mention
and holds the same value (same unit and number, or the same date) and sits on a place the
article names; *ignored* when data/ignored.yaml lists its passage with a reason; else *missing*.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from ..core import mentions
from ..core.dates import PartialDate
from ..core.quantity import Quantity
from ..core.textnorm import fold_text
from ..load.loader import KnowledgeBase, citations_of
from ..load.sources import Document
from ..schema.model import Jurisdiction
from ..schema.values import iter_values


class Status(StrEnum):
    CAPTURED = "captured"
    IGNORED = "ignored"
    MISSING = "missing"


@dataclass
class Mention(mentions.Mention):
    """A mention with what accounts for it."""

    status: Status = Status.MISSING
    by: list[str] = field(default_factory=list)  # record ids, or the ignore reason

    def to_json(self) -> dict[str, object]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "kind": self.kind,
            "value": self.quantity.to_json() if self.quantity else (str(self.date) if self.date else None),
            "normalised": self.normalised,
            "sentence": self.sentence,
            "status": self.status.value,
            "by": self.by,
        }


def find_mentions(text: str, year: int | PartialDate | None = None) -> list[Mention]:
    return [Mention(**vars(m)) for m in mentions.find_mentions(text, year)]


# --------------------------------------------------------------------------- accounting


@dataclass
class Report:
    document: str
    mentions: list[Mention]

    def count(self, status: Status) -> int:
        return sum(1 for m in self.mentions if m.status is status)

    @property
    def accounted(self) -> float:
        if not self.mentions:
            return 1.0
        return (len(self.mentions) - self.count(Status.MISSING)) / len(self.mentions)

    def to_json(self) -> dict[str, object]:
        return {
            "document": self.document,
            "mentions": len(self.mentions),
            "captured": self.count(Status.CAPTURED),
            "ignored": self.count(Status.IGNORED),
            "missing": self.count(Status.MISSING),
            "accounted": round(self.accounted, 4),
            "items": [m.to_json() for m in self.mentions],
        }


def extract(kb: KnowledgeBase | None, document: Document, year: int | None = None) -> Report:
    """Mentions in `document`, accounted against `kb`; `year` (default: the registry's date of the
    article) resolves 今年/去年, 目前 and dates given without a year."""
    when: int | PartialDate | None = year
    if year is None and kb is not None and document.file in kb.sources:
        when = kb.sources[document.file].published
    mentions = find_mentions(document.text, when)
    if kb is not None:
        _account(kb, document, mentions)
    return Report(document.file, mentions)


def coverage(kb: KnowledgeBase) -> list[Report]:
    reports = []
    for file in sorted(kb.sources):
        document = kb.library.get(file)
        if document is not None:
            reports.append(extract(kb, document))
    return reports


def _account(kb: KnowledgeBase, document: Document, mentions: list[Mention]) -> None:
    cited = list(_cited_spans(kb, document))
    ignored = [(document.find(p.quote), p) for p in kb.ignored if p.document == document.file]
    for mention in mentions:
        holders = [
            record_id
            for (start, end), record_id, record in cited
            if start <= mention.start and mention.end <= end and _holds(record, mention)
        ]
        if holders:
            mention.status, mention.by = Status.CAPTURED, sorted(set(holders))
            continue
        for span, passage in ignored:
            if span and span[0] <= mention.start and mention.end <= span[1] and _listed(passage.mentions, mention):
                mention.status, mention.by = Status.IGNORED, [passage.reason]
                break


def _cited_spans(kb: KnowledgeBase, document: Document) -> Iterable[tuple[tuple[int, int], str, object]]:
    names_in_text = document.folded.text
    for item in [*kb.jurisdictions.values(), *kb.records()]:
        if not _place_named(kb, item, names_in_text):
            continue
        for _, citation in citations_of(item):
            if citation.document == document.file:
                span = document.find(citation.quote)
                if span:
                    yield span, item.id, item


def _place_named(kb: KnowledgeBase, item: object, text: str) -> bool:
    place_id = item.id if isinstance(item, Jurisdiction) else getattr(item, "jurisdiction", None)
    chain = [kb.jurisdictions[place_id]] if place_id in kb.jurisdictions else []
    chain += kb.ancestors(place_id) if chain else []
    for place in chain:
        for name in (place.name.zh, *place.aliases):
            if fold_text(name) in text:
                return True
    return not chain


def _holds(record: object, mention: Mention) -> bool:
    for _, value in iter_values(record):  # type: ignore[arg-type]
        if isinstance(value, Quantity):
            if mention.quantity is not None and _same_quantity(value, mention.quantity):
                return True
        elif mention.date is not None and mentions.dates_agree(value, mention.date):
            return True
    return False


def _same_quantity(held: Quantity, seen: Quantity) -> bool:
    """The proof's own rule: same number, and the same unit or the unit the record declares."""
    from ..load.proof import same_number

    return same_number(held, seen)


def _listed(listed: list[str], mention: Mention) -> bool:
    if not listed:
        return True
    key = fold_text(mention.text)
    return any(fold_text(item) == key for item in listed)

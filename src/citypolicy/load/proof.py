"""Every figure is proven by its own quote: the quote states the same value, unit and bound.

For each number and date in a record, the record's quotes (a change's own quotes first) are read
with the shared grammar (core/mentions.py), in the context of their article, so a qualifier
earlier in the sentence counts. A figure is proven when one of those mentions states it:
- a quantity: same unit, same value (and upper end for a range), same bound (最高 → at most …);
  a quantity whose record names the unit the text leaves implicit ({text: 千亿级, unit: cny})
  matches a mention without a unit word; a quantity marked `derived` says how it follows instead;
- a date: the quote names it, at its precision or finer (2025-02-23 proves 2025-02-late); a date
  written {date: …, basis: …} says how it was inferred instead;
- a span of years (a plan's period): the quote names both ends.
Anything else is a problem at the figure's own line, naming what the quotes do state.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from pydantic import BaseModel

from ..core.dates import PartialDate
from ..core.mentions import Mention, YearRange, dates_agree, find_mentions
from ..core.problems import Loc, Problem
from ..core.quantity import BOUND_WORDS, COUNTERS, Bound, Quantity, Unit, normalise
from ..schema.model import Change, Citation, Jurisdiction, Record, YearSpan
from ..schema.values import iter_values

if TYPE_CHECKING:
    from .loader import KnowledgeBase
from .sources import Document

_BOUND_TEXT = {Bound.EXACT: "exact", Bound.RANGE: "a range", **{b: w for b, w in BOUND_WORDS.items() if w}}
_MAX_LISTED = 8


class Quotes:
    """The mentions stated by each quote of one article, read once per article."""

    def __init__(self, document: Document, published: PartialDate | None):
        self.document = document
        self.year = published  # resolves 今年/去年 and 目前 (now)

    @cached_property  # once per article: records visit articles in no order a small LRU would keep
    def mentions(self) -> list[Mention]:
        return _document_mentions(self.document.text, self.year)

    @cached_property
    def _starts(self) -> list[int]:
        return [m.start for m in self.mentions]  # in reading order

    def stated_by(self, quote: str) -> list[Mention]:
        span = self.document.find(quote)
        if span is None:
            return []
        first = bisect_left(self._starts, span[0])
        last = bisect_right(self._starts, span[1])
        return [m for m in self.mentions[first:last] if m.end <= span[1]]


@lru_cache(maxsize=64)
def _document_mentions(text: str, year: PartialDate | None) -> list[Mention]:
    return find_mentions(text, year)


def prove_record(item: Record | Jurisdiction, file: str, loc: Loc, quotes_of: dict[str, Quotes]) -> list[Problem]:
    """Problems for each figure of `item` that none of its quotes states."""
    problems = []
    proven: dict[tuple[object, ...], list[tuple[str, Quantity, list[list[Mention]]]]] = {}
    for path, value, citations in _figures(item):
        per_quote = [quotes_of[c.document].stated_by(c.quote) if c.document in quotes_of else [] for c in citations]
        message = _unproven(value, [m for mentions in per_quote for m in mentions])
        if message:
            problems.append(Problem(file, message, "not-stated", (*loc, *path_to_loc(path))))
        elif isinstance(value, Quantity) and value.derivation is None:
            key = (value.unit, value.value, value.high, value.bound)
            proven.setdefault(key, []).append((path, value, per_quote))
    for shared in proven.values():
        problems += _stated_too_few_times(file, loc, shared)
    return problems


def _stated_too_few_times(
    file: str, loc: Loc, shared: list[tuple[str, Quantity, list[list[Mention]]]]
) -> list[Problem]:
    """Two fields of one record may hold the same figure only if one quote states it twice: a figure
    changed into another that the same sentence states (50% → 60%) is then still caught, at both fields."""
    if len(shared) < 2:
        return []
    value = shared[0][1]
    times = max(
        sum(1 for m in mentions if m.quantity is not None and _states(value, m.quantity))
        for _, _, per_quote in shared
        for mentions in per_quote
    )
    if len(shared) <= times:
        return []
    paths = [path for path, _, _ in shared]
    message = (
        f"{value.text} is stated {_times(times)} in any one quote of this record but recorded "
        f"{_times(len(shared))} ({', '.join(paths)}): one of them is not stated"
    )
    return [Problem(file, message, "not-stated", (*loc, *path_to_loc(path))) for path in paths]


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def _figures(item: BaseModel) -> Iterator[tuple[str, object, list[Citation]]]:
    """(path, value, the citations that may state it): a change's own quotes, then the record's."""
    own: list[Citation] = list(getattr(item, "sources", []))
    changes: list[Change] = list(getattr(item, "changes", []))
    for path, value in iter_values(item):
        match = re.match(r"changes\[(\d+)\]", path)
        citations = [*changes[int(match.group(1))].sources, *own] if match else own
        yield path, value, citations


def _unproven(value: object, stated: list[Mention]) -> str | None:
    if isinstance(value, Quantity):
        return _unproven_quantity(value, stated)
    if isinstance(value, PartialDate):
        if value.inferred or any(m.date is not None and dates_agree(value, m.date) for m in stated):
            return None
        return (
            f"{value} is not stated in any quote of this record{_listing(stated, 'date')}; quote the sentence "
            "that dates it, or write {date: " + str(value) + ", basis: how it was inferred}"
        )
    if isinstance(value, YearSpan):
        if any(isinstance(m.date, YearRange) and dates_agree(value, m.date) for m in stated):
            return None
        return f"the period {value} is not stated in any quote of this record{_listing(stated, 'date')}"
    return None


def _unproven_quantity(value: Quantity, stated: list[Mention]) -> str | None:
    if value.derivation is not None:
        return None
    alike = [m for m in stated if m.quantity is not None and same_number(value, m.quantity)]
    if any(_states(value, m.quantity) for m in alike):  # type: ignore[arg-type]
        return None
    if alike:
        said = alike[0]
        return (
            f"{value.text} is recorded as {_BOUND_TEXT[value.bound]} but its sentence says "
            f"{_BOUND_TEXT[said.quantity.bound]} («{said.text}» in «{_clip(said.sentence)}»)"  # type: ignore[union-attr]
        )
    return f"{value.text} is not stated in any quote of this record{_listing(stated, 'quantity')}"


def _states(held: Quantity, seen: Quantity) -> bool:
    return same_number(held, seen) and held.bound is seen.bound


def same_number(held: Quantity, seen: Quantity) -> bool:
    unit_agrees = held.unit is seen.unit or (held.unit_declared and _unit_implicit(seen))
    return unit_agrees and held.value == seen.value and held.high == seen.high


def _unit_implicit(quantity: Quantity) -> bool:
    """A mention read as a count only because its text names no counter (千亿级, not 28家)."""
    return quantity.unit is Unit.COUNT and not any(c in COUNTERS for c in normalise(quantity.text))


def _listing(stated: list[Mention], kind: str) -> str:
    texts = list(dict.fromkeys(m.text for m in stated if m.kind == kind))
    if not texts:
        return f"; its quotes state no {'figure' if kind == 'quantity' else kind}"
    more = f" and {len(texts) - _MAX_LISTED} more" if len(texts) > _MAX_LISTED else ""
    return f"; its quotes state {', '.join(texts[:_MAX_LISTED])}{more}"


def _clip(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def path_to_loc(path: str) -> Loc:
    """'tiers[0].cap.amount' -> ('tiers', 0, 'cap', 'amount')."""
    return tuple(int(part) if part.isdigit() else part for part in re.findall(r"[^.\[\]]+", path))


def quotes_index(kb: KnowledgeBase) -> dict[str, Quotes]:
    """Each article's mentions, as the proof reads them (dates resolved against its publication)."""
    return {
        file: Quotes(doc, source.published)
        for file, source in kb.sources.items()
        if (doc := kb.library.get(file)) is not None
    }


def figures(item: BaseModel) -> Iterator[tuple[str, object, list[Citation]]]:
    """Every figure of a record with the citations that may state it (a change's own quotes first)."""
    return _figures(item)


def stating_citation(quotes_of: dict[str, Quotes], citations: list[Citation], value: object) -> Citation:
    """The citation whose quote states `value` (same number, unit and bound; a date at its
    precision): the sentence a reader is sent to. The first citation when none does (a derived figure)."""
    if len(citations) == 1:
        return citations[0]  # no need to read the article: it is the answer either way
    for citation in citations:
        quotes = quotes_of.get(citation.document)
        if quotes is not None and _stated_in(value, quotes.stated_by(citation.quote)):
            return citation
    return citations[0]


def _stated_in(value: object, stated: list[Mention]) -> bool:
    if isinstance(value, Quantity):
        return any(m.quantity is not None and _states(value, m.quantity) for m in stated)
    if isinstance(value, PartialDate):
        return any(m.date is not None and dates_agree(value, m.date) for m in stated)
    if isinstance(value, YearSpan):
        return any(isinstance(m.date, YearRange) and dates_agree(value, m.date) for m in stated)
    return False

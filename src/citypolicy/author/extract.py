"""Find every quantitative mention in an article and tell which ones the records account for.

A mention is a number with a unit, a counter (家, 个, 名 …), a magnitude (万, 亿) or a percentage,
or a date (2025年3月3日, 2024年底, 今年5月, 2025—2027年). Bare numbers (model names such as
QwQ-32B, "20+8") and ordinals (第五届) are not mentions. Quantities are read with the loader's
own grammar (quantity.quantity_re), so what `extract` finds is what a record can hold.

A mention is *captured* when a record cites the article with a quote that contains the mention
and holds the same value (same unit and number, or the same date) and sits on a place the
article names; *ignored* when data/ignored.yaml lists its passage with a reason; else *missing*.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from ..core.dates import Part, PartialDate
from ..core.quantity import Quantity, QuantityError, quantity_from_match, quantity_re
from ..core.textnorm import fold_for_scanning, fold_text
from ..load.loader import KnowledgeBase
from ..load.sources import Document
from ..schema.model import Jurisdiction, YearSpan
from ..schema.values import iter_values


class Status(StrEnum):
    CAPTURED = "captured"
    IGNORED = "ignored"
    MISSING = "missing"


@dataclass
class Mention:
    start: int  # offsets in the original text
    end: int
    text: str
    kind: str  # "quantity" or "date"
    sentence: str
    quantity: Quantity | None = None
    date: PartialDate | YearSpan | None = None
    status: Status = Status.MISSING
    by: list[str] = field(default_factory=list)  # record ids, or the ignore reason

    @property
    def normalised(self) -> str:
        if self.quantity is not None:
            q = self.quantity
            high = f"..{q.high}" if q.high is not None else ""
            return f"{q.value}{high} {q.unit.value} ({q.bound.value})"
        return str(self.date) if self.date is not None else "(date without a year)"

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


# --------------------------------------------------------------------------- finding mentions

_PARTS = {
    "初": Part.EARLY,
    "上旬": Part.EARLY,
    "中": Part.MID,
    "中旬": Part.MID,
    "底": Part.LATE,
    "末": Part.LATE,
    "下旬": Part.LATE,
    "年底": Part.LATE,
    "年初": Part.EARLY,
    "年末": Part.LATE,
}
_YEAR = r"(?:19|20)\d{2}"
_MONTH = r"1[0-2]|0?[1-9]"
_DAY = r"[12]\d|3[01]|0?[1-9]"
_MONTH_PART = "底|初|中旬|上旬|下旬"
_DATE_RE = re.compile(
    rf"""
      (?P<p1>{_YEAR})年?\s?[-—–~至到]\s?(?P<p2>{_YEAR})年
    | (?P<y>{_YEAR})年
      (?:(?P<m>{_MONTH})月(?:(?P<d>{_DAY})日|(?P<mp>{_MONTH_PART}))?|(?P<yp>底|初|末|中))?
    | (?P<rel>今年|去年|明年|前年|同年)
      (?:(?P<rm>{_MONTH})月(?:(?P<rd>{_DAY})日|(?P<rmp>{_MONTH_PART}))?|(?P<ryp>年底|年初|年末|底|初))
    | (?P<m2>{_MONTH})月
      (?:(?P<d2>{_DAY})日(?:[至到-](?P<d3>{_DAY})日)?|(?P<mp2>{_MONTH_PART}))?
    | (?P<decade>[1-9]0)年代
    """,
    re.VERBOSE,
)
_RELATIVE_YEARS = {"今年": 0, "去年": -1, "明年": 1, "前年": -2}
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")


def find_mentions(text: str, year: int | None = None) -> list[Mention]:
    """Mentions in reading order. `year` (the article's) resolves 今年/去年 and dates without a year."""
    folded = fold_for_scanning(text)
    scan = folded.text
    spans: list[tuple[int, int]] = []
    mentions: list[Mention] = []
    last_year: int | None = None
    for match in _DATE_RE.finditer(scan):
        if _inside_word(scan, match.start(), match.end()):
            continue
        date, explicit = _date_from_match(match, year, last_year)
        if explicit is not None:
            last_year = explicit
        spans.append((match.start(), match.end()))
        mentions.append(_mention(text, folded, match.start(), match.end(), "date", date=date))
    for match in quantity_re().finditer(scan):
        start, end = match.span()
        if end == start or any(s < end and start < e for s, e in spans):
            continue
        quantity = _quantity_mention(match, scan)
        if quantity is not None:
            mentions.append(_mention(text, folded, start, end, "quantity", quantity=quantity))
    return sorted(mentions, key=lambda m: m.start)


def _inside_word(scan: str, start: int, end: int) -> bool:
    before = scan[start - 1] if start else ""
    return before.isascii() and before.isalnum()


def _date_from_match(
    match: re.Match[str], year: int | None, last_year: int | None
) -> tuple[PartialDate | YearSpan | None, int | None]:
    g = match.groupdict()
    if g["p1"]:
        start, end = int(g["p1"]), int(g["p2"])
        return (YearSpan(start=start, end=end) if start <= end else None), end
    if g["y"]:
        explicit = int(g["y"])
        return _partial(explicit, g["m"], g["d"], g["mp"] or g["yp"]), explicit
    if g["rel"]:
        relative = year + _RELATIVE_YEARS[g["rel"]] if year and g["rel"] in _RELATIVE_YEARS else None
        base = last_year if g["rel"] == "同年" else relative
        if base is None:
            return None, None
        return _partial(base, g["rm"], g["rd"], g["rmp"] or g["ryp"]), None
    if g["m2"]:
        if year is None:
            return None, None
        return _partial(year, g["m2"], g["d2"], g["mp2"]), None
    return None, None  # a decade: kept as a mention, without a normalised date


def _partial(year: int, month: str | None, day: str | None, part: str | None) -> PartialDate | None:
    try:
        return PartialDate(
            year, int(month) if month else None, int(day) if day else None, _PARTS.get(part) if part else None
        )
    except ValueError:
        return None


def _quantity_mention(match: re.Match[str], scan: str) -> Quantity | None:
    g = match.groupdict()
    if g["ordinal"]:
        return None
    has_unit = bool(g["unit"] or g["u1"] or g["currency"])
    if not (has_unit or g["m"] or g["half"] or "/" in (g["n"] or "")):
        return None  # a bare number: a name or a code, not a quantity
    if not (g["n"] or g["n1"] or g["half"]) and (not has_unit or scan[max(match.start() - 1, 0)] == "每"):
        return None  # a bare 万 in a word (瞬息万变) or a rate base (每万人口)
    numeral = g["n"] or ""
    if numeral and not numeral[0].isdigit() and not g["m"] and numeral in {"一", "零", "〇"}:
        return None  # 一家 / 一个 mean "a", not one
    try:
        return quantity_from_match(match, match.group(0).strip())
    except QuantityError:
        return None


def _mention(text: str, folded, start: int, end: int, kind: str, **values) -> Mention:  # type: ignore[no-untyped-def]
    o_start, o_end = folded.span_in_original(start, end)
    return Mention(o_start, o_end, text[o_start:o_end], kind, _sentence(text, o_start, o_end), **values)


def _sentence(text: str, start: int, end: int) -> str:
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    right_match = _SENTENCE_END.search(text, end)
    right = right_match.end() if right_match else len(text)
    return " ".join(text[left:right].split())


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
    article) resolves 今年/去年 and dates given without a year."""
    if year is None and kb is not None and document.file in kb.sources:
        year = kb.sources[document.file].published.year
    mentions = find_mentions(document.text, year)
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
        for citation in item.sources:
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
        elif mention.date is not None and _same_date(value, mention.date):
            return True
    return False


def _same_quantity(held: Quantity, seen: Quantity) -> bool:
    return held.unit == seen.unit and held.value == seen.value and held.high == seen.high


def _same_date(held: PartialDate | YearSpan, seen: PartialDate | YearSpan) -> bool:
    """Equal, or one date's window lies within the other's (2025-02-23 within 2025-02-late)."""
    if isinstance(seen, YearSpan) or isinstance(held, YearSpan):
        if isinstance(seen, YearSpan) and isinstance(held, YearSpan):
            return (held.start, held.end) == (seen.start, seen.end)
        year = seen.year if isinstance(seen, PartialDate) else None
        return isinstance(held, YearSpan) and year in (held.start, held.end)
    inside = held.start >= seen.start and held.end <= seen.end
    return inside or (seen.start >= held.start and seen.end <= held.end)


def _listed(listed: list[str], mention: Mention) -> bool:
    if not listed:
        return True
    key = fold_text(mention.text)
    return any(fold_text(item) == key for item in listed)

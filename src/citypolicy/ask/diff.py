"""What changed between two versions of a knowledge base: records and figures added, removed, changed.

Records are matched by id; a record whose `formerly` names an id that the old version has and the
new one does not is that record renamed. Figures are the fact table's rows (publish/facts.py),
keyed by fact id (`record:field`), each with the quote that states it on its side. A figure has
changed when what it says changed (value, range, unit, bound, text as written, derivation); a new
quote for the same figure shows under the record's `sources`. Every other field of a record (titles,
names, dates, periods, links, places, tiers' groups and classes, the dates of later terms, notes)
is compared as text at its path. Records equal in both versions are not looked at further, so a
comparison costs little more than the records that changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING

from pydantic import BaseModel

from ..core.dates import PartialDate
from ..core.quantity import Bound, Quantity, Unit, format_quantity
from ..schema.model import RECORD_SECTIONS, Citation, Name, Source
from ..schema.values import quantities

if TYPE_CHECKING:
    from ..load.loader import KnowledgeBase
    from ..load.revisions import Version

SECTIONS = ("jurisdictions", *RECORD_SECTIONS)
SINGULAR = {
    "jurisdictions": "place",
    "policies": "policy",
    "instruments": "instrument",
    "targets": "target",
    "indicators": "indicator",
    "institutions": "institution",
    "sources": "source",
}
FIGURE_KEYS = ("value", "high", "unit", "bound", "text", "derivation")
_NOT_COMPARED = {"id", "sources", "formerly"}  # matched, or compared on their own


@dataclass
class FieldChange:
    path: str
    old: str | None
    new: str | None

    def to_json(self) -> dict[str, object]:
        return {"field": self.path, "old": self.old, "new": self.new}


@dataclass
class FactChange:
    id: str  # the fact id on the new side (on the old side for a removed figure)
    field: str
    change: str  # added, removed, changed
    label: dict[str, str]
    old: dict[str, object] | None  # the fact row, as exported
    new: dict[str, object] | None

    @property
    def old_id(self) -> str | None:
        return str(self.old["id"]) if self.old else None

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "field": self.field,
            "change": self.change,
            "label": self.label,
            "old": _figure_json(self.old),
            "new": _figure_json(self.new),
        }


@dataclass
class RecordChange:
    id: str
    section: str
    jurisdiction: str
    change: str  # added, removed, changed, renamed
    name: dict[str, str]
    file: str = ""  # where it is written (in the old version for a removed record)
    formerly: str | None = None
    fields: list[FieldChange] = field(default_factory=list)
    facts: list[FactChange] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": SINGULAR[self.section],
            "change": self.change,
            "formerly": self.formerly,
            "name": self.name,
            "file": self.file,
            "fields": [f.to_json() for f in self.fields],
            "facts": [f.to_json() for f in self.facts],
        }


@dataclass
class PlaceChanges:
    id: str
    name: dict[str, str]
    records: list[RecordChange]


@dataclass
class Diff:
    old: Version
    new: Version
    places: list[PlaceChanges]
    sources: list[RecordChange]

    @property
    def records(self) -> list[RecordChange]:
        return [r for p in self.places for r in p.records]

    @property
    def empty(self) -> bool:
        return not self.places and not self.sources

    def counts(self) -> dict[str, dict[str, int]]:
        records = {c: 0 for c in ("added", "removed", "changed", "renamed")}
        facts = {c: 0 for c in ("added", "removed", "changed")}
        for record in self.records:
            records[record.change] += 1
            for fact in record.facts:
                facts[fact.change] += 1
        sources = {c: sum(s.change == c for s in self.sources) for c in ("added", "removed", "changed")}
        return {"records": records, "facts": facts, "sources": sources}

    def to_json(self) -> dict[str, object]:
        return {
            "query": "diff",
            "old": self.old.to_json(),
            "new": self.new.to_json(),
            "differences": not self.empty,
            "counts": self.counts(),
            "places": [
                {"place": {"id": p.id, "name": p.name}, "records": [r.to_json() for r in p.records]}
                for p in self.places
            ],
            "sources": [s.to_json() for s in self.sources],
        }


# --------------------------------------------------------------------------- comparing


def compare(old: KnowledgeBase, new: KnowledgeBase, old_version: Version, new_version: Version) -> Diff:
    changes: list[RecordChange] = []
    for section in SECTIONS:
        changes += _section_changes(old, new, section)
    _attach_facts(old, new, [c for c in changes if c.section in _FACT_SECTIONS])
    changes = [c for c in changes if c.change != "changed" or c.fields or c.facts]
    return Diff(old_version, new_version, _by_place(old, new, changes), _source_changes(old, new))


_FACT_SECTIONS = {"instruments", "targets", "indicators"}


def _section_changes(old: KnowledgeBase, new: KnowledgeBase, section: str) -> list[RecordChange]:
    before, after = getattr(old, section), getattr(new, section)
    renamed = _renames(before, after)
    matched_old = set()
    changes = []
    for item in after.values():
        former = renamed.get(item.id, item.id if item.id in before else None)
        if former is None:
            changes.append(_record_change(section, item, "added", new))
            continue
        matched_old.add(former)
        earlier = before[former]
        if earlier == item:
            continue
        change = _record_change(section, item, "renamed" if former != item.id else "changed", new)
        change.formerly = former if former != item.id else None
        change.fields = field_changes(earlier, item)
        changes.append(change)
    for item in before.values():
        if item.id not in matched_old:
            changes.append(_record_change(section, item, "removed", old))
    return changes


def _renames(before: dict[str, BaseModel], after: dict[str, BaseModel]) -> dict[str, str]:
    """New id -> old id, for records whose `formerly` names an id that only the old version has."""
    renamed: dict[str, str] = {}
    claimed: set[str] = set()
    for item in after.values():
        if item.id in before:
            continue
        for former in getattr(item, "formerly", []):
            if former in before and former not in after and former not in claimed:
                renamed[item.id] = former
                claimed.add(former)
                break
    return renamed


def _record_change(section: str, item: BaseModel, change: str, kb: KnowledgeBase) -> RecordChange:
    name = getattr(item, "name", None) or getattr(item, "title", None) or getattr(item, "metric", None)
    record_id: str = item.id  # type: ignore[attr-defined]
    jurisdiction = record_id if section == "jurisdictions" else item.jurisdiction  # type: ignore[attr-defined]
    placed = kb.placed.get(record_id)
    return RecordChange(record_id, section, jurisdiction, change, _name_json(name), placed.file if placed else "")


def _name_json(name: object) -> dict[str, str]:
    if isinstance(name, Name):
        return {"zh": name.zh, "en": name.en}
    return {"zh": "", "en": ""}


def field_changes(old: BaseModel, new: BaseModel) -> list[FieldChange]:
    """Every field other than figures that differs, as text at its path; then the citations."""
    before, after = dict(_flatten(old)), dict(_flatten(new))
    changes = [
        FieldChange(path, before.get(path), after.get(path))
        for path in _ordered_union(before, after)
        if before.get(path) != after.get(path)
    ]
    return changes + _citation_changes(getattr(old, "sources", []), getattr(new, "sources", []))


def _ordered_union(first: dict[str, str], second: dict[str, str]) -> list[str]:
    return list(dict.fromkeys([*second, *first]))


def _flatten(value: object, path: str = "") -> Iterator[tuple[str, str]]:
    """(path, text) for every non-figure value of a record; figures are compared as facts."""
    if value is None or isinstance(value, Quantity):
        return
    if isinstance(value, Name):
        yield path, f"{value.zh} / {value.en}"
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if not path and name in _NOT_COMPARED:
                continue
            yield from _flatten(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, list | tuple):
        if value and all(_is_scalar(item) for item in value):
            yield path, ", ".join(_scalar_text(item) for item in value)
        else:
            for index, item in enumerate(value):
                yield from _flatten(item, f"{path}[{index}]")
    else:
        yield path, _scalar_text(value)


def _is_scalar(value: object) -> bool:
    return isinstance(value, str | int | float | Enum | PartialDate) and not isinstance(value, bool)


def _scalar_text(value: object) -> str:
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _citation_changes(old: list[Citation], new: list[Citation]) -> list[FieldChange]:
    """Citations the new version drops and adds (by document and quote), as one change."""
    removed = [c for c in old if c not in new]
    added = [c for c in new if c not in old]
    if not removed and not added:
        return []
    return [FieldChange("sources", _citations_text(removed), _citations_text(added))]


def _citations_text(citations: list[Citation]) -> str | None:
    return "\n".join(f"{c.document}: «{c.quote}»" for c in citations) or None


def _attach_facts(old: KnowledgeBase, new: KnowledgeBase, changes: list[RecordChange]) -> None:
    """The figures of the records that differ, from each side's fact table, paired by field."""
    from ..publish.facts import fact_rows

    changes = [c for c in changes if c.change in ("added", "removed") or _figures_differ(old, new, c)]
    if not changes:
        return
    old_ids = [c.formerly or c.id for c in changes if c.change != "added"]
    new_ids = [c.id for c in changes if c.change != "removed"]
    old_rows = _rows_by_record(fact_rows(old, only=old_ids))
    new_rows = _rows_by_record(fact_rows(new, only=new_ids))
    for change in changes:
        before = old_rows.get(change.formerly or change.id, {}) if change.change != "added" else {}
        after = new_rows.get(change.id, {}) if change.change != "removed" else {}
        change.facts = _fact_changes(before, after)
        _drop_citations_shown_by_facts(change)


def _figures_differ(old: KnowledgeBase, new: KnowledgeBase, change: RecordChange) -> bool:
    """Whether any figure differs (the fact table, with its quotes, is built only then)."""
    before = getattr(old, change.section)[change.formerly or change.id]
    after = getattr(new, change.section)[change.id]
    return quantities(before) != quantities(after)


def _rows_by_record(rows: list[dict[str, object]]) -> dict[str, dict[str, dict[str, object]]]:
    out: dict[str, dict[str, dict[str, object]]] = {}
    for row in rows:
        out.setdefault(str(row["record"]), {})[str(row["field"])] = row
    return out


def _fact_changes(before: dict[str, dict[str, object]], after: dict[str, dict[str, object]]) -> list[FactChange]:
    changes = []
    for path in _ordered_union(before, after):
        old, new = before.get(path), after.get(path)
        if old is not None and new is not None:
            if all(old[k] == new[k] for k in FIGURE_KEYS):
                continue
            kind = "changed"
        else:
            kind = "added" if new is not None else "removed"
        row = new or old
        assert row is not None
        changes.append(FactChange(str(row["id"]), path, kind, row["label"], old, new))  # type: ignore[arg-type]
    return changes


def _drop_citations_shown_by_facts(change: RecordChange) -> None:
    """A quote that now states a changed figure (or no longer does) is shown with the figure."""
    shown_old = {_source_key(f.old) for f in change.facts if f.old is not None}
    shown_new = {_source_key(f.new) for f in change.facts if f.new is not None}
    kept = []
    for item in change.fields:
        if item.path != "sources":
            kept.append(item)
            continue
        old = _unshown(item.old, shown_old)
        new = _unshown(item.new, shown_new)
        if old or new:
            kept.append(FieldChange("sources", old, new))
    change.fields = kept


def _source_key(row: dict[str, object]) -> str:
    source = row["source"]
    assert isinstance(source, dict)
    return f"{source['document']}: «{source['quote']}»"


def _unshown(text: str | None, shown: set[str]) -> str | None:
    if text is None:
        return None
    return "\n".join(line for line in text.split("\n") if line not in shown) or None


def _by_place(old: KnowledgeBase, new: KnowledgeBase, changes: list[RecordChange]) -> list[PlaceChanges]:
    order = {place: n for n, place in enumerate([*new.jurisdictions, *old.jurisdictions])}
    grouped: dict[str, list[RecordChange]] = {}
    for change in changes:
        grouped.setdefault(change.jurisdiction, []).append(change)
    places = []
    for place_id in sorted(grouped, key=lambda p: (order.get(p, len(order)), p)):
        place = new.jurisdictions.get(place_id) or old.jurisdictions.get(place_id)
        name = _name_json(place.name) if place else {"zh": place_id, "en": place_id}
        places.append(PlaceChanges(place_id, name, grouped[place_id]))
    return places


def _source_changes(old: KnowledgeBase, new: KnowledgeBase) -> list[RecordChange]:
    changes = []
    for file, source in new.sources.items():
        earlier = old.sources.get(file)
        if earlier is None:
            changes.append(_source_change(source, "added"))
        elif earlier != source:
            change = _source_change(source, "changed")
            change.fields = field_changes(earlier, source)
            changes.append(change)
    changes += [_source_change(s, "removed") for f, s in old.sources.items() if f not in new.sources]
    return changes


def _source_change(source: Source, change: str) -> RecordChange:
    name = source.headline or source.topic
    return RecordChange(source.file, "sources", "", change, _name_json(name), "data/sources.yaml")


# --------------------------------------------------------------------------- figures as text


def _figure_json(row: dict[str, object] | None) -> dict[str, object] | None:
    if row is None:
        return None
    keys = (*FIGURE_KEYS, "per", "period", "as_of", "deadline", "effective_from", "effective_to")
    return {**{k: row[k] for k in keys}, "source": row["source"]}


def figure_text(row: dict[str, object]) -> str:
    """A figure as written, with its normalised value where that says more: 最高800万元 (up to ¥8,000,000)."""
    quantity = Quantity(
        Decimal(str(row["value"])),
        Unit(str(row["unit"])),
        Bound(str(row["bound"])),
        str(row["text"]),
        Decimal(str(row["high"])) if row["high"] is not None else None,
    )
    plain = format_quantity(quantity)
    says_more = plain != quantity.text and plain.replace(",", "") not in quantity.text.replace(",", "")
    return f"{quantity.text} ({plain})" if says_more else quantity.text

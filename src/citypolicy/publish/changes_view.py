"""The "What changed" page: the knowledge base's history (publish/history.py) as a reader reads it.

Each commit lists, per place, the records added, removed, changed and renamed, with their figures
old → new (as the site writes figures, each with the quote that states it) and their other fields
in words: field names become labels, vocabulary keys their labels, record ids the records' names.
A record still in the knowledge base links to where the site shows it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..ask.diff import SINGULAR, Diff, FactChange, FieldChange, RecordChange
from ..core.dates import PartialDate
from ..core.quantity import Bound, Quantity, Unit
from ..load.loader import KnowledgeBase
from ..schema.glossary import VOCABULARIES
from ..schema.model import Jurisdiction, Name, Record, Script
from . import figures, i18n
from .history import Entry, History
from .links import Links
from .provenance import record_name
from .status_view import day_text

Pair = tuple[str, str]  # (en, zh)


@dataclass
class Quote:
    text: str
    href: str | None  # the source page, when the site has it
    lang: str = "zh-Hans"  # zh-Hant for an article in Traditional script


@dataclass
class Plain:
    """Record text as written (a note, a title in one language): marked with the language it is in."""

    text: str
    note: bool = False  # a note: record ids in it are shown as the records' names

    @property
    def lang(self) -> str:
        return "zh-Hans" if _CJK.search(self.text) else "en"


_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass
class Side:
    figure: Pair
    quote: Quote


@dataclass
class FigureItem:
    change: str
    label: Pair
    old: Side | None
    new: Side | None


@dataclass
class FieldItem:
    label: Pair
    old: list[Pair | Plain | Quote]  # words in both languages, text as written, or quotes
    new: list[Pair | Plain | Quote]

    @property
    def long(self) -> bool:
        """Long text (a note, a summary) is shown on request, so that the page stays a list."""
        texts = [v if isinstance(v, tuple) else (v.text, "") for v in [*self.old, *self.new]]
        return sum(len(en) + len(zh) for en, zh in texts) > 300


@dataclass
class RecordItem:
    change: str  # added, removed, changed, renamed
    kind: str  # place, policy, instrument, … (i18n kind.*)
    name: Pair
    href: str | None  # where the site shows it now; None when it is no longer in the knowledge base
    formerly: Pair | None = None  # the name it had before a rename
    figures: list[FigureItem] = field(default_factory=list)
    fields: list[FieldItem] = field(default_factory=list)


@dataclass
class PlaceItem:
    name: Pair
    href: str | None
    records: list[RecordItem]


@dataclass
class CommitItem:
    commit: str
    short: str
    day: date | None
    subject: str
    body: str
    problem: str | None  # i18n key
    counts: Pair | None = None
    places: list[PlaceItem] = field(default_factory=list)
    sources: list[RecordItem] = field(default_factory=list)

    @property
    def day_text(self) -> Pair | None:
        return day_text(self.day) if self.day else None

    @property
    def empty(self) -> bool:
        return self.problem is None and not self.places and not self.sources


@dataclass
class ChangesPage:
    unavailable: str | None
    commits: list[CommitItem]


def changes_page(kb: KnowledgeBase, history: History, links: Links) -> ChangesPage:
    """The commits that changed a record or a source (not those that changed only files the
    comparison leaves out). A message is quoted only from a commit that changed nothing but the
    data: one that also changed the program speaks to its developers, and its changes speak here."""
    items = [_commit(kb, entry, links) for entry in history.entries]
    return ChangesPage(history.unavailable, [item for item in items if not item.empty])


def _commit(kb: KnowledgeBase, entry: Entry, links: Links) -> CommitItem:
    logged = entry.commit
    try:
        day = date.fromisoformat(logged.date[:10])
    except ValueError:
        day = None
    subject, body = (logged.subject, logged.body) if logged.only_data else ("", "")
    item = CommitItem(logged.commit, logged.commit[:12], day, subject, body, entry.problem)
    diff = entry.diff
    if diff is None or entry.old is None or entry.new is None:
        return item
    words = _Words(kb, entry.old, entry.new, links)
    item.counts = _counts(diff)
    item.places = [
        PlaceItem(
            (p.name["en"] or p.id, p.name["zh"] or p.id),
            _place_href(kb, p.id, links),
            [words.record(r) for r in p.records],
        )
        for p in diff.places
    ]
    item.sources = [words.record(s) for s in diff.sources]
    return item


def _place_href(kb: KnowledgeBase, place_id: str, links: Links) -> str | None:
    return links.place(place_id) if place_id in kb.jurisdictions else None


def _counts(diff: Diff) -> Pair:
    """`records: 1 added, 3 changed; figures: 2 changed` in the reader's language."""
    counts = diff.counts()
    en, zh = [], []
    for what in ("records", "facts", "sources"):
        numbers = [(c, n) for c, n in counts[what].items() if n]
        if not numbers:
            continue
        head_en, head_zh = i18n.STRINGS[f"changes.count.{what}"]
        en.append(f"{head_en}: " + ", ".join(f"{n} {i18n.STRINGS[f'change.{c}'][0]}" for c, n in numbers))
        zh.append(f"{head_zh}：" + "、".join(f"{i18n.STRINGS[f'change.{c}'][1]}{n}" for c, n in numbers))
    return "; ".join(en), "；".join(zh)


# --------------------------------------------------------------------------- records and fields in words


_VOCABULARY_FIELDS = {"kind", "level", "topic", "status", "beneficiaries", "group", "per", "period", "script"}
_ID_FIELDS = {"supersedes", "policy", "subject", "amends", "jurisdiction", "parent"}
_TERMS = {t.value: (t.en, t.zh) for v in VOCABULARIES for t in v}
_CITATION = re.compile(r"^(?P<document>[^:\n]+): «(?P<quote>.*)»$", re.S)


class _Words:
    def __init__(self, kb: KnowledgeBase, old: KnowledgeBase, new: KnowledgeBase, links: Links):
        self.kb, self.old, self.new, self.links = kb, old, new, links

    def record(self, change: RecordChange) -> RecordItem:
        name = (change.name["en"], change.name["zh"])
        if not any(name):
            name = (change.id, change.id)
        item = RecordItem(change.change, SINGULAR[change.section], name, self._href(change))
        if change.formerly:
            former = self.old.get(change.formerly)
            item.formerly = _name_of(self.old, former) if former is not None else (change.formerly, change.formerly)
        item.figures = [self._figure(f) for f in change.facts]
        before = self._model(self.old, change.section, change.formerly or change.id)
        after = self._model(self.new, change.section, change.id)
        item.fields = [self._field(f, before, after) for f in change.fields]
        return item

    @staticmethod
    def _model(kb: KnowledgeBase, section: str, key: str) -> object:
        return getattr(kb, section).get(key)

    def _href(self, change: RecordChange) -> str | None:
        if change.section == "sources":
            return self.links.source(change.id) if change.id in self.kb.sources else None
        if change.section == "jurisdictions":
            return self.links.place(change.id) if change.id in self.kb.jurisdictions else None
        current = self.kb.get(change.id)
        return self.links.record(current) if current is not None else None

    def _figure(self, fact: FactChange) -> FigureItem:
        label = (str(fact.label["en"]), str(fact.label["zh"]))
        return FigureItem(fact.change, label, self._side(fact.old), self._side(fact.new))

    def _side(self, row: dict[str, object] | None) -> Side | None:
        if row is None:
            return None
        quantity = _quantity(row)
        source = row["source"]
        assert isinstance(source, dict)
        quote = self._quote_of(str(source["document"]), str(source["quote"]))
        return Side((figures.figure_en(quantity), figures.figure_zh(quantity)), quote)

    def _source_href(self, document: str) -> str | None:
        return self.links.source(document) if document in self.kb.sources else None

    def _field(self, change: FieldChange, before: object, after: object) -> FieldItem:
        old = self._values(change.path, change.old, before)
        new = self._values(change.path, change.new, after)
        return FieldItem(_field_label(change.path), old, new)

    def _values(self, path: str, text: str | None, model: object) -> list[Pair | Plain | Quote]:
        if text is None:
            return []
        held = _at(model, path)
        if isinstance(held, Name):  # flattened as "zh / en": each language its own
            return [(held.en, held.zh)]
        if isinstance(held, PartialDate):
            return [(held.human(), held.human("zh"))]
        if path == "sources":
            return [self._quote(line) for line in text.split("\n")]
        last = re.sub(r"\[\d+\]$", "", path.rsplit(".", 1)[-1])
        top = re.sub(r"\[\d+\]$", "", path.split(".", 1)[0])
        if last in _VOCABULARY_FIELDS:
            parts = [_TERMS.get(value, (value, value)) for value in text.split(", ")]
            return [(", ".join(en for en, _ in parts), "、".join(zh for _, zh in parts))]
        if top in _ID_FIELDS and path == top:
            return [self._named(value) for value in text.split(", ")]
        if text in ("yes", "no"):
            return [i18n.STRINGS[f"changes.{text}"]]
        return [Plain(text, note=last == "note")]

    def _quote(self, line: str) -> Quote | Plain:
        found = _CITATION.match(line)
        if not found:
            return Plain(line)
        return self._quote_of(found["document"], found["quote"])

    def _quote_of(self, document: str, text: str) -> Quote:
        source = self.kb.sources.get(document)
        traditional = source is not None and source.script is Script.TRADITIONAL
        return Quote(text, self._source_href(document), "zh-Hant" if traditional else "zh-Hans")

    def _named(self, record_id: str) -> Pair:
        found = self.new.get(record_id) or self.old.get(record_id)
        return _name_of(self.new, found) if found is not None else (record_id, record_id)


def _at(model: object, path: str) -> object:
    """The value at a flattened field path (`issuer[1].zh`) of a record, or None."""
    value = model
    for part in path.split("."):
        match = re.fullmatch(r"(\w+)(?:\[(\d+)\])?", part)
        if value is None or not match:
            return None
        value = getattr(value, match[1], None)
        if match[2] is not None:
            index = int(match[2])
            value = value[index] if isinstance(value, list) and index < len(value) else None
    return value


def _name_of(kb: KnowledgeBase, item: Record | Jurisdiction) -> Pair:
    if isinstance(item, Jurisdiction):
        return item.name.en, item.name.zh
    return record_name(kb, item)


def _field_label(path: str) -> Pair:
    """`issuer[1].level` -> `issued by 2 › level` / `发布机构2 › 层级`: a field path in words."""
    en, zh = [], []
    for part in path.split("."):
        match = re.fullmatch(r"(\w+)(?:\[(\d+)\])?", part)
        if not match:
            en.append(part)
            zh.append(part)
            continue
        key = f"field_name.{match[1]}"
        words_en, words_zh = i18n.STRINGS.get(key, (match[1].replace("_", " "), match[1].replace("_", " ")))
        number = f" {int(match[2]) + 1}" if match[2] is not None else ""
        en.append(words_en + number)
        zh.append(words_zh + number.strip())
    return " › ".join(en), " › ".join(zh)


def _quantity(row: dict[str, object]) -> Quantity:
    return Quantity(
        Decimal(str(row["value"])),
        Unit(str(row["unit"])),
        Bound(str(row["bound"])),
        str(row["text"]),
        Decimal(str(row["high"])) if row["high"] is not None else None,
    )

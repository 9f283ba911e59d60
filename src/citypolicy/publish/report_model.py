"""What a report is made of, before any layout: sections of tables and lists whose lines mix text,
figures and footnote references, and the footnotes, one per distinct quote, each remembering the
figures it supports (so that a test can check that the quote states them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..core.dates import PartialDate
from ..core.quantity import Quantity
from ..load.loader import KnowledgeBase
from ..schema.model import Citation, Jurisdiction, Record, Source
from . import figures
from .facts import figure_citation


@dataclass
class Fig:
    """A number in the reader's language, with the exact value and its footnote."""

    text: str
    quantity: Quantity
    note: int
    ref: str  # unique id of this reference to the note


@dataclass
class Ref:
    """A footnote for a statement without a number (a policy, an institution)."""

    note: int
    ref: str


Piece = str | Fig | Ref
Line = list[Piece]


@dataclass
class Row:
    label: str
    cells: list[list[Line]]  # per column: the lines in the cell


@dataclass
class Table:
    columns: list[str]
    rows: list[Row]
    label_column: str


@dataclass
class Section:
    id: str
    title: str
    table: Table | None = None
    items: list[Line] = field(default_factory=list)
    intro: str | None = None


@dataclass
class Note:
    number: int
    citation: Citation
    source: Source | None
    figures: list[Quantity] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)


@dataclass
class Report:
    lang: str
    title: str
    prepared: date
    sources_from: PartialDate | None
    sources_to: PartialDate | None
    summary: list[Line]
    glance: Table | None  # the headline figures side by side
    sections: list[Section]
    notes: list[Note]
    as_of: date  # the day whose terms the report shows


class Footnotes:
    """Numbers citations in the order they are first used; one note per distinct quote."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.notes: list[Note] = []
        self._index: dict[tuple[str, str], Note] = {}

    def note(self, citation: Citation) -> Note:
        key = (citation.document, citation.quote)
        if key not in self._index:
            note = Note(len(self.notes) + 1, citation, self.kb.sources.get(citation.document))
            self.notes.append(note)
            self._index[key] = note
        return self._index[key]

    def _ref(self, note: Note) -> str:
        ref = f"ref-{note.number}-{len(note.refs) + 1}"
        note.refs.append(ref)
        return ref

    def fig(self, record: Record, q: Quantity, lang: str) -> Fig:
        note = self.note(figure_citation(self.kb, record, q))
        if q not in note.figures:
            note.figures.append(q)
        return Fig(figures.compact(q, lang), q, note.number, self._ref(note))

    def ref(self, record: Record | Jurisdiction) -> Ref:
        note = self.note(record.sources[0])
        return Ref(note.number, self._ref(note))

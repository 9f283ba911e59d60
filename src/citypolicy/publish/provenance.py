"""A source article as the site shows it: paragraphs cut where cited passages and the figures inside
them begin and end, so a reader who follows a number lands on its sentence with the number marked.

Each figure (`record:field`, the id of its fact in the export) is located inside the passage its
citation quotes: first by the text as written (script-blind), else by the extractor's grammar
(the same unit and value). A Traditional article also carries a Simplified reading of every piece.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..core.textnorm import fold_for_matching, fold_text, to_simplified
from ..load.loader import KnowledgeBase
from ..load.sources import Document
from ..schema.model import Citation, Jurisdiction, Record, Script, Tier
from . import figures
from .facts import figure_citation
from .links import anchor, change_citations, record_quantities


@dataclass
class Segment:
    text: str
    simplified: str | None  # the Simplified reading, for a Traditional article
    anchors: list[str]  # citations starting here
    cited_by: list[str]  # record ids whose passage covers this text
    cites: list[str]  # anchors of the citations covering this text
    figs: list[str]  # figures (record:field) this text states


@dataclass
class Paragraph:
    segments: list[Segment]

    @property
    def cited(self) -> list[str]:
        return sorted({r for s in self.segments for r in s.cited_by})


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    key: str


def citations_of(kb: KnowledgeBase, document: str) -> list[tuple[Record | Jurisdiction, Citation]]:
    """(record, citation) for every citation of a document: the records' own, then those of
    instruments' later terms (which say when and how terms changed)."""
    return kb.citations_by_document.get(document, []) + _change_citations(kb).get(document, [])


@lru_cache(maxsize=8)
def _change_citations(kb: KnowledgeBase) -> dict[str, list[tuple[Record | Jurisdiction, Citation]]]:
    index: dict[str, list[tuple[Record | Jurisdiction, Citation]]] = {}
    for instrument in kb.instruments.values():
        for citation in change_citations(instrument):
            index.setdefault(citation.document, []).append((instrument, citation))
    return index


def cited_items(kb: KnowledgeBase, document: str) -> list[Record | Jurisdiction]:
    """The records and places citing a document, each once, in knowledge-base order."""
    return list({id(item): item for item, _ in citations_of(kb, document)}.values())


def figure_spans(kb: KnowledgeBase, doc: Document) -> list[Span]:
    """Where in the article each figure citing it is stated."""
    spans = []
    for item in cited_items(kb, doc.file):
        if isinstance(item, Jurisdiction):
            continue
        for field, q in record_quantities(item):
            citation = figure_citation(kb, item, q)
            if citation.document != doc.file:
                continue
            passage = doc.find(citation.quote)
            if passage is None:
                continue
            found = _locate(doc.text[passage[0] : passage[1]], q.text, q.unit, q.value)
            if found is not None:
                spans.append(Span(passage[0] + found[0], passage[0] + found[1], f"{item.id}:{field}"))
    return spans


@lru_cache(maxsize=8192)
def _locate(passage: str, written: str, unit: object, value: object) -> tuple[int, int] | None:
    """Where a figure stands in its passage: its text as written (script-blind), else a mention
    of the same unit and value."""
    needle = fold_text(written)
    if needle and needle in fold_text(passage):
        folded = fold_for_matching(passage)
        at = folded.text.find(needle)
        return folded.span_in_original(at, at + len(needle))
    for start, end, m_unit, m_value, m_high in _mentions(passage):
        if m_unit == unit and value in (m_value, m_high):
            return start, end
    return None


@lru_cache(maxsize=4096)
def _mentions(passage: str) -> tuple[tuple[int, int, object, object, object], ...]:
    from ..author.extract import find_mentions

    return tuple(
        (m.start, m.end, m.quantity.unit, m.quantity.value, m.quantity.high)
        for m in find_mentions(passage)
        if m.quantity is not None
    )


def segments(kb: KnowledgeBase, document: str) -> list[Paragraph]:
    """The article as paragraphs of segments; text is split where passages and figures begin and end."""
    doc = kb.library.get(document)
    assert doc is not None
    traditional = kb.sources[document].script is Script.TRADITIONAL
    spans: list[tuple[int, int, str, str]] = []
    for item, citation in citations_of(kb, document):
        found = doc.find(citation.quote)
        if found:
            spans.append((found[0], found[1], anchor(item, citation), item.id))
    figs = figure_spans(kb, doc)
    cuts = sorted(
        {
            0,
            len(doc.text),
            *(s for s, _, _, _ in spans),
            *(e for _, e, _, _ in spans),
            *(f.start for f in figs),
            *(f.end for f in figs),
            *(i + 1 for i, ch in enumerate(doc.text) if ch == "\n"),
        }
    )
    paragraphs: list[list[Segment]] = [[]]
    for start, end in zip(cuts, cuts[1:], strict=False):
        piece = doc.text[start:end]
        covering = [(a, rid) for s, e, a, rid in spans if s <= start and end <= e]
        starting = [a for s, _, a, _ in spans if s == start]
        stated = sorted({f.key for f in figs if f.start <= start and end <= f.end})
        text = piece.rstrip("\n")
        simplified = to_simplified(text) if traditional else None
        paragraphs[-1].append(
            Segment(
                text,
                simplified if simplified != text else None,
                starting,
                sorted({rid for _, rid in covering}),
                sorted(a for a, _ in covering),
                stated,
            )
        )
        if piece.endswith("\n"):
            paragraphs.append([])
    return [Paragraph(p) for p in paragraphs if any(s.text.strip() or s.anchors for s in p)]


def record_name(kb: KnowledgeBase, item: Record | Jurisdiction) -> tuple[str, str]:
    """What a reader calls a record: its name, title or metric, in (en, zh)."""
    for attribute in ("name", "title", "metric"):
        value = getattr(item, attribute, None)
        if value is not None:
            return value.en, value.zh
    return item.id, item.id


def banner_data(kb: KnowledgeBase, document: str) -> dict[str, object]:
    """What the provenance banner needs to name the figure a reader followed and the page they left."""
    records: dict[str, object] = {}
    pages: dict[str, object] = {}
    figs: dict[str, object] = {}
    for item in cited_items(kb, document):
        en, zh = record_name(kb, item)
        place = kb.jurisdictions.get(item.id if isinstance(item, Jurisdiction) else item.jurisdiction)
        if place is not None and not isinstance(item, Jurisdiction):
            en, zh = f"{en} ({place.name.en})", f"{place.name.zh} · {zh}"
        records[item.id] = {"en": en, "zh": zh}
        chain = [place, *kb.ancestors(place.id)] if place is not None else []
        for p in chain:
            pages[f"places/{p.id}.html"] = {"en": p.name.en, "zh": p.name.zh}
        if isinstance(item, Jurisdiction):
            continue
        for field, q in record_quantities(item):
            figs[f"{item.id}:{field}"] = {
                "en": figures.figure_en(q),
                "zh": figures.figure_zh(q),
                "field_en": field_label(item, field, "en"),
                "field_zh": field_label(item, field, "zh"),
            }
    return {"records": records, "pages": pages, "figs": figs}


_FIELD_WORDS = {
    "rate": ("rate", "比例"),
    "cap.amount": ("cap", "上限"),
    "pool.amount": ("pool", "总额"),
    "benefit": ("benefit", "待遇"),
    "value": ("value", "数值"),
    "stretch": ("stretch level (力争)", "力争值"),
    "cap.over": ("years of the cap", "上限年限"),
}


def field_label(record: Record, field: str, lang: str) -> str:
    """`rate`, `startups: rate`, `class A (…): cap`, `benefit (from late Feb 2025)` … in the reader's
    language: what the followed number is, never a field path."""
    owner: object = record
    change = re.match(r"changes\[(\d+)\]\.(.*)", field)
    if change:
        owner = record.changes[int(change.group(1))]  # type: ignore[attr-defined]
        field = change.group(2)
    tier = re.match(r"tiers\[(\d+)\]\.(.*)", field)
    chosen: Tier | None = owner.tiers[int(tier.group(1))] if tier else None  # type: ignore[attr-defined]
    en, zh = _FIELD_WORDS.get(tier.group(2) if tier else field, ("figure", "数值"))
    if chosen is not None:
        en, zh = f"{chosen.describe()}: {en}", f"{chosen.describe('zh')}：{zh}"
    if change:
        when = owner.date  # type: ignore[attr-defined]
        en, zh = f"{en} (from {when.human()})", f"{zh}（自{when.human('zh')}起）"
    return zh if lang == "zh" else en

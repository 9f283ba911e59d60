"""Exports: one JSON document, CSV facts, and a SQLite database with a full-text index.

The contract (README, "Export contract"): `jurisdictions`, `policies`, `facts` — one row per number
in the knowledge base — plus the other record kinds and the sources. Every file is written to a
temporary name beside its target and renamed into place, so a failed export leaves nothing half-written.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from ..core.quantity import UNIT_DESCRIPTIONS, Quantity, Unit, json_number
from ..load.loader import KnowledgeBase
from ..schema.glossary import label
from ..schema.model import RECORD_SECTIONS, Citation, Indicator, Instrument, Record, Target
from ..schema.values import quantities, to_json
from .outputs import atomic_path

EXPORT_VERSION = 1
FACT_COLUMNS = [
    "id",
    "jurisdiction",
    "record",
    "kind",
    "field",
    "label_zh",
    "label_en",
    "value",
    "high",
    "unit",
    "bound",
    "text",
    "as_of",
    "deadline",
    "document",
    "quote",
]
_FIELD_LABELS = {
    "rate": ("比例", "rate"),
    "cap.amount": ("上限", "cap"),
    "pool.amount": ("总额", "pool"),
    "benefit": ("待遇", "benefit"),
    "benefit_before": ("原待遇", "benefit before"),
    "value": ("目标值", "target"),
    "stretch": ("力争值", "stretch target"),
}


Facts = list[dict[str, object]]


def fact_rows(kb: KnowledgeBase) -> Facts:
    """One row per number, each with the citation whose quote states it. Built once per export or
    build and shared by the JSON, CSV and SQLite writers (finding the stating quote is the costly part)."""
    return [
        _fact(record, kind, field, quantity)
        for section, kind in (("instruments", "instrument"), ("targets", "target"), ("indicators", "indicator"))
        for record in getattr(kb, section).values()
        for field, quantity in quantities(record)
    ]


def _fact(record: Record, kind: str, field: str, quantity: Quantity) -> dict[str, object]:
    citation = citation_for(record.sources, quantity)
    return {
        "id": f"{record.id}:{field}",
        "jurisdiction": record.jurisdiction,
        "record": record.id,
        "kind": kind,
        "field": field,
        "label": _label(record, field),
        **quantity.to_json(),
        "as_of": str(record.as_of) if isinstance(record, Indicator) else None,
        "deadline": str(record.deadline) if isinstance(record, Target) and record.deadline else None,
        "source": {"document": citation.document, "quote": citation.quote},
    }


def _label(record: Record, field: str) -> dict[str, str]:
    name = record.metric if isinstance(record, Target | Indicator) else record.name  # type: ignore[attr-defined]
    if isinstance(record, Indicator):
        return {"zh": name.zh, "en": name.en}
    if field.startswith("tiers["):
        index = int(field[6 : field.index("]")])
        group = record.tiers[index].group  # type: ignore[attr-defined]
        zh, en = f"{label(group, 'zh')}比例", f"rate for {label(group)}"
        if field.endswith("cap.amount"):
            zh, en = f"{label(group, 'zh')}上限", f"cap for {label(group)}"
    else:
        zh, en = _FIELD_LABELS.get(field, (field, field))
    return {"zh": f"{name.zh}{zh}", "en": f"{name.en} — {en}"}


def citation_for(citations: list[Citation], quantity: Quantity) -> Citation:
    """The citation whose quote states this number (the sentence it came from)."""
    if len(citations) == 1:
        return citations[0]  # the only one: no need to read what it states
    for citation in citations:
        if (quantity.unit, quantity.value) in _stated(citation.quote):
            return citation
    return citations[0]


@lru_cache(maxsize=65536)
def _stated(quote: str) -> frozenset[tuple[Unit, Decimal]]:
    """The (unit, value) pairs a quote states, read with the extractor's grammar."""
    from ..author.extract import find_mentions

    pairs = set()
    for mention in find_mentions(quote):
        if mention.quantity is not None:
            pairs.add((mention.quantity.unit, mention.quantity.value))
            if mention.quantity.high is not None:
                pairs.add((mention.quantity.unit, mention.quantity.high))
    return frozenset(pairs)


def export_chunks(kb: KnowledgeBase, facts: Facts | None = None) -> Iterator[str]:
    """The JSON document, written a record per line so that it is never held whole in memory."""
    head = {
        "version": EXPORT_VERSION,
        "sources_as_of": max((str(s.published) for s in kb.sources.values()), default=None),
        "units": {unit.value: text for unit, text in UNIT_DESCRIPTIONS.items()},
    }
    sections: list[tuple[str, Iterable[object]]] = [
        ("sources", (to_json(s) for s in kb.sources.values())),
        ("jurisdictions", (to_json(j) for j in kb.jurisdictions.values())),
        *((name, (to_json(r) for r in getattr(kb, name).values())) for name in RECORD_SECTIONS),
        ("facts", facts if facts is not None else fact_rows(kb)),
    ]
    yield "{\n"
    for key, value in head.items():
        yield f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n"
    for index, (name, items) in enumerate(sections):
        yield f"{json.dumps(name)}: ["
        for position, item in enumerate(items):
            yield ("\n" if position == 0 else ",\n") + json.dumps(item, ensure_ascii=False)
        yield "\n]" + (",\n" if index < len(sections) - 1 else "\n")
    yield "}\n"


def write_json(kb: KnowledgeBase, target: Path, facts: Facts | None = None) -> None:
    with atomic_path(target) as temporary, temporary.open("w", encoding="utf-8") as out:
        out.writelines(export_chunks(kb, facts))


def flat_fact(row: dict[str, object]) -> dict[str, object]:
    label_ = row["label"]
    source = row["source"]
    assert isinstance(label_, dict) and isinstance(source, dict)
    return {
        **{k: v for k, v in row.items() if k not in {"label", "source"}},
        "label_zh": label_["zh"],
        "label_en": label_["en"],
        "document": source["document"],
        "quote": source["quote"],
    }


def export_csv(kb: KnowledgeBase, facts: Facts | None = None) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FACT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in facts if facts is not None else fact_rows(kb):
        writer.writerow(flat_fact(row))
    return out.getvalue()


# --------------------------------------------------------------------------- SQLite

_SCHEMA = """
PRAGMA foreign_keys = ON;
CREATE TABLE sources (
  file TEXT PRIMARY KEY, outlet_zh TEXT, outlet_en TEXT, headline_zh TEXT, headline_en TEXT,
  topic_zh TEXT, topic_en TEXT, published TEXT NOT NULL, date_basis TEXT, script TEXT, url TEXT);
CREATE TABLE jurisdictions (
  id TEXT PRIMARY KEY, parent TEXT REFERENCES jurisdictions(id), level TEXT NOT NULL,
  name_zh TEXT NOT NULL, name_en TEXT NOT NULL, aliases TEXT);
CREATE TABLE policies (
  id TEXT PRIMARY KEY, jurisdiction TEXT NOT NULL REFERENCES jurisdictions(id),
  title_zh TEXT NOT NULL, title_en TEXT NOT NULL, short_names TEXT, kind TEXT NOT NULL,
  issued TEXT, period_start INTEGER, period_end INTEGER, supersedes TEXT REFERENCES policies(id),
  summary_zh TEXT, summary_en TEXT, note TEXT);
CREATE TABLE instruments (
  id TEXT PRIMARY KEY, jurisdiction TEXT NOT NULL REFERENCES jurisdictions(id),
  policy TEXT REFERENCES policies(id), kind TEXT NOT NULL, name_zh TEXT NOT NULL, name_en TEXT NOT NULL,
  rate NUMERIC, rate_text TEXT, cap NUMERIC, cap_text TEXT, cap_per TEXT, cap_period TEXT, cap_years INTEGER,
  pool NUMERIC, pool_text TEXT, pool_period TEXT, beneficiaries TEXT, tiers TEXT, launched TEXT,
  summary_zh TEXT, summary_en TEXT, note TEXT);
CREATE TABLE targets (
  id TEXT PRIMARY KEY, jurisdiction TEXT NOT NULL REFERENCES jurisdictions(id),
  policy TEXT REFERENCES policies(id), topic TEXT NOT NULL, metric_zh TEXT NOT NULL, metric_en TEXT NOT NULL,
  value NUMERIC, value_text TEXT, stretch NUMERIC, stretch_text TEXT, unit TEXT, deadline TEXT, status TEXT, note TEXT);
CREATE TABLE indicators (
  id TEXT PRIMARY KEY, jurisdiction TEXT NOT NULL REFERENCES jurisdictions(id), topic TEXT NOT NULL,
  metric_zh TEXT NOT NULL, metric_en TEXT NOT NULL, value NUMERIC NOT NULL, high NUMERIC, unit TEXT NOT NULL,
  bound TEXT NOT NULL, value_text TEXT NOT NULL, as_of TEXT NOT NULL, subject TEXT, note TEXT);
CREATE TABLE institutions (
  id TEXT PRIMARY KEY, jurisdiction TEXT NOT NULL REFERENCES jurisdictions(id), kind TEXT NOT NULL,
  name_zh TEXT NOT NULL, name_en TEXT NOT NULL, established TEXT, summary_zh TEXT, summary_en TEXT, note TEXT);
CREATE TABLE citations (
  record TEXT NOT NULL, position INTEGER NOT NULL, document TEXT NOT NULL REFERENCES sources(file),
  quote TEXT NOT NULL, PRIMARY KEY (record, position));
CREATE TABLE facts (
  id TEXT PRIMARY KEY, jurisdiction TEXT NOT NULL REFERENCES jurisdictions(id), record TEXT NOT NULL,
  kind TEXT NOT NULL, field TEXT NOT NULL, label_zh TEXT, label_en TEXT, value NUMERIC NOT NULL, high NUMERIC,
  unit TEXT NOT NULL, bound TEXT NOT NULL, text TEXT NOT NULL, as_of TEXT, deadline TEXT,
  document TEXT NOT NULL REFERENCES sources(file), quote TEXT NOT NULL);
CREATE VIRTUAL TABLE search USING fts5(record UNINDEXED, kind UNINDEXED, field UNINDEXED, text, tokenize = 'trigram');
"""


def export_sqlite(kb: KnowledgeBase, target: Path, facts: Facts | None = None) -> None:
    with atomic_path(target) as temporary:
        temporary.unlink()
        connection = sqlite3.connect(temporary)
        try:
            connection.executescript(_SCHEMA)
            with connection:
                _fill(connection, kb, facts if facts is not None else fact_rows(kb))
            problems = connection.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise RuntimeError(f"foreign key check failed: {problems[:3]}")
        finally:
            connection.close()


def _num(quantity: Quantity | None) -> int | float | None:
    return json_number(quantity.value) if quantity else None


def _text(quantity: Quantity | None) -> str | None:
    return quantity.text if quantity else None


def _fill(db: sqlite3.Connection, kb: KnowledgeBase, facts: Facts) -> None:
    db.executemany(
        "INSERT INTO sources VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                s.file,
                s.outlet.zh,
                s.outlet.en,
                s.headline.zh if s.headline else None,
                s.headline.en if s.headline else None,
                s.topic.zh,
                s.topic.en,
                str(s.published),
                s.date_basis,
                s.script.value,
                s.url,
            )
            for s in kb.sources.values()
        ],
    )
    by_depth = sorted(kb.jurisdictions.values(), key=lambda j: len(kb.ancestors(j.id)))
    db.executemany(
        "INSERT INTO jurisdictions VALUES (?,?,?,?,?,?)",
        [
            (j.id, j.parent, j.level.value, j.name.zh, j.name.en, json.dumps(j.aliases, ensure_ascii=False))
            for j in by_depth
        ],
    )
    policies = sorted(kb.policies.values(), key=lambda p: p.supersedes is not None)
    db.executemany(
        "INSERT INTO policies VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                p.id,
                p.jurisdiction,
                p.title.zh,
                p.title.en,
                json.dumps(p.short_names, ensure_ascii=False),
                p.kind.value,
                str(p.issued) if p.issued else None,
                p.period.start if p.period else None,
                p.period.end if p.period else None,
                p.supersedes,
                p.summary.zh if p.summary else None,
                p.summary.en if p.summary else None,
                p.note,
            )
            for p in policies
        ],
    )
    db.executemany(
        "INSERT INTO instruments VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [_instrument_row(i) for i in kb.instruments.values()],
    )
    db.executemany(
        "INSERT INTO targets VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                t.id,
                t.jurisdiction,
                t.policy,
                t.topic.value,
                t.metric.zh,
                t.metric.en,
                _num(t.value),
                _text(t.value),
                _num(t.stretch),
                _text(t.stretch),
                (t.value or t.stretch).unit.value if (t.value or t.stretch) else None,
                str(t.deadline) if t.deadline else None,
                t.status.value if t.status else None,
                t.note,
            )
            for t in kb.targets.values()
        ],
    )
    db.executemany(
        "INSERT INTO indicators VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                i.id,
                i.jurisdiction,
                i.topic.value,
                i.metric.zh,
                i.metric.en,
                _num(i.value),
                json_number(i.value.high) if i.value.high is not None else None,
                i.value.unit.value,
                i.value.bound.value,
                i.value.text,
                str(i.as_of),
                i.subject,
                i.note,
            )
            for i in kb.indicators.values()
        ],
    )
    db.executemany(
        "INSERT INTO institutions VALUES (?,?,?,?,?,?,?,?,?)",
        [
            (
                i.id,
                i.jurisdiction,
                i.kind.value,
                i.name.zh,
                i.name.en,
                str(i.established) if i.established else None,
                i.summary.zh if i.summary else None,
                i.summary.en if i.summary else None,
                i.note,
            )
            for i in kb.institutions.values()
        ],
    )
    everything = [*kb.jurisdictions.values(), *kb.records()]
    db.executemany(
        "INSERT INTO citations VALUES (?,?,?,?)",
        [(item.id, n, c.document, c.quote) for item in everything for n, c in enumerate(item.sources)],
    )
    db.executemany(
        f"INSERT INTO facts VALUES ({','.join('?' * len(FACT_COLUMNS))})",
        [tuple(flat[c] for c in FACT_COLUMNS) for flat in map(flat_fact, facts)],  # each row flattened once
    )
    db.executemany("INSERT INTO search VALUES (?,?,?,?)", list(_search_rows(kb)))


def _instrument_row(i: Instrument) -> tuple[object, ...]:
    return (
        i.id,
        i.jurisdiction,
        i.policy,
        i.kind.value,
        i.name.zh,
        i.name.en,
        _num(i.rate),
        _text(i.rate),
        _num(i.cap.amount) if i.cap else None,
        i.cap.amount.text if i.cap else None,
        i.cap.per.value if i.cap else None,
        i.cap.period.value if i.cap else None,
        i.cap.years if i.cap else None,
        _num(i.pool.amount) if i.pool else None,
        i.pool.amount.text if i.pool else None,
        i.pool.period.value if i.pool else None,
        json.dumps([b.value for b in i.beneficiaries]),
        json.dumps([to_json(t) for t in i.tiers], ensure_ascii=False),
        str(i.launched) if i.launched else None,
        i.summary.zh if i.summary else None,
        i.summary.en if i.summary else None,
        i.note,
    )


def _search_rows(kb: KnowledgeBase) -> Iterator[tuple[str, str, str, str]]:
    for j in kb.jurisdictions.values():
        yield j.id, "jurisdiction", "name", f"{j.name.zh} {j.name.en} {' '.join(j.aliases)}"
    for record in kb.records():
        kind = kb.section_of(record)
        for field in ("title", "name", "metric", "summary"):
            value = getattr(record, field, None)
            if value is not None:
                yield record.id, kind, field, f"{value.zh} {value.en}"
        for citation in record.sources:
            yield record.id, kind, "quote", citation.quote

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
from pathlib import Path

from ..ask import timeline
from ..core.escape import csv_cell
from ..core.quantity import UNIT_DESCRIPTIONS, Quantity, json_number
from ..load.loader import KnowledgeBase
from ..schema.model import RECORD_SECTIONS, Instrument, Policy
from ..schema.values import to_json
from .facts import FACT_COLUMNS, fact_rows, flat_fact
from .outputs import atomic_path

EXPORT_VERSION = 2


def export_chunks(kb: KnowledgeBase, facts: list[dict[str, object]] | None = None) -> Iterator[str]:
    """The JSON document, written a record per line so that it is never held whole in memory."""
    head = {
        "version": EXPORT_VERSION,
        "sources_as_of": max((str(s.published) for s in kb.sources.values() if s.published), default=None),
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


def write_json(kb: KnowledgeBase, target: Path, facts: list[dict[str, object]] | None = None) -> None:
    with atomic_path(target) as temporary, temporary.open("w", encoding="utf-8") as out:
        out.writelines(export_chunks(kb, facts))


def export_csv(kb: KnowledgeBase, facts: list[dict[str, object]] | None = None) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FACT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in facts if facts is not None else fact_rows(kb):
        writer.writerow({key: csv_cell(value) for key, value in flat_fact(row).items()})
    return out.getvalue()


# --------------------------------------------------------------------------- SQLite

_SCHEMA = """
PRAGMA foreign_keys = ON;
CREATE TABLE sources (
  file TEXT PRIMARY KEY, outlet_zh TEXT, outlet_en TEXT, headline_zh TEXT, headline_en TEXT,
  topic_zh TEXT, topic_en TEXT, published TEXT, date_basis TEXT, script TEXT, url TEXT);
CREATE TABLE jurisdictions (
  id TEXT PRIMARY KEY, parent TEXT REFERENCES jurisdictions(id), level TEXT NOT NULL,
  name_zh TEXT NOT NULL, name_en TEXT NOT NULL, aliases TEXT);
CREATE TABLE policies (
  id TEXT PRIMARY KEY, jurisdiction TEXT NOT NULL REFERENCES jurisdictions(id),
  title_zh TEXT NOT NULL, title_en TEXT NOT NULL, short_names TEXT, kind TEXT NOT NULL,
  issued TEXT, period_start INTEGER, period_end INTEGER, supersedes TEXT REFERENCES policies(id),
  summary_zh TEXT, summary_en TEXT, note TEXT, untitled INTEGER NOT NULL DEFAULT 0, document_number TEXT,
  issuer TEXT, effective_start TEXT, effective_end TEXT, amends TEXT, status TEXT);
CREATE TABLE instruments (
  id TEXT PRIMARY KEY, jurisdiction TEXT NOT NULL REFERENCES jurisdictions(id),
  policy TEXT REFERENCES policies(id), kind TEXT NOT NULL, name_zh TEXT NOT NULL, name_en TEXT NOT NULL,
  rate NUMERIC, rate_text TEXT, cap NUMERIC, cap_text TEXT, cap_per TEXT, cap_period TEXT, cap_years INTEGER,
  pool NUMERIC, pool_text TEXT, pool_period TEXT, beneficiaries TEXT, tiers TEXT, launched TEXT,
  summary_zh TEXT, summary_en TEXT, note TEXT, condition TEXT, effective_start TEXT, effective_end TEXT,
  supersedes TEXT REFERENCES instruments(id), changes TEXT, status TEXT);
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
  unit TEXT NOT NULL, bound TEXT NOT NULL, text TEXT NOT NULL, derivation TEXT, per TEXT, period TEXT,
  as_of TEXT, deadline TEXT, effective_from TEXT, effective_to TEXT, status TEXT,
  document TEXT NOT NULL REFERENCES sources(file), quote TEXT NOT NULL);
CREATE INDEX facts_by_record ON facts(record);
CREATE INDEX facts_by_date ON facts(effective_from, effective_to);
CREATE VIRTUAL TABLE search USING fts5(record UNINDEXED, kind UNINDEXED, field UNINDEXED, text, tokenize = 'trigram');
"""


def export_sqlite(kb: KnowledgeBase, target: Path, facts: list[dict[str, object]] | None = None) -> None:
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
    return _sql_number(json_number(quantity.value)) if quantity else None


_SQLITE_INTEGERS = range(-(2**63), 2**63)


def _sql_number(value: object) -> object:
    """SQLite integers are 64-bit: a larger whole number is stored as a real, never an overflow."""
    return float(value) if isinstance(value, int) and value not in _SQLITE_INTEGERS else value


def _text(quantity: Quantity | None) -> str | None:
    return quantity.text if quantity else None


def _fill(db: sqlite3.Connection, kb: KnowledgeBase, facts: list[dict[str, object]]) -> None:
    db.execute("PRAGMA defer_foreign_keys = ON")  # supersedes chains point both ways in insertion order
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
                str(s.published) if s.published else None,
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
    policies = list(kb.policies.values())
    db.executemany(
        "INSERT INTO policies VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
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
                int(p.untitled),
                p.document_number,
                json.dumps([to_json(i) for i in p.issuer], ensure_ascii=False),
                *_window(kb, p),
                json.dumps(p.amends),
                timeline.status(kb, p).status.value,
            )
            for p in policies
        ],
    )
    db.executemany(
        "INSERT INTO instruments VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [_instrument_row(kb, i) for i in kb.instruments.values()],
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
                _sql_number(json_number(i.value.high)) if i.value.high is not None else None,
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
        [tuple(_sql_number(flat[c]) for c in FACT_COLUMNS) for flat in map(flat_fact, facts)],  # flattened once
    )
    db.executemany("INSERT INTO search VALUES (?,?,?,?)", list(_search_rows(kb)))


def _window(kb: KnowledgeBase, record: Policy | Instrument) -> tuple[str | None, str | None]:
    start, end = timeline.effective_window(kb, record)
    return (str(start) if start else None, str(end) if end else None)


def _instrument_row(kb: KnowledgeBase, i: Instrument) -> tuple[object, ...]:
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
        json.dumps(to_json(i.condition), ensure_ascii=False) if i.condition else None,
        *_window(kb, i),
        i.supersedes,
        json.dumps(to_json(i.changes), ensure_ascii=False),
        timeline.status(kb, i).status.value,
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

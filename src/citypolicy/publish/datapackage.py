"""The exports as a Frictionless data package: facts.csv with its Table Schema, and the JSON document.

`datapackage.json` (Data Package v1) describes `facts.csv` as a tabular resource — every column with
its type, description, allowed values and, for figures, the units they are normalised to — and
`citypolicy.json` as a JSON resource; each with its size and SHA-256, so a reader can check that
the files are the ones described. The articles the records cite are the package's `sources`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from .columns import FACT_FIELDS, TABLES, Column
from .export import EXPORT_VERSION, export_csv, write_json
from .outputs import write_text_atomic

if TYPE_CHECKING:
    from ..load.loader import KnowledgeBase

FACTS_FILE = "facts.csv"
JSON_FILE = "citypolicy.json"
DESCRIPTOR_FILE = "datapackage.json"
PACKAGE_FILES = (FACTS_FILE, JSON_FILE, DESCRIPTOR_FILE)
TITLE = "citypolicy: Chinese cities' AI-industry policies, cited sentence by sentence"
DESCRIPTION = (
    "Compute vouchers, funds, talent awards, targets and the figures Chinese cities publish about "
    "themselves, each traced to the sentence of the news article it came from. facts.csv holds one row "
    "per number; citypolicy.json the whole knowledge base (records, places, sources and facts)."
)


def write_datapackage(kb: KnowledgeBase, folder: Path, facts: list[dict[str, object]]) -> None:
    """facts.csv, citypolicy.json, then datapackage.json describing them (each written atomically)."""
    write_text_atomic(folder / FACTS_FILE, export_csv(kb, facts))
    write_json(kb, folder / JSON_FILE, facts)
    write_descriptor(kb, folder)


def write_descriptor(kb: KnowledgeBase, folder: Path) -> None:
    """datapackage.json for the facts.csv and citypolicy.json already in `folder`."""
    text = json.dumps(descriptor(kb, folder), ensure_ascii=False, indent=2) + "\n"
    write_text_atomic(folder / DESCRIPTOR_FILE, text)


def descriptor(kb: KnowledgeBase, folder: Path) -> dict[str, object]:
    return {
        "profile": "data-package",
        "name": "citypolicy",
        "title": TITLE,
        "description": DESCRIPTION,
        "version": f"{EXPORT_VERSION}.0.0",
        "keywords": ["China", "AI policy", "compute vouchers", "算力券", "训力券"],
        "sources": [_source(s) for s in kb.sources.values()],
        "resources": [_facts_resource(folder / FACTS_FILE), _json_resource(folder / JSON_FILE)],
    }


def _source(source) -> dict[str, str]:  # type: ignore[no-untyped-def]
    headline = source.headline or source.topic
    out = {"title": f"{source.outlet.zh} {source.outlet.en}: {headline.zh} ({source.file})"}
    if source.url:
        out["path"] = source.url
    return out


def _facts_resource(path: Path) -> dict[str, object]:
    facts = next(t for t in TABLES if t.name == "facts")
    return {
        "profile": "tabular-data-resource",
        "name": "facts",
        "path": path.name,
        "title": "Facts: one row per number",
        "description": facts.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        **_integrity(path),
        "dialect": {"delimiter": ",", "lineTerminator": "\n", "quoteChar": '"', "header": True},
        "schema": {
            "fields": [_field(column) for column in FACT_FIELDS],
            "primaryKey": ["id"],
            "missingValues": [""],
        },
    }


def _field(column: Column) -> dict[str, object]:
    field: dict[str, object] = {"name": column.name, "type": column.type, "description": column.description}
    if column.type == "date":
        field["format"] = "default"  # ISO 8601 days
    constraints: dict[str, object] = {}
    if column.required:
        constraints["required"] = True
    if column.name == "id":
        constraints["unique"] = True
    if column.choices:
        constraints["enum"] = list(column.choices)
    if constraints:
        field["constraints"] = constraints
    return field


def _json_resource(path: Path) -> dict[str, object]:
    return {
        "profile": "data-resource",
        "name": "citypolicy",
        "path": path.name,
        "title": "The whole knowledge base as one JSON document",
        "description": (
            "version, sources_as_of, units (each unit with its description), sources, jurisdictions, "
            "policies, instruments, targets, indicators, institutions (the records as in the data files, "
            "every quantity as {value, high, unit, bound, text}) and facts (the rows of facts.csv, with "
            "label and source as objects); see the README's export contract"
        ),
        "format": "json",
        "mediatype": "application/json",
        "encoding": "utf-8",
        **_integrity(path),
    }


def _integrity(path: Path) -> dict[str, object]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return {"bytes": size, "hash": f"sha256:{digest.hexdigest()}"}

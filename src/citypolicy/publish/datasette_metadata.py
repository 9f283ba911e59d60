"""The SQLite export for Datasette: `datasette citypolicy.sqlite -m metadata.json`.

metadata.json (Datasette 0.x) gives the database a title, description and a license note, every
table and column its description (publish/columns.py), each record table the column that names a
row (`label_column`, so foreign keys show names) and facets to start from, and full-text search on
the `search` table (FTS5 with the trigram tokenizer, so 训力券 is found).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from .columns import TABLES
from .datapackage import TITLE
from .export import export_sqlite
from .outputs import write_text_atomic

if TYPE_CHECKING:
    from ..load.loader import KnowledgeBase

SQLITE_FILE = "citypolicy.sqlite"
METADATA_FILE = "metadata.json"
DATASETTE_FILES = (SQLITE_FILE, METADATA_FILE)
LICENSE_NOTE = "sources: see sources table"
DESCRIPTION = (
    "Compute vouchers, funds, talent awards, targets and the figures Chinese cities publish about "
    "themselves, each traced to the sentence of the news article it came from. The facts table holds one "
    "row per number with its quote; search is a full-text index over names, titles and quotes."
)


def write_datasette(kb: KnowledgeBase, folder: Path, facts: list[dict[str, object]]) -> None:
    """citypolicy.sqlite, then metadata.json describing it (each written atomically)."""
    export_sqlite(kb, folder / SQLITE_FILE, facts)
    write_metadata(folder)


def write_metadata(folder: Path, database: str = Path(SQLITE_FILE).stem) -> None:
    write_text_atomic(folder / METADATA_FILE, json.dumps(metadata(database), ensure_ascii=False, indent=2) + "\n")


def metadata(database: str = Path(SQLITE_FILE).stem) -> dict[str, object]:
    return {
        "title": TITLE,
        "description": DESCRIPTION,
        "license": LICENSE_NOTE,
        "databases": {
            database: {
                "title": "citypolicy",
                "description": "Records, places, sources, every figure with its quote, and a full-text index.",
                "license": LICENSE_NOTE,
                "tables": {table.name: _table(table) for table in TABLES},
            }
        },
    }


def _table(table) -> dict[str, object]:  # type: ignore[no-untyped-def]
    out: dict[str, object] = {"description": table.description, "columns": dict(table.columns)}
    if table.label:
        out["label_column"] = table.label
    if table.facets:
        out["facets"] = list(table.facets)
    if table.name == "search":
        out["fts_table"] = "search"
        out["fts_pk"] = "rowid"
    return out

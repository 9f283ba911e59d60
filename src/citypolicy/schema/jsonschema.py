"""JSON Schema of the files analysts edit, for editor completion and inline errors."""

from __future__ import annotations

from typing import Any

from .model import PlaceFile, SourcesFile

SCHEMA_FILE = "schema/place.schema.json"
SCHEMA_COMMENT = f"# yaml-language-server: $schema=../../{SCHEMA_FILE}"


def place_schema() -> dict[str, Any]:
    schema = PlaceFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "citypolicy place file (data/cities/<id>.yaml, data/provinces/<id>.yaml)"
    return schema


SOURCES_SCHEMA_FILE = "schema/sources.schema.json"


def sources_schema() -> dict[str, Any]:
    schema = SourcesFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "citypolicy sources registry (data/sources.yaml)"
    return schema

"""The exports as data tools open them: a Frictionless data package (validated with frictionless
itself) and the SQLite export with its Datasette metadata (opened with Datasette's own test client)."""

from __future__ import annotations

import asyncio
import csv
import html
import json
import os
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from datasette.app import Datasette
from frictionless import validate
from helpers import PROJECT, citypolicy

from citypolicy.publish.columns import FACT_FIELDS, TABLES
from citypolicy.publish.facts import FACT_COLUMNS

FIXTURE = PROJECT / "tests" / "fixtures" / "vouchers_kb"


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITYPOLICY_CACHE", str(tmp_path / "cache"))


def export(fmt: str, out: Path, *more: str) -> None:
    done = citypolicy("export", "--format", fmt, "-o", str(out), *more, kb=FIXTURE)
    assert done.returncode == 0, done.stderr


# --------------------------------------------------------------------------- Frictionless


@pytest.fixture
def package(tmp_path: Path) -> Path:
    export("datapackage", tmp_path / "pkg", "--as-of", "2025-06-30")
    return tmp_path / "pkg"


def test_datapackage_writes_the_three_files_and_frictionless_finds_them_valid(package: Path) -> None:
    assert sorted(p.name for p in package.iterdir()) == ["citypolicy.json", "datapackage.json", "facts.csv"]
    report = validate(str(package / "datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])
    assert report.stats["tasks"] == 2  # the CSV and the JSON document


def test_the_table_schema_describes_every_column_with_a_type(package: Path) -> None:
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    facts = next(r for r in descriptor["resources"] if r["name"] == "facts")
    fields = facts["schema"]["fields"]
    with (package / "facts.csv").open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert [f["name"] for f in fields] == header == FACT_COLUMNS
    assert all(f["type"] and len(f["description"]) > 10 for f in fields)
    types = {f["name"]: f["type"] for f in fields}
    assert (types["value"], types["high"], types["effective_from"], types["quote"]) == (
        "number",
        "number",
        "date",
        "string",
    )
    value = next(f for f in fields if f["name"] == "value")
    assert "cny: Chinese yuan" in value["description"] and "ratio: a share between 0 and 1" in value["description"]
    unit = next(f for f in fields if f["name"] == "unit")
    assert {"cny", "ratio", "count", "eflops"} <= set(unit["constraints"]["enum"])
    assert facts["schema"]["primaryKey"] == ["id"]
    assert next(r for r in descriptor["resources"] if r["name"] == "citypolicy")["format"] == "json"
    assert [s["title"].endswith("(900_fixture_zhangzhou.txt)") for s in descriptor["sources"]] == [True, False]


def test_frictionless_reads_the_figures_as_typed_values(package: Path) -> None:
    from frictionless import Package

    rows = Package(str(package / "datapackage.json")).get_resource("facts").read_rows()
    pool = {r["id"]: r for r in rows}["zhangzhou-compute-voucher:changes[0].pool.amount"]
    assert pool["value"] == 250_000_000
    assert pool["effective_from"] == date(2025, 1, 1)  # a date, as the schema types it
    earlier = {r["id"]: r for r in rows}["zhangzhou-compute-voucher:pool.amount"]
    assert (earlier["value"], str(earlier["effective_to"]), earlier["status"]) == (
        100_000_000,
        "2024-12-31",
        "superseded",
    )


def test_a_file_that_no_longer_matches_its_description_is_invalid(package: Path) -> None:
    text = (package / "facts.csv").read_text(encoding="utf-8")
    (package / "facts.csv").write_text(text.replace(",at_most,", ",at_mist,", 1), encoding="utf-8")
    report = validate(str(package / "datapackage.json"))
    assert not report.valid
    assert {"hash-count", "constraint-error"} <= {error[0] for error in report.flatten(["type"])}


def test_every_described_fact_field_is_an_exported_column() -> None:
    assert [c.name for c in FACT_FIELDS] == FACT_COLUMNS


# --------------------------------------------------------------------------- Datasette


@pytest.fixture
def datasette_folder(tmp_path: Path) -> Path:
    export("datasette", tmp_path / "ds")
    return tmp_path / "ds"


def get(folder: Path, path: str):  # type: ignore[no-untyped-def]
    metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))

    async def fetch():  # type: ignore[no-untyped-def]
        datasette = Datasette([str(folder / "citypolicy.sqlite")], metadata=metadata)
        return await datasette.client.get(path)

    # In a thread of its own: Playwright's sync API keeps an event loop running in the main thread
    # for the rest of a session that has run browser tests, and asyncio.run refuses to nest.
    with ThreadPoolExecutor(max_workers=1) as pool:
        response = pool.submit(asyncio.run, fetch()).result()
    assert response.status_code == 200, (path, response.text[:500])
    return response


def test_datasette_writes_the_database_and_its_metadata(datasette_folder: Path) -> None:
    assert sorted(p.name for p in datasette_folder.iterdir()) == ["citypolicy.sqlite", "metadata.json"]
    metadata = json.loads((datasette_folder / "metadata.json").read_text(encoding="utf-8"))
    assert metadata["license"] == "sources: see sources table"
    assert metadata["databases"]["citypolicy"]["tables"]["facts"]["label_column"] == "label_en"


def test_every_sqlite_column_has_a_description(datasette_folder: Path) -> None:
    metadata = json.loads((datasette_folder / "metadata.json").read_text(encoding="utf-8"))
    tables = metadata["databases"]["citypolicy"]["tables"]
    with sqlite3.connect(datasette_folder / "citypolicy.sqlite") as db:
        for table in TABLES:
            columns = [row[1] for row in db.execute(f"PRAGMA table_info({table.name})")]
            assert columns == list(tables[table.name]["columns"]), table.name


def test_datasette_shows_table_and_column_descriptions(datasette_folder: Path) -> None:
    page = html.unescape(get(datasette_folder, "/citypolicy/facts").text)
    assert "One row per number in the knowledge base" in page
    assert "<dt>id</dt><dd>the fact's stable id: the record's id, a colon, and the field (record:field)</dd>" in page
    assert "Data license:" in page and "sources: see sources table" in page
    instruments = html.unescape(get(datasette_folder, "/citypolicy/instruments").text)
    assert "<dt>cap_per</dt><dd>what the cap applies to (recipient, project, contract, person)</dd>" in instruments


def test_datasette_offers_the_configured_facets(datasette_folder: Path) -> None:
    facts = get(datasette_folder, "/citypolicy/facts.json").json()
    assert list(facts["facet_results"]) == ["jurisdiction", "kind", "unit", "bound", "status"]
    kinds = {item["value"]: item["count"] for item in facts["facet_results"]["kind"]["results"]}
    assert kinds == {"instrument": len(facts["rows"])}
    places = {item["value"] for item in facts["facet_results"]["jurisdiction"]["results"]}
    assert places == {"zhangzhou", "nancheng", "donghu"}


def test_datasette_labels_foreign_keys_with_names(datasette_folder: Path) -> None:
    rows = get(datasette_folder, "/citypolicy/instruments.json?_labels=on&_shape=array").json()
    donghu = next(r for r in rows if r["id"] == "donghu-compute-subsidy")
    assert donghu["jurisdiction"] == {"value": "donghu", "label": "Donghu District"}


def test_datasette_full_text_search_finds_chinese_words(datasette_folder: Path) -> None:
    hits = get(datasette_folder, f"/citypolicy/search.json?_search={quote('训力券')}&_shape=array").json()
    assert {h["record"] for h in hits} == {"nancheng-training-voucher"}
    assert any(h["field"] == "quote" and "训力券" in h["text"] for h in hits)
    labelling = get(datasette_folder, f"/citypolicy/search.json?_search={quote('数据标注平台')}&_shape=array").json()
    assert {h["record"] for h in labelling} == {"zhangzhou-labelling-voucher"}
    none = get(datasette_folder, f"/citypolicy/search.json?_search={quote('不存在的词')}&_shape=array").json()
    assert none == []


# --------------------------------------------------------------------------- refusals


def test_a_folder_format_needs_a_folder(tmp_path: Path) -> None:
    missing = citypolicy("export", "--format", "datapackage", kb=FIXTURE)
    assert missing.returncode == 2
    assert "give the folder" in missing.stderr
    (tmp_path / "file").write_text("mine\n")
    done = citypolicy("export", "--format", "datasette", "-o", str(tmp_path / "file"), kb=FIXTURE)
    assert done.returncode == 2
    assert "is not a folder" in done.stderr
    assert (tmp_path / "file").read_text() == "mine\n"


def test_a_link_or_read_only_file_inside_the_folder_is_refused_untouched(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    out.mkdir()
    target = tmp_path / "precious.csv"
    target.write_text("precious\n")
    (out / "facts.csv").symlink_to(target)
    done = citypolicy("export", "--format", "datapackage", "-o", str(out), kb=FIXTURE)
    assert done.returncode == 2
    assert "symbolic link" in done.stderr
    assert target.read_text() == "precious\n"
    assert sorted(p.name for p in out.iterdir()) == ["facts.csv"]  # nothing written before the refusal

    (out / "facts.csv").unlink()
    (out / "datapackage.json").write_text("{}")
    os.chmod(out / "datapackage.json", 0o444)
    refused = citypolicy("export", "--format", "datapackage", "-o", str(out), kb=FIXTURE)
    assert refused.returncode == 2 and "read-only" in refused.stderr
    forced = citypolicy("export", "--format", "datapackage", "-o", str(out), "--force", kb=FIXTURE)
    assert forced.returncode == 0, forced.stderr
    assert json.loads((out / "datapackage.json").read_text())["name"] == "citypolicy"


def test_file_formats_still_refuse_a_folder(tmp_path: Path) -> None:
    done = citypolicy("export", "--format", "csv", "-o", str(tmp_path), kb=FIXTURE)
    assert done.returncode == 2
    assert "is a folder" in done.stderr


# --------------------------------------------------------------------------- the site's downloads


def test_the_sites_data_folder_holds_both_descriptions(tmp_path: Path) -> None:
    done = citypolicy("build", "--out", str(tmp_path / "site"), kb=FIXTURE)
    assert done.returncode == 0, done.stderr
    data = tmp_path / "site" / "data"
    assert {"datapackage.json", "metadata.json", "facts.csv", "citypolicy.json", "citypolicy.sqlite"} <= {
        p.name for p in data.iterdir()
    }
    report = validate(str(data / "datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])
    hits = get(data, f"/citypolicy/search.json?_search={quote('算力券')}&_shape=array").json()
    assert "zhangzhou-compute-voucher" in {h["record"] for h in hits}

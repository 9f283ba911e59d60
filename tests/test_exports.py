"""The export contract of the README: JSON document, CSV of facts, SQLite with foreign keys and FTS.

Everything goes through `citypolicy export` on the fixture knowledge base (tests/fixtures/kb). The
JSON is read once per module; the CSV and the SQLite file are compared with it. Failed exports must
leave nothing half-written, and an export over an existing file must keep the old content when it
fails. One test also runs on the shipped data (marked `data`): every fact's quote states its number.
"""

from __future__ import annotations

import bisect
import csv
import io
import json
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest
from helpers import FIXTURE_KB, PROJECT, copy_kb
from helpers import citypolicy as _cli

from citypolicy.core.quantity import Quantity
from citypolicy.load.loader import load
from citypolicy.load.proof import figures

KB = FIXTURE_KB
SEEDS = KB / "seeds"
SECTIONS = ("jurisdictions", "policies", "instruments", "targets", "indicators", "institutions")
UNITS = {"cny", "ratio", "count", "eflops", "years", "months", "days", "hours", "minutes", "km2", "rank"}
BOUNDS = {"exact", "at_most", "at_least", "approx", "range"}
LEVELS = {"province", "municipality", "city", "district", "zone"}
#: The day the exports are asked about: statuses are derived from it (--as-of), so the answer is fixed.
AS_OF = "2026-06-30"
INSTRUMENT_STATUSES = {"in_force", "expired", "superseded", "not_yet_in_force", "unknown"}
FACT_KEYS = {
    "id",
    "jurisdiction",
    "record",
    "kind",
    "field",
    "label",
    "value",
    "high",
    "unit",
    "bound",
    "text",
    "derivation",
    "per",
    "period",
    "as_of",
    "deadline",
    "effective_from",
    "effective_to",
    "status",
    "source",
}
CSV_COLUMNS = [
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
    "derivation",
    "per",
    "period",
    "as_of",
    "deadline",
    "effective_from",
    "effective_to",
    "status",
    "document",
    "quote",
]
SQLITE_TABLES = {
    "sources",
    "jurisdictions",
    "policies",
    "instruments",
    "targets",
    "indicators",
    "institutions",
    "citations",
    "facts",
}


def _ok(done: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done


def _copy_kb(dest: Path) -> Path:
    return copy_kb(KB, dest)


def _break(kb: Path) -> None:
    """Make the copy invalid: a record pointing at a policy that does not exist."""
    path = kb / "data" / "cities" / "xinghai.yaml"
    text = path.read_text(encoding="utf-8")
    assert "policy: xinghai-ai-measures-2025\n    kind: compute_voucher" in text
    path.write_text(
        text.replace(
            "policy: xinghai-ai-measures-2025\n    kind: compute_voucher",
            "policy: xinghai-no-such-policy\n    kind: compute_voucher",
        ),
        encoding="utf-8",
    )


def _export(*args: str, kb: Path = KB, cwd: Path = KB, **options: object) -> subprocess.CompletedProcess[str]:
    return _cli("export", *args, kb=kb, cwd=cwd, **options)


@pytest.fixture(scope="module")
def document() -> dict:
    return json.loads(_ok(_export("--format", "json", "--as-of", AS_OF)).stdout)


@pytest.fixture(scope="module")
def records(document: dict) -> dict[str, dict]:
    return {item["id"]: item for section in SECTIONS for item in document[section]}


@pytest.fixture(scope="module")
def csv_rows() -> list[dict[str, str]]:
    text = _ok(_export("--format", "csv", "--as-of", AS_OF)).stdout
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    assert reader.fieldnames == CSV_COLUMNS
    return rows


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    target = tmp_path_factory.mktemp("sqlite") / "citypolicy.sqlite"
    _ok(_export("--format", "sqlite", "-o", str(target), "--as-of", AS_OF))
    connection = sqlite3.connect(target)
    yield connection
    connection.close()


# --------------------------------------------------------------------------- JSON


def test_json_top_level(document: dict) -> None:
    assert document["version"] == 2
    assert set(document) >= {"version", "units", "sources", "facts", *SECTIONS}
    assert set(document["units"]) == UNITS
    assert all(isinstance(text, str) and text for text in document["units"].values())
    assert sorted(s["file"] for s in document["sources"]) == sorted(p.name for p in SEEDS.glob("*.txt"))
    for section in ("facts", *SECTIONS):
        assert document[section], section


def test_jurisdictions_shape_and_parents(document: dict) -> None:
    places = {j["id"]: j for j in document["jurisdictions"]}
    assert len(places) == len(document["jurisdictions"])
    for place in places.values():
        assert {"id", "parent", "level", "name", "aliases", "established", "sources"} <= set(place)
        assert place["level"] in LEVELS
        assert place["name"]["zh"] and place["name"]["en"]
        assert isinstance(place["aliases"], list)
        if place["parent"] is None:
            assert place["level"] in {"province", "municipality"}
        else:
            assert place["parent"] in places, f"{place['id']}: unknown parent {place['parent']}"
        seen = {place["id"]}
        walk = place
        while walk["parent"] is not None:  # no cycles
            walk = places[walk["parent"]]
            assert walk["id"] not in seen
            seen.add(walk["id"])
    assert places["kedao"]["parent"] == "haiwan" and places["haiwan"]["parent"] == "xinghai"
    assert places["xinghai"]["parent"] == "lingdong" and places["jingchuan"]["parent"] is None
    assert (places["kedao"]["level"], places["kedao"]["established"]) == ("zone", "2023-09")


def test_policies_shape(document: dict) -> None:
    places = {j["id"] for j in document["jurisdictions"]}
    policies = {p["id"]: p for p in document["policies"]}
    for policy in policies.values():
        assert {"id", "jurisdiction", "title", "short_names", "kind", "issuer", "issued", "period"} <= set(policy)
        assert {"supersedes", "summary", "sources"} <= set(policy)
        assert policy["jurisdiction"] in places
        assert policy["title"]["zh"] and policy["title"]["en"]
        assert policy["supersedes"] is None or policy["supersedes"] in policies
    measures = policies["xinghai-ai-measures-2025"]
    assert (measures["kind"], measures["issued"], measures["supersedes"]) == ("measures", "2025-05", None)
    assert measures["period"] == {"start": 2025, "end": 2027}
    assert measures["short_names"] == ["《措施》"]
    assert policies["jingchuan-embodied-ai-plan-2025"]["issued"] == "2025-02-28"


def test_records_reference_known_places_and_policies(document: dict) -> None:
    places = {j["id"] for j in document["jurisdictions"]}
    policies = {p["id"] for p in document["policies"]}
    for section in ("instruments", "targets", "indicators", "institutions"):
        for record in document[section]:
            assert record["jurisdiction"] in places
            if record.get("policy") is not None:
                assert record["policy"] in policies


def test_quantities_have_the_documented_shape(document: dict) -> None:
    quantities = []
    for instrument in document["instruments"]:
        quantities += [instrument["rate"], instrument["benefit"]]
        quantities += [instrument["cap"]["amount"] if instrument["cap"] else None]
        quantities += [instrument["pool"]["amount"] if instrument["pool"] else None]
        quantities += [t["rate"] for t in instrument["tiers"]]
    quantities += [t["value"] for t in document["targets"]] + [t["stretch"] for t in document["targets"]]
    quantities += [i["value"] for i in document["indicators"]]
    quantities = [q for q in quantities if q is not None]
    assert len(quantities) == 27  # 11 in instruments, 5 in targets, 11 indicators
    for quantity in quantities:
        assert set(quantity) == {"value", "high", "unit", "bound", "text", "derivation"}
        assert quantity["derivation"] is None  # the fixture's figures are all stated, none derived
        assert quantity["unit"] in UNITS and quantity["bound"] in BOUNDS
        assert isinstance(quantity["value"], int | float) and quantity["text"]
        assert (quantity["high"] is not None) == (quantity["bound"] == "range")


def test_facts_shape(document: dict, records: dict[str, dict]) -> None:
    seeds = {p.name for p in SEEDS.glob("*.txt")}
    section_of = {item["id"]: section for section in SECTIONS for item in document[section]}
    ids = [f["id"] for f in document["facts"]]
    assert len(ids) == len(set(ids))
    for fact in document["facts"]:
        assert set(fact) == FACT_KEYS, fact["id"]
        assert fact["id"] == f"{fact['record']}:{fact['field']}"
        record = records[fact["record"]]
        assert fact["jurisdiction"] == record["jurisdiction"]
        assert (
            section_of[fact["record"]]
            == {"instrument": "instruments", "target": "targets", "indicator": "indicators"}[fact["kind"]]
        )
        assert fact["label"]["zh"] and fact["label"]["en"]
        assert fact["unit"] in UNITS and fact["bound"] in BOUNDS
        assert isinstance(fact["value"], int | float) and fact["text"]
        assert (fact["high"] is not None) == (fact["bound"] == "range")
        assert fact["as_of"] == (record["as_of"] if fact["kind"] == "indicator" else None)
        assert fact["deadline"] == (record["deadline"] if fact["kind"] == "target" else None)
        limit = fact["field"].split(".")[0] if fact["field"].startswith(("cap.", "pool.")) else None
        assert fact["per"] == (record[limit].get("per") if limit == "cap" else None)
        assert fact["period"] == (record[limit]["period"] if limit else None)
        if fact["kind"] == "instrument":
            assert fact["status"] in INSTRUMENT_STATUSES
        elif fact["kind"] == "indicator":
            assert fact["status"] is None and fact["effective_from"] is None
        assert fact["source"]["document"] in seeds
        assert fact["source"]["quote"].strip()
        assert fact["source"] in record["sources"], "the fact cites one of its record's citations"


def _field_quantities(record: dict, kind: str) -> dict[str, dict]:
    """Every number a record holds, by the field name the contract uses."""
    found: dict[str, dict] = {}
    if kind == "instrument":
        for field in ("rate", "benefit", "benefit_before"):
            if record.get(field):
                found[field] = record[field]
        for part in ("cap", "pool"):
            if record.get(part):
                found[f"{part}.amount"] = record[part]["amount"]
        for n, tier in enumerate(record["tiers"]):
            if tier.get("rate"):
                found[f"tiers[{n}].rate"] = tier["rate"]
    else:
        for field in ("value", "stretch"):
            if record.get(field):
                found[field] = record[field]
    return found


def test_every_number_has_a_fact(document: dict) -> None:
    facts = {f["id"]: f for f in document["facts"]}
    expected = 0
    for section, kind in (("instruments", "instrument"), ("targets", "target"), ("indicators", "indicator")):
        for record in document[section]:
            for field, quantity in _field_quantities(record, kind).items():
                expected += 1
                fact = facts[f"{record['id']}:{field}"]
                assert (fact["value"], fact["high"], fact["unit"], fact["bound"], fact["text"]) == (
                    quantity["value"],
                    quantity["high"],
                    quantity["unit"],
                    quantity["bound"],
                    quantity["text"],
                )
    assert expected <= len(facts)


def test_voucher_facts(document: dict) -> None:
    facts = {f["id"]: f for f in document["facts"]}
    rate = facts["xinghai-compute-voucher:rate"]
    assert (rate["value"], rate["unit"], rate["bound"], rate["jurisdiction"]) == (0.5, "ratio", "exact", "xinghai")
    assert rate["source"]["document"] == "fixture_a_xinghai.txt"
    assert "50%" in rate["source"]["quote"]
    assert rate["label"] == {
        "zh": "算力券：比例（占实际购买算力费用）",
        "en": "compute voucher — rate (share of the actual cost of compute purchased)",
    }
    assert (rate["as_of"], rate["deadline"], rate["per"], rate["period"]) == (None, None, None, None)
    # launched 2025-05 under the 2025—2027 measures: in force on AS_OF
    assert (rate["effective_from"], rate["effective_to"], rate["status"]) == ("2025-05-01", "2027-12-31", "in_force")
    cap = facts["xinghai-compute-voucher:cap.amount"]
    assert (cap["value"], cap["bound"], cap["text"]) == (10_000_000, "at_most", "最高1000万元")
    assert (cap["per"], cap["period"]) == ("recipient", "year")
    assert cap["label"] == {"zh": "算力券：每个主体每年上限", "en": "compute voucher — cap per recipient a year"}
    pool = facts["xinghai-compute-voucher:pool.amount"]
    assert (pool["value"], pool["per"], pool["period"]) == (500_000_000, None, "total")
    assert pool["label"] == {"zh": "算力券：资金总额", "en": "compute voucher — pool in total"}
    yearly = facts["yungang-training-voucher:pool.amount"]
    assert (yearly["period"], yearly["label"]["en"]) == ("year", "training-compute voucher — pool a year")
    undated = facts["haiwan-compute-subsidy:rate"]  # no launch date or period stated
    assert (undated["effective_from"], undated["effective_to"], undated["status"]) == (None, None, "unknown")
    assert facts["xinghai-compute-voucher:tiers[0].rate"]["value"] == 0.6
    share = facts["haiwan-share-of-ai-firms:value"]
    assert (share["value"], share["high"], share["bound"], share["as_of"]) == (0.4, 0.5, "range", "2024-late")
    target = facts["yungang-compute-2026:value"]
    assert (target["value"], target["unit"], target["bound"], target["deadline"]) == (
        50,
        "eflops",
        "at_least",
        "2026-late",
    )


ZHANGZHOU_POLICY = """
policies:
  - id: zhangzhou-ai-measures
    jurisdiction: zhangzhou
    title: {zh: 漳州人工智能产业若干措施, en: Zhangzhou measures for the AI industry}
    untitled: true
    kind: measures
    issued: "2025"
    sources:
      - document: 900_fixture_zhangzhou.txt
        quote: 2025年，漳州将每年“算力券”总规模由1亿元扩大至2.5亿元。
"""


def test_first_terms_never_start_at_a_policy_dated_with_their_change(tmp_path: Path) -> None:
    """Zhangzhou's voucher pool rose from 1亿 to 2.5亿 in 2025; tie the voucher to a policy of 2025 (the
    one that raised it): the first terms were in force before that policy, since a date the sources
    do not state, so their window has no start, never one after its own end."""
    kb = copy_kb(PROJECT / "tests" / "fixtures" / "vouchers_kb", tmp_path / "kb")
    path = kb / "data" / "cities" / "zhangzhou.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("\ninstruments:\n", ZHANGZHOU_POLICY + "\ninstruments:\n", 1)
    text = text.replace("    kind: 算力券\n", "    kind: 算力券\n    policy: zhangzhou-ai-measures\n", 1)
    path.write_text(text, encoding="utf-8")
    _ok(_cli("check", kb=kb, cwd=tmp_path))
    facts = json.loads(_ok(_export("--format", "json", "--as-of", AS_OF, kb=kb, cwd=tmp_path)).stdout)["facts"]
    window = {f["id"]: (f["effective_from"], f["effective_to"], f["status"]) for f in facts}
    assert window["zhangzhou-compute-voucher:pool.amount"] == (None, "2024-12-31", "superseded")
    assert window["zhangzhou-compute-voucher:changes[0].pool.amount"] == ("2025-01-01", None, "in_force")
    # the change raised only the pool: the rates and the cap of the first terms are still in force
    for field in ("tiers[0].rate", "tiers[1].rate", "cap.amount"):
        assert window[f"zhangzhou-compute-voucher:{field}"] == (None, None, "in_force"), field


def _declared_units(source: Path) -> set[str]:
    """The fact ids of figures whose record names their unit ({text: 千亿级, unit: cny})."""
    knowledge, problems = load(source)
    assert problems == []
    return {
        f"{record.id}:{path}"
        for section in ("instruments", "targets", "indicators")
        for record in getattr(knowledge, section).values()
        for path, value, _ in figures(record)
        if isinstance(value, Quantity) and value.unit_declared
    }


@pytest.mark.parametrize("source", [KB, pytest.param(PROJECT, marks=pytest.mark.data)], ids=["fixture", "shipped"])
def test_every_fact_quote_states_its_number(source: Path, tmp_path: Path) -> None:
    """Re-read each fact's quote with `citypolicy extract`: the quote must state the fact's number (a
    figure whose record declares the unit its sentence leaves implicit, 千亿级 as money, is stated as a count)."""
    declared = _declared_units(source)
    facts = json.loads(_ok(_export("--format", "json", kb=source, cwd=tmp_path)).stdout)["facts"]
    lines = [f["source"]["quote"].replace("\n", " ") for f in facts]
    article = tmp_path / "quotes.txt"
    article.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = json.loads(_ok(_cli("extract", str(article), "--format", "json", kb=source, cwd=tmp_path)).stdout)
    starts, position = [], 0
    for line in lines:
        starts.append(position)
        position += len(line) + 1
    by_line: list[list[dict]] = [[] for _ in lines]
    for mention in report["items"]:
        if mention["kind"] == "quantity":
            by_line[bisect.bisect_right(starts, mention["start"]) - 1].append(mention["value"])
    unstated = []
    for fact, stated in zip(facts, by_line, strict=True):
        if fact["unit"] == "rank":  # ordinals (第三) are not mentions: the quote must hold the rank as written
            if fact["text"] not in fact["source"]["quote"]:
                unstated.append(fact["id"])
            continue
        if not any(
            (q["unit"] == fact["unit"] or (fact["id"] in declared and q["unit"] == "count"))
            and q["value"] == pytest.approx(fact["value"])
            and (q["high"] == pytest.approx(fact["high"]) if fact["high"] is not None else q["high"] is None)
            for q in stated
        ):
            unstated.append(fact["id"])
    assert unstated == []


# --------------------------------------------------------------------------- CSV


def test_csv_rows_match_the_json_facts(document: dict, csv_rows: list[dict[str, str]]) -> None:
    facts = document["facts"]
    assert len(csv_rows) == len(facts)
    assert [r["id"] for r in csv_rows] == [f["id"] for f in facts]
    for row, fact in zip(csv_rows, facts, strict=True):
        assert float(row["value"]) == pytest.approx(fact["value"])
        assert (row["unit"], row["bound"], row["text"]) == (fact["unit"], fact["bound"], fact["text"])
        assert (row["label_zh"], row["label_en"]) == (fact["label"]["zh"], fact["label"]["en"])
        assert (row["document"], row["quote"]) == (fact["source"]["document"], fact["source"]["quote"])
        assert row["as_of"] == (fact["as_of"] or "") and row["deadline"] == (fact["deadline"] or "")
        for column in ("derivation", "per", "period", "effective_from", "effective_to", "status"):
            assert row[column] == (fact[column] or ""), (fact["id"], column)


def test_csv_voucher_rate(csv_rows: list[dict[str, str]]) -> None:
    row = next(r for r in csv_rows if r["id"] == "xinghai-compute-voucher:rate")
    assert (row["jurisdiction"], row["record"], row["kind"], row["field"]) == (
        "xinghai",
        "xinghai-compute-voucher",
        "instrument",
        "rate",
    )
    assert float(row["value"]) == 0.5 and row["high"] == ""


# --------------------------------------------------------------------------- SQLite


def test_sqlite_tables(database: sqlite3.Connection) -> None:
    tables = {name for (name,) in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables >= SQLITE_TABLES
    assert "search" in tables
    sql = database.execute("SELECT sql FROM sqlite_master WHERE name = 'search'").fetchone()[0]
    assert "fts5" in sql.lower() and "trigram" in sql.lower()


def test_sqlite_foreign_keys(database: sqlite3.Connection) -> None:
    assert database.execute("PRAGMA foreign_key_check").fetchall() == []
    instruments = {(row[2], row[3]) for row in database.execute("PRAGMA foreign_key_list(instruments)")}
    assert {("jurisdictions", "jurisdiction"), ("policies", "policy")} <= instruments
    facts = {(row[2], row[3]) for row in database.execute("PRAGMA foreign_key_list(facts)")}
    assert {("jurisdictions", "jurisdiction"), ("sources", "document")} <= facts
    places = {(row[2], row[3]) for row in database.execute("PRAGMA foreign_key_list(jurisdictions)")}
    assert ("jurisdictions", "parent") in places
    citations = {(row[2], row[3]) for row in database.execute("PRAGMA foreign_key_list(citations)")}
    assert ("sources", "document") in citations


def test_sqlite_row_counts_match_the_json(database: sqlite3.Connection, document: dict) -> None:
    def count(table: str) -> int:
        return database.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    for section in SECTIONS:
        assert count(section) == len(document[section]), section
    assert count("facts") == len(document["facts"])
    assert count("sources") == len(document["sources"])
    assert count("citations") == sum(len(item["sources"]) for s in SECTIONS for item in document[s])


def test_sqlite_values(database: sqlite3.Connection) -> None:
    rate, cap, pool, per, period = database.execute(
        "SELECT rate, cap, pool, cap_per, cap_period FROM instruments WHERE id = 'xinghai-compute-voucher'"
    ).fetchone()
    assert (rate, cap, pool, per, period) == (0.5, 10_000_000, 500_000_000, "recipient", "year")
    value, unit, bound = database.execute(
        "SELECT value, unit, bound FROM facts WHERE id = 'xinghai-ai-core-industry-2027:stretch'"
    ).fetchone()
    assert (value, unit, bound) == (400_000_000_000, "cny", "exact")
    parent = database.execute("SELECT parent FROM jurisdictions WHERE id = 'kedao'").fetchone()[0]
    assert parent == "haiwan"


def test_sqlite_full_text_search_finds_chinese(database: sqlite3.Connection) -> None:
    records = {r for (r,) in database.execute("SELECT record FROM search WHERE search MATCH '训力券'")}
    assert "yungang-training-voucher" in records
    traditional = {r for (r,) in database.execute("SELECT record FROM search WHERE search MATCH '訓力券'")}
    assert "yungang-training-voucher" in traditional  # the quotes of the Traditional article
    titles = {r for (r,) in database.execute("SELECT record FROM search WHERE search MATCH '\"具身智能产业行动计划\"'")}
    assert titles == {"jingchuan-embodied-ai-plan-2025"}


def test_sqlite_two_character_chinese_search_as_documented(database: sqlite3.Connection) -> None:
    """README: for words shorter than three characters, `WHERE instr(text, '深圳') > 0`."""
    records = {r for (r,) in database.execute("SELECT record FROM search WHERE instr(text, '星海') > 0")}
    assert "xinghai" in records
    assert "xinghai-compute-voucher" in records


# --------------------------------------------------------------------------- writing files


@pytest.mark.parametrize("fmt", ["json", "csv", "sqlite"])
def test_export_to_an_impossible_path_fails_cleanly(tmp_path: Path, fmt: str) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a plain file where a folder should be\n", encoding="utf-8")
    target = blocker / f"out.{fmt}"
    done = _export("--format", fmt, "-o", str(target), cwd=tmp_path)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert not target.exists()
    assert blocker.read_text(encoding="utf-8") == "a plain file where a folder should be\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-folder"]


def test_export_to_an_impossible_path_is_reported_as_a_user_error(tmp_path: Path) -> None:
    """A path that cannot be written is the user's to fix: `error: …`, not an internal error (a bug)."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    done = _export("--format", "json", "-o", str(blocker / "out.json"), cwd=tmp_path)
    assert done.returncode == 2
    assert "internal error" not in done.stderr
    assert f"{blocker} is a file, not a folder" in done.stderr


def test_export_into_a_missing_folder_writes_a_complete_file(tmp_path: Path, document: dict) -> None:
    target = tmp_path / "new" / "folder" / "export.json"
    _ok(_export("--format", "json", "-o", str(target), cwd=tmp_path))
    assert json.loads(target.read_text(encoding="utf-8")) == document
    assert [p.name for p in target.parent.iterdir()] == ["export.json"]  # no temporary file left


@pytest.mark.parametrize("fmt", ["json", "csv", "sqlite"])
def test_failed_export_keeps_the_old_file(tmp_path: Path, fmt: str) -> None:
    kb = _copy_kb(tmp_path / "kb")
    _break(kb)
    out = tmp_path / "out"
    out.mkdir()
    target = out / f"previous.{fmt}"
    target.write_bytes(b"previous export\n")
    done = _export("--format", fmt, "-o", str(target), kb=kb, cwd=tmp_path)
    assert done.returncode == 1
    assert "xinghai-no-such-policy" in done.stderr
    assert "Traceback" not in done.stderr
    assert target.read_bytes() == b"previous export\n"
    assert [p.name for p in out.iterdir()] == [f"previous.{fmt}"]


@pytest.mark.parametrize("fmt", ["json", "csv", "sqlite"])
def test_export_replaces_an_old_file_whole(tmp_path: Path, fmt: str, document: dict) -> None:
    target = tmp_path / f"previous.{fmt}"
    target.write_bytes(b"previous export that is longer than nothing\n" * 10)
    _ok(_export("--format", fmt, "-o", str(target), cwd=tmp_path))
    if fmt == "json":
        assert json.loads(target.read_text(encoding="utf-8")) == document
    elif fmt == "csv":
        assert len(list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))) == len(document["facts"])
    else:
        with sqlite3.connect(target) as connection:
            assert connection.execute("SELECT count(*) FROM facts").fetchone()[0] == len(document["facts"])
    assert [p.name for p in tmp_path.iterdir()] == [f"previous.{fmt}"]


def test_valid_copy_exports_the_same_document(tmp_path: Path, document: dict) -> None:
    kb = _copy_kb(tmp_path / "kb")
    copied = json.loads(_ok(_export("--format", "json", kb=kb, cwd=tmp_path)).stdout)
    assert copied["facts"] == document["facts"]
    assert [j["id"] for j in copied["jurisdictions"]] == [j["id"] for j in document["jurisdictions"]]


@pytest.mark.parametrize("fmt", ["json", "csv", "sqlite"])
def test_exported_files_are_readable_like_any_written_file(tmp_path: Path, fmt: str) -> None:
    """With umask 022 a written file is rw-r--r--; the temporary-file-and-rename must not make it private."""
    target = tmp_path / f"export.{fmt}"
    _ok(_export("--format", fmt, "-o", str(target), cwd=tmp_path, umask=0o022))
    assert stat.S_IMODE(target.stat().st_mode) == 0o644

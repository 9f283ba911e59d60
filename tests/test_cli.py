"""The CLI on the fixture knowledge base (tests/fixtures/kb): every command, pinned to what the
invented articles say, plus the error paths (exit codes 1 and 2, messages on stderr, never a
traceback), every command's --help and the table formats.

These are code tests: an edit of the shipped data/ cannot fail them (test_queries_cli.py checks
the same commands on the shipped data). Calculator details (tiers, multi-year caps, rounding) are
left to the calculator's own tests; here the subsidy command is checked for its shape only.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from pathlib import Path

import pytest
from helpers import FIXTURE_KB, json_answer, no_traceback
from helpers import citypolicy as _citypolicy

KB = FIXTURE_KB
COMMANDS = (
    "check",
    "schema",
    "vouchers",
    "subsidy",
    "targets",
    "indicators",
    "show",
    "compare",
    "search",
    "query",
    "report",
    "export",
    "build",
    "extract",
    "coverage",
)


def _cli(*args: str, cwd: Path = KB) -> subprocess.CompletedProcess[str]:
    return _citypolicy(*args, kb=KB, cwd=cwd)


def _json(*args: str) -> dict:
    return json_answer(*args, kb=KB, cwd=KB)  # type: ignore[return-value]


_no_traceback = no_traceback


# --------------------------------------------------------------------------- vouchers


@pytest.fixture(scope="module")
def compute_vouchers() -> dict:
    return _json("vouchers", "--kind", "compute")


def test_vouchers_compute_rows(compute_vouchers: dict) -> None:
    assert (compute_vouchers["query"], compute_vouchers["kind"]) == ("vouchers", "compute")
    rows = [
        (r["city"]["id"], r["place"]["id"], r["status"], r["instrument"] and r["instrument"]["id"])
        for r in compute_vouchers["rows"]
    ]
    assert rows == [
        ("jingchuan", "jingchuan", "not_stated", None),  # a city with none gets a row saying so
        ("xinghai", "xinghai", "stated", "xinghai-compute-voucher"),  # the city first, then its districts
        ("xinghai", "haiwan", "stated", "haiwan-compute-subsidy"),
        ("yungang", "yungang", "stated", "yungang-training-voucher"),
        ("yungang", "dongan", "stated", "dongan-compute-subsidy"),
    ]


def test_vouchers_compute_terms(compute_vouchers: dict) -> None:
    by_id = {r["instrument"]["id"]: r for r in compute_vouchers["rows"] if r["instrument"]}
    voucher = by_id["xinghai-compute-voucher"]["instrument"]
    assert (voucher["kind"], voucher["name"]["zh"], voucher["rate"]["value"], voucher["rate"]["bound"]) == (
        "compute_voucher",
        "算力券",
        0.5,
        "exact",
    )
    assert [(t["group"], t["rate"]["value"]) for t in voucher["tiers"]] == [("startup", 0.6)]
    assert (voucher["cap"]["amount"]["value"], voucher["cap"]["per"], voucher["cap"]["period"]) == (
        10_000_000,
        "recipient",
        "year",
    )
    assert (voucher["pool"]["amount"]["value"], voucher["pool"]["period"]) == (500_000_000, "total")
    assert by_id["xinghai-compute-voucher"]["policy"]["id"] == "xinghai-ai-measures-2025"
    training = by_id["yungang-training-voucher"]["instrument"]
    assert (training["rate"]["value"], training["rate"]["bound"]) == (0.4, "at_most")
    assert [(t["group"], t["rate"]["value"]) for t in training["tiers"]] == [("startup", 0.6), ("sme", 0.5)]
    assert (training["cap"]["amount"]["value"], training["cap"]["period"], training["cap"]["over"]["value"]) == (
        30_000_000,
        "total",
        3,
    )
    assert by_id["yungang-training-voucher"]["policy"] is None  # the article does not say which
    subsidy = by_id["dongan-compute-subsidy"]["instrument"]
    assert subsidy["rate"] is None and subsidy["cap"] is None and subsidy["pool"] is None


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("training", ["yungang-training-voucher"]), ("corpus", ["dongan-corpus-voucher"]), ("model", [])],
)
def test_vouchers_by_kind(kind: str, expected: list[str]) -> None:
    rows = _json("vouchers", "--kind", kind)["rows"]
    assert [r["instrument"]["id"] for r in rows if r["status"] == "stated"] == expected


def test_vouchers_city_filter_accepts_names_in_either_script() -> None:
    payload = _json("vouchers", "--kind", "compute", "--city", "雲港", "--city", "星海")
    assert [r["place"]["id"] for r in payload["rows"]] == ["yungang", "dongan", "xinghai", "haiwan"]


def test_vouchers_table_says_not_stated() -> None:
    done = _cli("vouchers", "--kind", "compute", "--format", "csv")
    rows = {r["place"]: r for r in csv.DictReader(io.StringIO(done.stdout))}
    assert rows["京川市 Jingchuan"]["instrument"] == "none stated in the sources"
    assert rows["星海市 Xinghai"]["rate"] == "50% of the actual cost of compute purchased"  # with its rate basis
    assert rows["云港市 Yungang"]["rate"] == "up to 40% of the value of the compute service contract"
    assert rows["云港市 Yungang"]["tiers"] == "startups: up to 60%; SMEs: up to 50%"


# --------------------------------------------------------------------------- subsidy (shape only)


def test_subsidy_sorts_instruments_into_ranked_separate_and_not_computable() -> None:
    payload = _json("subsidy", "--spend", "1000万", "--startup")
    assert payload["spend"] == 10_000_000
    assert payload["applicant"] == {
        "beneficiary": "enterprise",
        "startup": True,
        "sme": False,
        "class": None,
        "conditions": {},
    }
    assert {p["instrument"]["id"] for p in payload["ranked"]} == {"xinghai-compute-voucher", "yungang-training-voucher"}
    assert payload["separate"] == [] and payload["conditional"] == []  # no place has two definite payouts
    # Haiwan's district subsidy states no cap: listed apart, rate × spend only an upper bound, never added
    assert [p["instrument"]["id"] for p in payload["cap_not_stated"]] == ["haiwan-compute-subsidy"]
    assert payload["cap_not_stated"][0]["steps"] == [
        "30% × ¥10,000,000 = ¥3,000,000, cap not stated in the sources: rate × spend is an upper bound"
    ]
    assert [p["instrument"]["id"] for p in payload["not_computable"]] == ["dongan-compute-subsidy"]
    assert [c["steps"] for c in payload["not_computable"][0]["cases"]] == [["rate not stated in the sources"]]
    assert [c["id"] for c in payload["without_instrument"]] == ["jingchuan"]
    xinghai = next(p for p in payload["ranked"] if p["city"]["id"] == "xinghai")
    assert (xinghai["terms"], xinghai["payout"], xinghai["capped"]) == ("terms for startups", 6_000_000, False)


@pytest.mark.parametrize("spend", ["abc", "0", "-5", "50%"])
def test_subsidy_bad_spend_is_a_usage_error(spend: str) -> None:
    done = _cli("subsidy", "--spend", spend)
    assert done.returncode == 2
    assert "--spend" in done.stderr
    _no_traceback(done)


# --------------------------------------------------------------------------- targets, indicators


def test_targets_sorted_by_deadline() -> None:
    targets = _json("targets")["targets"]
    assert [(t["id"], t["deadline"]) for t in targets] == [
        ("yungang-compute-2026", "2026-late"),
        ("xinghai-ai-core-industry-2027", "2027"),
        ("jingchuan-embodied-ai-firms-2027", "2027-late"),
        ("jingchuan-embodied-ai-industry-2027", "2027-late"),
    ]
    core = targets[1]
    assert (core["value"]["value"], core["value"]["bound"], core["stretch"]["value"]) == (
        300_000_000_000,
        "at_least",
        400_000_000_000,
    )


def test_targets_filters() -> None:
    assert [t["id"] for t in _json("targets", "--due-by", "2026")["targets"]] == ["yungang-compute-2026"]
    assert [t["id"] for t in _json("targets", "--city", "京川")["targets"]] == [
        "jingchuan-embodied-ai-firms-2027",
        "jingchuan-embodied-ai-industry-2027",
    ]
    assert [t["id"] for t in _json("targets", "--metric", "compute")["targets"]] == ["yungang-compute-2026"]


def test_targets_table() -> None:
    done = _cli("targets", "--due-by", "2026", "--format", "csv")
    rows = list(csv.reader(io.StringIO(done.stdout)))
    assert rows[0][:5] == ["deadline", "place", "metric", "value (floor)", "stretch (力争)"]
    assert rows[1][:5] == [
        "late 2026",
        "云港市 Yungang",
        "智能算力规模 / intelligent computing capacity",
        "over 50 EFLOPS",
        "—",
    ]
    assert len(rows) == 2


def test_indicators_ai_firms_table() -> None:
    done = _cli("indicators", "--topic", "ai_firms", "--format", "csv")
    rows = [r[:5] for r in csv.reader(io.StringIO(done.stdout))]
    assert rows == [
        ["place", "metric", "value", "as written", "as of"],
        ["京川市 Jingchuan", "人工智能企业数量 / AI firms", "over 2,400", "2400余家", "2024"],
        [
            "星海市 Xinghai › 海湾区 Haiwan District",
            "海湾区人工智能企业占全市比重 / Haiwan's share of the city's AI firms",
            "40%–50%",
            "40%—50%",
            "late 2024",
        ],
        ["星海市 Xinghai", "人工智能企业数量 / AI firms", "over 1,200", "1200余家", "late 2024"],
        [
            "星海市 Xinghai",
            "人工智能企业中初创企业占比 / share of start-ups among AI firms",
            "over 33.3333%",
            "超过1/3",
            "late 2024",
        ],
        ["云港市 Yungang", "人工智能企业数量 / AI firms", "about 800", "约800家", "Mar 2025"],
    ]


def test_indicators_by_topic_and_city() -> None:
    payload = _json("indicators", "--topic", "unicorns")
    assert {i["id"]: i["value"]["value"] for i in payload["indicators"]} == {
        "jingchuan-ai-unicorns": 20,
        "xinghai-ai-unicorns": 5,
    }
    ranking = _json("indicators", "--topic", "ranking", "--city", "jc")["indicators"]
    assert [(i["id"], i["value"]["value"], i["value"]["unit"]) for i in ranking] == [
        ("jingchuan-ai-city-ranking", 3, "rank")
    ]


def test_indicators_bad_topic_is_a_usage_error() -> None:
    done = _cli("indicators", "--topic", "bananas")
    assert done.returncode == 2
    assert "ai_firms" in done.stderr
    _no_traceback(done)


# --------------------------------------------------------------------------- show, compare


def test_show_a_zone() -> None:
    profile = _json("show", "科创岛")
    assert (profile["place"]["id"], profile["place"]["level"]) == ("kedao", "zone")
    assert [a["id"] for a in profile["ancestors"]] == ["haiwan", "xinghai", "lingdong"]
    assert [p["id"] for p in profile["places"]] == ["kedao"]
    assert [i["id"] for i in profile["institutions"]] == ["xinghai-ai-innovation-centre"]
    assert [i["id"] for i in profile["indicators"]] == ["kedao-centre-firms-served"]
    assert profile["instruments"] == [] and profile["targets"] == []


def test_show_a_city_takes_in_its_districts() -> None:
    profile = _json("show", "xinghai")
    assert [p["id"] for p in profile["places"]] == ["xinghai", "haiwan", "kedao"]
    assert [p["id"] for p in profile["policies"]] == ["xinghai-ai-regulation", "xinghai-ai-measures-2025"]  # by date
    assert {i["id"] for i in profile["instruments"]} == {"xinghai-compute-voucher", "haiwan-compute-subsidy"}


def test_compare_aligns_rows_by_kind() -> None:
    payload = _json("compare", "xinghai", "yungang")
    assert [p["id"] for p in payload["places"]] == ["xinghai", "yungang"]
    rows = {
        (r["section"], r["label"]["en"]): [[c["record"] for c in cell] for cell in r["cells"]] for r in payload["rows"]
    }
    assert rows[("instruments", "compute voucher")] == [["xinghai-compute-voucher"], []]
    assert rows[("instruments", "compute subsidy")] == [["haiwan-compute-subsidy"], ["dongan-compute-subsidy"]]
    assert rows[("indicators", "AI firms")] == [
        ["haiwan-share-of-ai-firms", "xinghai-ai-firms", "xinghai-ai-startup-share"],
        ["yungang-ai-firms"],
    ]
    assert rows[("targets", "compute")] == [[], ["yungang-compute-2026"]]
    assert {r["section"] for r in payload["rows"]} == {
        "instruments",
        "indicators",
        "targets",
        "policies",
        "institutions",
    }


def test_compare_needs_two_places() -> None:
    done = _cli("compare", "xinghai")
    assert done.returncode == 2
    assert "two" in done.stderr
    _no_traceback(done)


# --------------------------------------------------------------------------- places by any name


@pytest.mark.parametrize(
    ("written", "place"),
    [
        ("星海", "xinghai"),
        ("星海市", "xinghai"),
        ("Xinghai", "xinghai"),
        ("XINGHAI", "xinghai"),
        ("xing hai", "xinghai"),
        ("Xinghia", "xinghai"),
        ("xh", "xinghai"),
        ("雲港", "yungang"),
        ("云港市", "yungang"),
        ("东岸区", "dongan"),
        ("東岸", "dongan"),
        ("Kedao", "kedao"),
        ("科创岛", "kedao"),
        ("嶺東", "lingdong"),
        ("jc", "jingchuan"),
    ],
)
def test_every_kind_of_name_resolves(written: str, place: str) -> None:
    assert _json("show", written)["place"]["id"] == place


def test_unknown_place_is_a_clear_error() -> None:
    done = _cli("show", "atlantis")
    assert done.returncode == 1
    assert done.stdout == ""
    assert "no place matches 'atlantis'" in done.stderr
    _no_traceback(done)


@pytest.mark.parametrize(
    "args",
    [
        ("vouchers", "--city", "atlantis"),
        ("subsidy", "--spend", "1000万", "--city", "atlantis"),
        ("targets", "--city", "atlantis"),
        ("compare", "xinghai", "atlantis"),
        ("report", "city", "atlantis"),
    ],
    ids=lambda a: a[0],
)
def test_unknown_place_everywhere(args: tuple[str, ...]) -> None:
    done = _cli(*args)
    assert done.returncode == 1
    assert "atlantis" in done.stderr
    _no_traceback(done)


def test_bad_format_is_a_usage_error() -> None:
    done = _cli("vouchers", "--format", "xml")
    assert done.returncode == 2
    assert "xml" in done.stderr
    _no_traceback(done)


# --------------------------------------------------------------------------- search, query


@pytest.mark.parametrize(
    ("text", "record", "field"),
    [
        ("训力券", "yungang-training-voucher", "name"),
        ("訓力券", "yungang-training-voucher", "name"),
        ("《措施》", "xinghai-ai-measures-2025", "short name"),
        ("xing hai", "xinghai", "name"),
        ("Xinghia", "xinghai", "name"),
        ("jc", "jingchuan", "alias"),
    ],
)
def test_search_first_hit(text: str, record: str, field: str) -> None:
    hit = _json("search", text)["hits"][0]
    assert (hit["id"], hit["field"]) == (record, field)


def test_search_miss_suggests_and_exits_1() -> None:
    done = _cli("search", "星湖")
    assert done.returncode == 1
    assert "nothing matches '星湖'; did you mean: 星海, 星海市?" in done.stdout + done.stderr
    _no_traceback(done)
    as_json = _cli("search", "星湖", "--format", "json")
    assert as_json.returncode == 1
    payload = json.loads(as_json.stdout)
    assert payload["hits"] == [] and "星海" in payload["did_you_mean"]


@pytest.mark.parametrize(
    ("question", "ran"),
    [
        ("compare Xinghai and Yungang", "compare xinghai yungang"),
        ("各城市算力券比例", "vouchers --kind compute"),
        ("星海的独角兽企业数量", "indicators --city xinghai --topic unicorns"),
        ("2026年到期的目标", "targets --due-by 2026"),
        ("tell me about Kedao", "show kedao"),
        (
            "what would a startup spending ¥12M a year on compute get back in Xinghai vs Yungang",
            "subsidy --city xinghai --city yungang --spend ¥12M --startup",
        ),
    ],
)
def test_query_says_what_it_ran(question: str, ran: str) -> None:
    done = _cli("query", question, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert [line for line in done.stderr.splitlines() if line.startswith("ran: ")] == [f"ran: citypolicy {ran}"]
    assert json.loads(done.stdout)["query"] == ran.split()[0]


def test_query_answer_is_the_commands_answer() -> None:
    done = _cli("query", "compare Xinghai and Yungang", "--format", "json")
    assert json.loads(done.stdout) == _json("compare", "xinghai", "yungang")


def test_query_without_a_match_lists_the_queries() -> None:
    done = _cli("query", "what is the weather today")
    assert done.returncode == 1
    assert "no query matches" in done.stderr
    for name in ("vouchers", "subsidy", "targets", "compare", "show", "indicators"):
        assert re.search(rf"^\s+{name}\s", done.stderr, re.M), name
    _no_traceback(done)


# --------------------------------------------------------------------------- report, extract, coverage


def test_report_footnotes_every_figure() -> None:
    done = _cli("report", "vouchers")
    assert done.returncode == 0, done.stderr
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in done.stdout.splitlines()]
    assert [
        "Xinghai",
        "compute voucher",
        "rate 50%[^1]; startups 60%[^1]; cap up to ¥10m[^1] a year per recipient; pool up to ¥500m[^2]",
        "enterprises",
        "Xinghai Measures to Promote the AI Industry (2025–2027)[^3]",
    ] in rows
    notes = [line for line in done.stdout.splitlines() if line.startswith("[^")]
    assert notes[:2] == [
        "[^1]: Fixture Daily, “Xinghai: a seaside city's AI ledger”, Jun 2025. «符合条件的企业可按实际购买算力费用的50%"
        "获得“算力券”支持，初创企业可按60%获得支持，每家企业每年最高1000万元。»",
        "[^2]: Fixture Daily, “Xinghai: a seaside city's AI ledger”, Jun 2025. «2025年5月，星海市发布《星海市"
        "促进人工智能产业发展若干措施（2025—2027年）》（以下简称《措施》），设立总额最高5亿元的“算力券”。»",
    ]


def test_coverage_accounts_for_every_mention() -> None:
    reports = {r["document"]: r for r in _json("coverage")}
    assert {name: (r["mentions"], r["captured"], r["ignored"], r["missing"]) for name, r in reports.items()} == {
        "fixture_a_xinghai.txt": (21, 21, 0, 0),
        "fixture_b_yungang.txt": (14, 14, 0, 0),
        "fixture_c_jingchuan.txt": (15, 12, 3, 0),  # with the rank 第三 (captured) and 如今 (ignored)
    }


def test_coverage_below_100_percent_exits_1(kb: Path) -> None:
    (kb / "data" / "ignored.yaml").write_text("ignored: []\n", encoding="utf-8")
    done = _citypolicy("coverage", "--show-missing", kb=kb, cwd=kb)
    assert done.returncode == 1
    assert "47 of 50 mentions accounted for (94.0%)" in done.stdout
    assert "三年" in done.stdout and "50人" in done.stdout


def test_extract_marks_captured_and_ignored_mentions() -> None:
    report = _json("extract", str(KB / "seeds" / "fixture_c_jingchuan.txt"))
    by_text = {m["text"]: m for m in report["items"]}
    assert by_text["约2500亿元"]["status"] == "captured"
    assert by_text["约2500亿元"]["by"] == ["jingchuan-ai-core-industry-scale-2024"]
    assert (by_text["约2500亿元"]["value"]["value"], by_text["约2500亿元"]["value"]["bound"]) == (
        250_000_000_000,
        "approx",
    )
    assert by_text["2025年2月28日"] == {**by_text["2025年2月28日"], "kind": "date", "value": "2025-02-28"}
    assert by_text["50人"]["status"] == "ignored"
    assert by_text["50人"]["by"] == ["an anecdote about one company, not a policy or a place statistic"]


def test_extract_on_an_article_outside_the_knowledge_base(tmp_path: Path) -> None:
    article = tmp_path / "new_article.txt"
    article.write_text("今年3月,某市發佈新政策,設立總額最高3億元的「算力券」,企業可按40%獲得支持。\n", encoding="utf-8")
    done = _citypolicy("extract", str(article), "--format", "json", "--year", "2025", kb=KB, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert [(m["text"], m["status"]) for m in report["items"]] == [
        ("今年3月", "missing"),
        ("最高3億元", "missing"),
        ("40%", "missing"),
    ]
    assert report["items"][0]["value"] == "2025-03"
    assert report["items"][1]["value"]["value"] == 300_000_000


# --------------------------------------------------------------------------- help and formats


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str, tmp_path: Path) -> None:
    done = _citypolicy(command, "--help", kb=None, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Example:" in done.stdout
    assert f"citypolicy {command}" in done.stdout


@pytest.mark.parametrize(
    ("args", "header"),
    [
        (("vouchers", "--kind", "compute"), ["place", "instrument", "rate", "tiers", "cap", "pool"]),
        (("targets",), ["deadline", "place", "metric", "value (floor)", "stretch (力争)"]),
        (("indicators", "--topic", "ai_firms"), ["place", "metric", "value", "as written", "as of", "source"]),
        (("search", "训力券"), ["id", "kind", "place", "matched", "text", "score"]),
    ],
    ids=lambda a: a[0] if isinstance(a, tuple) else None,
)
def test_csv_and_markdown_have_a_header_row(args: tuple[str, ...], header: list[str]) -> None:
    as_csv = _cli(*args, "--format", "csv")
    assert as_csv.returncode == 0, as_csv.stderr
    rows = list(csv.reader(io.StringIO(as_csv.stdout)))
    assert rows[0][: len(header)] == header
    assert len(rows) > 1
    as_md = _cli(*args, "--format", "markdown")
    assert as_md.returncode == 0, as_md.stderr
    lines = as_md.stdout.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("| "))
    assert [c.strip() for c in lines[head].strip("|").split("|")][: len(header)] == header
    assert set(lines[head + 1]) <= {"|", "-"}
    body = [line for line in lines[head + 2 :] if line.startswith("| ")]
    assert len(body) == len(rows) - 1  # the same rows in both formats

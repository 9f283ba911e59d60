"""The analyst commands through the real CLI, pinned to the answers the articles give.

vouchers, subsidy, targets, indicators, show, compare, search and query on the shipped knowledge
base, with `--format json` parsed and checked value by value. Data tests (marked `data`): the code
is tested on the fixture knowledge base in test_cli.py, with the error paths, --help and formats.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess

import pytest
from helpers import citypolicy as _cli
from helpers import json_answer, no_traceback

pytestmark = pytest.mark.data  # the shipped knowledge base: see conftest.py


def _json(*args: str) -> dict:
    return json_answer(*args)  # type: ignore[return-value]


_no_traceback = no_traceback


# --------------------------------------------------------------------------- vouchers


@pytest.fixture(scope="module")
def compute_vouchers() -> dict:
    return _json("vouchers", "--kind", "compute")


def _rows_for(payload: dict, city: str) -> list[dict]:
    return [r for r in payload["rows"] if r["city"]["id"] == city]


def test_vouchers_compute_covers_every_city(compute_vouchers: dict) -> None:
    assert compute_vouchers["query"] == "vouchers" and compute_vouchers["kind"] == "compute"
    cities = [r["city"]["id"] for r in compute_vouchers["rows"]]
    assert set(cities) == {"beijing", "guangzhou", "hangzhou", "shanghai", "shenzhen", "zhuhai"}


def test_vouchers_compute_zhuhai(compute_vouchers: dict) -> None:
    rows = _rows_for(compute_vouchers, "zhuhai")
    assert [r["place"]["id"] for r in rows] == ["zhuhai", "xiangzhou"]  # the city first, then its district
    voucher = rows[0]["instrument"]
    assert rows[0]["status"] == "stated"
    assert (voucher["id"], voucher["kind"]) == ("zhuhai-compute-voucher", "compute_voucher")
    assert (voucher["rate"]["value"], voucher["rate"]["bound"]) == (0.5, "exact")
    assert voucher["cap"]["amount"]["value"] == 10_000_000
    assert (voucher["cap"]["per"], voucher["cap"]["period"]) == ("recipient", "year")
    assert (voucher["pool"]["amount"]["value"], voucher["pool"]["period"]) == (500_000_000, "total")
    assert voucher["beneficiaries"] == ["enterprise"]
    assert rows[0]["policy"]["id"] == "zhuhai-ai-robotics-measures-2025"
    district = rows[1]["instrument"]
    assert (district["id"], district["rate"]["value"], district["cap"]) == ("xiangzhou-compute-subsidy", 0.3, None)


def test_vouchers_compute_shenzhen(compute_vouchers: dict) -> None:
    rows = _rows_for(compute_vouchers, "shenzhen")
    assert len(rows) == 1
    voucher = rows[0]["instrument"]
    assert (voucher["id"], voucher["kind"], voucher["name"]["zh"]) == (
        "shenzhen-training-compute-voucher",
        "training_voucher",
        "训力券",
    )
    assert (voucher["rate"]["value"], voucher["rate"]["bound"]) == (0.5, "at_most")
    assert [(t["group"], t["rate"]["value"]) for t in voucher["tiers"]] == [("startup", 0.6)]
    assert voucher["cap"]["amount"]["value"] == 10_000_000
    assert (voucher["pool"]["amount"]["value"], voucher["pool"]["period"]) == (500_000_000, "year")
    assert rows[0]["policy"]["id"] == "shenzhen-ai-pioneer-measures"


@pytest.mark.parametrize("city", ["beijing", "guangzhou", "hangzhou"])
def test_vouchers_compute_cities_without_one_say_so(compute_vouchers: dict, city: str) -> None:
    rows = _rows_for(compute_vouchers, city)
    assert len(rows) == 1
    assert rows[0]["status"] == "not_stated"
    assert rows[0]["instrument"] is None and rows[0]["policy"] is None


def test_vouchers_compute_shanghai_has_a_subsidy_without_terms(compute_vouchers: dict) -> None:
    rows = _rows_for(compute_vouchers, "shanghai")
    assert len(rows) == 1 and rows[0]["status"] == "stated"
    subsidy = rows[0]["instrument"]
    assert (subsidy["id"], subsidy["kind"]) == ("shanghai-compute-subsidy", "compute_subsidy")
    assert subsidy["rate"] is None and subsidy["cap"] is None and subsidy["pool"] is None


def test_vouchers_training_only_shenzhen() -> None:
    payload = _json("vouchers", "--kind", "training")
    stated = [r["instrument"]["id"] for r in payload["rows"] if r["status"] == "stated"]
    assert stated == ["shenzhen-training-compute-voucher"]


def test_vouchers_city_filter_accepts_chinese_names() -> None:
    payload = _json("vouchers", "--kind", "compute", "--city", "珠海", "--city", "深圳")
    assert [r["city"]["id"] for r in payload["rows"]] == ["zhuhai", "zhuhai", "shenzhen"]


# --------------------------------------------------------------------------- subsidy


@pytest.fixture(scope="module")
def startup_10m() -> dict:
    return _json("subsidy", "--spend", "1000万", "--startup")


def test_subsidy_startup_ranking(startup_10m: dict) -> None:
    assert startup_10m["spend"] == 10_000_000
    assert startup_10m["applicant"] == {
        "beneficiary": "enterprise",
        "startup": True,
        "sme": False,
        "class": None,
        "conditions": {},
    }
    ranked = [(p["rank"], p["city"]["id"], p["instrument"]["id"], p["payout"]) for p in startup_10m["ranked"]]
    assert ranked == [
        (1, "shenzhen", "shenzhen-training-compute-voucher", 6_000_000),
        (2, "zhuhai", "zhuhai-compute-voucher", 5_000_000),
    ]
    shenzhen = startup_10m["ranked"][0]
    # the startup tier raises a ceiling (提高资助比例至60%): up to 60%, a bound, not a promise
    assert (shenzhen["terms"], shenzhen["rate"]["value"], shenzhen["rate"]["bound"]) == (
        "terms for startups",
        0.6,
        "at_most",
    )
    assert (shenzhen["gross"], shenzhen["bound"], shenzhen["capped"]) == (6_000_000, "at_most", False)
    assert shenzhen["steps"] == [
        "terms for startups: up to 60% × ¥10,000,000 = ¥6,000,000, under the ¥10,000,000 cap (its period is not stated "
        "in the sources)",
        "the rate is at most 60%: it pays up to this",
    ]
    zhuhai = startup_10m["ranked"][1]
    assert zhuhai["terms"] is None and zhuhai["rate"]["value"] == 0.5
    assert zhuhai["steps"] == ["50% × ¥10,000,000 = ¥5,000,000, under the ¥10,000,000 cap a year"]


def test_subsidy_xiangzhou_listed_separately_never_added(startup_10m: dict) -> None:
    assert startup_10m["separate"] == [] and startup_10m["conditional"] == []
    apart = startup_10m["cap_not_stated"]
    assert [(p["city"]["id"], p["place"]["id"], p["instrument"]["id"]) for p in apart] == [
        ("zhuhai", "xiangzhou", "xiangzhou-compute-subsidy")
    ]
    assert (apart[0]["payout"], apart[0]["bound"]) == (3_000_000, "at_most")  # 30% × 1000万, an upper bound
    assert apart[0]["steps"] == [
        "30% × ¥10,000,000 = ¥3,000,000, cap not stated in the sources: rate × spend is an upper bound"
    ]
    # Zhuhai's ranked payout is its voucher alone: 5,000,000, not 8,000,000.
    assert next(p for p in startup_10m["ranked"] if p["city"]["id"] == "zhuhai")["payout"] == 5_000_000


def test_subsidy_shanghai_not_computable_and_cities_without_instrument(startup_10m: dict) -> None:
    assert [(p["city"]["id"], p["instrument"]["id"]) for p in startup_10m["not_computable"]] == [
        ("shanghai", "shanghai-compute-subsidy")
    ]
    [shanghai] = startup_10m["not_computable"][0]["cases"]
    assert shanghai["payout"] is None and shanghai["rate"] is None
    assert shanghai["steps"] == ["rate not stated in the sources"]
    assert [c["id"] for c in startup_10m["without_instrument"]] == ["beijing", "guangzhou", "hangzhou"]


def test_subsidy_steps_text_in_the_table() -> None:
    done = _cli("subsidy", "--spend", "1000万", "--startup", "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert "60% × ¥10,000,000 = ¥6,000,000, under the ¥10,000,000 cap" in done.stdout


@pytest.mark.parametrize("spend", ["1200万", "12000000", "12M", "¥12,000,000", "0.12亿", "1200万元"])
def test_subsidy_spend_forms_mean_twelve_million(spend: str) -> None:
    payload = _json("subsidy", "--spend", spend)
    assert payload["spend"] == 12_000_000
    # Without --startup: Shenzhen up to 50%, Zhuhai 50%, both ¥6M under the ¥10M caps.
    assert {p["city"]["id"]: p["payout"] for p in payload["ranked"]} == {"shenzhen": 6_000_000, "zhuhai": 6_000_000}


def test_subsidy_yi_amounts() -> None:
    # 1.2亿 is 120,000,000 yuan (亿 = 10^8), ten times 1200万.
    payload = _json("subsidy", "--spend", "1.2亿")
    assert payload["spend"] == 120_000_000
    by_place = {p["place"]["id"]: p for p in payload["ranked"] + payload["cap_not_stated"]}
    assert by_place["shenzhen"]["payout"] == 10_000_000 and by_place["shenzhen"]["capped"] is True
    assert by_place["zhuhai"]["payout"] == 10_000_000 and by_place["zhuhai"]["capped"] is True
    assert by_place["xiangzhou"]["payout"] == 36_000_000  # 30% with no cap stated
    assert _json("subsidy", "--spend", "12000万")["spend"] == 120_000_000


def test_subsidy_caps_apply() -> None:
    payload = _json("subsidy", "--spend", "3000万")
    ranked = {p["city"]["id"]: p for p in payload["ranked"]}
    for city in ("shenzhen", "zhuhai"):
        assert ranked[city]["gross"] == 15_000_000
        assert ranked[city]["payout"] == 10_000_000
        assert ranked[city]["capped"] is True
    assert "capped at ¥10,000,000 a year" in ranked["zhuhai"]["steps"][0]
    assert "up to 50% × ¥30,000,000 = ¥15,000,000, capped at ¥10,000,000" in ranked["shenzhen"]["steps"][0]
    assert any("at most 50%" in step for step in ranked["shenzhen"]["steps"])


def test_subsidy_for_a_university() -> None:
    payload = _json("subsidy", "--spend", "1000万", "--beneficiary", "university")
    assert payload["applicant"]["beneficiary"] == "university"
    assert [(p["city"]["id"], p["eligible"], p["payout"]) for p in payload["ranked"]] == [("shenzhen", True, 5_000_000)]
    assert payload["ranked"][0]["terms"] is None  # the startup tier is for enterprises: 50%, not 60%
    refused = {p["instrument"]["id"]: p for p in payload["not_computable"]}
    assert set(refused) == {"zhuhai-compute-voucher", "xiangzhou-compute-subsidy", "shanghai-compute-subsidy"}
    assert refused["zhuhai-compute-voucher"]["eligible"] is False
    assert refused["zhuhai-compute-voucher"]["cases"] == []
    assert refused["zhuhai-compute-voucher"]["why"] == ["not open to universities: the sources name enterprises"]


def test_subsidy_city_filter() -> None:
    payload = _json("subsidy", "--spend", "12M", "--startup", "--city", "深圳", "--city", "zhuhai")
    assert [(p["city"]["id"], p["payout"]) for p in payload["ranked"]] == [
        ("shenzhen", 7_200_000),
        ("zhuhai", 6_000_000),
    ]
    assert payload["without_instrument"] == [] and payload["not_computable"] == []


# --------------------------------------------------------------------------- targets, indicators


def test_targets_due_by_2026() -> None:
    targets = _json("targets", "--due-by", "2026")["targets"]
    assert targets, "some targets fall due by 2026"
    for target in targets:
        assert target["deadline"] is not None
        assert int(target["deadline"][:4]) <= 2026
    ids = {t["id"] for t in targets}
    assert {"shenzhen-ai-terminal-industry-2026", "shanghai-intelligent-compute-2025"} <= ids
    assert not any(t["id"].startswith("beijing-embodied-ai") for t in targets)  # due late 2027
    terminal = next(t for t in targets if t["id"] == "shenzhen-ai-terminal-industry-2026")
    assert terminal["place"]["id"] == "shenzhen"
    assert (terminal["value"]["value"], terminal["stretch"]["value"]) == (800_000_000_000, 1_000_000_000_000)


def test_targets_sorted_by_deadline_and_complete_without_filter() -> None:
    everything = _json("targets")["targets"]
    due = [t for t in everything if t["deadline"]]
    assert [t["deadline"][:4] for t in due] == sorted(t["deadline"][:4] for t in due)
    assert {t["id"] for t in _json("targets", "--due-by", "2027")["targets"]} == {t["id"] for t in due}


def test_targets_metric_filter() -> None:
    targets = _json("targets", "--metric", "compute")["targets"]
    assert "shanghai-intelligent-compute-2025" in {t["id"] for t in targets}
    assert all(t["topic"] == "compute" or "comput" in t["metric"]["en"].lower() for t in targets)


def test_indicators_unicorns() -> None:
    payload = _json("indicators", "--topic", "unicorns")
    assert payload["topic"] == "unicorns"
    values = {i["id"]: i["value"]["value"] for i in payload["indicators"]}
    assert values["beijing-ai-unicorns"] == 36
    assert values["shenzhen-ai-unicorns"] == 6
    assert values["shenzhen-robotics-unicorns"] == 9


# --------------------------------------------------------------------------- show, compare


def test_show_shenzhen_structure() -> None:
    profile = _json("show", "shenzhen")
    assert profile["query"] == "show"
    assert set(profile) >= {"place", "ancestors", "places", "policies", "instruments", "targets", "indicators"}
    assert profile["place"]["id"] == "shenzhen" and profile["place"]["name"]["zh"] == "深圳市"
    assert [a["id"] for a in profile["ancestors"]] == ["guangdong"]
    assert {p["id"] for p in profile["places"]} == {"shenzhen", "nanshan", "futian", "guangming"}
    instruments = {i["id"] for i in profile["instruments"]}
    assert {"shenzhen-training-compute-voucher", "nanshan-young-talent-award"} <= instruments
    assert "shenzhen-ai-terminal-industry-2026" in {t["id"] for t in profile["targets"]}
    issued = [p["issued"] for p in profile["policies"] if p["issued"]]
    assert issued[0] == "2022-09"  # policies by date: the 2022 regulation first


def test_show_pazhou_structure() -> None:
    profile = _json("show", "琶洲")
    assert profile["place"]["id"] == "pazhou" and profile["place"]["level"] == "zone"
    assert [a["id"] for a in profile["ancestors"]] == ["haizhu", "guangzhou", "guangdong"]
    assert [p["id"] for p in profile["places"]] == ["pazhou"]
    assert {i["id"] for i in profile["institutions"]} == {"pazhou-algorithm-contest", "pazhou-algorithm-contest-5th"}
    assert profile["instruments"] == [] and profile["targets"] == []


def test_compare_beijing_shanghai() -> None:
    payload = _json("compare", "beijing", "shanghai")
    assert payload["query"] == "compare"
    assert [p["id"] for p in payload["places"]] == ["beijing", "shanghai"]
    rows = {(r["section"], r["label"]["en"]): r for r in payload["rows"]}
    assert all(len(r["cells"]) == 2 for r in payload["rows"])
    firms = rows[("indicators", "AI firms")]["cells"]
    assert "beijing-ai-firms" in [c["record"] for c in firms[0]] and firms[1] == []
    scale = rows[("indicators", "industry scale")]["cells"]
    assert [c["record"] for c in scale[0]] == ["beijing-ai-core-industry-scale-2024"]
    assert [c["record"] for c in scale[1]] == ["shanghai-ai-industry-scale-2024"]
    unicorns = rows[("indicators", "unicorns")]["cells"]
    assert "beijing-ai-unicorns" in [c["record"] for c in unicorns[0]]
    compute = rows[("targets", "compute")]["cells"]
    assert compute[0] == [] and [c["record"] for c in compute[1]] == ["shanghai-intelligent-compute-2025"]
    subsidy = rows[("instruments", "compute subsidy")]["cells"]
    assert subsidy == [[], [{"text": subsidy[1][0]["text"], "record": "shanghai-compute-subsidy"}]]
    assert {r["section"] for r in payload["rows"]} == {
        "instruments",
        "indicators",
        "targets",
        "policies",
        "institutions",
    }


# --------------------------------------------------------------------------- places by any name


@pytest.mark.parametrize(
    ("written", "place"),
    [
        ("深圳", "shenzhen"),
        ("深圳市", "shenzhen"),
        ("Shenzen", "shenzhen"),
        ("shen zhen", "shenzhen"),
        ("sz", "shenzhen"),
        ("Shenzhen", "shenzhen"),
        ("SHENZHEN", "shenzhen"),
        ("琶洲", "pazhou"),
        ("Pazhou", "pazhou"),
        ("廣州", "guangzhou"),
        ("广州市", "guangzhou"),
        ("海珠区", "haizhu"),
        ("香洲", "xiangzhou"),
        ("北京", "beijing"),
        ("申城", "shanghai"),
        ("hang zhou", "hangzhou"),
        ("廣東", "guangdong"),
    ],
)
def test_every_alias_resolves(written: str, place: str) -> None:
    assert _json("show", written)["place"]["id"] == place


def test_ambiguous_place_lists_candidates() -> None:
    done = _cli("show", "guang")
    assert done.returncode == 1
    assert "guangzhou" in done.stderr and "guangdong" in done.stderr
    _no_traceback(done)


# --------------------------------------------------------------------------- search


def test_search_short_name() -> None:
    payload = _json("search", "AI十八条")
    assert payload["hits"][0]["id"] == "shenzhen-ai-pioneer-measures"
    assert payload["hits"][0]["field"] == "short name"


def test_search_finds_the_training_voucher_by_a_near_name() -> None:
    payload = _json("search", "训练券")
    assert payload["hits"][0]["id"] == "shenzhen-training-compute-voucher"
    assert payload["hits"][0]["text"] == "训力券"


@pytest.mark.parametrize("text", ["Shenzen", "深圳", "sz"])
def test_search_places(text: str) -> None:
    assert _json("search", text)["hits"][0]["id"] == "shenzhen"


def test_search_traditional_script() -> None:
    ids = [h["id"] for h in _json("search", "訓力券")["hits"]]
    assert ids[0] == "shenzhen-training-compute-voucher"


def test_search_miss_suggests_and_exits_1() -> None:
    done = _cli("search", "北鲸")
    assert done.returncode == 1
    assert "did you mean" in done.stdout + done.stderr
    assert "北京" in done.stdout + done.stderr
    _no_traceback(done)
    json_done = _cli("search", "北鲸", "--format", "json")
    assert json_done.returncode == 1
    payload = json.loads(json_done.stdout)
    assert payload["hits"] == [] and "北京" in payload["did_you_mean"]


# --------------------------------------------------------------------------- query


def _ran(done: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in done.stderr.splitlines() if line.startswith("ran: ")]
    assert len(lines) == 1, done.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("question", "command", "fragments"),
    [
        ("compute voucher rates by city", "vouchers", ["--kind compute"]),
        ("各城市算力券比例", "vouchers", ["--kind compute"]),
        (
            "what would a startup spending ¥12M a year on compute get back in Shenzhen vs Zhuhai",
            "subsidy",
            ["--startup", "--spend ¥12M", "--city shenzhen", "--city zhuhai"],
        ),
        ("which targets fall due by 2026", "targets", ["--due-by 2026"]),
        ("compare Beijing and Shanghai", "compare", ["compare beijing shanghai"]),
        ("北京和上海对比", "compare", ["compare beijing shanghai"]),
        ("how many AI firms in each city", "indicators", ["--topic ai_firms"]),
        ("tell me about Shenzhen", "show", ["show shenzhen"]),
        ("深圳的独角兽企业数量", "indicators", ["--topic unicorns", "--city shenzhen"]),
        ("1200万算力补贴能拿多少", "subsidy", ["--spend 1200万"]),
        ("2026年到期的目标", "targets", ["--due-by 2026"]),
        ("training voucher in Shenzhen", "vouchers", ["--kind training", "--city shenzhen"]),
        ("how many unicorns in Beijing", "indicators", ["--topic unicorns", "--city beijing"]),
        ("上海的产业规模", "indicators", ["--topic industry_scale", "--city shanghai"]),
    ],
)
def test_query_maps_questions_to_commands(question: str, command: str, fragments: list[str]) -> None:
    done = _cli("query", question, "--format", "json")
    assert done.returncode == 0, done.stderr
    ran = _ran(done)
    assert ran.startswith(f"ran: citypolicy {command}")
    for fragment in fragments:
        assert fragment in ran, ran
    assert json.loads(done.stdout)["query"] == command


def test_query_subsidy_answer_matches_the_subsidy_command() -> None:
    question = "what would a startup spending ¥12M a year on compute get back in Shenzhen vs Zhuhai"
    done = _cli("query", question, "--format", "json")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert (payload["spend"], payload["applicant"]["startup"]) == (12_000_000, True)
    assert [(p["city"]["id"], p["payout"]) for p in payload["ranked"]] == [
        ("shenzhen", 7_200_000),
        ("zhuhai", 6_000_000),
    ]
    direct = _json("subsidy", "--spend", "12M", "--startup", "--city", "shenzhen", "--city", "zhuhai")
    assert payload == direct


def test_query_compare_answer() -> None:
    done = _cli("query", "北京和上海对比", "--format", "json")
    assert [p["id"] for p in json.loads(done.stdout)["places"]] == ["beijing", "shanghai"]


# --------------------------------------------------------------------------- help and formats


def test_csv_vouchers_rows_say_not_stated() -> None:
    done = _cli("vouchers", "--kind", "compute", "--format", "csv")
    rows = {r["place"]: r for r in csv.DictReader(io.StringIO(done.stdout))}
    assert rows["杭州市 Hangzhou"]["instrument"] == "none stated in the sources"
    assert rows["珠海市 Zhuhai"]["rate"] == "50% of the actual cost of compute purchased"

"""What the knowledge base knows, article by article, through the public CLI.

Every expected value below was read off the article in seeds/ (the snippet each fact carries is
copied verbatim from the article, so a test also proves the figure is really there). The records
are read through `citypolicy export --format json` (once per module) and the analyst commands.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import PROJECT
from helpers import citypolicy as _cli

SEEDS = PROJECT / "seeds"
ZHUHAI_DOC = "000_fbc55fd9cbfa71d9.txt"
OUTLOOK_DOC = "001_7673d027fa37600e.txt"
PAZHOU_DOC = "002_e71591340c5b937c.txt"
NEWSWEEK_DOC = "003_75256af910aee7c0.txt"
CITYNEWS_DOC = "004_407594d02d198a52.txt"
pytestmark = pytest.mark.data  # the shipped knowledge base: see conftest.py

RECORD_SECTIONS = ("jurisdictions", "policies", "instruments", "targets", "indicators", "institutions")


def _json(*args: str, kb: Path | None = PROJECT, cwd: Path = PROJECT) -> object:
    done = _cli(*args, kb=kb, cwd=cwd)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return json.loads(done.stdout)


def _seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def export() -> dict:
    document = _json("export", "--format", "json")
    assert isinstance(document, dict)
    return document


@pytest.fixture(scope="module")
def facts(export: dict) -> dict[str, dict]:
    return {fact["id"]: fact for fact in export["facts"]}


def _record(export: dict, section: str, record_id: str) -> dict:
    found = [r for r in export[section] if r["id"] == record_id]
    assert len(found) == 1, f"{section} {record_id}: {len(found)} records"
    return found[0]


# --------------------------------------------------------------------------- facts, article by article

# (fact id, value, high, unit, bound, text as the record writes it, article, snippet copied from the article)
FACTS = [
    # 000 — Zhuhai (Traditional script): the 算力券 and Xiangzhou's measures, the city's budget.
    ("zhuhai-compute-voucher:rate", 0.5, None, "ratio", "exact", "50%", ZHUHAI_DOC, "按實際購買算力費用的50%獲得"),
    (
        "zhuhai-compute-voucher:cap.amount",
        10_000_000,
        None,
        "cny",
        "at_most",
        "最高1000万元",
        ZHUHAI_DOC,
        "每年度最高可使用1000萬元",
    ),
    (
        "zhuhai-compute-voucher:pool.amount",
        500_000_000,
        None,
        "cny",
        "at_most",
        "最高5亿元",
        ZHUHAI_DOC,
        "總額最高5億元的“算力券”",
    ),
    ("xiangzhou-compute-subsidy:rate", 0.3, None, "ratio", "exact", "30%", ZHUHAI_DOC, "可給予30%算力補貼"),
    (
        "xiangzhou-loan-risk-compensation:rate",
        0.8,
        None,
        "ratio",
        "at_most",
        "最高80%",
        ZHUHAI_DOC,
        "最高80%貸款風險補償",
    ),
    (
        "zhuhai-budget-revenue-2024:value",
        47_516_000_000,
        None,
        "cny",
        "exact",
        "475.16亿元",
        ZHUHAI_DOC,
        "一般公共預算收入475.16億元",
    ),
    (
        "hangzhou-budget-revenue-2024:value",
        264_000_000_000,
        None,
        "cny",
        "approx",
        "约2640亿元",
        ZHUHAI_DOC,
        "杭州財政收入約2640億元",
    ),
    ("zhuhai-rd-intensity:value", 0.0406, None, "ratio", "exact", "4.06%", ZHUHAI_DOC, "佔GDP比重4.06%"),
    # 001 — Oriental Outlook (Traditional): Beijing, Shanghai, Shenzhen figures.
    ("beijing-ai-firms:value", 2400, None, "count", "approx", "约2400家", OUTLOOK_DOC, "人工智能相關企業約2400"),
    ("beijing-ai-unicorns:value", 36, None, "count", "exact", "36家", OUTLOOK_DOC, "其中獨角獸企業36"),
    (
        "beijing-ai-core-industry-scale-2024:value",
        300_000_000_000,
        None,
        "cny",
        "at_least",
        "突破3000亿元",
        OUTLOOK_DOC,
        "核心產業規模突破3000億元",
    ),
    (
        "shanghai-ai-industry-scale-2024:value",
        450_000_000_000,
        None,
        "cny",
        "at_least",
        "突破4500亿元",
        OUTLOOK_DOC,
        "人工智能產業規模突破4500億元",
    ),
    (
        "shanghai-genai-model-filings:value",
        60,
        None,
        "count",
        "exact",
        "60款",
        OUTLOOK_DOC,
        "累計完成60款生成式AI大模型備案",
    ),
    ("shenzhen-ai-unicorns:value", 6, None, "count", "exact", "6家", OUTLOOK_DOC, "獨角獸企業6家"),
    (
        "shenzhen-ai-robotics-fund:pool.amount",
        10_000_000_000,
        None,
        "cny",
        "exact",
        "100亿元",
        OUTLOOK_DOC,
        "深圳提出設立100億元人工智能和機器人產業基金",
    ),
    ("guangzhou-hurun-top50-2024:value", 4, None, "count", "exact", "4家", OUTLOOK_DOC, "深圳8家,廣州4家"),
    # 002 — Information Times (Simplified): Haizhu district and the Pazhou zone.
    ("haizhu-llm-filings:value", 40, None, "count", "exact", "40个", PAZHOU_DOC, "累计培育大模型备案项目40个"),
    ("haizhu-algorithm-filings:value", 320, None, "count", "exact", "320个", PAZHOU_DOC, "算法备案项目320个"),
    (
        "haizhu-above-scale-llm-revenue-2025:value",
        30_750_000_000,
        None,
        "cny",
        "exact",
        "307.5亿元",
        PAZHOU_DOC,
        "于2025年实现营收307.5亿元",
    ),
    (
        "pazhou-algorithm-contest-teams:value",
        10_000,
        None,
        "count",
        "at_least",
        "超10000支",
        PAZHOU_DOC,
        "超10000支队伍",
    ),
    (
        "pazhou-algorithm-contest-countries:value",
        40,
        None,
        "count",
        "at_least",
        "40余个",
        PAZHOU_DOC,
        "全球40余个国家和地区",
    ),
    (
        "pazhou-algorithm-contest-patents:value",
        300,
        None,
        "count",
        "at_least",
        "300余件",
        PAZHOU_DOC,
        "专利转化300余件",
    ),
    (
        "pazhou-algorithm-contest-ip-financing:value",
        1_800_000_000,
        None,
        "cny",
        "exact",
        "18亿元",
        PAZHOU_DOC,
        "专利商标质押融资18亿元",
    ),
    (
        "haizhu-industry-rewards-paid:value",
        80_000_000,
        None,
        "cny",
        "approx",
        "近8000万元",
        PAZHOU_DOC,
        "产业奖励资金近8000万元",
    ),
    (
        "haizhu-ai-application-revenue-2026:stretch",
        50_000_000_000,
        None,
        "cny",
        "at_least",
        "超500亿元",
        PAZHOU_DOC,
        "人工智能应用企业营收超500亿元",
    ),
    # 003 — China Newsweek (Traditional): Shenzhen's 训力券 and its terminal-industry target.
    (
        "shenzhen-training-compute-voucher:rate",
        0.5,
        None,
        "ratio",
        "at_most",
        "不超过50%",
        NEWSWEEK_DOC,
        "按不超過服務合約金額的50%",
    ),
    (  # raises the ceiling (不超過…50%, 提高資助比例至60%): at most 60% (issue 9)
        "shenzhen-training-compute-voucher:tiers[0].rate",
        0.6,
        None,
        "ratio",
        "at_most",
        "60%",
        NEWSWEEK_DOC,
        "對初創企業提高資助比例至60%",
    ),
    (
        "shenzhen-training-compute-voucher:cap.amount",
        10_000_000,
        None,
        "cny",
        "at_most",
        "最高1000万元",
        NEWSWEEK_DOC,
        "給予最高1000萬元資助",
    ),
    (
        "shenzhen-training-compute-voucher:pool.amount",
        500_000_000,
        None,
        "cny",
        "at_most",
        "最高5亿元",
        NEWSWEEK_DOC,
        "每年發放最高5億元“訓力券”",
    ),
    (
        "shenzhen-ai-terminal-industry-2026:value",
        800_000_000_000,
        None,
        "cny",
        "at_least",
        "8,000亿元以上",
        NEWSWEEK_DOC,
        "終端產業規模達8,000億元以上",
    ),
    (
        "shenzhen-ai-terminal-industry-2026:stretch",
        1_000_000_000_000,
        None,
        "cny",
        "exact",
        "力争1兆元",
        NEWSWEEK_DOC,
        "力爭1兆元",
    ),
    ("shenzhen-ai-firms:value", 2600, None, "count", "at_least", "2600余家", NEWSWEEK_DOC, "人工智慧企業2600余家"),
    (
        "nanshan-young-talent-award:cap.amount",
        600_000,
        None,
        "cny",
        "at_most",
        "最高60万元",
        NEWSWEEK_DOC,
        "每人最高60萬元獎勵支援",
    ),
    # the first terms (7 days) and the change to 15 days of late February 2025 (issue 11: `changes`)
    ("shenzhen-graduate-free-lodging:benefit", 7, None, "days", "exact", "7天", NEWSWEEK_DOC, "從7天延長到15天"),
    (
        "shenzhen-graduate-free-lodging:changes[0].benefit",
        15,
        None,
        "days",
        "exact",
        "15天",
        NEWSWEEK_DOC,
        "今年2月底,深圳市政府新聞辦曾召開",
    ),
    (
        "nanshan-share-of-shenzhen-ai-firms:value",
        0.5,
        0.6,
        "ratio",
        "range",
        "50%—60%",
        NEWSWEEK_DOC,
        "深圳市50%—60%的人工智慧企業集聚在南山區",
    ),
    # 004 — China City News (Simplified): Shanghai's compute target and the "AI十八条".
    (
        "shanghai-intelligent-compute-2025:value",
        100,
        None,
        "eflops",
        "at_least",
        "突破100EFLOPS",
        CITYNEWS_DOC,
        "到2025年底智能算力规模突破100EFLOPS",
    ),
    ("shanghai-llm-incubators:value", 3, 5, "count", "range", "3—5个", CITYNEWS_DOC, "建设3—5个大模型创新加速孵化器"),
    ("shanghai-corpus-demo-results:value", 50, None, "count", "exact", "50个", CITYNEWS_DOC, "形成50个具有显著成效"),
    (
        "shenzhen-basic-research-funding:pool.amount",
        300_000_000,
        None,
        "cny",
        "at_most",
        "最高3亿元",
        CITYNEWS_DOC,
        "每年投入最高3亿元支持人工智能的基础研究",
    ),
    (
        "shenzhen-basic-research-funding:cap.amount",
        30_000_000,
        None,
        "cny",
        "at_most",
        "最高3000万元",
        CITYNEWS_DOC,
        "单个项目可获得最高3000万元的资助",
    ),
    (
        "shenzhen-ai-empowerment-funding:pool.amount",
        100_000_000,
        None,
        "cny",
        "at_most",
        "最高1亿元",
        CITYNEWS_DOC,
        "每年投入最高1亿元",
    ),
    (
        "shenzhen-open-government-scenarios:pool.amount",
        50_000_000,
        None,
        "cny",
        "at_most",
        "最高5000万元",
        CITYNEWS_DOC,
        "每年投入最高5000万元",
    ),
]


def test_every_article_is_the_source_of_facts(export: dict) -> None:
    """Each seed is cited by at least three facts of the knowledge base (not of this test's table)."""
    per_article: dict[str, int] = {}
    for fact in export["facts"]:
        per_article[fact["source"]["document"]] = per_article.get(fact["source"]["document"], 0) + 1
    assert sorted(per_article) == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert min(per_article.values()) >= 3


@pytest.mark.parametrize(
    ("fact_id", "value", "high", "unit", "bound", "text", "document", "snippet"),
    FACTS,
    ids=[row[0] for row in FACTS],
)
def test_fact_as_the_article_states_it(
    facts: dict[str, dict],
    fact_id: str,
    value: float,
    high: float | None,
    unit: str,
    bound: str,
    text: str,
    document: str,
    snippet: str,
) -> None:
    assert snippet in _seed(document), "the expected figure must really be in the article"
    fact = facts[fact_id]
    assert fact["value"] == pytest.approx(value, rel=1e-12)
    assert fact["high"] == (pytest.approx(high) if high is not None else None)
    assert (fact["unit"], fact["bound"], fact["text"]) == (unit, bound, text)
    assert fact["source"]["document"] == document
    assert snippet in fact["source"]["quote"]


# --------------------------------------------------------------------------- records around the facts


def test_zhuhai_compute_voucher_record(export: dict) -> None:
    voucher = _record(export, "instruments", "zhuhai-compute-voucher")
    assert (voucher["jurisdiction"], voucher["kind"], voucher["name"]["zh"]) == ("zhuhai", "compute_voucher", "算力券")
    assert voucher["cap"]["per"] == "recipient"
    assert voucher["cap"]["period"] == "year"  # 每年度最高可使用1000萬元
    assert voucher["pool"]["period"] == "total"  # 總額最高5億元
    assert voucher["beneficiaries"] == ["enterprise"]  # 符合條件的企業
    policy = _record(export, "policies", voucher["policy"])
    assert policy["issued"] == "2025-05"  # 今年5月發佈, the article is from 2025
    assert policy["title"]["zh"] == "珠海市推动人工智能与机器人产业高质量发展若干措施"


def test_shenzhen_training_voucher_record(export: dict) -> None:
    voucher = _record(export, "instruments", "shenzhen-training-compute-voucher")
    assert (voucher["jurisdiction"], voucher["kind"], voucher["name"]["zh"]) == (
        "shenzhen",
        "training_voucher",
        "训力券",
    )
    assert voucher["rate"]["value"] == 0.5 and voucher["rate"]["bound"] == "at_most"
    assert [(t["group"], t["rate"]["value"]) for t in voucher["tiers"]] == [("startup", 0.6)]
    assert voucher["pool"]["period"] == "year"  # 每年發放最高5億元
    assert voucher["cap"]["amount"]["value"] == 10_000_000
    # 企業、高等院校和科研機構
    assert set(voucher["beneficiaries"]) == {"enterprise", "university", "research_institute"}
    assert voucher["policy"] == "shenzhen-ai-pioneer-measures"
    # Both articles that state the terms are cited: 003 (Traditional) and 004 (Simplified).
    assert {c["document"] for c in voucher["sources"]} == {NEWSWEEK_DOC, CITYNEWS_DOC}
    assert "深圳市将按不超过服务合同金额的50%给予最高1000万元的资助" in _seed(CITYNEWS_DOC)


def test_shenzhen_ai_terminal_target(export: dict) -> None:
    target = _record(export, "targets", "shenzhen-ai-terminal-industry-2026")
    assert target["jurisdiction"] == "shenzhen"
    assert target["deadline"] == "2026"  # 提出到2026年
    assert (target["value"]["value"], target["value"]["bound"]) == (800_000_000_000, "at_least")
    assert target["stretch"]["value"] == 1_000_000_000_000
    assert target["policy"] == "shenzhen-ai-terminals-plan-2025"


def test_shanghai_compute_target(export: dict) -> None:
    target = _record(export, "targets", "shanghai-intelligent-compute-2025")
    assert (target["jurisdiction"], target["topic"], target["deadline"]) == ("shanghai", "compute", "2025-late")
    assert (target["value"]["value"], target["value"]["unit"], target["value"]["bound"]) == (100, "eflops", "at_least")
    assert target["policy"] == "shanghai-moshu-shencheng-plan"


def test_pazhou_sits_under_haizhu_under_guangzhou(export: dict) -> None:
    places = {j["id"]: j for j in export["jurisdictions"]}
    assert (places["pazhou"]["level"], places["pazhou"]["parent"]) == ("zone", "haizhu")
    assert (places["haizhu"]["level"], places["haizhu"]["parent"]) == ("district", "guangzhou")
    assert places["guangzhou"]["parent"] == "guangdong"
    contest = _record(export, "institutions", "pazhou-algorithm-contest-5th")
    assert contest["established"] == "2026-02-26"  # 2月26日, article of March 2026
    assert "2月26日,在海珠区高质量发展大会上,第五届琶洲算法大赛正式启动" in _seed(PAZHOU_DOC)


def test_policy_dates_from_the_articles(export: dict) -> None:
    assert _record(export, "policies", "shenzhen-ai-pioneer-plan-2025")["issued"] == "2025-03-03"
    assert "2025年3月3日,《深圳市加快打造人工智能先鋒城市行動計劃(2025-2026年)》發布" in _seed(OUTLOOK_DOC)
    embodied = _record(export, "policies", "beijing-embodied-ai-plan-2025")
    assert embodied["issued"] == "2025-02-28"
    assert (embodied["period"]["start"], embodied["period"]["end"]) == (2025, 2027)
    assert _record(export, "policies", "shenzhen-ai-industry-regulation")["issued"] == "2022-09"
    assert "2022年9月,《深圳經濟特區人工智能產業促進條例》發布" in _seed(OUTLOOK_DOC)


# ------------------------------------------------------------ the same facts through the analyst commands


def test_beijing_firms_and_unicorns_through_indicators() -> None:
    firms = _json("indicators", "--topic", "ai_firms", "--city", "北京", "--format", "json")
    by_id = {i["id"]: i for i in firms["indicators"]}
    assert by_id["beijing-ai-firms"]["value"]["value"] == 2400
    assert by_id["beijing-ai-firms"]["value"]["bound"] == "approx"
    assert by_id["beijing-ai-firms"]["as_of"] == "2025-03"
    unicorns = _json("indicators", "--topic", "unicorns", "--city", "beijing", "--format", "json")
    values = {i["id"]: i["value"]["value"] for i in unicorns["indicators"]}
    assert values["beijing-ai-unicorns"] == 36
    assert all(i["place"]["id"] == "beijing" for i in unicorns["indicators"])


def test_haizhu_filings_through_show() -> None:
    profile = _json("show", "海珠", "--format", "json")
    assert profile["place"]["id"] == "haizhu"
    filings = {i["id"]: i for i in profile["indicators"]}
    assert filings["haizhu-llm-filings"]["value"]["value"] == 40
    assert filings["haizhu-llm-filings"]["as_of"] == "2026-03"
    assert filings["haizhu-algorithm-filings"]["value"]["value"] == 320


def test_pazhou_contest_figures_through_show() -> None:
    profile = _json("show", "琶洲", "--format", "json")
    assert profile["place"]["id"] == "pazhou"
    values = {i["id"]: (i["value"]["value"], i["value"]["bound"]) for i in profile["indicators"]}
    assert values["pazhou-algorithm-contest-editions"] == (4, "exact")  # 此前四届
    assert values["pazhou-algorithm-contest-teams"] == (10_000, "at_least")
    assert values["pazhou-algorithm-contest-countries"] == (40, "at_least")
    assert values["pazhou-algorithm-contest-patents"] == (300, "at_least")
    assert values["pazhou-algorithm-contest-ip-financing"] == (1_800_000_000, "exact")
    assert "此前四届琶洲算法大赛累计吸引来自全球40余个国家和地区的超10000支队伍参赛" in _seed(PAZHOU_DOC)


def test_hangzhou_has_no_compute_voucher() -> None:
    rows = _json("vouchers", "--kind", "compute", "--format", "json")["rows"]
    hangzhou = [r for r in rows if r["city"]["id"] == "hangzhou"]
    assert len(hangzhou) == 1
    assert hangzhou[0]["status"] == "not_stated"
    assert hangzhou[0]["instrument"] is None
    # …and indeed no sentence of any article ties Hangzhou to a compute voucher or subsidy.
    for seed in SEEDS.glob("*.txt"):
        for sentence in re.split(r"[。！？!?\n]", seed.read_text(encoding="utf-8")):
            if "杭州" in sentence:
                assert not re.search("算力券|算力补贴|算力補貼|训力券|訓力券", sentence), sentence


def test_shenzhen_terminal_target_through_targets() -> None:
    found = _json("targets", "--city", "深圳", "--due-by", "2026", "--format", "json")["targets"]
    target = next(t for t in found if t["id"] == "shenzhen-ai-terminal-industry-2026")
    assert target["value"]["value"] == 800_000_000_000
    assert target["stretch"]["value"] == 1_000_000_000_000
    assert target["deadline"] == "2026"


# --------------------------------------------------------------------------- check, sources, coverage


def test_check_passes_and_its_counts_match_the_export(export: dict) -> None:
    done = _cli("check")
    assert done.returncode == 0, done.stderr
    line = done.stdout.strip()
    match = re.fullmatch(
        r"ok: (\d+) jurisdictions, (\d+) policies, (\d+) instruments, (\d+) targets, (\d+) indicators, "
        r"(\d+) institutions; (\d+) quotes verified in (\d+) sources",
        line,
    )
    assert match, line
    counts = [int(n) for n in match.groups()]
    assert counts[:6] == [len(export[section]) for section in RECORD_SECTIONS]
    assert counts[7] == len(export["sources"]) == len(list(SEEDS.glob("*.txt")))
    # every record's quotes, its changes' own quotes and every ignore entry's passage are verified
    citations = sum(len(item["sources"]) for section in RECORD_SECTIONS for item in export[section])
    citations += sum(len(change["sources"]) for item in export["instruments"] for change in item["changes"])
    ignored = len(re.findall(r"^  - document:", (PROJECT / "data" / "ignored.yaml").read_text("utf-8"), re.M))
    assert counts[6] == citations + ignored


def test_check_json_summary_agrees(export: dict) -> None:
    report = _json("check", "--format", "json")
    assert report["ok"] is True and report["problems"] == []
    assert [report["summary"][s] for s in RECORD_SECTIONS] == [len(export[s]) for s in RECORD_SECTIONS]


@pytest.mark.parametrize("section", RECORD_SECTIONS)
def test_every_record_cites_a_seed(export: dict, section: str) -> None:
    seeds = {p.name for p in SEEDS.glob("*.txt")}
    assert export[section], f"no {section}"
    for item in export[section]:
        assert item["sources"], f"{section} {item['id']} has no source"
        for citation in item["sources"]:
            assert citation["document"] in seeds
            assert citation["quote"].strip()


def test_coverage_accounts_for_every_mention_in_every_seed() -> None:
    reports = _json("coverage", "--format", "json")
    assert sorted(r["document"] for r in reports) == sorted(p.name for p in SEEDS.glob("*.txt"))
    for report in reports:
        assert report["missing"] == 0, report["document"]
        assert report["captured"] + report["ignored"] == report["mentions"] > 0
        assert report["accounted"] == 1.0
        assert all(item["status"] in {"captured", "ignored"} for item in report["items"])


# --------------------------------------------------------------------------- extract


@pytest.fixture(scope="module")
def extracted() -> dict[str, dict]:
    return {p.name: _json("extract", str(p), "--format", "json") for p in sorted(SEEDS.glob("*.txt"))}


def _mentions(report: dict, text: str) -> list[dict]:
    return [m for m in report["items"] if m["text"] == text]


# (article, mention as written in the article, value, high, unit, bound, record that captures it)
EXTRACTED = [
    (ZHUHAI_DOC, "最高5億元", 500_000_000, None, "cny", "at_most", "zhuhai-compute-voucher"),
    # 每年度最高可使用1000萬元: 最高 governs the number across the words between (issue 9)
    (ZHUHAI_DOC, "1000萬元", 10_000_000, None, "cny", "at_most", "zhuhai-compute-voucher"),
    (ZHUHAI_DOC, "約2640億元", 264_000_000_000, None, "cny", "approx", "hangzhou-budget-revenue-2024"),
    (ZHUHAI_DOC, "1-2成", 0.1, 0.2, "ratio", "range", "zhuhai-compute-subsidy-premium"),
    # the dated passage (目前,…) the records cite; the article's opening copy (約2400 家) is ignored
    (OUTLOOK_DOC, "約2400家", 2400, None, "count", "approx", "beijing-ai-firms"),
    (OUTLOOK_DOC, "36家", 36, None, "count", "exact", "beijing-ai-unicorns"),
    (OUTLOOK_DOC, "突破3000億元", 300_000_000_000, None, "cny", "at_least", "beijing-ai-core-industry-scale-2024"),
    (PAZHOU_DOC, "307.5亿元", 30_750_000_000, None, "cny", "exact", "haizhu-above-scale-llm-revenue-2025"),
    (PAZHOU_DOC, "近8000万元", 80_000_000, None, "cny", "approx", "haizhu-industry-rewards-paid"),
    (PAZHOU_DOC, "超10000支", 10_000, None, "count", "at_least", "pazhou-algorithm-contest-teams"),
    (NEWSWEEK_DOC, "達8,000億元以上", 800_000_000_000, None, "cny", "at_least", "shenzhen-ai-terminal-industry-2026"),
    (NEWSWEEK_DOC, "力爭1兆元", 1_000_000_000_000, None, "cny", "exact", "shenzhen-ai-terminal-industry-2026"),
    (NEWSWEEK_DOC, "超過1/3", 1 / 3, None, "ratio", "at_least", "shenzhen-15th-fyp-committee-academician-share"),
    (NEWSWEEK_DOC, "50%—60%", 0.5, 0.6, "ratio", "range", "nanshan-share-of-shenzhen-ai-firms"),
    (CITYNEWS_DOC, "突破100EFLOPS", 100, None, "eflops", "at_least", "shanghai-intelligent-compute-2025"),
    (CITYNEWS_DOC, "3—5个", 3, 5, "count", "range", "shanghai-llm-incubators"),
    (CITYNEWS_DOC, "最高3000万元", 30_000_000, None, "cny", "at_most", "shenzhen-basic-research-funding"),
]


@pytest.mark.parametrize(
    ("document", "written", "value", "high", "unit", "bound", "record"),
    EXTRACTED,
    ids=[f"{row[0][:3]}-{row[1]}" for row in EXTRACTED],
)
def test_extract_normalises_amounts_in_each_seed(
    extracted: dict[str, dict],
    document: str,
    written: str,
    value: float,
    high: float | None,
    unit: str,
    bound: str,
    record: str,
) -> None:
    assert written in _seed(document)
    found = _mentions(extracted[document], written)
    assert found, f"«{written}» not found in {document}"
    for mention in found:  # every occurrence reads the same
        assert mention["kind"] == "quantity"
        assert mention["value"]["value"] == pytest.approx(value)
        assert mention["value"]["high"] == (pytest.approx(high) if high is not None else None)
        assert (mention["value"]["unit"], mention["value"]["bound"]) == (unit, bound)
    captured = [m for m in found if m["status"] == "captured" and record in m["by"]]
    assert captured, [(m["status"], m["by"]) for m in found]
    assert written in captured[0]["sentence"]


def test_extract_resolves_relative_dates_against_the_source_year(extracted: dict[str, dict]) -> None:
    # Article 000 is from 2025 (data/sources.yaml): 今年5月 is May 2025.
    may = _mentions(extracted[ZHUHAI_DOC], "今年5月")
    assert may and may[0]["kind"] == "date" and may[0]["value"] == "2025-05"
    # Article 003 is from 2025: 去年7月底 is late July 2024.
    july = _mentions(extracted[NEWSWEEK_DOC], "去年7月底")
    assert july and july[0]["value"] == "2024-07-late"


def test_extract_summary_counts_are_consistent(extracted: dict[str, dict]) -> None:
    for name, report in extracted.items():
        assert report["document"] == name
        assert report["mentions"] == len(report["items"])
        assert report["missing"] == 0
        assert report["captured"] == sum(1 for m in report["items"] if m["status"] == "captured")


TRADITIONAL_ARTICLE = (
    "今年3月,某市發佈新政策,設立總額最高3億元的「算力券」,企業可按實際費用的40%獲得支持,"
    "每年最高500萬元。截至去年年底,全市已集聚人工智慧企業1200余家,其中獨角獸企業5家。\n"
)


def test_extract_on_a_traditional_article_outside_the_knowledge_base(tmp_path: Path) -> None:
    article = tmp_path / "new_article.txt"
    article.write_text(TRADITIONAL_ARTICLE, encoding="utf-8")
    report = _json("extract", str(article), "--format", "json", cwd=tmp_path)
    assert report["document"] == "new_article.txt"
    by_text = {m["text"]: m for m in report["items"]}
    expected = {
        "最高3億元": (300_000_000, "cny", "at_most"),
        "40%": (0.4, "ratio", "exact"),
        "最高500萬元": (5_000_000, "cny", "at_most"),
        "1200余家": (1200, "count", "at_least"),
        "5家": (5, "count", "exact"),
    }
    for written, (value, unit, bound) in expected.items():
        mention = by_text[written]
        assert (mention["value"]["value"], mention["value"]["unit"], mention["value"]["bound"]) == (value, unit, bound)
    # No record cites this article, so nothing is captured or ignored.
    assert {m["status"] for m in report["items"]} == {"missing"}
    assert report["missing"] == report["mentions"] == len(report["items"]) == 7
    assert report["captured"] == report["ignored"] == 0


def test_extract_year_option_resolves_relative_dates(tmp_path: Path) -> None:
    article = tmp_path / "new_article.txt"
    article.write_text(TRADITIONAL_ARTICLE, encoding="utf-8")
    without_year = _json("extract", str(article), "--format", "json", cwd=tmp_path)
    assert next(m for m in without_year["items"] if m["text"] == "今年3月")["value"] is None  # no year known
    report = _json("extract", str(article), "--format", "json", "--year", "2025", cwd=tmp_path)
    dates = {m["text"]: m["value"] for m in report["items"] if m["kind"] == "date"}
    assert dates == {"今年3月": "2025-03", "去年年底": "2024-late"}


def test_extract_missing_option_on_a_new_article_lists_every_mention(tmp_path: Path) -> None:
    article = tmp_path / "new_article.txt"
    article.write_text(TRADITIONAL_ARTICLE, encoding="utf-8")
    done = _cli("extract", str(article), "--format", "text", "--missing", "--year", "2025", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 7
    assert all(" missing " in line for line in lines)
    assert any("«今年3月» = 2025-03" in line for line in lines)


def test_extract_year_option_keeps_a_seeds_accounting() -> None:
    """Giving a seed's own year explicitly must not change what the records capture."""
    plain = _json("extract", str(SEEDS / ZHUHAI_DOC), "--format", "json")
    with_year = _json("extract", str(SEEDS / ZHUHAI_DOC), "--format", "json", "--year", "2025")
    assert with_year["missing"] == 0
    assert (with_year["captured"], with_year["ignored"]) == (plain["captured"], plain["ignored"])

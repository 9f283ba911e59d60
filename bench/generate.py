"""Generate a synthetic, valid citypolicy knowledge base of N places, for the benchmark.

Run from the project root:

    .venv/bin/python bench/generate.py --places 1000 --seed 1 --out bench/out/kb-1000

then `citypolicy check --kb bench/out/kb-1000` exits 0.

**N counts jurisdictions**: every province, municipality, city, district and zone, i.e. the length of
`jurisdictions` in `citypolicy export --format json` and the first number `citypolicy check` prints.
About one place in four to five is a city (or municipality) with its own file in data/cities/ and
2–5 districts (a municipality 6–10; now and then a zone under a district); provinces, one per ~160
places (at most 31), have files in data/provinces/. So N=1,000 is 7 provinces, 1 municipality and
219 cities (seed 1); N=5,000 is 31 provinces, 4 municipalities and ~1,100 cities.

Each city gets a news article in seeds/ (half of them a second one, a work-report story) and each
province one; about a third of the articles are in Traditional script (quotes then cite either the
Traditional text or an analyst's Simplified copy). Every record cites sentences of those articles.
Per city: 2–4 policies (the newest often superseding one of 2018–2022), 1–8 instruments (always a
compute voucher with a startup tier, cap and pool; sometimes training, corpus and model vouchers, a
fund, talent grants, an award, an older compute subsidy), 2–3 targets with floor and stretch (力争),
7–11 indicators over several years, 1–2 institutions. Per district (mostly) a policy with three
instruments, two indicators, sometimes a target and an institution; per zone an indicator. Per
province a policy, a fund, a target, an indicator and an event. At N=1,000 that is about 10,000
records and 10,000 quotes. Quantities are written as analysts write them (最高1000万元, 50%, 2600余家,
8,000亿元以上, 力争1,200亿元以上, 不超过30%, 5 EFLOPS, 第二).

The output is deterministic: the same --places and --seed give byte-identical files. The output
folder is replaced if it holds a knowledge base this script generated, and refused otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import random
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import opencc
import yaml

MARKER = ".citypolicy-bench-kb"
SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/place.schema.json"

# --------------------------------------------------------------------------- vocabulary

SYLLABLES = [
    ("江", "jiang"), ("宁", "ning"), ("安", "an"), ("平", "ping"), ("阳", "yang"), ("州", "zhou"),
    ("山", "shan"), ("海", "hai"), ("华", "hua"), ("昌", "chang"), ("兴", "xing"), ("德", "de"),
    ("庆", "qing"), ("丰", "feng"), ("源", "yuan"), ("泉", "quan"), ("东", "dong"), ("西", "xi"),
    ("南", "nan"), ("北", "bei"), ("临", "lin"), ("云", "yun"), ("新", "xin"), ("长", "chang"),
    ("永", "yong"), ("嘉", "jia"), ("和", "he"), ("武", "wu"), ("宜", "yi"), ("金", "jin"),
    ("台", "tai"), ("湖", "hu"), ("河", "he"), ("林", "lin"), ("城", "cheng"), ("溪", "xi"),
    ("岳", "yue"), ("泰", "tai"), ("沙", "sha"), ("鹤", "he"), ("梅", "mei"), ("龙", "long"),
    ("凤", "feng"), ("桂", "gui"), ("荆", "jing"), ("襄", "xiang"), ("汉", "han"), ("洛", "luo"),
    ("滨", "bin"), ("瑞", "rui"), ("峰", "feng"), ("川", "chuan"), ("通", "tong"), ("远", "yuan"),
    ("明", "ming"), ("光", "guang"), ("盛", "sheng"), ("康", "kang"), ("乐", "le"), ("顺", "shun"),
]  # fmt: skip
DIRECTIONS = ["东", "西", "南", "北", "中", "东南", "西北", "东北", "西南"]
ORDINALS = ["第一", "第二", "第三", "第四", "第五", "第六", "第七", "第八", "第九", "第十"]
OUTLETS = [
    ("南方日报", "Nanfang Daily", "simplified"),
    ("21世纪经济报道", "21st Century Business Herald", "simplified"),
    ("第一财经", "Yicai", "simplified"),
    ("澎湃新闻", "The Paper", "simplified"),
    ("中国城市报", "China City News", "simplified"),
    ("证券时报", "Securities Times", "simplified"),
    ("香港经济日报", "Hong Kong Economic Times", "traditional"),
    ("大公报", "Ta Kung Pao", "traditional"),
    ("明报", "Ming Pao", "traditional"),
]
FILLERS = [
    "人工智能正在成为推动经济高质量发展的重要引擎。",
    "业内人士认为，算力成本仍是中小企业使用大模型的主要门槛。",
    "多位受访企业负责人表示，当地营商环境持续改善，政策兑现速度明显加快。",
    "从智能制造到智慧医疗，人工智能应用场景不断拓展。",
    "记者走访发现，不少企业正把大模型用于客服、质检和研发设计。",
    "专家建议，地方政策应更加注重场景开放与数据要素供给。",
]
COMMENT = (
    "# Synthetic data from bench/generate.py (places={places}, seed={seed}): not real policies, for the benchmark only."
)


# --------------------------------------------------------------------------- YAML output


class FlowMap(dict):  # type: ignore[type-arg]
    """A mapping written on one line: {zh: 算力券, en: compute voucher}."""


class FlowList(list):  # type: ignore[type-arg]
    """A list written on one line: [enterprise, startup]."""


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    def ignore_aliases(self, data: object) -> bool:
        return True  # the loader refuses anchors and aliases


_Dumper.add_representer(FlowMap, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v.items(), flow_style=True))
_Dumper.add_representer(FlowList, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))


def dump_yaml(data: object) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100_000)


def name(zh: str, en: str) -> FlowMap:
    return FlowMap(zh=zh, en=en)


# --------------------------------------------------------------------------- places


@dataclass
class Place:
    id: str
    level: str
    zh: str
    short: str
    en: str
    parent: Place | None = None
    children: list[Place] = field(default_factory=list)


@dataclass
class Names:
    """Unique ids and Chinese names for generated places."""

    rng: random.Random
    used_ids: set[str] = field(default_factory=set)
    used_zh: set[str] = field(default_factory=set)

    def fresh(self, prefix: str = "") -> tuple[str, str]:
        """(Chinese stem, pinyin) of a new place name; longer names once the short ones run out."""
        for attempt in range(200):
            count = 2 if attempt < 100 else 3
            picks = self.rng.sample(SYLLABLES, count)
            stem = "".join(zh for zh, _ in picks)
            pinyin = "".join(py for _, py in picks)
            if stem not in self.used_zh and self.unique(prefix + pinyin) == prefix + pinyin:
                self.used_zh.add(stem)
                self.used_ids.add(prefix + pinyin)
                return stem, pinyin
        raise RuntimeError("ran out of place names")

    def unique(self, wanted: str) -> str:
        if wanted not in self.used_ids:
            return wanted
        suffix = 2
        while f"{wanted}-{suffix}" in self.used_ids:
            suffix += 1
        return f"{wanted}-{suffix}"


def plan_places(total: int, rng: random.Random) -> list[Place]:
    """Provinces (with their cities, districts and zones) and municipalities: `total` places in all."""
    names = Names(rng)
    provinces = [_province(names) for _ in range(min(31, max(1, math.ceil(total / 160))))]
    municipalities_wanted = min(4, total // 1000)
    tops: list[Place] = list(provinces)
    remaining = total - len(provinces)
    index = 0
    while remaining > 0:
        is_municipality = municipalities_wanted > 0
        size = min(remaining, 1 + (rng.randint(6, 10) if is_municipality else rng.randint(2, 5)))
        if is_municipality:
            municipalities_wanted -= 1
            tops.append(_city(names, None, size, rng))
        else:
            _city(names, provinces[index % len(provinces)], size, rng)
            index += 1
        remaining -= size
    return tops


def _province(names: Names) -> Place:
    stem, pinyin = names.fresh()
    return Place(pinyin, "province", f"{stem}省", stem, f"{pinyin.title()} Province")


def _city(names: Names, province: Place | None, size: int, rng: random.Random) -> Place:
    stem, pinyin = names.fresh()
    level = "municipality" if province is None else "city"
    city = Place(pinyin, level, f"{stem}市", stem, pinyin.title(), province)
    if province is not None:
        province.children.append(city)
    subplaces = size - 1
    with_zone = subplaces >= 3 and rng.random() < 0.3
    for _ in range(subplaces - (1 if with_zone else 0)):
        city.children.append(_district(names, city, rng))
    if with_zone:
        district = city.children[0]
        zone_id = names.unique(f"{district.id}-ai-park")
        names.used_ids.add(zone_id)
        zone = Place(
            zone_id,
            "zone",
            f"{district.short}人工智能产业园",
            f"{district.short}智谷",
            f"{district.en} AI Park",
            district,
        )
        district.children.append(zone)
    return city


def _district(names: Names, city: Place, rng: random.Random) -> Place:
    picks = rng.sample(SYLLABLES, 2)
    stem = "".join(zh for zh, _ in picks)
    district_id = names.unique(f"{city.id}-{''.join(py for _, py in picks)}")
    names.used_ids.add(district_id)
    county = rng.random() < 0.25
    suffix, en = ("县", "County") if county else ("区", "District")
    english = f"{''.join(py for _, py in picks).title()} {en}"
    return Place(district_id, "district", f"{stem}{suffix}", stem, english, city)


# --------------------------------------------------------------------------- articles


@dataclass
class Scripts:
    to_traditional: Callable[[str], str]
    to_simplified: Callable[[str], str]


@dataclass
class Article:
    """One synthetic source article; `say` writes a sentence and returns a citation of it."""

    file: str
    script: str
    rng: random.Random
    scripts: Scripts
    headline: str
    paragraphs: list[list[str]] = field(default_factory=lambda: [[]])

    def render(self, text: str) -> str:
        if self.script == "simplified":
            return text
        return self.scripts.to_traditional(text).replace("，", ",").replace("（", "(").replace("）", ")")

    def say(self, text: str) -> dict[str, str]:
        rendered = self.render(text)
        self.paragraphs[-1].append(rendered)
        return {"document": self.file, "quote": self._quote(text, rendered)}

    def filler(self, text: str) -> str:
        rendered = self.render(text)
        self.paragraphs[-1].append(rendered)
        return rendered

    def new_paragraph(self) -> None:
        if self.paragraphs[-1]:
            self.paragraphs.append([])

    def _quote(self, text: str, rendered: str) -> str:
        """As an analyst copies it: verbatim, with other punctuation widths, or in Simplified."""
        roll = self.rng.random()
        if self.script == "simplified":
            return rendered if roll < 0.85 else rendered.replace("，", ",")
        if roll < 0.5 and self.scripts.to_simplified(text) == self.scripts.to_simplified(
            self.scripts.to_traditional(text)
        ):
            return text
        return rendered

    def text(self) -> str:
        body = "\n\n".join("".join(p) for p in self.paragraphs if p)
        return f"{self.render(self.headline)}\n\n{body}\n"


@dataclass
class Library:
    """Every generated article, with the sources registry entry of each."""

    seed: int
    rng: random.Random
    scripts: Scripts
    articles: list[Article] = field(default_factory=list)
    registry: list[dict[str, object]] = field(default_factory=list)
    ignored: list[dict[str, object]] = field(default_factory=list)

    def new(self, headline: str, topic: tuple[str, str], published: str) -> Article:
        index = len(self.articles)
        digest = hashlib.sha256(f"{self.seed}:{index}".encode()).hexdigest()[:16]
        outlet_zh, outlet_en, script = self.rng.choice(OUTLETS)
        article = Article(f"{index:05d}_{digest}.txt", script, self.rng, self.scripts, headline)
        self.articles.append(article)
        entry: dict[str, object] = {
            "file": article.file,
            "outlet": name(outlet_zh, outlet_en),
            "headline": name(headline, f"Synthetic article {index}"),
            "topic": name(topic[0], topic[1]),
            "published": published,
            "date_basis": "synthetic: set by the generator; 今年 in the text is this year",
            "script": script,
        }
        self.registry.append(entry)
        return article

    def ignore_scene(self, article: Article) -> None:
        """A reporter's scene with a number: written into the article and listed in data/ignored.yaml."""
        count = self.rng.randint(2, 9) * 100
        article.filler(f"记者在现场看到，{count}余名观众排队体验人形机器人和智能终端产品。")
        self.ignored.append(
            {
                "document": article.file,
                "quote": article.render(f"记者在现场看到，{count}余名观众排队体验人形机器人和智能终端产品"),
                "mentions": FlowList([article.render(f"{count}余名")]),
                "reason": "a scene the reporter describes, not a fact about a place's policy",
            }
        )


# --------------------------------------------------------------------------- records


@dataclass
class PlaceFile:
    """One data/cities or data/provinces file being filled."""

    place: Place
    rng: random.Random
    ids: set[str]
    sections: dict[str, list[dict[str, object]]] = field(
        default_factory=lambda: {
            k: [] for k in ("jurisdictions", "policies", "instruments", "targets", "indicators", "institutions")
        }
    )

    def add(self, section: str, wanted_id: str, sources: list[dict[str, str]], **fields: object) -> str:
        record_id = wanted_id
        suffix = 2
        while record_id in self.ids:
            record_id, suffix = f"{wanted_id}-{suffix}", suffix + 1
        self.ids.add(record_id)
        record: dict[str, object] = {"id": record_id}
        record.update({k: v for k, v in fields.items() if v is not None})
        record["sources"] = [dict(s) for s in sources]
        self.sections[section].append(record)
        return record_id

    def document(self) -> dict[str, object]:
        out: dict[str, object] = {"id": self.place.id}
        out.update({k: v for k, v in self.sections.items() if v})
        return out


def amount(rng: random.Random, value: int | float) -> str:
    """A number as analysts copy it: 8,000 or 8000."""
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{value:,}" if value >= 1000 and rng.random() < 0.5 else str(value)


def add_jurisdiction(f: PlaceFile, place: Place, citation: dict[str, str]) -> None:
    aliases = FlowList([place.short, place.en.split(" ")[0]] if place.level != "zone" else [place.short])
    f.add(
        "jurisdictions",
        place.id,
        [citation],
        level=place.level,
        parent=place.parent.id if place.parent else None,
        name=name(place.zh, place.en),
        aliases=aliases,
    )


# --------------------------------------------------------------------------- city content


@dataclass
class CityStory:
    """What the articles about one city say, and the dates they say it."""

    city: Place
    f: PlaceFile
    art: Article
    year: int
    month: int
    scale: int = 0  # the AI core industry last year, 亿元; plans aim at two to four times it

    @property
    def rng(self) -> random.Random:
        return self.f.rng


def city_intro(s: CityStory) -> None:
    c = s.city
    if c.level == "municipality":
        text = f"{c.zh}是直辖市，下辖{len(c.children)}个区，人工智能产业基础雄厚。"
    else:
        where = (c.parent.zh if c.parent else "") + s.rng.choice(DIRECTIONS)
        text = f"{c.zh}位于{where}部，下辖{len(c.children)}个区县，是区域中心城市。"
    add_jurisdiction(s.f, c, s.art.say(text))
    s.art.filler(s.rng.choice(FILLERS))


def city_measures(s: CityStory, supersedes: str | None) -> str:
    c, rng = s.city, s.rng
    issued = rng.randint(1, s.month)
    pool, cap = rng.choice([1, 2, 3, 5, 10]), rng.choice([300, 500, 800, 1000, 2000])
    rate, cap_text = rng.choice([30, 40, 50, 60]), amount(rng, cap)
    startup = min(rate + rng.choice([10, 20]), 80)
    title = f"{c.zh}促进人工智能产业高质量发展若干措施"
    s.art.new_paragraph()
    first = s.art.say(
        f"{issued}月，{c.zh}发布《{title}》（以下简称《若干措施》），设立总额最高{pool}亿元的“算力券”，"
        "降低企业使用智能算力的成本。"
    )
    terms = s.art.say(
        f"符合条件的企业可按实际购买算力费用的{rate}%获得“算力券”支持，每年度最高可使用{cap_text}万元，"
        f"对初创企业的支持比例提高至{startup}%。"
    )
    policy = s.f.add(
        "policies",
        f"{c.id}-ai-measures-{s.year}",
        [first],
        jurisdiction=c.id,
        title=name(title, f"Several Measures of {c.en} to Promote the High-Quality Development of the AI Industry"),
        short_names=FlowList(["《若干措施》"]),
        kind="measures",
        issued=f"{s.year}-{issued:02d}",
        supersedes=supersedes,
    )
    s.f.add(
        "instruments",
        f"{c.id}-compute-voucher",
        [first, terms],
        jurisdiction=c.id,
        policy=policy,
        kind="compute_voucher",
        name=name("算力券", "compute voucher"),
        rate=f"{rate}%",
        rate_basis=name("实际购买算力费用", "actual cost of compute purchased"),
        tiers=[{"group": "startup", "rate": f"{startup}%"}],
        cap={"amount": f"最高{cap_text}万元", "per": "recipient", "period": "year"},
        pool={"amount": f"最高{pool}亿元", "period": "total"},
        beneficiaries=FlowList(["enterprise", "startup"]),
        launched=f"{s.year}-{issued:02d}",
    )
    return policy


def city_vouchers(s: CityStory, policy: str) -> None:
    c, rng = s.city, s.rng
    if rng.random() < 0.4:
        rate, cap, pool = rng.choice([20, 30, 50]), amount(rng, rng.choice([500, 1000, 3000])), rng.choice([2, 5])
        quote = s.art.say(
            f"对租用智能算力开展大模型训练的企业、高等院校和科研机构，按不超过服务合同金额的{rate}%"
            f"给予最高{cap}万元资助，每年发放最高{pool}亿元“训力券”。"
        )
        s.f.add(
            "instruments",
            f"{c.id}-training-voucher",
            [quote],
            jurisdiction=c.id,
            policy=policy,
            kind="training_voucher",
            name=name("训力券", "training voucher"),
            rate=f"不超过{rate}%",
            cap={"amount": f"最高{cap}万元", "per": "recipient"},
            pool={"amount": f"最高{pool}亿元", "period": "year"},
            beneficiaries=FlowList(["enterprise", "university", "research_institute"]),
        )
    if rng.random() < 0.25:
        rate, cap = rng.choice([20, 30]), rng.choice([100, 200, 500])
        quote = s.art.say(f"同时推出“语料券”，按数据采购费用的{rate}%给予补贴，单个企业每年最高{cap}万元。")
        s.f.add(
            "instruments",
            f"{c.id}-corpus-voucher",
            [quote],
            jurisdiction=c.id,
            policy=policy,
            kind="corpus_voucher",
            name=name("语料券", "corpus voucher"),
            rate=f"{rate}%",
            cap={"amount": f"最高{cap}万元", "per": "recipient", "period": "year"},
            beneficiaries=FlowList(["enterprise"]),
        )
    if rng.random() < 0.25:
        cap = rng.choice([50, 100, 200])
        quote = s.art.say(f"{c.short}还发放“模型券”，对采购大模型服务的中小企业给予最高{cap}万元支持。")
        s.f.add(
            "instruments",
            f"{c.id}-model-voucher",
            [quote],
            jurisdiction=c.id,
            policy=policy,
            kind="model_voucher",
            name=name("模型券", "model voucher"),
            cap={"amount": f"最高{cap}万元", "per": "recipient"},
            beneficiaries=FlowList(["sme"]),
        )


def city_funds_and_talent(s: CityStory, policy: str) -> None:
    c, rng = s.city, s.rng
    if rng.random() < 0.6:
        size = rng.choice([10, 20, 50, 100, 200])
        quote = s.art.say(
            f"{c.short}还设立规模{size}亿元的人工智能产业投资基金，重点投向大模型、智能终端和具身智能等领域。"
        )
        s.f.add(
            "instruments",
            f"{c.id}-ai-fund",
            [quote],
            jurisdiction=c.id,
            policy=policy,
            kind="fund",
            name=name("人工智能产业投资基金", "AI industry investment fund"),
            pool={"amount": f"{size}亿元", "period": "total"},
        )
    if rng.random() < 0.5:
        grant = rng.choice([1, 2, 3])
        quote = s.art.say(f"对引进的顶尖人才团队，最高给予{grant}亿元综合资助。")
        s.f.add(
            "instruments",
            f"{c.id}-talent-team-grant",
            [quote],
            jurisdiction=c.id,
            policy=policy,
            kind="talent",
            name=name("顶尖人才团队综合资助", "grant for top talent teams"),
            cap={"amount": f"最高{grant}亿元", "per": "project"},
            beneficiaries=FlowList(["individual"]),
        )
    if rng.random() < 0.3:
        award = rng.choice([100, 200, 500])
        quote = s.art.say(f"对获评国家级人工智能创新应用先导区的项目，一次性奖励{award}万元。")
        s.f.add(
            "instruments",
            f"{c.id}-pilot-zone-award",
            [quote],
            jurisdiction=c.id,
            policy=policy,
            kind="award",
            name=name("先导区项目奖励", "award for national AI pilot-zone projects"),
            cap={"amount": f"{award}万元", "per": "project"},
        )


def city_plan(s: CityStory) -> None:
    c, rng = s.city, s.rng
    start = s.year - rng.choice([0, 1])
    end = start + rng.choice([2, 3])
    floor_value = s.scale * rng.choice([2, 3, 4])
    floor, stretch = amount(rng, floor_value), amount(rng, floor_value + floor_value // rng.choice([2, 4, 5]))
    firms = amount(rng, rng.choice([300, 500, 1000, 1500]))
    title = f"{c.zh}人工智能产业发展行动计划（{start}—{end}年）"
    s.art.new_paragraph()
    quote = s.art.say(
        f"根据《{title}》，到{end}年，{c.short}人工智能核心产业规模达到{floor}亿元，"
        f"力争{stretch}亿元以上，人工智能企业数量超过{firms}家。"
    )
    policy = s.f.add(
        "policies",
        f"{c.id}-ai-action-plan-{start}",
        [quote],
        jurisdiction=c.id,
        title=name(title, f"{c.en} AI Industry Development Action Plan ({start}–{end})"),
        kind="action_plan",
        issued={"date": str(start), "basis": "the first year of the plan's period; the text gives no issue date"},
        period={"start": start, "end": end},
    )
    common = {"jurisdiction": c.id, "policy": policy, "deadline": str(end)}
    s.f.add(
        "targets",
        f"{c.id}-industry-scale-{end}",
        [quote],
        topic="industry_scale",
        metric=name("人工智能核心产业规模", "AI core industry scale"),
        value=f"{floor}亿元",
        stretch=f"力争{stretch}亿元以上",
        **common,
    )
    s.f.add(
        "targets",
        f"{c.id}-ai-firms-{end}",
        [quote],
        topic="ai_firms",
        metric=name("人工智能企业数量", "AI firms"),
        value=f"超过{firms}家",
        **common,
    )
    if rng.random() < 0.5:
        eflops = rng.choice([5, 10, 20, 50])
        compute = s.art.say(f"到{end}年底，全市智能算力规模达到{eflops} EFLOPS。")
        s.f.add(
            "targets",
            f"{c.id}-compute-{end}",
            [compute],
            jurisdiction=c.id,
            policy=policy,
            topic="compute",
            metric=name("智能算力规模", "AI compute capacity"),
            value=f"{eflops} EFLOPS",
            deadline=f"{end}-late",
        )


def city_indicators(s: CityStory) -> None:
    c, rng = s.city, s.rng
    now, before = s.year - 1, s.year - rng.choice([3, 4, 5])
    before_value = rng.randint(2, 40) * 50
    firms_before, firms_now = amount(rng, before_value), amount(rng, before_value + rng.randint(1, 30) * 50)
    s.art.new_paragraph()
    quote = s.art.say(f"截至{now}年底，{c.short}人工智能企业已达{firms_now}余家，而{before}年仅有{firms_before}家。")
    for year, value, as_of in ((now, f"{firms_now}余家", f"{now}-late"), (before, f"{firms_before}家", str(before))):
        s.f.add(
            "indicators",
            f"{c.id}-ai-firms-{year}",
            [quote],
            jurisdiction=c.id,
            topic="ai_firms",
            metric=name("人工智能企业", "AI firms"),
            value=value,
            as_of=as_of,
        )
    scale, growth = amount(rng, s.scale), rng.randint(8, 35)
    scale_quote = s.art.say(f"{now}年，{c.short}人工智能核心产业规模突破{scale}亿元，同比增长{growth}%。")
    written = f"{scale}亿元以上" if rng.random() < 0.5 else f"突破{scale}亿元"
    s.f.add(
        "indicators",
        f"{c.id}-industry-scale-{now}",
        [scale_quote],
        jurisdiction=c.id,
        topic="industry_scale",
        metric=name("人工智能核心产业规模", "AI core industry scale"),
        value=written,
        as_of=str(now),
    )
    city_compute_indicators(s)


def city_compute_indicators(s: CityStory) -> None:
    c, rng = s.city, s.rng
    centres, pflops = rng.randint(2, 12), amount(rng, rng.randint(5, 80) * 100)
    quote = s.art.say(f"目前，全市已建成智算中心{centres}个，智能算力规模达{pflops}PFLOPS。")
    s.f.add(
        "indicators",
        f"{c.id}-compute-{s.year}",
        [quote],
        jurisdiction=c.id,
        topic="compute",
        metric=name("智能算力规模", "AI compute capacity"),
        value=f"{pflops}PFLOPS",
        as_of=str(s.year),
    )
    s.f.add(
        "indicators",
        f"{c.id}-ai-computing-centres-{s.year}",
        [quote],
        jurisdiction=c.id,
        topic="infrastructure",
        metric=name("智算中心", "AI computing centres"),
        value=f"{centres}个",
        as_of=str(s.year),
    )
    filings, unicorns = rng.randint(1, 60), rng.randint(0, 12)
    quote = s.art.say(
        f"目前，{c.short}已有{filings}款大模型通过国家生成式人工智能服务备案，培育独角兽企业{unicorns}家。"
    )
    s.f.add(
        "indicators",
        f"{c.id}-model-filings-{s.year}",
        [quote],
        jurisdiction=c.id,
        topic="filings",
        metric=name("通过备案的大模型", "large models filed with the regulator"),
        value=f"{filings}款",
        as_of=str(s.year),
    )
    s.f.add(
        "indicators",
        f"{c.id}-unicorns-{s.year}",
        [quote],
        jurisdiction=c.id,
        topic="unicorns",
        metric=name("独角兽企业", "unicorns"),
        value=f"{unicorns}家",
        as_of=str(s.year),
    )
    if rng.random() < 0.5:
        rank = rng.randint(1, 10)
        quote = s.art.say(f"目前，{c.short}人工智能产业综合实力位居全省{ORDINALS[rank - 1]}。")
        s.f.add(
            "indicators",
            f"{c.id}-provincial-rank-{s.year}",
            [quote],
            jurisdiction=c.id,
            topic="ranking",
            metric=name("人工智能产业综合实力全省排名", "provincial rank in AI industry strength"),
            value=ORDINALS[rank - 1],
            as_of=str(s.year),
        )


def city_institutions(s: CityStory) -> None:
    c, rng = s.city, s.rng
    year, month, day = s.year - rng.randint(0, 3), rng.randint(1, 12), rng.randint(1, 28)
    quote = s.art.say(f"{year}年{month}月{day}日，{c.zh}人工智能发展局正式挂牌成立。")
    s.f.add(
        "institutions",
        f"{c.id}-ai-bureau",
        [quote],
        jurisdiction=c.id,
        kind="agency",
        name=name(f"{c.zh}人工智能发展局", f"{c.en} AI Development Bureau"),
        established=f"{year}-{month:02d}-{day:02d}",
    )
    if rng.random() < 0.5:
        quote = s.art.say(
            f"{c.short}人工智能实验室聚焦大模型与具身智能前沿研究，已吸引{rng.randint(2, 30) * 10}名科研人员。"
        )
        s.f.add(
            "institutions",
            f"{c.id}-ai-lab",
            [quote],
            jurisdiction=c.id,
            kind="lab",
            name=name(f"{c.short}人工智能实验室", f"{c.en} AI Laboratory"),
        )


def city_history(s: CityStory, art: Article, report_year: int) -> str | None:
    """A second article: the government work report, budget figures and, often, an older policy."""
    c, rng = s.city, s.rng
    s.art = art
    quote = art.say(f"{c.zh}{report_year}年政府工作报告提出，加快建设人工智能创新应用高地。")
    s.f.add(
        "policies",
        f"{c.id}-work-report-{report_year}",
        [quote],
        jurisdiction=c.id,
        title=name(f"{c.zh}{report_year}年政府工作报告", f"{c.en} Government Work Report {report_year}"),
        kind="work_report",
        issued=str(report_year),
    )
    revenue = amount(rng, rng.randint(100, 3000) + rng.randint(0, 99) / 100)
    spending = amount(rng, rng.randint(200, 4000))
    science = amount(rng, rng.randint(5, 90) + rng.randint(0, 99) / 100)
    budget = art.say(
        f"{report_year - 1}年，{c.short}实现一般公共预算收入{revenue}亿元，"
        f"支出为{spending}亿元，其中科学技术支出为{science}亿元。"
    )
    for key, zh, en, value in (
        ("revenue", "一般公共预算收入", "general public budget revenue", revenue),
        ("expenditure", "一般公共预算支出", "general public budget expenditure", spending),
        ("science-expenditure", "科学技术支出", "science and technology expenditure", science),
    ):
        s.f.add(
            "indicators",
            f"{c.id}-budget-{key}-{report_year - 1}",
            [budget],
            jurisdiction=c.id,
            topic="budget",
            metric=name(zh, en),
            value=f"{value}亿元",
            as_of=str(report_year - 1),
        )
    return city_old_policy(s, art) if rng.random() < 0.6 else None


def city_old_policy(s: CityStory, art: Article) -> str:
    c, rng = s.city, s.rng
    year = rng.randint(2018, 2022)
    rate, cap = rng.choice([10, 20, 30]), rng.choice([100, 200, 300, 500])
    title = f"{c.zh}促进人工智能产业发展若干措施（{year}年版）"
    quote = art.say(f"早在{year}年，{c.short}就出台《{title}》，按{rate}%给予算力补贴，单个企业每年最高{cap}万元。")
    policy = s.f.add(
        "policies",
        f"{c.id}-ai-measures-{year}",
        [quote],
        jurisdiction=c.id,
        title=name(title, f"{c.en} Measures to Promote the AI Industry ({year} edition)"),
        kind="measures",
        issued=str(year),
    )
    s.f.add(
        "instruments",
        f"{c.id}-compute-subsidy-{year}",
        [quote],
        jurisdiction=c.id,
        policy=policy,
        kind="compute_subsidy",
        name=name("算力补贴", "compute subsidy"),
        rate=f"{rate}%",
        cap={"amount": f"最高{cap}万元", "per": "recipient", "period": "year"},
        beneficiaries=FlowList(["enterprise"]),
        launched=str(year),
    )
    return policy


# --------------------------------------------------------------------------- districts and zones


def district_story(s: CityStory, district: Place) -> None:
    rng = s.rng
    s.art.new_paragraph()
    area = rng.randint(20, 1500)
    add_jurisdiction(
        s.f, district, s.art.say(f"{district.zh}是{s.city.short}人工智能产业的重要承载区，面积{area}平方公里。")
    )
    if rng.random() < 0.8:
        district_measures(s, district)
    firms, output = rng.randint(3, 90) * 10, rng.randint(5, 900)
    quote = s.art.say(f"目前，{district.short}已集聚人工智能相关企业{firms}余家，{s.year - 1}年产值达{output}亿元。")
    s.f.add(
        "indicators",
        f"{district.id}-ai-firms-{s.year}",
        [quote],
        jurisdiction=district.id,
        topic="ai_firms",
        metric=name("人工智能相关企业", "AI-related firms"),
        value=f"{firms}余家",
        as_of=str(s.year),
    )
    s.f.add(
        "indicators",
        f"{district.id}-output-{s.year - 1}",
        [quote],
        jurisdiction=district.id,
        topic="industry_scale",
        metric=name("人工智能产业产值", "AI industry output"),
        value=f"{output}亿元",
        as_of=str(s.year - 1),
    )
    district_extras(s, district)
    for zone in district.children:
        zone_story(s, zone)


def district_measures(s: CityStory, district: Place) -> None:
    rng = s.rng
    year = s.year - rng.choice([0, 1, 2])
    compute, risk, digital = rng.choice([20, 30, 40]), rng.choice([50, 60, 80]), rng.choice([10, 20, 30])
    quote = s.art.say(
        f"{year}年，{district.zh}出台促进新质生产力发展的若干措施，对经认定的企业可给予{compute}%算力补贴、"
        f"最高{risk}%贷款风险补偿、{digital}%数字化改造补贴等政策。"
    )
    policy = s.f.add(
        "policies",
        f"{district.id}-measures-{year}",
        [quote],
        jurisdiction=district.id,
        title=name(
            f"{district.zh}促进新质生产力发展的若干措施", f"{district.en} Measures for New Quality Productive Forces"
        ),
        kind="measures",
        issued=str(year),
    )
    for key, kind, zh, en, rate in (
        ("compute-subsidy", "compute_subsidy", "算力补贴", "compute subsidy", f"{compute}%"),
        ("loan-risk-compensation", "loan_risk_compensation", "贷款风险补偿", "loan risk compensation", f"最高{risk}%"),
        (
            "digitalisation-subsidy",
            "digitalisation_subsidy",
            "数字化改造补贴",
            "digital-transformation subsidy",
            f"{digital}%",
        ),
    ):
        s.f.add(
            "instruments",
            f"{district.id}-{key}",
            [quote],
            jurisdiction=district.id,
            policy=policy,
            kind=kind,
            name=name(zh, en),
            rate=rate,
            beneficiaries=FlowList(["enterprise"]),
            launched=str(year),
        )


def district_extras(s: CityStory, district: Place) -> None:
    rng = s.rng
    if rng.random() < 0.4:
        firms, year = rng.randint(2, 20) * 10, s.year + 1
        quote = s.art.say(f"到{year}年，{district.short}力争落地高成长性人工智能企业超{firms}家。")
        s.f.add(
            "targets",
            f"{district.id}-high-growth-firms-{year}",
            [quote],
            jurisdiction=district.id,
            topic="ai_firms",
            metric=name("落地高成长性人工智能企业", "high-growth AI firms set up"),
            stretch=f"超{firms}家",
            deadline=str(year),
        )
    if rng.random() < 0.4:
        quote = s.art.say(f"{district.short}打造的“模数空间”是当地首个大模型应用孵化平台。")
        s.f.add(
            "institutions",
            f"{district.id}-model-space",
            [quote],
            jurisdiction=district.id,
            kind="incubator",
            name=name(f"{district.short}模数空间", f"{district.en} model space"),
        )


def zone_story(s: CityStory, zone: Place) -> None:
    parent = zone.parent
    assert parent is not None
    area = s.rng.randint(3, 60)
    quote = s.art.say(f"目前，{zone.zh}是{parent.zh}重点打造的人工智能产业集聚区，规划面积{area}平方公里。")
    add_jurisdiction(s.f, zone, quote)
    s.f.add(
        "indicators",
        f"{zone.id}-area",
        [quote],
        jurisdiction=zone.id,
        topic="other",
        metric=name("规划面积", "planned area"),
        value=f"{area}平方公里",
        as_of=str(s.year),
    )


# --------------------------------------------------------------------------- files


@dataclass
class Generator:
    places: int
    seed: int
    rng: random.Random
    library: Library
    ids: set[str] = field(default_factory=set)
    files: dict[str, str] = field(default_factory=dict)  # relative path -> text

    def header(self, place: Place) -> str:
        return f"{SCHEMA_LINE}\n{COMMENT.format(places=self.places, seed=self.seed)}\n# {place.zh} ({place.en}).\n"

    def write_place(self, folder: str, f: PlaceFile) -> None:
        self.files[f"data/{folder}/{f.place.id}.yaml"] = self.header(f.place) + dump_yaml(f.document())

    def city(self, city: Place) -> None:
        rng = self.rng
        year = rng.choice([2024, 2025, 2025, 2026])
        month = rng.randint(1, 3 if year == 2026 else 12)
        art = self.library.new(
            f"{city.short}加码人工智能：算力券、产业基金与人才政策齐发力",
            (f"{city.zh}的人工智能产业政策", f"{city.en}'s AI industry policy"),
            f"{year}-{month:02d}",
        )
        s = CityStory(city, PlaceFile(city, rng, self.ids), art, year, month, rng.randint(1, 60) * 50)
        city_intro(s)
        older = None
        if rng.random() < 0.5:
            report_year = year - 1
            report = self.library.new(
                f"{city.short}政府工作报告释放人工智能发展信号",
                (f"{city.zh}政府工作报告", f"{city.en} government work report"),
                f"{report_year}-03",
            )
            older = city_history(s, report, report_year)
            s.art = art
        policy = city_measures(s, older)
        city_vouchers(s, policy)
        city_funds_and_talent(s, policy)
        city_plan(s)
        city_indicators(s)
        city_institutions(s)
        for district in city.children:
            district_story(s, district)
        s.art.new_paragraph()
        if rng.random() < 0.2:
            self.library.ignore_scene(s.art)
        s.art.filler(rng.choice(FILLERS))
        self.write_place("cities", s.f)

    def province(self, province: Place) -> None:
        rng = self.rng
        year = rng.choice([2024, 2025])
        art = self.library.new(
            f"{province.zh}推动人工智能产业集群发展",
            (f"{province.zh}的人工智能产业", f"AI industry in {province.en}"),
            f"{year}-{rng.randint(1, 12):02d}",
        )
        f = PlaceFile(province, rng, self.ids)
        add_jurisdiction(
            f, province, art.say(f"{province.zh}共辖{len(province.children)}个地级市，数字经济规模位居全国前列。")
        )
        province_records(f, art, year)
        art.filler(rng.choice(FILLERS))
        self.write_place("provinces", f)

    def finish(self) -> None:
        for article in self.library.articles:
            self.files[f"seeds/{article.file}"] = article.text()
        head = f"{COMMENT.format(places=self.places, seed=self.seed)}\n"
        self.files["data/sources.yaml"] = head + dump_yaml({"sources": self.library.registry})
        self.files["data/ignored.yaml"] = head + dump_yaml({"ignored": self.library.ignored})
        self.files[MARKER] = f"generated by bench/generate.py --places {self.places} --seed {self.seed}\n"


def province_records(f: PlaceFile, art: Article, year: int) -> None:
    p, rng = f.place, f.rng
    scale, deadline = amount(rng, rng.randint(10, 200) * 100), year + rng.choice([2, 3])
    title = f"{p.zh}推动人工智能产业发展行动方案"
    quote = art.say(f"{year}年，{p.zh}印发《{title}》，提出到{deadline}年全省人工智能核心产业规模突破{scale}亿元。")
    policy = f.add(
        "policies",
        f"{p.id}-ai-programme-{year}",
        [quote],
        jurisdiction=p.id,
        title=name(title, f"{p.en} Action Programme to Promote the AI Industry"),
        kind="action_programme",
        issued=str(year),
    )
    f.add(
        "targets",
        f"{p.id}-industry-scale-{deadline}",
        [quote],
        jurisdiction=p.id,
        policy=policy,
        topic="industry_scale",
        metric=name("全省人工智能核心产业规模", "provincial AI core industry scale"),
        value=f"{scale}亿元以上",
        deadline=str(deadline),
    )
    fund = rng.choice([50, 100, 300])
    quote = art.say(f"省级财政设立总规模{fund}亿元的人工智能产业引导基金。")
    f.add(
        "instruments",
        f"{p.id}-ai-guidance-fund",
        [quote],
        jurisdiction=p.id,
        policy=policy,
        kind="fund",
        name=name("人工智能产业引导基金", "AI industry guidance fund"),
        pool={"amount": f"{fund}亿元", "period": "total"},
    )
    firms = amount(rng, rng.randint(5, 60) * 100)
    quote = art.say(f"{year - 1}年，全省人工智能企业超{firms}家。")
    f.add(
        "indicators",
        f"{p.id}-ai-firms-{year - 1}",
        [quote],
        jurisdiction=p.id,
        topic="ai_firms",
        metric=name("全省人工智能企业", "AI firms in the province"),
        value=f"超{firms}家",
        as_of=str(year - 1),
    )
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    quote = art.say(f"{year}年{month}月{day}日，{p.zh}召开人工智能产业发展大会。")
    f.add(
        "institutions",
        f"{p.id}-ai-conference-{year}",
        [quote],
        jurisdiction=p.id,
        kind="event",
        name=name(f"{p.zh}人工智能产业发展大会", f"{p.en} AI Industry Development Conference"),
        established=f"{year}-{month:02d}-{day:02d}",
    )


def generate(places: int, seed: int) -> dict[str, str]:
    """Every file of the knowledge base: relative path -> text."""
    rng = random.Random(seed)
    scripts = Scripts(opencc.OpenCC("s2t").convert, opencc.OpenCC("t2s").convert)
    generator = Generator(places, seed, rng, Library(seed, random.Random(seed + 1), scripts))
    for top in plan_places(places, rng):
        if top.level == "province":
            generator.province(top)
            for city in top.children:
                generator.city(city)
        else:
            generator.city(top)
    generator.finish()
    return generator.files


def write(out: Path, files: dict[str, str]) -> None:
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).is_file():
            raise SystemExit(f"error: {out} is not empty and was not made by this script; refusing to replace it")
        for part in ("data", "seeds"):
            shutil.rmtree(out / part, ignore_errors=True)
    for relative, text in sorted(files.items()):
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--places", type=int, required=True, help="number of jurisdictions (at least 2)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same bytes)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write data/ and seeds/ into")
    args = parser.parse_args(argv)
    if args.places < 2:
        parser.error("--places must be at least 2 (a province and a city)")
    files = generate(args.places, args.seed)
    write(args.out, files)
    cities = sum(1 for k in files if k.startswith("data/cities/"))
    provinces = sum(1 for k in files if k.startswith("data/provinces/"))
    seeds = sum(1 for k in files if k.startswith("seeds/"))
    print(f"wrote {args.out}: {args.places} places ({provinces} province files, {cities} city files), {seeds} articles")
    return 0


if __name__ == "__main__":
    sys.exit(main())

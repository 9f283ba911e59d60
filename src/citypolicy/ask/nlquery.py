"""A question in English or Chinese mapped to the named query it means, with its parameters.

"compute voucher rates by city" -> vouchers --kind compute; "北京和上海对比" -> compare beijing shanghai.
Intent is scored by the domain's keywords; places, years, amounts and flags are read from the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..load.loader import KnowledgeBase
from ..schema.model import CITY_LEVELS, Topic
from .resolve import normalise_query, place_keys, place_keys_index


@dataclass
class Plan:
    query: str  # vouchers, subsidy, targets, compare, show, indicators, search
    places: list[str] = field(default_factory=list)
    options: dict[str, object] = field(default_factory=dict)

    def command(self) -> str:
        parts = ["citypolicy", self.query]
        if self.query in {"compare", "show"}:
            parts += self.places
        elif self.query == "search":
            parts.append(str(self.options["text"]))
        else:
            parts += [f"--city {p}" for p in self.places]
        for key, value in self.options.items():
            if key == "text":
                continue
            if value is True:
                parts.append(f"--{key.replace('_', '-')}")
            elif value not in (None, False):
                parts.append(f"--{key.replace('_', '-')} {value}")
        return " ".join(parts)


QUERIES = {
    "vouchers": "compute vouchers and subsidies by city: rate, tiers, cap, pool",
    "subsidy": "what a year's compute spend gets back in each city",
    "targets": "targets by deadline, with floor and stretch",
    "compare": "two or more places side by side",
    "show": "one place's profile",
    "indicators": "a figure (AI firms, unicorns, industry scale …) across places",
}

_KEYWORDS: dict[str, tuple[str, ...]] = {
    "vouchers": (
        "voucher",
        "券",
        "rate",
        "比例",
        "补贴比例",
        "subsidy rate",
        "subsidies",
        "compute subsidy",
        "算力补贴",
    ),
    "subsidy": (
        "get back",
        "payout",
        "pay back",
        "how much",
        "spend",
        "spending",
        "能拿",
        "拿多少",
        "返还",
        "计算",
        "calculator",
        "reimburse",
        "worth",
    ),
    "targets": ("target", "goal", "due", "deadline", "目标", "到期", "力争", "aim"),
    "compare": ("compare", "comparison", " vs", "versus", "对比", "比较", "相比", "side by side", "difference"),
    "show": ("profile", "about", "overview", "概况", "介绍", "tell me", "情况", "policies of", "的政策"),
    "indicators": (
        "how many",
        "number of",
        "count of",
        "数量",
        "多少家",
        "firms",
        "企业数",
        "unicorn",
        "独角兽",
        "industry scale",
        "产业规模",
        "规模",
    ),
}
_RANKING_WORDS = (
    "best", "most", "highest", "top ", "rank", "which city", "which place", "哪个城市", "哪座城市", "哪里", "最多",
    "排名", "最划算", "最优惠",
)  # fmt: skip
_TOPIC_WORDS = {
    Topic.UNICORNS: ("unicorn", "独角兽"),
    Topic.INDUSTRY_SCALE: ("industry scale", "industry size", "产业规模", "规模"),
    Topic.FILINGS: ("filing", "备案"),
    Topic.BUDGET: ("budget", "fiscal", "财政", "预算"),
    Topic.AI_FIRMS: ("firm", "compan", "企业"),
}


def _voucher_words() -> dict[str, tuple[str, ...]]:
    """Words naming each voucher kind, from the glossary's table (specific kinds before `compute`)."""
    from ..schema.glossary import INSTRUMENT_KINDS

    words: dict[str, tuple[str, ...]] = {}
    for term in INSTRUMENT_KINDS.tagged("voucher"):
        if term.choice and term.choice != "compute":
            words[term.choice] = (term.zh, term.en, *term.aliases)
    words["compute"] = ("compute", "computing", "算力")
    return words


_AMOUNT = re.compile(
    r"(?:[¥￥]\s*)?\d+(?:[.,]\d+)*\s*(?:万亿|亿|万|兆|million|mn|m|bn|b|k)?\s*(?:元|yuan|rmb|cny)?",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


def plan(kb: KnowledgeBase, question: str) -> Plan | None:
    text = " " + question.lower().strip() + " "
    simplified = normalise_query(question)
    places = _places(kb, question)
    scores = {
        name: sum(1 for w in words if w in text or normalise_query(w) in simplified)
        for name, words in _KEYWORDS.items()
    }
    spend = _spend(question)
    if spend is not None:
        scores["subsidy"] += 3
    if any(w in text for w in _RANKING_WORDS) and (scores["vouchers"] or scores["subsidy"] or "compute" in text):
        scores["subsidy"] += 2  # "which city pays the most", "best compute subsidy": the calculator's ranking
    if len(places) >= 2 and scores["compare"]:
        scores["compare"] += 2
    if len(places) == 1 and not any(scores.values()):
        scores["show"] += 1
    best = max(scores, key=lambda name: (scores[name], -list(QUERIES).index(name)))
    if scores[best] == 0:
        return None
    return _build(best, question, text, places, spend)


def _build(name: str, question: str, text: str, places: list[str], spend: str | None) -> Plan:
    year = _YEAR.search(question)
    if name == "subsidy":
        kind = _voucher_kind(text)
        options: dict[str, object] = {
            "spend": spend or "1000万",
            "kind": kind if kind not in {"all", "compute"} else None,
            "startup": any(w in text for w in ("startup", "start-up", "初创")),
        }
        if any(w in text for w in ("university", "universities", "高校", "大学", "高等院校")):
            options["beneficiary"] = "university"
        elif any(w in text for w in ("research institute", "科研")):
            options["beneficiary"] = "research"
        return Plan("subsidy", places, options)
    if name == "targets":
        return Plan("targets", places, {"due_by": int(year.group(1)) if year else None})
    if name == "compare":
        return Plan("compare", places)
    if name == "show":
        return Plan("show", places[:1]) if places else Plan("search", [], {"text": question.strip()})
    if name == "indicators":
        topic = next((t for t, words in _TOPIC_WORDS.items() if any(w in text for w in words)), Topic.AI_FIRMS)
        return Plan("indicators", places, {"topic": topic.value})
    kind = _voucher_kind(text)
    return Plan("vouchers", places, {"kind": kind})


def _voucher_kind(text: str) -> str:
    simplified = normalise_query(text)
    for kind, words in _voucher_words().items():
        if any(w.lower() in text or normalise_query(w) in simplified for w in words):
            return kind
    return "all"


def _places(kb: KnowledgeBase, question: str) -> list[str]:
    """Places named in the question, in the order they appear (longest names win)."""
    folded = normalise_query(question)
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    pinyin = place_keys_index(kb)
    candidates = sorted(
        (
            (key, place.id)
            for place in kb.jurisdictions.values()
            if place.level in CITY_LEVELS or place.level.value in {"district", "zone"}
            for key in place_keys(place, pinyin[place.id])
            if len(key) >= 2
        ),
        key=lambda pair: -len(pair[0]),
    )
    for key, place_id in candidates:
        if key.isascii() and len(key) <= 2:
            continue  # initials such as "sz" only as whole words
        start = folded.find(key)
        if start < 0 or any(s < start + len(key) and start < e for s, e in taken):
            continue
        if place_id not in {p for _, p in found}:
            found.append((start, place_id))
        taken.append((start, start + len(key)))
    return [place_id for _, place_id in sorted(found)]


def _spend(question: str) -> str | None:
    from .calculator import parse_spend

    for match in _AMOUNT.finditer(question):
        token = match.group(0).strip().replace(" ", "")
        if _YEAR.fullmatch(token) or not token:
            continue
        token = re.sub(r"(?i)million$", "m", token)
        try:
            parse_spend(token)
        except ValueError:
            continue
        has_scale = bool(re.search(r"(?i)[万亿兆mbk¥￥元]|yuan|rmb|cny", token))
        if has_scale:
            return token
    return None


def execute(kb: KnowledgeBase, chosen: Plan):  # type: ignore[no-untyped-def]
    """Run a plan through the same functions as the named commands; returns a present.View."""
    from ..schema.model import Beneficiary
    from . import present, queries
    from .resolve import resolve_place

    places = chosen.places or None
    if chosen.query == "vouchers":
        kind = str(chosen.options.get("kind", "all"))
        return present.vouchers_view(kb, queries.voucher_rows(kb, kind, places), kind)
    if chosen.query == "subsidy":
        from .calculator import Applicant, parse_spend, subsidy
        from .subsidy_view import subsidy_view

        beneficiary = {"university": Beneficiary.UNIVERSITY, "research": Beneficiary.RESEARCH_INSTITUTE}.get(
            str(chosen.options.get("beneficiary")), Beneficiary.ENTERPRISE
        )
        applicant = Applicant(beneficiary, bool(chosen.options.get("startup")))
        kind = chosen.options.get("kind")
        kinds = queries.kinds_for(str(kind)) if kind else None
        result = subsidy(kb, parse_spend(str(chosen.options["spend"])), applicant, places, kinds)
        return subsidy_view(kb, result)
    if chosen.query == "targets":
        due_by = chosen.options.get("due_by")
        return present.targets_view(kb, queries.targets(kb, places, due_by if isinstance(due_by, int) else None))
    if chosen.query == "compare":
        found = [resolve_place(kb, p) for p in chosen.places] or queries.cities(kb)
        return present.compare_view(kb, queries.compare(kb, found))
    if chosen.query == "show":
        from .profile_view import profile_view

        return profile_view(kb, queries.profile(kb, resolve_place(kb, chosen.places[0])))
    if chosen.query == "indicators":
        topic = Topic(str(chosen.options.get("topic", Topic.AI_FIRMS.value)))
        return present.indicators_view(kb, queries.indicators(kb, topic, places), topic)
    from .resolve import did_you_mean, search, search_entries

    text = str(chosen.options["text"])
    entries = search_entries(kb)
    hits = search(kb, text, 10, entries)
    return present.search_view(kb, text, hits, [] if hits else did_you_mean(kb, text, entries))

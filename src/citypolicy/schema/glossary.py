"""The domain's vocabularies: one table each, with zh/en labels and the words people use for a term.

Every command, report and page reads these tables: the schema's enums are built from them, data
files may write a term in Chinese (`kind: 算力券`, `period: 每年`), `vouchers --kind`, `query` and
`search` recognise the aliases, and labels come from here. Adding a kind of voucher is one line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

NOT_STATED = {"en": "not stated in the sources", "zh": "来源未说明"}


@dataclass(frozen=True)
class Term:
    value: str  # as written in data files and on the command line
    zh: str
    en: str
    aliases: tuple[str, ...] = ()  # other words for it, in either language; matched script- and case-blind
    tags: frozenset[str] = frozenset()  # e.g. "voucher", "compute" for instrument kinds
    choice: str | None = None  # short name for `--kind` (vouchers): compute, training, labelling …

    def label(self, lang: str = "en") -> str:
        return self.zh if lang == "zh" else self.en


class Vocabulary:
    """A closed list of terms; `enum` is the StrEnum the schema uses."""

    def __init__(self, name: str, enum_name: str, terms: list[Term]):
        self.name = name
        self.terms = tuple(terms)
        # Named as a module attribute (below) so that pickle, and so the cache, can find it again.
        self.enum: type[StrEnum] = StrEnum(  # type: ignore[misc]
            enum_name, [(t.value.upper(), t.value) for t in terms], module=__name__
        )
        globals()[enum_name] = self.enum
        self.by_value = {t.value: t for t in terms}

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms)

    def __getitem__(self, value: object) -> Term:
        return self.by_value[str(value)]

    def tagged(self, tag: str) -> list[Term]:
        return [t for t in self.terms if tag in t.tags]

    @cached_property
    def _words(self) -> dict[str, str]:
        from ..core.textnorm import fold_key

        words: dict[str, str] = {}
        for term in self.terms:
            for word in (term.value, term.zh, term.en, *term.aliases):
                words.setdefault(fold_key(word).replace(" ", "").replace("-", "_"), term.value)
        return words

    def lookup(self, text: str) -> Term | None:
        """The term `text` names: its value, zh or en label or an alias, in either script."""
        from ..core.textnorm import fold_key

        value = self._words.get(fold_key(text).replace(" ", "").replace("-", "_"))
        return self.by_value[value] if value else None

    def coerce(self, value: object) -> object:
        """For the schema: a term written in Chinese or as an alias becomes its value; an unknown
        word is an error that names the closest terms."""
        if not isinstance(value, str) or value in self.by_value:
            return value
        term = self.lookup(value)
        if term is not None:
            return term.value
        raise ValueError(self.unknown_message(value))

    def unknown_message(self, value: str) -> str:
        from rapidfuzz import fuzz, process

        from ..core.textnorm import fold_key

        words = {
            (fold_key(word), term.value): term
            for term in self
            for word in (term.value, term.zh, term.en, *term.aliases)
        }
        best = process.extractOne(fold_key(value), {key: key[0] for key in words}, scorer=fuzz.ratio, score_cutoff=60)
        hint = ""
        if best:
            term = words[best[2]]
            hint = f"; did you mean {term.value} ({term.zh})?"
        listed = ", ".join(f"{t.value} ({t.zh})" for t in self)
        return f"'{value}' is not a {self.name}{hint or '.'} Write one of: {listed}"


def _t(value: str, zh: str, en: str, *aliases: str, tags: str = "", choice: str | None = None) -> Term:
    return Term(value, zh, en, aliases, frozenset(tags.split()), choice)


INSTRUMENT_KINDS = Vocabulary(
    "kind of instrument",
    "InstrumentKind",
    [
        _t("compute_voucher", "算力券", "compute voucher", "计算券", "computing voucher", "suanliquan",
           tags="voucher compute", choice="compute"),
        _t("training_voucher", "训力券", "training-compute voucher", "训练券", "训练算力券", "training voucher",
           "training compute voucher", "xunliquan", tags="voucher compute", choice="training"),
        _t("compute_subsidy", "算力补贴", "compute subsidy", "computing subsidy", "算力补助", tags="compute"),
        _t("corpus_voucher", "语料券", "corpus voucher", "corpus", tags="voucher", choice="corpus"),
        _t("model_voucher", "模型券", "model voucher", tags="voucher", choice="model"),
        _t("labelling_voucher", "标注券", "data-labelling voucher", "数据标注券", "labelling voucher",
           "labeling voucher", "annotation voucher", tags="voucher", choice="labelling"),
        _t("data_voucher", "数据券", "data voucher", tags="voucher", choice="data"),
        _t("scenario_voucher", "场景券", "scenario voucher", tags="voucher", choice="scenario"),
        _t("innovation_voucher", "创新券", "innovation voucher", "科技创新券", tags="voucher", choice="innovation"),
        _t("research_funding", "研发资助", "research funding", "科研资助"),
        _t("grant", "资金支持", "grant", "资助"),
        _t("fund", "产业基金", "industry fund", "基金", "fund"),
        _t("award", "奖励", "award", "奖金"),
        _t("loan_interest_subsidy", "贷款贴息", "loan interest subsidy", "贴息"),
        _t("loan_risk_compensation", "贷款风险补偿", "loan risk compensation", "风险补偿"),
        _t("digitalisation_subsidy", "数字化改造补贴", "digitalisation subsidy", "数字化转型补贴"),
        _t("talent", "人才支持", "talent support", "人才补贴"),
        _t("housing", "住房保障", "housing benefit", "住房", "住宿"),
        _t("scenario_programme", "场景开放", "scenario programme", "揭榜挂帅", "open call", "open-call challenge"),
        _t("other", "其他", "other"),
    ],
)  # fmt: skip

POLICY_KINDS = Vocabulary(
    "kind of policy",
    "PolicyKind",
    [
        _t("regulation", "条例", "regulation", "law", "法规"),
        _t("measures", "若干措施", "measures", "措施"),
        _t("action_plan", "行动计划", "action plan"),
        _t("action_programme", "行动方案", "action programme"),
        _t("implementation_plan", "实施方案", "implementation plan"),
        _t("work_report", "政府工作报告", "government work report", "工作报告"),
        _t("policy", "政策", "policy", "政策文件"),
        _t("event", "活动", "event", "发布会", "press conference", "会议"),
        _t("designation", "认定", "designation", "称号", "授牌"),
        _t("statement", "表态", "statement", "讲话", "提出"),
    ],
)

LEVELS = Vocabulary(
    "level of place",
    "Level",
    [
        _t("province", "省", "province", "省份"),
        _t("municipality", "直辖市", "municipality"),
        _t("city", "市", "city", "地级市", "城市"),
        _t("district", "区", "district", "县", "区县"),
        _t("zone", "园区", "zone", "试验区", "片区", "新区"),
    ],
)

BENEFICIARIES = Vocabulary(
    "kind of beneficiary",
    "Beneficiary",
    [
        _t("enterprise", "企业", "enterprises", "enterprise", "firm", "firms", "公司"),
        _t("startup", "初创企业", "startups", "startup", "start-up", "新创企业"),
        _t("sme", "中小企业", "SMEs", "SME", "中小微企业"),
        _t("university", "高等院校", "universities", "university", "高校", "大学"),
        _t("research_institute", "科研机构", "research institutes", "research", "research institute", "科研院所"),
        _t("individual", "个人", "individuals", "person", "人才"),
        _t("labelling_platform", "标注平台", "data-labelling platforms", "数据标注平台", "labelling platform"),
    ],
)

PER = Vocabulary(
    "unit a cap applies to",
    "Per",
    [
        _t(
            "recipient",
            "每个主体",
            "per recipient",
            "企业",
            "每家企业",
            "每个企业",
            "单个企业",
            "单家企业",
            "单个主体",
            "每户",
        ),
        _t("project", "每个项目", "per project", "项目", "单个项目", "每项"),
        _t("contract", "每份合同", "per contract", "合同", "单个合同", "单份合同"),
        _t("person", "每人", "per person", "个人", "每名"),
    ],
)

PERIODS = Vocabulary(
    "period",
    "Period",
    [
        _t("year", "每年", "a year", "年度", "每年度", "annual", "yearly", "per year"),
        _t("total", "总额", "in total", "合计", "累计", "总计"),
        _t("unspecified", "期限未说明", "period not stated", "未说明"),
    ],
)

TOPICS = Vocabulary(
    "topic",
    "Topic",
    [
        _t("ai_firms", "人工智能企业", "AI firms", "firms", "企业数量"),
        _t("unicorns", "独角兽企业", "unicorns", "独角兽", "unicorn"),
        _t("listed_firms", "上市企业", "listed firms"),
        _t("industry_scale", "产业规模", "industry scale", "规模"),
        _t("revenue", "营收", "revenue", "营业收入"),
        _t("compute", "算力", "compute", "computing power"),
        _t("filings", "备案", "filings", "filing"),
        _t("talent", "人才", "talent"),
        _t("research", "研发", "research", "R&D"),
        _t("patents", "专利", "patents"),
        _t("budget", "财政", "budget", "fiscal", "预算"),
        _t("economy", "经济", "economy", "GDP"),
        _t("contest", "赛事", "contests", "比赛", "contest"),
        _t("ranking", "榜单", "rankings", "排名", "ranking"),
        _t("investment", "投资", "investment"),
        _t("infrastructure", "基础设施", "infrastructure"),
        _t("adoption", "应用", "adoption", "应用场景"),
        _t("other", "其他", "other"),
    ],
)

TARGET_STATUSES = Vocabulary(
    "target status",
    "TargetStatus",
    [
        _t("achieved_early", "提前完成", "achieved early"),
        _t("achieved", "已完成", "achieved", "完成"),
        _t("in_progress", "推进中", "in progress"),
        _t("not_met", "未完成", "not met"),
    ],
)

INSTITUTION_KINDS = Vocabulary(
    "kind of institution",
    "InstitutionKind",
    [
        _t("incubator", "孵化器", "incubator", "孵化空间"),
        _t("lab", "实验室", "laboratory", "lab"),
        _t("platform", "平台", "platform"),
        _t("agency", "机构", "agency", "办公室", "局"),
        _t("committee", "委员会", "committee"),
        _t("park", "产业园", "park", "园区"),
        _t("contest", "赛事", "contest", "大赛"),
        _t("programme", "计划", "programme", "项目"),
        _t("event", "活动", "event", "大会"),
        _t("university", "高校", "university", "大学"),
    ],
)

SCRIPTS = Vocabulary(
    "script",
    "Script",
    [
        _t("traditional", "繁体", "Traditional", "繁體"),
        _t("simplified", "简体", "Simplified"),
    ],
)

AUTHORITY_LEVELS = Vocabulary(
    "level of authority",
    "AuthorityLevel",
    [
        _t("national", "国家", "national", "中央", "国务院"),
        _t("province", "省级", "provincial", "省"),
        _t("city", "市级", "city", "市"),
        _t("district", "区级", "district", "区"),
        _t("agency", "部门", "agency", "局", "委员会"),
    ],
)

VOCABULARIES = (
    INSTRUMENT_KINDS,
    POLICY_KINDS,
    LEVELS,
    BENEFICIARIES,
    PER,
    PERIODS,
    TOPICS,
    TARGET_STATUSES,
    INSTITUTION_KINDS,
    SCRIPTS,
    AUTHORITY_LEVELS,
)
_BY_ENUM: dict[type, Vocabulary] = {v.enum: v for v in VOCABULARIES}


def vocabulary_of(value: object) -> Vocabulary | None:
    return _BY_ENUM.get(type(value))


def label(value: object, lang: str = "en") -> str:
    """The zh or en label of a vocabulary member (enum value); other values as text."""
    vocabulary = _BY_ENUM.get(type(value))
    if vocabulary is None:
        return str(value)
    return vocabulary[value].label(lang)


# Words a reader may type for a policy term that is not a vocabulary member; searched as the term.
SYNONYMS: dict[str, tuple[str, ...]] = {
    **{t.zh: (t.en, *t.aliases) for t in INSTRUMENT_KINDS.tagged("voucher") + INSTRUMENT_KINDS.tagged("compute")},
    "揭榜挂帅": ("open call", "open-call challenge"),
    "独角兽": ("unicorn", "unicorns"),
    "若干措施": ("measures",),
    "行动计划": ("action plan",),
    "条例": ("regulation", "law"),
}

# Voucher choices for `vouchers --kind`: every voucher kind's short name, plus the two groups.
VOUCHER_GROUPS = {
    "compute": "everything that pays for compute: 算力券, 训力券, 算力补贴",
    "all": "every voucher kind and compute subsidy",
}


def voucher_choices() -> list[str]:
    return ["compute", *(t.choice for t in INSTRUMENT_KINDS.tagged("voucher") if t.choice != "compute"), "all"]


def kinds_for(choice: str) -> set[str]:
    """Instrument kind values for a `--kind` choice (a short name, a kind value, zh or alias)."""
    if choice == "compute":
        return {t.value for t in INSTRUMENT_KINDS.tagged("compute")}
    if choice == "all":
        return {t.value for t in INSTRUMENT_KINDS.tagged("voucher") + INSTRUMENT_KINDS.tagged("compute")}
    for term in INSTRUMENT_KINDS:
        if choice == term.choice:
            return {term.value}
    term = INSTRUMENT_KINDS.lookup(choice)
    if term is not None and (term.tags & {"voucher", "compute"}):
        return {term.value}
    raise ValueError(f"unknown voucher kind '{choice}': choose from {', '.join(voucher_choices())}")

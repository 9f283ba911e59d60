"""Labels in both languages for the schema's vocabularies, and the domain's synonyms for search."""

from __future__ import annotations

from .model import (
    Beneficiary,
    InstitutionKind,
    InstrumentKind,
    Level,
    Per,
    Period,
    PolicyKind,
    TargetStatus,
    Topic,
)

NOT_STATED = {"en": "not stated in the sources", "zh": "来源未说明"}

# Keyed by member: several vocabularies share values ("talent", "contest", "other"), and StrEnum
# members equal to the same string would collide in a plain dict, so keys are (type, value).
_LABEL_LIST: list[tuple[object, tuple[str, str]]] = [
    (InstrumentKind.COMPUTE_VOUCHER, ("算力券", "compute voucher")),
    (InstrumentKind.TRAINING_VOUCHER, ("训力券", "training-compute voucher")),
    (InstrumentKind.CORPUS_VOUCHER, ("语料券", "corpus voucher")),
    (InstrumentKind.MODEL_VOUCHER, ("模型券", "model voucher")),
    (InstrumentKind.COMPUTE_SUBSIDY, ("算力补贴", "compute subsidy")),
    (InstrumentKind.RESEARCH_FUNDING, ("研发资助", "research funding")),
    (InstrumentKind.GRANT, ("资金支持", "grant")),
    (InstrumentKind.FUND, ("产业基金", "industry fund")),
    (InstrumentKind.AWARD, ("奖励", "award")),
    (InstrumentKind.LOAN_INTEREST_SUBSIDY, ("贷款贴息", "loan interest subsidy")),
    (InstrumentKind.LOAN_RISK_COMPENSATION, ("贷款风险补偿", "loan risk compensation")),
    (InstrumentKind.DIGITALISATION_SUBSIDY, ("数字化改造补贴", "digitalisation subsidy")),
    (InstrumentKind.TALENT, ("人才支持", "talent support")),
    (InstrumentKind.HOUSING, ("住房保障", "housing benefit")),
    (InstrumentKind.SCENARIO_PROGRAMME, ("场景开放", "scenario programme")),
    (InstrumentKind.OTHER, ("其他", "other")),
    (PolicyKind.REGULATION, ("条例", "regulation")),
    (PolicyKind.MEASURES, ("若干措施", "measures")),
    (PolicyKind.ACTION_PLAN, ("行动计划", "action plan")),
    (PolicyKind.ACTION_PROGRAMME, ("行动方案", "action programme")),
    (PolicyKind.IMPLEMENTATION_PLAN, ("实施方案", "implementation plan")),
    (PolicyKind.WORK_REPORT, ("政府工作报告", "government work report")),
    (PolicyKind.POLICY, ("政策", "policy")),
    (Level.PROVINCE, ("省", "province")),
    (Level.MUNICIPALITY, ("直辖市", "municipality")),
    (Level.CITY, ("市", "city")),
    (Level.DISTRICT, ("区", "district")),
    (Level.ZONE, ("园区", "zone")),
    (Beneficiary.ENTERPRISE, ("企业", "enterprises")),
    (Beneficiary.STARTUP, ("初创企业", "startups")),
    (Beneficiary.SME, ("中小企业", "SMEs")),
    (Beneficiary.UNIVERSITY, ("高等院校", "universities")),
    (Beneficiary.RESEARCH_INSTITUTE, ("科研机构", "research institutes")),
    (Beneficiary.INDIVIDUAL, ("个人", "individuals")),
    (Per.RECIPIENT, ("每个主体", "per recipient")),
    (Per.PROJECT, ("每个项目", "per project")),
    (Per.PERSON, ("每人", "per person")),
    (Period.YEAR, ("每年", "a year")),
    (Period.TOTAL, ("总额", "in total")),
    (Period.UNSPECIFIED, ("", "")),
    (TargetStatus.ACHIEVED_EARLY, ("提前完成", "achieved early")),
    (TargetStatus.ACHIEVED, ("已完成", "achieved")),
    (TargetStatus.IN_PROGRESS, ("推进中", "in progress")),
    (TargetStatus.NOT_MET, ("未完成", "not met")),
    (Topic.AI_FIRMS, ("人工智能企业", "AI firms")),
    (Topic.UNICORNS, ("独角兽企业", "unicorns")),
    (Topic.LISTED_FIRMS, ("上市企业", "listed firms")),
    (Topic.INDUSTRY_SCALE, ("产业规模", "industry scale")),
    (Topic.REVENUE, ("营收", "revenue")),
    (Topic.COMPUTE, ("算力", "compute")),
    (Topic.FILINGS, ("备案", "filings")),
    (Topic.TALENT, ("人才", "talent")),
    (Topic.RESEARCH, ("研发", "research")),
    (Topic.PATENTS, ("专利", "patents")),
    (Topic.BUDGET, ("财政", "budget")),
    (Topic.ECONOMY, ("经济", "economy")),
    (Topic.CONTEST, ("赛事", "contests")),
    (Topic.RANKING, ("榜单", "rankings")),
    (Topic.INVESTMENT, ("投资", "investment")),
    (Topic.INFRASTRUCTURE, ("基础设施", "infrastructure")),
    (Topic.ADOPTION, ("应用", "adoption")),
    (Topic.OTHER, ("其他", "other")),
    (InstitutionKind.INCUBATOR, ("孵化器", "incubator")),
    (InstitutionKind.LAB, ("实验室", "laboratory")),
    (InstitutionKind.PLATFORM, ("平台", "platform")),
    (InstitutionKind.AGENCY, ("机构", "agency")),
    (InstitutionKind.COMMITTEE, ("委员会", "committee")),
    (InstitutionKind.PARK, ("产业园", "park")),
    (InstitutionKind.CONTEST, ("赛事", "contest")),
    (InstitutionKind.PROGRAMME, ("计划", "programme")),
    (InstitutionKind.EVENT, ("活动", "event")),
    (InstitutionKind.UNIVERSITY, ("高校", "university")),
]


LABELS: dict[tuple[type, str], tuple[str, str]] = {}


def _register(pairs: list[tuple[object, tuple[str, str]]]) -> None:
    for member, names in pairs:
        LABELS[(type(member), str(member))] = names


_register(_LABEL_LIST)


def label(value: object, lang: str = "en") -> str:
    zh, en = LABELS.get((type(value), str(value)), (str(value), str(value)))
    return zh if lang == "zh" else en


# Words a reader may type for a policy term; searched as if they were the term itself.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "训力券": ("训练券", "训练算力券", "training voucher", "training compute voucher", "xunliquan"),
    "算力券": ("计算券", "compute voucher", "computing voucher", "suanliquan"),
    "算力补贴": ("compute subsidy", "computing subsidy"),
    "语料券": ("数据券", "corpus voucher", "data voucher"),
    "模型券": ("model voucher",),
    "揭榜挂帅": ("open call", "open-call challenge"),
    "独角兽": ("unicorn", "unicorns"),
    "若干措施": ("measures",),
    "行动计划": ("action plan",),
    "条例": ("regulation", "law"),
}

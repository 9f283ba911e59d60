"""The record schema: what a place file, the sources registry and the ignore list may hold.

Every model forbids unknown keys. Quantities and dates are typed as analysts write them
(`最高1000万元`, `2024-late`) and validated into normalised values.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
    model_validator,
)

from ..core.dates import PartialDate, parse_date
from ..core.quantity import Quantity, Unit, parse_quantity

# --------------------------------------------------------------------------- typed scalars

MAX_QUOTE = 1000  # characters: a quote is the sentence that states a figure, not the article
ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Id = Annotated[
    str,
    Field(pattern=ID_PATTERN, min_length=1, max_length=80, description="lowercase-with-hyphens id"),
]


def _quantity_type(units: set[Unit] | None, default: Unit | None, example: str) -> Any:
    def validate(value: object) -> Quantity:
        quantity = value if isinstance(value, Quantity) else parse_quantity(value, default)
        if units is not None and quantity.unit not in units:
            wanted = " or ".join(sorted(u.value for u in units))
            raise ValueError(f"{quantity.text} is a {quantity.unit.value} quantity; expected {wanted}")
        if quantity.unit is Unit.RATIO:
            _check_ratio(quantity)
        _check_magnitude(quantity)
        return quantity

    return Annotated[
        Quantity,
        PlainValidator(validate),
        PlainSerializer(lambda q: q.to_json()),
        WithJsonSchema(
            {
                "type": "string",
                "description": "a quantity as the source writes it",
                "examples": [example],
            }
        ),
    ]


MAX_MAGNITUDE = Decimal(10) ** 18  # 100亿亿: above any figure a policy states, within a 64-bit integer


def _check_magnitude(quantity: Quantity) -> None:
    for value in (quantity.value, quantity.high):
        if value is not None and abs(value) > MAX_MAGNITUDE:
            raise ValueError(f"{quantity.text} is larger than any figure a source states (at most 10^18)")


def _check_ratio(quantity: Quantity) -> None:
    for value in (quantity.value, quantity.high):
        if value is not None and value > 1:
            raise ValueError(f"{quantity.text} is above 100%")
        if value is not None and value < 0:
            raise ValueError(f"{quantity.text} is below 0%")


Money = _quantity_type({Unit.CNY}, Unit.CNY, "最高1000万元")
Years = _quantity_type({Unit.YEARS}, Unit.YEARS, "5年")
Ratio = _quantity_type({Unit.RATIO}, Unit.RATIO, "50%")
AnyQuantity = _quantity_type(None, None, "2600余家")


def _validate_date(value: object) -> PartialDate:
    return value if isinstance(value, PartialDate) else parse_date(value)


Date = Annotated[
    PartialDate,
    PlainValidator(_validate_date),
    PlainSerializer(str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?(-(early|mid|late))?$",
            "description": "2025, 2025-03, 2025-03-03, or with a part: 2024-late, 2024-07-late",
        }
    ),
]


# --------------------------------------------------------------------------- vocabularies


class Level(StrEnum):
    PROVINCE = "province"
    MUNICIPALITY = "municipality"  # province-level city: Beijing, Shanghai
    CITY = "city"
    DISTRICT = "district"
    ZONE = "zone"


CITY_LEVELS = frozenset({Level.CITY, Level.MUNICIPALITY})


class PolicyKind(StrEnum):
    REGULATION = "regulation"  # 条例
    MEASURES = "measures"  # 若干措施
    ACTION_PLAN = "action_plan"  # 行动计划
    ACTION_PROGRAMME = "action_programme"  # 行动方案
    IMPLEMENTATION_PLAN = "implementation_plan"  # 实施方案
    WORK_REPORT = "work_report"  # 政府工作报告
    POLICY = "policy"  # a policy the source names without a title (e.g. 训力券政策)


class InstrumentKind(StrEnum):
    COMPUTE_VOUCHER = "compute_voucher"  # 算力券
    TRAINING_VOUCHER = "training_voucher"  # 训力券
    CORPUS_VOUCHER = "corpus_voucher"  # 语料券
    MODEL_VOUCHER = "model_voucher"  # 模型券
    COMPUTE_SUBSIDY = "compute_subsidy"  # 算力补贴
    RESEARCH_FUNDING = "research_funding"
    GRANT = "grant"
    FUND = "fund"
    AWARD = "award"
    LOAN_INTEREST_SUBSIDY = "loan_interest_subsidy"  # 贷款贴息
    LOAN_RISK_COMPENSATION = "loan_risk_compensation"  # 贷款风险补偿
    DIGITALISATION_SUBSIDY = "digitalisation_subsidy"  # 数字化改造补贴
    TALENT = "talent"
    HOUSING = "housing"
    SCENARIO_PROGRAMME = "scenario_programme"  # 揭榜挂帅, open scenarios
    OTHER = "other"


VOUCHER_KINDS = {
    "compute": InstrumentKind.COMPUTE_VOUCHER,
    "training": InstrumentKind.TRAINING_VOUCHER,
    "corpus": InstrumentKind.CORPUS_VOUCHER,
    "model": InstrumentKind.MODEL_VOUCHER,
}
COMPUTE_KINDS = frozenset(
    {InstrumentKind.COMPUTE_VOUCHER, InstrumentKind.TRAINING_VOUCHER, InstrumentKind.COMPUTE_SUBSIDY}
)


class Beneficiary(StrEnum):
    ENTERPRISE = "enterprise"
    STARTUP = "startup"
    SME = "sme"
    UNIVERSITY = "university"
    RESEARCH_INSTITUTE = "research_institute"
    INDIVIDUAL = "individual"


class Per(StrEnum):
    RECIPIENT = "recipient"
    PROJECT = "project"
    PERSON = "person"


class Period(StrEnum):
    YEAR = "year"
    TOTAL = "total"
    UNSPECIFIED = "unspecified"


class Topic(StrEnum):
    AI_FIRMS = "ai_firms"
    UNICORNS = "unicorns"
    LISTED_FIRMS = "listed_firms"
    INDUSTRY_SCALE = "industry_scale"
    REVENUE = "revenue"
    COMPUTE = "compute"
    FILINGS = "filings"  # 备案
    TALENT = "talent"
    RESEARCH = "research"  # R&D, key technologies, products
    PATENTS = "patents"
    BUDGET = "budget"
    ECONOMY = "economy"
    CONTEST = "contest"
    RANKING = "ranking"
    INVESTMENT = "investment"
    INFRASTRUCTURE = "infrastructure"
    ADOPTION = "adoption"  # deployments, scenarios, applications
    OTHER = "other"


class TargetStatus(StrEnum):
    ACHIEVED_EARLY = "achieved_early"  # 提前完成
    ACHIEVED = "achieved"
    IN_PROGRESS = "in_progress"
    NOT_MET = "not_met"


class InstitutionKind(StrEnum):
    INCUBATOR = "incubator"
    LAB = "lab"
    PLATFORM = "platform"
    AGENCY = "agency"
    COMMITTEE = "committee"
    PARK = "park"
    CONTEST = "contest"
    PROGRAMME = "programme"
    EVENT = "event"
    UNIVERSITY = "university"


class Script(StrEnum):
    TRADITIONAL = "traditional"
    SIMPLIFIED = "simplified"


# --------------------------------------------------------------------------- records


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True)

    def __reduce__(self) -> tuple[object, ...]:
        # Records are pickled by the cache by the thousand; this keeps them small and quick to read
        # back, restoring the same four attributes pydantic's own __setstate__ restores.
        return (_restore, (type(self), self.__dict__, self.__pydantic_fields_set__))


def _restore(cls: type[BaseModel], values: dict[str, Any], fields_set: set[str]) -> BaseModel:
    record = cls.__new__(cls)
    object.__setattr__(record, "__dict__", values)
    object.__setattr__(record, "__pydantic_fields_set__", fields_set)
    object.__setattr__(record, "__pydantic_extra__", None)
    object.__setattr__(record, "__pydantic_private__", None)
    return record


class Name(Strict):
    zh: str = Field(min_length=1, description="Chinese, Simplified script")
    en: str = Field(min_length=1)


class Citation(Strict):
    document: str = Field(min_length=1, description="file name of a source in seeds/")
    quote: str = Field(
        min_length=4,
        max_length=MAX_QUOTE,
        description="verbatim passage (script, spaces, punctuation width may differ)",
    )


class YearSpan(Strict):
    start: int = Field(ge=1900, le=2100)
    end: int = Field(ge=1900, le=2100)

    @model_validator(mode="after")
    def _ordered(self) -> YearSpan:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")
        return self

    def __str__(self) -> str:
        return f"{self.start}–{self.end}"


class Record(Strict):
    id: Id
    jurisdiction: Id
    sources: list[Citation] = Field(min_length=1)
    note: str | None = None


class Jurisdiction(Strict):
    id: Id
    level: Level
    parent: Id | None = None
    name: Name
    aliases: list[str] = []
    established: Date | None = Field(default=None, description="when the place was founded (建市), if a source says")
    sources: list[Citation] = Field(min_length=1)
    note: str | None = None


class Policy(Record):
    title: Name
    short_names: list[str] = []
    kind: PolicyKind
    issuer: list[Name] = []
    issued: Date | None = None
    period: YearSpan | None = None
    supersedes: Id | None = None
    summary: Name | None = None


class Limit(Strict):
    amount: Money
    per: Per = Per.RECIPIENT
    period: Period = Period.UNSPECIFIED
    over: Years | None = Field(default=None, description="for a total over several years, e.g. 5年")

    @property
    def years(self) -> int | None:
        return int(self.over.value) if self.over is not None and self.over.value >= 1 else None


class Pool(Strict):
    amount: Money
    period: Period = Period.UNSPECIFIED


class Tier(Strict):
    group: Beneficiary
    rate: Ratio | None = None
    cap: Limit | None = None


class Instrument(Record):
    policy: Id | None = None
    kind: InstrumentKind
    name: Name
    summary: Name | None = None
    rate: Ratio | None = None
    rate_basis: Name | None = Field(default=None, description="what the rate is a share of")
    tiers: list[Tier] = []
    cap: Limit | None = None
    pool: Pool | None = None
    beneficiaries: list[Beneficiary] = []
    benefit: AnyQuantity | None = Field(default=None, description="a benefit that is not money, e.g. 15天")
    benefit_before: AnyQuantity | None = Field(default=None, description="the benefit before this change")
    launched: Date | None = None


class Target(Record):
    policy: Id | None = None
    topic: Topic
    metric: Name
    value: AnyQuantity | None = None
    stretch: AnyQuantity | None = Field(default=None, description="力争: the level strived for")
    deadline: Date | None = None
    status: TargetStatus | None = None

    @model_validator(mode="after")
    def _same_unit(self) -> Target:
        if self.value and self.stretch and self.value.unit != self.stretch.unit:
            raise ValueError(f"value ({self.value.text}) and stretch ({self.stretch.text}) use different units")
        return self


class Indicator(Record):
    topic: Topic
    metric: Name
    value: AnyQuantity
    as_of: Date
    period: YearSpan | None = Field(default=None, description="for a total over several years")
    subject: Id | None = Field(default=None, description="the institution, policy or instrument it is about")


class Institution(Record):
    kind: InstitutionKind
    name: Name
    aliases: list[str] = []
    established: Date | None = None
    summary: Name | None = None


class PlaceFile(Strict):
    """One file in data/cities/ or data/provinces/: a place, its sub-places and their records."""

    id: Id
    jurisdictions: list[Jurisdiction] = Field(min_length=1)
    policies: list[Policy] = []
    instruments: list[Instrument] = []
    targets: list[Target] = []
    indicators: list[Indicator] = []
    institutions: list[Institution] = []


RECORD_SECTIONS = ("policies", "instruments", "targets", "indicators", "institutions")


class Source(Strict):
    file: str = Field(pattern=r"^[\w.-]+\.txt$", description="file name in seeds/")
    outlet: Name
    headline: Name | None = Field(default=None, description="as printed; absent when the text has none")
    topic: Name = Field(description="a one-line description, used where no headline is printed")
    published: Date
    date_basis: str = Field(min_length=1, description="how the date was inferred from the text")
    script: Script
    url: str | None = Field(default=None, pattern=r"^https?://")


class SourcesFile(Strict):
    sources: list[Source] = Field(min_length=1)


class IgnoredPassage(Strict):
    document: str
    quote: str = Field(min_length=2, max_length=MAX_QUOTE)
    mentions: list[str] = Field(default=[], description="only these mentions (as written); all if empty")
    reason: str = Field(min_length=3)


class IgnoredFile(Strict):
    ignored: list[IgnoredPassage] = []

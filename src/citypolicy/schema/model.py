"""The record schema: what a place file, the sources registry and the ignore list may hold.

Every model forbids unknown keys. Quantities and dates are typed as analysts write them
(`最高1000万元`, `2024-late`) and validated into normalised values.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
    model_validator,
)

from ..core.dates import PartialDate, parse_date
from ..core.quantity import Bound, Quantity, Unit, parse_quantity
from .glossary import (
    AUTHORITY_LEVELS,
    BENEFICIARIES,
    INSTITUTION_KINDS,
    INSTRUMENT_KINDS,
    LEVELS,
    PER,
    PERIODS,
    POLICY_KINDS,
    SCRIPTS,
    TARGET_STATUSES,
    TOPICS,
    Vocabulary,
)

# --------------------------------------------------------------------------- typed scalars

MAX_QUOTE = 1000  # characters: a quote is the sentence that states a figure, not the article
ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Id = Annotated[
    str,
    Field(pattern=ID_PATTERN, min_length=1, max_length=80, description="lowercase-with-hyphens id"),
]


_QUANTITY_KEYS = {"text", "unit", "bound", "derived"}
_CONTEXT_BOUNDS = (Bound.EXACT, Bound.AT_MOST, Bound.AT_LEAST, Bound.APPROX)


def _quantity_type(units: set[Unit] | None, default: Unit | None, example: str) -> Any:
    def validate(value: object) -> Quantity:
        if isinstance(value, Quantity):
            quantity = value
        elif isinstance(value, dict):
            quantity = _declared_quantity(value, default)
        else:
            quantity = parse_quantity(value, default)
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
                "oneOf": [
                    {"type": "string", "description": "a quantity as the source writes it", "examples": [example]},
                    {
                        "type": "object",
                        "description": "a quantity whose unit the sentence leaves implicit, or that is derived",
                        "properties": {
                            "text": {"type": "string", "description": "as the source writes it"},
                            "unit": {"enum": [u.value for u in Unit], "description": "the unit the text implies"},
                            "bound": {
                                "enum": [b.value for b in _CONTEXT_BOUNDS],
                                "description": "the bound its sentence gives it (不超过…的50%, 据不完全统计)",
                            },
                            "derived": {"type": "string", "description": "how the figure follows from the quote"},
                        },
                        "required": ["text"],
                        "additionalProperties": False,
                    },
                ]
            }
        ),
    ]


def _declared_quantity(value: dict[str, object], default: Unit | None) -> Quantity:
    """{text: 千亿级, unit: cny}: the unit a sentence implies; {text: …, derived: why}: a derivation."""
    unknown = sorted(set(value) - _QUANTITY_KEYS)
    if unknown:
        raise ValueError(f"unknown key '{unknown[0]}' in a quantity: use text, unit and derived")
    if "text" not in value:
        raise ValueError("a quantity written as a mapping needs 'text': the figure as the source writes it")
    unit = None
    if value.get("unit") is not None:
        try:
            unit = Unit(str(value["unit"]))
        except ValueError:
            raise ValueError(
                f"'{value['unit']}' is not a unit: use one of {', '.join(u.value for u in Unit)}"
            ) from None
    quantity = parse_quantity(value["text"], unit or default)
    if unit is not None and quantity.unit is not unit:
        raise ValueError(f"{quantity.text} already states its unit ({quantity.unit.value}): remove 'unit'")
    bound = _declared_bound(value.get("bound"), quantity)
    derived = value.get("derived")
    if derived is not None and (not isinstance(derived, str) or len(derived.strip()) < 3):
        raise ValueError("'derived' must say in words how the figure follows from the quote")
    return replace(
        quantity, bound=bound, unit_declared=unit is not None, derivation=derived.strip() if derived else None
    )


def _declared_bound(value: object, quantity: Quantity) -> Bound:
    """The bound a sentence gives a figure whose own text carries no qualifier."""
    if value is None:
        return quantity.bound
    choices = ", ".join(b.value for b in _CONTEXT_BOUNDS)
    if value not in {b.value for b in _CONTEXT_BOUNDS}:
        raise ValueError(f"'{value}' is not a bound: use one of {choices}")
    if quantity.bound is not Bound.EXACT and quantity.bound.value != value:
        raise ValueError(f"{quantity.text} already says {quantity.bound.value}: remove 'bound'")
    return Bound(str(value))


MAX_MAGNITUDE = Decimal(10) ** 18  # 100亿亿: above any figure a policy states, within a 64-bit integer


def _check_magnitude(quantity: Quantity) -> None:
    for value in (quantity.value, quantity.high):
        if value is not None and abs(value) > MAX_MAGNITUDE:
            raise ValueError(f"{quantity.text} is larger than any figure a source states (at most 10^18)")


def _check_ratio(quantity: Quantity) -> None:
    for value in (quantity.value, quantity.high):
        if value is not None and value > 1 and quantity.text.replace(".", "", 1).isdigit() and value <= 100:
            raise ValueError(
                f"{quantity.text} is above 100% (a bare number is a share of 1); did you mean {quantity.text}%?"
            )
        if value is not None and value > 1:
            raise ValueError(f"{quantity.text} is above 100%")
        if value is not None and value < 0:
            raise ValueError(f"{quantity.text} is below 0%")


Money = _quantity_type({Unit.CNY}, Unit.CNY, "最高1000万元")
Years = _quantity_type({Unit.YEARS}, Unit.YEARS, "5年")
Ratio = _quantity_type({Unit.RATIO}, Unit.RATIO, "50%")
AnyQuantity = _quantity_type(None, None, "2600余家")


def _validate_date(value: object) -> PartialDate:
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, dict):
        unknown = sorted(set(value) - {"date", "basis"})
        if unknown or "date" not in value or "basis" not in value:
            raise ValueError("an inferred date is written {date: 2024-late, basis: how it was inferred}")
        basis = value["basis"]
        if not isinstance(basis, str) or len(basis.strip()) < 3:
            raise ValueError("'basis' must say in words how the date was inferred")
        return replace(parse_date(value["date"]), basis=basis.strip())
    return parse_date(value)


_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?(-(early|mid|late))?$"
_DATE_SCHEMA: dict[str, Any] = {
    "oneOf": [
        {
            "type": "string",
            "pattern": _DATE_PATTERN,
            "description": "2025, 2025-03, 2025-03-03, or with a part: 2024-late, 2024-07-late",
        },
        {
            "type": "object",
            "description": "a date no quote states, with how it was inferred",
            "properties": {
                "date": {"type": "string", "pattern": _DATE_PATTERN},
                "basis": {"type": "string"},
            },
            "required": ["date", "basis"],
            "additionalProperties": False,
        },
    ]
}
Date = Annotated[PartialDate, PlainValidator(_validate_date), PlainSerializer(str), WithJsonSchema(_DATE_SCHEMA)]


# --------------------------------------------------------------------------- vocabularies
# The enums are built from the glossary's tables (one line per term); a field of a vocabulary type
# also accepts the term's Chinese label or an alias (`kind: 算力券`, `period: 每年`).

InstrumentKind = INSTRUMENT_KINDS.enum
PolicyKind = POLICY_KINDS.enum
Level = LEVELS.enum
Beneficiary = BENEFICIARIES.enum
Per = PER.enum
Period = PERIODS.enum
Topic = TOPICS.enum
TargetStatus = TARGET_STATUSES.enum
InstitutionKind = INSTITUTION_KINDS.enum
Script = SCRIPTS.enum
AuthorityLevel = AUTHORITY_LEVELS.enum


def _term(vocabulary: Vocabulary) -> Any:
    return Annotated[vocabulary.enum, BeforeValidator(vocabulary.coerce)]


InstrumentKindField = _term(INSTRUMENT_KINDS)
PolicyKindField = _term(POLICY_KINDS)
LevelField = _term(LEVELS)
BeneficiaryField = _term(BENEFICIARIES)
PerField = _term(PER)
PeriodField = _term(PERIODS)
TopicField = _term(TOPICS)
TargetStatusField = _term(TARGET_STATUSES)
InstitutionKindField = _term(INSTITUTION_KINDS)
ScriptField = _term(SCRIPTS)
AuthorityLevelField = _term(AUTHORITY_LEVELS)

CITY_LEVELS = frozenset({Level.CITY, Level.MUNICIPALITY})
COMPUTE_KINDS = frozenset(InstrumentKind(t.value) for t in INSTRUMENT_KINDS.tagged("compute"))
VOUCHER_KINDS = frozenset(InstrumentKind(t.value) for t in INSTRUMENT_KINDS.tagged("voucher"))


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
    said_by: Name | None = Field(
        default=None,
        description="a claim made by a person the article quotes (who, in words), not an official figure",
    )
    comparability: Name | None = Field(
        default=None,
        description="what this figure measures, where the same metric in another place measures something else",
    )
    formerly: list[Id] = Field(default=[], description="ids this record had before (so `diff` shows a rename)")


class Jurisdiction(Strict):
    id: Id
    level: LevelField
    parent: str | None = Field(
        default=None, min_length=1, description="the parent place's id, or its name (福建, 福建省, Fujian)"
    )
    name: Name
    aliases: list[str] = []
    established: Date | None = Field(default=None, description="when the place was founded (建市), if a source says")
    sources: list[Citation] = Field(
        default=[], description="may be empty for a place that exists here only as the parent of a cited place"
    )
    note: str | None = None


class Effective(Strict):
    """When a policy or instrument is in force, as far as a source says."""

    start: Date | None = None
    end: Date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Effective:
        if self.start and self.end and self.end.end < self.start.start:
            raise ValueError(f"it ends ({self.end}) before it starts ({self.start})")
        return self


class Issuer(Strict):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)
    level: AuthorityLevelField | None = Field(default=None, description="national, province, city, district, agency")


class Policy(Record):
    title: Name = Field(description="the title as printed; for an untitled policy, how the source describes it")
    untitled: bool = Field(
        default=False, description="true when the source prints no title: `title` is then a description"
    )
    short_names: list[str] = []
    kind: PolicyKindField
    issuer: list[Issuer] = []
    document_number: str | None = Field(default=None, description="文号, as printed")
    issued: Date | None = None
    period: YearSpan | None = Field(default=None, description="the plan period in its title, e.g. 2025—2027")
    effective: Effective | None = Field(default=None, description="in force from / until, where a source says")
    supersedes: Id | None = Field(default=None, description="the policy this one replaces")
    amends: list[Id] = Field(default=[], description="policies this one changes")
    summary: Name | None = None


class Condition(Strict):
    """A condition the source attaches to terms, in its words; `id` names it for `subsidy --condition`."""

    id: Id | None = None
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Limit(Strict):
    amount: Money
    per: PerField = Per.RECIPIENT
    period: PeriodField = Period.UNSPECIFIED
    over: Years | None = Field(default=None, description="for a total over several years, e.g. 5年")
    relaxable: Name | None = Field(default=None, description="the source lets the cap be relaxed (可以放宽): when")

    @property
    def years(self) -> int | None:
        return int(self.over.value) if self.over is not None and self.over.value >= 1 else None


class Pool(Strict):
    amount: Money
    period: PeriodField = Period.UNSPECIFIED


class Tier(Strict):
    """Terms for one group, class or condition, where they differ from the instrument's own."""

    model_config = ConfigDict(populate_by_name=True)

    group: BeneficiaryField | None = Field(default=None, description="who: startup, sme, university …")
    applicant_class: str | None = Field(
        default=None, alias="class", min_length=1, max_length=20, description="a class the source names: A, B, 一类"
    )
    condition: Condition | None = None
    name: Name | None = Field(default=None, description="the tier as the source names it, e.g. A类（工业企业）")
    rate: Ratio | None = None
    cap: Limit | None = None
    pool: Pool | None = None

    def describe(self, lang: str = "en") -> str:
        """Whom or when the tier applies to: `startups`, `class A (labelling platforms)`, `if …`."""
        from .glossary import label

        zh = lang == "zh"
        parts = [label(self.group, lang)] if self.group else []
        if self.applicant_class:
            parts.append(f"{self.applicant_class}类" if zh else f"class {self.applicant_class}")
        if self.name:
            parts.append(f"（{self.name.zh}）" if zh else f"({self.name.en})")
        if self.condition:
            parts.append(f"如{self.condition.zh}" if zh else f"if {self.condition.en}")
        return ("" if zh else " ").join(parts)

    @model_validator(mode="after")
    def _says_for_whom(self) -> Tier:
        if self.group is None and self.applicant_class is None and self.condition is None:
            raise ValueError("a tier says whom or when it applies to: give group, class or condition")
        return self


class Change(Strict):
    """Terms that changed on a date: only the fields that changed, with the quote that says so."""

    date: Date = Field(description="when the new terms took effect, as precisely as the source says")
    rate: Ratio | None = None
    tiers: list[Tier] | None = None
    cap: Limit | None = None
    pool: Pool | None = None
    benefit: AnyQuantity | None = None
    beneficiaries: list[BeneficiaryField] | None = None
    sources: list[Citation] = Field(min_length=1)
    note: str | None = None


TERM_FIELDS = ("rate", "tiers", "cap", "pool", "benefit", "beneficiaries")


class Instrument(Record):
    policy: Id | None = None
    kind: InstrumentKindField
    name: Name
    summary: Name | None = None
    rate: Ratio | None = None
    rate_basis: Name | None = Field(default=None, description="what the rate is a share of")
    condition: Condition | None = Field(default=None, description="a condition on the whole instrument")
    tiers: list[Tier] = []
    cap: Limit | None = None
    pool: Pool | None = None
    beneficiaries: list[BeneficiaryField] = []
    benefit: AnyQuantity | None = Field(default=None, description="a benefit that is not money, e.g. 15天")
    launched: Date | None = None
    effective: Effective | None = Field(default=None, description="in force from / until, where a source says")
    supersedes: Id | None = Field(default=None, description="the instrument this one replaces")
    changes: list[Change] = Field(default=[], description="later terms, each from the date it took effect")

    @model_validator(mode="after")
    def _changes_in_order(self) -> Instrument:
        dates = [c.date for c in self.changes]
        for earlier, later in zip(dates, dates[1:], strict=False):
            if later.sort_key() < earlier.sort_key():
                raise ValueError(f"changes must be in date order: {later} comes after {earlier}")
        return self


class Target(Record):
    policy: Id | None = None
    topic: TopicField
    metric: Name
    value: AnyQuantity | None = None
    stretch: AnyQuantity | None = Field(default=None, description="力争: the level strived for")
    deadline: Date | None = None
    status: TargetStatusField | None = None

    @model_validator(mode="after")
    def _same_unit(self) -> Target:
        if self.value and self.stretch and self.value.unit != self.stretch.unit:
            raise ValueError(f"value ({self.value.text}) and stretch ({self.stretch.text}) use different units")
        return self


class Indicator(Record):
    topic: TopicField
    metric: Name
    value: AnyQuantity
    as_of: Date
    period: YearSpan | None = Field(default=None, description="for a total over several years")
    subject: Id | None = Field(default=None, description="the institution, policy or instrument it is about")


class Institution(Record):
    kind: InstitutionKindField
    name: Name
    aliases: list[str] = []
    established: Date | None = None
    first_seen: Date | None = Field(
        default=None, description="its first public appearance, where the source gives that and not a founding date"
    )
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


def _unknown_is_none(value: object) -> object:
    return None if isinstance(value, str) and value.strip().lower() == "unknown" else value


class Source(Strict):
    file: str = Field(pattern=r"^[\w.-]+\.txt$", description="file name in seeds/")
    outlet: Name
    headline: Name | None = Field(default=None, description="as printed; absent when the text has none")
    topic: Name = Field(description="a one-line description, used where no headline is printed")
    published: Annotated[
        Date | None,
        BeforeValidator(_unknown_is_none),
        WithJsonSchema({"oneOf": [*_DATE_SCHEMA["oneOf"], {"const": "unknown"}]}),
    ] = Field(description="when it was published, as precisely as can be told, or `unknown`")
    date_basis: str = Field(min_length=1, description="how the date was inferred from the text, or why it cannot be")
    script: ScriptField
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

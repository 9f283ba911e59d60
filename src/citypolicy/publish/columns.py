"""What every exported table and column holds, in words: one description for the CSV's Table Schema
(datapackage.json), the SQLite export's Datasette metadata (metadata.json) and anyone reading them.

Tests check that every column of facts.csv and of every SQLite table is described here, so a column
added to an export without a description fails.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..ask.timeline import Status
from ..core.quantity import UNIT_DESCRIPTIONS, Bound
from ..schema.glossary import PER, PERIODS

PARTIAL_DATE = (
    "a date as precise as the source gives it: 2025, 2025-03, 2025-03-03, or with a part of the period, "
    "e.g. 2024-late (年底), 2025-02-mid (中旬)"
)
UNIT_NOTES = "; ".join(f"{unit.value}: {text}" for unit, text in UNIT_DESCRIPTIONS.items())


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    type: str = "string"  # a Frictionless Table Schema type
    choices: tuple[str, ...] = ()
    required: bool = False


FACT_FIELDS = (
    Column("id", "the fact's stable id: the record's id, a colon, and the field (record:field)", required=True),
    Column("jurisdiction", "id of the place the record is about (see the jurisdictions table)", required=True),
    Column("record", "id of the instrument, target or indicator that holds the figure", required=True),
    Column("kind", "which kind of record holds it", choices=("instrument", "target", "indicator"), required=True),
    Column(
        "field",
        "where in the record the figure is: rate, cap.amount, pool.amount, tiers[0].rate, value, stretch, "
        "changes[0].pool.amount (later terms) …",
        required=True,
    ),
    Column("label_zh", "what the figure is, in Chinese"),
    Column("label_en", "what the figure is, in English"),
    Column(
        "value",
        f"the figure normalised in its unit (the lower end of a range). Units: {UNIT_NOTES}",
        "number",
        required=True,
    ),
    Column("high", "the upper end of a range (3—5个 → 5); empty otherwise", "number"),
    Column("unit", f"the unit of value and high: {UNIT_NOTES}", choices=tuple(u.value for u in UNIT_DESCRIPTIONS)),
    Column(
        "bound",
        "what the source says of the figure: exact; at_most (最高, 不超过: a cap); at_least (超, 逾, 以上, 余); "
        "approx (近, 约, 左右); range (3—5)",
        choices=tuple(b.value for b in Bound),
        required=True,
    ),
    Column("text", "the figure as the source writes it, e.g. 最高1000万元", required=True),
    Column("derivation", "how the figure follows from its quote, where the quote does not state it as such"),
    Column("per", "for a cap: what it applies to", choices=tuple(t.value for t in PER)),
    Column("period", "for a cap or a pool: the period it covers", choices=tuple(t.value for t in PERIODS)),
    Column("as_of", f"for an indicator: when the figure was true; {PARTIAL_DATE}"),
    Column("deadline", f"for a target: when it is due; {PARTIAL_DATE}"),
    Column(
        "effective_from",
        "first day these terms were in force, where the sources say (earlier terms of an instrument are rows "
        "of their own)",
        "date",
    ),
    Column("effective_to", "last day these terms were in force; empty when no end is stated", "date"),
    Column(
        "status",
        "the terms' status on the export's day (--as-of): in force, expired, superseded, not yet in force, unknown",
        choices=tuple(s.value for s in Status),
    ),
    Column("document", "file name of the source article whose quote states the figure (see sources)", required=True),
    Column("quote", "the sentence of that article that states the figure, verbatim", required=True),
)


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: dict[str, str]
    label: str | None = None  # the column naming a row, for links to it
    facets: tuple[str, ...] = ()


def _names(prefix: str, what: str) -> dict[str, str]:
    return {f"{prefix}_zh": f"{what}, in Chinese", f"{prefix}_en": f"{what}, in English"}


TABLES = (
    Table(
        "facts",
        "One row per number in the knowledge base, with what it is, its unit and bound, when its terms were in "
        "force and the quote that states it. Earlier terms of an instrument are rows of their own: filter on "
        "effective_from/effective_to to ask for any day.",
        {c.name: c.description for c in FACT_FIELDS},
        label="label_en",
        facets=("jurisdiction", "kind", "unit", "bound", "status"),
    ),
    Table(
        "sources",
        "The news articles every record cites; each quote is verified against the article's text.",
        {
            "file": "file name of the article in seeds/",
            **_names("outlet", "the publication"),
            **_names("headline", "the headline as printed (empty when the text has none)"),
            **_names("topic", "what the article is about, in one line"),
            "published": f"when it was published, as far as can be told; {PARTIAL_DATE}",
            "date_basis": "how the publication date was inferred from the text, or why it cannot be",
            "script": "the script the article is written in (simplified or traditional)",
            "url": "where it was published, if known",
        },
        label="outlet_en",
        facets=("script",),
    ),
    Table(
        "jurisdictions",
        "Places: provinces, municipalities, cities, districts and zones, each under its parent.",
        {
            "id": "the place's id",
            "parent": "id of the place it belongs to",
            "level": "province, municipality, city, district or zone",
            **_names("name", "its name"),
            "aliases": "other names it goes by (JSON list)",
        },
        label="name_en",
        facets=("level", "parent"),
    ),
    Table(
        "policies",
        "Policy documents (measures, action plans, regulations), with their periods, links and status.",
        {
            "id": "the policy's id",
            "jurisdiction": "id of the place that issued it",
            **_names("title", "its title as printed (or, when untitled, how the source describes it)"),
            "short_names": "names it is known by, e.g. AI十八条 (JSON list)",
            "kind": "measures, action plan, regulation …",
            "issued": f"when it was issued; {PARTIAL_DATE}",
            "period_start": "first year of the plan period in its title",
            "period_end": "last year of the plan period in its title",
            "supersedes": "id of the policy it replaces",
            **_names("summary", "what it does, in a sentence"),
            "note": "editor's note",
            "untitled": "1 when the source prints no title",
            "document_number": "文号, as printed",
            "issuer": "issuing authorities with their level (JSON)",
            "effective_start": f"in force from; {PARTIAL_DATE}",
            "effective_end": f"in force until; {PARTIAL_DATE}",
            "amends": "ids of the policies it changes (JSON list)",
            "status": "its status on the export's day",
        },
        label="title_en",
        facets=("jurisdiction", "kind", "status"),
    ),
    Table(
        "instruments",
        "Support instruments — compute vouchers (算力券), training-compute vouchers (训力券), subsidies, "
        "funds — with their current terms; later terms are in changes, and every figure is also in facts.",
        {
            "id": "the instrument's id",
            "jurisdiction": "id of the place that offers it",
            "policy": "id of the policy that sets it up",
            "kind": "compute_voucher, training_voucher, compute_subsidy, fund …",
            **_names("name", "its name"),
            "rate": "the share of the cost it pays, 0..1",
            "rate_text": "the rate as written",
            "cap": "the most it pays, in yuan",
            "cap_text": "the cap as written",
            "cap_per": "what the cap applies to (recipient, project, contract, person)",
            "cap_period": "the period the cap covers (year, total, unspecified)",
            "cap_years": "for a cap over several years, how many",
            "pool": "the money set aside for it, in yuan",
            "pool_text": "the pool as written",
            "pool_period": "the period the pool covers",
            "beneficiaries": "who may claim it (JSON list)",
            "tiers": "terms for particular groups, classes or conditions (JSON)",
            "launched": f"when it started; {PARTIAL_DATE}",
            **_names("summary", "what it does, in a sentence"),
            "note": "editor's note",
            "condition": "a condition on the whole instrument (JSON)",
            "effective_start": f"in force from; {PARTIAL_DATE}",
            "effective_end": f"in force until; {PARTIAL_DATE}",
            "supersedes": "id of the instrument it replaces",
            "changes": "later terms, each with the date it took effect and its quotes (JSON)",
            "status": "its status on the export's day",
        },
        label="name_en",
        facets=("jurisdiction", "kind", "status"),
    ),
    Table(
        "targets",
        "Targets a policy sets: a floor (value) and a level strived for (stretch, 力争), with a deadline.",
        {
            "id": "the target's id",
            "jurisdiction": "id of the place that set it",
            "policy": "id of the policy that sets it",
            "topic": "what it is about (industry scale, firms, compute …)",
            **_names("metric", "what is measured"),
            "value": "the floor, normalised in unit",
            "value_text": "the floor as written",
            "stretch": "the 力争 level, normalised in unit",
            "stretch_text": "the 力争 level as written",
            "unit": f"the unit of value and stretch: {UNIT_NOTES}",
            "deadline": f"when it is due; {PARTIAL_DATE}",
            "status": "an outcome a source states (achieved_early, achieved, in_progress, not_met); empty otherwise",
            "note": "editor's note",
        },
        label="metric_en",
        facets=("jurisdiction", "topic", "unit", "status"),
    ),
    Table(
        "indicators",
        "Figures places publish about themselves (firms, industry scale, compute, budgets), each as of a date.",
        {
            "id": "the indicator's id",
            "jurisdiction": "id of the place it is about",
            "topic": "what it is about",
            **_names("metric", "what is measured"),
            "value": "the figure normalised in unit (the lower end of a range)",
            "high": "the upper end of a range",
            "unit": f"the unit: {UNIT_NOTES}",
            "bound": "exact, at_most, at_least, approx or range",
            "value_text": "the figure as written",
            "as_of": f"when it was true; {PARTIAL_DATE}",
            "subject": "id of the institution, policy or instrument it is about",
            "note": "editor's note",
        },
        label="metric_en",
        facets=("jurisdiction", "topic", "unit", "bound"),
    ),
    Table(
        "institutions",
        "Labs, funds, parks, platforms and other bodies the sources name.",
        {
            "id": "the institution's id",
            "jurisdiction": "id of the place it is in",
            "kind": "lab, fund, park, platform …",
            **_names("name", "its name"),
            "established": f"when it was founded; {PARTIAL_DATE}",
            **_names("summary", "what it is, in a sentence"),
            "note": "editor's note",
        },
        label="name_en",
        facets=("jurisdiction", "kind"),
    ),
    Table(
        "citations",
        "Every quote every record cites, in order: the evidence for the record.",
        {
            "record": "id of the record (or place) that cites it",
            "position": "its position among the record's citations, from 0",
            "document": "file name of the article (see sources)",
            "quote": "the passage, verbatim",
        },
        facets=("document",),
    ),
    Table(
        "search",
        "Full-text index (SQLite FTS5, trigram tokenizer, so Chinese is found) over names, titles, summaries "
        "and quotes. Search words of three characters or more, e.g. 训力券.",
        {
            "record": "id of the record (or place) the text belongs to",
            "kind": "its kind: jurisdiction, policies, instruments …",
            "field": "which text: name, title, metric, summary or quote",
            "text": "the text searched",
        },
    ),
)

"""The fact table: one row per number in the knowledge base, saying what it is and proving it.

Each row carries the figure normalised (value, high, unit, bound) and as written, a label that
says what it measures in both languages ("训力券：每年发放规模" / "training-compute voucher — pool a
year"), the cap's `per` and the cap's or pool's `period`, when its terms were in force
(`effective_from`/`effective_to`, ISO days; earlier terms are rows of their own) and their status
today, and the citation whose quote states it — the same sentence `check` proved it with.
Built once per export or build; JSON, CSV, SQLite and the site all read the same rows.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from ..ask import timeline
from ..core.dates import PartialDate
from ..core.quantity import Quantity
from ..load.proof import Quotes, figures, quotes_index, stating_citation
from ..schema.glossary import label
from ..schema.model import TERM_FIELDS, Citation, Instrument, Limit, Per, Period, Pool, Record, Target, Tier

if TYPE_CHECKING:
    from ..load.loader import KnowledgeBase

FACT_COLUMNS = [
    "id",
    "jurisdiction",
    "record",
    "kind",
    "field",
    "label_zh",
    "label_en",
    "value",
    "high",
    "unit",
    "bound",
    "text",
    "derivation",
    "per",
    "period",
    "as_of",
    "deadline",
    "effective_from",
    "effective_to",
    "status",
    "document",
    "quote",
]
_SECTIONS = (("instruments", "instrument"), ("targets", "target"), ("indicators", "indicator"))


@lru_cache(maxsize=8)
def _quotes(kb: KnowledgeBase) -> dict[str, Quotes]:
    return quotes_index(kb)


def figure_citation(kb: KnowledgeBase, record: Record, value: object) -> Citation:
    """The citation whose quote states this figure of `record`: where a reader is sent."""
    for _, held, citations in figures(record):
        if held is value:
            return stating_citation(_quotes(kb), citations, value)
    return stating_citation(_quotes(kb), record.sources, value)


def fact_rows(
    kb: KnowledgeBase, today: date | None = None, only: Collection[str] | None = None
) -> list[dict[str, object]]:
    """Every figure of every instrument, target and indicator, as documented in the README;
    with `only`, of the records with those ids (what `diff` needs of records that changed)."""
    quotes_of = _quotes(kb)
    day = today or timeline.today()
    rows = []
    for section, kind in _SECTIONS:
        records = getattr(kb, section)
        chosen = records.values() if only is None else [records[i] for i in only if i in records]
        for record in chosen:
            windows = _term_windows(kb, record) if isinstance(record, Instrument) else {}
            for path, value, citations in figures(record):
                if not isinstance(value, Quantity):
                    continue
                citation = stating_citation(quotes_of, citations, value)
                rows.append(_row(kb, record, kind, path, value, windows, day, citation.document, citation.quote))
    return rows


def _row(
    kb: KnowledgeBase,
    record: Record,
    kind: str,
    path: str,
    value: Quantity,
    windows: Windows,
    day: date,
    document: str,
    quote: str,
) -> dict[str, object]:
    term, field = _term_of(path), _field_of(path)
    window = windows.get((term, field), Window(None, None))
    start, end = window.start, window.end
    limit = _limit_at(record, path)
    return {
        "id": f"{record.id}:{path}",
        "jurisdiction": record.jurisdiction,
        "record": record.id,
        "kind": kind,
        "field": path,
        "label": fact_label(record, path),
        **value.to_json(),
        "per": limit.per.value if isinstance(limit, Limit) else None,
        "period": limit.period.value if isinstance(limit, Limit | Pool) else None,
        "as_of": str(record.as_of) if hasattr(record, "as_of") else None,
        "deadline": str(record.deadline) if isinstance(record, Target) and record.deadline else None,
        "effective_from": start.start.isoformat() if start else None,
        "effective_to": end.end.isoformat() if end else None,
        "status": _status(kb, record, (term, field), windows, day),
        "source": {"document": document, "quote": quote},
    }


def flat_fact(row: dict[str, object]) -> dict[str, object]:
    """A fact row with its label and source as columns (CSV, SQLite)."""
    label_ = row["label"]
    source = row["source"]
    assert isinstance(label_, dict) and isinstance(source, dict)
    flat = {k: v for k, v in row.items() if k not in {"label", "source"}}
    return {**flat, "label_zh": label_["zh"], "label_en": label_["en"], **source}


# --------------------------------------------------------------------------- labels


def fact_label(record: Record, path: str) -> dict[str, str]:
    """What the figure is, in words: no field paths, no doubled words."""
    name = getattr(record, "metric", None) or record.name  # type: ignore[attr-defined]
    if hasattr(record, "as_of"):
        return {"zh": name.zh, "en": name.en}
    change = re.match(r"changes\[(\d+)\]\.(.*)", path)
    field = change.group(2) if change else path
    zh, en = _field_words(record, field)
    if change:
        when = record.changes[int(change.group(1))].date  # type: ignore[attr-defined]
        zh, en = f"{zh}（自{when.human('zh')}起）", f"{en} (from {when.human()})"
    return {"zh": f"{name.zh}：{zh}", "en": f"{name.en} — {en}"}


def _field_words(record: Record, field: str) -> tuple[str, str]:
    tier = re.match(r"tiers\[(\d+)\]\.(.*)", field)
    if tier:
        chosen: Tier = record.tiers[int(tier.group(1))]  # type: ignore[attr-defined]
        zh, en = _field_words_plain(record, tier.group(2), chosen)
        return f"{chosen.describe('zh')}：{zh}", f"{chosen.describe()}: {en}"
    return _field_words_plain(record, field, None)


def _field_words_plain(record: Record, field: str, tier: Tier | None) -> tuple[str, str]:
    owner = tier or record
    if field == "rate":
        basis = getattr(record, "rate_basis", None)
        return ("比例（占" + basis.zh + "）", f"rate (share of the {basis.en})") if basis else ("比例", "rate")
    if field.startswith("cap."):
        cap: Limit = owner.cap  # type: ignore[union-attr, assignment]
        if field == "cap.over":
            return "上限覆盖年数", "years the cap covers"
        return _cap_words(cap)
    if field == "pool.amount":
        pool: Pool = owner.pool  # type: ignore[union-attr, assignment]
        return {
            Period.YEAR: ("每年资金规模", "pool a year"),
            Period.TOTAL: ("资金总额", "pool in total"),
        }.get(pool.period, ("资金规模（期限未说明）", "pool (period not stated)"))
    return {
        "benefit": ("待遇", "benefit"),
        "value": ("目标值（下限）", "target (floor)"),
        "stretch": ("力争值", "stretch target (力争)"),
    }.get(field, ("数值", "figure"))


def _cap_words(cap: Limit) -> tuple[str, str]:
    per_zh = {Per.RECIPIENT: "每个主体", Per.PROJECT: "每个项目", Per.CONTRACT: "每份合同", Per.PERSON: "每人"}[cap.per]
    if cap.years:
        return f"{per_zh}{cap.years}年合计上限", f"cap {label(cap.per)} over {cap.years} years"
    when_zh, when_en = {
        Period.YEAR: ("每年", " a year"),
        Period.TOTAL: ("累计", " in total"),
    }.get(cap.period, ("", " (period not stated)"))
    return f"{per_zh}{when_zh}上限", f"cap {label(cap.per)}{when_en}"


def _limit_at(record: Record, path: str) -> Limit | Pool | None:
    """The cap or pool a figure belongs to, for its `per` and `period` columns."""
    match = re.match(r"(?:changes\[(\d+)\]\.)?(?:tiers\[(\d+)\]\.)?(cap|pool)\.", path)
    if not match:
        return None
    owner: object = record
    if match.group(1) is not None:
        owner = record.changes[int(match.group(1))]  # type: ignore[attr-defined]
    if match.group(2) is not None:
        owner = owner.tiers[int(match.group(2))]  # type: ignore[attr-defined]
    return getattr(owner, match.group(3))


# --------------------------------------------------------------------------- time


def _term_of(path: str) -> int:
    """0 for the first terms, n for the figures of changes[n-1]."""
    match = re.match(r"changes\[(\d+)\]", path)
    return int(match.group(1)) + 1 if match else 0


def _field_of(path: str) -> str:
    """The term a figure belongs to: 'pool' for 'changes[0].pool.amount', 'tiers' for 'tiers[1].rate'."""
    return re.sub(r"^changes\[\d+\]\.", "", path).split(".")[0].split("[")[0]


@dataclass(frozen=True)
class Window:
    """When one term's value of a field was in force, and when a later term replaced it."""

    start: PartialDate | None
    end: PartialDate | None
    replaced: PartialDate | None = None


#: (term, field) -> its window
Windows = dict[tuple[int, str], Window]


def _term_windows(kb: KnowledgeBase, instrument: Instrument) -> Windows:
    """Each field's value is in force from its term's date until a later term changes that field:
    a change that raises the pool leaves the rate's first terms in force."""
    start, end = timeline.effective_window(kb, instrument)
    if start is not None and instrument.changes and start.start >= instrument.changes[0].date.start:
        start = None  # a date (its policy's) no earlier than the first change: not when the first terms began
    starts = [start, *(c.date for c in instrument.changes)]
    windows: Windows = {}
    for field in TERM_FIELDS:
        setting = [0, *(n for n, c in enumerate(instrument.changes, start=1) if getattr(c, field) is not None)]
        for term, following in zip(setting, [*setting[1:], None], strict=True):
            if following is None:
                windows[(term, field)] = Window(starts[term], end)
            else:
                replaced = starts[following]
                windows[(term, field)] = Window(starts[term], _day_before(replaced), replaced)  # type: ignore[arg-type]
    return windows


def _day_before(when: PartialDate) -> PartialDate:
    from datetime import timedelta

    day = when.start - timedelta(days=1)
    return PartialDate(day.year, day.month, day.day)


def _status(
    kb: KnowledgeBase,
    record: Record,
    key: tuple[int, str],
    windows: Windows,
    day: date,
) -> str | None:
    if isinstance(record, Instrument):
        window = windows.get(key)
        if window is not None and window.replaced is not None and window.replaced.start <= day:
            return "superseded"  # a later term of this field is in force
        return timeline.status(kb, record, day).status.value
    if isinstance(record, Target):
        return timeline.target_outcome(record, day)
    return None

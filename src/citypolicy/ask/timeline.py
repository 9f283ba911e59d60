"""Time: which terms were in force on a day, and each policy's and instrument's status.

Terms: an instrument's own fields are its first terms; each `changes` entry replaces the fields it
names from its date on. A change dated only to a year or month takes effect, here, at the start of
that period; a day inside the period gets a note saying the exact date is not stated.

Status is derived, never typed: from the effective start and end a source states (else a policy's
issue date and the end of its plan period; else an instrument's launch date, then its policy's),
and from `supersedes` links. A day inside a start that is known only to a year or month is
"unknown", with the reason; where no end is stated the status says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ..core.dates import PartialDate
from ..core.quantity import format_quantity
from ..load.links import starts
from ..load.loader import KnowledgeBase
from ..schema.model import TERM_FIELDS, Change, Instrument, Policy, Target


class Status(StrEnum):
    IN_FORCE = "in_force"
    EXPIRED = "expired"
    SUPERSEDED = "superseded"
    NOT_YET = "not_yet_in_force"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"  # an event, a statement or a designation: nothing to be in force


STATUS_LABELS = {
    Status.IN_FORCE: ("现行有效", "in force"),
    Status.EXPIRED: ("已失效", "expired"),
    Status.SUPERSEDED: ("已被取代", "superseded"),
    Status.NOT_YET: ("尚未生效", "not yet in force"),
    Status.UNKNOWN: ("状态不明", "status unknown"),
    Status.NOT_APPLICABLE: ("非政策文件（无生效状态）", "not a policy document: no status"),
}
_NOT_DOCUMENTS = {"event", "statement", "designation"}
NO_END = ("未说明截止日期", "no end date stated")


@dataclass(frozen=True)
class StatusAt:
    status: Status
    day: date
    reason_en: str
    reason_zh: str
    end_stated: bool = True

    def label(self, lang: str = "en") -> str:
        zh, en = STATUS_LABELS[self.status]
        words = zh if lang == "zh" else en
        if self.status is Status.IN_FORCE and not self.end_stated:
            words += f"（{NO_END[0]}）" if lang == "zh" else f" ({NO_END[1]})"
        return words

    def to_json(self) -> dict[str, object]:
        return {
            "status": self.status.value,
            "as_of": self.day.isoformat(),
            "end_stated": self.end_stated,
            "reason": {"zh": self.reason_zh, "en": self.reason_en},
        }


def today() -> date:
    return date.today()


def as_day(value: object) -> date:
    """A day from --as-of: a date, a PartialDate (its last day: `2024` is 31 Dec 2024), or today."""
    if value is None:
        return today()
    if isinstance(value, date):
        return value
    if isinstance(value, PartialDate):
        return value.end
    raise TypeError(f"not a day: {value!r}")


# --------------------------------------------------------------------------- terms


def terms_at(instrument: Instrument, day: object = None) -> Instrument:
    """The instrument with the terms in force on `day` (its latest change dated by then)."""
    if not instrument.changes:
        return instrument
    when = as_day(day)
    update: dict[str, object] = {}
    for change in instrument.changes:
        if change.date.start <= when:
            update.update({name: getattr(change, name) for name in TERM_FIELDS if getattr(change, name) is not None})
    return instrument.model_copy(update=update) if update else instrument


def history(instrument: Instrument) -> list[tuple[PartialDate | None, dict[str, object], list]]:  # type: ignore[type-arg]
    """Each set of terms with the date it took effect (None: not stated) and the citations for it."""
    first = {name: getattr(instrument, name) for name in TERM_FIELDS}
    out: list[tuple[PartialDate | None, dict[str, object], list]] = [
        (_first_date(instrument), first, instrument.sources)
    ]  # type: ignore[type-arg]
    current = dict(first)
    for change in instrument.changes:
        current = {**current, **{n: getattr(change, n) for n in TERM_FIELDS if getattr(change, n) is not None}}
        out.append((change.date, dict(current), change.sources))
    return out


def _first_date(instrument: Instrument) -> PartialDate | None:
    return starts(instrument)


def change_notes(instrument: Instrument, day: object = None, lang: str = "en") -> list[str]:
    """Sentences for each change in force by `day`: "pool raised from ¥100M to ¥250M in 2025"."""
    when = as_day(day)
    notes = []
    before = {name: getattr(instrument, name) for name in TERM_FIELDS}
    for change in instrument.changes:
        if change.date.start > when:
            notes.append(_pending(change, lang))
            continue
        for name in TERM_FIELDS:
            new = getattr(change, name)
            if new is None:
                continue
            notes.append(_changed(name, before[name], new, change, lang))
            before[name] = new
        if change.date.start <= when < change.date.end:
            notes.append(
                f"{change.date.human('zh')}的确切日期来源未说明"
                if lang == "zh"
                else f"the exact date in {change.date.human()} is not stated: on {when} the earlier terms may "
                "still have applied"
            )
    return notes


def _changed(name: str, old: object, new: object, change: Change, lang: str) -> str:
    if lang == "zh":
        return f"{_field_zh(name)}自{change.date.human('zh')}起由{_value(old, 'zh')}调整为{_value(new, 'zh')}"
    return f"{_field_en(name)} changed from {_value(old)} to {_value(new)} in {change.date.human()}"


def _pending(change: Change, lang: str) -> str:
    names = [n for n in TERM_FIELDS if getattr(change, n) is not None]
    if lang == "zh":
        return f"{change.date.human('zh')}起{'、'.join(_field_zh(n) for n in names)}将调整"
    return f"{', '.join(_field_en(n) for n in names)} to change in {change.date.human()}"


def _field_en(name: str) -> str:
    return {"rate": "rate", "tiers": "tiered terms", "cap": "cap", "pool": "pool", "benefit": "benefit",
            "beneficiaries": "who may claim"}[name]  # fmt: skip


def _field_zh(name: str) -> str:
    return {"rate": "比例", "tiers": "分档条款", "cap": "上限", "pool": "资金规模", "benefit": "待遇",
            "beneficiaries": "适用对象"}[name]  # fmt: skip


def _value(value: object, lang: str = "en") -> str:
    amount = getattr(value, "amount", value)
    if amount is None:
        return "未说明" if lang == "zh" else "not stated"
    if hasattr(amount, "unit"):
        return format_quantity(amount, lang)  # type: ignore[arg-type]
    return str(amount)


# --------------------------------------------------------------------------- status


def status(kb: KnowledgeBase, record: Policy | Instrument, day: object = None) -> StatusAt:
    when = as_day(day)
    if isinstance(record, Policy) and record.kind.value in _NOT_DOCUMENTS:
        kind = record.kind.value
        return StatusAt(Status.NOT_APPLICABLE, when, f"a {kind}, not a policy in force", f"{kind}，非生效政策")
    start, end = effective_window(kb, record)
    successor = _successor(kb, record, when)
    if successor is not None:
        return StatusAt(Status.SUPERSEDED, when, f"replaced by {successor}", f"已被{successor}取代", end is not None)
    if start is not None and when < start.start:
        return StatusAt(
            Status.NOT_YET, when, f"takes effect {start.human()}", f"{start.human('zh')}生效", end is not None
        )
    if end is not None and when > end.end:
        return StatusAt(Status.EXPIRED, when, f"ended {end.human()}", f"{end.human('zh')}到期")
    if start is None:
        return StatusAt(
            Status.UNKNOWN, when, "when it took effect is not stated", "生效日期来源未说明", end is not None
        )
    if when < start.end:
        day = PartialDate(when.year, when.month, when.day)
        return StatusAt(
            Status.UNKNOWN,
            when,
            f"took effect in {start.human()}; whether by {day.human()} is not stated",
            f"于{start.human('zh')}生效，{day.human('zh')}是否已生效来源未说明",
            end is not None,
        )
    words_en = f"since {start.human()}" + (f", until {end.human()}" if end else "")
    words_zh = f"自{start.human('zh')}起" + (f"，至{end.human('zh')}" if end else "")
    return StatusAt(Status.IN_FORCE, when, words_en, words_zh, end is not None)


def in_force(kb: KnowledgeBase, record: Policy | Instrument, day: object = None) -> bool | None:
    """True, False, or None when the sources leave it open."""
    return is_in_force(status(kb, record, day))


def is_in_force(found: StatusAt) -> bool | None:
    if found.status is Status.IN_FORCE:
        return True
    return None if found.status is Status.UNKNOWN else False


def effective_window(kb: KnowledgeBase, record: Policy | Instrument) -> tuple[PartialDate | None, PartialDate | None]:
    """When a record takes effect and ends, as far as the sources say (its policy's, for an
    instrument that states neither)."""
    start = starts(record)
    end = record.effective.end if record.effective else None
    if isinstance(record, Policy) and end is None and record.period is not None:
        end = PartialDate(record.period.end)
    if isinstance(record, Instrument) and record.policy in kb.policies:
        policy_start, policy_end = effective_window(kb, kb.policies[record.policy])
        start = start or policy_start
        end = end or policy_end
    return start, end


def _successor(kb: KnowledgeBase, record: Policy | Instrument, when: date) -> str | None:
    """The name of a record in force by `when` that supersedes this one (or its policy)."""
    section = "policies" if isinstance(record, Policy) else "instruments"
    for other in kb.successors.get((section, record.id), []):
        begun = starts(other)
        if begun is not None and begun.start <= when:
            return _title(other)
    if isinstance(record, Instrument) and record.policy in kb.policies:
        return _successor(kb, kb.policies[record.policy], when)
    return None


def _title(record: Policy | Instrument) -> str:
    return record.title.zh if isinstance(record, Policy) else record.name.zh


def target_outcome(target: Target, day: object = None) -> str:
    """A target's status for a day: as a record states it, else due, or past its deadline with the
    outcome not stated in the sources."""
    if target.status is not None:
        return target.status.value
    if target.deadline is not None and target.deadline.end < as_day(day):
        return "outcome_not_stated"
    return "due" if target.deadline is not None else "deadline_not_stated"


OUTCOME_LABELS = {
    "outcome_not_stated": ("结果来源未说明", "outcome not stated in the sources"),
    "due": ("未到期", "due"),
    "deadline_not_stated": ("期限来源未说明", "deadline not stated in the sources"),
}

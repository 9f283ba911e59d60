"""Time on a place page: each policy's and instrument's status on the day the site is built, each
instrument's terms over time, who may claim it, and what a target's deadline means now.

Everything is derived by ask/timeline (status, history, effective windows, target outcomes) and
ask/queries (eligibility); this module only puts it in the shape the template writes, with the words
in both languages from i18n. Figures stay the record's own Quantity objects, so every figure in a
timeline links to the sentence that states it, as figures do everywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..ask import queries, timeline
from ..core.dates import PartialDate
from ..core.quantity import Quantity
from ..load.loader import KnowledgeBase
from ..schema.glossary import label
from ..schema.model import TERM_FIELDS, Change, Citation, Instrument, Limit, Period, Pool, Target, Tier
from . import figures, i18n

Pair = tuple[str, str]  # (en, zh)


@dataclass(frozen=True)
class Badge:
    """A status as the page shows it: the label's string key, the reason in both languages."""

    status: str  # timeline.Status value, for the badge's class
    key: str  # i18n key of the label
    reason: Pair | None


@dataclass
class Term:
    """One term of a set of terms: a figure (or a cap, a pool, tiers, who may claim)."""

    field: str  # rate, cap, pool, benefit, beneficiaries, tiers
    value: object  # Quantity, Limit, Pool, list of Beneficiary, list of Tier


@dataclass
class TermsEntry:
    """A set of terms with the date it took effect and the citations that state it."""

    when: PartialDate | None  # None: the sources do not say since when
    terms: list[Term]
    citations: list[Citation]
    state: str  # current, earlier, later (not begun on the day), or latest (of an instrument not in force)
    note: str | None = None  # the change's own note (English)


@dataclass
class RecordTimes:
    """What a place page shows about time, keyed by record id."""

    day: date
    badges: dict[str, Badge] = field(default_factory=dict)
    histories: dict[str, list[TermsEntry]] = field(default_factory=dict)
    change_notes: dict[str, list[Pair]] = field(default_factory=dict)
    eligibility: dict[str, list[Pair]] = field(default_factory=dict)
    outcomes: dict[str, str] = field(default_factory=dict)  # target id -> i18n key or "stated"

    @property
    def day_text(self) -> Pair:
        return day_text(self.day)


def day_text(day: date) -> Pair:
    """A day as readers write it: `25 Nov 2026`, `2026年11月25日`."""
    written = PartialDate(day.year, day.month, day.day)
    return written.human(), written.human("zh")


# --------------------------------------------------------------------------- status

_ENDED = {timeline.Status.EXPIRED.value, timeline.Status.SUPERSEDED.value, timeline.Status.NOT_YET.value}


def badge(st: timeline.StatusAt) -> Badge:
    if st.status is timeline.Status.NOT_APPLICABLE:
        return Badge(st.status.value, "status.not_applicable", None)  # the label says it all
    key = f"status.{st.status.value}"
    if st.status is timeline.Status.IN_FORCE and not st.end_stated:
        key = "status.in_force_no_end"
    return Badge(st.status.value, key, (st.reason_en, st.reason_zh))


def target_outcome_key(target: Target, day: date) -> str:
    """`stated` when a record states the outcome (its status label is shown), else an i18n key."""
    outcome = timeline.target_outcome(target, day)
    return "stated" if target.status is not None else f"outcome.{outcome}"


# --------------------------------------------------------------------------- terms over time


def terms_history(instrument: Instrument, day: date, in_force: bool = True) -> list[TermsEntry]:
    """Each set of terms: the first with all its terms, each change with the terms it changes; the
    latest begun by `day` is current, or only the latest when the instrument is not in force then.
    Terms are the record's own objects (for their links)."""
    entries = [
        TermsEntry(
            timeline.history(instrument)[0][0],
            [Term(name, getattr(instrument, name)) for name in TERM_FIELDS if _stated(getattr(instrument, name))],
            list(instrument.sources),
            "earlier",
        )
    ]
    for change in instrument.changes:
        terms = [Term(name, getattr(change, name)) for name in TERM_FIELDS if getattr(change, name) is not None]
        later = change.date.start > day
        entries.append(
            TermsEntry(change.date, terms, list(change.sources), "later" if later else "earlier", change.note)
        )
    begun = [e for e in entries if e.state == "earlier"]
    if begun:
        begun[-1].state = "current" if in_force else "latest"
    return entries


def _stated(value: object) -> bool:
    return value is not None and value != []


def change_notes(instrument: Instrument, day: date) -> list[Pair]:
    """What each change did, old → new, in both languages (figures as the site writes them)."""
    notes: list[Pair] = []
    before = {name: getattr(instrument, name) for name in TERM_FIELDS}
    for change in instrument.changes:
        names = [n for n in TERM_FIELDS if getattr(change, n) is not None]
        if change.date.start > day:
            fields = (", ".join(_field(n)[0] for n in names), "、".join(_field(n)[1] for n in names))
            notes.append(_both("change_note.pending", fields=fields, when=_when(change)))
        else:
            for name in names:
                new = getattr(change, name)
                old_text, new_text = _value_text(before[name]), _value_text(new)
                notes.append(
                    _both("change_note.changed", field=_field(name), old=old_text, new=new_text, when=_when(change))
                )
                before[name] = new
            if change.date.start <= day < change.date.end:
                notes.append(_both("change_note.exact_date", when=_when(change), day=day_text(day)))
    return notes


def _both(key: str, **values: Pair) -> Pair:
    return (
        i18n.text(key, "en", **{k: v[0] for k, v in values.items()}),
        i18n.text(key, "zh", **{k: v[1] for k, v in values.items()}),
    )


def _field(name: str) -> Pair:
    return i18n.STRINGS[f"field.{name}"]


def _when(change: Change) -> Pair:
    return change.date.human(), change.date.human("zh")


def _value_text(value: object) -> Pair:
    """A term's value in words: a figure, a cap with its period, tiers, who may claim."""
    if value is None or value == []:
        return i18n.STRINGS["gap.long"]
    if isinstance(value, Quantity):
        return figures.figure_en(value), figures.figure_zh(value)
    if isinstance(value, Limit | Pool):
        en, zh = _value_text(value.amount)
        period_en, period_zh = _PERIOD_WORDS.get(value.period, ("", ""))
        return en + period_en, zh + period_zh
    if isinstance(value, list) and all(isinstance(t, Tier) for t in value):
        parts = [(t.describe(), t.describe("zh"), t.rate) for t in value]
        return (
            "; ".join(f"{en} {figures.figure_en(r)}" if r else en for en, _, r in parts),
            "；".join(f"{zh}{figures.figure_zh(r)}" if r else zh for _, zh, r in parts),
        )
    if isinstance(value, list):
        return ", ".join(label(v) for v in value), "、".join(label(v, "zh") for v in value)
    return str(value), str(value)


_PERIOD_WORDS = {Period.YEAR: (" a year", "（每年）"), Period.TOTAL: (" in total", "（总额）")}


# --------------------------------------------------------------------------- a place's records


def eligibility(instrument: Instrument) -> list[Pair]:
    """Who may claim and under what conditions, tier by tier, in both languages."""
    return list(zip(queries.eligibility_words(instrument), queries.eligibility_words(instrument, "zh"), strict=True))


def record_times(kb: KnowledgeBase, profile: queries.Profile) -> RecordTimes:
    """Status badges, histories, change notes, eligibility and target outcomes for a place page, on
    the profile's day (the day the site is built)."""
    times = RecordTimes(profile.as_of)
    for record_id, st in profile.status.items():
        times.badges[record_id] = badge(st)
    for shown in profile.instruments:
        original = kb.instruments.get(shown.id, shown)
        if shown.condition is not None or shown.tiers:  # else the terms' "For" row says it all
            times.eligibility[shown.id] = eligibility(shown)
        if original.changes:
            ended = times.badges[shown.id].status in _ENDED
            times.histories[shown.id] = terms_history(original, profile.as_of, in_force=not ended)
            times.change_notes[shown.id] = change_notes(original, profile.as_of)
    for target in profile.targets:
        times.outcomes[target.id] = target_outcome_key(target, profile.as_of)
    return times

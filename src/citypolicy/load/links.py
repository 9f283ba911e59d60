"""Links between records over time: `supersedes`, `amends` and `formerly`.

A policy may supersede (replace) one policy and amend others; an instrument may supersede another
instrument. Each link must name a record of the same section, the chain of `supersedes` must not
loop back, a record may not take effect before the one it replaces, end before it takes effect,
or change its terms outside its own window. `formerly` lists ids a
record had before (for `diff`): none may still be in use or be claimed by two records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from ..core.dates import PartialDate
from ..core.problems import Loc, Problem
from ..schema.model import Instrument, Policy, Record

if TYPE_CHECKING:
    from .loader import KnowledgeBase

Unknown = Callable[["KnowledgeBase", tuple[str, Loc], str, str, object], list[Problem]]


def check_links(kb: KnowledgeBase, unknown: Unknown) -> list[Problem]:
    """Problems with every supersedes/amends link; `unknown` reports a reference to nothing."""
    problems: list[Problem] = []
    for section, records in (("policies", kb.policies), ("instruments", kb.instruments)):
        for record in records.values():
            for key, target in _links(record):
                placed = kb.placed[record.id]
                where = (placed.file, (*placed.loc, *key))
                if target not in records:
                    problems += unknown(
                        kb, where, section.removesuffix("s").replace("policie", "policy"), target, records
                    )
                elif target == record.id:
                    verb = str(key[0]).removesuffix("s")  # supersedes → supersede, amends → amend
                    problems.append(Problem(where[0], f"'{record.id}' cannot {verb} itself", "cycle", where[1]))
        problems += _cycles(kb, records)
        problems += _order(kb, records)
        problems += [p for record in records.values() for p in _dates_in_window(kb, record)]
    return problems + _formerly(kb)


def _formerly(kb: KnowledgeBase) -> list[Problem]:
    """`formerly` names ids a record no longer has (so `diff` shows a rename): not a live id, and
    not one that two records both claim."""
    problems = []
    claimed: dict[str, str] = {}
    for record in kb.records():
        placed = kb.placed[record.id]
        for index, old in enumerate(record.formerly):
            where = (*placed.loc, "formerly", index)
            if old in kb.placed:
                message = f"'{old}' is the id of a record here ({kb.placed[old].file}): list only ids it no longer has"
                problems.append(Problem(placed.file, message, "formerly", where))
            elif old in claimed and claimed[old] != record.id:
                message = f"'{old}' is also listed as the former id of '{claimed[old]}': a rename has one new id"
                problems.append(Problem(placed.file, message, "formerly", where))
            claimed.setdefault(old, record.id)
    return problems


def _links(record: Record) -> Iterator[tuple[Loc, str]]:
    if isinstance(record, Policy | Instrument) and record.supersedes:
        yield ("supersedes",), record.supersedes
    if isinstance(record, Policy):
        for index, target in enumerate(record.amends):
            yield ("amends", index), target


def _cycles(kb: KnowledgeBase, records: dict[str, Policy] | dict[str, Instrument]) -> list[Problem]:
    problems = []
    reported: set[str] = set()
    for start in records.values():
        chain = [start.id]
        current = start
        while current.supersedes in records and current.supersedes != current.id:
            nxt = records[current.supersedes]
            if nxt.id in chain:
                loop = chain[chain.index(nxt.id) :]
                if not reported & set(loop):
                    reported.update(loop)
                    placed = kb.placed[start.id]
                    text = " → ".join([*loop, nxt.id])
                    message = f"supersedes links go round in a circle: {text}"
                    problems.append(Problem(placed.file, message, "cycle", (*placed.loc, "supersedes")))
                break
            chain.append(nxt.id)
            current = nxt
    return problems


def _order(kb: KnowledgeBase, records: dict[str, Policy] | dict[str, Instrument]) -> list[Problem]:
    """A record cannot start before the one it supersedes started."""
    problems = []
    for record in records.values():
        old = records.get(record.supersedes) if record.supersedes else None
        if old is None or old.id == record.id:
            continue
        new_start, old_start = starts(record), starts(old)
        if new_start and old_start and new_start.end < old_start.start:
            placed = kb.placed[record.id]
            message = f"it takes effect ({new_start}) before '{old.id}', which it supersedes ({old_start})"
            problems.append(Problem(placed.file, message, "order", (*placed.loc, "supersedes")))
    return problems


def _dates_in_window(kb: KnowledgeBase, record: Policy | Instrument) -> Iterator[Problem]:
    """An end no earlier than the issue or launch, and every change of terms within the record's own
    window (a change before the instrument's launch or after its end is a typo'd date)."""
    placed = kb.placed[record.id]
    first = starts(record)
    end = record.effective.end if record.effective else None
    if end and first and end.end < first.start:
        message = f"it ends ({end}) before it took effect ({first})"
        yield Problem(placed.file, message, "order", (*placed.loc, "effective", "end"))
    for index, change in enumerate(getattr(record, "changes", [])):
        where = (*placed.loc, "changes", index, "date")
        if first and change.date.end < first.start:
            message = f"these terms ({change.date}) come before the instrument took effect ({first})"
            yield Problem(placed.file, message, "order", where)
        elif end and change.date.start > end.end:
            message = f"these terms ({change.date}) come after the instrument's end ({end})"
            yield Problem(placed.file, message, "order", where)


def starts(record: Policy | Instrument) -> PartialDate | None:
    """When a record took effect, as far as the sources say: its effective start, else its issue
    (policies) or launch (instruments) date."""
    if record.effective and record.effective.start:
        return record.effective.start
    return record.issued if isinstance(record, Policy) else record.launched

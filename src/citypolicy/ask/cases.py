"""Running the calculation cases of data/cases/: each answer compared with what the analyst pinned.

A failure is reported as a readable diff: for each instrument, the expected line (`-`) and what the
calculator now answers (`+`), in the same words and formats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..core.quantity import Bound, format_cny
from ..load.loader import KnowledgeBase
from ..schema.cases import CalculationCase, Expected, ExpectedLine
from .calculator import Applicant, Case, Payout, SubsidyResult, parse_spend, subsidy
from .queries import kinds_for
from .timeline import as_day

_PREFIX = {Bound.AT_MOST: "up to ", Bound.AT_LEAST: "at least ", Bound.APPROX: "about "}


@dataclass
class Outcome:
    file: str
    index: int
    case: CalculationCase
    differences: list[tuple[str, str]] = field(default_factory=list)  # (expected, got), one per instrument

    @property
    def passed(self) -> bool:
        return not self.differences

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "case": self.index,
            "name": self.case.name,
            "passed": self.passed,
            "differences": [{"expected": e, "got": g} for e, g in self.differences],
        }


def run_cases(kb: KnowledgeBase) -> list[Outcome]:
    return [run_case(kb, file, index, case) for file, index, case in kb.cases]


def run_case(kb: KnowledgeBase, file: str, index: int, case: CalculationCase) -> Outcome:
    applicant = Applicant(
        case.beneficiary, case.startup, case.sme, case.applicant_class, tuple(sorted(case.conditions.items()))
    )
    day = as_day(case.as_of) if case.as_of else None
    result = subsidy(kb, parse_spend(case.spend), applicant, case.places or None, kinds_for(case.kind), day)
    outcome = Outcome(file, index, case)
    for expected in case.expect:
        wanted, got = describe_expected(expected), describe_answer(result, expected.instrument)
        if wanted != got:
            outcome.differences.append((wanted, got))
    return outcome


# --------------------------------------------------------------------------- one line per instrument


def describe_expected(expected: Expected) -> str:
    where = f"{expected.group} #{expected.rank}" if expected.rank else expected.group
    if expected.group == "conditional":
        return f"{expected.instrument}: {where}: {_lines(expected.lines)}"
    amount = _amount(expected.payout.value if expected.payout else None, expected.bound)
    return f"{expected.instrument}: {where}" + (f": {amount}" if amount else "")


def _lines(lines: list[ExpectedLine]) -> str:
    return "; ".join(
        f"{' & '.join(sorted(line.when))} → {_amount(line.payout.value if line.payout else None, line.bound) or '—'}"
        for line in sorted(lines, key=lambda x: sorted(x.when))
    )


def describe_answer(result: SubsidyResult, instrument_id: str) -> str:
    for rank, p, case in result.ranked:
        if p.instrument.id == instrument_id:
            return f"{instrument_id}: ranked #{rank}: {_amount(case.amount, case.bound)}"
    for p, case in result.separate:
        if p.instrument.id == instrument_id:
            return f"{instrument_id}: separate: {_amount(case.amount, case.bound)}"
    for p in result.conditional:
        if p.instrument.id == instrument_id:
            return f"{instrument_id}: conditional: {_answer_lines(p)}"
    for p, case in result.cap_not_stated:
        if p.instrument.id == instrument_id:
            return f"{instrument_id}: cap_not_stated: {_amount(case.amount, case.bound)}"
    for p in result.not_computable:
        if p.instrument.id == instrument_id:
            return f"{instrument_id}: {'not_open' if p.eligible is False else 'not_computable'}"
    return f"{instrument_id}: not_in_force"  # instruments not in force on the day are left out


def _answer_lines(p: Payout) -> str:
    lines = [(sorted(a.name for a in case.assumes), case) for case in p.cases if case.assumes]
    return "; ".join(
        f"{' & '.join(keys)} → {_amount(case.amount, case.bound) or '—'}" for keys, case in sorted(lines, key=_first)
    )


def _first(item: tuple[list[str], Case]) -> list[str]:
    return item[0]


def _amount(value: Decimal | None, bound: Bound) -> str:
    if value is None:
        return ""
    return _PREFIX.get(bound, "") + format_cny(value)


def render_outcomes(outcomes: list[Outcome]) -> str:
    lines = []
    for outcome in outcomes:
        mark = "ok  " if outcome.passed else "FAIL"
        lines.append(f"{mark} {outcome.file} cases[{outcome.index}]: {outcome.case.name}")
        for expected, got in outcome.differences:
            lines.append(f"    - {expected}")
            lines.append(f"    + {got}")
    failed = sum(not o.passed for o in outcomes)
    lines.append(f"{len(outcomes) - failed} of {len(outcomes)} cases pass")
    return "\n".join(lines) + "\n"

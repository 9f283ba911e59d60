"""Reading the calculation cases (data/cases/*.yaml) with the same positioned problems as data files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.problems import Problem
from ..schema.cases import CalculationCase, CasesFile

if TYPE_CHECKING:
    from .loader import KnowledgeBase

CASES_FOLDER = "data/cases"


def load_cases(kb: KnowledgeBase) -> list[Problem]:
    """Validate every cases file into kb.cases; an expected instrument must exist."""
    from .loader import _read_model

    problems: list[Problem] = []
    for path in sorted((kb.root / CASES_FOLDER).glob("*.yaml")):
        relative = f"{CASES_FOLDER}/{path.name}"
        parsed, file_problems = _read_model(kb.root, relative, CasesFile)
        problems += file_problems
        if not isinstance(parsed, CasesFile):
            continue
        for index, case in enumerate(parsed.cases):
            if case is None:
                continue
            kb.cases.append((relative, index, case))
            problems += _references(kb, relative, index, case)
    return problems


def _references(kb: KnowledgeBase, file: str, index: int, case: CalculationCase) -> list[Problem]:
    from rapidfuzz import process

    problems = []
    for number, expected in enumerate(case.expect):
        if expected is None or expected.instrument in kb.instruments:
            continue
        message = f"unknown instrument '{expected.instrument}'"
        best = process.extractOne(expected.instrument, list(kb.instruments), score_cutoff=60)
        message += f"; did you mean '{best[0]}'?" if best else ""
        problems.append(Problem(file, message, "unknown-reference", ("cases", index, "expect", number, "instrument")))
    return problems

"""Calculation cases: what the calculator must answer, pinned by analysts as data (data/cases/*.yaml).

A case is an applicant and a spend; it expects, for each instrument it names, where the answer
falls (ranked, conditional, …), the payout and its bound, and for conditional answers each case
line keyed by what it assumes (a condition's id, `class:A`, or `not:<id>` for "otherwise").
`citypolicy test` runs them; so does the test suite.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from ..core.quantity import Bound
from .model import Beneficiary, BeneficiaryField, Date, Id, Money, Strict

Group = Literal["ranked", "separate", "conditional", "cap_not_stated", "not_computable", "not_open", "not_in_force"]


class ExpectedLine(Strict):
    when: list[str] = Field(min_length=1, description="what the line assumes: a condition id, class:A, not:<id>")
    payout: Money | None = None
    bound: Bound = Bound.EXACT


class Expected(Strict):
    instrument: Id
    group: Group
    rank: int | None = Field(default=None, ge=1)
    payout: Money | None = Field(default=None, description="the amount paid, e.g. 600万 or 6000000")
    bound: Bound = Bound.EXACT
    lines: list[ExpectedLine] = Field(default=[], description="for a conditional answer: each case line")


class CalculationCase(Strict):
    model_config = ConfigDict(populate_by_name=True)

    name: str = Field(min_length=3)
    spend: str = Field(description="as `subsidy --spend` takes it: 1000万, 1.2亿, 12M")
    beneficiary: BeneficiaryField = Beneficiary.ENTERPRISE
    startup: bool = False
    sme: bool = False
    applicant_class: str | None = Field(default=None, alias="class")
    conditions: dict[str, bool] = {}
    kind: str = Field(default="compute", description="as `subsidy --kind` takes it")
    places: list[str] = Field(default=[], description="cities to compare (default: all)")
    as_of: Date | None = None
    expect: list[Expected] = Field(min_length=1)


class CasesFile(Strict):
    cases: list[CalculationCase] = Field(min_length=1)

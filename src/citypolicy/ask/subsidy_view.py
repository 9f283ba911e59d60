"""The calculator's answer as JSON and as tables: ranked definite payouts, then every case that
depends on something the applicant did not state, then caps not stated, never added up."""

from __future__ import annotations

from decimal import Decimal

from ..core.quantity import Bound, format_cny, json_number
from ..load.loader import KnowledgeBase
from ..schema.glossary import label
from ..schema.values import to_json
from .calculator import Case, Payout, SubsidyResult
from .present import TableData, View, place_json, place_text
from .timeline import StatusAt

_BOUND_PREFIX = {Bound.AT_MOST: "up to ", Bound.AT_LEAST: "at least ", Bound.APPROX: "about "}


def pays_text(case: Case) -> str:
    """¥5,000,000, or "up to ¥5,000,000" where the rate is a ceiling or the cap is not stated."""
    if case.amount is None:
        return ""
    return _BOUND_PREFIX.get(case.bound, "") + format_cny(case.amount)


def subsidy_view(kb: KnowledgeBase, result: SubsidyResult) -> View:
    payload = {
        "query": "subsidy",
        "spend": json_number(result.spend),
        "applicant": {
            "beneficiary": result.applicant.beneficiary.value,
            "startup": result.applicant.startup,
            "sme": result.applicant.sme,
            "class": result.applicant.applicant_class,
            "conditions": dict(result.applicant.conditions),
        },
        "kinds": [k.value for k in result.kinds],
        "ranked": [{"rank": rank, **payout_json(p, case)} for rank, p, case in result.ranked],
        "separate": [payout_json(p, case) for p, case in result.separate],
        "conditional": [payout_json(p, None) for p in result.conditional],
        "cap_not_stated": [payout_json(p, case) for p, case in result.cap_not_stated],
        "not_computable": [payout_json(p, None) for p in result.not_computable],
        "without_instrument": [place_json(c) for c in result.without_instrument],
        "not_in_force": [
            {
                "city": place_json(city),
                "place": place_json(kb.jurisdictions[i.jurisdiction]),
                "instrument": {"id": i.id, "kind": i.kind.value, "name": to_json(i.name)},
                "status": found.to_json(),
            }
            for city, i, found in result.not_in_force
        ],
        "notes": result.notes,
    }
    return View(payload, lambda: _tables(kb, result))


def _tables(kb: KnowledgeBase, result: SubsidyResult) -> list[TableData]:
    who = result.applicant.describe(_condition_words(result))
    tables = [
        TableData(
            f"What {format_cny(result.spend)} a year of spend gets back ({who}) — definite amounts only",
            ["rank", "place", "instrument", "pays", "how"],
            [[str(rank), *_cells(kb, p, case)] for rank, p, case in result.ranked] or [NONE_RANKED],
            notes=result.notes,
        )
    ]
    groups = [
        (
            "Depends on something the applicant did not state — each case shown, none chosen",
            ["place", "instrument", "case", "pays", "how"],
            [_case_row(kb, p, c) for p in result.conditional for c in p.cases if c.assumes],
        ),
        (
            "Cap not stated in the sources — rate × spend is an upper bound, not ranked",
            ["place", "instrument", "pays", "how"],
            [_cells(kb, p, c) for p, c in result.cap_not_stated],
        ),
        (
            "Also available in the same place — the sources do not say whether these stack; not added up",
            ["place", "instrument", "pays", "how"],
            [_cells(kb, p, c) for p, c in result.separate],
        ),
        (
            "Cannot be computed or not open to this applicant",
            ["place", "instrument", "why"],
            [_why_row(kb, p) for p in result.not_computable],
        ),
        (
            f"Not in force on {_day(result)}",
            ["place", "instrument", "status"],
            [
                [place_text(kb, kb.jurisdictions[i.jurisdiction], city), f"{i.name.zh} {i.name.en}", _status(found)]
                for city, i, found in result.not_in_force
            ],
        ),
        (
            "No such voucher or subsidy stated in the sources",
            ["place"],
            [[f"{c.name.zh} {c.name.en}"] for c in result.without_instrument],
        ),
    ]
    tables += [TableData(title, columns, rows) for title, columns, rows in groups if rows]
    return tables


def _condition_words(result: SubsidyResult) -> dict[str, str]:
    payouts = [p for _, p, _ in result.ranked] + [p for p, _ in result.separate + result.cap_not_stated]
    payouts += result.conditional + result.not_computable
    conditions = [c for p in payouts for c in [p.instrument.condition, *(t.condition for t in p.instrument.tiers)]]
    return {c.id: c.en for c in conditions if c is not None and c.id}


NONE_RANKED = ["—", "none", "", "", "no instrument pays this applicant a definite amount; the tables below say why"]


def _day(result: SubsidyResult) -> str:
    return result.not_in_force[0][2].day.isoformat() if result.not_in_force else ""


def _status(found: StatusAt) -> str:
    return f"{found.label()}: {found.reason_en}"


def _cells(kb: KnowledgeBase, p: Payout, case: Case) -> list[str]:
    return [place_text(kb, p.place, p.city), _instrument(p), pays_text(case), _how(case)]


def _case_row(kb: KnowledgeBase, p: Payout, case: Case) -> list[str]:
    assumes = "; ".join(a.text() for a in case.assumes)
    return [place_text(kb, p.place, p.city), _instrument(p), assumes, pays_text(case) or "—", _how(case)]


def _why_row(kb: KnowledgeBase, p: Payout) -> list[str]:
    why = p.steps or [step for case in p.cases for step in case.steps]
    return [place_text(kb, p.place, p.city), _instrument(p), "; ".join(why)]


def _instrument(p: Payout) -> str:
    who = ", ".join(label(b) for b in p.instrument.beneficiaries)
    return f"{p.instrument.name.zh} {p.instrument.name.en}" + (f" (for {who})" if who else "")


def _how(case: Case) -> str:
    return "; ".join([*case.steps, *case.flags])


def payout_json(p: Payout, case: Case | None) -> dict[str, object]:
    """One instrument's answer: its case (for a ranked or capped row) or all its cases."""
    body: dict[str, object] = {
        "city": place_json(p.city),
        "place": place_json(p.place),
        "instrument": {"id": p.instrument.id, "kind": p.instrument.kind.value, "name": to_json(p.instrument.name)},
        "eligible": p.eligible,
        "why": p.steps,
        "sources": [to_json(c) for c in p.instrument.sources],
    }
    if case is not None:
        body.update(case_json(case))
    else:
        body["cases"] = [case_json(c) for c in p.cases]
    return body


def case_json(case: Case) -> dict[str, object]:
    def num(value: Decimal | None) -> int | float | None:
        return json_number(value) if value is not None else None

    return {
        "assumes": [{"zh": a.zh, "en": a.en, "condition": a.condition, "holds": a.holds} for a in case.assumes],
        "terms": case.tier_label,
        "rate": case.rate.to_json() if case.rate else None,
        "cap": to_json(case.cap) if case.cap else None,
        "pool": to_json(case.pool) if case.pool else None,
        "gross": num(case.gross),
        "payout": num(case.amount),
        "bound": case.bound.value,
        "capped": case.capped,
        "steps": case.steps,
        "flags": case.flags,
    }

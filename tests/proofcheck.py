"""Shared by the proof tests: change one figure of a loaded record and ask the proof whether it still holds.

Every quantity is changed to 1.3× and 0.7× its value (keeping unit and bound; a whole number that
rounds back to itself moves by one), every date by a year
either way; the changed record is proven again exactly as `check` proves it (load/proof.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal

from pydantic import BaseModel

from citypolicy.core.dates import PartialDate
from citypolicy.core.quantity import Quantity, Unit
from citypolicy.load.loader import KnowledgeBase
from citypolicy.load.proof import path_to_loc, prove_record, quotes_index
from citypolicy.schema.values import iter_values


def changed_values(value: object) -> list[object]:
    if isinstance(value, Quantity):
        return [_scaled(value, Decimal("1.3")), _scaled(value, Decimal("0.7"))]
    if isinstance(value, PartialDate):
        return [replace(value, year=value.year + 1), replace(value, year=value.year - 1)]
    return []


def _scaled(quantity: Quantity, factor: Decimal) -> Quantity:
    value = quantity.value * factor
    if quantity.unit is Unit.RATIO and value > 1:
        value = quantity.value * Decimal("0.5")
    if quantity.unit not in (Unit.RATIO, Unit.EFLOPS) and quantity.value >= 1:
        value = value.to_integral_value()
        if value == quantity.value:  # a rank of 1 scales back to 1: move it by one instead
            value += 1 if factor > 1 else -1
    high = quantity.high * factor if quantity.high is not None else None
    if high is not None and quantity.unit is Unit.RATIO and high > 1:
        high = quantity.high * Decimal("0.5")  # type: ignore[operator]
    text = f"{quantity.text} → {value}"
    return replace(quantity, value=value, high=high, text=text)


def with_value(model: BaseModel, loc: tuple[str | int, ...], value: object) -> BaseModel:
    """A copy of `model` with the value at `loc` replaced (frozen models are rebuilt level by level)."""
    head, *rest = loc
    current = getattr(model, str(head))
    if rest and isinstance(rest[0], int):
        index, *deeper = rest
        items = list(current)
        items[index] = with_value(items[index], tuple(deeper), value) if deeper else value
        return model.model_copy(update={str(head): items})
    if rest:
        return model.model_copy(update={str(head): with_value(current, tuple(rest), value)})
    return model.model_copy(update={str(head): value})


def mutations(kb: KnowledgeBase) -> Iterator[tuple[str, str, object, object]]:
    """(record id, path, old value, new value) for every figure and date of every record."""
    for item in [*kb.jurisdictions.values(), *kb.records()]:
        for path, value in iter_values(item):
            if getattr(value, "derivation", None) or getattr(value, "basis", None):
                continue  # declared derivations and inferred dates are not stated by a quote
            for new in changed_values(value):
                yield item.id, path, value, new


def proof_problems(kb: KnowledgeBase, record_id: str, path: str, new: object) -> list[str]:
    """The proof's messages at `path` once the figure there is `new`."""
    item = kb.get(record_id)
    assert item is not None
    loc = path_to_loc(path)
    changed = with_value(item, loc, new)
    placed = kb.placed[record_id]
    found = prove_record(changed, placed.file, placed.loc, quotes_index(kb))  # type: ignore[arg-type]
    return [p.message for p in found if p.loc == (*placed.loc, *loc)]

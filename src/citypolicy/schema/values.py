"""Walk a record for the numbers and dates it holds, with the path of each field.

Shared by the facts export (one row per number), the coverage tool (does a record hold the value
an article mentions?) and the site (figures linked to their passages).
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum

from pydantic import BaseModel

from ..core.dates import PartialDate
from ..core.quantity import Quantity
from .model import YearSpan

Value = Quantity | PartialDate | YearSpan


def iter_values(model: BaseModel, prefix: str = "") -> Iterator[tuple[str, Value]]:
    """('cap.amount', Quantity), ('deadline', PartialDate), ('tiers[0].rate', Quantity) …"""
    for name in type(model).model_fields:
        value = getattr(model, name, None)
        path = f"{prefix}.{name}" if prefix else name
        yield from _walk(value, path)


def _walk(value: object, path: str) -> Iterator[tuple[str, Value]]:
    if isinstance(value, Quantity | PartialDate | YearSpan):
        yield path, value
    elif isinstance(value, BaseModel):
        yield from iter_values(value, path)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, BaseModel):
                yield from iter_values(item, f"{path}[{index}]")


def quantities(model: BaseModel) -> list[tuple[str, Quantity]]:
    return [(path, v) for path, v in iter_values(model) if isinstance(v, Quantity)]


def to_json(value: object) -> object:
    """A record as JSON data: what `model_dump(mode="json")` gives, without building pydantic's
    serializer (which a query from a cold process would pay for on every run)."""
    if isinstance(value, BaseModel):
        return {name: to_json(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, Quantity):
        return value.to_json()
    if isinstance(value, PartialDate):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    return value

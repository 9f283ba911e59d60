"""A pydantic validation error as a problem in the analyst's words: where it is (line and column
in the file), what was expected there, and for an unknown key the key meant or the keys allowed."""

from __future__ import annotations

import types
import typing

from pydantic import BaseModel

from ..core.problems import MAX_VALUE, Loc, Problem, clip
from .yamlread import locate


def pydantic_problem(file: str, root: object, model: type[BaseModel], error: dict) -> Problem:
    loc = tuple(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        message = _unknown_key_message(model, loc)
        line, column = locate(root, loc, at_key=True)
    else:
        message = _message(error, model, loc)
        line, column = locate(root, loc)
    return Problem(file, message, kind, loc, line, column)


def _message(error: dict, model: type[BaseModel], loc: Loc) -> str:
    kind, given = error["type"], error.get("input")
    if kind == "missing":
        return f"required key '{loc[-1]}' is missing"
    if kind == "value_error":
        return str(error["ctx"]["error"])
    if (
        kind == "string_pattern_mismatch"
        and loc
        and loc[-1] in {"id", "jurisdiction", "policy", "parent", "supersedes"}
    ):
        return f"'{given}' is not a valid id: use lowercase letters, digits and hyphens (e.g. shenzhen-ai-measures)"
    if kind == "enum":
        return f"'{given}' is not one of: {error['ctx']['expected']}"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        fields = ", ".join(_model_at(model, loc).model_fields) if _model_at(model, loc) else "keys"
        return f"expected a mapping with keys ({fields}), got {_describe(given)}"
    if kind == "list_type":
        return f"expected a list (lines starting with '- '), got {_describe(given)}"
    if kind == "string_type":
        return f"expected text, got {_describe(given)}"
    if kind in {"int_parsing", "int_type"}:
        return f"expected a whole number, got {_describe(given)}"
    if kind == "string_too_long" and isinstance(given, str):
        most = error["ctx"]["max_length"]
        advice = ": quote only the sentence that states the figure" if loc and loc[-1] == "quote" else ""
        return f"{len(given):,} characters is too long; at most {most:,} are allowed{advice}"
    if kind == "too_short" and isinstance(given, list):
        return "must not be empty: give at least one item"
    return f"{error['msg']} (got {_describe(given)})"


def _describe(value: object) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(clip(value, MAX_VALUE) if isinstance(value, str) else value)


def _unknown_key_message(model: type[BaseModel], loc: Loc) -> str:
    from ..schema.keyhints import suggest_key

    key = str(loc[-1])
    parent = _model_at(model, loc[:-1])
    allowed = _keys_of(parent) if parent else []
    message = f"unknown key '{key}'"
    if allowed:
        meant = suggest_key(key, allowed)
        message += f"; did you mean '{meant}'?" if meant else f"; allowed keys: {', '.join(allowed)}"
    return message


def _keys_of(model: type[BaseModel]) -> list[str]:
    """Keys as written in a file (a field's alias, e.g. `class`)."""
    return [info.alias or name for name, info in model.model_fields.items()]


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    current: object = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else None
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = info.annotation
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: object) -> object:
    """Optional[X] -> X; Annotated[X, ...] -> X."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = options[0]
        else:
            return annotation

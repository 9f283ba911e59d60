"""YAML text for analysts to edit: block style, short mappings inline, guesses marked with comments.

The loader reads every plain scalar as text, so quoting here is for the reader's and other tools'
sake: values that YAML would read otherwise (a bare year, a value holding a comma or a colon)
are written in double quotes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

GUESS = "# guess:"
_PLAIN = re.compile(r"[^\s,\[\]{}:#&*!|>'\"%@`?\-][^,\[\]{}#:]*")
_NUMBERLIKE = re.compile(r"[\d.\-+eE]+")
_RESERVED = {"", "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n"}


@dataclass
class Guess:
    """A value the tool guessed: written with `# guess: why` for the analyst to confirm."""

    value: object
    why: str


@dataclass
class Flow:
    """A short mapping written on one line: {zh: 算力券, en: compute voucher}."""

    items: dict[str, object]


@dataclass
class Comment:
    """A comment line of its own, before the entry that follows it in a mapping."""

    text: str


def scalar(value: object) -> str:
    text = str(value)
    if text != text.strip() or text.lower() in _RESERVED or _NUMBERLIKE.fullmatch(text) or not _PLAIN.fullmatch(text):
        return json.dumps(text, ensure_ascii=False)
    return text


def render(value: object, indent: int = 0) -> list[str]:
    """Lines for a top-level mapping or list."""
    if isinstance(value, dict):
        return _mapping(value, indent)
    if isinstance(value, list):
        return _sequence(value, indent)
    return [" " * indent + _inline(value)]


def _comment(why: str) -> str:
    return f"  {GUESS} {why}"


def _inline(value: object) -> str:
    if isinstance(value, Flow):
        return "{" + ", ".join(f"{k}: {_inline(v)}" for k, v in value.items.items()) + "}"
    if isinstance(value, list) and all(not isinstance(v, dict | Guess) for v in value):
        return "[" + ", ".join(_inline(v) for v in value) + "]"
    return scalar(value)


def _is_inline(value: object) -> bool:
    if isinstance(value, Guess):
        return _is_inline(value.value)
    if isinstance(value, list):
        return all(not isinstance(v, dict | Guess | Flow) for v in value)
    return not isinstance(value, dict)


def _mapping(mapping: dict[str, object], indent: int) -> list[str]:
    pad = " " * indent
    lines = []
    for key, value in mapping.items():
        if isinstance(value, Comment):
            lines.append(f"{pad}# {value.text}")
            continue
        why = value.why if isinstance(value, Guess) else None
        inner = value.value if isinstance(value, Guess) else value
        if _is_inline(inner):
            lines.append(f"{pad}{key}: {_inline(inner)}" + (_comment(why) if why else ""))
        elif isinstance(inner, dict):
            lines.append(f"{pad}{key}:" + (_comment(why) if why else ""))
            lines += _mapping(inner, indent + 2)
        else:
            lines.append(f"{pad}{key}:" + (_comment(why) if why else ""))
            lines += _sequence(inner, indent + 2)  # type: ignore[arg-type]
    return lines


def _sequence(items: list[object], indent: int) -> list[str]:
    pad = " " * indent
    lines = []
    for item in items:
        why = item.why if isinstance(item, Guess) else None
        inner = item.value if isinstance(item, Guess) else item
        if isinstance(inner, dict):
            body = _mapping(inner, indent + 2)
            first = next(i for i, line in enumerate(body) if not line.lstrip().startswith("#"))
            body[first] = f"{pad}- {body[first][indent + 2 :]}" + (_comment(why) if why else "")
            lines += body
        else:
            lines.append(f"{pad}- {_inline(inner)}" + (_comment(why) if why else ""))
    return lines

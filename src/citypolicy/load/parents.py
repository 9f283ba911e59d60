"""The place tree's parents: a parent written as a name (`parent: 福建`), and what to say when a
parent does not exist (how to create it; never a place that could not be its parent)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..core.problems import Loc, Problem
from ..core.textnorm import fold_key
from ..schema.model import ID_PATTERN, Jurisdiction, Level

if TYPE_CHECKING:
    from .loader import KnowledgeBase


def orphans_possible(kb: KnowledgeBase) -> bool:
    """Whether a place's child may be missing from the tree for another reason (a file that could not be
    read, a misspelt parent): that problem is the one to report, not the parent's lack of a source."""
    return bool(kb.unread_files) or any(
        place.parent is not None and place.parent not in kb.jurisdictions for place in kb.jurisdictions.values()
    )


def resolve_parent_names(kb: KnowledgeBase) -> None:
    """`parent: 福建` or `parent: Fujian` names a place the way every command accepts it: the parent's
    id is put in its stead. A name that matches no place, or several, is left for the check to report."""
    names: dict[str, set[str]] = {}
    for place in kb.jurisdictions.values():
        for name in _names_of(place):
            names.setdefault(name, set()).add(place.id)
    for place_file in kb.files.values():
        for index, place in enumerate(place_file.jurisdictions):
            if place is None or place.parent is None or place.parent in kb.jurisdictions:
                continue
            matches = names.get(_name_key(place.parent), set())
            if len(matches) == 1:
                resolved = place.model_copy(update={"parent": next(iter(matches))})
                place_file.jurisdictions[index] = resolved
                kb.jurisdictions[place.id] = resolved


_PLACE_SUFFIXES = ("特别行政区", "自治区", "省", "市", "区", "县")


def _name_key(text: str) -> str:
    key = fold_key(text).replace(" ", "")
    for suffix in (*_PLACE_SUFFIXES, "province", "city", "district"):
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            return key[: -len(suffix)]
    return key


def _names_of(place: Jurisdiction) -> set[str]:
    return {_name_key(name) for name in (place.id, place.name.zh, place.name.en, *place.aliases) if name}


def unknown_parent(
    kb: KnowledgeBase, where: tuple[str, Loc], jurisdiction: Jurisdiction, level_order: dict[Level, int]
) -> list[Problem]:
    """A parent no file defines: suggest only places that could be its parent, else say how to add it."""
    from rapidfuzz import fuzz, process

    value = jurisdiction.parent or ""
    if value in kb.invalid_ids:
        return []
    higher = [p.id for p in kb.jurisdictions.values() if level_order[p.level] < level_order[jurisdiction.level]]
    best = process.extractOne(value, higher, scorer=fuzz.ratio, score_cutoff=75)
    message = f"unknown place '{value}'"
    if best:
        return [Problem(where[0], f"{message}; did you mean '{best[0]}'?", "unknown-reference", where[1])]
    new_id = value if re.fullmatch(ID_PATTERN, value) else _pinyin_id(value)
    if jurisdiction.level in {Level.CITY, Level.MUNICIPALITY}:
        folder, level = "data/provinces", "province"
    else:
        folder, level = "data/cities", "city"
    message += (
        f": no file defines it. Create {folder}/{new_id}.yaml holding `id: {new_id}` and a jurisdiction "
        f"`{{id: {new_id}, level: {level}, name: {{zh: …, en: …}}, sources: []}}` (no source is needed for a place "
        f"that is only the parent of cited places), or let `citypolicy draft ARTICLE --place {jurisdiction.id}` "
        "write it"
    )
    return [Problem(where[0], message, "unknown-reference", where[1])]


def _pinyin_id(text: str) -> str:
    """福建省 -> fujian, Fujian Province -> fujian: an id for a place named in words."""
    from pypinyin import lazy_pinyin

    core = re.sub(r"(?i)\s+(province|city|district)$", "", text.strip())
    for suffix in _PLACE_SUFFIXES:
        core = core.removesuffix(suffix) if len(core) > len(suffix) + 1 else core
    words = re.findall(r"[a-z0-9]+", "".join(lazy_pinyin(core)).lower())
    return "-".join(words) or "new-place"

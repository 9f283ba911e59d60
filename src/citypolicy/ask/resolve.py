"""Finding places and records from what a person types: ids, zh/en names, Traditional script,
aliases, pinyin (`shen zhen`, `sz`), typos (`Shenzen`), and the glossary's synonyms (训练券 → 训力券).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..core.textnorm import fold_key
from ..load.loader import KnowledgeBase
from ..schema.glossary import SYNONYMS
from ..schema.model import Institution, Instrument, Jurisdiction, Level, Policy, Record

_PLACE_SUFFIXES = ("特别行政区", "自治区", "新区", "省", "市", "区", "县")


class NotFound(LookupError):
    def __init__(self, what: str, text: str, suggestions: list[str], hint: str | None = None):
        self.suggestions = suggestions
        hint = hint or (f"; did you mean {', '.join(suggestions)}?" if suggestions else "")
        super().__init__(f"no {what} matches '{text}'{hint}")


class Ambiguous(LookupError):
    def __init__(self, text: str, candidates: list[str]):
        self.candidates = candidates
        super().__init__(f"'{text}' could mean {', '.join(candidates)}: be more specific")


def normalise_query(text: str) -> str:
    return fold_key(text).replace(" ", "").replace("-", "").replace("_", "")


@lru_cache(maxsize=4096)
def pinyin_keys(zh: str) -> tuple[str, str]:
    """深圳市 -> ('shenzhen', 'sz'): full pinyin without tones, and initials, suffix dropped."""
    from pypinyin import Style, lazy_pinyin  # imported late: ~0.1 s, needed only for lookups

    core = zh
    for suffix in _PLACE_SUFFIXES:
        if core.endswith(suffix) and len(core) > len(suffix) + 1:
            core = core[: -len(suffix)]
            break
    syllables = lazy_pinyin(core, style=Style.NORMAL, errors="ignore")
    return "".join(syllables).lower(), "".join(s[0] for s in syllables if s).lower()


def _name_keys(place: Jurisdiction) -> list[str]:
    """The place's id, names and aliases, and its names without a suffix (深圳市 -> 深圳), normalised."""
    keys = [place.id, place.name.zh, place.name.en, *place.aliases]
    for key in (place.name.zh, place.name.en):
        for suffix in (*_PLACE_SUFFIXES, " District", " City", " Province", " zone"):
            if key.endswith(suffix) and len(key) > len(suffix) + 1:
                keys.append(key[: -len(suffix)])
    return [normalise_query(k) for k in keys if k]


def place_keys(place: Jurisdiction, pinyin: tuple[str, str] | None = None) -> list[str]:
    """Every key a place answers to: id, names, aliases, names without suffix, pinyin and initials."""
    return [*_name_keys(place), *(pinyin if pinyin is not None else pinyin_keys(place.name.zh))]


def _kept(kb: KnowledgeBase, name: str, compute):  # type: ignore[no-untyped-def]
    """A table derived from the knowledge base, computed once and kept on it (a cached copy keeps it too)."""
    found = kb.__dict__.get(name)
    if found is None:
        found = kb.__dict__[name] = compute()
    return found


def place_keys_index(kb: KnowledgeBase) -> dict[str, tuple[str, str]]:
    """Each place's pinyin keys by place id: (full pinyin, initials), e.g. shenzhen -> ('shenzhen', 'sz').

    Plain data, computed on first use (it imports pypinyin: ~0.3 s at 5,000 places) and kept on the
    knowledge base, so a cache that stores the knowledge base after this ran keeps it as well."""
    return _kept(kb, "place_pinyin_keys", lambda: {p.id: pinyin_keys(p.name.zh) for p in kb.jurisdictions.values()})


def _name_index(kb: KnowledgeBase) -> dict[str, list[str]]:
    """Normalised id, name or alias -> the ids of the places it names (no pinyin: cheap)."""

    def compute() -> dict[str, list[str]]:
        index: dict[str, list[str]] = {}
        for place in kb.jurisdictions.values():
            for key in dict.fromkeys(_name_keys(place)):
                index.setdefault(key, []).append(place.id)
        return index

    return _kept(kb, "place_name_keys", compute)


def resolve_place(kb: KnowledgeBase, text: str, levels: set[Level] | None = None) -> Jurisdiction:
    """The one place `text` names; NotFound with suggestions, or Ambiguous with candidates.

    Tried in order, each only when the one before found nothing: the exact id (never ambiguous,
    whatever other places call themselves), ids, names and aliases, pinyin, then fuzzy matching.
    """

    def allowed(place_id: str) -> bool:
        return levels is None or kb.jurisdictions[place_id].level in levels

    typed = text.strip().lower()
    if typed in kb.jurisdictions and allowed(typed):
        return kb.jurisdictions[typed]
    wanted = normalise_query(text)
    if not wanted:
        raise NotFound("place", text, [])
    found = [p for p in _name_index(kb).get(wanted, []) if allowed(p)]
    if not found:
        pinyin = place_keys_index(kb)
        found = [pid for pid, keys in pinyin.items() if wanted in keys and allowed(pid)]
    if len(found) == 1:
        return kb.jurisdictions[found[0]]
    if found:
        raise Ambiguous(text, [_candidate(kb.jurisdictions[p]) for p in found])
    return _fuzzy_place(kb, wanted, text, allowed)


def _candidate(place: Jurisdiction) -> str:
    return f"{place.id} ({place.name.zh}, {place.level.value})"


def _fuzzy_place(kb: KnowledgeBase, wanted: str, text: str, allowed) -> Jurisdiction:  # type: ignore[no-untyped-def]
    from rapidfuzz import fuzz

    pinyin = place_keys_index(kb)
    choices = {p.id: place_keys(p, pinyin[p.id]) for p in kb.jurisdictions.values() if allowed(p.id)}
    scored = sorted(
        ((max(fuzz.ratio(wanted, k) for k in keys), pid) for pid, keys in choices.items()),
        reverse=True,
    )
    if scored and scored[0][0] >= 80 and (len(scored) == 1 or scored[0][0] - scored[1][0] >= 5):
        return kb.jurisdictions[scored[0][1]]
    if scored and scored[0][0] >= 80:
        close = [pid for score, pid in scored if score >= scored[0][0] - 5]
        raise Ambiguous(text, close)
    suggestions = [pid for score, pid in scored[:3] if score >= 50]
    raise NotFound("place", text, suggestions)


# --------------------------------------------------------------------------- search


@dataclass(frozen=True)
class Entry:
    record_id: str
    kind: str  # jurisdiction, policy, instrument, target, indicator, institution
    field: str  # name, alias, title, short name, quote, metric, pinyin
    text: str  # as shown
    key: str  # normalised for matching


@dataclass
class Hit:
    entry: Entry
    score: float

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.entry.record_id,
            "kind": self.entry.kind,
            "field": self.entry.field,
            "text": self.entry.text,
            "score": round(self.score, 1),
        }


def search_entries(kb: KnowledgeBase) -> list[Entry]:
    entries: list[Entry] = []
    pinyin = place_keys_index(kb)

    def add(item_id: str, kind: str, field: str, text: str | None) -> None:
        if text:
            entries.append(Entry(item_id, kind, field, text, normalise_query(text)))

    for place in kb.jurisdictions.values():
        add(place.id, "jurisdiction", "name", place.name.zh)
        add(place.id, "jurisdiction", "name", place.name.en)
        for alias in place.aliases:
            add(place.id, "jurisdiction", "alias", alias)
        full, initials = pinyin[place.id]
        add(place.id, "jurisdiction", "pinyin", full)
        add(place.id, "jurisdiction", "pinyin", initials)
    for record in kb.records():
        kind = kb.section_of(record).rstrip("s").replace("policie", "policy")
        for field, text in _record_texts(record):
            add(record.id, kind, field, text)
        for citation in record.sources:
            add(record.id, kind, "quote", citation.quote)
    return entries


def _record_texts(record: Record) -> list[tuple[str, str]]:
    texts: list[tuple[str, str]] = []
    if isinstance(record, Policy):
        texts += [("title", record.title.zh), ("title", record.title.en)]
        texts += [("short name", s) for s in record.short_names]
    name = getattr(record, "name", None) or getattr(record, "metric", None)
    if name is not None:
        texts += [("name", name.zh), ("name", name.en)]
    if isinstance(record, Instrument | Institution):
        texts.append(("pinyin", pinyin_keys(record.name.zh)[0]))
    if isinstance(record, Institution):
        texts += [("alias", a) for a in record.aliases]
    return texts


def expand_synonyms(query: str) -> list[str]:
    """The query plus the glossary terms it is a synonym of (训练券 -> 训力券)."""
    key = normalise_query(query)
    out = [key]
    for term, synonyms in SYNONYMS.items():
        if any(normalise_query(s) == key for s in synonyms):
            out.append(normalise_query(term))
    return out


def search(kb: KnowledgeBase, query: str, limit: int = 10, entries: list[Entry] | None = None) -> list[Hit]:
    entries = entries if entries is not None else search_entries(kb)
    keys = expand_synonyms(query)
    best: dict[str, Hit] = {}
    for entry in entries:
        score = max(_score(k, entry) for k in keys)
        current = best.get(entry.record_id)
        if score >= 75 and (current is None or score > current.score):
            best[entry.record_id] = Hit(entry, score)
    hits = sorted(best.values(), key=lambda h: (-h.score, _KIND_ORDER.get(h.entry.kind, 9), h.entry.record_id))
    return hits[:limit]


_KIND_ORDER = {"jurisdiction": 0, "policy": 1, "instrument": 2, "institution": 3, "target": 4, "indicator": 5}


def _score(key: str, entry: Entry) -> float:
    from rapidfuzz import fuzz

    if not key:
        return 0.0
    if key == entry.key:
        return 100.0
    if entry.field == "quote":
        return 90.0 if key in entry.key and len(key) >= 2 else 0.0
    if key in entry.key:
        return 95.0 - min(20.0, (len(entry.key) - len(key)) * 0.5)
    if entry.field == "pinyin" and len(key) <= 3:
        return 0.0  # short keys match initials exactly or not at all
    return fuzz.ratio(key, entry.key) if len(entry.key) <= 3 * len(key) else fuzz.partial_ratio(key, entry.key) * 0.9


def did_you_mean(kb: KnowledgeBase, query: str, entries: list[Entry] | None = None) -> list[str]:
    from rapidfuzz import fuzz

    entries = entries if entries is not None else search_entries(kb)
    key = normalise_query(query)
    scored = sorted(((fuzz.ratio(key, e.key), e.text) for e in entries if e.field != "quote"), reverse=True)
    seen: list[str] = []
    for score, text in scored:
        if score < 40 or len(seen) == 3:
            break
        if text not in seen:
            seen.append(text)
    return seen

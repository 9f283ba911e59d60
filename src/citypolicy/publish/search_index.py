"""The site's search index: a script file defining one JSON object, so search works from file://.

Everything language-specific is done here, at build time, with the project's own tools: keys are
folded as the command line folds them (textnorm: Traditional → Simplified, NFKC, punctuation, lower
case), pinyin comes from pypinyin, and the Traditional characters a reader may type are shipped as a
small map onto the Simplified characters the keys contain. The browser only folds the query with
that map and scores it as `citypolicy search` does (ask/resolve.py).
"""

from __future__ import annotations

import json
from functools import lru_cache

from ..ask.resolve import normalise_query, pinyin_keys
from ..core.textnorm import _PUNCT_FOLD, to_simplified
from ..load.loader import KnowledgeBase
from ..schema.glossary import SYNONYMS, label
from ..schema.model import Indicator, Institution, Instrument, Jurisdiction, Policy, Target
from .charts import place_names
from .links import Links
from .provenance import record_name

# Field codes, as the browser scores them: quotes match by containment only; short pinyin keys
# match initials exactly or not at all (as in resolve._score).
NAME, ALIAS, PINYIN, QUOTE = "n", "a", "p", "q"
KIND_ORDER = ["place", "policy", "instrument", "institution", "target", "indicator", "quote"]
SNIPPET = 80


def _kind(record: object) -> str:
    return {
        Jurisdiction: "place",
        Policy: "policy",
        Instrument: "instrument",
        Target: "target",
        Indicator: "indicator",
        Institution: "institution",
    }[type(record)]


class IndexBuilder:
    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.links = Links(kb, "index.html")
        self.items: list[list[object]] = []
        self.keys: list[list[object]] = []

    def item(self, kind: str, zh: str, en: str, href: str, where_zh: str = "", where_en: str = "") -> int:
        self.items.append([kind, zh, en, href, where_zh, where_en])
        return len(self.items) - 1

    def key(self, item: int, field: str, text: str | None) -> None:
        if text and (folded := normalise_query(text)):
            self.keys.append([item, field, folded])

    def chinese(self, item: int, text: str) -> None:
        """A Chinese name, its full pinyin and its initials."""
        self.key(item, NAME, text)
        if any("\u4e00" <= c <= "\u9fff" for c in text):
            full, initials = pinyin_keys(text)
            self.key(item, PINYIN, full)
            self.key(item, PINYIN, initials)

    def where(self, place_id: str) -> tuple[str, str]:
        from ..ask.queries import city_of

        place = self.kb.jurisdictions[place_id]
        return place_names(self.kb, place, city_of(self.kb, place))

    def add_place(self, place: Jurisdiction) -> None:
        parent = self.kb.jurisdictions.get(place.parent) if place.parent else None
        where = (parent.name.zh, parent.name.en) if parent else ("", "")
        zh = f"{place.name.zh}（{label(place.level, 'zh')}）"
        en = f"{place.name.en} ({label(place.level)})"
        item = self.item("place", zh, en, self.links.place(place.id), *where)
        self.chinese(item, place.name.zh)
        self.key(item, NAME, place.name.en)
        self.key(item, NAME, place.id)
        for alias in place.aliases:
            self.chinese(item, alias)
            self.key(item, ALIAS, alias)

    def add_record(self, record: Policy | Instrument | Target | Indicator | Institution) -> None:
        en, zh = record_name(self.kb, record)
        item = self.item(_kind(record), zh, en, self.links.record(record), *self.where(record.jurisdiction))
        self.chinese(item, zh)
        self.key(item, NAME, en)
        if isinstance(record, Policy):
            for short in record.short_names:
                self.chinese(item, short)
        if isinstance(record, Instrument):
            self.key(item, NAME, label(record.kind, "zh"))
            self.key(item, NAME, label(record.kind))
        if isinstance(record, Institution):
            for alias in record.aliases:
                self.key(item, ALIAS, alias)
        for citation in record.sources:
            quote = citation.quote
            snippet = quote if len(quote) <= SNIPPET else quote[: SNIPPET - 1] + "…"
            where = self.where(record.jurisdiction)
            href = self.links.passage(record, citation)
            q = self.item("quote", snippet, "", href, f"{where[0]} · {zh}", f"{en}, {where[1]}")
            self.key(q, QUOTE, quote)

    def build(self) -> dict[str, object]:
        # Ties between results are broken by kind, then by id, as `citypolicy search` breaks them.
        for place in sorted(self.kb.jurisdictions.values(), key=lambda p: p.id):
            self.add_place(place)
        for record in sorted(self.kb.records(), key=lambda r: r.id):
            self.add_record(record)  # type: ignore[arg-type]
        chars = {c for _, _, k in self.keys for c in str(k)}
        return {
            "version": 1,
            "items": self.items,
            "keys": self.keys,
            "fold": {t: s for t, s in traditional_map().items() if s in chars},
            "punct": {k: v for k, v in _PUNCT_FOLD.items() if k != v},
            "synonyms": synonyms(),
            "kinds": KIND_ORDER,
        }


@lru_cache(maxsize=1)
def traditional_map() -> dict[str, str]:
    """Every CJK character OpenCC reads as a different, single Simplified one (about 3,800)."""
    out = {}
    for start, end in ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00)):
        for code in range(start, end):
            char = chr(code)
            simple = to_simplified(char)
            if simple != char and len(simple) == 1:
                out[char] = simple
    return out


def synonyms() -> dict[str, str]:
    """Folded synonym -> folded glossary term (训练券 -> 训力券)."""
    return {normalise_query(s): normalise_query(term) for term, words in SYNONYMS.items() for s in words}


def search_index(kb: KnowledgeBase) -> dict[str, object]:
    return IndexBuilder(kb).build()


def search_script(kb: KnowledgeBase) -> str:
    """The index as a script: `window.CITYPOLICY_SEARCH = {...};` (loaded when the box is first used)."""
    payload = json.dumps(search_index(kb), ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f"window.CITYPOLICY_SEARCH = {payload};\n"

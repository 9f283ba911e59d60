"""Chinese text folding: Traditional to Simplified (OpenCC), full/half width, quote styles.

Folding is done per character (OpenCC converts the whole text at once when that keeps its length),
so folded text can keep a map from each of its characters back to the original: a match found in
folded text is then shown (highlighted, linked) in the text as the source wrote it. The fast path
(`fold_text`) is a single `str.translate`; the map is only built when a position is asked for.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache

# Punctuation that differs only by script or typography is folded to one form.
_PUNCT_FOLD = {
    "「": '"', "」": '"', "『": '"', "』": '"', "“": '"', "”": '"', "‘": '"', "’": '"',
    "'": '"', "《": '"', "》": '"', "〈": '"', "〉": '"',
    "—": "-", "–": "-", "―": "-", "－": "-", "~": "-", "〜": "-",
    "・": "·", "•": "·", "‧": "·", "。": ".", "、": ",", "﹐": ",",
}  # fmt: skip


@lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional Chinese to Simplified."""
    if text.isascii():
        return text
    return _t2s().convert(text)


def _simplified_aligned(text: str) -> str:
    """Simplified text of the same length as `text` (OpenCC phrase rules can change length)."""
    converted = to_simplified(text)
    if len(converted) == len(text):
        return converted
    return "".join(c if len(c := to_simplified(ch)) == 1 else ch for ch in text)


class _CharFold(dict[str, str]):
    """A translate table built lazily, one character at a time: NFKC, then punctuation, then spaces."""

    def __init__(self, drop_space: bool, fold_punct: bool):
        super().__init__()
        self.drop_space = drop_space
        self.fold_punct = fold_punct

    def __missing__(self, code: int) -> str:  # str.translate looks characters up by code point
        char = chr(code)
        piece = unicodedata.normalize("NFKC", char) if not char.isascii() else char
        if self.fold_punct:
            piece = "".join(_PUNCT_FOLD.get(c, c) for c in piece)
        if self.drop_space:
            piece = "".join(c for c in piece if not c.isspace())
        self[code] = piece  # type: ignore[index]
        return piece


_FOLD_SCAN = _CharFold(drop_space=False, fold_punct=False)
_FOLD_MATCH = _CharFold(drop_space=True, fold_punct=True)


def fold_text(text: str) -> str:
    """Folded for matching: Simplified, NFKC, no whitespace, one form of each punctuation mark."""
    return _simplified_aligned(text).translate(_FOLD_MATCH)


def fold_key(text: str) -> str:
    """Folded text for comparisons (names, aliases, quotes), lower case."""
    return fold_text(text).lower()


@dataclass(frozen=True)
class Folded:
    """Folded text with, on demand, the index in the original of each of its characters."""

    original: str
    simplified: str
    table: _CharFold

    @cached_property
    def text(self) -> str:
        return self.simplified.translate(self.table)

    @cached_property
    def origin(self) -> tuple[int, ...]:
        out: list[int] = []
        for index, char in enumerate(self.simplified):
            out.extend([index] * len(self.table[ord(char)]))
        return tuple(out)

    def span_in_original(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) covering folded [start, end)."""
        origin = self.origin
        if start >= len(origin):
            last = origin[-1] + 1 if origin else 0
            return last, last
        return origin[start], origin[max(start, end - 1)] + 1


def fold_for_scanning(text: str) -> Folded:
    """NFKC + Simplified, keeping whitespace: digits, units and numerals become uniform."""
    return Folded(text, _simplified_aligned(text), _FOLD_SCAN)


def fold_for_matching(text: str) -> Folded:
    """For quote matching: also drop whitespace and fold punctuation and quote styles."""
    return Folded(text, _simplified_aligned(text), _FOLD_MATCH)


def detect_script(text: str) -> str:
    """'traditional' or 'simplified': whether OpenCC's Traditional-to-Simplified conversion changes
    a noticeable share of the Chinese characters (a Simplified text is left almost unchanged)."""
    chinese = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if not chinese:
        return "simplified"
    sample = "".join(chinese)
    changed = sum(1 for a, b in zip(sample, _simplified_aligned(sample), strict=True) if a != b)
    return "traditional" if changed >= max(2, len(chinese) // 100) else "simplified"

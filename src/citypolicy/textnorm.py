"""Chinese text folding: Traditional to Simplified (OpenCC), full/half width, quote styles.

Folded text keeps a map from each folded character back to its index in the original, so a
match found in folded text can be shown (highlighted, linked) in the text as the source wrote it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Punctuation that differs only by script or typography is folded to one form.
_PUNCT_FOLD = str.maketrans(
    {
        "「": '"',
        "」": '"',
        "『": '"',
        "』": '"',
        "“": '"',
        "”": '"',
        "‘": '"',
        "’": '"',
        "'": '"',
        "《": '"',
        "》": '"',
        "〈": '"',
        "〉": '"',
        "—": "-",
        "–": "-",
        "―": "-",
        "－": "-",
        "~": "-",
        "〜": "-",
        "・": "·",
        "•": "·",
        "‧": "·",
        "。": ".",
        "、": ",",
        "﹐": ",",
    }
)


@lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional Chinese to Simplified, character for character where OpenCC allows."""
    if text.isascii():
        return text
    return _t2s().convert(text)


@dataclass(frozen=True)
class Folded:
    text: str
    origin: tuple[int, ...]  # origin[i] = index in the original text of folded char i

    def span_in_original(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) covering folded [start, end)."""
        if start >= len(self.origin):
            last = self.origin[-1] + 1 if self.origin else 0
            return last, last
        return self.origin[start], self.origin[max(start, end - 1)] + 1


def fold_for_scanning(text: str) -> Folded:
    """NFKC + Simplified, keeping whitespace: digits, units and numerals become uniform."""
    return _fold(text, drop_space=False, fold_punct=False)


def fold_for_matching(text: str) -> Folded:
    """For quote matching: also drop whitespace and fold punctuation and quote styles."""
    return _fold(text, drop_space=True, fold_punct=True)


def _fold(text: str, drop_space: bool, fold_punct: bool) -> Folded:
    simplified = _simplified_aligned(text)
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(simplified):
        piece = unicodedata.normalize("NFKC", char) if not char.isascii() else char
        if fold_punct:
            piece = piece.translate(_PUNCT_FOLD)
        for out in piece:
            if drop_space and out.isspace():
                continue
            chars.append(out)
            origin.append(index)
    return Folded("".join(chars), tuple(origin))


def _simplified_aligned(text: str) -> str:
    """Simplified text of the same length as `text` (OpenCC phrase rules can change length)."""
    converted = to_simplified(text)
    if len(converted) == len(text):
        return converted
    return "".join(c if len(c := to_simplified(ch)) == 1 else ch for ch in text)


def fold_key(text: str) -> str:
    """Folded text for comparisons (names, aliases, quotes): no map needed."""
    return fold_for_matching(text).text.lower()

"""Source articles (seeds/) and the verification of quotes against them."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..core.textnorm import Folded, fold_for_matching, fold_text
from .fileread import InputError, read_input


@dataclass
class Document:
    """One source article as it lies on disk, with a folded copy for script-blind matching."""

    file: str
    text: str

    @cached_property
    def folded(self) -> Folded:
        return fold_for_matching(self.text)

    def contains(self, quote: str) -> bool:
        """Whether `quote` occurs, ignoring script, spaces and punctuation width."""
        needle = fold_text(quote)
        return bool(needle) and needle in self.folded.text

    def find(self, quote: str) -> tuple[int, int] | None:
        """Span of `quote` in the original text, ignoring script, spaces and punctuation width."""
        needle = fold_text(quote)
        if not needle:
            return None
        start = self.folded.text.find(needle)
        if start < 0:
            return None
        return self.folded.span_in_original(start, start + len(needle))

    def occurrence_lines(self, quote: str) -> list[int]:
        """1-based line of each occurrence of `quote` (folded), in order."""
        needle = fold_text(quote)
        lines, start = [], self.folded.text.find(needle) if needle else -1
        while start >= 0:
            lines.append(self.text.count("\n", 0, self.folded.span_in_original(start, start + 1)[0]) + 1)
            start = self.folded.text.find(needle, start + len(needle))
        return lines

    def closest(self, quote: str) -> str:
        """The passage most like `quote`, for an analyst fixing a quote (linear in the article)."""
        needle = fold_text(quote)
        if not needle or not self.folded.text:
            return ""
        span = closest_span(needle, self.folded.text)
        if span is None:
            return ""
        start, end = self.folded.span_in_original(*span)
        return " ".join(self.text[start:end].split())


_PIECE = 64  # rapidfuzz aligns a needle this short in time linear in the article
_PIECES = 8


def closest_span(needle: str, haystack: str) -> tuple[int, int] | None:
    """Where `needle` best matches in `haystack` (rapidfuzz's partial ratio).

    An exact best alignment costs time quadratic in the needle's length (10,000 characters took
    minutes), so a longer needle is aligned by pieces: up to eight 64-character pieces spread over
    it are aligned on their own, and the passage starts where the most (and best) of them agree."""
    from rapidfuzz import fuzz

    if len(needle) <= _PIECE:
        found = fuzz.partial_ratio_alignment(needle, haystack)
        return (found.dest_start, found.dest_end) if found else None
    if len(haystack) <= len(needle):
        return 0, len(haystack)
    count = min(_PIECES, -(-len(needle) // _PIECE))
    offsets = [round(i * (len(needle) - _PIECE) / (count - 1)) for i in range(count)]
    votes: list[tuple[float, int]] = []  # (score, where the needle would start)
    for offset in offsets:
        found = fuzz.partial_ratio_alignment(needle[offset : offset + _PIECE], haystack)
        if found is not None:
            votes.append((found.score, found.dest_start - offset))
    if not votes:
        return None
    slack = max(len(needle) // 8, 1)
    _, start = max(votes, key=lambda vote: (sum(s for s, at in votes if abs(at - vote[1]) <= slack), vote[0]))
    start = min(max(start, 0), len(haystack) - len(needle))
    return start, start + len(needle)


@dataclass
class Library:
    """The documents of one knowledge base, read lazily and once."""

    folder: Path
    _docs: dict[str, Document | None] = field(default_factory=dict)
    _why: dict[str, str] = field(default_factory=dict)  # file -> why it could not be read

    def get(self, file: str) -> Document | None:
        if file not in self._docs:
            self._docs[file] = self._read(file)
        return self._docs[file]

    def why(self, file: str) -> str:
        """Why `file` is missing from the library (after get() returned None)."""
        return self._why.get(file, "does not exist")

    def _read(self, file: str) -> Document | None:
        if "/" in file or "\\" in file or file.startswith("."):
            return None
        try:
            raw = read_input(self.folder.parent, f"{self.folder.name}/{file}")
        except InputError as error:
            self._why[file] = _why(error)
            return None
        try:
            text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
        except UnicodeDecodeError:
            self._why[file] = "is not UTF-8 text; save it with UTF-8 encoding"
            return None
        return Document(file, text)

    def files(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(p.name for p in self.folder.glob("*.txt"))


def _why(error: InputError) -> str:
    """The reason as it reads after the file's name: "seeds/x.txt is refused: it is a FIFO …"."""
    if error.missing:
        return "does not exist"
    message = str(error)
    return "is " + message if message.startswith("refused") else "is unreadable: " + message.split(": ", 1)[-1]

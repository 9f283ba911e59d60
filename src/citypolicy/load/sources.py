"""Source articles (seeds/) and the verification of quotes against them."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..core.textnorm import Folded, fold_for_matching, fold_text


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
        """The passage most like `quote` (rapidfuzz), for an analyst fixing a quote."""
        from rapidfuzz import fuzz

        needle = fold_text(quote)
        if not needle or not self.folded.text:
            return ""
        alignment = fuzz.partial_ratio_alignment(needle, self.folded.text)
        if alignment is None:
            return ""
        start, end = self.folded.span_in_original(alignment.dest_start, alignment.dest_end)
        return " ".join(self.text[start:end].split())


@dataclass
class Library:
    """The documents of one knowledge base, read lazily and once."""

    folder: Path
    _docs: dict[str, Document | None] = field(default_factory=dict)

    def get(self, file: str) -> Document | None:
        if file not in self._docs:
            self._docs[file] = self._read(file)
        return self._docs[file]

    def _read(self, file: str) -> Document | None:
        path = self.folder / file
        if "/" in file or "\\" in file or file.startswith(".") or not path.is_file():
            return None
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return None
        return Document(file, text)

    def files(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(p.name for p in self.folder.glob("*.txt"))

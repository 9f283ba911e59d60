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

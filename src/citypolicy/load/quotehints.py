"""What to say about a quote beyond found / not found.

A quote with one wrong character (李文 for 高文, 30% for 20%) is found by the closest-passage search;
an analyst then still has to spot the difference in a long sentence: each difference is shown with a
few characters around it, in both texts, marked in [brackets]. A quote that occurs more than once in
its article stands for its first occurrence only: that is worth a warning.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from ..core.problems import Loc, Problem
from ..core.textnorm import Folded, fold_for_matching
from .sources import Document

_AROUND = 4  # characters of context on each side of a difference
_SHOWN = 3  # differences listed; more are counted


def describe_differences(quote: str, passage: str) -> str:
    """`the article has «主任[高]文» where the quote has «主任[李]文»`, or "" when nothing differs."""
    mine, theirs = fold_for_matching(quote), fold_for_matching(passage)
    matcher = SequenceMatcher(None, mine.text, theirs.text, autojunk=False)
    changes = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    if not changes or matcher.ratio() < 0.6:
        return ""
    parts = [
        f"the article has «{_marked(theirs, j1, j2)}» where the quote has «{_marked(mine, i1, i2)}»"
        for _, i1, i2, j1, j2 in changes[:_SHOWN]
    ]
    more = len(changes) - _SHOWN
    return "; ".join(parts) + (f"; and {more} more difference{'s' if more > 1 else ''}" if more > 0 else "")


def _marked(folded: Folded, start: int, end: int) -> str:
    """The original text around folded [start, end), with that stretch in brackets."""
    text = folded.original
    if not folded.text:
        return "[]"
    left, _ = folded.span_in_original(max(start - _AROUND, 0), max(start - _AROUND, 0) + 1)
    begin, stop = folded.span_in_original(start, end) if end > start else _point(folded, start)
    _, right = folded.span_in_original(min(end + _AROUND, len(folded.text)) - 1, min(end + _AROUND, len(folded.text)))
    left, right = min(left, begin), max(right, stop)
    return " ".join(f"{text[left:begin]}[{text[begin:stop]}]{text[stop:right]}".split())


def _point(folded: Folded, start: int) -> tuple[int, int]:
    """An empty stretch (a character missing on this side) at folded position `start`."""
    if start >= len(folded.text):
        end = len(folded.original)
        return end, end
    at, _ = folded.span_in_original(start, start + 1)
    return at, at


def repeated_quote(doc: Document, file: str, loc: Loc, quote: str, ignore: bool) -> Problem | None:
    """A warning when `quote` occurs several times in `doc` (it stands for its first occurrence)."""
    lines = doc.occurrence_lines(quote)
    if len(lines) < 2:
        return None
    where = ", ".join(str(n) for n in lines[:-1]) + f" and {lines[-1]}"
    if ignore:
        message = (
            f"this passage occurs {len(lines)} times in {doc.file} (lines {where}) but an ignore entry covers only "
            "its first occurrence: lengthen the quote to the occurrence you mean, or add an entry for each"
        )
    else:
        message = (
            f"quote occurs {len(lines)} times in {doc.file} (lines {where}); it stands for its first occurrence "
            "only: lengthen it so that it names one passage"
        )
    return Problem(file, message, "repeated-quote", loc)

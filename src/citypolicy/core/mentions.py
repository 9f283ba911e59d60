"""Every figure a text states: quantities and dates, with the bound their sentence gives them.

A mention is a number with a unit, a counter (家, 个, 名 …), a magnitude (万, 亿) or a percentage,
a rank (全省第二, 跻身前20, 十强), or a date (2025年3月3日, 2024年底, 今年5月, 2025—2027年). Bare
numbers (model names such as QwQ-32B, "20+8") and plain ordinals (第五届) are not mentions.

Quantities are read with the loader's own grammar (quantity.quantity_re), so what a text states is
what a record can hold; then the sentence around each one may change its bound:
- a qualifier earlier in the clause still governs it: 按不超过服务合同金额的50% is at most 50%;
  每年度最高可使用1000万元 is at most ¥10M;
- 提高…至60% after a ceiling in the same sentence raises the ceiling: at most 60%;
- 据不完全统计 (by incomplete count) makes the sentence's counts and amounts lower bounds.
The quote-proof check (load/proof.py), `extract` and `coverage` all read mentions from here.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from decimal import Decimal

from .dates import Part, PartialDate
from .quantity import (
    STREAK,
    TOP_GROUP,
    TOP_N,
    Bound,
    Quantity,
    QuantityError,
    Unit,
    chinese_numeral,
    quantity_from_match,
    quantity_re,
    word_quantity,
)
from .textnorm import Folded, fold_for_scanning


@dataclass(frozen=True)
class YearRange:
    """A span of years a text names (2025—2027年)."""

    start: int
    end: int

    def __str__(self) -> str:
        return f"{self.start}–{self.end}"


@dataclass(frozen=True)
class DayRange:
    """Days a text names together (2月21日至23日): a date within them agrees with it."""

    first: PartialDate
    last: PartialDate

    @property
    def start(self):  # type: ignore[no-untyped-def]
        return self.first.start

    @property
    def end(self):  # type: ignore[no-untyped-def]
        return self.last.end

    def __str__(self) -> str:
        return f"{self.first}/{self.last.day:02d}"


@dataclass
class Mention:
    start: int  # offsets in the original text
    end: int
    text: str
    kind: str  # "quantity" or "date"
    sentence: str
    quantity: Quantity | None = None
    date: PartialDate | YearRange | DayRange | None = None

    @property
    def normalised(self) -> str:
        if self.quantity is not None:
            q = self.quantity
            high = f"..{q.high}" if q.high is not None else ""
            return f"{q.value}{high} {q.unit.value} ({q.bound.value})"
        return str(self.date) if self.date is not None else "(date without a year)"


# --------------------------------------------------------------------------- dates

_PARTS = {
    "初": Part.EARLY,
    "上旬": Part.EARLY,
    "中": Part.MID,
    "中旬": Part.MID,
    "底": Part.LATE,
    "末": Part.LATE,
    "下旬": Part.LATE,
    "年底": Part.LATE,
    "年初": Part.EARLY,
    "年末": Part.LATE,
}
_YEAR = r"(?:19|20)\d{2}"
_MONTH = r"1[0-2]|0?[1-9]"
_DAY = r"[12]\d|3[01]|0?[1-9]"
_MONTH_PART = "底|初|中旬|上旬|下旬"
_DATE_RE = re.compile(
    rf"""
      (?P<p1>{_YEAR})年?\s?[-—–~至到]\s?(?P<p2>{_YEAR})年
    | (?P<y>{_YEAR})年
      (?:(?P<m>{_MONTH})月(?:(?P<d>{_DAY})日|(?P<mp>{_MONTH_PART}))?|(?P<yp>底|初|末|中))?
    | (?P<rel>今年|去年|明年|前年|同年)
      (?:(?P<rm>{_MONTH})月(?:(?P<rd>{_DAY})日|(?P<rmp>{_MONTH_PART}))?|(?P<ryp>年底|年初|年末|底|初))?
    | (?P<now>截至目前|目前|如今|当前|现阶段)
    | (?P<m2>{_MONTH})月
      (?:(?P<d2>{_DAY})日(?:[至到-](?P<d3>{_DAY})日)?|(?P<mp2>{_MONTH_PART}))?
    | (?P<decade>[1-9]0)年代
    """,
    re.VERBOSE,
)
_RELATIVE_YEARS = {"今年": 0, "去年": -1, "明年": 1, "前年": -2}
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")


# --------------------------------------------------------------------------- bounds from context

_CLAUSE_END = re.compile(r"[，,。；;！？!?\n：:]")
_AT_MOST_WORDS = ("不超过", "不高于", "最高", "至多", "最多", "上限", "封顶")
_AT_LEAST_WORDS = ("不少于", "不低于", "至少", "超过", "逾")
_APPROX_WORDS = ("约占", "约为", "约合", "约有", "大约", "接近")
_GOVERNING_REACH = 16  # characters between a qualifier and the number it governs
_RAISE_TO = re.compile(r"提高[^，,。；;]{0,12}[至到]\s?$")
_INCOMPLETE_COUNT = "据不完全统计"

# Ranks written in words: a scope or a ranking verb before 第N; 前N (top N) and N强 (the top N).
_RANK_CONTEXT = re.compile(r"(?:全国|全省|全市|全区|全球|世界|国内|省内|市内|广东|位居|位列|排名|排在|排|居)$")
_TOP_N = re.compile(rf"(?:(?:跻身|位列|进入|位居|居|排名|入选)(?P<top>{TOP_N})|[“\"「]?(?P<group>{TOP_GROUP}))")
# 约 begins words that do not mean "about": 签约 (sign), 预约 (book), 合约 (contract) …
_YUE_WORDS = frozenset("签预合条公节制契违履赴邀特")
_STREAK = re.compile(STREAK)


def find_mentions(text: str, year: int | PartialDate | None = None) -> list[Mention]:
    """Mentions in reading order. `year` (the article's date, or its year) resolves 今年/去年, dates
    without a year, and 目前/如今 (now: the article's date)."""
    now = year if isinstance(year, PartialDate) else (PartialDate(year) if year else None)
    year = year.year if isinstance(year, PartialDate) else year
    folded = fold_for_scanning(text)
    scan = folded.text
    ends = sentence_ends(text)
    taken: list[tuple[int, int]] = []
    mentions: list[Mention] = []
    last_year: int | None = None
    for match in _DATE_RE.finditer(scan):
        if _inside_word(scan, match.start()):
            continue
        date, explicit = _date_from_match(match, year, last_year, now)
        if explicit is not None:
            last_year = explicit
        taken.append(match.span())
        mentions.append(_mention(text, folded, ends, *match.span(), "date", date=date))
    found: list[tuple[int, int, Quantity]] = []
    for start, end, quantity in _word_quantities(scan):
        taken.append((start, end))
        found.append((start, end, quantity))
    for match in quantity_re().finditer(scan):
        if match.group("pre") == "约" and match.start() and scan[match.start() - 1] in _YUE_WORDS:
            match = quantity_re().match(scan, match.start() + 1) or match  # 签约10个: signed 10, not about 10
        start, end = match.span()
        if end == start or any(s < end and start < e for s, e in taken):
            continue
        quantity = _quantity_mention(match, scan)
        if quantity is not None:
            found.append((start, end, quantity))
    found.sort(key=lambda item: item[0])
    for start, end, quantity in _with_context_bounds(scan, found):
        mentions.append(_mention(text, folded, ends, start, end, "quantity", quantity=quantity))
    return sorted(mentions, key=lambda m: m.start)


def _word_quantities(scan: str) -> list[tuple[int, int, Quantity]]:
    """Ranks and streaks written in words: 跻身前20, “十强”, 三连跳 (read by quantity.word_quantity)."""
    out = []
    for match in [*_TOP_N.finditer(scan), *_STREAK.finditer(scan)]:
        start = match.start("top") if "top" in match.re.groupindex and match.group("top") else match.start()
        if "group" in match.re.groupindex and match.group("group"):
            start = match.start("group")
        text = scan[start : match.end()]
        try:
            quantity = word_quantity(text, text)
        except QuantityError:
            continue
        if quantity is not None:
            out.append((start, match.end(), quantity))
    return out


def _numeral_value(numeral: str) -> Decimal | None:
    try:
        return Decimal(numeral) if numeral.isdigit() else Decimal(chinese_numeral(numeral))
    except QuantityError:
        return None


def _with_context_bounds(scan: str, found: list[tuple[int, int, Quantity]]) -> list[tuple[int, int, Quantity]]:
    out: list[tuple[int, int, Quantity]] = []
    previous_end = 0
    for start, end, quantity in found:
        if quantity.bound is Bound.EXACT:
            quantity = replace(quantity, bound=_bound_from_context(scan, start, previous_end, quantity, out))
        out.append((start, end, quantity))
        previous_end = end
    return out


def _bound_from_context(
    scan: str, start: int, previous_end: int, quantity: Quantity, earlier: list[tuple[int, int, Quantity]]
) -> Bound:
    clause_start = max((m.end() for m in _CLAUSE_END.finditer(scan, 0, start)), default=0)
    begin = max(clause_start, previous_end, start - _GOVERNING_REACH)
    if begin and scan[begin - 1] == "不":
        begin -= 1  # the window must not cut 不超过 into 超过
    window = scan[begin:start]
    window = re.sub(r"(?:最多|最高)的", "", window)  # 人数最多的两组: "the largest two groups", not "at most two"
    if any(word in window for word in _AT_MOST_WORDS):
        return Bound.AT_MOST
    if any(word in window for word in _AT_LEAST_WORDS):
        return Bound.AT_LEAST
    if any(word in window for word in _APPROX_WORDS):
        return Bound.APPROX
    sentence_start = max((m.end() for m in _SENTENCE_END.finditer(scan, 0, start)), default=0)
    if _RAISE_TO.search(scan, clause_start, start) and any(
        s >= sentence_start and q.unit is quantity.unit and q.bound is Bound.AT_MOST for s, _, q in earlier
    ):
        return Bound.AT_MOST
    if quantity.unit in (Unit.COUNT, Unit.CNY) and _INCOMPLETE_COUNT in scan[sentence_start:start]:
        return Bound.AT_LEAST
    return Bound.EXACT


def _inside_word(scan: str, start: int) -> bool:
    before = scan[start - 1] if start else ""
    return before.isascii() and before.isalnum()


def _date_from_match(
    match: re.Match[str], year: int | None, last_year: int | None, now: PartialDate | None = None
) -> tuple[PartialDate | YearRange | None, int | None]:
    g = match.groupdict()
    if g["now"]:
        return (replace(now, basis=None) if now else None), None
    if g["p1"]:
        start, end = int(g["p1"]), int(g["p2"])
        return (YearRange(start, end) if start <= end else None), end
    if g["y"]:
        explicit = int(g["y"])
        return _partial(explicit, g["m"], g["d"], g["mp"] or g["yp"]), explicit
    if g["rel"]:
        relative = year + _RELATIVE_YEARS[g["rel"]] if year and g["rel"] in _RELATIVE_YEARS else None
        base = last_year if g["rel"] == "同年" else relative
        if base is None:
            return None, None
        return _partial(base, g["rm"], g["rd"], g["rmp"] or g["ryp"]), None
    if g["m2"]:
        if year is None:
            return None, None
        first = _partial(year, g["m2"], g["d2"], g["mp2"])
        last = _partial(year, g["m2"], g["d3"], None) if g["d3"] else None
        return (DayRange(first, last) if first and last and last >= first else first), None
    return None, None  # a decade: kept as a mention, without a normalised date


def _partial(year: int, month: str | None, day: str | None, part: str | None) -> PartialDate | None:
    try:
        return PartialDate(
            year, int(month) if month else None, int(day) if day else None, _PARTS.get(part) if part else None
        )
    except ValueError:
        return None


def _quantity_mention(match: re.Match[str], scan: str) -> Quantity | None:
    g = match.groupdict()
    if g["ordinal"]:
        return _rank(match, scan)
    has_unit = bool(g["unit"] or g["u1"] or g["currency"])
    if not (has_unit or g["m"] or g["half"] or "/" in (g["n"] or "")):
        return None  # a bare number: a name or a code, not a quantity
    if not (g["n"] or g["n1"] or g["half"]) and (not has_unit or scan[max(match.start() - 1, 0)] == "每"):
        return None  # a bare 万 in a word (瞬息万变) or a rate base (每万人口)
    numeral = g["n"] or ""
    if numeral and not numeral[0].isdigit() and not g["m"] and numeral in {"一", "零", "〇"}:
        return None  # 一家 / 一个 mean "a", not one
    try:
        return quantity_from_match(match, match.group(0).strip())
    except QuantityError:
        return None


def _rank(match: re.Match[str], scan: str) -> Quantity | None:
    """第N is a rank only after a scope or a ranking verb (全省第二, 位居第二); 第五届 is not one."""
    if not _RANK_CONTEXT.search(scan, max(match.start() - 4, 0), match.start()):
        return None
    try:
        return quantity_from_match(match, match.group(0).strip())
    except QuantityError:
        return None


def _mention(text: str, folded: Folded, ends: list[int], start: int, end: int, kind: str, **values: object) -> Mention:
    o_start, o_end = folded.span_in_original(start, end)
    sentence = sentence_at(text, o_start, o_end, ends)
    return Mention(o_start, o_end, text[o_start:o_end], kind, sentence, **values)  # type: ignore[arg-type]


def sentence_ends(text: str) -> list[int]:
    """Where each sentence of `text` ends (just after its 。！？；or line break), in order."""
    return [m.end() for m in _SENTENCE_END.finditer(text)]


def sentence_at(text: str, start: int, end: int, ends: list[int] | None = None) -> str:
    """The sentence holding text[start:end], spaces collapsed; `ends` (sentence_ends) saves
    rescanning the text for every mention of a long article."""
    ends = sentence_ends(text) if ends is None else ends
    before = bisect_right(ends, start)  # sentences ended at or before the mention's start
    left = ends[before - 1] if before else 0
    after = bisect_right(ends, end)  # the first end past the mention's end
    right = ends[after] if after < len(ends) else len(text)
    return " ".join(text[left:right].split())


def dates_agree(held: object, seen: object) -> bool:
    """A record's date (or year span) agrees with a date a text states: equal, or one's window lies
    within the text's only where the text names days together (2025-02-23 within 2月21日至23日), since a
    date the text gives more loosely does not state the record's; a span of years agrees with its own
    span or a year at either end, but a year is not stated by a span the text names (2023年至2025年)."""
    held_span, seen_span = _is_year_span(held), _is_year_span(seen)
    if held_span and seen_span:
        return (held.start, held.end) == (seen.start, seen.end)  # type: ignore[attr-defined]
    if held_span:  # a record's span of years, a date in the text: either end
        return isinstance(seen, PartialDate) and seen.year in (held.start, held.end)  # type: ignore[attr-defined]
    if seen_span:
        return False
    stated_within = seen.start >= held.start and seen.end <= held.end  # type: ignore[attr-defined]
    if isinstance(seen, DayRange):  # days named together (2月21日至23日): a date within them too
        return stated_within or (held.start >= seen.start and held.end <= seen.end)  # type: ignore[attr-defined]
    return stated_within


def _is_year_span(value: object) -> bool:
    return not isinstance(value, PartialDate | DayRange)

"""Quantities as Chinese policy texts write them: `最高1000万元`, `8,000亿元以上`, `3—5个`, `九成`.

One grammar (quantity_re()) serves both the loader (a field value must match it whole) and the
extractor (mentions are found in running text with the same pattern), so the two cannot drift.
Values are normalised: CNY in yuan, ratios 0..1, counts, EFLOPS, durations; money and counts are
exact Decimals. Chinese numerals (两, 一千二百) are read by cn2an; magnitudes (万, 亿, 兆) and
qualifiers (最高, 以上, 近 …) are the policy-specific part written here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Context, Decimal, InvalidOperation, localcontext
from enum import StrEnum
from functools import lru_cache


class Unit(StrEnum):
    CNY = "cny"
    RATIO = "ratio"
    COUNT = "count"
    EFLOPS = "eflops"
    YEARS = "years"
    MONTHS = "months"
    DAYS = "days"
    HOURS = "hours"
    MINUTES = "minutes"
    KM2 = "km2"
    RANK = "rank"


UNIT_DESCRIPTIONS: dict[Unit, str] = {
    Unit.CNY: "Chinese yuan (元); 万元, 亿元, 万亿元/兆元 are multiplied out",
    Unit.RATIO: "a share between 0 and 1 (50% → 0.5, 九成 → 0.9)",
    Unit.COUNT: "a number of things: firms (家), items (个, 项, 款), people (名, 位, 人) …",
    Unit.EFLOPS: "computing power in EFLOPS (PFLOPS ÷ 1000)",
    Unit.YEARS: "a duration in years",
    Unit.MONTHS: "a duration in months",
    Unit.DAYS: "a duration in days",
    Unit.HOURS: "a duration in hours",
    Unit.MINUTES: "a duration in minutes",
    Unit.KM2: "an area in square kilometres",
    Unit.RANK: "a position in a ranking (第三 → 3)",
}


class Bound(StrEnum):
    EXACT = "exact"
    AT_MOST = "at_most"
    AT_LEAST = "at_least"
    APPROX = "approx"
    RANGE = "range"


BOUND_WORDS = {
    Bound.EXACT: "",
    Bound.AT_MOST: "up to",
    Bound.AT_LEAST: "over",
    Bound.APPROX: "about",
    Bound.RANGE: "",
}


@dataclass(frozen=True)
class Quantity:
    value: Decimal
    unit: Unit
    bound: Bound
    text: str
    high: Decimal | None = None  # upper end of a range
    unit_declared: bool = False  # the record names the unit the text leaves implicit ({text: 千亿级, unit: cny})
    derivation: str | None = None  # how the figure follows from its sentence, when the sentence does not state it

    def to_json(self) -> dict[str, object]:
        return {
            "value": json_number(self.value),
            "high": json_number(self.high) if self.high is not None else None,
            "unit": self.unit.value,
            "bound": self.bound.value,
            "text": self.text,
            "derivation": self.derivation,
        }

    def __reduce__(self) -> tuple[object, ...]:  # compact in the cache: plain strings, not objects
        high = str(self.high) if self.high is not None else None
        return (
            _restore,
            (str(self.value), self.unit.value, self.bound.value, self.text, high, self.unit_declared, self.derivation),
        )

    def matches(self, unit: Unit, value: Decimal) -> bool:
        return self.unit == unit and value in (self.value, self.high)


def _restore(
    value: str,
    unit: str,
    bound: str,
    text: str,
    high: str | None,
    declared: bool = False,
    derivation: str | None = None,
) -> Quantity:
    return Quantity(
        Decimal(value),
        Unit(unit),
        Bound(bound),
        text,
        Decimal(high) if high is not None else None,
        declared,
        derivation,
    )


class QuantityError(ValueError):
    pass


def json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


# ---------------------------------------------------------------------------------------------
# The grammar. Texts are NFKC-normalised and Simplified before matching (see normalise()).

_AT_MOST_PRE = "最高不超过|最多不超过|最高不高于|最高|最多|不超过|不高于|不到|不足|至多|上限为|上限|低至|少于|低于"
_AT_LEAST_PRE = "超过|超出|超|逾|突破|不少于|不低于|至少|高于|多于|上"
_APPROX_PRE = "大约|约|近|将近|接近"
_NEUTRAL_PRE = "力争|达到|达|为|共|累计|合计|总额|总计"
_ARABIC = r"\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_FRACTION = r"\d+/\d+"
_CN_DIGIT = "零〇一二两三四五六七八九"
_CN_NUMERAL = rf"[几数]?[{_CN_DIGIT}十百千]*[{_CN_DIGIT}十百千几]"
_MAGNITUDE = "万亿|兆|亿|万"
_MAGNITUDES = {"万": 10**4, "亿": 10**8, "万亿": 10**12, "兆": 10**12}
_MORE = "余|多"

# Unit words, longest first. Each maps to (unit, multiplier).
_UNIT_WORDS: dict[str, tuple[Unit, Decimal]] = {
    "元人民币": (Unit.CNY, Decimal(1)),
    "元": (Unit.CNY, Decimal(1)),
    "%": (Unit.RATIO, Decimal("0.01")),
    "‰": (Unit.RATIO, Decimal("0.001")),
    "成": (Unit.RATIO, Decimal("0.1")),
    "EFLOPS": (Unit.EFLOPS, Decimal(1)),
    "PFLOPS": (Unit.EFLOPS, Decimal("0.001")),
    "个月": (Unit.MONTHS, Decimal(1)),
    "周年": (Unit.YEARS, Decimal(1)),
    "年": (Unit.YEARS, Decimal(1)),
    "天": (Unit.DAYS, Decimal(1)),
    "日": (Unit.DAYS, Decimal(1)),
    "小时": (Unit.HOURS, Decimal(1)),
    "分钟": (Unit.MINUTES, Decimal(1)),
    "平方公里": (Unit.KM2, Decimal(1)),
}
COUNTERS = tuple("家个项款名位人支件台张套份期届座所封次批辆户场例篇部组只颗块间")
for _counter in COUNTERS:
    _UNIT_WORDS[_counter] = (Unit.COUNT, Decimal(1))
_UNIT_ALTERNATION = "|".join(re.escape(w) for w in sorted(_UNIT_WORDS, key=len, reverse=True))

_NUMBER = rf"(?:{_FRACTION}|{_ARABIC}|{_CN_NUMERAL})"
_QUANTITY_PATTERN = rf"""
    (?P<pre>{_AT_MOST_PRE}|{_AT_LEAST_PRE}|{_APPROX_PRE})?
    (?:{_NEUTRAL_PRE})?
    (?P<currency>[¥￥])?
    (?P<ordinal>第)?
    (?:
        (?P<n1>{_NUMBER})\s?(?P<m1>{_MAGNITUDE})?(?P<u1>{_UNIT_ALTERNATION})?
        \s?(?P<sep>[-—–~至到])\s?
        (?P<n2>{_NUMBER})
      | (?P<half>一半|半数)
      | (?P<n>{_NUMBER})
      | (?=[万亿兆])
    )
    (?P<more1>{_MORE})?
    \s?(?P<m>{_MAGNITUDE})?
    (?P<more>{_MORE})?
    (?P<level>级)?
    \s?(?P<unit>{_UNIT_ALTERNATION})?
    (?P<post>以上|以下|以内|左右|之多)?
    (?:\((?:含|含本数)\))?
    """


@lru_cache(maxsize=1)
def quantity_re() -> re.Pattern[str]:
    """The grammar, compiled on first use (most commands read cached, already parsed values)."""
    return re.compile(_QUANTITY_PATTERN, re.VERBOSE)


_PRE_BOUND = (
    {w: Bound.AT_MOST for w in _AT_MOST_PRE.split("|")}
    | {w: Bound.AT_LEAST for w in _AT_LEAST_PRE.split("|")}
    | {w: Bound.APPROX for w in _APPROX_PRE.split("|")}
)
_POST_BOUND = {
    "以上": Bound.AT_LEAST,
    "之多": Bound.AT_LEAST,
    "以下": Bound.AT_MOST,
    "以内": Bound.AT_MOST,
    "左右": Bound.APPROX,
}


def normalise(text: str) -> str:
    """NFKC (full-width digits, ％), then Simplified script (OpenCC: 兩萬 → 两万, 幾十億 → 几十亿)."""
    from .textnorm import to_simplified

    return to_simplified(unicodedata.normalize("NFKC", text))


def parse_quantity(text: object, default_unit: Unit | None = None) -> Quantity:
    """Parse a field value. Plain numbers take `default_unit`; errors say what was expected."""
    if isinstance(text, str):
        return _parse_text(text, default_unit)  # the same text recurs across records: memoised
    return _parse_quantity(text, default_unit)


@lru_cache(maxsize=8192)
def _parse_text(text: str, default_unit: Unit | None) -> Quantity:
    return _parse_quantity(text, default_unit)


def _parse_quantity(text: object, default_unit: Unit | None) -> Quantity:
    if isinstance(text, bool) or text is None:
        raise QuantityError(f"expected a quantity such as 5亿元 or 50%, got {text!r}")
    if isinstance(text, int | float | Decimal):
        text = str(text)
    if not isinstance(text, str):
        raise QuantityError(f"expected a quantity written as text, got {type(text).__name__}")
    written = text.strip()
    if not written:
        raise QuantityError("empty quantity")
    folded = normalise(written).replace(" ", "")
    match = quantity_re().fullmatch(folded)
    if match is None or not _has_number(match):
        worded = word_quantity(folded, written)
        if worded is not None:
            return worded
        raise QuantityError(
            f"cannot read {written!r} as a quantity; write it as the source does, "
            "e.g. 最高1000万元, 8,000亿元以上, 50%, 3—5个, 100 EFLOPS"
        )
    return quantity_from_match(match, written, default_unit)


# Ranks and streaks written in words: 前20 (top 20), 十强 (the top ten), 三连跳 (three rises in a row).
TOP_N = r"前(?P<n>\d+|[一二两三四五六七八九十百]+)(?:名|位|强)?"
TOP_GROUP = r"(?P<s>[十百]|\d+)强"
STREAK = r"(?P<k>[二两三四五六七八九十]|\d+)连(?:跳|冠|增|升)"


def word_quantity(folded: str, written: str) -> Quantity | None:
    """前20 / 十强 → a rank of at most N; 三连跳 → a count of N; None for anything else."""
    for pattern, unit, bound in ((TOP_N, Unit.RANK, Bound.AT_MOST), (TOP_GROUP, Unit.RANK, Bound.AT_MOST),
                                 (STREAK, Unit.COUNT, Bound.EXACT)):  # fmt: skip
        match = re.fullmatch(pattern, folded)
        if match:
            numeral = next(g for g in match.groups() if g)
            value = Decimal(numeral) if numeral.isdigit() else Decimal(chinese_numeral(numeral))
            return Quantity(value, unit, bound, written)
    return None


def _has_number(match: re.Match[str]) -> bool:
    return bool(match.group("n") or match.group("n1") or match.group("m") or match.group("half"))


# Enough digits for any amount written with 兆 and decimals to stay exact; longer numbers are refused.
_EXACT = Context(prec=80)
MAX_DIGITS = 40


def quantity_from_match(match: re.Match[str], written: str, default_unit: Unit | None = None) -> Quantity:
    with localcontext(_EXACT):
        return _quantity_from_match(match, written, default_unit)


def _quantity_from_match(match: re.Match[str], written: str, default_unit: Unit | None) -> Quantity:
    groups = match.groupdict()
    magnitude = Decimal(_MAGNITUDES[groups["m"]]) if groups["m"] else Decimal(1)
    unit_word = groups["unit"] or groups["u1"]
    if groups["ordinal"]:
        unit, factor = Unit.RANK, Decimal(1)
    elif unit_word:
        unit, factor = _UNIT_WORDS[unit_word]
    elif groups["currency"]:
        unit, factor = Unit.CNY, Decimal(1)
    elif "/" in (groups["n"] or groups["n1"] or "") or groups["half"]:  # a fraction is a share
        unit, factor = Unit.RATIO, Decimal(1)
    elif default_unit is not None:
        unit, factor = default_unit, Decimal(1)
    else:
        unit, factor = Unit.COUNT, Decimal(1)
    scale = magnitude * factor

    if groups["n1"]:
        low = _number(groups["n1"]) * (Decimal(_MAGNITUDES[groups["m1"]]) if groups["m1"] else magnitude) * factor
        high = _number(groups["n2"]) * scale
        if low > high:
            raise QuantityError(f"range {written!r} runs backwards ({low} > {high})")
        return Quantity(_tidy(low), unit, Bound.RANGE, written, _tidy(high))

    if groups["half"]:
        return Quantity(Decimal("0.5"), Unit.RATIO, _bound(groups), written)
    numeral = groups["n"] or "一"
    fuzzy = _fuzzy_range(numeral)
    if fuzzy:
        low, high = fuzzy
        return Quantity(_tidy(low * scale), unit, Bound.RANGE, written, _tidy(high * scale))
    value = _number(numeral) * scale
    return Quantity(_tidy(value), unit, _bound(groups), written)


def _bound(groups: dict[str, str | None]) -> Bound:
    if groups["post"]:
        return _POST_BOUND[groups["post"]]
    if groups["pre"]:
        return _PRE_BOUND[groups["pre"]]
    if groups["more"] or groups["more1"] or groups["level"]:
        return Bound.AT_LEAST
    return Bound.EXACT


def _tidy(value: Decimal) -> Decimal:
    """Drop trailing zeros so 5.0亿 and 5亿 are the same value; keep integers integral."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _number(token: str) -> Decimal:
    if sum(c.isdigit() for c in token) > MAX_DIGITS:
        raise QuantityError(f"{token} has more than {MAX_DIGITS} digits: no policy figure is that long")
    if "/" in token:
        numerator, denominator = token.split("/")
        if int(denominator) == 0:
            raise QuantityError(f"{token}: division by zero")
        return Context(prec=28).divide(Decimal(numerator), Decimal(denominator))  # a share: 28 digits
    if token[0].isdigit():
        try:
            return Decimal(token.replace(",", ""))
        except InvalidOperation as error:
            raise QuantityError(f"cannot read the number {token!r}") from error
    return Decimal(chinese_numeral(token))


def _fuzzy_range(numeral: str) -> tuple[Decimal, Decimal] | None:
    """几十 / 数百 (several tens/hundreds) and 十几 (a dozen or so) as ranges."""
    if numeral[0] in "几数" and len(numeral) == 2 and numeral[1] in "十百千":
        unit = Decimal(chinese_numeral(numeral[1]))  # 十 百 千 alone are 一十 一百 一千
        return 2 * unit, 9 * unit
    if numeral.endswith("几") and len(numeral) >= 2:
        base = Decimal(chinese_numeral(numeral[:-1]))
        step = Decimal(10) ** max(len(str(int(base))) - 2, 0)
        return base + step, base + 9 * step
    return None


@lru_cache(maxsize=512)
def chinese_numeral(token: str) -> int:
    """一千二百 → 1200 via cn2an (imported only for numerals of several characters); 百 / 千 alone
    (as in 百余项, 千亿级) read as 一百 / 一千."""
    if token in {"几", "数"}:
        raise QuantityError(f"{token} is not a definite number")
    if len(token) == 1 and token in _CN_DIGIT + "十百千":  # the usual case (两个, 九成, 千亿级): no cn2an
        return 2 if token == "两" else int(unicodedata.numeric(token))  # 两 is no numeral to Unicode
    if len(token) > 1 and not any(c in token for c in "十百千"):
        raise QuantityError(f"{token} is a string of digits, not a Chinese number (唯一一个, 一一)")
    if token[0] in "十百千":
        token = "一" + token
    import cn2an  # imported late: it takes ~0.1 s and most data never needs it

    try:
        return int(cn2an.cn2an(token, "normal"))
    except (ValueError, KeyError) as error:
        raise QuantityError(f"cannot read the Chinese numeral {token!r}") from error


def format_quantity(q: Quantity, lang: str = "en", compact: bool = False) -> str:
    """Human rendering of a normalised quantity: ¥10,000,000 · 50% · 2,600 · 100 EFLOPS.

    compact: large money as ¥10 m, ¥800 bn, ¥1 tn (for pages; the exact value stays in the data).
    """
    plain = _compact if compact else _plain
    if q.bound is Bound.RANGE and q.high is not None:
        body = f"{plain(q.value, q.unit)}–{plain(q.high, q.unit)}"
    else:
        body = plain(q.value, q.unit)
    word = BOUND_WORDS[q.bound]
    if lang == "zh":
        body = _in_chinese_units(body, q.unit)
        word = {"up to": "最高", "over": "超", "about": "约"}.get(word, "")
        return f"{word}{body}" if word else body
    return f"{word} {body}" if word else body


def _plain(value: Decimal, unit: Unit) -> str:
    if unit is Unit.CNY:
        return f"¥{_grouped(value)}"
    if unit is Unit.RATIO:
        return f"{_grouped(value * 100)}%"
    if unit is Unit.EFLOPS:
        return f"{_grouped(value)} EFLOPS"
    if unit is Unit.RANK:
        return f"#{_grouped(value)}"
    suffix = {
        Unit.YEARS: " years",
        Unit.MONTHS: " months",
        Unit.DAYS: " days",
        Unit.HOURS: " hours",
        Unit.MINUTES: " minutes",
        Unit.KM2: " km²",
    }.get(unit, "")
    return f"{_grouped(value)}{suffix}"


_ZH_UNIT_WORDS = {
    Unit.YEARS: "年",
    Unit.MONTHS: "个月",
    Unit.DAYS: "天",
    Unit.HOURS: "小时",
    Unit.MINUTES: "分钟",
    Unit.KM2: "平方公里",
}


def _in_chinese_units(body: str, unit: Unit) -> str:
    """`7 days` -> `7天`, `3–5 years` -> `3–5年`, `#3` -> `第3`: the words a Chinese reader uses."""
    if unit is Unit.RANK:
        return body.replace("#", "第")
    word = _ZH_UNIT_WORDS.get(unit)
    if word is None:
        return body
    english = _plain(Decimal(1), unit).removeprefix("1")
    return body.replace(english, "") + word if body.endswith(english) else body


_SCALES = ((Decimal(10) ** 12, "tn"), (Decimal(10) ** 9, "bn"), (Decimal(10) ** 6, "m"))


def _compact(value: Decimal, unit: Unit) -> str:
    if unit is Unit.CNY:
        for scale, word in _SCALES:
            if abs(value) >= scale:
                return f"¥{_grouped(value / scale)} {word}"
    if unit is Unit.COUNT and abs(value) >= Decimal(10) ** 8:
        for scale, word in _SCALES:
            if abs(value) >= scale:
                return f"{_grouped(value / scale)} {word}"
    return _plain(value, unit)


def _grouped(value: Decimal) -> str:
    value = _tidy(value)
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def format_cny(value: Decimal | int) -> str:
    return f"¥{_grouped(Decimal(value))}"

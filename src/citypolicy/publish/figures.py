"""Figures as readers of each language expect them: compact, bounded, fractions as written.

English: `up to ¥10m`, `¥300bn`, `over 1/3`, `50–60%`. Chinese: the text as the source writes it, in
Simplified script with 兆 read as 万亿 (`最高1000万元`, `1万亿元`), or computed in the compact form of
reports and charts (`¥3,000亿`, `最高¥1,000万`). The exact value always stays in the data and in
`data-value` attributes; these are only how a number is shown.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..core.quantity import Bound, Quantity, Unit, format_quantity
from ..core.textnorm import to_simplified

_FRACTION = re.compile(r"\d+\s*/\s*\d+")
_EN_BOUND = {Bound.AT_MOST: "up to ", Bound.AT_LEAST: "over ", Bound.APPROX: "about "}
_ZH_BOUND = {Bound.AT_MOST: "最高", Bound.AT_LEAST: "超过", Bound.APPROX: "约"}
_EN_SCALES = ((Decimal(10) ** 12, "tn"), (Decimal(10) ** 9, "bn"), (Decimal(10) ** 6, "m"))
_ZH_SCALES = ((Decimal(10) ** 12, "万亿"), (Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万"))


def number(value: Decimal, places: int = 2) -> str:
    """Grouped digits, at most `places` decimals, no trailing zeros: 3,000 · 1.5 · 184.6."""
    rounded = round(value, places)
    if rounded == rounded.to_integral_value():
        return f"{int(rounded):,}"
    return f"{rounded:,.{places}f}".rstrip("0").rstrip(".")


def fraction_text(q: Quantity) -> str | None:
    """`1/3` when the source wrote the share as a fraction (超过1/3), else None."""
    if q.unit is not Unit.RATIO:
        return None
    found = _FRACTION.search(q.text)
    return found.group(0).replace(" ", "") if found else None


def _money_en(value: Decimal) -> str:
    for scale, word in _EN_SCALES:
        if abs(value) >= scale:
            return f"¥{number(value / scale)}{word}"
    return f"¥{number(value)}"


def _money_zh(value: Decimal) -> str:
    for scale, word in _ZH_SCALES:
        if abs(value) >= scale:
            return f"¥{number(value / scale)}{word}"
    return f"¥{number(value)}"


def _percent(value: Decimal) -> str:
    return f"{number(value * 100)}%"


def _body_en(q: Quantity) -> str:
    if q.unit is Unit.CNY:
        show = _money_en
    elif q.unit is Unit.RATIO:
        if (fraction := fraction_text(q)) is not None:
            return fraction
        if q.bound is Bound.RANGE and q.high is not None:
            return f"{number(q.value * 100)}–{_percent(q.high)}"
        return _percent(q.value)
    elif q.unit is Unit.COUNT and abs(q.value) >= Decimal(10) ** 8:
        return _money_en(q.value).removeprefix("¥")
    else:
        plain = Quantity(q.value, q.unit, Bound.EXACT, q.text)
        if q.bound is Bound.RANGE and q.high is not None:
            high = format_quantity(Quantity(q.high, q.unit, Bound.EXACT, q.text))
            return f"{format_quantity(plain).split(' ')[0]}–{high}"
        return format_quantity(plain)
    if q.bound is Bound.RANGE and q.high is not None:
        return f"{show(q.value)}–{show(q.high)}"
    return show(q.value)


def figure_en(q: Quantity) -> str:
    """The English reading of a figure: up to ¥10m · over 1/3 · 50–60% · over 2,600."""
    return _EN_BOUND.get(q.bound, "") + _body_en(q)


def figure_zh(q: Quantity) -> str:
    """The Chinese reading: the source's own words in Simplified script, 兆 as 万亿 (mainland usage).
    A leading 力争 is left to the label beside the figure (力争值, “力争”)."""
    return as_written_zh(q.text).removeprefix("力争")


def as_written_zh(text: str) -> str:
    return to_simplified(text).replace("兆", "万亿")


def compact_zh(q: Quantity) -> str:
    """Computed compact Chinese form for reports and charts: ¥3,000亿 · 最高¥1,000万 · 超过1/3."""
    if q.unit is Unit.CNY:
        body = _money_zh(q.value)
        if q.bound is Bound.RANGE and q.high is not None:
            body = f"{body}–{_money_zh(q.high)}"
        return _ZH_BOUND.get(q.bound, "") + body
    if q.unit is Unit.RATIO:
        return _ZH_BOUND.get(q.bound, "") + _body_en(q)
    return figure_zh(q)


def figure(q: Quantity, lang: str) -> str:
    return figure_zh(q) if lang == "zh" else figure_en(q)


def compact(q: Quantity, lang: str) -> str:
    return compact_zh(q) if lang == "zh" else figure_en(q)


def exact(q: Quantity) -> str:
    """The full normalised value for tooltips, language-neutral: ≤ ¥10,000,000."""
    sign = {Bound.AT_MOST: "≤ ", Bound.AT_LEAST: "≥ ", Bound.APPROX: "≈ "}.get(q.bound, "")
    plain = format_quantity(Quantity(q.value, q.unit, Bound.EXACT, q.text))
    if q.bound is Bound.RANGE and q.high is not None:
        plain = format_quantity(Quantity(q.value, q.unit, Bound.RANGE, q.text, q.high))
    if (fraction := fraction_text(q)) is not None:
        plain = fraction
    return sign + plain


def sort_value(q: Quantity) -> str:
    """The number a column sorts by (the upper end of a range): plain decimal text."""
    value = q.high if q.bound is Bound.RANGE and q.high is not None else q.value
    return format(value.normalize(), "f") if value != value.to_integral_value() else str(int(value))


def join(items: list[str], lang: str) -> str:
    """A list in each language's way: `a, b` or `a、b`."""
    return ("、" if lang == "zh" else ", ").join(items)

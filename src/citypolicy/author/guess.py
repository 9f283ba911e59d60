"""Guessing records from sentences: which kind of record, which fields, whose terms.

Input is a sentence (or a passage) of an article and the mentions in it that no record holds yet;
output is a record as plain data with every guess wrapped in `Guess` (written `# guess: why`).
Figures are written as the sentence writes them, with the bound their context gives them
(`{text: 40%, bound: at_most}` for 按不超过…的40%), so the quote-proof check agrees by construction.
The kind of record comes from the glossary's tables: an instrument kind's Chinese words (算力券,
模型券, 标注券, 基金 …), target words (到20xx年, 力争, 目标), else a figure about the place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..core.dates import PartialDate
from ..core.mentions import Mention, YearRange
from ..core.quantity import Bound, QuantityError, Unit, parse_quantity
from ..schema.glossary import BENEFICIARIES, INSTRUMENT_KINDS, PER, POLICY_KINDS, TOPICS, Term
from .yamltext import Comment, Flow, Guess

TODO_EN = "TODO: in English"
_CJK = re.compile(r"[\u4e00-\u9fff]")
_TITLE = re.compile(r"《(?P<title>[^》]{4,80})》")
_UNTITLED = re.compile(
    r"(?:出台|印发|发布|推出|制定)了?(?P<title>[^，。；,;《》]{0,24}?(?:若干措施|措施|行动方案|行动计划|实施方案|政策|办法|意见))"
)
_CLASS = re.compile(r"(?P<cls>[A-Z一二三四甲乙丙丁])类")
_TARGET = re.compile(r"(?<!截)(?:到|至|预计到|力争到)\s?(?:20\d{2})年|力争|目标")  # 截至2024年 is an as-of date
_POOL_WORDS = ("总规模", "总额", "资金池", "规模", "安排", "总计", "合计", "共计", "额度")
_LAUNCH_WORDS = ("推出", "设立", "启动", "发放", "上线", "实施", "出台")
_SPECIFIC_PER = ("每", "单个", "单份", "单户")
_TOTAL_WORDS = ("累计", "总计", "合计", "总额")
_YEAR_WORDS = ("每年", "年度", "每年度")


def chinese_words(term: Term) -> list[str]:
    """The words a Chinese text would use for a term: Chinese ones, and acronyms (GDP)."""
    return [w for w in (term.zh, *term.aliases) if _CJK.search(w) or (w.isupper() and len(w) >= 2)]


SPEECH_REASON = "words of a person the article quotes, not a figure of the place or a term of a policy"
_DURATIONS = {Unit.YEARS, Unit.MONTHS, Unit.DAYS, Unit.HOURS, Unit.MINUTES}


def is_speech(sentence: str) -> bool:
    """A sentence that quotes someone: it opens a quotation, or holds one (not a name like “算力券”)
    next to a verb of saying (表示, 说, 称, 指出)."""
    text = sentence.strip()
    if text.startswith(("“", "「", '"')):
        return True
    return re.search(_QUOTED_SPEECH, text) is not None


_SAYING = "(?:表示|说|称|指出|强调|介绍)"
_QUOTED_SPEECH = rf"{_SAYING}[：:，,]?[“「][^”」]{{6,}}|[“「][^”」]{{6,}}[”」][^。]{{0,30}}{_SAYING}"


def reason_for(mention: Mention) -> str | None:
    """Why a figure left over is not recorded, when the tool can tell; None when the analyst must say."""
    if mention.kind == "date" and mention.date is None:
        return "a date relative to the article's, which is unknown: it cannot be dated"
    if mention.quantity is not None and mention.quantity.unit in _DURATIONS:
        return "a length of time the sentence mentions, not a figure a record holds"
    return None


# --------------------------------------------------------------------------- values as written


def quantity_value(mention: Mention, default: Unit | None = None) -> object:
    """The mention as a field value: its text, with the bound its sentence gives it when the text
    alone does not say it (`{text: 40%, bound: at_most}`)."""
    quantity = mention.quantity
    assert quantity is not None
    try:
        own = parse_quantity(mention.text, default)
    except QuantityError:
        return mention.text
    if own.bound is quantity.bound:
        return mention.text
    return Flow({"text": mention.text, "bound": quantity.bound.value})


def date_value(date: PartialDate | YearRange) -> str:
    return str(date)


# --------------------------------------------------------------------------- kinds in a text


@dataclass
class KindWord:
    start: int
    word: str
    term: Term


def instrument_words(text: str) -> list[KindWord]:
    """Where the text names an instrument kind (vouchers, compute subsidies and funds), in order."""
    found: list[KindWord] = []
    preferred = [t for t in INSTRUMENT_KINDS if t.tags & {"voucher", "compute"} or t.value == "fund"]
    for term in preferred:
        for word in sorted(chinese_words(term), key=len, reverse=True):
            for match in re.finditer(re.escape(word), text):
                if not any(k.start <= match.start() < k.start + len(k.word) for k in found):
                    found.append(KindWord(match.start(), word, term))
    return sorted(found, key=lambda k: k.start)


def policy_kind(title: str) -> tuple[str, str]:
    """(kind value, the words that tell it) from a title's ending (若干措施 → measures)."""
    best: tuple[int, str, str] | None = None
    for term in POLICY_KINDS:
        if term.value in {"event", "designation", "statement"}:
            continue
        for word in chinese_words(term):
            at = title.rfind(word)
            if at >= 0 and (best is None or at + len(word) > best[0]):
                best = (at + len(word), term.value, word)
    return (best[1], best[2]) if best else ("policy", "")


def topic_of(text: str, figure: str = "") -> tuple[str, str]:
    """(topic value, the word that tells it): the topic word nearest the end of `text`; a count of
    firms (…企业150余家) is about AI firms."""
    if figure.endswith(("家", "家以上")) and "企业" in text[-12:]:
        return "ai_firms", "企业 … 家"
    best: tuple[int, int, str, str] | None = None
    for term in TOPICS:
        for word in chinese_words(term):
            at = text.rfind(word)
            if at >= 0 and (best is None or (at + len(word), len(word)) > (best[0], best[1])):
                best = (at + len(word), len(word), term.value, word)
    return (best[2], best[3]) if best else ("other", "")


def beneficiaries(text: str) -> list[tuple[str, str]]:
    """(value, word) for each kind of beneficiary the text names, longest words first."""
    taken: list[tuple[int, int]] = [m.span() for m in re.finditer(_PER_PHRASES, text)]  # 每家企业 is a cap's unit
    found: list[tuple[int, str, str]] = []
    words = [(w, t.value) for t in BENEFICIARIES for w in chinese_words(t)]
    for word, value in sorted(words, key=lambda item: len(item[0]), reverse=True):
        for match in re.finditer(re.escape(word), text):
            span = match.span()
            if not any(s < span[1] and span[0] < e for s, e in taken):
                taken.append(span)
                found.append((span[0], value, word))
    out: list[tuple[str, str]] = []
    for _, value, word in sorted(found):
        if value not in [v for v, _ in out]:
            out.append((value, word))
    return out


_PER_PHRASES = "|".join(
    re.escape(w) for t in PER for w in sorted(chinese_words(t), key=len, reverse=True) if w.startswith(_SPECIFIC_PER)
)


def per_of(text: str) -> tuple[str, str] | None:
    for term in PER:
        for word in sorted(chinese_words(term), key=len, reverse=True):
            if word.startswith(_SPECIFIC_PER) and word in text:
                return term.value, word
    return None


def period_of(text: str) -> tuple[str, str] | None:
    for word in _YEAR_WORDS:
        if word in text:
            return "year", word
    for word in _TOTAL_WORDS:
        if word in text:
            return "total", word
    return None


# --------------------------------------------------------------------------- records


@dataclass
class Drafted:
    """A record guessed from a passage: its section, its data, the mentions it holds."""

    section: str
    data: dict[str, object]
    held: list[Mention] = field(default_factory=list)
    place: str | None = None


def clause_before(text: str, end: int) -> str:
    """The clause of `text` ending at `end` (from the last comma or stop)."""
    start = max((m.end() for m in re.finditer(r"[，,。；;：:！？\n]", text[:end])), default=0)
    return text[start:end]


def policy_from(sentence: str, offset: int, mentions: list[Mention]) -> tuple[dict[str, object], list[Mention]] | None:
    """A policy the sentence names (《title》, or 出台…措施 with a date), with the date it was issued."""
    titled = _TITLE.search(sentence)
    untitled = None if titled else _UNTITLED.search(sentence)
    if titled is None and untitled is None:
        return None
    dates = [m for m in mentions if m.kind == "date" and isinstance(m.date, PartialDate)]
    if untitled is not None and not dates:
        return None  # an untitled policy is worth a record when the sentence dates it
    match = titled or untitled
    assert match is not None
    title = match.group("title")
    kind, word = policy_kind(title)
    held: list[Mention] = []
    data: dict[str, object] = {"title": Flow({"zh": title, "en": TODO_EN})}
    if untitled is not None:
        data["untitled"] = Guess("true", "the sentence prints no title: `title` describes it")
    data["kind"] = Guess(kind, f"«{word}» in the title" if word else "the title names no kind of policy")
    issued = [m for m in dates if offset + match.start() > m.start or m.end <= offset + match.end()]
    title_span = (offset + match.start(), offset + match.end())
    issued = [m for m in issued if not title_span[0] <= m.start < title_span[1]]
    if issued:
        data["issued"] = Guess(date_value(issued[0].date), f"«{issued[0].text}» in the sentence")  # type: ignore[arg-type]
        held.append(issued[0])
    spans = [m for m in mentions if isinstance(m.date, YearRange) and title_span[0] <= m.start < title_span[1]]
    if spans:
        data["period"] = Flow({"start": spans[0].date.start, "end": spans[0].date.end})  # type: ignore[union-attr]
        held.append(spans[0])
    return data, held


def instrument_from(kind: KindWord, text: str, offset: int, mentions: list[Mention]) -> Drafted:
    """An instrument of `kind` from a passage and the mentions in it that belong to it."""
    data: dict[str, object] = {
        "kind": Guess(kind.term.value, f"«{kind.word}» in the sentence"),
        "name": Flow({"zh": kind.word, "en": kind.term.en}),
    }
    held: list[Mention] = []
    classes = _class_segments(text)
    rates = [m for m in mentions if m.quantity is not None and m.quantity.unit is Unit.RATIO]
    if len(classes) >= 2:
        data["tiers"] = _class_tiers(classes, text, offset, mentions, held)
    elif len(rates) >= 2:
        data["tiers"] = _condition_tiers(text, offset, mentions, held)
    else:
        data.update(_terms(text, offset, mentions, held))
    who = beneficiaries(text)
    if who:
        data["beneficiaries"] = Guess([v for v, _ in who], "named in the sentence: " + "、".join(w for _, w in who))
    launched = [
        m
        for m in mentions
        if m.kind == "date" and isinstance(m.date, PartialDate) and m not in held and _launch_near(text, m.end - offset)
    ]
    if launched:
        data["launched"] = Guess(date_value(launched[0].date), f"«{launched[0].text}» before a word of launching")  # type: ignore[arg-type]
        held.append(launched[0])
    return Drafted("instruments", data, held)


def _launch_near(text: str, end: int) -> bool:
    return any(word in text[end : end + 14] for word in _LAUNCH_WORDS)


def _terms(text: str, offset: int, mentions: list[Mention], held: list[Mention]) -> dict[str, object]:
    """rate, cap and pool of one set of terms, from the mentions of a passage."""
    out: dict[str, object] = {}
    for mention in mentions:
        if mention in held or mention.quantity is None:
            continue
        local = mention.start - offset
        before = clause_before(text, local)
        if mention.quantity.unit is Unit.RATIO and "rate" not in out:
            out["rate"] = quantity_value(mention, Unit.RATIO)
        elif mention.quantity.unit is Unit.CNY and _is_pool(before, mention) and "pool" not in out:
            pool: dict[str, object] = {"amount": quantity_value(mention, Unit.CNY)}
            period = period_of(before)
            if period:
                pool["period"] = Guess(period[0], f"«{period[1]}» in the sentence")
            out["pool"] = pool
        elif mention.quantity.unit is Unit.CNY and "cap" not in out:
            out["cap"] = _cap(mention, before)
        else:
            continue
        held.append(mention)
    return out


def _is_pool(before: str, mention: Mention) -> bool:
    return mention.quantity.bound is not Bound.AT_MOST and any(w in before for w in _POOL_WORDS)  # type: ignore[union-attr]


def _cap(mention: Mention, before: str) -> object:
    cap: dict[str, object] = {"amount": quantity_value(mention, Unit.CNY)}
    per = per_of(before)
    if per:
        cap["per"] = Guess(per[0], f"«{per[1]}» in the sentence")
    period = period_of(before)
    if period:
        cap["period"] = Guess(period[0], f"«{period[1]}» in the sentence")
    if mention.quantity.bound is not Bound.AT_MOST:  # type: ignore[union-attr]
        return Guess(cap, "an exact amount: a cap, or a fixed award (then say so in a note)?")
    return cap


def _class_segments(text: str) -> list[tuple[str, int, int]]:
    """(class, start, end) for each `X类` part of a passage with two classes or more."""
    marks = list(_CLASS.finditer(text))
    if len({m["cls"] for m in marks}) < 2:
        return []
    out = []
    for index, mark in enumerate(marks):
        end = marks[index + 1].start() if index + 1 < len(marks) else len(text)
        out.append((mark["cls"], mark.start(), end))
    return out


def _class_tiers(
    classes: list[tuple[str, int, int]], text: str, offset: int, mentions: list[Mention], held: list[Mention]
) -> list[object]:
    tiers: list[object] = []
    for cls, start, end in classes:
        inside = [m for m in mentions if start <= m.start - offset < end]
        tier: dict[str, object] = {"class": cls}
        tier.update(_terms(text, offset, inside, held))
        who = beneficiaries(text[start:end])
        if who:
            tier["group"] = (
                Guess(who[0][0], f"«{who[0][1]}» in the class")
                if len(who) == 1
                else Comment("group: several kinds of applicant are named: " + "、".join(w for _, w in who))
            )
        tiers.append(tier)
    return tiers


def _condition_tiers(text: str, offset: int, mentions: list[Mention], held: list[Mention]) -> list[object]:
    """One tier per rate: its condition is the clause that introduces it (对…的企业)."""
    rates = [m for m in mentions if m.quantity is not None and m.quantity.unit is Unit.RATIO]
    tiers: list[object] = []
    for index, rate in enumerate(rates):
        start = 0 if index == 0 else _part_start(text, rates[index - 1].end - offset)
        end = _part_start(text, rate.end - offset, forward=True) if index + 1 < len(rates) else len(text)
        inside = [m for m in mentions if start <= m.start - offset < end]
        condition = _condition_words(text[start : rate.start - offset])
        tier: dict[str, object] = {
            "condition": Guess(Flow({"zh": condition, "en": TODO_EN}), "the clause that introduces the rate")
        }
        tier.update(_terms(text, offset, inside, held))
        tiers.append(tier)
    return tiers


def _part_start(text: str, at: int, forward: bool = False) -> int:
    """The start of the next part after `at`: after a ；, else after the next comma."""
    for mark in ("；", ";", "。"):
        found = text.find(mark, at)
        if found >= 0:
            return found + 1
    found = text.find("，", at)
    return found + 1 if found >= 0 else len(text)


def _condition_words(text: str) -> str:
    found = re.search(r"对(?P<who>[^，,；;]{2,40})", text)
    words = found.group("who") if found else clause_before(text, len(text))
    return words.strip("，,；; ") or "TODO: the condition in the source's words"


def target_from(sentence: str, offset: int, mentions: list[Mention]) -> list[Drafted]:
    """Targets: each figure with the deadline the sentence names; a 力争 figure is the stretch of the one before."""
    deadlines = [m for m in mentions if m.kind == "date" and isinstance(m.date, PartialDate)]
    figures = [m for m in mentions if m.quantity is not None]
    out: list[Drafted] = []
    for mention in figures:
        local = mention.start - offset
        if "力争" in sentence[max(0, local - 6) : local] and out and "stretch" not in out[-1].data:
            out[-1].data["stretch"] = quantity_value(mention)
            out[-1].held.append(mention)
            continue
        before = clause_before(sentence, local)
        topic, word = topic_of(before or sentence[:local], mention.text)
        data: dict[str, object] = {
            "topic": Guess(topic, f"«{word}» before the figure" if word else "no topic word: choose one"),
            "metric": _metric(before or sentence[:local][-20:], topic),
            "value": quantity_value(mention),
        }
        held = [mention]
        if deadlines:
            data["deadline"] = Guess(date_value(deadlines[0].date), f"«{deadlines[0].text}» in the sentence")  # type: ignore[arg-type]
            held.append(deadlines[0])
        out.append(Drafted("targets", data, held))
    return out


def indicator_from(
    sentence: str, offset: int, mentions: list[Mention], published: PartialDate | None, dated_by: list[Mention]
) -> list[Drafted]:
    """A figure about the place for each quantity, as of the date the sentence gives (else the article's).
    `dated_by`: every date the sentence states, recorded already or not."""
    dates = [m for m in dated_by if m.kind == "date" and isinstance(m.date, PartialDate)]
    out: list[Drafted] = []
    for mention in (m for m in mentions if m.quantity is not None):
        local = mention.start - offset
        if mention.quantity.unit in _DURATIONS:  # type: ignore[union-attr]
            continue  # a length of time is no figure about a place
        before = clause_before(sentence, local)
        topic, word = topic_of(before or sentence[:local], mention.text)
        if mention.quantity.unit is Unit.RANK:  # type: ignore[union-attr]
            topic, word = "ranking", mention.text
        data: dict[str, object] = {
            "topic": Guess(topic, f"«{word}» before the figure" if word else "no topic word: choose one"),
            "metric": _metric(before or sentence[:local][-20:], topic),
            "value": quantity_value(mention),
        }
        held = [mention]
        dated = [d for d in dates if d.start < mention.start and d.date is not None]
        if dated:
            date = dated[-1]  # the date nearest before the figure (目前…150家，去年…45%)
            data["as_of"] = Guess(date_value(date.date), f"«{date.text}» in the sentence")  # type: ignore[arg-type]
            if date in mentions and date not in [m for d in out for m in d.held]:
                held.append(date)
        elif published is not None:
            data["as_of"] = Flow(
                {"date": str(published), "basis": "the article's date: the sentence reports the figure as current"}
            )
        else:
            data["as_of"] = "TODO: write {date: 2025, basis: how you know}: the article's date is unknown"
        out.append(Drafted("indicators", data, held))
    return out


def _metric(before: str, topic: str) -> object:
    """What the figure measures: the words before it in its clause; in English, the topic's label."""
    words = _metric_words(before) or before
    if topic == "other":
        return Flow({"zh": words, "en": TODO_EN})
    return Guess(Flow({"zh": words, "en": TOPICS[topic].en}), "English from the topic: say what is measured")


_RELATIVE_START = r"(?:截至目前|目前|如今|当前|现阶段|今年|去年|前年|截至20\d{2}年底?|20\d{2}年)"


def _metric_words(before: str) -> str:
    words = re.sub(r"^(?:到|至|预计到|力争到)?\s?(?:20\d{2}年)?[，,]?", "", before)
    words = re.sub(rf"^{_RELATIVE_START}[，,]?", "", words)
    words = re.sub(r"(?:达到|达|超过|超|突破|逾|约|近|为|共|累计|合计|力争|实现|增长|已有|已|拥有|集聚)+$", "", words)
    return words.strip(" ，,")


def is_target_sentence(sentence: str) -> bool:
    return _TARGET.search(sentence) is not None

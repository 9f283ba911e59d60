"""Register a new article: copy it into seeds/ under the project's name and declare it in sources.yaml.

Seed names are `NNN_<hex>.txt`: NNN the next free three-digit number, hex the first 16 hexadecimal
digits of the SHA-256 of the file's bytes, so the same article cannot be added twice under two
names. The entry in data/sources.yaml holds what the text tells (script, headline, a date inferred
from the dates it names, with how) and placeholders (`TODO: …`, refused by `check` until filled in)
for what it cannot tell (the outlet, an English topic). Nothing existing is overwritten: the seed
is created only if no file has its name, and the registry is extended, never rewritten.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..core.dates import PartialDate
from ..core.mentions import find_mentions
from ..core.textnorm import detect_script
from ..load.loader import SOURCES_FILE
from ..load.yamlread import decode_utf8
from ..publish.outputs import write_text_atomic
from .yamltext import scalar

SEED_NAME = re.compile(r"^(?P<number>\d{3})_[0-9a-f]{16}\.txt$")
_NUMBERED = re.compile(r"^(?P<number>\d{3})_")
SOURCES_HEADER = (
    "# yaml-language-server: $schema=../schema/sources.schema.json\n"
    "# The source articles in seeds/. Records cite them by file name.\n"
    "sources:\n"
)
_TARGET_WORDS = ("到", "至", "力争", "预计", "计划", "目标", "将于")


class AddError(Exception):
    """Something `add` cannot do; the message says what to do instead."""


@dataclass
class Added:
    seed: Path  # where the article now is
    entry_line: int | None  # line of its entry in data/sources.yaml (None: it was declared already)
    copied: bool
    place_hint: str | None = None  # a place the article names most, as a `--place` suggestion
    notes: list[str] = field(default_factory=list)


def seed_name(raw: bytes, seeds: Path) -> str:
    """`NNN_<first 16 hex of SHA-256>.txt` with the next free number."""
    numbers = [int(m["number"]) for p in seeds.glob("*.txt") if (m := _NUMBERED.match(p.name))]
    return f"{max(numbers, default=-1) + 1:03d}_{hashlib.sha256(raw).hexdigest()[:16]}.txt"


def add_article(root: Path, article: Path) -> Added:
    """Copy `article` into root/seeds (unless it is there already) and declare it."""
    raw = article.read_bytes()
    text, problem = decode_utf8(raw, str(article))
    if problem is not None:
        raise AddError(problem.message)
    if not text.strip():
        raise AddError(f"{article} is empty")
    seeds = root / "seeds"
    seeds.mkdir(exist_ok=True)
    existing = _same_article(seeds, article, raw)
    copied = existing is None
    seed = existing or seeds / seed_name(raw, seeds)
    if copied:
        create_new_file(seed, raw)
    registry = root / SOURCES_FILE
    if _declared(registry, seed.name):
        return Added(seed, None, copied, place_hint(text))
    entry, notes = source_entry(seed.name, text)
    line = append_source(registry, entry)
    return Added(seed, line, copied, place_hint(text), notes)


def _same_article(seeds: Path, article: Path, raw: bytes) -> Path | None:
    """The seed `article` already is: the file itself, or a seed with the same bytes."""
    if article.resolve().parent == seeds.resolve():
        return article.resolve()
    digest = hashlib.sha256(raw).hexdigest()[:16]
    for candidate in sorted(seeds.glob("*.txt")):
        if digest in candidate.name or candidate.read_bytes() == raw:
            return candidate
    return None


def _declared(registry: Path, name: str) -> bool:
    if not registry.is_file():
        return False
    return (
        re.search(rf"^\s*-?\s*file:\s*['\"]?{re.escape(name)}['\"]?\s*$", registry.read_text("utf-8"), re.M) is not None
    )


def create_new_file(target: Path, data: bytes) -> None:
    """Write `target` whole or not at all, and never over an existing file."""
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)
        os.link(temporary, target)  # fails if the name is taken, unlike a rename
    except FileExistsError:
        raise AddError(f"{target} exists already: nothing was overwritten") from None
    finally:
        temporary.unlink(missing_ok=True)


# --------------------------------------------------------------------------- the registry entry


def source_entry(name: str, text: str) -> tuple[str, list[str]]:
    """The YAML lines of a sources.yaml entry, guesses marked, placeholders for the rest."""
    notes = []
    headline = guess_headline(text)
    outlet = guess_outlet(text)
    published, basis = guess_published(text)
    script = detect_script(text)
    lines = [f"  - file: {name}"]
    if outlet:
        lines.append(f"    outlet: {{zh: {scalar(outlet)}, en: \"TODO: the outlet's name in English\"}}"
                     "  # guess: named in the text")  # fmt: skip
    else:
        lines.append('    outlet: {zh: "TODO: 媒体名称", en: "TODO: outlet name"}')
        notes.append("the outlet (who published it)")
    if headline:
        lines.append(f'    headline: {{zh: {scalar(headline)}, en: "TODO: the headline in English"}}'
                     "  # guess: the article's first line")  # fmt: skip
    lines.append(
        f'    topic: {{zh: {scalar(headline or "TODO: 一句话概括")}, en: "TODO: what it is about, in one line"}}'
    )
    notes.append("English wording (headline, topic)")
    if published is None:
        lines.append("    published: unknown")
        named = _dates_named(text)
        said = f"it names only {', '.join(named)}" if named else "the text names no date"
        lines.append(f"    date_basis: {scalar(f'TODO: why the date cannot be told ({said})')}")
        notes.append("why the date is unknown, or the date if you know it")
    else:
        lines.append(f"    published: {scalar(str(published))}  # guess: confirm, or write unknown")
        lines.append(f"    date_basis: {scalar(basis)}")
    lines.append(f"    script: {script}  # detected with OpenCC")
    return "\n".join(lines) + "\n", notes


def guess_headline(text: str) -> str | None:
    """The first line, when it reads like a title: short, not a sentence, not a bracketed note."""
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line[0] in "（(【[" and line[-1] in "）)】]":
            continue  # an editor's note
        if len(line) <= 40 and line[-1] not in "。！？；，.!?;,":
            return line
        return None
    return None


def guess_outlet(text: str) -> str | None:
    found = re.search(r"(?:来源|來源|来自)[:：]\s*([^\s，。,、|｜]{2,20})", text)
    return found.group(1) if found else None


def guess_published(text: str) -> tuple[PartialDate | None, str]:
    """The latest event the text dates (a month or a day, not a target year after 到/力争): the
    article is from then or later. Only years: the latest year named outside a target."""
    dated = []
    for mention in find_mentions(text):
        date = mention.date
        if not isinstance(date, PartialDate) or _is_target(text, mention.start):
            continue
        dated.append((date, mention))
    if not dated:
        return None, ""
    precise = [(d, m) for d, m in dated if d.month is not None]
    date, mention = max(precise or dated, key=lambda item: item[0].sort_key())
    published = PartialDate(date.year, date.month) if date.month else PartialDate(date.year)
    sentence = mention.sentence if len(mention.sentence) <= 60 else mention.sentence[:59] + "…"
    basis = f"the latest date the text names is «{mention.text}» («{sentence}»): the article is from then or later"
    return published, basis


def _dates_named(text: str) -> list[str]:
    """The dates a text names (as written), for the analyst who has to tell when it was written."""
    return list(dict.fromkeys(m.text for m in find_mentions(text) if m.kind == "date"))[:6]


def _is_target(text: str, start: int) -> bool:
    before = text[max(0, start - 4) : start]
    return any(word in before for word in _TARGET_WORDS)


def append_source(registry: Path, entry: str) -> int:
    """Add `entry` at the end of the registry (creating it if needed); its first line's number."""
    if registry.is_file():
        current = registry.read_text("utf-8")
        if not re.search(r"^sources:", current, re.M):
            raise AddError(f"{SOURCES_FILE} has no `sources:` list to add to; fix it first (citypolicy check)")
        if re.search(r"^sources:\s*\[\s*\]\s*$", current, re.M):
            current = re.sub(r"^sources:\s*\[\s*\]\s*$", "sources:", current, count=1, flags=re.M)
    else:
        registry.parent.mkdir(parents=True, exist_ok=True)
        current = SOURCES_HEADER
    if not current.endswith("\n"):
        current += "\n"
    write_text_atomic(registry, current + entry)
    return current.count("\n") + 1


def place_hint(text: str) -> str | None:
    """The place the text names most (X市 or X区; on a tie the district), as a `--place` suggestion."""
    counts: dict[str, tuple[int, int]] = {}
    for specific, suffix in enumerate(("市", "区")):
        for match in re.finditer(rf"((?:(?![市省区县])[\u4e00-\u9fff]){{2,3}}?){suffix}", text):
            name = match.group(1)
            if name[-1] in "本全该各" or (name[-1] == "城" and name[0] in _NOT_A_NAME):
                continue  # 本市, 全区, 一座城市: words, not places
            counts[name] = (text.count(name), specific)
    if not counts:
        return None
    best = max(counts, key=lambda n: counts[n])
    from pypinyin import lazy_pinyin

    return "-".join(re.findall(r"[a-z0-9]+", "".join(lazy_pinyin(best)).lower())) or None


_NOT_A_NAME = "一这那每各座该本全大小新两个"

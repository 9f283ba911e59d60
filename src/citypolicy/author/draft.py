"""A draft of the records an article supports, for an analyst to confirm rather than type.

`extract` finds every figure and date the article states that no record holds yet; each group of
them (a sentence, or the part of a sentence about one instrument) becomes one record: a policy, an
instrument, a target or an indicator (see guess.py), with the sentence as its quote, on the place
its sentence names. A place that does not exist yet gets a file skeleton, and so does its
province when that is missing too. Figures no guess can place are listed as ignore entries whose
reason the analyst writes.

The draft is one YAML stream whose first line marks it (`# citypolicy draft`): one part per file
it touches (`--- # new file: data/cities/ganzhou.yaml`, `--- # add to: data/ignored.yaml`).
`citypolicy accept` writes the parts into their files once no guess is left unconfirmed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..core.dates import PartialDate
from ..core.mentions import sentence_at
from ..core.problems import format_loc
from ..core.textnorm import fold_text
from ..load.loader import IGNORED_FILE, LEVEL_ORDER, KnowledgeBase
from ..load.sources import Document
from ..load.unfinished import DRAFT_MARK
from ..schema.glossary import LEVELS, POLICY_KINDS
from ..schema.jsonschema import SCHEMA_COMMENT
from ..schema.model import ID_PATTERN, RECORD_SECTIONS, Level
from . import guess as G
from .extract import Mention, Status, extract
from .yamltext import Comment, Flow, Guess, render

_SENTENCE = re.compile(r"[^。！？!?\n]+(?:[。！？!?][”’」』）)]*)?")  # a closing quote stays with its sentence
_SUFFIX_LEVEL = {"省": Level.PROVINCE, "市": Level.CITY, "区": Level.DISTRICT, "县": Level.DISTRICT}


class DraftError(Exception):
    """The draft cannot be made; the message says what to do."""


@dataclass
class NewPlace:
    id: str
    level: Level
    zh: str  # the name as the article writes it, without 省/市 when it writes it so
    parent: str | None
    file: str
    quote: str | None = None  # a sentence naming it; None: it is only a parent
    why: dict[str, str] = field(default_factory=dict)  # guesses about it: field -> why

    @property
    def full_zh(self) -> str:
        suffix = {Level.PROVINCE: "省", Level.CITY: "市", Level.DISTRICT: "区"}.get(self.level, "")
        return self.zh if not suffix or self.zh.endswith(suffix) else self.zh + suffix


@dataclass
class Draft:
    text: str
    parts: list[tuple[str, str]]  # (mode, file): "new file" or "add to"
    records: int
    ignored: int
    guesses: int


# --------------------------------------------------------------------------- places


def pinyin_id(zh: str) -> str:
    from pypinyin import lazy_pinyin

    words = re.findall(r"[a-z0-9]+", "".join(lazy_pinyin(zh)).lower())
    return "-".join(words)


def _strip_suffix(name: str) -> str:
    for suffix in ("特别行政区", "自治区", "省", "市", "区", "县"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def find_name(text: str, place_id: str) -> str | None:
    """The Chinese name in `text` whose pinyin is `place_id` (xiamen -> 厦门), most used first."""
    from pypinyin import lazy_pinyin

    wanted = place_id.replace("-", "")
    counts: dict[str, int] = {}
    for run in re.findall(r"[\u4e00-\u9fff]+", text):
        syllables = lazy_pinyin(run)
        if len(syllables) != len(run):
            continue
        for size in (2, 3, 4):
            for start in range(len(run) - size + 1):
                if "".join(syllables[start : start + size]) == wanted:
                    name = run[start : start + size]
                    counts[name] = counts.get(name, 0) + 1
    return max(counts, key=lambda n: counts[n]) if counts else None


def known_place(kb: KnowledgeBase, text: str) -> str | None:
    """The id of the existing place `text` names exactly (id, name, alias, pinyin), else None."""
    from ..ask.resolve import normalise_query, place_keys

    wanted = normalise_query(text)
    found = [p.id for p in kb.jurisdictions.values() if wanted and wanted in place_keys(p)]
    return found[0] if len(found) == 1 else None


def new_place(
    kb: KnowledgeBase, text: str, place: str, level: str | None, parent: str | None
) -> tuple[NewPlace, NewPlace | None]:
    """The new place `place` names, and its parent when that is new too."""
    is_id = re.fullmatch(ID_PATTERN, place) is not None
    zh = _strip_suffix(place) if not is_id else find_name(text, place)
    why: dict[str, str] = {}
    if zh is None:
        raise DraftError(
            f"'{place}' is no place in the knowledge base and the article names no place whose pinyin is "
            f"'{place}': give its Chinese name (--place 厦门) or check the spelling"
        )
    place_id = place if is_id else pinyin_id(zh)
    if not is_id:
        why["id"] = f"pinyin of {zh}"
    the_level = _level(text, zh, level, why)
    parent_id, parent_new = _parent(kb, text, zh, the_level, parent, why)
    file = _file_for(kb, place_id, the_level, parent_id, parent_new)
    created = NewPlace(place_id, the_level, _written_name(text, zh, the_level), parent_id, file, why=why)
    return created, parent_new


def _written_name(text: str, zh: str, level: Level) -> str:
    suffix = {Level.PROVINCE: "省", Level.CITY: "市", Level.DISTRICT: "区"}.get(level, "")
    return zh + suffix if suffix and zh + suffix in text else zh


def _level(text: str, zh: str, level: str | None, why: dict[str, str]) -> Level:
    if level is not None:
        term = LEVELS.lookup(level)
        if term is None:
            raise DraftError(LEVELS.unknown_message(level))
        return Level(term.value)
    for suffix, guessed in _SUFFIX_LEVEL.items():
        if zh + suffix in text:
            why["level"] = f"the article writes «{zh}{suffix}»"
            return guessed
    why["level"] = "a city unless you say otherwise (--level)"
    return Level.CITY


def _parent(
    kb: KnowledgeBase, text: str, zh: str, level: Level, parent: str | None, why: dict[str, str]
) -> tuple[str | None, NewPlace | None]:
    if level is Level.PROVINCE or level is Level.MUNICIPALITY:
        return None, None
    wanted = Level.PROVINCE if level is Level.CITY else Level.CITY
    if parent is not None:
        existing = known_place(kb, parent)
        if existing is not None:
            return existing, None
        parent_zh = _strip_suffix(parent) if re.search(r"[\u4e00-\u9fff]", parent) else find_name(text, parent)
        parent_id = parent if re.fullmatch(ID_PATTERN, parent) else pinyin_id(parent_zh or parent)
        return parent_id, _skeleton(kb, text, parent_id, parent_zh or "TODO: 中文名", wanted)
    for place in sorted(kb.jurisdictions.values(), key=lambda p: LEVEL_ORDER[p.level], reverse=True):
        if LEVEL_ORDER[place.level] < LEVEL_ORDER[level] and _named(text, place.name.zh, place.aliases):
            why["parent"] = f"the article names {place.name.zh}"
            return place.id, None
    suffix = "省" if wanted is Level.PROVINCE else "市"
    names = [n for n in re.findall(rf"([\u4e00-\u9fff]{{2,3}}?){suffix}", text) if n != zh and n[-1] not in "本全该"]
    if not names:
        why["parent"] = "the article names no parent: write its id"
        return "TODO: the parent place's id (or pass --parent)", None
    parent_zh = max(set(names), key=names.count)
    parent_id = pinyin_id(parent_zh)
    why["parent"] = f"the article names {parent_zh}{suffix}"
    return parent_id, _skeleton(kb, text, parent_id, parent_zh, wanted)


def _skeleton(kb: KnowledgeBase, text: str, place_id: str, zh: str, level: Level) -> NewPlace:
    folder = "data/provinces" if level is Level.PROVINCE else "data/cities"
    why = {"parent": "a city's parent is a province: it needs none"} if level is Level.PROVINCE else {}
    return NewPlace(place_id, level, _written_name(text, zh, level), None, f"{folder}/{place_id}.yaml", why=why)


def _file_for(kb: KnowledgeBase, place_id: str, level: Level, parent: str | None, parent_new: NewPlace | None) -> str:
    if level is Level.PROVINCE:
        return f"data/provinces/{place_id}.yaml"
    if level in {Level.CITY, Level.MUNICIPALITY}:
        return f"data/cities/{place_id}.yaml"
    if parent_new is not None:
        return parent_new.file
    if parent in kb.placed:
        return kb.placed[parent].file
    return f"data/cities/{parent}.yaml"


def _named(text: str, zh: str, aliases: list[str]) -> bool:
    folded = fold_text(text)
    return any(fold_text(name) in folded for name in (zh, _strip_suffix(zh), *aliases) if len(name) >= 2)


# --------------------------------------------------------------------------- the draft


@dataclass
class _Context:
    kb: KnowledgeBase
    document: Document
    place: str  # id of the place the records default to
    places: dict[str, tuple[str, int, list[str]]]  # id -> (zh, level order, names)
    files: dict[str, str]  # place id -> file its records go to
    published: PartialDate | None
    ids: set[str] = field(default_factory=set)


def make_draft(
    kb: KnowledgeBase, document: Document, place: str, level: str | None = None, parent: str | None = None
) -> Draft:
    source = kb.sources.get(document.file)
    if source is None:
        raise DraftError(f"{document.file} is not declared in data/sources.yaml: run `citypolicy add` on it first")
    existing = known_place(kb, place)
    created: list[NewPlace] = []
    if existing is None:
        city, parent_new = new_place(kb, document.text, place, level, parent)
        created = [p for p in (parent_new, city) if p is not None]
        place_id = city.id
    else:
        place_id = existing
    context = _context(kb, document, place_id, created, source.published)
    report = extract(kb, document)
    missing = [m for m in report.mentions if m.status is Status.MISSING]
    drafted, leftovers = _draft_records(context, missing, report.mentions)
    for new in created:
        if new.id == place_id or any(d.place == new.id for d in drafted):
            new.quote = _naming_sentence(document.text, new)
    return _write(context, created, drafted, leftovers)


def _context(
    kb: KnowledgeBase, document: Document, place_id: str, created: list[NewPlace], published: PartialDate | None
) -> _Context:
    places: dict[str, tuple[str, int, list[str]]] = {}
    files: dict[str, str] = {}
    for known in kb.jurisdictions.values():
        places[known.id] = (known.name.zh, LEVEL_ORDER[known.level], [known.name.zh, *known.aliases])
        if known.id in kb.placed:
            files[known.id] = kb.placed[known.id].file
    for new in created:
        places[new.id] = (new.full_zh, LEVEL_ORDER[new.level], [new.full_zh, new.zh, _strip_suffix(new.zh)])
        files[new.id] = new.file
    return _Context(kb, document, place_id, places, files, published, set(kb.placed))


def _sentences(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group(0).strip()]


def _draft_records(
    context: _Context, missing: list[Mention], every: list[Mention]
) -> tuple[list[G.Drafted], list[Leftover]]:
    text = context.document.text
    drafted: list[G.Drafted] = []
    leftovers: list[Leftover] = []
    sentences = _sentences(text)
    previous_kind: tuple[G.KindWord, int] | None = None  # a kind named earlier in the paragraph
    for start, end in sentences:
        sentence = text[start:end]
        inside = [m for m in missing if start <= m.start and m.end <= end]
        kinds = G.instrument_words(sentence)
        if "\n" in text[previous_kind[1] : start] if previous_kind else True:
            previous_kind = None
        if not inside:
            if kinds:
                previous_kind = (kinds[-1], start)
            continue
        rest = list(inside)
        if G.is_speech(sentence):
            leftovers.append(Leftover(sentence.strip(), rest, G.SPEECH_REASON))
            continue
        found = G.policy_from(sentence, start, rest)
        if found is not None:
            data, held = found
            drafted.append(_record(context, "policies", data, held, start, end))
            rest = [m for m in rest if m not in held]
        if kinds or (previous_kind and _has_terms(rest)):
            quote_start = start if kinds else previous_kind[1]  # type: ignore[index]
            for kind, part_start, part_end in _kind_parts(kinds, sentence, start, previous_kind):
                part = [m for m in rest if part_start <= m.start < part_end]
                if not part:
                    continue
                passage = text[quote_start:end]
                record = G.instrument_from(kind, passage, quote_start, part)
                drafted.append(_record(context, "instruments", record.data, record.held, quote_start, end))
                rest = [m for m in rest if m not in record.held]
            previous_kind = (kinds[-1], start) if kinds else previous_kind
        elif G.is_target_sentence(sentence):
            for record in G.target_from(sentence, start, rest):
                drafted.append(_record(context, "targets", record.data, record.held, start, end))
                rest = [m for m in rest if m not in record.held]
        elif any(m.quantity is not None for m in rest):
            stated = [m for m in every if start <= m.start and m.end <= end]
            for record in G.indicator_from(sentence, start, rest, context.published, stated):
                drafted.append(_record(context, "indicators", record.data, record.held, start, end))
            held = {id(m) for r in drafted for m in r.held}
            rest = [m for m in rest if id(m) not in held]
        leftovers += _explained(sentence.strip(), rest)
    _link_policies(context, drafted)
    return drafted, leftovers


@dataclass
class Leftover:
    """Figures of a sentence no drafted record holds: an entry for data/ignored.yaml."""

    sentence: str
    mentions: list[Mention]
    reason: str | None = None  # a guessed reason, else the analyst writes one


def _explained(sentence: str, rest: list[Mention]) -> list[Leftover]:
    """Left-over figures, those with a reason the tool can tell apart (a relative date it cannot
    resolve, a duration) from those whose reason the analyst must write."""
    groups: dict[str | None, list[Mention]] = {}
    for mention in rest:
        groups.setdefault(G.reason_for(mention), []).append(mention)
    return [Leftover(sentence, mentions, reason) for reason, mentions in groups.items()]


def _has_terms(mentions: list[Mention]) -> bool:
    return any(m.quantity is not None and m.quantity.unit.value in {"ratio", "cny"} for m in mentions)


def _kind_parts(
    kinds: list[G.KindWord], sentence: str, start: int, previous: tuple[G.KindWord, int] | None
) -> list[tuple[G.KindWord, int, int]]:
    """Each instrument named in the sentence with the stretch of it that is about it."""
    if not kinds:
        assert previous is not None
        return [(previous[0], start, start + len(sentence))]
    parts = []
    for index, kind in enumerate(kinds):
        part_start = start if index == 0 else start + kind.start
        part_end = start + kinds[index + 1].start if index + 1 < len(kinds) else start + len(sentence)
        parts.append((kind, part_start, part_end))
    return parts


def _record(
    context: _Context, section: str, data: dict[str, object], held: list[Mention], start: int, end: int
) -> G.Drafted:
    passage = context.document.text[start:end].strip()
    place, why = _place_of(context, passage)
    _english_title(context, place, data)
    record: dict[str, object] = {"id": Guess(_new_id(context, section, place, data), "choose an id")}
    record["jurisdiction"] = Guess(place, why)
    record.update(data)
    record["sources"] = [{"document": context.document.file, "quote": " ".join(passage.split())}]
    return G.Drafted(section, record, held, place)


def _english_title(context: _Context, place: str, data: dict[str, object]) -> None:
    """A policy's English title, guessed as the place and the kind (Ganzhou measures)."""
    title, kind = data.get("title"), _plain(data.get("kind"))
    if not isinstance(title, Flow) or title.items.get("en") != G.TODO_EN or kind is None:
        return
    known = context.kb.jurisdictions.get(place)
    english = known.name.en if known else "-".join(w.capitalize() for w in place.split("-"))
    title.items["en"] = f"{english} {POLICY_KINDS[kind].en}"
    data["title"] = Guess(title, "an English title from the place and the kind of policy: translate it if you like")


def _place_of(context: _Context, passage: str) -> tuple[str, str]:
    """The most specific place the passage names, else the place the draft is for."""
    named = [
        (order, pid, zh)
        for pid, (zh, order, names) in context.places.items()
        if _named(passage, zh, names) and _related(context, pid)
    ]
    if not named:
        return context.place, "the sentence names no place: the place of this draft"
    order, pid, zh = max(named)
    return pid, f"«{_strip_suffix(zh)}» in the sentence"


def _related(context: _Context, place_id: str) -> bool:
    """A place the draft's place belongs to, or one under it."""
    kb = context.kb
    if place_id == context.place:
        return True
    chain = {p.id for p in kb.ancestors(context.place)} if context.place in kb.jurisdictions else set()
    under = set(kb.subtree(context.place)) if context.place in kb.jurisdictions else set()
    return place_id in chain | under or place_id not in kb.jurisdictions


_ID_WORDS = {"policies": "policy", "targets": "target", "indicators": "indicator"}


def _new_id(context: _Context, section: str, place: str, data: dict[str, object]) -> str:
    base = place if re.fullmatch(ID_PATTERN, place) else "new-place"
    kind = data.get("kind") or data.get("topic")
    kind_value = kind.value if isinstance(kind, Guess) else kind
    words = str(kind_value or _ID_WORDS.get(section, "record")).replace("_", "-")
    year = _year_of(data)
    candidate = f"{base}-{words}" + (f"-{year}" if year and section in {"policies", "targets"} else "")
    if section == "targets" and "target" not in candidate:
        candidate += "-target"
    unique, number = candidate, 2
    while unique in context.ids:
        unique, number = f"{candidate}-{number}", number + 1
    context.ids.add(unique)
    return unique


def _year_of(data: dict[str, object]) -> str | None:
    for key in ("issued", "deadline"):
        value = data.get(key)
        value = value.value if isinstance(value, Guess) else value
        if isinstance(value, str) and value[:4].isdigit():
            return value[:4]
    return None


def _link_policies(context: _Context, drafted: list[G.Drafted]) -> None:
    """With one policy in the article (drafted, or already recorded from it), its instruments and
    targets are guessed to belong to it."""
    ids = [_plain(d.data["id"]) for d in drafted if d.section == "policies"]
    ids += [p.id for p in context.kb.policies.values() if any(c.document == context.document.file for c in p.sources)]
    if len(set(ids)) != 1:
        return
    for record in drafted:
        if record.section in {"instruments", "targets"}:
            items = list(record.data.items())
            at = [k for k, _ in items].index("jurisdiction") + 1
            items.insert(at, ("policy", Guess(ids[0], "the one policy this article names")))
            record.data = dict(items)


def _plain(value: object) -> object:
    return value.value if isinstance(value, Guess) else value


def _naming_sentence(text: str, place: NewPlace) -> str | None:
    """The first sentence naming the place (often the headline), as its citation."""
    names = [n for n in {place.full_zh, place.zh, _strip_suffix(place.zh)} if len(n) >= 2]
    found = [
        sentence_at(text, start, end)
        for start, end in _sentences(text)
        if any(name in text[start:end] for name in names)
    ]
    found = [s for s in found if len(s) >= 4]
    return found[0] if found else None


# --------------------------------------------------------------------------- writing it out


def _write(context: _Context, created: list[NewPlace], drafted: list[G.Drafted], leftovers: list[Leftover]) -> Draft:
    by_file: dict[str, dict[str, list[object]]] = {}
    for new in created:
        by_file.setdefault(new.file, {}).setdefault("jurisdictions", []).append(_jurisdiction(context, new))
    for record in drafted:
        file = context.files.get(record.place or context.place, f"data/cities/{context.place}.yaml")
        by_file.setdefault(file, {}).setdefault(record.section, []).append(record.data)
    new_files = {new.file for new in created if new.file not in context.kb.files}
    chunks: list[str] = []
    parts: list[tuple[str, str]] = []
    for file in sorted(by_file, key=lambda f: (not f.startswith("data/provinces"), f)):
        mode = "new file" if file in new_files else "add to"
        sections = by_file[file]
        body: dict[str, object] = {}
        if mode == "new file":
            body["id"] = file.rsplit("/", 1)[1].removesuffix(".yaml")
        for section in ("jurisdictions", *RECORD_SECTIONS):
            if section in sections:
                body[section] = sections[section]
        header = [f"--- # {mode}: {file}"] + ([SCHEMA_COMMENT] if mode == "new file" else [])
        chunks.append("\n".join([*header, *render(body)]))
        parts.append((mode, file))
    if leftovers:
        entries = [
            {
                "document": context.document.file,
                "quote": " ".join(left.sentence.split()),
                "mentions": [m.text for m in left.mentions],
                "reason": Guess(left.reason, "why the tool drafted no record for it")
                if left.reason
                else "TODO: why these figures are not recorded (or record them and delete this entry)",
            }
            for left in leftovers
        ]
        chunks.append("\n".join([f"--- # add to: {IGNORED_FILE}", *render({"ignored": entries})]))
        parts.append(("add to", IGNORED_FILE))
    if not chunks:
        chunks.append("# Nothing to draft: every figure and date of the article is recorded or explained already.")
    body_text = "\n".join(chunks) + "\n"
    header = _header(context, created, body_text)
    return Draft(
        header + body_text,
        parts,
        len(drafted) + len(created),
        sum(len(left.mentions) for left in leftovers),
        body_text.count("# guess:"),
    )


def _jurisdiction(context: _Context, new: NewPlace) -> dict[str, object]:
    data: dict[str, object] = {"id": Guess(new.id, new.why["id"]) if "id" in new.why else new.id}
    data["level"] = Guess(new.level.value, new.why["level"]) if "level" in new.why else new.level.value
    if new.parent is not None:
        data["parent"] = Guess(new.parent, new.why["parent"]) if "parent" in new.why else new.parent
    en = "-".join(w.capitalize() for w in new.id.split("-"))
    data["name"] = Guess(Flow({"zh": new.full_zh, "en": en}), "the English name from the pinyin")
    aliases = [n for n in {_strip_suffix(new.full_zh)} if n != new.full_zh]
    if aliases:
        data["aliases"] = aliases
    if new.quote:
        data["sources"] = [{"document": context.document.file, "quote": new.quote}]
    else:
        data["note"] = Comment("only the parent of places the article cites: it needs no source of its own")
        data["sources"] = []
    return data


def _header(context: _Context, created: list[NewPlace], body: str) -> str:
    new = ", ".join(f"{p.id} ({p.level.value}, new)" for p in created)
    todo = body.count("TODO")
    lines = [
        f"{DRAFT_MARK}: not data yet; `citypolicy check` refuses this file inside data/.",
        f"# From seeds/{context.document.file} for {context.place}" + (f"; new places: {new}" if new else "") + ".",
        "# To do: choose the ids; confirm or correct each value marked `# guess:` and delete that comment;",
        f"# replace each TODO ({todo} here); then run `citypolicy accept THIS_FILE`, which writes each part",
        "# below into its file. Records quote the whole sentence: shorten a quote if you like, keeping its figures.",
    ]
    return "\n".join(lines) + "\n"


def loc_text(loc: tuple[str | int, ...]) -> str:
    return format_loc(loc)

"""Load a knowledge base folder (data/ + seeds/) into validated records, collecting every problem.

Per file: decode, parse (C parser), build plain data, validate with pydantic; a problem is located
with the file's node tree while it is at hand. Across files: unique ids, references, the place
tree, and quotes found in their documents. Node trees are not kept: a cross-file problem is located
by re-reading its file (only files with problems are read twice).
"""

from __future__ import annotations

import gc
import os
import typing
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from pydantic import BaseModel, TypeAdapter, ValidationError

from ..core.problems import Loc, Problem, sort_problems
from ..schema.model import (
    RECORD_SECTIONS,
    Citation,
    IgnoredFile,
    IgnoredPassage,
    Indicator,
    Institution,
    Instrument,
    Jurisdiction,
    Level,
    PlaceFile,
    Policy,
    Record,
    Source,
    SourcesFile,
    Target,
)
from .casefiles import load_cases
from .links import check_links
from .parents import orphans_possible, resolve_parent_names, unknown_parent
from .proof import prove_record, quotes_index
from .pydantic_messages import pydantic_problem
from .quotehints import describe_differences, repeated_quote
from .sources import Library
from .unfinished import drafts_in_data, is_draft, placeholder_problems, undeclared_seeds
from .yamlread import locate, parse_yaml_bytes, read_yaml_file

SOURCES_FILE = "data/sources.yaml"
IGNORED_FILE = "data/ignored.yaml"
PLACE_FOLDERS = {"data/provinces": {Level.PROVINCE}, "data/cities": {Level.CITY, Level.MUNICIPALITY}}
LEVEL_ORDER = {
    Level.PROVINCE: 0,
    Level.MUNICIPALITY: 1,
    Level.CITY: 1,
    Level.DISTRICT: 2,
    Level.ZONE: 3,
}


@dataclass
class Placed:
    """Where a record was written: its file and its path inside the file."""

    file: str
    loc: Loc


@dataclass(eq=False)  # compared and hashed by identity: caches key on the loaded knowledge base
class KnowledgeBase:
    root: Path
    sources: dict[str, Source] = field(default_factory=dict)
    files: dict[str, PlaceFile] = field(default_factory=dict)  # relative path -> file
    jurisdictions: dict[str, Jurisdiction] = field(default_factory=dict)
    policies: dict[str, Policy] = field(default_factory=dict)
    instruments: dict[str, Instrument] = field(default_factory=dict)
    targets: dict[str, Target] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    institutions: dict[str, Institution] = field(default_factory=dict)
    ignored: list[IgnoredPassage] = field(default_factory=list)
    placed: dict[str, Placed] = field(default_factory=dict)  # any id -> where it is written
    invalid_ids: set[str] = field(default_factory=set)  # ids of items that failed validation
    cases: list = field(default_factory=list)  # (file, index, CalculationCase) from data/cases/
    quotes_verified: int = 0
    warnings: list[Problem] = field(default_factory=list)  # worth saying, not wrong: `check` still passes
    unread_files: set[str] = field(default_factory=set)  # place files too broken to read at all

    @property
    def library(self) -> Library:
        return _library(self.root)  # (called once per quote: no new Path each time)

    def records(self) -> Iterator[Record]:
        for section in RECORD_SECTIONS:
            yield from getattr(self, section).values()

    def section_of(self, record: Record | Jurisdiction) -> str:
        return _SECTION_OF_TYPE[type(record)]

    def get(self, record_id: str) -> Record | Jurisdiction | None:
        if record_id in self.jurisdictions:
            return self.jurisdictions[record_id]
        for section in RECORD_SECTIONS:
            found = getattr(self, section).get(record_id)
            if found is not None:
                return found
        return None

    @cached_property
    def successors(self) -> dict[tuple[str, str], list[Policy | Instrument]]:
        """(section, id) -> the policies or instruments of that section that supersede it, in file order."""
        found: dict[tuple[str, str], list[Policy | Instrument]] = {}
        for section in ("policies", "instruments"):
            for record in getattr(self, section).values():
                if record.supersedes:
                    found.setdefault((section, record.supersedes), []).append(record)
        return found

    @cached_property
    def _children(self) -> dict[str | None, list[Jurisdiction]]:
        index: dict[str | None, list[Jurisdiction]] = {}
        for place in self.jurisdictions.values():
            index.setdefault(place.parent, []).append(place)
        return index

    @cached_property
    def _by_place(self) -> dict[tuple[str, str], list[Record]]:
        index: dict[tuple[str, str], list[Record]] = {}
        for section in RECORD_SECTIONS:
            for record in getattr(self, section).values():
                index.setdefault((section, record.jurisdiction), []).append(record)
        return index

    @cached_property
    def citations_by_document(self) -> dict[str, list[tuple[Record | Jurisdiction, Citation]]]:
        index: dict[str, list[tuple[Record | Jurisdiction, Citation]]] = {}
        for item in [*self.jurisdictions.values(), *self.records()]:
            for citation in item.sources:
                index.setdefault(citation.document, []).append((item, citation))
        return index

    def build_indexes(self) -> None:
        self._children  # noqa: B018 (computed and kept)
        self._by_place  # noqa: B018

    def records_at(self, section: str, place_ids: Iterable[str]) -> list[Record]:
        """Records of one section on these places, in file order (indexed: linear in the answer)."""
        return [r for place in place_ids for r in self._by_place.get((section, place), [])]

    def children(self, jurisdiction_id: str) -> list[Jurisdiction]:
        return self._children.get(jurisdiction_id, [])

    def ancestors(self, jurisdiction_id: str) -> list[Jurisdiction]:
        out = []
        current = self.jurisdictions.get(jurisdiction_id)
        while current is not None and current.parent and len(out) < 10:
            current = self.jurisdictions.get(current.parent)
            if current is not None:
                out.append(current)
        return out

    def subtree(self, jurisdiction_id: str) -> list[str]:
        """The place and every place under it, parents before children."""
        out = [jurisdiction_id]
        for child in self.children(jurisdiction_id):
            out.extend(self.subtree(child.id))
        return out

    def summary(self) -> dict[str, int]:
        return {
            "jurisdictions": len(self.jurisdictions),
            "policies": len(self.policies),
            "instruments": len(self.instruments),
            "targets": len(self.targets),
            "indicators": len(self.indicators),
            "institutions": len(self.institutions),
            "sources": len(self.sources),
            "quotes_verified": self.quotes_verified,
        }


_SECTION_OF_TYPE: dict[type, str] = {
    Jurisdiction: "jurisdictions",
    Policy: "policies",
    Instrument: "instruments",
    Target: "targets",
    Indicator: "indicators",
    Institution: "institutions",
}


@cache
def _library(root: Path) -> Library:
    return Library(root / "seeds")


def load(root: Path, read: Reader | None = None) -> tuple[KnowledgeBase, list[Problem]]:
    """Read and check everything under `root`; the knowledge base is usable only without problems.

    `read` validates one file (default: _read_model); the cache passes one that reuses the results
    of files whose content it has validated before. The checks across files always run."""
    read = read or _read_model
    with gc_paused():
        _library.cache_clear()
        kb = KnowledgeBase(root)
        problems: list[Problem] = []
        problems += _load_sources(kb, read)
        problems += drafts_in_data(root)
        problems += _load_places(kb, read)
        problems += _load_ignored(kb, read)
        problems += _cross_check(kb)
        problems += load_cases(kb)
        kb.warnings = sort_problems(_locate_all(root, [*kb.warnings, *undeclared_seeds(kb, problems)]))
        return kb, sort_problems(_locate_all(root, problems))


@contextmanager
def gc_paused() -> Iterator[None]:
    """Parsing builds hundreds of thousands of small acyclic objects; the cyclic collector would
    rescan all of them again and again (a third of the time at 1,000 places) and find nothing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# --------------------------------------------------------------------------- per file


def _read_model(
    root: Path, relative: str, model: type[BaseModel], invalid: set[str] | None = None, raw: bytes | None = None
) -> tuple[BaseModel | None, list[Problem]]:
    """Validate a file (its bytes `raw` when already read). With problems, what validates on its own
    is still returned (salvaged), so that cross-file checks also run on the rest of a broken file."""
    invalid = invalid if invalid is not None else set()
    parsed, problems = parse_yaml_bytes(raw, relative) if raw is not None else read_yaml_file(root / relative, relative)
    if parsed is None or any(p.code != "duplicate-key" for p in problems):
        return None, problems  # a duplicate key still leaves data worth validating
    if not isinstance(parsed.data, dict):
        line, column = locate(parsed.root, ())
        message = f"expected a mapping of keys ({', '.join(model.model_fields)}), not a list or text"
        return None, [Problem(relative, message, "type", line=line, column=column)]
    problems += placeholder_problems(relative, parsed.root, parsed.data)
    try:
        return model.model_validate(parsed.data), problems
    except ValidationError as error:
        problems += [pydantic_problem(relative, parsed.root, model, e) for e in error.errors(include_url=False)]
    return _salvage(model, parsed.data, invalid), problems


def _salvage(model: type[BaseModel], data: dict, invalid: set[str]) -> BaseModel | None:
    """What validates on its own. A list keeps None where an item failed, so that items after it
    keep their index (and their line); the ids of failed items go to `invalid`."""
    values: dict[str, object] = {}
    for name, info in model.model_fields.items():
        if name not in data:
            continue
        item_model = _list_item_model(info.annotation)
        if item_model is not None and isinstance(data[name], list):
            items = [_try(item_model, item) for item in data[name]]
            invalid.update(_ids_of_failed(data[name], items))
            values[name] = items
            continue
        try:
            values[name] = TypeAdapter(info.annotation).validate_python(data[name])
        except ValidationError:
            if info.is_required():
                return None
    if any(info.is_required() and name not in values for name, info in model.model_fields.items()):
        return None
    return model.model_construct(**values)


def _ids_of_failed(raw: list[object], validated: list[BaseModel | None]) -> Iterator[str]:
    for item, result in zip(raw, validated, strict=True):
        if result is None and isinstance(item, dict):
            for key in ("id", "file"):
                if isinstance(item.get(key), str):
                    yield item[key]


def _list_item_model(annotation: object) -> type[BaseModel] | None:
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        if isinstance(item, type) and issubclass(item, BaseModel):
            return item
    return None


def _try(model: type[BaseModel], data: object) -> BaseModel | None:
    try:
        return model.model_validate(data)
    except ValidationError:
        return None


Reader = Callable[[Path, str, type[BaseModel], set[str]], tuple[BaseModel | None, list[Problem]]]


def _load_sources(kb: KnowledgeBase, read: Reader = _read_model) -> list[Problem]:
    if not os.path.lexists(kb.root / SOURCES_FILE):  # a FIFO or a link is read, and refused
        return [Problem(SOURCES_FILE, "the sources registry is missing", "missing-file")]
    registry, problems = read(kb.root, SOURCES_FILE, SourcesFile, kb.invalid_ids)
    if registry is None:
        return problems
    assert isinstance(registry, SourcesFile)
    for index, source in enumerate(registry.sources):
        if source is None:
            continue
        loc = ("sources", index, "file")
        if source.file in kb.sources:
            problems.append(Problem(SOURCES_FILE, f"source {source.file} is declared twice", "duplicate-id", loc))
        elif kb.library.get(source.file) is None:
            problems.append(
                Problem(SOURCES_FILE, f"seeds/{source.file} {kb.library.why(source.file)}", "missing-document", loc)
            )
        kb.sources[source.file] = source
    return problems


def place_files(root: Path) -> list[tuple[str, set[Level]]]:
    out = []
    for folder, levels in PLACE_FOLDERS.items():
        for path in sorted((root / folder).glob("*.yaml")):
            out.append((f"{folder}/{path.name}", levels))
    return out


def _load_places(kb: KnowledgeBase, read: Reader = _read_model) -> list[Problem]:
    problems: list[Problem] = []
    files = place_files(kb.root)
    if not files:
        problems.append(Problem("data/cities", "no place files found (data/cities/*.yaml)", "missing-file"))
    for relative, levels in files:
        if is_draft(kb.root / relative):
            continue  # reported by drafts_in_data
        place, file_problems = read(kb.root, relative, PlaceFile, kb.invalid_ids)
        problems += file_problems
        if place is None:
            kb.unread_files.add(relative)
            continue
        assert isinstance(place, PlaceFile)
        kb.files[relative] = place
        problems += _check_file_identity(relative, place, levels)
        problems += _register(kb, relative, place)
    return problems


def _check_file_identity(relative: str, place: PlaceFile, levels: set[Level]) -> list[Problem]:
    stem = Path(relative).stem
    problems = []
    if place.id != stem:
        problems.append(
            Problem(
                relative,
                f"the file is named {stem}.yaml but its id is '{place.id}'; rename one of them",
                "file-id",
                ("id",),
            )
        )
    own = [j for j in place.jurisdictions if j is not None and j.id == place.id]
    if not own and None in place.jurisdictions:
        pass  # the place's own entry is invalid and reported as such
    elif not own:
        problems.append(
            Problem(
                relative,
                f"no jurisdiction with the file's id '{place.id}' in jurisdictions",
                "file-place",
                ("jurisdictions",),
            )
        )
    elif own[0].level not in levels:
        wanted = " or ".join(sorted(level.value for level in levels))
        index = place.jurisdictions.index(own[0])
        problems.append(
            Problem(
                relative,
                f"a file in {Path(relative).parent} holds a {wanted}, not a {own[0].level.value}",
                "file-place",
                ("jurisdictions", index, "level"),
            )
        )
    return problems


def _register(kb: KnowledgeBase, relative: str, place: PlaceFile) -> list[Problem]:
    problems = []
    entries: list[tuple[str, int, Record | Jurisdiction]] = [
        ("jurisdictions", i, j) for i, j in enumerate(place.jurisdictions) if j is not None
    ]
    for section in RECORD_SECTIONS:
        entries += [(section, i, r) for i, r in enumerate(getattr(place, section)) if r is not None]
    for section, index, item in entries:
        loc = (section, index, "id")
        if item.id in kb.placed:
            first = kb.placed[item.id]
            problems.append(
                Problem(
                    relative,
                    f"id '{item.id}' is already used in {first.file} ({_loc_text(first.loc)})",
                    "duplicate-id",
                    loc,
                )
            )
            continue
        kb.placed[item.id] = Placed(relative, (section, index))
        getattr(kb, section)[item.id] = item
    return problems


def _loc_text(loc: Loc) -> str:
    from ..core.problems import format_loc

    return format_loc(loc)


def _load_ignored(kb: KnowledgeBase, read: Reader = _read_model) -> list[Problem]:
    if not os.path.lexists(kb.root / IGNORED_FILE):
        return []
    ignored, problems = read(kb.root, IGNORED_FILE, IgnoredFile, kb.invalid_ids)
    if ignored is None:
        return problems
    assert isinstance(ignored, IgnoredFile)
    kb.ignored = [p for p in ignored.ignored if p is not None]
    for index, passage in enumerate(ignored.ignored):
        if passage is None:
            continue
        problems += _check_quote(kb, IGNORED_FILE, ("ignored", index), passage.document, passage.quote)
    return problems


# --------------------------------------------------------------------------- across files


def _cross_check(kb: KnowledgeBase) -> list[Problem]:
    problems: list[Problem] = []
    resolve_parent_names(kb)
    for jurisdiction in kb.jurisdictions.values():
        problems += _check_jurisdiction(kb, jurisdiction)
    for record in kb.records():
        problems += _check_references(kb, record)
    problems += check_links(kb, _unknown)
    quotes_of = quotes_index(kb)
    for item in [*kb.jurisdictions.values(), *kb.records()]:
        placed = kb.placed[item.id]
        quote_problems = []
        for where, citation in citations_of(item):
            quote_problems += _check_quote(kb, placed.file, (*placed.loc, *where), citation.document, citation.quote)
        problems += quote_problems
        if not quote_problems:
            problems += prove_record(item, placed.file, placed.loc, quotes_of)
    return problems


def citations_of(item: Record | Jurisdiction) -> Iterator[tuple[Loc, Citation]]:
    """Every citation of a record, with its path: its own sources, then each change's."""
    for index, citation in enumerate(item.sources):
        yield ("sources", index), citation
    for number, change in enumerate(getattr(item, "changes", [])):
        for index, citation in enumerate(change.sources):
            yield ("changes", number, "sources", index), citation


def _check_jurisdiction(kb: KnowledgeBase, jurisdiction: Jurisdiction) -> list[Problem]:
    placed = kb.placed[jurisdiction.id]
    where = (placed.file, (*placed.loc, "parent"))
    if not jurisdiction.sources and not kb.children(jurisdiction.id) and not orphans_possible(kb):
        message = "a place needs a source that names it, unless it is only the parent of places that have one"
        return [Problem(placed.file, message, "missing-source", (*placed.loc, "sources"))]
    if jurisdiction.parent is None:
        if jurisdiction.level not in {Level.PROVINCE, Level.MUNICIPALITY}:
            return [Problem(where[0], f"a {jurisdiction.level.value} needs a parent place", "missing-parent", where[1])]
        return []
    parent = kb.jurisdictions.get(jurisdiction.parent)
    if parent is None:
        return unknown_parent(kb, where, jurisdiction, LEVEL_ORDER)
    if LEVEL_ORDER[parent.level] >= LEVEL_ORDER[jurisdiction.level]:
        message = f"a {jurisdiction.level.value} cannot sit under a {parent.level.value} ({parent.id})"
        return [Problem(where[0], message, "level", where[1])]
    if jurisdiction.id in {a.id for a in kb.ancestors(jurisdiction.parent)}:
        return [Problem(where[0], f"'{jurisdiction.id}' is its own ancestor", "cycle", where[1])]
    return []


def _check_references(kb: KnowledgeBase, record: Record) -> list[Problem]:
    placed = kb.placed[record.id]
    problems = []
    if record.jurisdiction not in kb.jurisdictions:
        problems += _unknown(
            kb, (placed.file, (*placed.loc, "jurisdiction")), "place", record.jurisdiction, kb.jurisdictions
        )
    elif not _belongs_to_file(kb, placed.file, record.jurisdiction):
        home = kb.placed[record.jurisdiction].file
        message = f"place '{record.jurisdiction}' is described in {home}: move this record there"
        problems.append(Problem(placed.file, message, "wrong-file", (*placed.loc, "jurisdiction")))
    fields = type(record).model_fields  # (getattr with a default is slow on a pydantic model)
    for key in ("policy",):
        target = getattr(record, key) if key in fields else None
        if target is not None and target not in kb.policies:
            problems += _unknown(kb, (placed.file, (*placed.loc, key)), "policy", target, kb.policies)
    subject = record.subject if "subject" in fields else None
    if subject is not None and (subject not in kb.placed or subject in kb.jurisdictions):
        known = [*kb.institutions, *kb.policies, *kb.instruments]
        problems += _unknown(kb, (placed.file, (*placed.loc, "subject")), "record", subject, known)
    return problems


def _belongs_to_file(kb: KnowledgeBase, file: str, jurisdiction_id: str) -> bool:
    return kb.placed[jurisdiction_id].file == file


def _unknown(kb: KnowledgeBase, where: tuple[str, Loc], what: str, value: str, known: Iterable[str]) -> list[Problem]:
    """A reference to nothing; silent when it names an item that is invalid (reported already)."""
    from rapidfuzz import process

    if value in kb.invalid_ids:
        return []
    message = f"unknown {what} '{value}'"
    best = process.extractOne(value, list(known), score_cutoff=60)
    if best:
        message += f"; did you mean '{best[0]}'?"
    return [Problem(where[0], message, "unknown-reference", where[1])]


def _check_quote(kb: KnowledgeBase, file: str, loc: Loc, document: str, quote: str) -> list[Problem]:
    if document not in kb.sources:
        return _unknown(kb, (file, (*loc, "document")), "source", document, kb.sources)
    doc = kb.library.get(document)
    if doc is None:
        return []  # reported once, on the registry entry
    if doc.contains(quote):
        kb.quotes_verified += 1
        repeated = repeated_quote(doc, file, (*loc, "quote"), quote, ignore=file == IGNORED_FILE)
        kb.warnings += [repeated] if repeated else []
        return []
    closest = doc.closest(quote)
    message = f"quote not found in {document}"
    if closest:
        message += f"; closest passage: «{closest}»"
        differences = describe_differences(quote, closest)
        message += f"; {differences}" if differences else ""
    return [Problem(file, message, "quote-not-found", (*loc, "quote"))]


def _locate_all(root: Path, problems: list[Problem]) -> list[Problem]:
    trees: dict[str, object] = {}
    out = []
    for problem in problems:
        if problem.line is not None or not problem.loc:
            out.append(problem if problem.line is not None else problem.at(1, 1))  # about the whole file
            continue
        if problem.file not in trees:
            parsed, _ = read_yaml_file(root / problem.file, problem.file)
            trees[problem.file] = parsed.root if parsed else None
        line, column = locate(trees[problem.file], problem.loc)
        out.append(problem.at(line, column))
    return out

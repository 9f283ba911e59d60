"""The static site: jinja2 templates over the same query functions the CLI uses.

The build renders into a temporary folder beside the target and swaps it in only when every page
rendered, so a failed build (invalid data, a template error) leaves the previous site untouched.
Pages grow linearly: one per place file (city or province) and one per source article.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path
from urllib.parse import urlparse

import jinja2

from ..ask import queries
from ..core.dates import PartialDate
from ..core.paths import PROJECT_ROOT
from ..core.quantity import Quantity, format_cny, format_quantity
from ..core.textnorm import to_simplified
from ..load.loader import KnowledgeBase
from ..schema.glossary import NOT_STATED, label
from ..schema.jsonschema import place_schema
from ..schema.model import Citation, Instrument, Jurisdiction, Limit, Record, Script
from . import parallel, sitefolder
from .export import citation_for, export_csv, export_sqlite, fact_rows, write_json

TEMPLATES = PROJECT_ROOT / "templates"
STATIC = TEMPLATES / "static"


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # everywhere: record text is data, never markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        q=format_quantity,
        cny=format_cny,
        label=label,
        human=lambda d, lang="en": d.human(lang) if isinstance(d, PartialDate) else "",
        safe_url=safe_url,
        zh=to_simplified,
    )
    env.globals.update(NOT_STATED=NOT_STATED)
    return env


def safe_url(url: str | None) -> str | None:
    """Only http(s) links are rendered; anything else (javascript:, data:) is dropped."""
    if not url:
        return None
    return url if urlparse(url).scheme in {"http", "https"} else None


# --------------------------------------------------------------------------- links


@dataclass
class Links:
    """Where everything lives in the site; every href is relative to the page that uses it."""

    kb: KnowledgeBase
    depth: int = 0  # 0 for pages at the root, 1 for places/ and sources/

    def at(self, depth: int) -> Links:
        return Links(self.kb, depth)

    @property
    def root(self) -> str:
        return "../" * self.depth

    def page_of_place(self, place_id: str) -> str:
        return f"{self.root}places/{home_place(self.kb, place_id)}.html"

    def place(self, place_id: str) -> str:
        return f"{self.page_of_place(place_id)}#place-{place_id}"

    def record(self, record: Record | Jurisdiction) -> str:
        if isinstance(record, Jurisdiction):
            return self.place(record.id)
        return f"{self.page_of_place(record.jurisdiction)}#{record.id}"

    def source(self, document: str) -> str:
        return f"{self.root}sources/{Path(document).stem}.html"

    def passage(self, record: Record | Jurisdiction, citation: Citation) -> str:
        return f"{self.source(citation.document)}#{anchor(record, citation)}"

    def figure(self, record: Record, quantity: Quantity) -> str:
        """The passage stating this number: the provenance link of every figure."""
        return self.passage(record, citation_for(record.sources, quantity))


def anchor(record: Record | Jurisdiction, citation: Citation) -> str:
    return f"c-{record.id}-{record.sources.index(citation)}"


def home_place(kb: KnowledgeBase, place_id: str) -> str:
    """The place file a place is written in: its page (data/cities/zhuhai.yaml -> zhuhai)."""
    return kb.placed[place_id].file.rsplit("/", 1)[-1].removesuffix(".yaml")


# --------------------------------------------------------------------------- source pages


@dataclass
class Segment:
    text: str
    anchors: list[str]  # citations starting here
    cited_by: list[str]  # record ids whose passage covers this text
    cites: list[str]  # anchors of the citations covering this text


@dataclass
class Paragraph:
    segments: list[Segment]

    @property
    def cited(self) -> list[str]:
        return sorted({r for s in self.segments for r in s.cited_by})


def segments(kb: KnowledgeBase, document: str) -> list[Paragraph]:
    """The article as paragraphs of segments; cited text is split where passages begin and end."""
    doc = kb.library.get(document)
    assert doc is not None
    spans: list[tuple[int, int, str, str]] = []
    for item, citation in kb.citations_by_document.get(document, []):
        found = doc.find(citation.quote)
        if found:
            spans.append((found[0], found[1], anchor(item, citation), item.id))
    cuts = sorted(
        {
            0,
            len(doc.text),
            *(s for s, _, _, _ in spans),
            *(e for _, e, _, _ in spans),
            *(i + 1 for i, ch in enumerate(doc.text) if ch == "\n"),
        }
    )
    paragraphs: list[list[Segment]] = [[]]
    for start, end in zip(cuts, cuts[1:], strict=False):
        piece = doc.text[start:end]
        covering = [(a, rid) for s, e, a, rid in spans if s <= start and end <= e]
        starting = [a for s, _, a, _ in spans if s == start]
        records = sorted({rid for _, rid in covering})
        paragraphs[-1].append(Segment(piece.rstrip("\n"), starting, records, sorted(a for a, _ in covering)))
        if piece.endswith("\n"):
            paragraphs.append([])
    return [Paragraph(p) for p in paragraphs if any(s.text.strip() or s.anchors for s in p)]


# --------------------------------------------------------------------------- build


class Site:
    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.env = environment()

    def pages(self) -> Iterator[tuple[str, Callable[[], str]]]:
        """(relative path, renderer) for every page: linear in places and sources."""
        yield "index.html", self.home
        yield "vouchers.html", self.vouchers
        yield "targets.html", self.targets
        yield "data.html", self.data
        for file in sorted({p.file for p in self.kb.placed.values() if p.loc[0] == "jurisdictions" and p.loc[1] == 0}):
            place_id = Path(file).stem
            yield f"places/{place_id}.html", lambda place_id=place_id: self.place(place_id)
        for document in sorted(self.kb.sources):
            yield f"sources/{Path(document).stem}.html", lambda document=document: self.source(document)

    def render(self, template: str, depth: int, **context: object) -> str:
        return self.env.get_template(template).render(
            kb=self.kb,
            links=Links(self.kb, depth),
            sources_as_of=self.sources_as_of,
            **context,
        )

    @cached_property
    def sources_as_of(self) -> tuple[PartialDate, PartialDate] | None:
        dates = sorted((s.published for s in self.kb.sources.values()), key=lambda d: d.sort_key())
        return (dates[0], dates[-1]) if dates else None

    def home(self) -> str:
        return self.render("index.html", 0, rows=queries.overview(self.kb), page="home")

    def vouchers(self) -> str:
        rows = queries.voucher_rows(self.kb, "all")
        calc = queries.calculator_data(self.kb)
        example = queries.subsidy(self.kb, queries.parse_spend("1000万"), startup=True)
        charts = [
            ("rates", "Rates", "补贴比例", rate_chart(self.kb, rows), [0, 25, 50, 75, 100], "%"),
            ("caps", "Caps per recipient", "单个主体补贴上限", cap_chart(self.kb, rows), [], ""),
        ]
        return self.render("vouchers.html", 0, rows=rows, calc=calc, charts=charts, example=example, page="vouchers")

    def targets(self) -> str:
        found = queries.targets(self.kb)
        by_year: dict[str, list] = {}
        for target in found:
            by_year.setdefault(str(target.deadline.year) if target.deadline else "", []).append(target)
        return self.render("targets.html", 0, by_year=by_year, page="targets")

    def place(self, place_id: str) -> str:
        place = self.kb.jurisdictions[place_id]
        return self.render("place.html", 1, profile=queries.profile(self.kb, place), page="place")

    def source(self, document: str) -> str:
        source = self.kb.sources[document]
        lang = "zh-Hant" if source.script is Script.TRADITIONAL else "zh-Hans"
        citing = list({id(item): item for item, _ in self.kb.citations_by_document.get(document, [])}.values())
        return self.render(
            "source.html",
            1,
            source=source,
            paragraphs=segments(self.kb, document),
            text_lang=lang,
            citing=citing,
            page="source",
        )

    def data(self) -> str:
        return self.render("data.html", 0, summary=self.kb.summary(), page="data")

    def write_data_files(self, folder: Path) -> list[Callable[[], int]]:
        """Writers of the downloads (each returns 0: no pages), to run in any order or at once. The
        fact rows are built here, once, for the JSON, the CSV and the SQLite file."""
        data = folder / "data"
        data.mkdir(parents=True, exist_ok=True)
        facts = fact_rows(self.kb)

        def sqlite() -> int:
            export_sqlite(self.kb, data / "citypolicy.sqlite", facts)
            return 0

        def json_document() -> int:
            write_json(self.kb, data / "citypolicy.json", facts)
            return 0

        def csv_and_schema() -> int:
            (data / "facts.csv").write_text(export_csv(self.kb, facts), encoding="utf-8")
            schema = json.dumps(place_schema(), ensure_ascii=False, indent=2)
            (data / "place.schema.json").write_text(schema, encoding="utf-8")
            return 0

        return [sqlite, json_document, csv_and_schema]


@dataclass
class Bar:
    label_zh: str
    label_en: str
    value: float  # 0..1 of the chart's scale
    text: str
    href: str


def rate_chart(kb: KnowledgeBase, rows: list[queries.VoucherRow]) -> list[Bar]:
    """Bars for every stated rate (and startup tier) of a compute-type instrument; scale 0..100%."""
    links = Links(kb, 0)
    bars = []
    for row, i in _compute_rows(rows):
        zh, en = f"{row.place.name.zh} {i.name.zh}", f"{row.place.name.en} · {label(i.kind)}"
        if i.rate:
            value = float(i.rate.high or i.rate.value)
            bars.append(Bar(zh, en, value, format_quantity(i.rate), links.figure(i, i.rate)))
        for tier in i.tiers:
            if tier.rate:
                group_zh, group_en = label(tier.group, "zh"), label(tier.group)
                rate = format_quantity(tier.rate)
                bars.append(
                    Bar(
                        f"{zh}（{group_zh}）",
                        f"{en} ({group_en})",
                        float(tier.rate.value),
                        rate,
                        links.figure(i, tier.rate),
                    )
                )
    return bars


def cap_chart(kb: KnowledgeBase, rows: list[queries.VoucherRow]) -> list[Bar]:
    """Bars for every stated cap per recipient of a compute-type instrument; scale 0..largest cap."""
    links = Links(kb, 0)
    capped = [(row, i) for row, i in _compute_rows(rows) if i.cap]
    largest = max((float(i.cap.amount.value) for _, i in capped), default=1.0)
    return [
        Bar(
            f"{row.place.name.zh} {i.name.zh}",
            f"{row.place.name.en} · {label(i.kind)}",
            float(i.cap.amount.value) / largest,
            _cap_text(i.cap),
            links.figure(i, i.cap.amount),
        )
        for row, i in capped
    ]


def _cap_text(cap: Limit) -> str:
    return format_quantity(cap.amount, compact=True) + queries.period_suffix(cap.period)


def _compute_rows(rows: list[queries.VoucherRow]) -> list[tuple[queries.VoucherRow, Instrument]]:
    return [(r, r.instrument) for r in rows if r.instrument is not None and r.instrument.kind in queries.COMPUTE_KINDS]


def build(kb: KnowledgeBase, target: Path, progress: Callable[[int, int], None] | None = None) -> int:
    """Render every page into a staging folder, then swap it in (see sitefolder). Returns the page count."""
    sitefolder.check_site_target(target, kb.root)
    target = sitefolder.absolute(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with sitefolder.locked(target):
        sitefolder.recover(target)
        sitefolder.check_site_target(target, kb.root)  # again: another build may have run meanwhile
        staging = sitefolder.make_staging(target)
        try:
            count = _render_all(Site(kb), staging, progress)
            staging.chmod(0o755)
            sitefolder.swap_in(staging, target)
            return count
        finally:
            if staging.exists():
                sitefolder.remove_site(staging)


def _render_all(site: Site, folder: Path, progress: Callable[[int, int], None] | None) -> int:
    """Every page and the data files, on every core (see parallel.py). The longest tasks come first:
    the downloads, then each page at the root (each lists every place or record), then the place and
    source pages in chunks."""
    pages = list(site.pages())
    for parent in sorted({(folder / relative).parent for relative, _ in pages}):
        parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(STATIC, folder / "static")
    root = [page for page in pages if "/" not in page[0]]
    nested = [page for page in pages if "/" in page[0]]
    tasks = site.write_data_files(folder)
    tasks += [partial(_write_pages, folder, [page]) for page in root]
    tasks += [partial(_write_pages, folder, chunk) for chunk in parallel.chunks(nested)]
    done = 0
    for written in parallel.run(tasks):
        done += written
        if progress:
            progress(done, len(pages))
    return len(pages)


def _write_pages(folder: Path, pages: list[tuple[str, Callable[[], str]]]) -> int:
    for relative, render in pages:
        (folder / relative).write_text(render(), encoding="utf-8")
    return len(pages)

"""The static site: jinja2 templates over the same query functions the CLI uses.

The build renders into a temporary folder beside the target and swaps it in only when every page
rendered, so a failed build (invalid data, a template error) leaves the previous site untouched.
Pages grow linearly: one per place (province, city, district, zone), one per source article, and a
search index. What goes on a page is computed in modules of its own (place_page, charts,
provenance, search_index); the strings in both languages are in i18n.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from functools import cached_property, partial
from pathlib import Path

from ..ask import calculator, queries, timeline
from ..core.dates import PartialDate
from ..load.loader import KnowledgeBase
from ..schema.jsonschema import place_schema
from ..schema.model import Script
from . import calculator_view, i18n, parallel, sitefolder
from .changes_view import changes_page
from .charts import charts, place_names
from .export import export_csv, export_sqlite, write_json
from .facts import fact_rows
from .history import data_history
from .links import Links, anchor, safe_url
from .markup import TEMPLATES, environment, reader_note
from .overview import overview_rows
from .place_page import place_page
from .provenance import banner_data, cited_items, record_name, segments
from .search_index import search_script
from .status_view import day_text, target_outcome_key

STATIC = TEMPLATES / "static"
SEARCH_INDEX = "search-index.js"

__all__ = ["Links", "Site", "anchor", "build", "environment", "safe_url"]


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
        yield "changes.html", self.changes
        for place_id in self.kb.jurisdictions:
            yield f"places/{place_id}.html", lambda place_id=place_id: self.place(place_id)
        for document in sorted(self.kb.sources):
            yield f"sources/{Path(document).stem}.html", lambda document=document: self.source(document)
        yield SEARCH_INDEX, lambda: search_script(self.kb)

    def render(self, template: str, here: str, links: Links | None = None, **context: object) -> str:
        links = links or Links(self.kb, here)
        return self.env.get_template(template).render(
            kb=self.kb,
            links=links,
            sources_as_of=self.sources_as_of,
            ui_strings=i18n.script_strings(),
            search_index=links.root + SEARCH_INDEX,
            note=lambda text: reader_note(self.kb, links, text),
            record_names=lambda item: record_name(self.kb, item),
            place_names=lambda place: place_names(self.kb, place, queries.city_of(self.kb, place)),
            **context,
        )

    @cached_property
    def sources_as_of(self) -> tuple[PartialDate, PartialDate] | None:
        dates = sorted((s.published for s in self.kb.sources.values() if s.published), key=lambda d: d.sort_key())
        return (dates[0], dates[-1]) if dates else None

    def home(self) -> str:
        rows = overview_rows(self.kb)
        links = Links(self.kb, "index.html", self._overview_anchor)
        return self.render("index.html", "index.html", links, rows=rows, page="home", places=self._place_tree())

    def _overview_anchor(self, record: object) -> str:
        place = self.kb.jurisdictions[record.jurisdiction]  # type: ignore[attr-defined]
        return f"row-{queries.city_of(self.kb, place).id}"

    def _place_tree(self) -> list[tuple[object, int]]:
        """Every place, parents before children, with its depth: the home page's list of places."""
        out: list[tuple[object, int]] = []

        def walk(place_id: str, depth: int) -> None:
            out.append((self.kb.jurisdictions[place_id], depth))
            for child in sorted(self.kb.children(place_id), key=lambda p: p.name.en):
                walk(child.id, depth + 1)

        roots = [p for p in self.kb.jurisdictions.values() if not p.parent or p.parent not in self.kb.jurisdictions]
        for root in sorted(roots, key=lambda p: (p.level.value != "province", p.name.en)):
            walk(root.id, 0)
        return out

    def vouchers(self) -> str:
        rows = queries.voucher_rows(self.kb, "all")
        calc = calculator_view.with_chinese(self.kb, calculator.calculator_cases(self.kb))
        example = calculator_view.server_rows(calculator.subsidy(self.kb, calculator.parse_spend("1000万")))
        return self.render(
            "vouchers.html",
            "vouchers.html",
            rows=rows,
            calc=calc,
            charts=charts(self.kb, rows),
            example=example,
            page="vouchers",
        )

    def targets(self) -> str:
        found = queries.targets(self.kb)
        by_year: dict[str, list] = {}
        for target in found:
            by_year.setdefault(str(target.deadline.year) if target.deadline else "", []).append(target)
        day = timeline.today()
        outcomes = {t.id: target_outcome_key(t, day) for t in found}
        return self.render(
            "targets.html", "targets.html", by_year=by_year, outcomes=outcomes, day=day_text(day), page="targets"
        )

    def place(self, place_id: str) -> str:
        place = self.kb.jurisdictions[place_id]
        view = place_page(self.kb, place)
        return self.render("place.html", f"places/{place_id}.html", view=view, profile=view.profile, page="place")

    def source(self, document: str) -> str:
        source = self.kb.sources[document]
        lang = "zh-Hant" if source.script is Script.TRADITIONAL else "zh-Hans"
        return self.render(
            "source.html",
            f"sources/{Path(document).stem}.html",
            source=source,
            paragraphs=segments(self.kb, document),
            text_lang=lang,
            traditional=source.script is Script.TRADITIONAL,
            citing=cited_items(self.kb, document),
            banner=banner_data(self.kb, document),
            page="source",
        )

    def changes(self) -> str:
        """What changed in the data: the knowledge base's git history, when it has one."""
        links = Links(self.kb, "changes.html")
        page = changes_page(self.kb, data_history(self.kb.root), links)
        return self.render("changes.html", "changes.html", links, changes=page, page="changes")

    def data(self) -> str:
        return self.render("data.html", "data.html", summary=self.kb.summary(), page="data")

    def write_data_files(self, folder: Path) -> list[Callable[[], int]]:
        """Writers of the downloads (each returns 0: no pages), to run in any order or at once. The
        fact rows are built here, once, for the JSON, the CSV and the SQLite file."""
        data = folder / "data"
        data.mkdir(parents=True, exist_ok=True)
        facts = fact_rows(self.kb)
        from .datapackage import write_descriptor
        from .datasette_metadata import write_metadata

        def sqlite() -> int:
            export_sqlite(self.kb, data / "citypolicy.sqlite", facts)
            write_metadata(data)  # metadata.json: for `datasette citypolicy.sqlite -m metadata.json`
            return 0

        def json_csv_and_package() -> int:  # the package describes (and hashes) the JSON and the CSV
            write_json(self.kb, data / "citypolicy.json", facts)
            (data / "facts.csv").write_text(export_csv(self.kb, facts), encoding="utf-8")
            write_descriptor(self.kb, data)
            return 0

        def schema() -> int:
            text = json.dumps(place_schema(), ensure_ascii=False, indent=2)
            (data / "place.schema.json").write_text(text, encoding="utf-8")
            return 0

        return [sqlite, json_csv_and_package, schema]


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

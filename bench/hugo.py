"""The same site built by Hugo (Debian's `hugo` package), the peer `citypolicy build` is timed against.

    .venv/bin/python bench/hugo.py --kb bench/out/kb-1000 --out bench/out/hugo-1000   # prepare, build once

`prepare` turns a knowledge base into a Hugo project that renders the pages `citypolicy build` renders,
from the same YAML files and the same articles: the home page (every place with its counts), the
vouchers page (every compute-type instrument with its terms), the targets page (every target, by
deadline year), the data page with the downloads as JSON (the whole knowledge base) and CSV (one row
per figure), one page per place file (its places, indicators, policies, instruments with their terms,
targets and institutions, every record citing its sources) and one page per article (its text by
paragraph, each cited passage marked and anchored, and the records citing it), with the same
bilingual header, navigation and footer, and the same static files. Fixed labels are rendered once
(partialCached), as Hugo's documentation recommends. Hugo reads the YAML as data files
(data/) and the articles with readFile; the project's own templates are Jinja2, so the layouts in
bench/hugo-site/ are written for Hugo and mirror them.

What Hugo is not asked to do, and `citypolicy build` does: validate the records and verify every quote
against its article, parse quantities (Hugo prints 最高1000万元 as written, the project prints ¥10,000,000
with the figure's link to the passage that states it), find quotes in Traditional text from Simplified
(Hugo marks exact matches only), draw the charts and the calculator's data, and write the SQLite
download. What `prepare` precomputes outside the timed run (Hugo has no index): each article's
metadata and the citations of it, put into the article page's front matter. Both sides are timed from
a cold process with an empty output folder.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parents[1]
MARKER = ".citypolicy-bench-hugo"

SKELETON = PROJECT / "bench" / "hugo-site"  # config.toml and layouts/, copied into every project


def _front_matter(fields: dict[str, object]) -> str:
    return json.dumps(fields, ensure_ascii=False, indent=1) + "\n"  # Hugo reads JSON front matter


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def prepare(kb: Path, site: Path) -> Path:
    """A Hugo project in `site` (replaced if this script made it) rendering the knowledge base `kb`."""
    if site.exists():
        if not (site / MARKER).exists():
            sys.exit(f"{site} exists and was not made by bench/hugo.py: refusing to replace it")
        shutil.rmtree(site)
    site.mkdir(parents=True)
    (site / MARKER).touch()
    shutil.copytree(SKELETON, site, dirs_exist_ok=True)
    shutil.copytree(kb / "data", site / "data")
    shutil.copytree(kb / "seeds", site / "seeds")
    shutil.copytree(PROJECT / "templates" / "static", site / "static" / "static")
    _content(kb, site / "content")
    return site


def _content(kb: Path, content: Path) -> None:
    _write(content / "_index.md", _front_matter({"title": "Overview"}))
    for name in ("vouchers", "targets"):
        _write(content / f"{name}.md", _front_matter({"title": name.title(), "layout": name}))
    data = {"title": "Data", "layout": "data", "outputs": ["html", "everything", "facts"]}  # data.json, data.csv
    _write(content / "data.md", _front_matter(data))
    homes: dict[str, str] = {}
    citations: dict[str, list[dict[str, str]]] = {}
    for path in sorted((kb / "data").glob("*/*.yaml")):
        if path.parent.name not in ("cities", "provinces"):
            continue
        records = yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
        page = {"title": records["jurisdictions"][0]["name"]["en"], "layout": "place"}
        _write(
            content / "places" / f"{path.stem}.md",
            _front_matter(page | {"folder": path.parent.name, "file": path.stem}),
        )
        for items in records.values():
            for item in items if isinstance(items, list) else []:
                homes[item["id"]] = path.stem
                for n, c in enumerate(item.get("sources", [])):
                    anchor = f"c-{item['id']}-{n}"
                    citations.setdefault(c["document"], []).append(
                        {"record": item["id"], "anchor": anchor, "quote": c["quote"]}
                    )
    sources = yaml.load((kb / "data" / "sources.yaml").read_bytes(), Loader=yaml.CSafeLoader)["sources"]
    for source in sources:
        cited = citations.get(source["file"], [])
        fields = {k: str(v) if k == "published" else v for k, v in source.items() if k != "file"}
        page = fields | {"title": source["file"], "layout": "source", "document": source["file"], "citations": cited}
        page["homes"] = {c["record"]: homes[c["record"]] for c in cited}
        _write(content / "sources" / f"{Path(source['file']).stem}.md", _front_matter(page))


def command(site: Path, out: Path) -> list[str]:
    """The timed command: Hugo building `site` into `out` (which must be emptied before each run)."""
    hugo = shutil.which("hugo") or "hugo"
    return [hugo, "--quiet", "--source", str(site.resolve()), "--destination", str(out.resolve())]


def version() -> str | None:
    hugo = shutil.which("hugo")
    if hugo is None:
        return None
    done = subprocess.run([hugo, "version"], capture_output=True, text=True, check=False)
    return done.stdout.strip() or None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kb", type=Path, required=True, help="a knowledge base (holding data/ and seeds/)")
    parser.add_argument("--out", type=Path, required=True, help="where to put the Hugo project")
    args = parser.parse_args(argv)
    if version() is None:
        sys.exit("hugo is not installed (Debian: apt-get install -y hugo)")
    site = prepare(args.kb, args.out)
    public = site / "public"
    start = time.perf_counter()
    subprocess.run(command(site, public), check=True)
    pages = sum(1 for _ in public.rglob("*.html"))
    print(f"hugo built {pages} pages into {public} in {time.perf_counter() - start:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

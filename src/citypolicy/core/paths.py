"""Where the knowledge base lives: --kb DIR, $CITYPOLICY_KB, the current folder, or the project's own."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[3]


class NoKnowledgeBase(Exception):
    pass


def is_kb(folder: Path) -> bool:
    return (folder / "data").is_dir() and (folder / "seeds").is_dir()


def resolve_kb(explicit: Path | None) -> Path:
    """`explicit` comes from --kb or $CITYPOLICY_KB (typer reads the variable)."""
    if explicit is not None:
        if not is_kb(explicit):
            raise NoKnowledgeBase(f"{explicit} is not a knowledge base: it needs data/ and seeds/ folders")
        return explicit
    for candidate in (Path.cwd(), PROJECT_ROOT):
        if is_kb(candidate):
            return candidate
    raise NoKnowledgeBase("no knowledge base here: pass --kb DIR (a folder with data/ and seeds/)")

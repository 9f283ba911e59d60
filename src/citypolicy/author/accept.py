"""Write a confirmed draft into the knowledge base: each part into its file.

A part is a new file (written whole, never over an existing one) or records to add to a file
(appended to the end of each section, as text, so the file's comments and layout stay as they
were). Nothing is written while a guess is unconfirmed (a `# guess:` comment is left) or a TODO is
left, nor when a part is not valid YAML; all files are checked before any is written, and each is
written atomically.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..core.problems import Problem
from ..load.unfinished import DRAFT_MARK, PLACEHOLDER
from ..load.yamlread import parse_yaml_text
from ..publish.outputs import write_text_atomic
from .add import create_new_file
from .yamltext import GUESS

_PART = re.compile(r"^--- # (?P<mode>new file|add to): (?P<file>\S+)\s*$", re.M)
_TOP_KEY = re.compile(r"^(?P<key>[A-Za-z_]+):(?P<rest>.*)$", re.M)


@dataclass
class Part:
    mode: str
    file: str
    line: int  # of its `---` line in the draft
    text: str


def read_parts(draft: str, display: str) -> tuple[list[Part], list[Problem]]:
    if not draft.startswith(DRAFT_MARK):
        return [], [Problem(display, f"not a draft: its first line is not '{DRAFT_MARK}'", "draft", line=1, column=1)]
    problems = _unconfirmed(draft, display)
    marks = list(_PART.finditer(draft))
    if not marks:
        problems.append(Problem(display, "no parts (--- # new file: … / --- # add to: …)", "draft", line=1, column=1))
    parts = []
    for index, mark in enumerate(marks):
        end = marks[index + 1].start() if index + 1 < len(marks) else len(draft)
        line = draft.count("\n", 0, mark.start()) + 1
        parts.append(Part(mark["mode"], mark["file"], line, draft[mark.end() + 1 : end]))
    return parts, problems


def _unconfirmed(draft: str, display: str) -> list[Problem]:
    problems = []
    for number, line in enumerate(draft.splitlines(), start=1):
        if line.lstrip().startswith("#"):
            continue
        if GUESS in line:
            column = line.index(GUESS) + 1
            message = (
                f"a guess is not confirmed yet ({line.strip()}): correct the value if needed, then delete the comment"
            )
            problems.append(Problem(display, message, "guess", line=number, column=column))
        elif re.search(rf"(?:^|[:\-\[{{,]\s*)\"?{PLACEHOLDER}\b", line):
            column = line.index(PLACEHOLDER) + 1
            problems.append(
                Problem(
                    display,
                    f"a placeholder is left ({line.strip()}): write the real value",
                    "placeholder",
                    line=number,
                    column=column,
                )
            )
    return problems


def accept(root: Path, draft_path: Path) -> tuple[list[str], list[Problem]]:
    """Files written (relative to root), or the problems that stopped it (nothing written then)."""
    display = str(draft_path)
    parts, problems = read_parts(draft_path.read_text("utf-8"), display)
    if problems:
        return [], problems
    planned: list[tuple[str, str, bool]] = []  # (file, text, new)
    for part in parts:
        problems += _check_target(root, part, display)
        parsed, found = parse_yaml_text(part.text, display)
        problems += [p.at((p.line or 1) + part.line, p.column) for p in found]
        if problems or parsed is None or not isinstance(parsed.data, dict):
            continue
        target = root / part.file
        current = next((text for file, text, _ in planned if file == part.file), None)
        if current is None and target.is_file():
            current = target.read_text("utf-8")
            problems += _already_there(current, part, display)
        if current is None and part.mode == "new file":
            planned.append((part.file, part.text.rstrip("\n") + "\n", True))
            continue
        merged = merge(current if current is not None else "", part.text)
        planned = [p for p in planned if p[0] != part.file] + [(part.file, merged, current is None)]
    if problems:
        return [], problems
    for file, text, _ in planned:
        _, found = parse_yaml_text(text, file)
        problems += found
    if problems:
        return [], problems
    for file, text, new in planned:
        target = root / file
        target.parent.mkdir(parents=True, exist_ok=True)
        if new and not target.exists():
            create_new_file(target, text.encode("utf-8"))
        else:
            write_text_atomic(target, text)
    return [file for file, _, _ in planned], []


_ITEM_ID = re.compile(r"^\s*-\s+id:\s*(?P<id>[a-z0-9-]+)\s*$", re.M)


def _already_there(current: str, part: Part, display: str) -> list[Problem]:
    """Ids of the part that its file holds already: accepting the same draft twice would double them."""
    held = {m["id"] for m in _ITEM_ID.finditer(current)}
    return [
        Problem(
            display,
            f"'{m['id']}' is in {part.file} already: was this draft accepted before? Choose another id or "
            "remove the record from the draft",
            "duplicate-id",
            line=part.line + part.text.count("\n", 0, m.start()) + 1,
            column=1,
        )
        for m in _ITEM_ID.finditer(part.text)
        if m["id"] in held
    ]


def _check_target(root: Path, part: Part, display: str) -> list[Problem]:
    relative = Path(part.file)
    if (
        relative.is_absolute()
        or ".." in relative.parts
        or relative.parts[:1] != ("data",)
        or relative.suffix != ".yaml"
    ):
        message = f"a part may only go to a .yaml file under data/, not {part.file}"
        return [Problem(display, message, "draft", line=part.line, column=1)]
    return []


def merge(current: str, addition: str) -> str:
    """`current` with the items of each top-level list of `addition` appended to the same list."""
    sections = _sections(addition)
    text = current if current.endswith("\n") or not current else current + "\n"
    for key, items in sections.items():
        if key == "id" or not items.strip():
            continue
        text = _append_items(text, key, items)
    return text


def _sections(text: str) -> dict[str, str]:
    """Top-level key -> the lines of its block (items of a list), as written."""
    out: dict[str, str] = {}
    marks = [m for m in _TOP_KEY.finditer(text)]
    for index, mark in enumerate(marks):
        end = marks[index + 1].start() if index + 1 < len(marks) else len(text)
        body = text[mark.end() + 1 : end] if mark.end() < len(text) else ""
        out[mark["key"]] = body.rstrip("\n") + "\n" if body.strip() else ""
    return out


def _append_items(text: str, key: str, items: str) -> str:
    marks = list(_TOP_KEY.finditer(text))
    for index, mark in enumerate(marks):
        if mark["key"] != key:
            continue
        if mark["rest"].strip() == "[]":
            return text[: mark.start()] + f"{key}:\n{items}" + text[mark.end() + 1 :]
        end = marks[index + 1].start() if index + 1 < len(marks) else len(text)
        block = text[mark.start() : end]
        kept = block.rstrip("\n") + "\n"
        trailing = block[len(block.rstrip("\n")) :]
        spacing = trailing[1:] if len(trailing) > 1 else ""
        return text[: mark.start()] + kept + items + spacing + text[end:]
    return text + ("\n" if text and not text.endswith("\n\n") else "") + f"{key}:\n{items}"

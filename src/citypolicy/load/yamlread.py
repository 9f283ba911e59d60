"""Reading YAML written by hand, safely, with every fault turned into a positioned Problem.

The text is parsed by PyYAML's C parser where it is installed. Construction is our own and
deliberately small: every plain scalar stays a string (no YAML 1.1 guessing: `no` is not False and
`2025-05-01` is not a date until the schema says so), only `~`/`null`/empty mean null, duplicate
keys, anchors/aliases and tags other than the core ones are refused, nothing is ever executed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..core.problems import Problem
from .fileread import InputError, read_input

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StringsOnlyLoader(_Loader):  # type: ignore[misc, valid-type]
    """Resolves every plain scalar to str; the schema decides what a value means."""

    def resolve(self, kind: type, value: object, implicit: object) -> str:  # called once per node
        return _DEFAULT_TAGS[kind]


_StringsOnlyLoader.yaml_implicit_resolvers = {}
_DEFAULT_TAGS = {
    yaml.ScalarNode: "tag:yaml.org,2002:str",
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
}

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_ALLOWED_TAGS = {
    yaml.ScalarNode: {_STR, "tag:yaml.org,2002:null"},
    yaml.MappingNode: {_MAP},
    yaml.SequenceNode: {_SEQ},
}


@dataclass
class YamlText:
    """A parsed file: plain Python data plus the node tree, kept only to locate problems."""

    data: object
    root: yaml.Node | None


def read_yaml_file(path: Path, display: str) -> tuple[YamlText | None, list[Problem]]:
    """`path` is the knowledge base's folder joined with `display`, the file's relative name."""
    tail = len(Path(display).parts)
    root = path.parents[tail - 1] if path.parts[-tail:] == Path(display).parts else path.parent
    try:
        raw = read_input(root, display)
    except InputError as error:
        return None, [Problem(display, str(error), "unreadable", line=1, column=1)]
    return parse_yaml_bytes(raw, display)


def parse_yaml_bytes(raw: bytes, display: str) -> tuple[YamlText | None, list[Problem]]:
    text, problem = decode_utf8(raw, display)
    if problem:
        return None, [problem]
    return parse_yaml_text(text, display)


def decode_utf8(raw: bytes, display: str) -> tuple[str, Problem | None]:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        bad = raw[error.start : error.start + 1].hex()
        message = f"file is not UTF-8 (byte 0x{bad} cannot be decoded); save it with UTF-8 encoding"
        return "", Problem(display, message, "encoding", line=line, column=column)


def parse_yaml_text(text: str, display: str) -> tuple[YamlText | None, list[Problem]]:
    tabs = _tab_indentation(text, display)
    if tabs:
        return None, tabs
    try:
        root = yaml.compose(text, Loader=_StringsOnlyLoader)
    except yaml.MarkedYAMLError as error:
        return None, [_syntax_problem(error, display, text)]
    except yaml.reader.ReaderError as error:  # a character YAML does not allow, e.g. a control code
        line, column = _position(text, error.position)
        message = f"character #x{error.character:04x} is not allowed in YAML ({error.reason}); delete it"
        return None, [Problem(display, message, "yaml-character", line=line, column=column)]
    except yaml.YAMLError as error:  # anything else without a mark
        message = "YAML error: " + " ".join(str(error).split())
        return None, [Problem(display, message, "yaml-syntax", line=1, column=1)]
    if root is None:
        message = "file is empty: it must hold a mapping (see `citypolicy schema`)"
        return None, [Problem(display, message, "empty", line=1, column=1)]
    builder = _Builder(display, may_alias="*" in text)
    data = builder.build(root)
    return YamlText(data, root), builder.problems


def _tab_indentation(text: str, display: str) -> list[Problem]:
    if "\t" not in text:
        return []
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            column = indent.index("\t") + 1
            message = "tab character in indentation: YAML indents with spaces only"
            problems.append(Problem(display, message, "tab", line=number, column=column))
    return problems


def _position(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _syntax_problem(error: yaml.MarkedYAMLError, display: str, text: str = "") -> Problem:
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else 1
    column = mark.column + 1 if mark else 1
    lines = text.splitlines()
    message = _colon_in_value(error, lines[line - 1] if mark and line <= len(lines) else "", column - 1)
    if message is None:
        parts = [p for p in (error.context, error.problem) if p]
        message = "YAML syntax error: " + "; ".join(parts)
    return Problem(display, message, "yaml-syntax", line=line, column=column)


_KEY_VALUE = re.compile(r"^\s*(?:-\s+)?(?P<key>[\w.-]+):\s+(?P<value>.*?)\s*$")


def _colon_in_value(error: yaml.MarkedYAMLError, line: str, column: int) -> str | None:
    """What to do about a plain value holding ': ' (note: Class A: for …), in a block or inside {…}."""
    if error.problem == "mapping values are not allowed in this context":
        found = _KEY_VALUE.match(line)
        key, value = (found["key"], found["value"]) if found else ("key", "…")
        return (
            f"a colon followed by a space inside a value starts a new key: quote the value "
            f'({key}: "{_escaped(value)}") or use a block scalar ({key}: >- with the text on the next lines, indented)'
        )
    if error.context == "while parsing a flow mapping" and error.problem == "did not find expected ',' or '}'":
        entries = list(_FLOW_ENTRY.finditer(line, 0, column))
        key, start = (entries[-1]["key"], entries[-1].end()) if entries else ("key", column)
        end = min((i for i in (line.find(",", column), line.find("}", column)) if i >= 0), default=len(line))
        value = _escaped(line[start:end].strip())
        return (
            f'inside {{…}} a value holding a colon or a comma must be quoted: {key}: "{value}"'
            "; or write the mapping as a block, one key per line, with a block scalar (>-) for long text"
        )
    return None


_FLOW_ENTRY = re.compile(r"[{,]\s*(?P<key>[\w.-]+):\s+")


def _escaped(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


MAX_DEPTH = 64


class _Builder:
    """Plain data from a node tree. Runs once per node of every file: kept lean on purpose."""

    def __init__(self, display: str, may_alias: bool = True):
        self.display = display
        self.problems: list[Problem] = []
        self.may_alias = may_alias  # without a '*' in the text no node can be reached twice
        self.seen: set[int] = set()
        self.reported: set[int] = set()

    def problem(self, node: yaml.Node, message: str, code: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.display, message, code, line=mark.line + 1, column=mark.column + 1))

    def build(self, node: yaml.Node, depth: int = 0) -> object:
        if self.may_alias and self._reused(node):
            return None
        kind = node.__class__
        if node.tag not in _ALLOWED_TAGS[kind]:
            self.problem(node, f"YAML tag {_short_tag(node.tag)} is not allowed here", "tag")
            return None
        if kind is yaml.ScalarNode:
            return None if node.style is None and node.value in _NULLS else node.value
        if depth >= MAX_DEPTH:
            self.problem(node, f"nested more than {MAX_DEPTH} levels deep", "depth")
            return None
        if kind is yaml.MappingNode:
            return self._mapping(node, depth + 1)
        return [self.build(item, depth + 1) for item in node.value]

    def _reused(self, node: yaml.Node) -> bool:
        """The same node again: it was reached through an alias (reported once per node)."""
        if id(node) not in self.seen:
            self.seen.add(id(node))
            return False
        if id(node) not in self.reported:
            self.reported.add(id(node))
            message = "anchors and aliases (&name, *name) are not allowed: this value is reused through an alias"
            self.problem(node, message, "alias")
        return True

    def _mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, object]:
        out: dict[str, object] = {}
        cut: dict[str, yaml.Node] = {}  # key whose value a comma cut -> where the cut piece starts
        for key_node, value_node in node.value:
            key = self.build(key_node, depth)
            if node.flow_style and out and _cut_by_comma(key_node, value_node):
                last = next(reversed(out))
                out[last] = f"{out[last]},{key}" if isinstance(out[last], str) else out[last]
                cut.setdefault(last, key_node)
                continue
            if not isinstance(key, str):
                self.problem(key_node, "a key must be a plain name", "key")
            elif key in out:
                message = f"duplicate key '{key}' (first written on line {_line_of(node, key)}); keep one of them"
                self.problem(key_node, message, "duplicate-key")
            else:
                out[key] = self.build(value_node, depth)
        for key, where in cut.items():
            message = (
                f"a comma inside {{…}} ended the value of '{key}' before «{where.value}»: quote the value "  # type: ignore[attr-defined]
                f'({key}: "{_escaped(str(out[key]))}") or write the mapping as a block, one key per line'
            )
            self.problem(where, message, "flow-comma")
        return out


def _cut_by_comma(key_node: yaml.Node, value_node: yaml.Node) -> bool:
    """`{zh: 标注券(A类,工业企业), …}`: after the comma, `工业企业)` is read as a key without a colon."""
    return (
        isinstance(value_node, yaml.ScalarNode)
        and value_node.value == ""
        and value_node.start_mark.index == key_node.end_mark.index
    )


def _line_of(mapping: yaml.MappingNode, key: str) -> int:
    first = next(k for k, _ in mapping.value if isinstance(k, yaml.ScalarNode) and k.value == key)
    return first.start_mark.line + 1


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org") else tag


def locate(root: yaml.Node | None, loc: Sequence[str | int], at_key: bool = False) -> tuple[int, int]:
    """1-based line and column of the node at `loc`; a missing part points at its parent.

    With at_key, a mapping entry is located at its key rather than its value (for unknown keys).
    """
    node = root
    if node is None:
        return 1, 1
    target = node
    for index, part in enumerate(loc):
        child = _child(target, part, at_key and index == len(loc) - 1)
        if child is None:
            break
        target = child
    mark = target.start_mark
    return mark.line + 1, mark.column + 1


def _child(node: yaml.Node, part: str | int, want_key: bool) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode) and isinstance(part, str):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == part:
                return key_node if want_key else value_node
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]
    return None

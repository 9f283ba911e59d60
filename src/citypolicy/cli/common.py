"""What every command shares: the typer app, common options, loading, printing answers."""

from __future__ import annotations

import errno
import json
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..core import problems as P
from ..core.paths import NoKnowledgeBase, resolve_kb

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="citypolicy: Chinese cities' AI-industry policies, cited sentence by sentence.",
)

KbOption = Annotated[
    Path | None,
    typer.Option(
        "--kb",
        envvar="CITYPOLICY_KB",
        help="Knowledge-base folder holding data/ and seeds/ (default: current folder, else the project's).",
        file_okay=False,
    ),
]


AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Answer with the terms in force on this day: 2025-06-30, 2025-06 or 2025 (its last day). Default: today",
    ),
]


def as_of_day(text: str | None):  # type: ignore[no-untyped-def]
    """--as-of as a day (a month or a year means its last day); a bad date is a usage error (exit 2)."""
    from ..ask.timeline import as_day
    from ..core.dates import DateError, parse_date

    if text is None:
        return as_day(None)
    try:
        return as_day(parse_date(text))
    except DateError as error:
        raise typer.BadParameter(str(error), param_hint="--as-of") from None


def vocabulary_choice(text: str, vocabulary, option: str):  # type: ignore[no-untyped-def]
    """A vocabulary term typed on the command line (value, Chinese, English or alias)."""
    term = vocabulary.lookup(text)
    if term is None:
        raise typer.BadParameter(vocabulary.unknown_message(text), param_hint=option)
    return vocabulary.enum(term.value)


class UserError(Exception):
    """An error the user can fix; printed as one line, exit 1."""


ForceOption = Annotated[
    bool, typer.Option("--force", help="Replace the output even if it is read-only, a link or a special file")
]


def check_output(target: Path | None, force: bool, kb: Path | None) -> None:
    """Refuse (exit 2) an output path the tool must not replace, before any work is done: among
    them any file in the knowledge base's data/ or seeds/."""
    from ..publish.outputs import check_output_file

    if target is not None:
        check_output_file(target, force, kb_root(kb))


def fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def kb_root(kb: Path | None) -> Path:
    try:
        return resolve_kb(kb)
    except NoKnowledgeBase as error:
        raise fail(str(error)) from None


def load_or_exit(kb: Path | None, inputs=None):  # type: ignore[no-untyped-def]
    """The validated knowledge base (from the cache when nothing changed), or the problems.
    `inputs`: the files as the cache already read them for this command (see cache.py)."""
    from ..load.cache import load_cached

    knowledge, found = load_cached(kb_root(kb), inputs)
    if found:
        raise P.InvalidData(found)
    import gc

    gc.freeze()  # the knowledge base lives as long as the command: keep the collector off it
    return knowledge


def answer(kb: Path | None, fmt: Format, view_of) -> None:  # type: ignore[no-untyped-def]
    """Print a query's answer. In a machine format the same command on unchanged data and code
    prints the same text, so it is kept (see cache.py) and a repeated query needs no loading."""
    if fmt is Format.table:
        emit(lookup(lambda: view_of(load_or_exit(kb))), fmt)
        return
    from ..load import cache

    root = kb_root(kb)
    if cache.private_folder() is None:
        emit(lookup(lambda: view_of(load_or_exit(kb))), fmt)
        return
    inputs = cache.read_inputs(root)  # read and hashed once, for the answer's key and for loading
    # today's date is part of the key: answers default to the terms in force today (--as-of)
    style = f"{fmt.value}:{sys.stdout.isatty()}:{date.today()}"
    key = cache.answer_key(root, sys.argv[1:], style, inputs)
    text = cache.recall(key)
    if text is None:
        text = render_text(lookup(lambda: view_of(load_or_exit(kb, inputs))), fmt)
        cache.remember(key, text)
    sys.stdout.write(text)


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="table, json, csv or markdown")]
CityOption = Annotated[
    list[str] | None,
    typer.Option("--city", "-c", help="A city (id, 中文, English, pinyin, alias); repeat for several. Default: all."),
]


def emit(view, fmt: Format) -> None:  # type: ignore[no-untyped-def]
    if fmt is Format.table:
        from ..ask.tables import print_tables

        print_tables(view.tables)
    else:
        sys.stdout.write(render_text(view, fmt))


def render_text(view, fmt: Format) -> str:  # type: ignore[no-untyped-def]
    from ..ask import present

    if fmt is Format.json:
        return dump_json(view.payload) + "\n"
    if fmt is Format.csv:
        return present.to_csv(view.tables)
    return present.to_markdown(view.tables) + "\n"


def writing(target: Path, call):  # type: ignore[no-untyped-def]
    """Run a write; a path that cannot be written is a user error, not a crash."""
    try:
        return call()
    except Exception as error:
        reason = _write_failure(error)
        if reason is None:
            raise
        raise UserError(f"cannot write {P.one_line(str(target))}: {reason}") from None


DISK_FULL = {errno.ENOSPC, errno.EDQUOT}
#: sqlite3's primary result codes for a file it cannot write (it reports no errno): READONLY,
#: IOERR, FULL, CANTOPEN. Any other sqlite3 error is the tool's own bug.
SQLITE_FULL = 13
SQLITE_WRITE_FAILURES = {8, 10, SQLITE_FULL, 14}


def _write_failure(error: Exception) -> str | None:
    """Why a write failed, as the user can act on it; None for a failure that is not the disk's."""
    if isinstance(error, OSError):
        return "disk full" if error.errno in DISK_FULL else error.strerror or type(error).__name__
    code = getattr(error, "sqlite_errorcode", None) if type(error).__module__ == "sqlite3" else None
    if isinstance(code, int) and code & 0xFF in SQLITE_WRITE_FAILURES:
        return "disk full" if code & 0xFF == SQLITE_FULL else str(error)
    return None


def dump_json(payload: object) -> str:
    """Indented on a terminal; compact (C encoder, several times faster) when piped to a program."""
    indent = 2 if sys.stdout.isatty() else None
    return json.dumps(payload, ensure_ascii=False, indent=indent)


def lookup(call):  # type: ignore[no-untyped-def]
    """Run a query; a place or record that cannot be found is a user error (exit 1)."""
    from ..ask.resolve import Ambiguous, NotFound

    try:
        return call()
    except (NotFound, Ambiguous) as error:
        raise UserError(P.one_line(str(error))) from None


class _Quiet:
    def __enter__(self):  # type: ignore[no-untyped-def]
        return None

    def __exit__(self, *exc: object) -> None:
        return None


class _RichBar:
    """A rich progress bar on a terminal; pages are counted as they are written."""

    def __enter__(self):  # type: ignore[no-untyped-def]
        from rich.progress import Progress

        self.progress = Progress(transient=True)
        self.progress.__enter__()
        self.task = self.progress.add_task("building pages", total=None)
        return self

    def update(self, done: int, total: int) -> None:
        self.progress.update(self.task, completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        self.progress.__exit__(*exc)  # type: ignore[arg-type]


def progress_bar():  # type: ignore[no-untyped-def]
    return _RichBar() if sys.stderr.isatty() else _Quiet()

"""The command line: thin wrappers that parse options, call plain functions, and print.

Commands live in one module per layer (check, ask, publish, author); importing them registers them
on the shared typer app in the order `--help` lists them.
"""

from __future__ import annotations

import importlib
import sys
from typing import NoReturn

import typer

from ..core import problems as P
from .common import DISK_FULL, UserError, app

# Importing a command module registers its commands, in the order `--help` lists them.
for _module in ("check", "ask", "diff", "publish", "author"):
    importlib.import_module(f"{__name__}.{_module}")

__all__ = ["app", "main"]


def main() -> None:
    """Entry point: user errors become messages and exit codes, never tracebacks."""
    import os

    from ..publish.outputs import Refused

    # pydantic looks for plugins through package metadata at the first model; the CLI uses none.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        try:
            app()  # standalone: typer prints usage errors (exit 2) and --help itself
        finally:
            sys.stdout.flush()  # a full disk or a closed pipe shows here, not at interpreter exit
    except P.InvalidData as error:
        for line in P.render_all(error.problems):
            typer.echo(line, err=True)
        sys.exit(1)
    except UserError as error:  # its own line breaks (a list of choices) are kept; echoed text is escaped
        typer.echo("error: " + "\n".join(P.one_line(line) for line in str(error).split("\n")), err=True)
        sys.exit(1)
    except Refused as error:
        typer.echo(f"error: {P.one_line(str(error))}", err=True)
        sys.exit(2)
    except BrokenPipeError:
        _discard_stdout()  # the reader went away (e.g. `| head`): nothing left to say
        sys.exit(0)
    except OSError as error:
        if error.errno not in DISK_FULL:
            _internal_error(error)
        _discard_stdout()
        typer.echo("error: disk full: the output could not be written", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:
        _internal_error(error)


def _internal_error(error: Exception) -> NoReturn:
    """A bug: said plainly on one line; CITYPOLICY_DEBUG=1 shows the traceback."""
    import os

    if os.environ.get("CITYPOLICY_DEBUG"):
        raise error
    message = P.clip(P.one_line(f"{type(error).__name__}: {error}"), 500)
    typer.echo(f"internal error: {message} (set CITYPOLICY_DEBUG=1 for details)", err=True)
    sys.exit(1)


def _discard_stdout() -> None:
    """Point stdout at /dev/null so that what is still buffered for it is not written again at exit."""
    import os

    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):
        pass

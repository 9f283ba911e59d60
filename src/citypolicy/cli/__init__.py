"""The command line: thin wrappers that parse options, call plain functions, and print.

Commands live in one module per layer (check, ask, publish, author); importing them registers them
on the shared typer app in the order `--help` lists them.
"""

from __future__ import annotations

import importlib
import sys

import typer

from ..core import problems as P
from .common import UserError, app

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
        app()  # standalone: typer prints usage errors (exit 2) and --help itself
    except P.InvalidData as error:
        for problem in error.problems:
            typer.echo(problem.render(), err=True)
        typer.echo(f"{len(error.problems)} problem(s) found", err=True)
        sys.exit(1)
    except UserError as error:
        typer.echo(f"error: {error}", err=True)
        sys.exit(1)
    except Refused as error:
        typer.echo(f"error: {error}", err=True)
        sys.exit(2)
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`): nothing left to say
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:  # a bug: say so plainly; CITYPOLICY_DEBUG=1 shows the traceback
        if os.environ.get("CITYPOLICY_DEBUG"):
            raise
        typer.echo(f"internal error: {type(error).__name__}: {error} (set CITYPOLICY_DEBUG=1 for details)", err=True)
        sys.exit(1)

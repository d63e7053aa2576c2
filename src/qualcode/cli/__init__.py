"""The `qualcode` command: one module per command group, composed here."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from qualcode import __version__
from qualcode.cli._util import app, state


def _version(value: bool) -> None:
    if value:
        typer.echo(f"qualcode {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        Optional[bool],
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show the full traceback of any error.")] = False,
) -> None:
    """Code interview transcripts with a YAML codebook, classify cases, report reproducibly."""
    state.debug = debug


# Each module registers its commands on `app` when imported.
from qualcode.cli import corpus_cmd  # noqa: E402,F401
from qualcode.cli import codebook_cmd  # noqa: E402,F401
from qualcode.cli import coding_cmd  # noqa: E402,F401
from qualcode.cli import cases_cmd  # noqa: E402,F401
from qualcode.cli import agree_cmd  # noqa: E402,F401
from qualcode.cli import interop_cmd  # noqa: E402,F401
from qualcode.cli import anonymise_cmd  # noqa: E402,F401
from qualcode.cli import analyze_cmd  # noqa: E402,F401


def main() -> None:
    """Console-script entry point."""
    app(prog_name="qualcode")


__all__ = ["app", "main"]

"""The CLI as the workbench tests call it: exit code, standard output and standard error apart."""

from __future__ import annotations

from typer.testing import CliRunner

from qualcode.cli import app


def run(*args: object) -> tuple[int, str, str]:
    """`qualcode ARGS` in this process: (exit code, standard output, standard error)."""
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr

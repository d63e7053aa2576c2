"""The `qualcode` command: a thin porch over the library.

One module per command (or group), each a few lines over one library call;
shared options and the progress bar in `options`, printing and errors in
`output`, tables and trees in `views/`, registration in `app`. Nothing
heavy (spaCy, pandas, numpy) is imported before a command needs it.
"""

from __future__ import annotations

from qualcode.cli.app import app


def main() -> None:
    """Console-script entry point."""
    app(prog_name="qualcode")


__all__ = ["app", "main"]

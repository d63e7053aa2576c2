"""The `qualcode` command: a thin porch over the library.

One module per command (or group), each a few lines over one library call;
shared options and the progress bar in `options`, printing and errors in
`output`, tables and trees in `views/`, registration in `app`. Nothing
heavy (spaCy, pandas, numpy) is imported before a command needs it.
"""

from __future__ import annotations

from qualcode.cli.app import app


def main() -> None:
    """Console-script entry point.

    Output cut short by its reader (`qualcode segments DIR | head`) is not an
    error: the last flush, at exit, may be the write that finds the pipe
    closed, and it ends the run quietly with exit code 0.
    """
    import sys

    try:
        app(prog_name="qualcode")
    except SystemExit:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            from qualcode.cli.output import _quiet_stdout

            _quiet_stdout()
            raise SystemExit(0) from None
        raise


__all__ = ["app", "main"]

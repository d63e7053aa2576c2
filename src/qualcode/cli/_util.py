"""What every command shares: the app, the consoles, and error handling.

Commands are thin: parse options, call one library function, render. The
library raises `QualcodeError`; `handle_errors` turns it into one line on
standard error and exit code 2. Anything else is a bug: exit 1, a short
message, and the traceback only with `qualcode --debug`.
"""

from __future__ import annotations

import functools
import sys
from typing import Any, Callable, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from qualcode.errors import QualcodeError

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    name="qualcode",
    help="Code interview transcripts with a YAML codebook, classify cases, report reproducibly.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class _State:
    debug: bool = False


state = _State()


def out() -> Console:
    """The console for results (standard output), resolved at call time.

    Piped output gets 100 columns (unless COLUMNS says otherwise) and no colour,
    so that tables stay readable in files and CI logs.
    """
    import os

    width = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 100
    return Console(highlight=False, soft_wrap=False, width=width)


def err() -> Console:
    """The console for messages and progress (standard error); lines never wrap, paths stay whole."""
    return Console(stderr=True, highlight=False, soft_wrap=True)


def warn(message: str) -> None:
    err().print(Text("qualcode: warning: ", style="yellow") + Text(message))


def fail(message: str, code: int = 2) -> None:
    """Print one error line (several for a codebook's problems) and exit."""
    console = err()
    lines = message.splitlines() or [message]
    console.print(Text("qualcode: error: ", style="bold red") + Text(lines[0]), soft_wrap=True)
    for line in lines[1:]:
        console.print(Text("  " + line), soft_wrap=True)
    raise typer.Exit(code)


def handle_errors(func: F) -> F:
    """Turn library errors into a clean exit (2 bad input, 1 internal error)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except QualcodeError as exc:
            if state.debug:
                raise
            fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            err().print("qualcode: interrupted")
            raise typer.Exit(130)
        except Exception as exc:  # a bug: say so briefly
            if state.debug:
                raise
            name = type(exc).__name__
            fail(f"internal error ({name}: {exc}); run again with `qualcode --debug ...` "
                 "for the traceback and report it", 1)

    return wrapper  # type: ignore[return-value]


def is_terminal() -> bool:
    return sys.stderr.isatty()

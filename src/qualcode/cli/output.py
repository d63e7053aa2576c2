"""What every command prints through: the consoles, safe cells, messages and error handling.

The library raises `QualcodeError`; `handle_errors` turns it into one line
on standard error and exit code 2. Anything else is a bug: exit 1, a short
message, and the traceback only with `qualcode --debug`.

Transcripts, metadata and codebooks come from many hands: a speaker label,
a case or a label may hold an escape sequence (which would recolour, retitle
or rewrite the terminal) or a right-to-left override (which would show text
reversed). Nothing qualcode prints passes them raw: `safe_text` writes them
as visible escapes (`\\x1b`, `\\u202e`), the tables build their cells with
`cell`, and the consoles of `out()` and `err()` apply it to whatever they
render. The files keep the data as it is.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from collections.abc import Callable, Iterable
from typing import Any, NoReturn, TypeVar

import typer
from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.text import Text

from qualcode.base.text import CONTROL
from qualcode.errors import Interrupted, QualcodeError

F = TypeVar("F", bound=Callable[..., Any])

class _State:
    debug: bool = False


state = _State()


# --- terminal safety -------------------------------------------------------------




def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def safe_text(value: object) -> str:
    """`value` as text a terminal shows as is: control and bidi characters written as escapes."""
    text = "" if value is None else str(value)
    return CONTROL.sub(_escape, text) if CONTROL.search(text) else text


def cell(value: object, style: str = "") -> Text:
    """A table cell or a line of output from data: never markup, never a terminal control."""
    return Text(safe_text(value), style=style)


class SafeConsole(Console):
    """A rich Console that escapes control and bidi characters in every text it renders.

    The tables build their cells with `cell` already (so that widths are right);
    this catches the rest: trees, panels, reports, messages.
    """

    def render(self, renderable: RenderableType,
               options: ConsoleOptions | None = None) -> Iterable[Segment]:
        for segment in super().render(renderable, options):
            if segment.control or not CONTROL.search(segment.text):
                yield segment
            else:
                yield Segment(safe_text(segment.text), segment.style, segment.control)


def echo_data(text: str) -> None:
    """Machine-readable output (CSV, Markdown): exact when piped, escaped on a terminal."""
    if sys.stdout.isatty():
        text = safe_text(text)
    sys.stdout.write(text)
    sys.stdout.flush()


def json_text(data: Any) -> str:
    """JSON for standard output: the same data, with control and bidi characters as `\\uXXXX`."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


# --- consoles ----------------------------------------------------------------------

def out() -> Console:
    """The console for results (standard output), resolved at call time.

    Piped output gets 100 columns (unless COLUMNS says otherwise) and no colour,
    so that tables stay readable in files and CI logs.
    """
    import os

    width = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 100
    return SafeConsole(highlight=False, soft_wrap=False, width=width)


def err() -> Console:
    """The console for messages and progress (standard error); lines never wrap, paths stay whole."""
    return SafeConsole(stderr=True, highlight=False, soft_wrap=True)


def one_line(value: object) -> str:
    """`safe_text` on one line: a line break in a path or a message is shown as `\\n`."""
    return safe_text(value).replace("\n", "\\n")


def warn(message: str) -> None:
    err().print(Text("qualcode: warning: ", style="yellow") + cell(one_line(message)))


def note(message: str) -> None:
    """What a user asked to see (--verbose), on standard error: not a warning."""
    err().print(Text("qualcode: ") + cell(one_line(message)))


def fail(message: str, code: int = 2, problems: Iterable[str] = ()) -> NoReturn:
    """Print one error line (and below it, indented, each problem of a codebook or a coding) and exit.

    The line is one line whatever the message holds: a file name or a value
    with a line break cannot split it.
    """
    console = err()
    console.print(Text("qualcode: error: ", style="bold red") + cell(one_line(message)), soft_wrap=True)
    for problem in problems:
        console.print(cell("  " + one_line(problem)), soft_wrap=True)
    raise typer.Exit(code)


def _quiet_stdout() -> None:
    """Point standard output at /dev/null, so that the flush at exit does not fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real file descriptor (a test's runner)
        pass


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
            # the error itself, then the problems a codebook or a human coding lists
            fail(QualcodeError.__str__(exc), exc.exit_code, getattr(exc, "problems", None) or ())
        except Interrupted as exc:  # a signal stopped a write: say what is on disk
            note = f": {exc.note}" if exc.note else ""
            err().print(cell(one_line(f"qualcode: interrupted by {exc.signal_name}{note}")), soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err().print("qualcode: interrupted")
            raise typer.Exit(130) from None
        except BrokenPipeError:  # `qualcode segments ... | head`: the reader has what it wanted
            _quiet_stdout()
            raise typer.Exit(0) from None
        except Exception as exc:  # a bug: say so briefly
            if state.debug:
                raise
            name = type(exc).__name__
            fail(f"internal error ({name}: {exc}); run again with `qualcode --debug ...` "
                 "for the traceback and report it", 1)

    return wrapper  # type: ignore[return-value]


def is_terminal() -> bool:
    return sys.stderr.isatty()


def narrow_out(width: int = 100) -> Console:
    """A results console of at most `width` columns; exactly that and no colour when piped."""
    screen = out()
    if not screen.is_terminal:
        return SafeConsole(highlight=False, soft_wrap=False, width=width, color_system=None)
    screen.width = min(screen.width, width)
    return screen

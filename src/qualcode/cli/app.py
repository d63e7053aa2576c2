"""The `qualcode` application: the root options, and every command in one list, each made when first needed."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, MutableMapping
from importlib import import_module
from typing import Annotated, Any, NoReturn

import typer
import typer.main
from typer._click.core import Command as ClickCommand
from typer._click.exceptions import UsageError
from typer.core import TyperCommand, TyperGroup

from qualcode.cli.output import state
from qualcode.version import __version__

#: how --help names what an option takes, from Typer's own `<path>`, `<list[Path]>`...
_TYPE_NAMES = {"<path>": "PATH", "<file>": "FILE", "<directory>": "DIR", "<str>": "TEXT", "<int>": "INTEGER",
               "<int range>": "INTEGER", "<float>": "NUMBER", "<float range>": "NUMBER",
               "<list[Path]>": "FILE", "<list[str]>": "TEXT"}


def _type_name(param: Any, ctx: Any) -> str | None:
    """What --help shows in the type column: nothing for a flag, else the metavar or a plain word."""
    if getattr(param, "is_flag", False):
        return None
    if param.metavar:
        return str(param.metavar)
    shown = str(param.display_type(ctx))
    return _TYPE_NAMES.get(shown, shown.strip("<>").upper())


def _plain_params(params: list[Any]) -> None:
    """No `<bool>` beside a flag, no `<list[Path]>`: click's words (PATH, FILE, TEXT, INTEGER)."""
    for param in params:
        if param.param_type_name == "argument":
            # the name says what it is (CORPUS, RESULTS): no type beside it
            param.metavar = param.metavar or param.name.upper()
            param.display_type_rich = lambda ctx: None
        else:
            param.display_type_rich = functools.partial(_type_name, param)


def _usage_error(exc: Exception, ctx: Any) -> NoReturn:
    """A usage error on one line, as every error is: what is wrong, then where help is."""
    from qualcode.cli.output import fail
    from qualcode.errors import Errors

    where = getattr(getattr(exc, "ctx", None), "command_path", None) or getattr(ctx, "command_path", "qualcode")
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    fail(Errors.E902.format(message=" ".join(message.split()).rstrip("."), command=where))


class _Plain:
    """One-line usage errors and plain type names, for a command as for a group."""

    params: list[Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _plain_params(self.params)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc]
        except UsageError as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":
                raise
            _usage_error(exc, ctx)

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            _plain_params([option])
        return option


class Command(_Plain, TyperCommand):
    """A command whose usage errors are one line, and whose --help names types plainly."""


class Group(_Plain, TyperGroup):
    """The root and the groups (`codebook`, `export`...): one-line usage errors, plain type names."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except UsageError as exc:
            _usage_error(exc, ctx)


#: every command, then every group, in the order `qualcode --help` lists them (Typer lists a
#: group's commands before its sub-groups): name -> (module, the function or Typer app, hidden)
COMMANDS: dict[str, tuple[str, str, bool]] = {
    "corpus": ("qualcode.cli.corpus", "corpus_command", False),
    "code": ("qualcode.cli.code", "code_command", False),
    "segments": ("qualcode.cli.segments", "segments_command", False),
    "matrix": ("qualcode.cli.matrix", "matrix_command", False),
    "words": ("qualcode.cli.words", "words_command", False),
    "classify": ("qualcode.cli.classify", "classify_command", False),
    "agree": ("qualcode.cli.agree", "agree_command", False),
    "diff": ("qualcode.cli.diff", "diff_command", False),
    "learn": ("qualcode.cli.learn", "learn_command", False),
    "suggest": ("qualcode.cli.learn", "suggest_command", False),
    "anonymise": ("qualcode.cli.anonymise", "anonymise_command", False),
    "anonymize": ("qualcode.cli.anonymise", "anonymise_command", True),
    "analyze": ("qualcode.cli.analyze", "analyze_command", False),
    "analyse": ("qualcode.cli.analyze", "analyze_command", True),  # British, like anonymise
    "report": ("qualcode.cli.report", "report_command", False),
    "codebook": ("qualcode.cli.codebook", "codebook_app", False),
    "export": ("qualcode.cli.interop", "export_app", False),
    "import": ("qualcode.cli.interop", "import_app", False),
    "cache": ("qualcode.cli.cache", "cache_app", False),
}
#: commands of a group that live in another module: group -> (name, module, function)
_MORE = {
    "export": [("qca", "qualcode.cli.qca", "export_qca_command"),
               ("framework", "qualcode.cli.framework", "export_framework_command")],
    "import": [("framework", "qualcode.cli.framework", "import_framework_command")],
}


@functools.cache
def _group_app(name: str) -> typer.Typer:
    """A group's Typer app with all its commands, completed once per process."""
    module, attribute, _ = COMMANDS[name]
    group: typer.Typer = getattr(import_module(module), attribute)
    for command_name, more_module, function in _MORE.get(name, []):
        group.command(command_name)(getattr(import_module(more_module), function))
    for command in group.registered_commands:
        if command.cls in (None, TyperCommand):
            command.cls = Command
    return group


def _build(name: str) -> ClickCommand:
    """One command or group of the root, made by Typer as if the root had registered it."""
    module, attribute, hidden = COMMANDS[name]
    holder = typer.Typer(rich_markup_mode=app.rich_markup_mode, add_completion=False,
                         pretty_exceptions_short=app.pretty_exceptions_short,
                         suggest_commands=app.suggest_commands)
    target = getattr(import_module(module), attribute)
    if isinstance(target, typer.Typer):
        holder.add_typer(_group_app(name), name=name, cls=Group)
    else:
        holder.command(name, cls=Command, hidden=hidden)(target)
    return typer.main.get_group(holder).commands[name]


class _Commands(MutableMapping[str, ClickCommand]):
    """The root's commands, each imported and made by Typer when a run first asks for it.

    Typer turns every command of an app into a click command (signature, annotations,
    types) on each run, and each command module imports its own options and views:
    making only the command a run names is what keeps `qualcode corpus` and
    `qualcode codebook validate` quick. Listing them (`qualcode --help`) makes them all.
    """

    def __init__(self, given: Mapping[str, ClickCommand]) -> None:
        self._made: dict[str, ClickCommand] = dict(given)
        self._names = [*COMMANDS, *(name for name in given if name not in COMMANDS)]

    def __getitem__(self, name: str) -> ClickCommand:
        if name not in self._made:
            if name not in COMMANDS or name not in self._names:
                raise KeyError(name)
            self._made[name] = _build(name)
        return self._made[name]

    def __setitem__(self, name: str, command: ClickCommand) -> None:
        self._made[name] = command
        if name not in self._names:
            self._names.append(name)

    def __delitem__(self, name: str) -> None:
        self._names.remove(name)
        self._made.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._names))

    def __len__(self) -> int:
        return len(self._names)


class _Root(Group):
    """The `qualcode` group: its commands are made on demand (`_Commands`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = _Commands(self.commands)


app = typer.Typer(
    cls=_Root,
    name="qualcode",
    help="Code interview transcripts with a YAML codebook, classify cases, report reproducibly.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"qualcode {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show the full traceback of any error.")] = False,
) -> None:
    """Code interview transcripts with a YAML codebook, classify cases, report reproducibly."""
    state.debug = debug

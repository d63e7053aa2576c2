"""The `qualcode` application: the root options, and every command registered in one list."""

from __future__ import annotations

import functools
from typing import Annotated, Any, NoReturn

import typer
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


app = typer.Typer(
    cls=Group,
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


def _register() -> None:
    """Every command and group, in the order `qualcode --help` lists them."""
    from qualcode.cli.agree import agree_command
    from qualcode.cli.analyze import analyze_command
    from qualcode.cli.anonymise import anonymise_command
    from qualcode.cli.cache import cache_app
    from qualcode.cli.classify import classify_command
    from qualcode.cli.code import code_command
    from qualcode.cli.codebook import codebook_app
    from qualcode.cli.corpus import corpus_command
    from qualcode.cli.diff import diff_command
    from qualcode.cli.framework import export_framework_command, import_framework_command
    from qualcode.cli.interop import export_app, import_app
    from qualcode.cli.learn import learn_command, suggest_command
    from qualcode.cli.matrix import matrix_command
    from qualcode.cli.qca import export_qca_command
    from qualcode.cli.report import report_command
    from qualcode.cli.segments import segments_command
    from qualcode.cli.words import words_command

    app.command("corpus", cls=Command)(corpus_command)
    app.add_typer(codebook_app, name="codebook", cls=Group)
    app.command("code", cls=Command)(code_command)
    app.command("segments", cls=Command)(segments_command)
    app.command("matrix", cls=Command)(matrix_command)
    app.command("words", cls=Command)(words_command)
    app.command("classify", cls=Command)(classify_command)
    app.command("agree", cls=Command)(agree_command)
    app.command("diff", cls=Command)(diff_command)
    app.command("learn", cls=Command)(learn_command)
    app.command("suggest", cls=Command)(suggest_command)
    export_app.command("qca")(export_qca_command)
    export_app.command("framework")(export_framework_command)
    import_app.command("framework")(import_framework_command)
    app.add_typer(export_app, name="export", cls=Group)
    app.add_typer(import_app, name="import", cls=Group)
    app.command("anonymise", cls=Command)(anonymise_command)
    app.command("anonymize", cls=Command, hidden=True)(anonymise_command)
    app.command("analyze", cls=Command)(analyze_command)
    app.command("analyse", cls=Command, hidden=True)(analyze_command)  # British, like anonymise
    app.command("report", cls=Command)(report_command)
    app.add_typer(cache_app, name="cache", cls=Group)
    for group in (codebook_app, export_app, import_app, cache_app):
        for command in group.registered_commands:
            if command.cls in (None, TyperCommand):
                command.cls = Command


_register()

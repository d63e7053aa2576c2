"""The `qualcode` application: the root options, and every command registered in one list."""

from __future__ import annotations

from typing import Annotated

import typer

from qualcode.cli.output import state
from qualcode.version import __version__

app = typer.Typer(
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

    app.command("corpus")(corpus_command)
    app.add_typer(codebook_app, name="codebook")
    app.command("code")(code_command)
    app.command("segments")(segments_command)
    app.command("matrix")(matrix_command)
    app.command("words")(words_command)
    app.command("classify")(classify_command)
    app.command("agree")(agree_command)
    app.command("diff")(diff_command)
    app.command("learn")(learn_command)
    app.command("suggest")(suggest_command)
    export_app.command("qca")(export_qca_command)
    export_app.command("framework")(export_framework_command)
    import_app.command("framework")(import_framework_command)
    app.add_typer(export_app, name="export")
    app.add_typer(import_app, name="import")
    app.command("anonymise")(anonymise_command)
    app.command("anonymize", hidden=True)(anonymise_command)
    app.command("analyze")(analyze_command)
    app.command("report")(report_command)
    app.add_typer(cache_app, name="cache")


_register()

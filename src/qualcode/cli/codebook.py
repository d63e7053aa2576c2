"""`qualcode codebook ...`: validate, show, check and export a codebook."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

if TYPE_CHECKING:
    from qualcode.codebook.model import Codebook

from qualcode.cli.output import cell, echo_data, err, handle_errors, out, warn

codebook_app = typer.Typer(
    help="Validate, show, check and export a codebook (YAML).",
    no_args_is_help=True,
    rich_markup_mode="rich",
)

CodebookFile = Annotated[
    Path | None,
    typer.Argument(help="Codebook YAML file; the bundled cep_cooperation.yaml when omitted.",
                   show_default=False),
]
Languages = Annotated[
    list[str] | None,
    typer.Option("--lang", "-l", help="Only this language (repeat for several); default: all.",
                 show_default=False),
]


class ExportFormat(str, Enum):
    md = "md"
    csv = "csv"


def _load(file: Path | None) -> Codebook:
    from qualcode.codebook import load_codebook

    codebook = load_codebook(file)
    for message in codebook.warnings:
        warn(message)
    return codebook


@codebook_app.command("validate")
@handle_errors
def validate_cmd(file: CodebookFile = None) -> None:
    """Check a codebook and report every problem at once (exit 2 if there is any).

    Example: qualcode codebook validate src/qualcode/codebooks/cep_cooperation.yaml
    """
    codebook = _load(file)
    out().print(Text(
        f"valid: {len(codebook.codes)} codes, {len(codebook.actors)} actors, "
        f"{len(codebook.configurations)} configurations, languages {', '.join(codebook.languages)}"))


@codebook_app.command("check")
@handle_errors
def check_cmd(
    file: CodebookFile = None,
    pipeline: Annotated[str, typer.Option("--pipeline", help="French pipeline: accurate or fast.")] = "accurate",
) -> None:
    """Run the codebook's own tests: every example must be coded with its code, no counter-example.

    Each sentence goes through the real pipeline, negation included. Exit 1 when a
    test fails, listing what fired (or that nothing did).

    Example: qualcode codebook check src/qualcode/codebooks/cep_cooperation.yaml
    """
    from qualcode.validation.examples import check_codebook

    codebook = _load(file)
    report = check_codebook(codebook, pipeline)
    console = out()
    for failure in report.failures:
        console.print(Text("FAIL ", style="bold red") + cell(failure.describe()))
    passed = report.checked - len(report.failures)
    console.print(Text(f"{passed}/{report.checked} examples and counter-examples pass"))
    if not report.ok:
        raise typer.Exit(1)


@codebook_app.command("show")
@handle_errors
def show_cmd(file: CodebookFile = None, lang: Languages = None) -> None:
    """Show a codebook as a tree: groups and codes, actors, negation, configurations, decision rule.

    Example: qualcode codebook show --lang fr
    """
    from qualcode.codebook.tree import codebook_tree

    out().print(codebook_tree(_load(file), lang))


@codebook_app.command("export")
@handle_errors
def export_cmd(
    file: CodebookFile = None,
    format: Annotated[ExportFormat, typer.Option("--format", "-f", help="md: a document for an appendix; "
                                                  "csv: one row per code and language.")] = ExportFormat.md,
    out_path: Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file instead of "
                                                     "standard output.", show_default=False)] = None,
    lang: Languages = None,
) -> None:
    """Export a codebook as Markdown or CSV.

    Example: qualcode codebook export --format md --out codebook.md
    """
    from qualcode.codebook.export import export_codebook

    if out_path is not None:  # replaces a codebook export it wrote, never the codebook itself
        from qualcode.base.guard import CODEBOOK_EXPORT, guard_output

        for note in guard_output(out_path, CODEBOOK_EXPORT, force=True, inputs=[("codebook", file)]):
            warn(note)
    text = export_codebook(_load(file), format.value, lang)
    if out_path is None:
        echo_data(text)
        return
    from qualcode.base.atomic import write_file

    write_file(out_path, text, force=True)
    err().print(Text(f"wrote {out_path}"))

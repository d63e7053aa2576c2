"""`qualcode export framework` and `qualcode import framework`: the framework matrix, and its summaries back."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qualcode.cli.options import CorpusOpt, MetadataOpt, RecordedCodebookOpt, ResultsArg
from qualcode.cli.output import err, handle_errors, warn


@handle_errors
def export_framework_command(
    results: ResultsArg,
    out_file: Annotated[Path, typer.Option("--out", "-o", help="The .xlsx (read back by `import framework`) or "
                                                               ".md file to write.", show_default=False)],
    quotes: Annotated[str, typer.Option("--quotes", help="Quotes pseudonymised, as in the reports, or verbatim.",
                                        metavar="[anonymised|verbatim]")] = "anonymised",
    per_cell: Annotated[int, typer.Option("--per-cell", min=1, help="Quotes per case and theme.")] = 2,
    corpus: CorpusOpt = None,
    metadata: MetadataOpt = None,
    codebook: RecordedCodebookOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Replace a framework file that qualcode wrote.")] = False,
) -> None:
    """Export a framework matrix: one row per case, one column per theme with its strongest quotes, a summary.

    Example: [bold]qualcode export framework results/demo --out framework.xlsx[/bold]
    """
    from qualcode.workflows.framework import export_framework

    done = export_framework(results, out_file, quotes=quotes, per_cell=per_cell, corpus=corpus, metadata=metadata,
                            codebook=codebook, force=force)
    for message in done.warnings:
        warn(message)
    err().print(f"wrote {done.path} ({len(done.table)} cases)")


@handle_errors
def import_framework_command(
    results: ResultsArg,
    sheet: Annotated[Path, typer.Argument(help="The framework .xlsx with its summary column filled in.",
                                          show_default=False)],
    codebook: RecordedCodebookOpt = None,
) -> None:
    """Read the summaries of a framework sheet into the results folder's memos.md (the reports show them).

    Example: [bold]qualcode import framework results/demo framework.xlsx[/bold]
    """
    from qualcode.errors import Errors
    from qualcode.workflows.framework import import_framework

    path, count = import_framework(results, sheet, codebook=codebook)
    warn(Errors.W464.format(count=count, path=path))

"""`qualcode report`: render report.html or report.md again from a results folder."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from qualcode.cli.analyze import KeepOpt, ReplaceOpt
from qualcode.cli.options import MetadataOpt, check_quotes
from qualcode.cli.output import err, handle_errors, warn


@handle_errors
def report_command(
    results: Annotated[Path, typer.Argument(help="A folder written by `qualcode analyze --out`.",
                                            metavar="RESULTS_DIR", show_default=False)],
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="html|md",
                                     help="The report to render: html or md.")] = "html",
    out_file: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write the report to this file. Default: standard output.",
        show_default=False)] = None,
    quotes: Annotated[str, typer.Option("--quotes", callback=check_quotes, metavar="[anonymised|verbatim]",
                                        help="Quotes pseudonymised (needs the corpus) or verbatim.")]
        = "anonymised",
    lang: Annotated[str | None, typer.Option(
        "--lang", help="Language of the labels. Default: the one the analysis used.", show_default=False)] = None,
    corpus: Annotated[Path | None, typer.Option(
        "--corpus", help="The corpus that was analysed, for anonymised quotes. Default: the path in "
                         "manifest.json.", show_default=False)] = None,
    metadata: MetadataOpt = None,
    codebook: Annotated[Path | None, typer.Option(
        "--codebook", "-c", help="The codebook. Default: the one recorded in manifest.json.",
        show_default=False)] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace an existing --out report that qualcode wrote (never an input).")] = False,
    keep: KeepOpt = None,
    replace: ReplaceOpt = None,
) -> None:
    """Render report.html or report.md again from a results folder, without re-coding.

    Example: [bold]qualcode report results/demo --format md --out report.md[/bold]
    """
    from qualcode.workflows.report import rerender, rerender_to

    options = {"codebook": codebook, "corpus": corpus, "metadata": metadata, "quotes": quotes, "lang": lang,
               "keep": keep, "replace": replace}
    if out_file is None:
        text, notes = rerender(results, fmt, **options)
    else:
        notes = rerender_to(results, out_file, fmt, force=force, **options)
    for note in notes:
        warn(note)
    if out_file is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    err().print(Text(f"wrote {out_file}"))

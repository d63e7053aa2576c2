"""`qualcode report`: render report.html or report.md again from a results folder."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from qualcode.cli.analyze import KeepOpt, ReplaceOpt
from qualcode.cli.options import MetadataOpt, check_quotes
from qualcode.cli.output import err, handle_errors, out, warn
from qualcode.errors import Errors, UsageError


@handle_errors
def report_command(
    results: Annotated[Path, typer.Argument(help="A folder written by `qualcode analyze --out`.",
                                            metavar="RESULTS_DIR", show_default=False)],
    fmt: Annotated[str | None, typer.Option(
        "--format", "-f", metavar="html|md",
        help="The file report to render: html or md. Default: html with --out (md for a .md file); "
             "without --out, the terminal report.", show_default=False)] = None,
    out_file: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write the report to this file. Without it: the terminal report, or with "
                            "--format the file's text on standard output when it is redirected.",
        show_default=False)] = None,
    quotes: Annotated[str | None, typer.Option(
        "--quotes", callback=check_quotes, metavar="[anonymised|verbatim]",
        help="Quotes pseudonymised (needs the corpus) or verbatim. Default: anonymised in a file "
             "report, verbatim in the terminal (as `qualcode analyze`).", show_default=False)] = None,
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
    """Show the report of a results folder again, or render report.html or report.md, without re-coding.

    Example: [bold]qualcode report results/demo[/bold] (the terminal report)

    Example: [bold]qualcode report results/demo --format md --out report.md[/bold]
    """
    from qualcode.workflows.report import load_report, rerender, rerender_to

    if fmt is None and out_file is None:
        from qualcode.report.terminal import render_terminal

        report, notes = load_report(results, codebook=codebook, corpus=corpus, metadata=metadata,
                                    quotes=quotes or "verbatim", lang=lang, keep=keep, replace=replace)
        for note in notes:
            warn(note)
        out().print(render_terminal(report, plain=not sys.stdout.isatty()))
        return
    fmt = fmt or ("md" if out_file is not None and out_file.suffix.lower() in (".md", ".markdown") else "html")
    options = {"codebook": codebook, "corpus": corpus, "metadata": metadata, "quotes": quotes or "anonymised",
               "lang": lang, "keep": keep, "replace": replace}
    if out_file is None:
        text, notes = rerender(results, fmt, **options)
        if sys.stdout.isatty():
            raise UsageError(Errors.E446.format(format=fmt, size=f"{len(text):,}"))
    else:
        notes = rerender_to(results, out_file, fmt, force=force, **options)
    for note in notes:
        warn(note)
    if out_file is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    err().print(Text(f"wrote {out_file}"))

"""`qualcode export qca`: memberships per case for R's QCA package and fs/QCA, and a truth table."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from qualcode.cli.options import RecordedCodebookOpt, ResultsArg
from qualcode.cli.output import err, handle_errors, out, warn


@handle_errors
def export_qca_command(
    results: ResultsArg,
    out_file: Annotated[Path, typer.Option("--out", "-o", help="The .csv file to write (FILE.calibration.csv "
                                                               "beside it holds the anchors).", show_default=False)],
    truth: Annotated[bool, typer.Option("--truth-table", help="Also write FILE.truth_table.csv, with "
                                                              "consistency (incl), PRI and coverage.")] = False,
    outcome: Annotated[str | None, typer.Option(
        "--outcome", help="The outcome of the truth table: a configuration (C1). Default: the first.",
        show_default=False)] = None,
    conditions: Annotated[str | None, typer.Option(
        "--conditions", help="Its conditions, comma-separated (SHARED_TOOLS,...). Default: the outcome's "
                             "indicators.", show_default=False)] = None,
    incl_cut: Annotated[float, typer.Option("--incl-cut", min=0.0, max=1.0,
                                            help="Consistency a row needs for OUT = 1.")] = 0.8,
    n_cut: Annotated[int, typer.Option("--n-cut", min=1, help="Cases a row needs not to be a remainder.")] = 1,
    negate: Annotated[bool, typer.Option("--negate", help="Explain the outcome's absence (1 - Y).")] = False,
    codebook: RecordedCodebookOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Replace files that qualcode wrote.")] = False,
) -> None:
    """Export the calibrated memberships of each case for QCA (R's QCA package, fs/QCA).

    Example: [bold]qualcode export qca results/demo --out qca/cep.csv --truth-table --outcome C1[/bold]
    """
    from qualcode.workflows.qca import export_qca

    wanted = [c.strip() for c in conditions.split(",") if c.strip()] if conditions else None
    done = export_qca(results, out_file, truth=truth, outcome=outcome, conditions=wanted, incl_cut=incl_cut,
                      n_cut=n_cut, negate=negate, codebook=codebook, force=force)
    for message in done.warnings:
        warn(message)
    if done.truth is not None:
        from qualcode.cli.views.workbench import truth_view

        title = f"truth table of {'~' if negate else ''}{outcome or done.qca.outcomes[0]}"
        out().print(truth_view(done.truth, title, plain=not sys.stdout.isatty()))
    err().print(f"wrote {', '.join(str(p) for p in done.paths)}")

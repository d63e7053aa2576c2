"""`qualcode matrix`: code × attribute and code × code tables whose cells open to their segments."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from qualcode.cli.options import (
    AndOpt,
    CellOpt,
    CodeQueryOpt,
    ColsOpt,
    CooccurOpt,
    CorpusOpt,
    NearOpt,
    NotOpt,
    RecordedCodebookOpt,
    ResultsArg,
    RowsOpt,
    WhereOpt,
    WithinOpt,
)
from qualcode.cli.output import echo_data, err, handle_errors, json_text, out, warn


@handle_errors
def matrix_command(
    results: ResultsArg,
    rows: RowsOpt = "code",
    cols: ColsOpt = "case",
    measure: Annotated[str, typer.Option(
        "--measure", help="What a cell counts: segments, interviews, or share (of the column's segments).",
        metavar="[segments|interviews|share]")] = "segments",
    cooccur: CooccurOpt = None,
    where: WhereOpt = None,
    code: CodeQueryOpt = None,
    and_: AndOpt = None,
    not_: NotOpt = None,
    near: NearOpt = None,
    within: WithinOpt = "sentence",
    cell_: CellOpt = None,
    csv: Annotated[bool, typer.Option("--csv", help="Print the matrix as CSV.")] = False,
    json: Annotated[bool, typer.Option("--json", help="Print every cell with its segment ids as JSON.")] = False,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Write the matrix to this .xlsx file.",
                                              show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an --xlsx file that qualcode wrote.")] = False,
    corpus: CorpusOpt = None,
    codebook: RecordedCodebookOpt = None,
) -> None:
    """A matrix of the coded segments: codes × cases by default, each cell opening to its segments.

    Examples: [bold]qualcode matrix results/demo --cols region --measure interviews[/bold];
    [bold]qualcode matrix results/demo --cooccur interview[/bold];
    [bold]qualcode matrix results/demo --cell shared_tools,brevanne[/bold]
    """
    from qualcode.workbench.table import open_workbench
    from qualcode.workflows.workbench import matrix, write_matrix

    bench = open_workbench(results, corpus=corpus, codebook=codebook)
    for message in bench.warnings:
        warn(message)
    m = matrix(bench, rows=rows, cols=cols, measure=measure, cooccur=cooccur, where=where or (), code=code,
               and_=and_ or (), not_=not_ or (), near=near, within=within)
    if cell_ is not None:
        row, col = m.cell(cell_)
        ids = m.ids(row, col)
        if not ids:
            from qualcode.errors import Errors

            warn(Errors.W460.format(what=f"the cell {row},{col}"))
        echo_data("".join(f"{i}\n" for i in ids))
        return
    if xlsx is not None:
        path, notes = write_matrix(m, xlsx, results=results, force=force, corpus=corpus, codebook=codebook)
        for message in notes:
            warn(message)
        err().print(f"wrote {path}")
        return
    if json:
        from qualcode.results.frames import json_ready

        echo_data(json_text(json_ready({"rows": m.rows, "cols": m.cols, "measure": m.measure,
                                        "within": m.within, "selection": m.selection,
                                        "cells": [{**{str(k): v for k, v in r.items()}, "segment_ids": str(r["segment_ids"]).split(";")}
                                                  for r in m.long().to_dict("records")]})))
        return
    if csv:
        from qualcode.results.frames import frame_to_csv

        echo_data(frame_to_csv(m.table.reset_index()))
        return
    from qualcode.cli.views.workbench import matrix_view

    out().print(matrix_view(m, plain=not sys.stdout.isatty()))

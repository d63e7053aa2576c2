"""`qualcode segments`: the coded segments of a results folder in context (KWIC), filtered."""

from __future__ import annotations

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
from qualcode.cli.output import echo_data, handle_errors, out, warn


@handle_errors
def segments_command(
    results: ResultsArg,
    code: CodeQueryOpt = None,
    case: Annotated[str | None, typer.Option("--case", help="Only segments of this case.")] = None,
    actor: Annotated[str | None, typer.Option("--actor", help="Only segments that mention this provider.")] = None,
    negated: Annotated[bool, typer.Option("--negated", help="Only negated or past mentions.")] = False,
    where: WhereOpt = None,
    and_: AndOpt = None,
    not_: NotOpt = None,
    near: NearOpt = None,
    within: WithinOpt = "sentence",
    rows: RowsOpt = "code",
    cols: ColsOpt = "case",
    cooccur: CooccurOpt = None,
    cell_: CellOpt = None,
    csv: Annotated[bool, typer.Option("--csv", help="Print CSV for scripts instead of the KWIC view.")] = False,
    width: Annotated[int, typer.Option("--width", help="Characters of context on each side.")] = 60,
    corpus: CorpusOpt = None,
    codebook: RecordedCodebookOpt = None,
) -> None:
    """Show coded segments in context, the evidence highlighted (a KWIC view).

    Examples: [bold]qualcode segments results/coding --code shared_tools --case brevanne[/bold];
    [bold]qualcode segments results/demo --where provider=apec --code shared_tools --not regional_support[/bold];
    [bold]qualcode segments results/demo --cell shared_tools,brevanne[/bold] (a cell of `qualcode matrix`)
    """
    from qualcode.errors import Errors

    selection = bool(where or and_ or not_ or near or cell_)
    if selection:
        from qualcode.workbench.table import open_workbench
        from qualcode.workflows.workbench import select_segments

        bench = open_workbench(results, corpus=corpus, codebook=codebook)
        for message in bench.warnings:
            warn(message)
        rows_found = select_segments(bench, where=where or (), code=code, and_=and_ or (), not_=not_ or (),
                                     near=near, within=within, case=case, actor=actor, negated=negated,
                                     cell=cell_, rows=rows, cols=cols, cooccur=cooccur)
    else:
        from qualcode.results.kwic import select_evidence

        rows_found = select_evidence(results, code=code, case=case, actor=actor, negated=negated)
    if csv:
        from qualcode.results.frames import frame_to_csv

        echo_data(frame_to_csv(rows_found))
        return
    if rows_found.empty:
        warn(Errors.W460.format(what="these filters"))
        return
    from qualcode.cli.views.coding import kwic_view

    out().print(kwic_view(rows_found, width))

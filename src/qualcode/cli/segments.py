"""`qualcode segments`: the coded segments of a results folder in context (KWIC), filtered."""

from __future__ import annotations

from typing import Annotated

import typer

from qualcode.cli.options import ResultsArg
from qualcode.cli.output import echo_data, err, handle_errors, out


@handle_errors
def segments_command(
    results: ResultsArg,
    code: Annotated[str | None, typer.Option("--code", help="Only segments with this theme.")] = None,
    case: Annotated[str | None, typer.Option("--case", help="Only segments of this case.")] = None,
    actor: Annotated[str | None, typer.Option("--actor", help="Only segments that mention this provider.")] = None,
    negated: Annotated[bool, typer.Option("--negated", help="Only negated or past mentions.")] = False,
    csv: Annotated[bool, typer.Option("--csv", help="Print CSV for scripts instead of the KWIC view.")] = False,
    width: Annotated[int, typer.Option("--width", help="Characters of context on each side.")] = 60,
) -> None:
    """Show coded segments in context, the evidence highlighted (a KWIC view).

    Example: [bold]qualcode segments results/coding --code shared_tools --case brevanne[/bold]
    """
    from qualcode.results.kwic import select_evidence

    rows = select_evidence(results, code=code, case=case, actor=actor, negated=negated)
    if csv:
        from qualcode.results.frames import frame_to_csv

        echo_data(frame_to_csv(rows))
        return
    if rows.empty:
        err().print("no segment matches these filters")
        return
    from qualcode.cli.views.coding import kwic_view

    out().print(kwic_view(rows, width))

"""What an import found, as a table: offsets, codes, selections kept, and what was left out and why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table

from qualcode.cli.output import cell

if TYPE_CHECKING:
    from qualcode.interop.qdpx_import import ImportReport


def import_summary(report: ImportReport) -> Table:
    table = Table(title=cell(f"imported {report.sources} text source(s) from {report.origin or 'an unnamed program'}"),
                  title_justify="left", show_header=False, box=None, pad_edge=False)
    table.add_column("what")
    table.add_column("value", overflow="fold")
    if report.counting.scores:
        table.add_row("offsets read as", cell(f"{report.counting.description}: {report.counting.reason}"))
    else:
        table.add_row("offsets", cell(f"{report.counting.reason} (read as {report.counting.counting})"))
    table.add_row("codes", f"{report.codes} codable, {report.folders} folder(s)")
    table.add_row("selections", str(report.selections))
    table.add_row("codings kept", str(report.codings))
    table.add_row("human_coding.csv", cell(f"{report.rows} row(s); coders: {', '.join(report.coders) or 'none'}"))
    listed = ", ".join(f"{n} {status}" for status, n in sorted(report.listed.items()))
    table.add_row("human_selections.csv", cell(f"every selection and coding: {listed or 'none'}"))
    for reason, count in sorted(report.reasons.items(), key=lambda item: (-item[1], item[0])):
        table.add_row("not in human_coding.csv", cell(f"{count}: {reason}"))
    if report.clipped:
        table.add_row("noted", f"{report.clipped} clipped to their text")
    return table

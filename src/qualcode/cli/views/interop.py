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
    skipped = [
        (report.comment_only, "without coding (comments)"),
        (report.empty, "of length zero"),
        (report.in_front_matter, "inside a front matter"),
        (report.outside_turns, "outside every respondent turn"),
        (report.clipped, "clipped to their text"),
        (report.unknown_code_refs, "codings of an unknown code"),
        (report.actor_codings, "codings of providers (actors), not themes"),
        (report.other_sources, "picture, audio, video or PDF sources not imported"),
    ]
    for count, what in skipped:
        if count:
            table.add_row("left out" if "clipped" not in what else "noted", f"{count} {what}")
    return table

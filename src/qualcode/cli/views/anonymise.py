"""Anonymisation as tables: the dry run's replacements, and the counts per category (no name printed)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.table import Table

from qualcode.cli.output import cell

if TYPE_CHECKING:
    from qualcode.anonymise.review import ReviewRow
    from qualcode.anonymise.write import AnonymiseResult


def review_table(rows: Sequence[ReviewRow]) -> Table:
    table = Table(title=cell(f"{len(rows)} name spellings would be replaced (dry run: nothing written)"),
                  title_justify="left", show_lines=False)
    table.add_column("pseudonym", no_wrap=True)
    table.add_column("category")
    table.add_column("original")
    table.add_column("n", justify="right")
    table.add_column("first occurrence")
    for r in rows:
        where = cell(r.file + "\n", style="dim") + cell(r.context)
        table.add_row(cell(r.pseudonym), cell(r.category), cell(r.original), str(r.occurrences), where)
    return table


def summary_table(result: AnonymiseResult) -> Table:
    """Names and replacements per category: no original name is printed."""
    from qualcode.anonymise import CATEGORIES

    table = Table(title=cell(f"{len(result.files)} files written to {result.out}"), title_justify="left")
    table.add_column("category")
    table.add_column("names", justify="right")
    table.add_column("replacements", justify="right")
    for category in CATEGORIES:
        rows = [r for r in result.rows if r.category == category]
        table.add_row(cell(category), str(len({r.pseudonym for r in rows})), str(sum(r.occurrences for r in rows)))
    return table

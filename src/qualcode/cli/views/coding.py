"""Coding results as the terminal shows them: segments per code, and evidence in context (KWIC)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from qualcode.cli.output import cell, safe_text

if TYPE_CHECKING:
    import pandas as pd

    from qualcode.codebook.model import Codebook
    from qualcode.coding.engine import Codings


def coding_summary(codings: Codings, book: Codebook) -> Table:
    """Segments per code: a first look before opening the CSV files."""
    segs = codings.segments
    table = Table(title=cell(f"{len(segs)} {codings.unit} segments coded with {book.name} {book.version}"),
                  title_justify="left")
    table.add_column("code")
    table.add_column("kind")
    table.add_column("segments", justify="right")
    table.add_column("negated", justify="right")
    table.add_column("past", justify="right")
    table.add_column("wished", justify="right")
    table.add_column("rejected", justify="right")
    rows = codings.codings
    for kind, ids in (("theme", book.theme_ids), ("actor", book.actor_ids)):
        counted = codings.applied(kind)
        for item in ids:
            n = int((counted["code"] == item).sum())
            mine = rows[rows["code"] == item]
            table.add_row(cell(item), kind, str(n),
                          *(str(int((mine["status"] == status).sum()))
                            for status in ("negated", "historical", "hypothetical", "rejected")))
    return table


def kwic_view(rows: pd.DataFrame, width: int = 60) -> RenderableType:
    """Each piece of evidence on two lines: its segment and code, then the words around it."""
    lines: list[RenderableType] = []
    for record in rows.itertuples(index=False):
        line = Text()
        line.append(safe_text(f"{record.segment_id}  "), style="bold")
        line.append(safe_text(f"{record.code} "), style="cyan")
        if record.status != "present":
            line.append(safe_text(f"[{record.status}: {record.negation_cue}] "), style="yellow")
        lines.append(line)
        left, hit, right = str(record.left)[-width:], str(record.matched_text), str(record.right)[:width]
        kwic = cell("    …" + left.replace("\n", " "))
        kwic.append(safe_text(hit), style="reverse")
        kwic.append(safe_text(right.replace("\n", " ") + "…"))
        lines.append(kwic)
    return Group(*lines)

"""The workbench as the terminal shows it: a matrix, word frequencies and keyness, a truth table, memos."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.table import Table

from qualcode.cli.output import cell

if TYPE_CHECKING:
    import pandas as pd

    from qualcode.workbench.matrix import Matrix


def _number(value: object) -> str:
    if isinstance(value, float):
        return "" if value != value else f"{value:.3f}".rstrip("0").rstrip(".") if value % 1 else str(int(value))
    return str(value)


def frame_view(frame: pd.DataFrame, title: str, *, plain: bool = False, index: str | None = None) -> Table:
    """Any small DataFrame as a table: numbers right-aligned, text folded."""
    table = Table(title=cell(title), title_justify="left", box=None if plain else box.SIMPLE_HEAD,
                  pad_edge=False, show_edge=False)
    columns = list(frame.columns)
    if index is not None:
        table.add_column(cell(index), overflow="fold")
    for name in columns:
        numeric = frame[name].dtype.kind in "if"
        table.add_column(cell(name), justify="right" if numeric else "left", overflow="fold")
    for key, values in zip(frame.index, frame.itertuples(index=False)):
        shown = [cell(_number(v)) for v in values]
        table.add_row(*([cell(key)] if index is not None else []), *shown)
    return table


def matrix_view(m: Matrix, *, plain: bool = False) -> Table:
    """The matrix: one row per row value, one column per column value, empty cells as '·'."""
    kind = f"co-occurrence within a {m.within}" if m.within else f"{m.rows} × {m.cols}"
    title = f"{kind}, {m.measure}"
    table = Table(title=cell(title), title_justify="left", box=None if plain else box.SIMPLE_HEAD,
                  pad_edge=False, show_edge=False)
    table.add_column(cell(m.rows), overflow="fold", min_width=10)
    for col in m.col_values:
        table.add_column(cell(col), justify="right", overflow="fold")
    frame = m.table
    for row in m.row_values:
        values = [frame.at[row, col] for col in m.col_values]
        table.add_row(cell(row), *(cell(_number(float(str(v))) if v else "·") for v in values))
    return table

"""The workbench as the terminal shows it: a matrix, word frequencies and keyness, a truth table, memos."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Group
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


def truth_view(truth: pd.DataFrame, title: str, *, plain: bool = False) -> Group:
    """A truth table with each row's conditions as one string of 0 and 1, their order given below."""
    from qualcode.workbench.qca import TRUTH_COLUMNS

    conditions = [c for c in truth.columns if c not in TRUTH_COLUMNS]
    shown = truth[list(TRUTH_COLUMNS)].copy()
    shown.insert(0, "conditions", ["".join(str(int(v)) for v in row) for row in truth[conditions].to_numpy()])
    legend = cell("conditions, in order: " + ", ".join(f"{n}. {c}" for n, c in enumerate(conditions, start=1)),
                  "dim")
    return Group(frame_view(shown, title, plain=plain, index="row"), legend)


def _few(codes: str, limit: int = 2) -> str:
    items = [c for c in codes.split(";") if c]
    return ", ".join(items[:limit]) + (f" +{len(items) - limit}" if len(items) > limit else "")


def words_view(table: pd.DataFrame, by: str, *, top: int, kind: str, plain: bool = False) -> Group:
    """Keyness (the lemmas each group uses more), frequencies, or KWIC lines, as the terminal shows them."""
    if kind == "kwic":
        shown = table[["segment_id", "group", "left", "match", "right"]]
        return Group(frame_view(shown, f"keywords in context ({len(table)}), by {by}", plain=plain))
    if kind == "frequencies":
        shown = table.head(top).set_index("lemma")
        note = cell("covered: a pattern of the codebook holds the lemma; False marks a candidate for a pattern",
                    "dim")
        return Group(frame_view(shown, f"lemmas by {by} (top {top} of {len(table)})", plain=plain,
                                index="lemma"), note)
    parts: list[Table | str] = []
    for group, rows in table[table["log_ratio"] > 0].groupby("group", sort=True):
        shown = rows.head(top)[["lemma", "count", "others", "g2", "p", "log_ratio", "covered", "codes"]].copy()
        shown["p"] = [f"{p:.1e}" if p < 0.001 else f"{p:.3f}" for p in shown["p"]]
        shown["codes"] = [_few(str(c)) for c in shown["codes"]]
        parts.append(frame_view(shown.set_index("lemma"), f"{by} = {group}: the lemmas it uses more",
                                plain=plain, index="lemma"))
    legend = cell("g2: log-likelihood (3.84: p < 0.05; 6.63: p < 0.01); log_ratio: binary log of the ratio of "
                  "relative frequencies (1 = twice as often); covered: a pattern of the codebook holds the lemma",
                  "dim")
    return Group(*parts, legend)

"""Matrices whose every cell opens to its segments: code × attribute, attribute × attribute, code × code.

A dimension is `code` (the theme codes found in a segment), `actor` (the
providers it mentions) or an attribute (`case`, `interview`, `region`,
`provider`, `configuration`...: `qualcode.workbench.table`). A cell holds
the segments whose row value and column value both apply; its count is, by
`measure`:

* `segments`: how many segments (the default, the number of ids it opens to);
* `interviews`: how many interviews those segments come from;
* `share`: the cell's segments as a share of the column's (of the segments
  with the row's code, for co-occurrence).

Co-occurrence (`cooccurrence`) is code × code within a unit: `segment` (both
codes in one segment), `turn`, `interview` or `case` (both somewhere in the
same turn, interview or case); a cell then holds the segments of those units
that carry either code, and the diagonal the segments that carry the code.

Codes are the codes that count (as the case matrix counts them), or, with
`--where status=...`, every match of those statuses. Only respondent
segments are counted unless the selection names a `speaker_role`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from itertools import combinations_with_replacement

import pandas as pd

from qualcode.errors import Errors, UsageError
from qualcode.workbench.select import Query, select_segments, statuses
from qualcode.workbench.table import Workbench, hint, listed, split_values

CODE, ACTOR = "code", "actor"
MEASURES = ("segments", "interviews", "share")
COOCCUR_WITHIN = ("segment", "turn", "interview", "case")
RESPONDENT = "respondent"
#: `Matrix.long()`: one row per cell
CELL_COLUMNS = ("row", "col", "segments", "interviews", "share", "segment_ids")


@dataclass
class Matrix:
    """A matrix and the segments behind each cell; `table` is what the terminal and the files show."""

    rows: str
    cols: str
    measure: str
    row_values: list[str]
    col_values: list[str]
    cells: dict[tuple[str, str], list[str]]
    column_totals: dict[str, int]
    interview_of: dict[str, str] = field(repr=False)
    within: str | None = None
    selection: str = ""

    def ids(self, row: str, col: str) -> list[str]:
        """The segment ids of one cell, in the order of segments.csv."""
        return list(self.cells.get((row, col), []))

    def value(self, row: str, col: str) -> float:
        ids = self.cells.get((row, col), [])
        if self.measure == "interviews":
            return float(len({self.interview_of[s] for s in ids}))
        if self.measure == "share":
            total = self.column_totals.get(row if self.within else col, 0)
            return len(ids) / total if total else 0.0
        return float(len(ids))

    @property
    def table(self) -> pd.DataFrame:
        """Rows × columns of the measure (integers for counts), the row values as the index."""
        data = {c: [self.value(r, c) for r in self.row_values] for c in self.col_values}
        frame = pd.DataFrame(data, index=pd.Index(self.row_values, name=self.rows), columns=self.col_values)
        return frame if self.measure == "share" else frame.astype("int64")

    def long(self) -> pd.DataFrame:
        """One row per non-empty cell: its counts, share and segment ids (`;`-separated)."""
        found = []
        for r in self.row_values:
            for c in self.col_values:
                ids = self.cells.get((r, c), [])
                if ids:
                    total = self.column_totals.get(r if self.within else c, 0)
                    found.append((r, c, len(ids), len({self.interview_of[s] for s in ids}),
                                  len(ids) / total if total else 0.0, ";".join(ids)))
        return pd.DataFrame(found, columns=list(CELL_COLUMNS)).astype(
            {"segments": "int64", "interviews": "int64", "share": "float64"})

    def cell(self, text: str) -> tuple[str, str]:
        """`ROW,COL` as a cell of this matrix (E464 naming what is wrong)."""
        for cut in [i for i, ch in enumerate(text) if ch == ","]:
            row, col = text[:cut].strip(), text[cut + 1:].strip()
            if row in self.row_values and col in self.col_values:
                return row, col
        if "," not in text:
            raise UsageError(Errors.E464.format(cell=text, reason="no comma between the row and the column"))
        row, col = (p.strip() for p in text.split(",", 1))
        if row not in self.row_values:
            reason = f"no row {row!r}{hint(row, self.row_values)}; rows: {listed(self.row_values)}"
        else:
            reason = f"no column {col!r}{hint(col, self.col_values)}; columns: {listed(self.col_values)}"
        raise UsageError(Errors.E464.format(cell=text, reason=reason))


def check_measure(measure: str) -> str:
    if measure not in MEASURES:
        raise UsageError(Errors.E468.format(measure=measure))
    return measure


def _respondents_only(query: Query) -> Query:
    if any(name == "speaker_role" for name, _ in query.where):
        return query
    return Query((*query.where, ("speaker_role", RESPONDENT)), query.code, query.all_of, query.none_of,
                 query.near, query.within)


def _selected(bench: Workbench, query: Query) -> list[str]:
    """The segments a matrix counts (E465 when there is none)."""
    ids = select_segments(bench, _respondents_only(query))
    if not ids:
        raise UsageError(Errors.E465.format(what=query.describe()))
    return ids


def _dimension(bench: Workbench, name: str, query: Query, ids: Sequence[str]
               ) -> tuple[list[str], dict[str, set[str]]]:
    """The values of a dimension, in display order, and the values each selected segment takes."""
    keep = set(ids)
    if name in (CODE, ACTOR):
        kind = "theme" if name == CODE else "actor"
        found = bench.mentions(statuses(query), kinds=(kind,))
        taken: dict[str, set[str]] = {}
        for segment_id, code in zip(found["segment_id"], found["code"]):
            if segment_id in keep:
                taken.setdefault(str(segment_id), set()).add(str(code))
        order = bench.themes if name == CODE else bench.actors
        return order + sorted({c for v in taken.values() for c in v} - set(order)), taken
    bench.check_attribute(name)
    column = dict(zip(bench.segments["segment_id"], bench.attributes[name]))
    taken = {s: set(split_values(str(column[s]))) for s in ids}
    return bench.values(name), taken


def matrix(bench: Workbench, rows: str, cols: str, *, measure: str = "segments", query: Query | None = None
           ) -> Matrix:
    """Rows × columns of two dimensions over the segments `query` selects (see the module's docstring).

    Raises:
        UsageError: an unknown dimension, value, code or measure (E460, E461,
            E463, E468), or a selection with no segment (E465).
    """
    check_measure(measure)
    query = query or Query()
    ids = _selected(bench, query)
    row_values, row_of = _dimension(bench, rows, query, ids)
    col_values, col_of = _dimension(bench, cols, query, ids)
    cells: dict[tuple[str, str], list[str]] = {}
    totals: dict[str, int] = {}
    for segment_id in ids:
        mine = col_of.get(segment_id, set())
        for c in mine:
            totals[c] = totals.get(c, 0) + 1
        for r in row_of.get(segment_id, set()):
            for c in mine:
                cells.setdefault((r, c), []).append(segment_id)
    return Matrix(rows, cols, measure, row_values, col_values, cells, totals, _interviews(bench),
                  selection=query.describe())


def _interviews(bench: Workbench) -> dict[str, str]:
    return dict(zip(bench.segments["segment_id"].astype(str), bench.segments["interview_id"].astype(str)))


def _unit_key(bench: Workbench, within: str) -> Callable[[str], Hashable]:
    segs = bench.segments.set_index("segment_id")
    if within == "segment":
        return lambda s: s
    if within == "turn":
        return lambda s: (str(segs.at[s, "interview_id"]), int(str(segs.at[s, "turn"])))
    if within == "interview":
        return lambda s: str(segs.at[s, "interview_id"])
    if within == "case":
        return lambda s: str(segs.at[s, "case"])
    raise UsageError(Errors.E467.format(value=within, choices=", ".join(COOCCUR_WITHIN)))


def cooccurrence(bench: Workbench, *, within: str = "segment", measure: str = "segments",
                 query: Query | None = None, codes: Sequence[str] | None = None) -> Matrix:
    """Code × code: the codes found together within a segment, a turn, an interview or a case.

    `codes` limits the rows and columns (default: every theme of the codebook).
    """
    check_measure(measure)
    key = _unit_key(bench, within)
    query = query or Query()
    ids = _selected(bench, query)
    order, code_of = _dimension(bench, CODE, query, ids)
    if codes is not None:
        for code in codes:
            bench.check_code(code, ("theme",))
        order = [c for c in order if c in set(codes)]
    units: dict[Hashable, list[str]] = {}
    for segment_id in ids:
        units.setdefault(key(segment_id), []).append(segment_id)
    cells: dict[tuple[str, str], list[str]] = {}
    totals: dict[str, int] = {}
    position = {c: n for n, c in enumerate(order)}
    for members in units.values():
        present = sorted({c for s in members for c in code_of.get(s, set()) if c in position},
                         key=lambda c: position[c])
        for code in present:
            totals[code] = totals.get(code, 0) + sum(1 for s in members if code in code_of.get(s, set()))
        for a, b in combinations_with_replacement(present, 2):
            if within == "segment":
                chosen = [s for s in members if {a, b} <= code_of.get(s, set())]
            else:
                chosen = [s for s in members if code_of.get(s, set()) & {a, b}]
            if not chosen:
                continue
            cells.setdefault((a, b), []).extend(chosen)
            if a != b:
                cells.setdefault((b, a), []).extend(chosen)
    rank = {s: n for n, s in enumerate(bench.segments["segment_id"].astype(str))}
    cells = {k: sorted(v, key=rank.__getitem__) for k, v in cells.items()}
    return Matrix(CODE, CODE, measure, order, list(order), cells, totals, _interviews(bench), within=within,
                  selection=query.describe())


__all__ = ["CELL_COLUMNS", "COOCCUR_WITHIN", "MEASURES", "Matrix", "check_measure", "cooccurrence", "matrix"]

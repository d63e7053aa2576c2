"""`qualcode matrix` and the selections of `qualcode segments`, as functions that return DataFrames.

    import qualcode

    m = qualcode.matrix("results/demo", rows="code", cols="region")
    m.table                                    # codes × regions, a DataFrame
    m.ids("shared_tools", "nord_varenne")      # the segments behind one cell
    qualcode.select_segments("results/demo", where=["provider=apec"], code="shared_tools")
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from qualcode.workbench.matrix import CODE, Matrix, cooccurrence
from qualcode.workbench.matrix import matrix as build_matrix
from qualcode.workbench.select import Query, make_query, statuses
from qualcode.workbench.select import select_segments as select_ids
from qualcode.workbench.table import Workbench, open_workbench


def _query(where: Iterable[str], code: str | None, and_: Iterable[str], not_: Iterable[str],
           near: str | None, within: str) -> Query:
    return make_query(where, code, and_, not_, near, within)


def matrix(results: Path | str | Workbench, *, rows: str = CODE, cols: str = "case", measure: str = "segments",
           cooccur: str | None = None, where: Iterable[str] = (), code: str | None = None,
           and_: Iterable[str] = (), not_: Iterable[str] = (), near: str | None = None,
           within: str = "sentence", codes: Sequence[str] | None = None, corpus: Path | str | None = None,
           metadata: Path | str | None = None, codebook: Path | str | None = None) -> Matrix:
    """`qualcode matrix`: rows × cols, or code × code with `cooccur` (segment, turn, interview or case).

    The selection (`where`, the code query) is `select_segments`'; `results`
    is a results folder or a `Workbench` already open. `Matrix.warnings` are
    not kept: `open_workbench(...).warnings` says what reading found.
    """
    bench = results if isinstance(results, Workbench) else open_workbench(
        results, corpus=corpus, metadata=metadata, codebook=codebook)
    query = _query(where, code, and_, not_, near, within)
    if cooccur is not None:
        return cooccurrence(bench, within=cooccur, measure=measure, query=query, codes=codes)
    return build_matrix(bench, rows, cols, measure=measure, query=query)


def select_segments(results: Path | str | Workbench, *, where: Iterable[str] = (), code: str | None = None,
                    and_: Iterable[str] = (), not_: Iterable[str] = (), near: str | None = None,
                    within: str = "sentence", case: str | None = None, actor: str | None = None,
                    negated: bool = False, cell: str | None = None, rows: str = CODE, cols: str = "case",
                    cooccur: str | None = None, corpus: Path | str | None = None,
                    metadata: Path | str | None = None, codebook: Path | str | None = None) -> pd.DataFrame:
    """`qualcode segments` with a selection: the evidence of the selected segments in context (KWIC).

    `cell` ("ROW,COL") takes the segments of one cell of the matrix `rows` ×
    `cols` (or of the co-occurrence matrix `cooccur`) instead of a query.
    The rows shown are the matches of the codes asked for (the query's, the
    cell's), else of every theme; `negated` keeps the negated and past ones.
    """
    from qualcode.results.kwic import with_context

    bench = results if isinstance(results, Workbench) else open_workbench(
        results, corpus=corpus, metadata=metadata, codebook=codebook)
    extra = [*where, *([f"case={case}"] if case is not None else [])]
    query = _query(extra, code, and_, not_, near, within)
    wanted = statuses(query)
    ev = bench.evidence
    if cell is not None:
        m = matrix(bench, rows=rows, cols=cols, cooccur=cooccur, where=extra, code=code, and_=and_, not_=not_,
                   near=near, within=within)
        row, col = m.cell(cell)
        ids = m.ids(row, col)
        shown = [v for dim, v in ((m.rows, row), (m.cols, col)) if dim == CODE]
        # the matches that put the segment in the cell: those that count, or those of the statuses asked for
        named = ev["counts_for"] if wanted is None else ev["code"]
    else:
        ids = select_ids(bench, query)
        shown = [c for c in (code, *and_, *([near] if near else [])) if c]
        named = ev["code"]  # every mention, whatever its status, as `segments` has always shown
    if actor is not None:
        bench.check_code(actor, ("actor",))
        counted = bench.mentions(None, kinds=("actor",))
        with_actor = set(counted.loc[counted["code"] == actor, "segment_id"])
        ids = [s for s in ids if s in with_actor]
    keep = ev["segment_id"].isin(set(ids))
    keep &= named.isin(shown) if shown else ev["kind"] == "theme"
    if wanted is not None:
        keep &= ev["status"].isin(wanted)
    if negated:
        keep &= ev["status"] != "present"
    segs = bench.segments.set_index("segment_id")
    chosen = ev[keep]
    chosen = chosen.assign(case=[str(segs.at[s, "case"]) for s in chosen["segment_id"]])
    return with_context(chosen, segs)


def write_matrix(m: Matrix, out: Path | str, *, results: Path | str, force: bool = False,
                 corpus: Path | str | None = None, codebook: Path | str | None = None) -> tuple[Path, list[str]]:
    """`qualcode matrix --xlsx FILE`: the matrix as one sheet (row values, then one column per column value).

    The output guard runs first (never into the results folder or the corpus);
    the workbook's dates are the results' `created`, so the same results give
    the same bytes.
    """
    from qualcode.base.atomic import write_file
    from qualcode.base.guard import TABLE, guard_output
    from qualcode.errors import Errors, UsageError
    from qualcode.interop.table import table_to_xlsx
    from qualcode.results.folder import ResultsFolder, results_inputs

    if Path(out).suffix.lower() != ".xlsx":
        raise UsageError(Errors.E472.format(suffix=Path(out).suffix, what="matrix", choices=".xlsx"))
    notes = guard_output(out, TABLE, force=force, inputs=results_inputs(results, corpus=corpus, codebook=codebook))
    created = ResultsFolder(Path(results)).created
    data = table_to_xlsx(m.table.reset_index(), "matrix", created)
    return write_file(out, data, force=force, parents=True), notes


__all__ = ["matrix", "select_segments", "write_matrix"]

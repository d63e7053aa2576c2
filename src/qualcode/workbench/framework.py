"""The framework matrix: one row per case, one column per theme, the case's strongest quotes in each cell.

A framework matrix (Ritchie and Spencer's framework method; NVivo's
framework matrices) is where the analyst summarises each case theme by
theme. `framework_table` fills it from a results folder: for each case and
theme, the respondent segments of the case where the theme counts, the
strongest first (the most matches of the theme, then the order of the
interviews), each as `[segment id] quote` (the sentences that hold the
matches, through the quote filter). The last column, `summary`, is empty:
the analyst writes there, and `read_summaries` reads the sheet back.

The sheet must keep its shape to be read back: the same header, the cases
of the results in the first column (E471 otherwise, naming what changed).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from qualcode.errors import Errors, UsageError
from qualcode.workbench.table import CONFIGURATION, Workbench

CASE = "case"
SUMMARY = "summary"
#: the first line of FILE.md (the output guard knows the file by it)
MARKDOWN_TITLE = "# Framework matrix"


def framework_table(bench: Workbench, quotes: Callable[[str], str], *, per_cell: int = 2) -> pd.DataFrame:
    """Cases × themes, each cell the case's `per_cell` strongest quotes for the theme, and `summary` empty."""
    from qualcode.report.cooccurrence import quote_of

    segs = bench.segments.set_index("segment_id")
    respondent = set(bench.segments.loc[(bench.attributes["speaker_role"] == "respondent").to_numpy(),
                                        "segment_id"])
    ev = bench.evidence
    counted = ev[(ev["kind"] == "theme") & (ev["counts_for"] != "") & ev["segment_id"].isin(respondent)]
    order = {s: n for n, s in enumerate(bench.segments["segment_id"])}
    matches: dict[tuple[str, str, str], list[tuple[int, int, str]]] = {}
    for row in counted.itertuples(index=False):
        sid = str(row.segment_id)
        key = (str(segs.at[sid, "case"]), str(row.counts_for), sid)
        matches.setdefault(key, []).append((int(str(row.start)), int(str(row.end)), str(row.matched_text)))
    cases = sorted({str(c) for c in bench.segments.loc[bench.segments["segment_id"].isin(respondent), "case"]})
    rows = []
    for case in cases:
        cells = []
        for theme in bench.themes:
            found = [(sid, m) for (c, t, sid), m in matches.items() if c == case and t == theme]
            found.sort(key=lambda item: (-len(item[1]), order[item[0]]))
            cells.append("\n".join(
                f"[{sid}] " + quote_of(str(segs.at[sid, "text"]), int(str(segs.at[sid, "start"])), sorted(m), quotes)
                for sid, m in found[:per_cell]))
        verdict = [bench.verdicts.get(case, "")] if bench.verdicts else []
        rows.append((case, *verdict, *cells, ""))
    columns = [CASE, *([CONFIGURATION] if bench.verdicts else []), *bench.themes, SUMMARY]
    return pd.DataFrame(rows, columns=columns)


def framework_markdown(table: pd.DataFrame, themes: Sequence[str]) -> str:
    """FILE.md: one section per case, the quotes of each theme, and a summary line to fill in."""
    lines = [MARKDOWN_TITLE, "", "One section per case; write the summary after `Summary:`.", ""]
    for record in table.to_dict("records"):
        verdict = f" ({record[CONFIGURATION]})" if record.get(CONFIGURATION) else ""
        lines += [f"## {record[CASE]}{verdict}", ""]
        for theme in themes:
            if record[theme]:
                lines += [f"### {theme}", ""] + [f"- {q}" for q in str(record[theme]).split("\n")] + [""]
        lines += [f"Summary: {record[SUMMARY]}".rstrip(), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def read_summaries(path: Path, expected: Sequence[str], cases: Sequence[str]) -> dict[str, str]:
    """Case -> the summary the analyst wrote, from a framework sheet of `framework_table`'s shape (E471)."""
    import io
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    from qualcode.base.limits import read_limited

    try:
        book = load_workbook(io.BytesIO(read_limited(path)), read_only=True, data_only=True)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, InvalidFileException) as exc:
        raise UsageError(Errors.E471.format(reason=f"not an .xlsx workbook ({exc})"), path=path) from None
    sheet = book.worksheets[0]
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    while rows and not any(rows[-1]):
        rows.pop()
    header = list(rows[0]) if rows else []
    while header and not header[-1]:
        header.pop()
    if header != list(expected):
        changed = [f"{len(header)} columns instead of {len(expected)}"] if len(header) != len(expected) else []
        changed += [f"{want!r} became {got!r}" for want, got in zip(expected, header) if want != got]
        raise UsageError(Errors.E471.format(reason=f"the header changed: {'; '.join(changed[:3])}"),
                         path=path)
    known = set(cases)
    found: dict[str, str] = {}
    for n, row in enumerate(rows[1:], start=2):
        case = row[0].strip() if row else ""
        if not case and not any(row):
            continue
        if case not in known:
            raise UsageError(Errors.E471.format(reason=f"row {n}: {case!r} is not a case of the results"),
                             path=path)
        if case in found:
            raise UsageError(Errors.E471.format(reason=f"row {n}: the case {case!r} comes twice"), path=path)
        summary = row[len(expected) - 1].strip() if len(row) >= len(expected) else ""
        found[case] = summary
    return found


__all__ = ["CASE", "MARKDOWN_TITLE", "SUMMARY", "framework_markdown", "framework_table", "read_summaries"]

"""Export the coding as a tidy table: one row per unit, one column per theme code.

Levels (`level=`):

* `segment`: one row per segment of segments.csv (coded or not): `segment_id`,
  `interview_id`, `case`, `turn`, `unit`, `speaker`, `role` (interviewer or
  respondent), `words`, then the interview's metadata, then one 0/1 column
  per theme code (1: the segment counts for the code, after negation and
  mapping, as `Codings.applied()`);
* `interview`: one row per interview: `interview_id`, `case`, `segments`,
  `words`, the metadata, then 1 when the code is present in any of its
  segments;
* `case`: one row per case: `case`, `interviews`, `segments`, `words`, the
  case attributes (those that never vary within a case, like `region` for
  areas), then, per code, the **number of interviews** of the case in which
  the code is present (divide by `interviews` for the share; the
  `case_matrix.csv` of `qualcode analyze` has shares of segments and words).

Metadata columns follow the attributes (known ones first, then by name; list
values joined with ", "); one whose name is already a column is prefixed
`meta_` (the `role` attribute beside the speaker's `role`), and a code column
whose id is taken is prefixed `code_`. Codes follow the codebook's order.

CSV follows qualcode's conventions (`results.frame_to_csv`); `.xlsx` is one
sheet written with openpyxl, with fixed workbook dates (the manifest's
`created`) and fixed zip entries, so that the same results give the same
bytes. Text cells are always text: a value that starts with `=` is not a
formula.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from qualcode.base.atomic import write_file
from qualcode.base.guard import TABLE, guard_output
from qualcode.errors import Errors, InteropError
from qualcode.interop._results import Results, load_results, value_text
from qualcode.interop._safe import repack_zip, zip_time
from qualcode.results.folder import results_inputs

LEVELS = ("segment", "interview", "case")
SUFFIXES = (".csv", ".xlsx")


@dataclass
class TableExport:
    frame: pd.DataFrame
    level: str
    codes: list[str]
    path: Path | None = None
    warnings: list[str] = field(default_factory=list)


def check_level(level: str) -> str:
    if level not in LEVELS:
        raise InteropError(Errors.E613.format(level=level))
    return level


def _codes(results: Results, applied: pd.DataFrame) -> list[str]:
    known = results.theme_ids()
    extra = sorted(set(applied["code"]) - set(known))
    return known + extra


def _add_columns(frame: pd.DataFrame, columns: dict[str, list], prefix: str) -> pd.DataFrame:
    data = {}
    for name, values in columns.items():
        key = name if name not in frame.columns and name not in data else f"{prefix}{name}"
        data[key] = values
    return pd.concat([frame.reset_index(drop=True), pd.DataFrame(data)], axis=1) if data else frame


def build_table(results: Results, level: str = "segment") -> TableExport:
    """The tidy table of a results folder at one level."""
    check_level(level)
    segments = results.segments
    applied = results.applied()
    codes = _codes(results, applied)
    attributes = [a for a in results.attributes() if a != "id"]
    metadata = {i.id: i.metadata for i in results.interviews}
    seg_interview = dict(zip(segments["segment_id"], segments["interview_id"].astype(str)))

    if level == "segment":
        base = segments[["segment_id", "interview_id", "case", "turn", "unit", "speaker", "role",
                         "words"]].copy()
        ids = base["interview_id"].astype(str)
        meta = {a: [value_text(metadata.get(i, {}).get(a)) for i in ids] for a in attributes}
        frame = _add_columns(base, meta, "meta_")
        present = set(zip(applied["segment_id"], applied["code"]))
        columns = {c: [int((s, c) in present) for s in frame["segment_id"]] for c in codes}
    elif level == "interview":
        counts = segments.groupby("interview_id").agg(segments=("segment_id", "size"),
                                                      words=("words", "sum"))
        rows = []
        for interview in results.interviews:
            n = counts.loc[interview.id] if interview.id in counts.index else None
            rows.append({"interview_id": interview.id, "case": results.cases.get(interview.id, ""),
                         "segments": int(str(n["segments"])) if n is not None else 0,
                         "words": int(str(n["words"])) if n is not None else 0})
        base = pd.DataFrame(rows, columns=["interview_id", "case", "segments", "words"])
        meta = {a: [value_text(metadata[i].get(a)) for i in base["interview_id"]] for a in attributes}
        frame = _add_columns(base, meta, "meta_")
        present = {(seg_interview.get(s, ""), c) for s, c in zip(applied["segment_id"], applied["code"])}
        columns = {c: [int((i, c) in present) for i in frame["interview_id"]] for c in codes}
    else:
        case_of = results.cases
        per_case: dict[str, list[str]] = {}
        for interview in results.interviews:
            per_case.setdefault(case_of.get(interview.id, ""), []).append(interview.id)
        names = sorted(per_case)
        seg_case = segments.assign(case=segments["case"].astype(str))
        counts = seg_case.groupby("case").agg(segments=("segment_id", "size"), words=("words", "sum"))
        base = pd.DataFrame({
            "case": names,
            "interviews": [len(per_case[c]) for c in names],
            "segments": [int(str(counts.loc[c, "segments"])) if c in counts.index else 0 for c in names],
            "words": [int(str(counts.loc[c, "words"])) if c in counts.index else 0 for c in names],
        })
        case_attributes = [a for a in results.case_attributes() if a not in ("id", results.by)]
        meta = {a: [value_text(metadata[per_case[c][0]].get(a)) for c in names] for a in case_attributes}
        frame = _add_columns(base, meta, "meta_")
        present = {(seg_interview.get(s, ""), c) for s, c in zip(applied["segment_id"], applied["code"])}
        columns = {c: [sum((i, c) in present for i in per_case[name]) for name in names] for c in codes}
    frame = _add_columns(frame, columns, "code_")
    return TableExport(frame.reset_index(drop=True), level, codes, warnings=list(results.warnings))


def table_to_xlsx(frame: pd.DataFrame, sheet: str, created: str) -> bytes:
    """One sheet, header row frozen; text cells stay text; fixed dates and zip entries."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.writer.excel import ExcelWriter

    moment = _moment(created)
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet[:31]
    worksheet.append([str(c) for c in frame.columns])
    for values in frame.itertuples(index=False):
        row = []
        for value in values:
            if isinstance(value, str):
                row.append(ILLEGAL_CHARACTERS_RE.sub("", value))
            elif hasattr(value, "item"):
                row.append(value.item())
            else:
                row.append(value)
        worksheet.append(row)
    for row in worksheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula
    worksheet.freeze_panes = "A2"
    props = workbook.properties
    props.creator = "qualcode"
    props.lastModifiedBy = "qualcode"
    props.created = moment
    props.modified = moment
    buffer = io.BytesIO()
    # ExcelWriter rather than Workbook.save, which stamps `modified` with the current time
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    return repack_zip(buffer.getvalue(), zip_time(created))


def _moment(created: str) -> datetime:
    try:
        moment = datetime.strptime((created or "")[:19], "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        moment = datetime(1980, 1, 1)
    return moment.replace(tzinfo=None) if moment.tzinfo else moment


def export_table(results_dir: Path | str, out: Path | str, *, level: str = "segment",
                 corpus: Path | str | None = None, metadata: Path | str | None = None,
                 codebook: Path | str | None = None, force: bool = False) -> TableExport:
    """Write the table of a results folder as .csv or .xlsx (by `out`'s suffix)."""
    from qualcode.results.frames import frame_to_csv

    check_level(level)
    suffix = Path(out).suffix.lower()
    if suffix not in SUFFIXES:
        raise InteropError(Errors.E612.format(suffix=Path(out).suffix or str(out)), path=str(out))
    notes = guard_output(out, TABLE, force=force, inputs=results_inputs(
        results_dir, corpus=corpus, metadata=metadata, codebook=codebook))
    results = load_results(results_dir, corpus=corpus, metadata=metadata, codebook=codebook)
    export = build_table(results, level)
    export.warnings[:0] = notes
    if suffix == ".csv":
        data: bytes | str = frame_to_csv(export.frame)
    else:
        data = table_to_xlsx(export.frame, f"{level}s", results.created)
    export.path = write_file(out, data, force=force, parents=True)
    return export


__all__ = ["LEVELS", "TableExport", "build_table", "export_table", "table_to_xlsx"]

"""`export table`: tidy 0/1 tables per segment, interview or case, as CSV or Excel."""

from __future__ import annotations

import pytest

from qualcode.errors import QualcodeError
from qualcode.interop._results import load_results
from qualcode.interop.table import build_table, export_table
from support.interop import coded_results

CODES = ["shared_tools", "local_cell", "withdrawal", "informal_ties"]


@pytest.fixture(scope="module")
def results():
    return load_results(coded_results()[0])


def test_segment_level_one_row_per_segment_metadata_then_codes(results):
    frame = build_table(results, "segment").frame
    assert list(frame.columns) == [
        "segment_id", "interview_id", "case", "turn", "unit", "speaker", "role", "words",
        "area", "region", "provider", "language", "interviewers", "cohort", *CODES]
    assert len(frame) == len(results.segments) == 4
    row = frame.set_index("segment_id").loc["a1#t4"]
    assert row[CODES].tolist() == [0, 0, 1, 0]  # the past cell counts for the withdrawal only
    assert frame.set_index("segment_id").loc["a1#t2", "shared_tools"] == 1
    assert row["region"] == "Hauts Plateaux" and row["cohort"] == "Été 2024"


def test_interview_level_presence_in_any_segment(results):
    frame = build_table(results, "interview").frame.set_index("interview_id")
    assert frame.loc["a1", CODES].tolist() == [1, 0, 1, 0]
    assert frame.loc["a2", CODES].tolist() == [0, 0, 0, 1]
    assert frame.loc["b1", CODES].tolist() == [1, 1, 0, 0]
    assert frame.loc["a1", "segments"] == 2 and frame.loc["a1", "interviewers"] == "Enquêtrice"


def test_case_level_counts_interviews(results):
    frame = build_table(results, "case").frame
    assert list(frame.columns) == ["case", "interviews", "segments", "words", "region", "cohort", *CODES]
    nord = frame.set_index("case").loc["nord"]
    assert nord[["interviews", "segments"]].tolist() == [2, 3]
    assert nord[CODES].tolist() == [1, 0, 1, 1]


def test_csv_follows_qualcodes_conventions(tmp_path):
    out = export_table(coded_results()[0], tmp_path / "t.csv", level="interview").path
    data = out.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r\n" not in data
    assert data.decode("utf-8").splitlines()[0].startswith("interview_id,case,segments,words,area")


def test_xlsx_is_reproducible_and_never_holds_formulas(tmp_path, results):
    from openpyxl import load_workbook

    from qualcode.interop.table import table_to_xlsx

    one = export_table(coded_results()[0], tmp_path / "a.xlsx", level="case").path.read_bytes()
    two = export_table(coded_results()[0], tmp_path / "b.xlsx", level="case").path.read_bytes()
    assert one == two
    sheet = load_workbook(tmp_path / "a.xlsx").active
    assert sheet.title == "cases"
    assert [c.value for c in sheet[1]][:3] == ["case", "interviews", "segments"]
    assert [c.value for c in sheet[2]][:2] == ["nord", 2]
    frame = build_table(results, "interview").frame.copy()
    frame.loc[0, "cohort"] = "=HYPERLINK(\"http://evil\")"
    (tmp_path / "f.xlsx").write_bytes(table_to_xlsx(frame, "interviews", "2024-01-01T00:00:00Z"))
    cell = load_workbook(tmp_path / "f.xlsx").active.cell(row=2, column=list(frame.columns).index("cohort") + 1)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_bad_level_and_bad_suffix_are_errors(tmp_path):
    with pytest.raises(QualcodeError, match="E613"):
        export_table(coded_results()[0], tmp_path / "t.csv", level="region")
    with pytest.raises(QualcodeError, match="E612"):
        export_table(coded_results()[0], tmp_path / "t.ods")

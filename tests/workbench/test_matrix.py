"""`qualcode matrix` on the sample study: every cell's count is the number of segment ids it opens to."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from openpyxl import load_workbook

import qualcode
from qualcode.workbench.table import open_workbench
from support.paths import SAMPLE
from support.workbench import run


@pytest.fixture(scope="module")
def bench(sample_results):
    return open_workbench(sample_results)


def _evidence(results) -> tuple[pd.DataFrame, pd.DataFrame]:
    segments = pd.read_csv(results / "segments.csv", dtype=str, keep_default_na=False)
    evidence = pd.read_csv(results / "evidence.csv", dtype=str, keep_default_na=False)
    return segments, evidence


@pytest.mark.parametrize("rows, cols, cooccur", [
    ("code", "region", None), ("code", "case", None), ("provider", "configuration", None),
    ("code", "code", "segment"), ("code", "code", "interview"),
], ids=["code-region", "code-case", "provider-configuration", "cooccur-segment", "cooccur-interview"])
def test_every_cell_counts_the_segment_ids_it_opens_to(bench, rows, cols, cooccur):
    by_segments = qualcode.matrix(bench, rows=rows, cols=cols, cooccur=cooccur)
    by_interviews = qualcode.matrix(bench, rows=rows, cols=cols, cooccur=cooccur, measure="interviews")
    interview = dict(zip(bench.segments["segment_id"], bench.segments["interview_id"]))
    assert by_segments.table.to_numpy().sum() > 0
    for r in by_segments.row_values:
        for c in by_segments.col_values:
            ids = by_segments.ids(r, c)
            assert by_segments.table.at[r, c] == len(ids) == len(set(ids))
            assert by_interviews.table.at[r, c] == len({interview[s] for s in ids})


def test_a_code_by_region_cell_holds_exactly_the_respondent_segments_with_that_code_there(sample_results, bench):
    """Computed again from segments.csv, evidence.csv and the corpus metadata, without the workbench."""
    segments, evidence = _evidence(sample_results)
    regions = {i.id: str(i.metadata.get("region")) for i in qualcode.read_corpus(SAMPLE / "cep_study")}
    respondent = set(segments.loc[segments["role"] == "respondent", "segment_id"])
    where = dict(zip(segments["segment_id"], segments["interview_id"]))
    counted = evidence[(evidence["counts_for"] == "shared_tools") & evidence["segment_id"].isin(respondent)]
    expected = sorted({s for s in counted["segment_id"] if regions[where[s]] == "nord_varenne"})
    m = qualcode.matrix(bench, rows="code", cols="region")
    assert sorted(m.ids("shared_tools", "nord_varenne")) == expected
    assert len(expected) > 3


def test_cell_on_the_command_line_lists_the_ids_and_segments_shows_the_same_segments(sample_results, bench):
    m = qualcode.matrix(bench, rows="code", cols="region")
    code, out, _ = run("matrix", sample_results, "--cols", "region", "--cell", "shared_tools,nord_varenne")
    assert code == 0
    assert out.splitlines() == m.ids("shared_tools", "nord_varenne")
    code, out, _ = run("segments", sample_results, "--cols", "region", "--cell", "shared_tools,nord_varenne",
                       "--csv")
    assert code == 0
    from io import StringIO

    shown = pd.read_csv(StringIO(out), dtype=str)
    assert sorted(set(shown["segment_id"])) == sorted(m.ids("shared_tools", "nord_varenne"))
    assert set(shown["code"]) == {"shared_tools"}


def test_json_gives_every_cell_with_its_ids_and_csv_the_table(sample_results, bench):
    code, out, _ = run("matrix", sample_results, "--cooccur", "interview", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["within"] == "interview" and data["cells"]
    for item in data["cells"]:
        assert item["segments"] == len(item["segment_ids"])
    code, out, _ = run("matrix", sample_results, "--cols", "configuration", "--measure", "interviews", "--csv")
    assert code == 0
    from io import StringIO

    table = pd.read_csv(StringIO(out)).set_index("code")
    expected = qualcode.matrix(bench, rows="code", cols="configuration", measure="interviews").table
    assert table.to_dict() == expected.to_dict()


def test_xlsx_opens_in_openpyxl_with_the_same_values(sample_results, bench, tmp_path):
    out = tmp_path / "matrix.xlsx"
    code, _, err = run("matrix", sample_results, "--cols", "region", "--xlsx", out)
    assert code == 0, err
    sheet = load_workbook(out, read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    m = qualcode.matrix(bench, rows="code", cols="region")
    assert rows[0] == ["code", *m.col_values]
    assert {r[0]: r[1:] for r in rows[1:]} == {r: [int(m.table.at[r, c]) for c in m.col_values]
                                              for r in m.row_values}
    again = tmp_path / "again.xlsx"
    assert run("matrix", sample_results, "--cols", "region", "--xlsx", again)[0] == 0
    assert again.read_bytes() == out.read_bytes()


def test_xlsx_into_the_results_folder_is_refused(sample_results):
    code, _, err = run("matrix", sample_results, "--xlsx", sample_results / "m.xlsx")
    assert code == 2 and "E433" in err
    assert not (sample_results / "m.xlsx").exists()


@pytest.mark.parametrize("args, expected", [
    (["--cols", "regoin"], "[E460] unknown attribute 'regoin' (did you mean 'region'?)"),
    (["--cols", "region", "--cell", "shared_tools,nord_varene"], "no column 'nord_varene' (did you mean "
                                                                   "'nord_varenne'?)"),
    (["--cols", "region", "--cell", "shared_tool,nord_varenne"], "no row 'shared_tool' (did you mean "
                                                                   "'shared_tools'?)"),
    (["--code", "shared_tool"], "[E463] unknown code 'shared_tool' (did you mean 'shared_tools'?)"),
    (["--where", "provider=apex"], "[E461] no 'provider' is 'apex' (did you mean 'apec'?)"),
    (["--where", "provider"], "[E462]"),
    (["--measure", "percent"], "[E468]"),
    (["--cooccur", "paragraph"], "[E467]"),
    (["--and", "shared_tools"], "[E466]"),
    (["--where", "provider=apec", "--where", "region=val_dambre", "--code", "territorial_mismatch",
      "--and", "seasonal_economy"], "[E465] no segment matches"),
], ids=["attribute", "column", "row", "code", "value", "where-shape", "measure", "within", "and-alone", "empty"])
def test_bad_input_is_one_line_and_exit_2(sample_results, args, expected):
    code, out, err = run("matrix", sample_results, *args)
    assert code == 2, (out, err)
    assert expected in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err

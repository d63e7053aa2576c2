"""The framework matrix: exported with the cases' strongest quotes, its summaries read back into the reports."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from openpyxl import load_workbook

from support.workbench import run


def test_every_quote_is_a_segment_of_that_case_where_the_theme_counts(folder, tmp_path):
    out = tmp_path / "framework.xlsx"
    code, _, err = run("export", "framework", folder, "--out", out, "--quotes", "verbatim")
    assert code == 0, err
    rows = list(load_workbook(out, read_only=True).worksheets[0].iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:2] == ["case", "configuration"] and header[-1] == "summary"
    segments = pd.read_csv(folder / "segments.csv", dtype=str, keep_default_na=False)
    evidence = pd.read_csv(folder / "evidence.csv", dtype=str, keep_default_na=False)
    case_of = dict(zip(segments["segment_id"], segments["case"]))
    counted = set(zip(evidence["segment_id"], evidence["counts_for"]))
    assert [r[0] for r in rows[1:]] == sorted(set(segments["case"]))
    quoted = 0
    for row in rows[1:]:
        assert row[-1] in (None, "")
        for theme, value in zip(header[2:-1], row[2:-1]):
            for sid in re.findall(r"^\[([^\]]+)\]", value or "", re.M):
                assert case_of[sid] == row[0] and (sid, theme) in counted
                quoted += 1
    assert quoted > 50
    again = tmp_path / "again.xlsx"
    assert run("export", "framework", folder, "--out", again, "--quotes", "verbatim")[0] == 0
    assert again.read_bytes() == out.read_bytes()


def test_summaries_come_back_as_memos_and_the_report_shows_them(folder, tmp_path):
    out = tmp_path / "framework.xlsx"
    assert run("export", "framework", folder, "--out", out, "--quotes", "verbatim")[0] == 0
    (folder / "memos.md").write_text("## case:sorlin\nAn earlier memo.\n", encoding="utf-8")
    book = load_workbook(out)
    sheet = book.worksheets[0]
    last = sheet.max_column
    sheet.cell(row=2, column=last, value="Cooperation through the cell, tools little used.")
    sheet.cell(row=3, column=last, value="A network older than the cell.")
    book.save(out)
    code, _, err = run("import", "framework", folder, out)
    assert code == 0 and "[W464] 2 framework summary cell(s) imported" in err
    memos = (folder / "memos.md").read_text(encoding="utf-8")
    assert "## case:ambrieres — summary\nCooperation through the cell, tools little used." in memos
    assert "## case:sorlin\nAn earlier memo." in memos
    code, _, err = run("report", folder, "--format", "md", "--out", tmp_path / "r.md", "--quotes", "verbatim")
    assert code == 0, err
    assert "A network older than the cell." in (tmp_path / "r.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("edit, expected", [
    (lambda s: s.cell(row=1, column=3, value="local_services"), "'local_guidance_service' became 'local_services'"),
    (lambda s: s.delete_cols(4), "columns instead of"),
    (lambda s: s.cell(row=2, column=1, value="ambriere"), "'ambriere' is not a case of the results"),
], ids=["renamed-column", "deleted-column", "unknown-case"])
def test_a_sheet_edited_out_of_shape_is_refused_and_memos_stay(folder, tmp_path, edit, expected):
    out = tmp_path / "framework.xlsx"
    assert run("export", "framework", folder, "--out", out, "--quotes", "verbatim")[0] == 0
    (folder / "memos.md").write_text("## project\nKept.\n", encoding="utf-8")
    book = load_workbook(out)
    sheet = book.worksheets[0]
    sheet.cell(row=2, column=sheet.max_column, value="A summary.")
    edit(sheet)
    book.save(out)
    code, _, err = run("import", "framework", folder, out)
    assert code == 2 and "[E471]" in err and expected in err and len(err.strip().splitlines()) == 1
    assert (folder / "memos.md").read_text(encoding="utf-8") == "## project\nKept.\n"


def test_markdown_framework_and_unsupported_suffixes(folder, tmp_path):
    out = tmp_path / "framework.md"
    code, _, err = run("export", "framework", folder, "--out", out, "--quotes", "verbatim")
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Framework matrix\n") and "## brevanne (" in text and "\nSummary:" in text
    code, _, err = run("export", "framework", folder, "--out", tmp_path / "f.docx")
    assert code == 2 and "[E472]" in err
    code, _, err = run("import", "framework", folder, out)
    assert code == 2 and "[E472]" in err
    (tmp_path / "text.xlsx").write_text("not a workbook", encoding="utf-8")
    code, _, err = run("import", "framework", folder, tmp_path / "text.xlsx")
    assert code == 2 and "[E471]" in err and "not an .xlsx workbook" in err and len(err.strip().splitlines()) == 1

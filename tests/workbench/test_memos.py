"""Memos: memos.md in the results folder, shown in the reports, kept when the folder is replaced."""

from __future__ import annotations

import pytest

import qualcode
from qualcode.errors import CodingError
from qualcode.results.memos import memos_text, parse_memos
from support.paths import SAMPLE
from support.workbench import run

MEMOS = """# Memos

Written by hand.

## project — the study
Fifteen interviews in three areas.

## code:shared_tools — what counts as a tool
The directory and the referral sheet, not the regional platform.
\\## not a heading

## case:brevanne
The cell's facilitator is quoted in every interview.

## segment:brevanne_apec#t6
A referral from the APEC consultant.
"""


def test_memos_round_trip_through_their_text():
    preamble, memos = parse_memos(MEMOS)
    assert preamble == "# Memos\n\nWritten by hand."
    assert [(m.kind, m.target, m.title) for m in memos] == [
        ("project", "", "the study"), ("code", "shared_tools", "what counts as a tool"), ("case", "brevanne", ""),
        ("segment", "brevanne_apec#t6", "")]
    assert memos[1].text.endswith("## not a heading")
    assert memos_text(memos, preamble) == MEMOS
    frame = qualcode.memos_frame(memos)
    assert frame["target"].tolist() == ["", "shared_tools", "brevanne", "brevanne_apec#t6"]


def test_the_reports_show_the_memos(folder, tmp_path):
    (folder / "memos.md").write_text(MEMOS, encoding="utf-8")
    for fmt in ("html", "md"):
        out = tmp_path / f"report.{fmt}"
        code, _, err = run("report", folder, "--format", fmt, "--out", out, "--quotes", "verbatim")
        assert code == 0, err
        text = out.read_text(encoding="utf-8")
        assert "The directory and the referral sheet, not the regional platform." in text
        assert "A referral from the APEC consultant." in text
        assert "W462" not in err


def test_a_memo_for_an_unknown_id_is_kept_with_a_warning(folder, tmp_path):
    (folder / "memos.md").write_text(MEMOS.replace("case:brevanne", "case:brevane"), encoding="utf-8")
    code, _, err = run("report", folder, "--format", "md", "--out", tmp_path / "r.md", "--quotes", "verbatim")
    assert code == 0
    assert "memos.md:12: [W462] memo for an unknown case 'brevane' (did you mean 'brevanne'?)" in err
    assert "The cell's facilitator is quoted" in (tmp_path / "r.md").read_text(encoding="utf-8")


def test_a_broken_heading_is_one_line_naming_the_line_and_exit_2(folder, tmp_path):
    (folder / "memos.md").write_text(MEMOS.replace("## case:brevanne", "## brevanne"), encoding="utf-8")
    code, _out, err = run("report", folder, "--format", "md", "--out", tmp_path / "r.md", "--quotes", "verbatim")
    assert code == 2 and "[E470]" in err and "memos.md:12: [E470]" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "r.md").exists()
    with pytest.raises(CodingError):
        qualcode.read_memos(folder)


def test_analyze_force_keeps_the_researchers_memos(folder):
    (folder / "memos.md").write_text(MEMOS, encoding="utf-8")
    code, _, err = run("analyze", SAMPLE / "cep_study", "--out", folder, "--force", "--quiet", "--format", "md")
    assert code == 0, err
    assert (folder / "memos.md").read_text(encoding="utf-8") == MEMOS
    assert "The directory and the referral sheet" in (folder / "report.md").read_text(encoding="utf-8")


def test_memos_round_trip_through_refi_qda_notes(folder, tmp_path):
    """report's memos -> export qdpx (Notes, schema-valid) -> import qdpx -> the same memos."""
    import zipfile

    (folder / "memos.md").write_text(MEMOS, encoding="utf-8")
    project = tmp_path / "project.qdpx"
    code, _, err = run("export", "qdpx", folder, "--out", project)
    assert code == 0, err
    qde = zipfile.ZipFile(project).read("project.qde").decode("utf-8")
    assert qde.count("<Note ") == 4 and 'name="code:shared_tools — what counts as a tool"' in qde
    assert qde.count("<NoteRef ") == 3  # the project, the code, the segment's interview (a Case has none)
    code, _, err = run("import", "qdpx", project, "--out", tmp_path / "imported")
    assert code == 0, err
    back = qualcode.read_memos(tmp_path / "imported")[1]
    assert back == parse_memos(MEMOS)[1]
    corpus = qualcode.read_corpus(tmp_path / "imported")
    assert "memos" not in {i.id for i in corpus}  # memos.md is no transcript

"""`qualcode export ...` and `qualcode import ...` through Typer's CliRunner: exit codes and messages."""

from __future__ import annotations

import zipfile

import pytest

from qualcode.cli import app
from support.interop import (
    INTEROP_CODEBOOK,
    MAXQDA_SAMPLE,
    coded_results,
    copy_results,
    nvivo_project_xml,
    nvivo_windows_project,
    patch_sizes,
    write_transcripts,
    zip_bytes,
)


def _run(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


def _text(result) -> str:
    """The output with the console's line wrapping undone."""
    return " ".join(result.output.split())


@pytest.mark.parametrize("command", [
    ["export", "--help"], ["import", "--help"], ["export", "qdpx", "--help"], ["export", "qdc", "--help"],
    ["export", "iramuteq", "--help"], ["export", "table", "--help"], ["import", "qdpx", "--help"],
    ["import", "qdc", "--help"],
])
def test_every_command_has_help_with_an_example(runner, command):
    result = _run(runner, *command)
    assert result.exit_code == 0, result.output
    if len(command) == 3:
        assert "Example" in result.output


def test_code_then_export_qdpx_from_the_recorded_relative_corpus_path(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_transcripts(tmp_path / "corpus")
    result = _run(runner, "code", "corpus", "--out", "results", "--codebook", INTEROP_CODEBOOK,
                  "--no-cache", "--quiet")
    assert result.exit_code == 0, result.output
    result = _run(runner, "export", "qdpx", "results", "--out", "study.qdpx")
    assert result.exit_code == 0, result.output
    assert "wrote study.qdpx: 3 sources" in _text(result)
    with zipfile.ZipFile(tmp_path / "study.qdpx") as archive:
        assert archive.namelist()[0] == "project.qde"


def test_export_refuses_to_overwrite_without_force(runner, tmp_path):
    results, _ = coded_results()
    assert _run(runner, "export", "qdpx", results, "--out", tmp_path / "p.qdpx").exit_code == 0
    result = _run(runner, "export", "qdpx", results, "--out", tmp_path / "p.qdpx")
    assert result.exit_code == 2
    assert "[E437] output file exists; pass --force" in _text(result)
    result = _run(runner, "export", "qdpx", results, "--out", tmp_path / "p.qdpx", "--force")
    assert result.exit_code == 0, result.output
    (tmp_path / "p.qdpx").write_bytes(b"old")  # not an export of qualcode's: --force refuses it
    result = _run(runner, "export", "qdpx", results, "--out", tmp_path / "p.qdpx", "--force")
    assert result.exit_code == 2 and "[E443]" in result.output


def test_export_with_a_changed_corpus_exits_2(runner, tmp_path):
    results, corpus = copy_results(tmp_path)
    (corpus / "sud" / "b1.md").write_text("Q: changed\n\nR: yes\n", encoding="utf-8")
    result = _run(runner, "export", "qdpx", results, "--out", tmp_path / "p.qdpx", "--corpus", corpus)
    assert result.exit_code == 2
    assert "E607" in result.output and "changed since coding" in _text(result)


def test_export_from_a_folder_that_is_not_results_exits_2(runner, tmp_path):
    result = _run(runner, "export", "table", tmp_path, "--out", tmp_path / "t.csv")
    assert result.exit_code == 2
    assert "E305" in result.output


def test_export_iramuteq_and_tables(runner, tmp_path):
    results, _ = coded_results()
    result = _run(runner, "export", "iramuteq", results, "--out", tmp_path / "c.txt")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "c.txt").read_text(encoding="utf-8").startswith("**** *id_a1 *area_nord")
    result = _run(runner, "export", "table", results, "--out", tmp_path / "t.xlsx", "--level", "case")
    assert result.exit_code == 0, result.output
    assert "2 case rows" in _text(result)
    result = _run(runner, "export", "table", results, "--out", tmp_path / "t.csv", "--level", "district")
    assert result.exit_code == 2


def test_export_and_import_qdc(runner, tmp_path):
    result = _run(runner, "export", "qdc", INTEROP_CODEBOOK, "--out", tmp_path / "c.qdc")
    assert result.exit_code == 0, result.output
    assert "2 groups, 4 codes, 1 providers" in _text(result)
    result = _run(runner, "import", "qdc", tmp_path / "c.qdc", "--out", tmp_path / "c.yaml", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "placeholder" in _text(result)
    result = _run(runner, "codebook", "validate", tmp_path / "c.yaml")
    assert result.exit_code == 0, result.output
    result = _run(runner, "import", "qdc", tmp_path / "c.qdc", "--out", tmp_path / "d.yaml", "--lang", "de")
    assert result.exit_code == 2 and "E113" in result.output


def test_import_qdpx_says_which_counting_it_used(runner, tmp_path):
    project = nvivo_windows_project(tmp_path / "nvivo.qdpx")
    result = _run(runner, "import", "qdpx", project, "--out", tmp_path / "study", "--codebook", INTEROP_CODEBOOK)
    assert result.exit_code == 0, result.output
    out = _text(result)
    assert "offsets read as UTF-16 code units" in out
    assert "1: a selection without coding (a comment)" in out and "1: a selection of length zero" in out
    assert "every selection and coding: 2 coded, 2 left out" in out
    assert "qualcode agree" in out
    assert (tmp_path / "study" / "human_coding.csv").read_text(encoding="utf-8").splitlines() == [
        "segment,code,coder", "entretien_1#t2,shared_tools,Alice", "entretien_1#t4,local_cell,Alice"]


def test_import_the_maxqda_sample(runner, tmp_path):
    result = _run(runner, "import", "qdpx", MAXQDA_SAMPLE, "--out", tmp_path / "m")
    assert result.exit_code == 0, result.output
    assert "imported 10 text source(s) from MAXQDA 24" in _text(result)


@pytest.mark.parametrize("entries, code", [
    ([("project.qde", b"<Project/>"), ("../escape.txt", b"x")], "E602"),
    ([("project.qde", b"<Project/>"), ("/abs/escape.txt", b"x")], "E602"),
    ([("project.qde", b'<?xml version="1.0"?><!DOCTYPE P [<!ENTITY a "x">]><Project name="&a;"/>')], "E605"),
])
def test_hostile_projects_exit_2(runner, tmp_path, entries, code):
    (tmp_path / "h.qdpx").write_bytes(zip_bytes(entries))
    result = _run(runner, "import", "qdpx", tmp_path / "h.qdpx", "--out", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert code in result.output
    assert not (tmp_path / "out").exists()


def test_bomb_like_sizes_exit_2(runner, tmp_path):
    data = zip_bytes([("project.qde", nvivo_project_xml().encode())])
    (tmp_path / "b.qdpx").write_bytes(patch_sizes(data, "project.qde", 0x7FFFFFF0))
    result = _run(runner, "import", "qdpx", tmp_path / "b.qdpx", "--out", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert "E603" in result.output


def test_hostile_codebook_exits_2(runner, tmp_path):
    (tmp_path / "h.qdc").write_text(
        '<?xml version="1.0"?><!DOCTYPE CodeBook [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>', encoding="utf-8")
    result = _run(runner, "import", "qdc", tmp_path / "h.qdc", "--out", tmp_path / "x.yaml")
    assert result.exit_code == 2, result.output
    assert "E605" in result.output

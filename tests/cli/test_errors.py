"""Every command's bad-input path: one line that names the problem and the file, exit 2, no traceback.

An internal error (one of qualcode's own functions raising RuntimeError) is
one line and exit 1; `qualcode --debug` shows the traceback. Usage errors
that click catches itself (a missing --human file, an unknown --level, a
missing argument, an unknown command) are one line too ([E902], with the
command's --help), exit 2 and no traceback.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qualcode.cli import app
from support.paths import TESTS_DATA

MINIMAL = TESTS_DATA / "codebooks" / "minimal.yaml"


@pytest.fixture(scope="module")
def place(tmp_path_factory) -> dict[str, str]:
    """Files of the wrong kind, a transcript folder and a results folder."""
    base = tmp_path_factory.mktemp("cli-errors")
    (base / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (base / "doc.pdf").write_bytes(b"%PDF-1.4\n\x00\x01\x02")
    (base / "bad.csv").write_bytes(b"%PDF-1.4\n\x00\x01\x02")
    (base / "text.docx").write_text("not a zip", encoding="utf-8")
    (base / "folder").mkdir()
    (base / "folder" / "a.txt").write_text("Enquêtrice : Bonjour.\nRépondante : La cellule d'animation.\n",
                                           encoding="utf-8")
    result = CliRunner().invoke(app, ["code", str(base / "folder"), "--by", "id", "--pipeline", "fast",
                                      "--codebook", str(MINIMAL), "--no-cache", "--out", str(base / "res")])
    assert result.exit_code == 0, result.output
    names = {"png": "pic.png", "pdf": "doc.pdf", "bad": "bad.csv", "docx": "text.docx", "folder": "folder",
             "res": "res", "missing": "nope", "missing_csv": "nope.csv", "missing_yaml": "nope.yaml"}
    return {key: str(base / name) for key, name in names.items()} | {"minimal": str(MINIMAL),
                                                                      "base": str(base)}


# (arguments, error code, which argument the line must name)
BAD_INPUT = [
    ("corpus {missing}", "E101", "missing"),
    ("corpus {png}", "E102", "png"),
    ("corpus {docx}", "E104", "docx"),
    ("corpus {folder} --metadata {missing_csv}", "E101", "missing_csv"),
    ("corpus {folder} --metadata {folder}", "E110", "folder"),
    ("corpus {folder} --metadata {pdf}", "E110", "pdf"),
    ("corpus {folder} --metadata {bad}", "E103", "bad"),
    ("code {missing} --by id", "E101", "missing"),
    ("code {png} --by id", "E102", "png"),
    ("code {folder} --by id --codebook {missing_yaml}", "E203", "missing_yaml"),
    ("code {folder} --by id --codebook {folder}", "E203", "folder"),
    ("code {folder} --by id --codebook {png}", "E201", "png"),
    ("code {folder} --by id --codebook {minimal} --metadata {png}", "E110", "png"),
    ("code {folder} --by id --codebook {minimal} --out {png}", "E403", "png"),
    ("code {folder} --by id --codebook {minimal} --out {res}", "E402", "res"),
    ("code {folder} --by nothing --codebook {minimal}", "E106", "folder"),
    ("segments {missing}", "E305", "missing"),
    ("segments {folder}", "E305", "folder"),
    ("classify {missing}", "E305", "missing"),
    ("classify {png}", "E305", "png"),
    ("classify {res} --codebook {pdf}", "E201", "pdf"),
    ("classify {res} --corpus {missing}", "E101", "missing"),
    ("agree {folder} --by id --codebook {minimal} --pipeline fast --human {bad}", "E502", "bad"),
    ("diff {folder} --by id --codebook {minimal} --codebook {missing_yaml}", "E203", "missing_yaml"),
    ("analyze {missing}", "E101", "missing"),
    ("analyze {png}", "E102", "png"),
    ("analyze {folder} --by id --codebook {pdf}", "E201", "pdf"),
    ("analyze {folder} --by id --out {png}", "E403", "png"),
    ("report {missing}", "E305", "missing"),
    ("report {folder}", "E434", "folder"),
    ("report {res}", "E434", "res"),
    ("codebook validate {missing_yaml}", "E203", "missing_yaml"),
    ("codebook validate {folder}", "E203", "folder"),
    ("codebook show {png}", "E201", "png"),
    ("codebook check {pdf}", "E201", "pdf"),
    ("codebook export {missing_yaml}", "E203", "missing_yaml"),
    ("codebook export {minimal} --out {folder}", "E438", "folder"),
    ("export qdpx {missing} --out {base}/x.qdpx", "E305", "missing"),
    ("export qdpx {folder} --out {base}/x.qdpx", "E305", "folder"),
    ("export qdc --out {base}/x.qdc {missing_yaml}", "E203", "missing_yaml"),
    ("export iramuteq {png} --out {base}/i.txt", "E305", "png"),
    ("export table {res} --out {base}/t.txt", "E612", "t.txt"),
    ("export table {missing} --out {base}/t.csv", "E305", "missing"),
    ("import qdpx {missing} --out {base}/imported", "E101", "missing"),
    ("import qdpx {pdf} --out {base}/imported", "E601", "pdf"),
    ("import qdpx {folder} --out {base}/imported", "E601", "folder"),
    ("import qdc {pdf} --out {base}/c.yaml", "E604", "pdf"),
    ("import qdc {missing} --out {base}/c.yaml", "E101", "missing"),
    ("anonymise {missing} --dry-run", "E101", "missing"),
    ("anonymise {png} --dry-run", "E102", "png"),
    ("anonymise {folder} --out {base}/anon --keep {missing_csv}", "E703", "missing_csv"),
]


def error_lines(result) -> list[str]:
    """Standard error without the warnings that come first: the error, then nothing, or a codebook's problems."""
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    while lines and lines[0].startswith("qualcode: warning: "):
        lines.pop(0)
    assert lines and lines[0].startswith("qualcode: error: "), result.stderr
    assert all(line.startswith("  ") for line in lines[1:]), result.stderr  # each problem of a codebook
    return lines


@pytest.mark.parametrize("command, code, names", BAD_INPUT, ids=[c[0].split(" {")[0] + f" {c[1]}"
                                                                   for c in BAD_INPUT])
def test_bad_input_is_one_clean_line_and_exit_2(place, command, code, names):
    args = [part.format(**place) for part in command.split()]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    lines = error_lines(result)
    assert len(lines) == 1 or code == "E201", lines  # a codebook lists each of its problems below
    assert f"[{code}]" in result.stderr, result.stderr
    assert Path(place.get(names, names)).name in lines[0], lines[0]


@pytest.mark.parametrize("args", [["agree", "{folder}", "--human", "{missing_csv}"],
                                  ["export", "table", "{res}", "--out", "{base}/t.csv", "--level", "word"],
                                  ["code"], ["nonsense"]])
def test_usage_errors_exit_2_without_traceback(place, args):
    result = CliRunner().invoke(app, [a.format(**place) for a in args])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("qualcode: error: [E902] "), result.stderr
    assert "--help`" in lines[0] and "╭" not in result.output


# (command, library function to break: module, name)
INTERNAL = [
    (["corpus", "{folder}"], "qualcode.corpus", "read_corpus"),
    (["code", "{folder}", "--by", "id", "--pipeline", "fast", "--codebook", "{minimal}"], "qualcode.coding.engine",
     "code_corpus"),
    (["classify", "{res}"], "qualcode.workflows.classify", "classify_folder"),
    (["codebook", "validate", "{minimal}"], "qualcode.codebook", "load_codebook"),
    (["segments", "{res}"], "qualcode.results.kwic", "select_evidence"),
    (["export", "table", "{res}", "--out", "{base}/internal.csv"], "qualcode.interop.table", "export_table"),
]


@pytest.mark.parametrize("args, module, name", INTERNAL, ids=[i[0][0] for i in INTERNAL])
def test_internal_error_is_one_line_and_exit_1(place, monkeypatch, args, module, name):
    import importlib

    def boom(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(importlib.import_module(module), name, boom)
    result = CliRunner().invoke(app, [a.format(**place) for a in args])
    assert result.exit_code == 1, result.output
    assert error_lines(result) == [
        "qualcode: error: internal error (RuntimeError: boom); run again with `qualcode --debug ...` for the "
        "traceback and report it"]


def test_a_multi_line_message_stays_one_line(place, monkeypatch):
    import qualcode.corpus

    def boom(*_args, **_kwargs):
        raise RuntimeError("first\nsecond\x1b[2J")

    monkeypatch.setattr(qualcode.corpus, "read_corpus", boom)
    result = CliRunner().invoke(app, ["corpus", place["folder"]])
    assert result.exit_code == 1
    assert error_lines(result) == ["qualcode: error: internal error (RuntimeError: first\\nsecond\\x1b[2J); run "
                                   "again with `qualcode --debug ...` for the traceback and report it"]


def test_interruption_exits_130_in_one_line(place, monkeypatch):
    import qualcode.corpus

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(qualcode.corpus, "read_corpus", interrupted)
    result = CliRunner().invoke(app, ["corpus", place["folder"]])
    assert result.exit_code == 130 and result.stderr.strip() == "qualcode: interrupted"


BREAK_AND_RUN = """
import sys
import qualcode.corpus
def boom(*args, **kwargs):
    raise RuntimeError("boom")
qualcode.corpus.read_corpus = boom
from qualcode.cli import main
sys.argv = ["qualcode", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize("debug", [False, True])
def test_debug_shows_the_traceback(place, debug):
    """In a real process: without --debug one line, exit 1; with it, Python's traceback."""
    args = ["--debug"] * debug + ["corpus", place["folder"]]
    done = subprocess.run([sys.executable, "-c", BREAK_AND_RUN, *args], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1
    if debug:
        assert "Traceback (most recent call last)" in done.stderr
        assert "RuntimeError: boom" in done.stderr.strip().splitlines()[-1]
    else:
        assert "Traceback" not in done.stderr
        assert done.stderr.strip().splitlines() == [
            "qualcode: error: internal error (RuntimeError: boom); run again with `qualcode --debug ...` for "
            "the traceback and report it"]


def test_qualcode_errors_show_their_traceback_with_debug(place):
    done = subprocess.run([sys.executable, "-m", "qualcode", "--debug", "corpus", place["missing"]],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "Traceback (most recent call last)" in done.stderr and "[E101]" in done.stderr

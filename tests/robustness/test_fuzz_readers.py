"""Whatever bytes a transcript or a metadata table holds, it reads or gives qualcode's own error.

Every format is fuzzed from the bytes up: .txt, .md, .vtt and .srt as bytes
built from the pieces of their syntax and long runs of them; .docx, .odt and
.xlsx as real packages damaged byte by byte or member by member. An input
either reads (and then its turns keep the offsets contract) or raises a
`QualcodeError` with a catalogue code; it never raises anything else, never
prints, and never takes longer than the profile's per-example deadline
(tests/conftest.py), so that a regular expression that backtracks without
bound fails here rather than hanging a user's run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualcode.corpus import read_corpus
from qualcode.corpus.formats import read_document
from qualcode.corpus.metadata import read_table
from qualcode.corpus.turns import turns_from_cues, turns_from_text
from qualcode.errors import QualcodeError
from support.hostile import (
    assert_clean,
    check_turns,
    docx_bytes,
    mutated_package,
    odt_bytes,
    pieces_and_runs,
    quietly,
    xlsx_bytes,
)

TEXT_PIECES = [
    b"Q :", b"R :", b"Enqu\xc3\xaatrice : ", b"**R :**", b"[00:12:31] ", b"(12:31) ", b"Speaker 2 (00:05): ",
    b"Trois choses : ", b"Mme Garnier :", b"\n", b"\n\n", b"\r\n", b"\r", b"# ", b"---", b"***", b" ", b"\t",
    b"\xc2\xa0", b"\xe9", b"\xef\xbb\xbf", b"\xff\xfe", b"\x00", b"\x1b[31m", b"\xe2\x80\xae", b":", b"**", b"__",
    b"[", b"(", b"0", b"00:00", b"la cellule d'animation", b"http://x", b"-", b"\xe2\x80\xaf",
]
FRONT_PIECES = [
    b"---\n", b"...\n", b"id: ", b"area: ", b"language: ", b"interviewers: ", b"[", b"]", b"{", b"}", b", ",
    b"&a ", b"*a", b"!!python/object/apply:os.system ['true']", b"!!binary ", b"? ", b": ", b"- ", b"\n",
    b"  ", b"'", b'"', b"\\", b"#", b"|", b">", b"fr", b"en", b"xx", b"2024-01-31", b"~", b".nan", b"1e400",
    b"<<: ", b"%YAML 1.1\n", b"\t", b"\xe9", b"Q", b"#t", b"a\tb",
]
VTT_PIECES = [
    b"WEBVTT\n\n", b"WEBVTT", b"00:00:01.000 --> 00:00:02.000\n", b"00:01.000 --> 00:02.000", b" --> ",
    b"-->", b"99999999999:00:00.000", b"<v Enqu\xc3\xaatrice>", b"<v.loud R>", b"<v ", b"</v>", b"<i>", b"<",
    b">", b"<00:00:01.500>", b"&amp;", b"&#0;", b"&", b"NOTE ", b"STYLE\n::cue{}", b"REGION\n", b"\n", b"\n\n",
    b"Q: ", b"R : ", b" ", b"0", b":", b".", b"align:start ", b"\xe9", b"\x00", b"\r\n",
]
SRT_PIECES = [
    b"1\n", b"00:00:01,000 --> 00:00:02,000\n", b"00:00:01.000 --> 00:00:02.000", b" --> ", b"--> ", b"- >",
    b"99999999999999:00:00,000", b"-00:00:01,000", b"0", b"00", b":", b",", b".", b"\n", b"\n\n", b" ", b"\t",
    b"Q: ", b"R : ", b"<i>", b"</i>", b"<v R>", b"{\\an8}", b"\xe9", b"\x00", b"\xef\xbc\x9a", b"\r\n", b"-",
]
CSV_PIECES = [
    b"file", b"id", b"area", b"language", b"interviewers", b",", b";", b"\t", b'"', b"\n", b"\r\n", b"a.txt",
    b"b", b"bb", b"../x", b"../../etc/passwd", b"/etc/passwd", b"C:\\x", b"\\\\srv\\x", b"=1+1", b"'=1+1",
    b"fr", b"xx", b"Q", b" ", b"\xe9", b"\x00", b"\xef\xbb\xbf", b"2024-01-01", b"nan", b"a/../a.txt",
    b"./a.txt", b"A.TXT", b"#",
]


def read(folder: Path, name: str, data: bytes) -> None:
    """Write `data` as `name`, read it as a transcript, check the result or the error."""
    path = folder / name
    path.write_bytes(data)
    try:
        document = quietly(lambda: read_document(path, name))
        if document.cues is not None:
            parsed = turns_from_cues(document.cues)
        else:
            parsed = turns_from_text(document.text, document.front_matter.body_start, None,
                                     document.paragraphs)
    except QualcodeError as exc:
        assert_clean(exc)
        assert str(exc).startswith(name)
        return
    check_turns(parsed.text, parsed.turns)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """One folder for the module; warm imports so that the first example is not timed with them."""
    folder = tmp_path_factory.mktemp("fuzz-readers")
    read(folder, "warm.txt", "Q : é\nR : oui".encode("cp1252"))
    read(folder, "warm.vtt", b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v R>oui\n")
    read(folder, "warm.docx", docx_bytes(["Q : oui"]))
    read(folder, "warm.odt", odt_bytes(["Q : oui"]))
    read_table_or_error(folder, "metadata.xlsx", xlsx_bytes([["file", "area"], ["a.txt", "x"]]))
    return folder


@pytest.fixture(scope="module")
def packages() -> dict[str, bytes]:
    paragraphs = ["Enquêtrice : Bonjour.", "Répondante : la cellule d'animation nous réunit.",
                  "Enquêtrice : Merci.", "Répondante : Merci à vous."]
    return {"docx": docx_bytes(paragraphs), "odt": odt_bytes(paragraphs),
            "xlsx": xlsx_bytes([["file", "id", "area"], ["a.txt", "a", "x"], [None, "b", "y"]])}


def read_table_or_error(folder: Path, name: str, data: bytes) -> None:
    path = folder / name
    path.write_bytes(data)
    try:
        table = quietly(lambda: read_table(path, name, ""))
    except QualcodeError as exc:
        assert_clean(exc)
        return
    for row in table.rows:
        assert row.file is not None or row.id is not None


@given(data=pieces_and_runs(TEXT_PIECES), suffix=st.sampled_from([".txt", ".md"]))
def test_text_transcript_bytes(folder, data, suffix):
    read(folder, "interview" + suffix, data)


@given(front=pieces_and_runs(FRONT_PIECES, max_run=400), body=pieces_and_runs(TEXT_PIECES, max_chunks=8))
def test_front_matter_bytes(folder, front, body):
    read(folder, "interview.md", b"---\n" + front + b"\n---\n" + body)


@given(data=pieces_and_runs(VTT_PIECES))
def test_vtt_bytes(folder, data):
    read(folder, "interview.vtt", data)


@given(data=pieces_and_runs(SRT_PIECES))
def test_srt_bytes(folder, data):
    read(folder, "interview.srt", data)


@given(data=st.data(), fmt=st.sampled_from(["docx", "odt"]))
def test_damaged_documents(folder, packages, data, fmt):
    read(folder, "interview." + fmt, data.draw(mutated_package(packages[fmt])))


@given(data=st.data())
def test_damaged_xlsx_metadata(folder, packages, data):
    read_table_or_error(folder, "metadata.xlsx", data.draw(mutated_package(packages["xlsx"])))


@given(data=pieces_and_runs(CSV_PIECES, max_run=500))
def test_csv_metadata_joined_to_a_corpus(tmp_path_factory, data):
    """The whole reader: the table is joined to the files, merged with front matter, checked."""
    folder = tmp_path_factory.mktemp("corpus", numbered=True)
    (folder / "a.txt").write_text("Q : oui\nR : non\n", encoding="utf-8")
    (folder / "b.md").write_text("---\nid: bb\nlanguage: fr\n---\nQ : oui\nR : non\n", encoding="utf-8")
    (folder / "metadata.csv").write_bytes(data)
    try:
        corpus = quietly(lambda: read_corpus(folder))
    except QualcodeError as exc:
        assert_clean(exc)
        return
    assert len(corpus) == 2
    for interview in corpus:
        check_turns(interview.text, interview.turns)

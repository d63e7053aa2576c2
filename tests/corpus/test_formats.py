"""Every transcript format of the contract, read from real files written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.corpus import read_corpus
from qualcode.corpus.model import INTERVIEWER, RESPONDENT
from qualcode.errors import CorpusError


def only(path: Path, **kwargs):
    corpus = read_corpus(path, **kwargs)
    assert len(corpus) == 1
    interview = corpus.interviews[0]
    for turn in interview.turns:
        assert interview.text[turn.start:turn.end] == turn.text
    assert [t.n for t in interview.turns] == list(range(1, len(interview.turns) + 1))
    return interview


def summary(interview) -> list[tuple[str, str, str]]:
    return [(t.speaker, t.role, t.text) for t in interview.turns]


def write_docx(path: Path, paragraphs: list[str], heading: str | None = None,
               table: list[tuple[str, str]] | None = None) -> Path:
    import docx

    document = docx.Document()
    if heading:
        document.add_heading(heading, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=0, cols=2)
        for speaker, text in table:
            cells = grid.add_row().cells
            cells[0].text, cells[1].text = speaker, text
    document.save(str(path))
    return path


def write_odt(path: Path, paragraphs: list[str], heading: str | None = None) -> Path:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    document = OpenDocumentText()
    if heading:
        document.text.addElement(H(outlinelevel=1, text=heading))
    for text in paragraphs:
        document.text.addElement(P(text=text))
    document.save(str(path))
    return path


# --- plain text and Markdown -------------------------------------------------

def test_md_front_matter_stays_in_text_but_in_no_turn(tmp_path):
    text = ("---\nid: lisere_apec\narea: lisere\ninterviewers: [Enquêteur]\nlanguage: fr\n---\n"
            "# Entretien\n\nEnquêteur : Bonjour.\n\n**Mme Sauvaire :** Bonjour, oui.\n"
            "Deuxième ligne.\n\nEnquêteur : Merci.\n\n**Mme Sauvaire :** Au revoir.\n")
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    interview = only(tmp_path / "a.md")
    assert interview.text == text
    assert interview.id == "lisere_apec" and interview.area == "lisere"
    assert interview.format == "md"
    assert summary(interview) == [
        ("Enquêteur", INTERVIEWER, "Bonjour."),
        ("Mme Sauvaire", RESPONDENT, "Bonjour, oui.\nDeuxième ligne."),
        ("Enquêteur", INTERVIEWER, "Merci."),
        ("Mme Sauvaire", RESPONDENT, "Au revoir.")]
    assert interview.turns[0].start > text.index("---\n#") > 0
    assert interview.warnings == []
    assert interview.segment_id(2) == "lisere_apec#t2"


def test_crlf_is_normalised_and_offsets_refer_to_the_normalised_text(tmp_path):
    (tmp_path / "crlf.txt").write_bytes(b"Q: Bonjour\r\nR: Oui,\r\nsur deux lignes\r\n")
    interview = only(tmp_path / "crlf.txt", strict=False)
    assert "\r" not in interview.text
    assert summary(interview)[1] == ("R", RESPONDENT, "Oui,\nsur deux lignes")


def test_utf8_with_bom(tmp_path):
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + "Enquêtrice : Ça va ?\nR : Très bien.\n".encode())
    interview = only(tmp_path / "bom.txt")
    assert not interview.text.startswith("\ufeff")
    assert interview.turns[0].text == "Ça va ?"
    assert not any("W101" in w for w in interview.warnings)


def test_cp1252_is_decoded_with_a_warning(tmp_path):
    text = "Enquêtrice : Où êtes-vous ?\nRépondante : À côté de la gare, l’été « chaud ».\n"
    (tmp_path / "legacy.txt").write_bytes(text.encode("cp1252"))
    interview = only(tmp_path / "legacy.txt")
    assert interview.turns[1].text == "À côté de la gare, l’été « chaud »."
    assert any(w.startswith("[W101]") and "cp1252" in w for w in interview.warnings)


def test_nfc_normalisation(tmp_path):
    (tmp_path / "nfd.txt").write_text("Q: Cafe\u0301 ?\nR: Oui.\n", encoding="utf-8")
    assert only(tmp_path / "nfd.txt").turns[0].text == "Café ?"


def test_utf16_with_bom(tmp_path):
    (tmp_path / "u16.txt").write_bytes("Q: Bonjour\nR: Oui\n".encode("utf-16"))
    interview = only(tmp_path / "u16.txt")
    assert summary(interview)[1] == ("R", RESPONDENT, "Oui")
    assert any("utf-16" in w for w in interview.warnings)


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", bytes(range(256)) * 4])
def test_binary_txt_is_e103(tmp_path, data):
    (tmp_path / "image.txt").write_bytes(data)
    with pytest.raises(CorpusError) as info:
        read_corpus(tmp_path)
    assert "[E103]" in str(info.value) and "image.txt" in str(info.value)


def test_front_matter_must_be_a_mapping(tmp_path):
    (tmp_path / "a.md").write_text("---\n- a\n- b\n---\nQ: x\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"a\.md:2: \[E109\]"):
        read_corpus(tmp_path)
    (tmp_path / "a.md").write_text("---\narea: [unclosed\n---\nQ: x\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"\[E109\]"):
        read_corpus(tmp_path)
    (tmp_path / "a.md").write_text("---\narea: x\nQ: x\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"a\.md:1: \[E109\].*never closed"):
        read_corpus(tmp_path)


# --- documents -----------------------------------------------------------------

def test_docx_paragraphs_heading_and_labels(tmp_path):
    path = write_docx(tmp_path / "entretien.docx", [
        "Enquêtrice : Pouvez-vous vous présenter ?",
        "Animatrice : Je coordonne la cellule.",
        "Trois choses : des ateliers, un annuaire, un forum.",
        "",
        "Enquêtrice : Merci.",
        "Animatrice : Avec plaisir.",
    ], heading="Entretien avec l'animatrice")
    interview = only(path)
    assert interview.format == "docx"
    assert interview.text.startswith("# Entretien avec l'animatrice\n")
    assert summary(interview) == [
        ("Enquêtrice", INTERVIEWER, "Pouvez-vous vous présenter ?"),
        ("Animatrice", RESPONDENT, "Je coordonne la cellule.\nTrois choses : des ateliers, un annuaire, un forum."),
        ("Enquêtrice", INTERVIEWER, "Merci."),
        ("Animatrice", RESPONDENT, "Avec plaisir.")]


def test_docx_two_column_table_reads_as_labels(tmp_path):
    path = write_docx(tmp_path / "table.docx", [], table=[
        ("Q", "Qui êtes-vous ?"), ("R", "La conseillère."), ("Q", "Merci.")])
    assert summary(only(path)) == [("Q", INTERVIEWER, "Qui êtes-vous ?"),
                                   ("R", RESPONDENT, "La conseillère."), ("Q", INTERVIEWER, "Merci.")]


def test_docx_without_labels_one_turn_per_paragraph(tmp_path):
    path = write_docx(tmp_path / "notes.docx", ["Premier paragraphe.", "", "Deuxième.", "Troisième."])
    interview = only(path)
    assert [t.text for t in interview.turns] == ["Premier paragraphe.", "Deuxième.", "Troisième."]
    assert any(w.startswith("[W102]") for w in interview.warnings)


@pytest.mark.parametrize("content", [b"not a zip at all", b"PK\x03\x04 truncated"])
def test_broken_docx_is_e104(tmp_path, content):
    (tmp_path / "broken.docx").write_bytes(content)
    with pytest.raises(CorpusError, match=r"broken\.docx: \[E104\]"):
        read_corpus(tmp_path)


def test_docx_with_bad_xml_is_e104(tmp_path):
    import zipfile

    good = write_docx(tmp_path / "good.docx", ["Q: x"])
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(tmp_path / "bad.docx", "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, b"<w:document><broken" if item.filename == "word/document.xml" else data)
    good.unlink()
    with pytest.raises(CorpusError, match=r"bad\.docx: \[E104\]"):
        read_corpus(tmp_path)


def test_docx_that_unpacks_too_large_is_refused(tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "bomb.docx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * 210_000_000)
    assert (tmp_path / "bomb.docx").stat().st_size < 1_000_000
    with pytest.raises(CorpusError, match=r"bomb\.docx: \[E104\].*unpacks to"):
        read_corpus(tmp_path)


def test_odt_paragraphs_and_heading(tmp_path):
    path = write_odt(tmp_path / "entretien.odt", [
        "Q : Qui êtes-vous ?", "R : Le coordinateur.", "Suite de la réponse.", "Q : Merci."],
        heading="Titre")
    interview = only(path)
    assert interview.format == "odt"
    assert interview.text.startswith("# Titre\n")
    assert summary(interview) == [("Q", INTERVIEWER, "Qui êtes-vous ?"),
                                  ("R", RESPONDENT, "Le coordinateur.\nSuite de la réponse."),
                                  ("Q", INTERVIEWER, "Merci.")]


def test_broken_odt_is_e111(tmp_path):
    (tmp_path / "broken.odt").write_bytes(b"plain text")
    with pytest.raises(CorpusError, match=r"broken\.odt: \[E111\]"):
        read_corpus(tmp_path)


# --- subtitles -----------------------------------------------------------------

VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v Enquêteur>Bonjour, vous pouvez vous présenter ?</v>

00:00:05.000 --> 00:00:07.000
<v Conseiller Cap emploi>Oui. Je suis conseiller</v>

00:00:07.500 --> 00:00:09.000
<v Conseiller Cap emploi>depuis <i>dix-sept</i> ans &amp; plus.</v>

00:00:09.500 --> 00:00:10.000
et sans voix, ça continue.

00:00:11.000 --> 00:00:12.000
<v.loud Enquêteur>Merci.
"""


def test_vtt_voice_tags_merge_consecutive_cues(tmp_path):
    (tmp_path / "cap.vtt").write_text(VTT, encoding="utf-8")
    interview = only(tmp_path / "cap.vtt")
    assert interview.format == "vtt"
    assert summary(interview) == [
        ("Enquêteur", INTERVIEWER, "Bonjour, vous pouvez vous présenter ?"),
        ("Conseiller Cap emploi", RESPONDENT,
         "Oui. Je suis conseiller depuis dix-sept ans & plus. et sans voix, ça continue."),
        ("Enquêteur", INTERVIEWER, "Merci.")]
    assert [t.timestamp for t in interview.turns] == ["00:00:01.000", "00:00:05.000", "00:00:11.000"]
    assert interview.text.startswith("Enquêteur: Bonjour, vous pouvez vous présenter ?\n\n"
                                     "Conseiller Cap emploi: Oui.")


def test_vtt_name_colon_cues(tmp_path):
    (tmp_path / "q.vtt").write_text(
        "WEBVTT\n\n00:01.000 --> 00:02.000\nQ: Bonjour ?\n\n00:02.500 --> 00:04.000\n"
        "Mme Garnier: Oui,\nbonjour.\n\n00:04.500 --> 00:05.000\nMme Garnier: Ensuite.\n", encoding="utf-8")
    interview = only(tmp_path / "q.vtt")
    assert summary(interview) == [("Q", INTERVIEWER, "Bonjour ?"),
                                  ("Mme Garnier", RESPONDENT, "Oui, bonjour. Ensuite.")]


def test_vtt_without_speakers_paragraphs_by_pause(tmp_path):
    (tmp_path / "n.vtt").write_text(
        "WEBVTT\n\n00:01.000 --> 00:02.000\nPremière phrase\n\n00:02.100 --> 00:03.000\nqui continue.\n\n"
        "00:08.000 --> 00:09.000\nAprès une pause.\n", encoding="utf-8")
    interview = only(tmp_path / "n.vtt")
    assert [t.text for t in interview.turns] == ["Première phrase qui continue.", "Après une pause."]
    assert any(w.startswith("[W102]") for w in interview.warnings)


def test_malformed_vtt_is_e111(tmp_path):
    (tmp_path / "bad.vtt").write_text("this is not webvtt\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"bad\.vtt: \[E111\]"):
        read_corpus(tmp_path)


SRT = """1
00:00:01,000 --> 00:00:03,000
Enquêtrice: Bonjour.

2
00:00:04,000 --> 00:00:06,500
Animatrice: On a monté
<i>un réseau</i>.

3
00:00:07,000 --> 00:00:08,000
Et des ateliers.

4
00:00:09,000 --> 00:00:10,000
Enquêtrice: Merci.

5
00:00:10,500 --> 00:00:11,000
Animatrice: Merci à vous.
"""


def test_srt_name_lines(tmp_path):
    (tmp_path / "a.srt").write_text(SRT, encoding="utf-8")
    interview = only(tmp_path / "a.srt")
    assert interview.format == "srt"
    assert summary(interview) == [("Enquêtrice", INTERVIEWER, "Bonjour."),
                                  ("Animatrice", RESPONDENT, "On a monté un réseau. Et des ateliers."),
                                  ("Enquêtrice", INTERVIEWER, "Merci."),
                                  ("Animatrice", RESPONDENT, "Merci à vous.")]
    assert interview.turns[1].timestamp == "00:00:04.000"
    assert interview.text.split("\n\n")[1].startswith("Animatrice: ")


def test_malformed_srt_is_e111(tmp_path):
    (tmp_path / "bad.srt").write_text("garbage\nhello\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"bad\.srt: \[E111\]"):
        read_corpus(tmp_path)

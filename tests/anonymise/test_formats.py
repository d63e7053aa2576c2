"""Each format of the anonymised copy: subtitles stay subtitles, documents become Markdown."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from qualcode.anonymise import (
    AnonymiseError,
    Anonymiser,
    anonymise_corpus,
    restore_folder,
)
from qualcode.corpus import read_corpus

VTT = """\
WEBVTT

NOTE recorded on Mme Garnier's phone

1
00:00:01.000 --> 00:00:04.000
Enquêtrice: Bonjour, vous travaillez avec qui ?

2
00:00:04.500 --> 00:00:09.000 align:start
Mme Garnier: Avec Karim Benali &amp; la mission locale,
à Saint-Aubin-de-Vaux.

00:00:09.500 --> 00:00:12.000
Enquêtrice: Et Ferrand Logistique ?

00:00:12.500 --> 00:00:15.000
Mme Garnier: <i>Ils</i> recrutent &lt;beaucoup&gt;.
"""

SRT = """\
1
00:00:01,000 --> 00:00:04,000
<v Enquêtrice>Vous connaissez Mme Garnier ?</v>

2
00:00:04,500 --> 00:00:09,000
<v Karim Benali>Oui, elle travaille à Saint-Aubin-de-Vaux, avec Pôle emploi.</v>

3
00:00:10,000 --> 00:00:12,000
<v Enquêtrice>Merci.</v> <v Karim Benali>De rien, Mme Garnier est formidable.</v>
"""

NAMES = ("Garnier", "Karim", "Benali", "Saint-Aubin-de-Vaux", "Ferrand")


def _same_turns(before, after):
    assert [(t.n, t.role) for t in after.turns] == [(t.n, t.role) for t in before.turns]


def _clean(text: str) -> bool:
    return not any(re.search(rf"\b{re.escape(n)}\b", text) for n in NAMES)


def _run(root: Path, tmp_path: Path, **options):
    corpus = read_corpus(root)
    result = anonymise_corpus(corpus, tmp_path / "out", map_path=tmp_path / "map.csv", **options)
    return corpus, result, read_corpus(result.out)


def test_subtitles_are_rewritten_in_their_own_format(tmp_path):
    root = tmp_path / "c"
    root.mkdir()
    (root / "a.vtt").write_text(VTT, encoding="utf-8")
    (root / "b.srt").write_text(SRT, encoding="utf-8")
    corpus, result, again = _run(root, tmp_path)
    vtt = (result.out / "a.vtt").read_text(encoding="utf-8")
    srt = (result.out / "b.srt").read_text(encoding="utf-8")
    assert _clean(vtt) and _clean(srt)
    assert "NOTE" not in vtt and vtt.startswith("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n")
    assert "00:00:12.500 --> 00:00:15.000\nMme PERSON 1: Ils recrutent &lt;beaucoup&gt;." in vtt
    assert srt.startswith("1\n00:00:01,000 --> 00:00:04,000\n<v Enquêtrice>Vous connaissez Mme [PERSON 1] ?</v>")
    assert "<v PERSON 2>De rien, Mme [PERSON 1] est formidable.</v>" in srt
    for before in corpus:
        after = again[before.id]
        _same_turns(before, after)
        assert [t.timestamp for t in after.turns] == [t.timestamp for t in before.turns]
    assert again["a"].turns[1].text == "Avec [PERSON 2] & la mission locale, à [PLACE 1]."
    restored = tmp_path / "restored"
    restore_folder(result.out, result.map_path, restored)
    back = read_corpus(restored)
    assert [back[i.id].text for i in corpus] == [i.text for i in corpus]


def test_word_processor_files_become_markdown_without_their_hidden_parts(tmp_path):
    import docx

    root = tmp_path / "c"
    root.mkdir()
    document = docx.Document()
    document.core_properties.author = "Mme Garnier"
    document.add_heading("Entretien avec Mme Garnier", level=1)
    for line in ("Enquêtrice : Bonjour.", "Mme Garnier : Je travaille avec Karim Benali.",
                 "Enquêtrice : Où ?", "Mme Garnier : À Saint-Aubin-de-Vaux, avec Pôle emploi."):
        document.add_paragraph(line)
    document.save(root / "entretien.docx")
    (root / "metadata.csv").write_text("file,area,role\nentretien.docx,nord,collègue de Karim Benali\n",
                                       encoding="utf-8")
    corpus, result, again = _run(root, tmp_path)
    assert sorted(result.files) == ["README.md", "entretien.md", "metadata.csv"]
    text = (result.out / "entretien.md").read_text(encoding="utf-8")
    assert _clean(text) and text.startswith("# Entretien avec Mme [PERSON 1]\n")
    _same_turns(corpus["entretien"], again["entretien"])
    assert again["entretien"].get("area") == "nord"
    assert again["entretien"].get("role") == "collègue de [PERSON 2]"
    table = (result.out / "metadata.csv").read_text(encoding="utf-8")
    assert table.splitlines()[1].startswith("entretien.md,entretien,nord,")


def test_an_unlabelled_document_keeps_one_turn_per_paragraph(tmp_path):
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    root = tmp_path / "c"
    root.mkdir()
    document = OpenDocumentText()
    for line in ("Je travaille avec Karim Benali depuis longtemps.", "", "", "Il habite à Saint-Aubin-de-Vaux.",
                 "Mme Garnier le connaît aussi."):
        document.text.addElement(P(text=line))
    document.save(str(root / "notes.odt"))
    corpus, result, again = _run(root, tmp_path)
    assert len(corpus["notes"].turns) == 3
    _same_turns(corpus["notes"], again["notes"])
    assert _clean((result.out / "notes.md").read_text(encoding="utf-8"))


def test_a_name_split_by_a_line_break_inside_a_turn_is_replaced(tmp_path):
    root = tmp_path / "c"
    root.mkdir()
    (root / "wrapped.txt").write_text(
        "Q : Qui vous aide ?\nR : Surtout Karim Benali, de Cap emploi. Il\nconnaît bien Karim\nBenali, son "
        "homonyme.\nQ : Merci.\nR : De rien.\n", encoding="utf-8")
    corpus, result, again = _run(root, tmp_path)
    assert _clean((result.out / "wrapped.txt").read_text(encoding="utf-8"))
    _same_turns(corpus["wrapped"], again["wrapped"])


def test_a_first_name_as_speaker_label(tmp_path):
    root = tmp_path / "c"
    root.mkdir()
    (root / "a.md").write_text("Enquêteur : Bonjour Nadège.\n\nNadège : Bonjour.\n\nEnquêteur : Vous êtes ?\n\n"
                               "Nadège : Conseillère, depuis 2010.\n", encoding="utf-8")
    corpus, _result, again = _run(root, tmp_path)
    assert [t.speaker for t in again["a"].turns] == ["Enquêteur", "PERSON 1", "Enquêteur", "PERSON 1"]
    assert again["a"].turns[0].text == "Bonjour [PERSON 1]."
    _same_turns(corpus["a"], again["a"])


def test_front_matter_values_that_yaml_would_misread_are_quoted(tmp_path):
    root = tmp_path / "c"
    root.mkdir()
    (root / "a.md").write_text(
        "---\nid: a\nlanguage: fr\nnote: Mme Garnier a relu\ntopics: [orientation, Karim Benali]\n"
        "interviewers: [Enquêtrice, Karim Benali]\n# relu par Karim Benali\n---\n"
        "Enquêtrice : Bonjour.\n\nKarim Benali : Bonjour, je connais Mme Garnier.\n\nEnquêtrice : Merci.\n",
        encoding="utf-8")
    corpus, result, again = _run(root, tmp_path)
    text = (result.out / "a.md").read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["note"] == "Mme [PERSON 1] a relu"
    assert front["topics"] == ["orientation", "[PERSON 2]"]
    assert front["interviewers"] == ["Enquêtrice", "PERSON 2"]
    assert "# relu par [PERSON 2]\n" in text
    assert [t.role for t in again["a"].turns] == [t.role for t in corpus["a"].turns]
    assert [t.speaker for t in again["a"].turns] == ["Enquêtrice", "PERSON 2", "Enquêtrice"]


def test_two_files_that_would_collide_are_refused(tmp_path):
    import docx

    root = tmp_path / "c"
    root.mkdir()
    (root / "a.md").write_text("---\nid: a1\n---\nQ : Oui ?\n\nR : Oui.\n", encoding="utf-8")
    document = docx.Document()
    document.add_paragraph("Q : Oui ?")
    document.add_paragraph("R : Non.")
    document.save(root / "a.docx")
    corpus = read_corpus(root)
    with pytest.raises(AnonymiseError, match=r"\[E707\] .*a.md"):
        anonymise_corpus(corpus, tmp_path / "out", anonymiser=Anonymiser([], []))
    assert not (tmp_path / "out").exists()


def test_a_name_never_joins_two_turns(tmp_path):
    """One turn per line (no labels, no blank line): "Karim" ends one turn, "Benali" opens the next."""
    root = tmp_path / "c"
    root.mkdir()
    (root / "lines.txt").write_text("Je travaille avec Karim Benali depuis 2019, et avec Karim\n"
                                    "Benali viendra demain à Saint-Aubin-de-Vaux.\n"
                                    "Mme Garnier aussi.\n", encoding="utf-8")
    corpus, _result, again = _run(root, tmp_path)
    assert len(corpus["lines"].turns) == 3
    _same_turns(corpus["lines"], again["lines"])
    assert [t.text for t in again["lines"].turns][:2] == [
        "Je travaille avec [PERSON 1] depuis 2019, et avec [PERSON 1]",
        "[PERSON 1] viendra demain à [PLACE 1]."]


def test_an_interview_in_neither_language_is_still_anonymised(tmp_path):
    """An 'unknown' language is never coded, but its names must go all the same (French names pipeline)."""
    root = tmp_path / "c"
    root.mkdir()
    (root / "a.md").write_text("Q: Jó napot kívánok.\n\nR: Mme Garnier szerint a munkaügyi központ nagyon segít "
                               "nekünk, és Karim Benali is mindig ott van a találkozókon.\n", encoding="utf-8")
    corpus, result, again = _run(root, tmp_path)
    assert corpus["a"].language == "unknown"
    text = (result.out / "a.md").read_text(encoding="utf-8")
    assert "Garnier" not in text and "Benali" not in text
    assert again["a"].language == "unknown"  # read back as it was read: not written as a given language
    _same_turns(corpus["a"], again["a"])

"""Languages that are neither French nor English, and sources that are not interviews.

A Hungarian text must never be "detected 'fr'" and coded with the French
pipeline; a project of comments or papers, whose recurring titles look like
speaker labels, must not lose its text to a made-up interviewer.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.corpus import read_corpus
from qualcode.corpus.language import guess_language
from qualcode.corpus.turns import turns_from_text
from qualcode.errors import CorpusError

HUNGARIAN = ("Q: Hol dolgozik?\n"
             "R: Ez egy hosszú magyar szöveg, amely arról szól, hogy a tanácsadás hogyan működik a "
             "régióban, és mit gondolnak az emberek a szolgáltatásról. Nem mindig könnyű, de van "
             "egy jó csapat, és a munka érdekes.\n")
SPANISH = ("Q: ¿Dónde trabaja?\n"
           "R: El servicio de empleo es muy bueno, pero los usuarios no tienen tiempo para ir a la "
           "oficina que está lejos, y por eso hay una cita por teléfono cada mes.\n")
FRENCH = "Q : Et vous ?\nR : On travaille avec la mission locale depuis longtemps, et ça se passe bien.\n"
ENGLISH = "Q: And you?\nR: We work with the local hub, and it is going well for all of us.\n"
COMMENTS = ("Avis client :\nThe advice was helpful and clear, and the adviser listened.\n"
            "Avis client :\nI did not like the waiting time at all.\n"
            "Avis client :\nGood service, I found a training course.\n")
PAPER = ("Model 1: Fully unconditional model\nLevel 1 (teachers): the first level of the model.\n"
         "Model 2: Partially conditional model\nLevel 1: the same, with predictors.\n"
         "Model 3: Fully conditional model\n")


@pytest.mark.parametrize(("text", "expected"), [(HUNGARIAN, "unknown"), (SPANISH, "unknown"),
                                                (FRENCH, "fr"), (ENGLISH, "en")])
def test_language_can_be_unknown(text, expected):
    assert guess_language([text.split("R:", 1)[-1].split("R :", 1)[-1]]).language == expected


def test_an_unknown_language_is_warned_not_silently_french(tmp_path):
    (tmp_path / "hu.txt").write_text(HUNGARIAN, encoding="utf-8")
    corpus = read_corpus(tmp_path)
    interview = corpus["hu"]
    assert interview.language == "unknown" and interview.metadata["language"] == "unknown"
    assert interview.language_detected
    [warning] = [w for w in interview.warnings if w.startswith("[W109]")]
    assert "neither French nor English" in warning and "declare `language: fr` or `en`" in warning
    with pytest.raises(CorpusError, match="W109"):
        read_corpus(tmp_path, strict=True)


def test_an_unknown_language_is_coded_with_no_code_and_refused_with_strict(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "hu.txt").write_text("---\narea: nord\n---\n" + HUNGARIAN, encoding="utf-8")
    (corpus / "fr.txt").write_text("---\narea: nord\nlanguage: fr\n---\n"
                                   "Q : Et la cellule ?\nR : La cellule d'animation nous réunit chaque mois, "
                                   "avec France Travail et la mission locale.\n", encoding="utf-8")
    runner = CliRunner()
    done = runner.invoke(app, ["code", str(corpus), "--out", str(tmp_path / "out"), "--no-cache", "-q"])
    assert done.exit_code == 0, done.output
    import pandas as pd

    segments = pd.read_csv(tmp_path / "out" / "segments.csv")
    codings = pd.read_csv(tmp_path / "out" / "codings.csv")
    assert "hu#t2" in set(segments["segment_id"])  # listed...
    assert not codings["segment_id"].str.startswith("hu#").any()  # ...never matched
    assert codings["segment_id"].str.startswith("fr#").any()
    refused = runner.invoke(app, ["code", str(corpus), "--strict", "--no-cache", "-q"])
    assert refused.exit_code == 2 and "W109" in refused.output


def test_a_recurring_title_is_not_a_speaker_and_no_text_is_lost():
    parsed = turns_from_text(COMMENTS, 0)
    assert all(t.is_respondent and t.speaker == "" for t in parsed.turns)
    assert "The advice was helpful and clear, and the adviser listened." in [t.text for t in parsed.turns]
    [warning] = [w for w in parsed.warnings if w.startswith("[W110]")]
    assert "'Avis client'" in warning and "is the only one" in warning
    assert not any(w.startswith(("[W103]", "[W107]")) for w in parsed.warnings)


def test_labels_that_look_like_titles_or_dates_are_not_speakers():
    parsed = turns_from_text(PAPER, 0)
    assert all(t.is_respondent for t in parsed.turns)
    assert sum(len(t.text) for t in parsed.turns) >= len(PAPER.replace("\n", "")) - 5
    dated = turns_from_text("Lundi 12 mars :\nRéunion du comité.\nMardi 13 mars :\nRien.\n"
                            "Lundi 12 mars :\nSuite.\n", 0)
    assert any("(a date)" in w for w in dated.warnings)
    assert all(t.is_respondent for t in dated.turns)


def test_a_real_dialogue_keeps_its_speakers():
    text = "Enquêtrice : Bonjour ?\nMme Garnier : Oui, bonjour.\nEnquêtrice : Et alors ?\nMme Garnier : Rien.\n"
    parsed = turns_from_text(text, 0)
    assert [t.role for t in parsed.turns] == ["interviewer", "respondent"] * 2
    assert not any(w.startswith("[W110]") for w in parsed.warnings)


def test_read_as_turns_trusts_every_label():
    parsed = turns_from_text(COMMENTS, 0, reading="turns")
    assert {t.speaker for t in parsed.turns} == {"Avis client"}


@pytest.mark.parametrize("how", ["metadata", "option"])
def test_documents_read_as_paragraphs_or_whole(tmp_path, how):
    text = "Q: a question that is a title\n\nR: an answer\nthat goes on.\n\nNote: the end.\n"
    (tmp_path / "d.txt").write_text(("---\nread_as: paragraphs\n---\n" if how == "metadata" else "") + text,
                                    encoding="utf-8")
    corpus = read_corpus(tmp_path, read_as=None if how == "metadata" else "paragraph")
    turns = corpus["d"].turns
    assert [t.text for t in turns] == ["Q: a question that is a title", "R: an answer\nthat goes on.",
                                       "Note: the end."]
    assert all(t.is_respondent and t.speaker == "" for t in turns)
    assert not any("W102" in w for w in corpus["d"].warnings)  # declared, so not a surprise
    whole = read_corpus(tmp_path, read_as="document") if how == "option" else None
    if whole is not None:
        [turn] = whole["d"].turns
        assert turn.text == text.strip()


def test_an_invalid_read_as_is_one_clear_error(tmp_path):
    (tmp_path / "d.txt").write_text("---\nread_as: chapters\n---\nText.\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"E118.*'chapters'.*turns, paragraphs or document") as caught:
        read_corpus(tmp_path)
    assert caught.value.line == 2
    done = CliRunner().invoke(app, ["corpus", str(tmp_path), "--read-as", "pages"])
    assert done.exit_code == 2 and "E118" in done.output


def test_answers_too_short_to_tell_take_the_language_of_the_questions(tmp_path):
    (tmp_path / "a.md").write_text("Enquêteur : Bonjour Nadège.\n\nNadège : Bonjour.\n\nEnquêteur : Vous êtes ?\n\n"
                                   "Nadège : Conseillère, depuis 2010.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("Q: Hello.\n\nR: Fine.\n", encoding="utf-8")  # nothing to tell from
    corpus = read_corpus(tmp_path)
    assert corpus["a"].language == "fr" and any("[W104]" in w for w in corpus["a"].warnings)
    assert corpus["b"].language == "unknown" and any("[W109]" in w for w in corpus["b"].warnings)

"""Speaker-turn parsing: labels, roles, numbering and exact offsets (DESIGN.md)."""

from __future__ import annotations

import time

import pytest

from qualcode.corpus.labels import match_label
from qualcode.corpus.model import INTERVIEWER, RESPONDENT
from qualcode.corpus.turns import turns_from_text


def parse(text: str, interviewers=None, start: int = 0):
    parsed = turns_from_text(text, start, interviewers)
    for turn in parsed.turns:
        assert parsed.text[turn.start:turn.end] == turn.text
        assert turn.text == turn.text.strip()
    assert [t.n for t in parsed.turns] == list(range(1, len(parsed.turns) + 1))
    return parsed


def codes(parsed) -> list[str]:
    return [w.split("]")[0].lstrip("[") for w in parsed.warnings]


@pytest.mark.parametrize("line, label, timestamp", [
    ("Enquêtrice : Est-ce que", "Enquêtrice", None),
    ("Q: why", "Q", None),
    ("CONSEILLÈRE MISSION LOCALE : oui", "CONSEILLÈRE MISSION LOCALE", None),
    ("**R :** oui", "R", None),
    ("**R** : oui", "R", None),
    ("__R__ : oui", "R", None),
    ("Mme Garnier : bon", "Mme Garnier", None),
    ("[00:12:31] Q: x", "Q", "00:12:31"),
    ("(12:31) R : y", "R", "12:31"),
    ("00:12:31 Enquêtrice : z", "Enquêtrice", "00:12:31"),
    ("Speaker 1 (00:05): hello", "Speaker 1", "00:05"),
    ("Répondant(e) : oui", "Répondant(e)", None),
    ("Int. : bonjour", "Int.", None),
    ("Enquêtrice\u00a0: espace insécable", "Enquêtrice", None),
])
def test_label_shapes(line, label, timestamp):
    candidate = match_label(line)
    assert candidate is not None
    assert (candidate.label, candidate.timestamp) == (label, timestamp)


@pytest.mark.parametrize("line", [
    "Mise en place d'une série de démarches : ateliers",  # six words
    "Une phrase vraiment beaucoup trop longue pour être un nom : x",
    "https://example.org/page",
    "12:31 : on commence",
    "- Q : liste",
])
def test_not_label_shapes(line):
    assert match_label(line) is None


def test_french_labels_roles_and_offsets():
    text = ("Enquêtrice : Bonjour, vous pouvez vous présenter ?\n\n"
            "Animatrice : Oui. Je coordonne le réseau,\ndepuis deux ans.\n\n"
            "Enquêtrice : Et ensuite ?\n"
            "Animatrice : On a monté des ateliers.\n")
    parsed = parse(text)
    assert [(t.speaker, t.role) for t in parsed.turns] == [
        ("Enquêtrice", INTERVIEWER), ("Animatrice", RESPONDENT),
        ("Enquêtrice", INTERVIEWER), ("Animatrice", RESPONDENT)]
    assert parsed.turns[1].text == "Oui. Je coordonne le réseau,\ndepuis deux ans."
    assert parsed.warnings == []


def test_prose_with_colon_is_not_a_label_in_labelled_text():
    text = ("Q: Qu'est-ce que la cellule a fait ?\n"
            "R: Trois choses : des ateliers, un annuaire, un forum.\n"
            "Mise en place d'une série de démarches : on a tout repris.\n"
            "Trois choses : voilà.\n"
            "Q: Merci.\n")
    parsed = parse(text)
    assert len(parsed.turns) == 3
    assert parsed.turns[1].text.startswith("Trois choses : des ateliers")
    assert parsed.turns[1].text.endswith("Trois choses : voilà.")


def test_recurring_prose_opener_is_not_a_label():
    text = ("Q: Des exemples ?\nR: Oui.\nPar exemple : le forum.\nPar exemple : l'annuaire.\n")
    parsed = parse(text)
    assert [t.speaker for t in parsed.turns] == ["Q", "R"]
    assert "Par exemple : l'annuaire." in parsed.turns[1].text


def test_prose_with_colon_in_unlabelled_text():
    text = ("Trois choses : des ateliers, un annuaire.\n\n"
            "Mise en place d'une série de démarches : beaucoup de travail.\n")
    parsed = parse(text)
    assert len(parsed.turns) == 2
    assert all(t.role == RESPONDENT and t.speaker == "" for t in parsed.turns)
    assert codes(parsed) == ["W102"]


def test_unlabelled_text_one_turn_per_paragraph_blocks_and_lines():
    blocks = parse("Premier paragraphe,\nsur deux lignes.\n\nDeuxième.\n\n\nTroisième.\n")
    assert [t.text for t in blocks.turns] == ["Premier paragraphe,\nsur deux lignes.", "Deuxième.",
                                              "Troisième."]
    lines = parse("Une ligne.\nUne autre.\n")
    assert [t.text for t in lines.turns] == ["Une ligne.", "Une autre."]


def test_bold_and_timestamped_labels():
    text = ("**Enquêteur :** Vous êtes là depuis quand ?\n\n"
            "**Mme Garnier** : Depuis 2019.\n\n"
            "[00:12:31] **Enquêteur :** Et avant ?\n\n"
            "(12:40) Mme Garnier : J'étais *ailleurs*.\n")
    parsed = parse(text)
    assert [(t.speaker, t.role, t.timestamp) for t in parsed.turns] == [
        ("Enquêteur", INTERVIEWER, None), ("Mme Garnier", RESPONDENT, None),
        ("Enquêteur", INTERVIEWER, "00:12:31"), ("Mme Garnier", RESPONDENT, "12:40")]
    assert parsed.turns[1].text == "Depuis 2019."
    assert parsed.turns[3].text == "J'étais *ailleurs*."


def test_job_titles_are_respondents():
    text = ("Enquêtrice : Bonjour.\nCoordinateur : Bonjour.\nChargée de mission : Oui.\n"
            "Enquêtrice : Merci.\nCoordinateur : De rien.\nChargée de mission : Au revoir.\n")
    parsed = parse(text)
    roles = {t.speaker: t.role for t in parsed.turns}
    assert roles == {"Enquêtrice": INTERVIEWER, "Coordinateur": RESPONDENT,
                     "Chargée de mission": RESPONDENT}


def test_labels_match_case_and_accent_insensitively():
    parsed = parse("ENQUETRICE : Bonjour.\nM. Achard : Oui.\nenquêtrice : Et ?\nM. Achard : Non.\n")
    assert [t.role for t in parsed.turns] == [INTERVIEWER, RESPONDENT, INTERVIEWER, RESPONDENT]
    assert {t.speaker for t in parsed.turns} == {"ENQUETRICE", "M. Achard"}


def test_first_speaker_fallback_warns():
    parsed = parse("Marie : Bonjour.\nAnimatrice : Bonjour.\nMarie : Merci.\nAnimatrice : Oui.\n")
    assert [t.role for t in parsed.turns] == [INTERVIEWER, RESPONDENT, INTERVIEWER, RESPONDENT]
    assert codes(parsed) == ["W103"]
    assert "'Marie'" in parsed.warnings[0]


def test_given_interviewers_replace_the_default_list():
    text = "Q: Bonjour.\nMarie : Bonjour.\nQ: Merci.\nMarie : Oui.\n"
    parsed = parse(text, interviewers=["Marie"])
    assert [t.role for t in parsed.turns] == [RESPONDENT, INTERVIEWER, RESPONDENT, INTERVIEWER]


def test_known_labels_need_not_recur_and_numbered_ones_are_known():
    parsed = parse("Interviewer: One question?\nSpeaker 2: One answer.\n")
    assert [(t.speaker, t.role) for t in parsed.turns] == [("Interviewer", INTERVIEWER),
                                                          ("Speaker 2", RESPONDENT)]


def test_only_respondent_labels_warns_w108():
    parsed = parse("R: Un.\nA: Deux.\n")
    assert all(t.role == RESPONDENT for t in parsed.turns)
    assert codes(parsed) == ["W108"]


def test_heading_and_preamble_belong_to_no_turn():
    text = ("# Entretien à Lisère\n\nEntretien réalisé le 5 mars.\n\n"
            "Q: Bonjour.\n\n## Partie 2 : les partenaires\n\nSuite de la question.\n\nR: Oui.\n")
    parsed = parse(text)
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        ("Q", "Bonjour."), ("Q", "Suite de la question."), ("R", "Oui.")]
    assert codes(parsed) == ["W107"]
    assert "5 word(s)" in parsed.warnings[0]


def test_body_start_skips_front_matter_and_empty_turns_are_dropped():
    text = "---\nid: x\n---\nQ:\nR: Oui.\n"
    parsed = parse(text, start=len("---\nid: x\n---\n"))
    assert [t.text for t in parsed.turns] == ["Oui."]
    assert parsed.turns[0].n == 1


def test_label_on_its_own_line_takes_the_next_lines():
    parsed = parse("Interviewer (00:01):\nHello there.\n\nRespondent (00:05):\nHi.\n")
    assert [(t.speaker, t.text, t.timestamp) for t in parsed.turns] == [
        ("Interviewer", "Hello there.", "00:01"), ("Respondent", "Hi.", "00:05")]


def test_no_respondent_turn_warns_w105():
    assert "W105" in codes(parse("Q: Une question ?\nQ: Une autre ?\n"))
    assert codes(parse("")) == ["W105"]


def test_huge_single_line_is_fast():
    text = "Q: " + "a" * 5_000_000 + ": " + "b " * 1_000_000
    started = time.perf_counter()
    parsed = turns_from_text(text, 0)
    assert time.perf_counter() - started < 5
    assert len(parsed.turns) == 1


def test_an_unknown_label_used_once_stays_in_the_previous_turn():
    parsed = parse("Q: Qui intervient ?\nR: Moi.\nDirectrice : Et moi aussi.\nQ: Merci.\nR: Bien.\n")
    assert [t.speaker for t in parsed.turns] == ["Q", "R", "Q", "R"]
    assert parsed.turns[1].text == "Moi.\nDirectrice : Et moi aussi."


def test_one_off_respondent_label_after_a_question_opens_a_turn():
    text = ("Interviewer: How long have you worked here?\n\n"
            "Adviser: Twelve years, mostly with young people.\n\n"
            "Interviewer: Thank you.\n")
    parsed = turns_from_text(text, 0)
    assert [(t.speaker, t.role) for t in parsed.turns] == [
        ("Interviewer", "interviewer"), ("Adviser", "respondent"), ("Interviewer", "interviewer")]
    assert parsed.turns[1].text == "Twelve years, mostly with young people."


def test_one_off_prose_colon_inside_an_answer_stays_prose():
    text = ("Enquêtrice : Et les freins ?\n\n"
            "Conseillère : Il y en a beaucoup.\n\n"
            "Trois choses : la mobilité, le logement, l'argent.\n\n"
            "Enquêtrice : Merci.\n\n"
            "Conseillère : Je vous en prie.\n")
    parsed = turns_from_text(text, 0)
    assert len(parsed.turns) == 4
    assert "Trois choses : la mobilité" in parsed.turns[1].text

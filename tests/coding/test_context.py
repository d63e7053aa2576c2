"""What the words around a match say of it, on real pipelines, in French and English.

Each mechanism of `qualcode.coding.context` and `qualcode.coding.matchers`
is checked on whole interviews read by the corpus reader: a past that ended
(also from the next sentence), wishes and plans, a rejected echo and a
rejected question, `unless` and `near` conditions, short names after a full
name, local names from the metadata, and actors that count when denied.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.codebook import load_codebook
from qualcode.coding.engine import code_corpus
from qualcode.corpus import read_corpus
from qualcode.errors import CodingError
from support.paths import TESTS_DATA

CONTEXT = TESTS_DATA / "codebooks" / "context.yaml"


@pytest.fixture(scope="module")
def book():
    return load_codebook(CONTEXT)


def _code(tmp_path: Path, book, text: str, *, lang: str = "fr", front: str = ""):
    """Code one interview; {segment id: {code: status}} for its respondent turns, and the codings."""
    folder = tmp_path / "corpus"
    folder.mkdir(exist_ok=True)
    label = "Enquêteur :" if lang == "fr" else "Interviewer:"
    body = "\n\n".join(line.replace("Q:", label, 1) for line in text.strip().split("\n\n"))
    (folder / "a.md").write_text(f"---\nid: a\narea: x\nlanguage: {lang}\n{front}---\n{body}\n", encoding="utf-8")
    codings = code_corpus(read_corpus(folder), book, cache_dir=False)
    found: dict[str, dict[str, str]] = {}
    for row in codings.codings.itertuples(index=False):
        found.setdefault(row.segment_id, {})[row.code] = row.status
    return found, codings


def _counted(codings) -> set[tuple[str, str]]:
    applied = codings.applied("theme")
    return set(zip(applied["segment_id"], applied["code"]))


# --- a past that ended --------------------------------------------------------------------

def test_a_past_that_the_next_sentence_ends_is_historical(tmp_path, book):
    found, codings = _code(tmp_path, book, """
Q: Et la coordination ?

R : Il y avait une cellule d'animation. Et puis c'est tombé, en 2022.

Q: Et maintenant ?

R : Il y a une cellule d'animation, elle marche bien.
""")
    assert found["a#t2"]["local_guidance_service"] == "historical"
    assert found["a#t4"]["local_guidance_service"] == "present"
    # the codebook maps a past cell to the region's withdrawal
    assert ("a#t2", "regional_withdrawal") in _counted(codings)


def test_a_past_without_an_end_stays_present(tmp_path, book):
    found, _ = _code(tmp_path, book, """
Q: Comment ça a commencé ?

R : Il y avait une cellule d'animation dès 2016, et on s'y retrouve toujours.
""")
    assert found["a#t2"]["local_guidance_service"] == "present"


def test_english_past_that_ended(tmp_path, book):
    found, _ = _code(tmp_path, book, """
Q: And local coordination?

A: There was a local guidance hub in town. Then it was cut, two years ago.
""", lang="en")
    assert found["a#t2"]["local_guidance_service"] == "historical"


# --- wishes and plans -------------------------------------------------------------------

@pytest.mark.parametrize("answer", ["On voudrait une cellule d'animation, un jour.",
                                    "Si on avait une cellule d'animation, ce serait plus simple."])
def test_a_wish_or_a_condition_is_hypothetical(tmp_path, book, answer):
    found, codings = _code(tmp_path, book, f"Q: Et la coordination ?\n\nR : {answer}")
    assert found["a#t2"]["local_guidance_service"] == "hypothetical"
    assert ("a#t2", "local_guidance_service") not in _counted(codings)


@pytest.mark.parametrize("pipeline", ["accurate", "fast"])
@pytest.mark.parametrize("answer", ["On organiserait une cellule d'animation avec eux.",
                                    "Nous monterions volontiers une cellule d'animation.",
                                    "Ils appelleraient ça une cellule d'animation, sans doute."])
def test_a_conditional_verb_is_hypothetical_in_both_french_pipelines(tmp_path, book, answer, pipeline):
    """The mood comes from the verb's form: neither the small model nor the blank pipeline tags these."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.md").write_text(f"---\nid: a\narea: x\nlanguage: fr\n---\nEnquêteur : Et la coordination ?\n\n"
                                 f"R : {answer}\n", encoding="utf-8")
    codings = code_corpus(read_corpus(folder), book, pipeline=pipeline, cache_dir=False)
    statuses = dict(zip(codings.codings["code"], codings.codings["status"]))
    assert statuses["local_guidance_service"] == "hypothetical"


@pytest.mark.parametrize("answer", ["On organisait une cellule d'animation avec eux.",
                                    "Je dirais que la cellule d'animation marche bien."])
def test_an_imperfect_or_a_hedge_is_not_a_conditional(tmp_path, book, answer):
    found, _ = _code(tmp_path, book, f"Q: Et la coordination ?\n\nR : {answer}")
    assert found["a#t2"]["local_guidance_service"] == "present"


def test_english_hopes_are_hypothetical(tmp_path, book):
    found, _ = _code(tmp_path, book, "Q: Any plans?\n\nA: We are hoping to set up a local committee next year.",
                     lang="en")
    assert found["a#t2"]["local_guidance_service"] == "hypothetical"


# --- rejected echoes and questions --------------------------------------------------------

def test_an_echo_the_respondent_rejects_is_rejected(tmp_path, book):
    found, codings = _code(tmp_path, book, """
Q: Diriez-vous que le CEP a permis de décloisonner ?

R : Décloisonner ? Pas vraiment, non. Chacun garde ses publics.
""")
    assert found["a#t2"]["decompartmentalisation"] == "rejected"
    assert ("a#t2", "decompartmentalisation") not in _counted(codings)


def test_an_echo_the_respondent_takes_up_is_present(tmp_path, book):
    found, _ = _code(tmp_path, book, """
Q: Diriez-vous que le CEP a permis de décloisonner ?

R : Décloisonner ? Oui, vraiment, on a arrêté de se renvoyer les gens.
""")
    assert found["a#t2"]["decompartmentalisation"] == "present"


def test_english_answer_that_rejects_the_question(tmp_path, book):
    found, _ = _code(tmp_path, book, """
Q: Did the reform break down the barriers between you?

A: Not really. Break down the barriers, that is a big word for what we do.
""", lang="en")
    assert found["a#t2"]["decompartmentalisation"] == "rejected"


def test_the_same_words_without_the_question_are_present(tmp_path, book):
    found, _ = _code(tmp_path, book, """
Q: What changed?

A: Not really much at first. Then we started to break down the barriers, slowly.
""", lang="en")
    assert found["a#t2"]["decompartmentalisation"] == "present"


# --- unless and near --------------------------------------------------------------------

@pytest.mark.parametrize("answer, counted", [
    ("La Région a arrêté de financer en 2022.", True),
    ("Même après le changement de majorité, la Région n'a rien arrêté.", False),
    ("Même après 2021 la Région a tout arrêté ? Non.", False),
])
def test_unless_cancels_a_match(tmp_path, book, answer, counted):
    _, codings = _code(tmp_path, book, f"Q: Et la Région ?\n\nR : {answer}")
    assert (("a#t2", "regional_withdrawal") in _counted(codings)) is counted


def test_english_unless(tmp_path, book):
    _, codings = _code(tmp_path, book, """
Q: And the Region?

A: The Region stopped nothing, it kept paying for the platform.

Q: Elsewhere?

A: In the north the Region stopped everything in 2022.
""", lang="en")
    assert _counted(codings) == {("a#t4", "regional_withdrawal")}


@pytest.mark.parametrize("answer, counted", [
    ("On se parle surtout pour le financement d'une formation.", True),
    ("Le financement du poste, c'est la com com.", False),
])
def test_near_words(tmp_path, book, answer, counted):
    _, codings = _code(tmp_path, book, f"Q: Vous échangez sur quoi ?\n\nR : {answer}")
    assert (("a#t2", "training_funding_exchanges") in _counted(codings)) is counted


def test_near_a_code_and_an_actor_with_order(tmp_path, book):
    _, codings = _code(tmp_path, book, """
Q: Qu'est-ce qui a changé ?

R : Avec le comité local on a de nouveaux partenaires.

Q: Et ailleurs ?

R : On a de nouveaux partenaires, c'est tout.

Q: Et Cap emploi ?

R : Cap emploi sont mieux connus maintenant.

Q: Et eux ?

R : Ils sont mieux connus que Cap emploi.
""")
    counted = {s for s, c in _counted(codings) if c == "partner_network_expansion"}
    assert counted == {"a#t2", "a#t6"}


# --- short names and local names -------------------------------------------------------

def test_a_short_name_counts_after_the_full_name(tmp_path, book):
    found, _ = _code(tmp_path, book, """
Q: La cellule, vous la connaissez ?

R : La cellule ? On m'en a parlé.

Q: Laquelle ?

R : La cellule d'animation du bassin. Elle a ouvert en 2019.

Q: Et aujourd'hui ?

R : La cellule nous réunit tous les mois.
""")
    assert "local_guidance_service" not in found.get("a#t2", {})  # before the full name: nothing
    assert found["a#t4"]["local_guidance_service"] == "present"
    assert found["a#t6"]["local_guidance_service"] == "present"


def test_a_full_name_said_by_the_interviewer_introduces_the_short_name(tmp_path, book):
    found, _ = _code(tmp_path, book, """
Q: Does the local guidance hub help you?

A: The hub? Yes, a lot: I meet everyone there.
""", lang="en")
    assert found["a#t2"]["local_guidance_service"] == "present"


def test_local_names_from_the_metadata(tmp_path, book):
    front = "alias.local_guidance_service: [le Carrefour, le comité de bassin]\nalias.cep_employees: Évolia\n"
    found, codings = _code(tmp_path, book, """
Q: Qui vous réunit ?

R : Le Carrefour, deux fois par an, avec Évolia et les autres.
""", front=front)
    assert found["a#t2"]["local_guidance_service"] == "present"
    actors = codings.applied("actor")
    assert ("a#t2", "cep_employees") in set(zip(actors["segment_id"], actors["code"]))


def test_a_local_name_for_an_unknown_code_is_an_error(tmp_path, book):
    with pytest.raises(CodingError, match=r"E307.*alias\.local_guidance_servce.*did you mean"):
        _code(tmp_path, book, "Q: Oui ?\n\nR : Oui.", front="alias.local_guidance_servce: le Carrefour\n")


# --- actors ---------------------------------------------------------------------------

def test_a_denied_provider_is_still_mentioned(tmp_path, book):
    found, codings = _code(tmp_path, book, """
Q: Et Cap emploi ?

R : On n'a pas de Cap emploi ici, il faut aller en ville.
""")
    assert found["a#t2"]["cap_emploi"] == "negated"
    actors = codings.applied("actor")
    assert ("a#t2", "cap_emploi") in set(zip(actors["segment_id"], actors["code"]))


# --- limits, pinned (docs/coding.md, "not handled") --------------------------------------

def test_limits_of_context(tmp_path, book):
    found, _ = _code(tmp_path, book, """
Q: Et la coordination ?

R : Une cellule d'animation ? Non.

Q: Et le reste ?

R : Il y avait une cellule d'animation. On se voyait. Tout le monde venait. Et puis c'est tombé.

Q: Et ensuite ?

R : On a parlé d'une cellule d'animation. Ça ne s'est jamais fait.
""")
    # a short question answered "Non" is a rejected echo, asked about or not
    assert found["a#t2"]["local_guidance_service"] == "rejected"
    # the end is three sentences away: the first sentence stays present
    assert found["a#t4"]["local_guidance_service"] == "present"
    # a denial in a later sentence is not read across
    assert found["a#t6"]["local_guidance_service"] == "present"


# --- elsewhere, then here ------------------------------------------------------------------

def test_another_area_set_against_this_one_counts_for_nothing(tmp_path, book):
    found, codings = _code(tmp_path, book, """
Q: Et la coordination ?

R : Là-bas, dans la vallée, ils ont un comité local. Ici, on n'a rien de tout ça.

Q: Et vous, vous y allez ?

R : Je vais là-bas tous les mardis, au comité local.
""")
    assert found["a#t2"]["local_guidance_service"] == "elsewhere"
    assert ("a#t2", "local_guidance_service") not in _counted(codings)
    # without a turn back to here, "là-bas" is only a place
    assert found["a#t4"]["local_guidance_service"] == "present"


def test_english_elsewhere(tmp_path, book):
    found, _ = _code(tmp_path, book, """
Q: Is there coordination?

A: Elsewhere they have a local committee, it works well. Here nothing like that.
""", lang="en")
    assert found["a#t2"]["local_guidance_service"] == "elsewhere"


def test_the_contrast_within_one_sentence(tmp_path, book):
    found, _ = _code(tmp_path, book, """
Q: Is there coordination?

A: Elsewhere they have a local committee; here nothing like that.

Q: And here?

A: Elsewhere they have nothing; here the local committee works well.
""", lang="en")
    # before the contrast: another area; after it, this one again
    assert found["a#t2"]["local_guidance_service"] == "elsewhere"
    assert found["a#t4"]["local_guidance_service"] == "present"


def test_a_longer_echo_is_still_an_echo(tmp_path, book):
    found, _ = _code(tmp_path, book, """
Q: Et entre vous ?

R : Décloisonner entre toutes les structures du bassin ? Pas vraiment.
""")
    assert found["a#t2"]["decompartmentalisation"] == "rejected"

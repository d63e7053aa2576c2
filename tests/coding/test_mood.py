"""The French conditional read from a verb's form and lemma, regular and irregular."""

from __future__ import annotations

import pytest

from qualcode.nlp.mood import is_conditional
from qualcode.nlp.pipelines import load_pipeline

CONDITIONALS = [
    ("aimerait", "aimer"), ("partagerions", "partager"), ("appelleraient", "appeler"),
    ("achèterait", "acheter"), ("emploierait", "employer"), ("prendrait", "prendre"),
    ("finirait", "finir"), ("serait", "être"), ("auraient", "avoir"), ("irait", "aller"),
    ("ferait", "faire"), ("pourrait", "pouvoir"), ("faudrait", "falloir"), ("obtiendrait", "obtenir"),
    ("enverrait", "envoyer"), ("verrait", "voir"), ("prévoirait", "prévoir"), ("recevrait", "recevoir"),
]
NOT_CONDITIONALS = [
    ("organisaient", "organiser"), ("organisions", "organiser"), ("tirait", "tirer"), ("durait", "durer"),
    ("ouvrait", "ouvrir"), ("avait", "avoir"), ("était", "être"), ("allait", "aller"),
    ("installait", "installer"), ("finissait", "finir"), ("voyait", "voir"), ("pouvait", "pouvoir"),
    ("organisera", "organiser"), ("portrait", "portrait"),
]


@pytest.mark.parametrize(("form", "lemma"), CONDITIONALS)
def test_conditionals_are_read_from_the_form(form, lemma):
    assert is_conditional(form, lemma)


@pytest.mark.parametrize(("form", "lemma"), NOT_CONDITIONALS)
def test_imperfects_futures_and_nouns_are_not_conditionals(form, lemma):
    assert not is_conditional(form, lemma)


@pytest.mark.parametrize("kind", ["accurate", "fast"])
def test_both_french_pipelines_set_the_mood(kind):
    doc = load_pipeline("fr", kind)("On aimerait relancer les réunions qu'on organisait avant.")
    moods = {t.text: t.morph.get("Mood") for t in doc}
    assert moods["aimerait"] == ["Cnd"]
    assert moods["organisait"] != ["Cnd"]

"""Names are tagged on strong evidence only, and the labelled set keeps its figures (issue 17).

A quote with a spurious tag ("[PERSON 1] un saisonnier type") is worse than
no quote: verbs at the start of a sentence, countries' people, products,
stand-ins and the codebook's own words are never names. The labelled
interviews of benchmarks/data/names are scored with the real French model;
docs/anonymisation.md gives the figures.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from qualcode.anonymise import Anonymiser
from qualcode.corpus import read_corpus
from support.paths import ROOT as REPO

ISSUE = """---
id: a
area: nord
language: fr
interviewers: [Enquêtrice]
---

Enquêtrice : Un exemple ?

Conseillère : Prenez un saisonnier type. Il a vu Mme Garnier à Montarel. Accepter un CDD, pour lui, c'est \
pas évident. On l'a inscrit sur l'Emploi Store, il a passé le Certiphyto. Monsieur Untel arrive sans \
rendez-vous. Il y a des Bulgares et des Marocains dans les vergers. Karim Benali m'a appelée, puis \
Sandrine Colin. Je travaille avec Lucas ; Lucas connaît les employeurs. On attend le Zeppelin municipal.
"""


@pytest.fixture(scope="module")
def issue_text(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("precision")
    (folder / "a.md").write_text(ISSUE, encoding="utf-8")
    corpus = read_corpus(folder)
    codebook = REPO / "tests" / "data" / "codebooks" / "report.yaml"  # its pattern: "zeppelin municipal"
    return Anonymiser.from_corpus(corpus, codebook=codebook).apply(corpus["a"].text)


@pytest.mark.parametrize("word", ["Prenez", "Accepter", "Emploi Store", "Certiphyto", "Monsieur Untel",
                                  "Bulgares", "Marocains", "Zeppelin"])
def test_ordinary_words_stay(issue_text, word):
    assert word in issue_text, issue_text


@pytest.mark.parametrize("name", ["Garnier", "Karim", "Benali", "Sandrine", "Colin", "Lucas", "Montarel"])
def test_names_are_still_replaced(issue_text, name):
    assert name not in issue_text, issue_text


def _accuracy():
    path = REPO / "benchmarks" / "anonymise_accuracy.py"
    spec = importlib.util.spec_from_file_location("anonymise_accuracy", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # its dataclasses look their module up there
    spec.loader.exec_module(sys.modules[spec.name])
    module = sys.modules[spec.name]
    return module


def test_labelled_set_recall_and_precision():
    """The figures of docs/anonymisation.md: people's names recall >= 0.95, precision >= 0.95."""
    accuracy = _accuracy()
    scores = accuracy.score()
    assert scores.people >= 30 and scores.names > scores.people
    assert scores.person_recall >= 0.95, scores
    assert scores.precision >= 0.95, scores
    reported = {"Prenez", "Accepter", "Store", "Certiphyto", "Untel", "Bulgares", "Marocains", "Take",
                "Accepting", "Bulgarians", "Moroccans", "Portugais", "Portuguese", "Voyez", "Entretien"}
    assert not reported & set(scores.ordinary_tagged), scores.ordinary_tagged


def test_unmark_keeps_offsets():
    accuracy = _accuracy()
    plain, gold = accuracy.unmark("Vu [[Karim]] à [[Montarel|PLACE]], {{Prenez}}.", "x")
    assert plain == "Vu Karim à Montarel, Prenez."
    assert [(plain[g.start:g.end], g.category) for g in gold] == [("Karim", "PERSON"), ("Montarel", "PLACE"),
                                                                 ("Prenez", "")]
    assert Path(accuracy.HERE, "labelled_fr.md").is_file()

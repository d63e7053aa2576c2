"""`export iramuteq`: starred lines with safe variables, then the respondents' text."""

from __future__ import annotations

import pytest

from qualcode.interop.iramuteq import (
    clean_text,
    export_iramuteq,
    modality,
    variable_name,
)
from support.interop import coded_results


@pytest.fixture(scope="module")
def corpus_text(tmp_path_factory):
    out = tmp_path_factory.mktemp("ira") / "corpus.txt"
    export = export_iramuteq(coded_results()[0], out)
    return export, out.read_bytes()


def test_one_starred_line_per_interview_with_safe_variables(corpus_text):
    export, data = corpus_text
    text = data.decode("utf-8")
    lines = [line for line in text.split("\n") if line.startswith("****")]
    assert lines == [
        "**** *id_a1 *area_nord *region_hauts_plateaux *provider_pole_emploi *language_fr *cohort_ete_2024",
        "**** *id_a2 *area_nord *region_hauts_plateaux *provider_apec *language_fr *cohort_ete_2024",
        "**** *id_b1 *area_sud *region_bas_pays *provider_mission_locale *language_fr *cohort_hiver_2023",
    ]
    assert export.interviews == 3 and export.turns == 4
    assert export.variables == ["area", "region", "provider", "language", "cohort"]


def test_only_respondent_text_follows_separated_by_blank_lines(corpus_text):
    _, data = corpus_text
    text = data.decode("utf-8")
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data
    first = text.split("**** ")[1]
    body = first.split("\n", 1)[1].strip()
    assert body.split("\n\n") == [
        "On a un annuaire commun 😀 et une plateforme téléphonique. Avec France Travail on se parle souvent.",
        "La cellule d'animation a été supprimée en 2022. 🎉 Depuis, on n'a pas d'annuaire commun avec la mission locale.",
    ]
    assert "Enquêtrice" not in text and "Comment travaillez-vous" not in text
    assert "Entretien" not in text  # headings are no turn


def test_no_line_of_text_can_be_read_as_markup():
    assert clean_text("**gras** et _rire_ puis\n-*theme\n\n\n\nfin") == "gras et rire puis\n- theme\n\nfin"
    assert "*" not in clean_text("**** *id_x")


@pytest.mark.parametrize("value, expected", [
    ("Pôle emploi", "pole_emploi"), ("Été 2024", "ete_2024"), ("2024-03-05", "2024_03_05"),
    ("  CAP Emploi / Agefiph ", "cap_emploi_agefiph"), ("œuvre", "oeuvre"), ("   ", ""),
])
def test_modalities_are_lower_case_ascii(value, expected):
    assert modality(value) == expected


def test_variable_names_have_no_underscore():
    assert variable_name("age_group") == "agegroup"
    assert variable_name("Région") == "region"

"""The bundled codebook (src/qualcode/codebooks/cep_cooperation.yaml) covers THEMES.md.

The ids below are fixed by THEMES.md: other files, tests and reports refer
to them. Skipped until the bundled codebook lands.
"""

from __future__ import annotations

import pytest

from qualcode.cli import app
from qualcode.codebook import bundled_codebook_path, load_codebook
from support.paths import BUNDLED_CODEBOOK

pytestmark = pytest.mark.skipif(not BUNDLED_CODEBOOK.exists(),
                                reason="src/qualcode/codebooks/cep_cooperation.yaml is not written yet")

#: theme id -> group, from THEMES.md
THEMES = {
    "local_guidance_service": "regional_policy",
    "regional_support": "regional_policy",
    "regional_withdrawal": "regional_policy",
    "shared_tools": "shared_infrastructure",
    "joint_professional_development": "shared_infrastructure",
    "partner_network_expansion": "shared_infrastructure",
    "territorial_mismatch": "shared_infrastructure",
    "informal_bilateral_ties": "inter_provider_relations",
    "geographic_proximity": "inter_provider_relations",
    "compartmentalisation": "inter_provider_relations",
    "decompartmentalisation": "inter_provider_relations",
    "training_funding_exchanges": "inter_provider_relations",
    "economic_dynamism": "local_context",
    "economic_hardship": "local_context",
    "social_barriers": "local_context",
    "seasonal_economy": "local_context",
    "preexisting_partnership": "operational_partnership",
    "integrated_support_services": "operational_partnership",
    "shared_local_issue": "operational_partnership",
}
ACTORS = ["pole_emploi", "apec", "mission_locale", "cap_emploi", "cep_employees"]
#: configuration -> its typical themes, from THEMES.md
CONFIGURATIONS = {
    "C1": ["local_guidance_service", "regional_support", "shared_tools", "joint_professional_development",
           "partner_network_expansion", "territorial_mismatch", "economic_dynamism"],
    "C2": ["regional_withdrawal", "informal_bilateral_ties", "geographic_proximity", "compartmentalisation",
           "social_barriers", "economic_hardship", "training_funding_exchanges"],
    "C3": ["seasonal_economy", "shared_local_issue", "preexisting_partnership", "integrated_support_services",
           "decompartmentalisation"],
}


@pytest.fixture(scope="module")
def bundled():
    return load_codebook(None)


def test_codebook_bundled_validates(bundled):
    assert bundled_codebook_path().resolve() == BUNDLED_CODEBOOK.resolve()
    assert bundled.name == "cep_cooperation"
    assert bundled.languages == ["fr", "en"]
    assert bundled.warnings == []


def test_codebook_bundled_covers_every_theme(bundled):
    assert {code.id: code.group for code in bundled.codes if code.id in THEMES} == THEMES
    assert sorted(bundled.theme_ids) == sorted(THEMES)


def test_codebook_bundled_covers_every_actor(bundled):
    assert sorted(bundled.actor_ids) == sorted(ACTORS)


def test_codebook_bundled_configurations(bundled):
    assert bundled.configuration_ids == ["C1", "C2", "C3"]
    for configuration_id, typical in CONFIGURATIONS.items():
        indicators = bundled.configuration(configuration_id).indicators
        for theme in typical:
            assert indicators.get(theme, 0) > 0, (configuration_id, theme)
    assert bundled.decision is not None


def test_codebook_bundled_has_negation_cues(bundled):
    for lang in bundled.languages:
        assert bundled.negation[lang].cues, lang



@pytest.mark.parametrize(("text", "status"), [
    # a correction after a comma denies what follows it, not the place named before it
    ("On les reçoit à la maison des saisonniers, pas dans mon bureau.", "present"),
    ("On se retrouve à la maison des saisonniers, pas chez moi.", "present"),
    # a denial after a comma still reaches back when it is not a correction
    ("La maison des saisonniers, pas du tout, on n'y va jamais.", "negated"),
])
def test_codebook_bundled_a_correction_after_a_comma_points_forward(bundled, text, status):
    from qualcode.coding.engine import code_texts

    (found,) = code_texts([text], bundled, "fr")
    assert [(m.code, m.status) for m in found if m.kind == "theme"] == [("integrated_support_services", status)]

def test_codebook_bundled_export_lists_every_code(runner):
    result = runner.invoke(app, ["codebook", "export", "--format", "md"])
    assert result.exit_code == 0, result.output
    for theme in THEMES:
        assert f"#### `{theme}`: " in result.stdout, theme
    for actor in ACTORS:
        assert f"### `{actor}`: " in result.stdout, actor
    for configuration_id in CONFIGURATIONS:
        assert f"### `{configuration_id}`: " in result.stdout, configuration_id

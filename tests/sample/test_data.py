"""The sample corpus has the design it claims: what the demo and the docs rely on."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict

import pytest

from qualcode.cli import app
from qualcode.corpus import read_corpus
from support.paths import SAMPLE

FRENCH = SAMPLE / "cep_study"
ENGLISH = SAMPLE / "cep_study_en"
THEME_IDS = {
    "local_guidance_service", "regional_support", "regional_withdrawal", "shared_tools",
    "joint_professional_development", "partner_network_expansion", "territorial_mismatch",
    "informal_bilateral_ties", "geographic_proximity", "compartmentalisation",
    "decompartmentalisation", "training_funding_exchanges", "economic_dynamism",
    "economic_hardship", "social_barriers", "seasonal_economy", "preexisting_partnership",
    "integrated_support_services", "shared_local_issue",
}
PROVIDERS = {"pole_emploi", "apec", "mission_locale", "cap_emploi", "cep_employees"}


def _expected(folder):
    with open(folder / "expected.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def french():
    return read_corpus(FRENCH, required=("area", "region", "provider"))


def test_sample_design_six_areas_three_regions(french):
    areas = defaultdict(set)
    for interview in french:
        areas[interview.region].add(interview.area)
    assert len(areas) == 3
    assert all(len(a) == 2 for a in areas.values())
    per_area = Counter(i.area for i in french)
    assert sorted(per_area) == sorted(a for v in areas.values() for a in v)
    assert all(4 <= n <= 5 for n in per_area.values()), per_area


def test_sample_each_configuration_in_two_areas_of_different_regions(french):
    expected = _expected(FRENCH)
    region_of = {i.area: i.region for i in french}
    assert {row["area"] for row in expected} == set(region_of)
    by_config = defaultdict(list)
    for row in expected:
        assert row["region"] == region_of[row["area"]]
        by_config[row["configuration"]].append(row["region"])
    assert sorted(by_config) == ["C1", "C2", "C3"]
    for regions in by_config.values():
        assert len(regions) == 2 and len(set(regions)) == 2


def test_sample_interviews_are_realistic_in_size_and_speakers(french):
    for interview in french:
        providers_in_area = [i.provider for i in french if i.area == interview.area]
        assert len(providers_in_area) == len(set(providers_in_area)), interview.area
        assert interview.provider in PROVIDERS | {"institution"}
        words = sum(t.words for t in interview.turns)
        assert 850 <= words <= 1600, (interview.id, words)
        roles = Counter(t.role for t in interview.turns)
        assert roles["interviewer"] >= 5 and roles["respondent"] >= 5, interview.id


def test_sample_exercises_every_format_and_one_legacy_encoding(french):
    formats = Counter(i.format for i in french)
    assert formats["md"] >= 15
    assert formats["txt"] >= 4 and formats["docx"] >= 1 and formats["vtt"] >= 1
    assert (FRENCH / "metadata.csv").is_file()
    legacy = [i.id for i in french if any("W101" in w for w in i.warnings)]
    assert legacy == ["castelmont_cap_emploi"]


def test_sample_lists_with_no_warning_but_the_cp1252_one(runner):
    result = runner.invoke(app, ["corpus", str(FRENCH), "--json"])
    assert result.exit_code == 0
    import json

    records = json.loads(result.stdout)
    assert len(records) == 27
    warned = {r["id"]: r["warnings"] for r in records if r["warnings"]}
    assert list(warned) == ["castelmont_cap_emploi"]
    assert all("W101" in w for w in warned["castelmont_cap_emploi"])


def test_sample_english_subset():
    english = read_corpus(ENGLISH, required=("area",))
    assert {i.language for i in english} == {"en"}
    assert not [w for i in english for w in i.warnings]
    expected = _expected(ENGLISH)
    assert {row["area"] for row in expected} == {i.area for i in english}
    assert {row["configuration"] for row in expected} == {"C1", "C2", "C3"}
    assert all(n >= 4 for n in Counter(i.area for i in english).values())


def test_sample_human_coding_refers_to_known_respondent_segments(french):
    respondent = {i.segment_id(t.n) for i in french for t in i.respondent_turns}
    interviewer = {i.segment_id(t.n) for i in french for t in i.turns if not t.is_respondent}
    with open(SAMPLE / "human_coding.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and set(rows[0]) == {"segment", "code", "coder"}
    for row in rows:
        assert row["segment"] in respondent, row
        assert row["segment"] not in interviewer
        assert row["code"] in THEME_IDS, row
    coders = Counter(row["coder"] for row in rows)
    assert set(coders) == {"coder_a", "coder_b"}
    areas = {row["segment"].split("_")[0] for row in rows}
    assert areas == {"brevanne", "sorlin"}

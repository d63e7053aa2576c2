"""The development set reads as its README says: every part, every human row on a real respondent turn.

The accuracy figures in docs/validation.md rest on these files; a reader change
that split a turn differently would silently shift every segment id, so this
checks the ids the human coders wrote against the corpus as qualcode reads it.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from qualcode.codebook import load_codebook
from qualcode.corpus import read_corpus
from support.paths import ROOT

DEVSET = ROOT / "devset"
PARTS = {"tune": ("tune_themes.csv", "tune_actors.csv"), "holdout": ("holdout_themes.csv", "holdout_actors.csv"),
         "holdout2": ("holdout2_themes.csv", "holdout2_actors.csv")}
ACTORS = {"pole_emploi", "apec", "mission_locale", "cap_emploi", "cep_employees"}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("part", sorted(PARTS))
def test_devset_part_reads_and_the_human_rows_name_real_respondent_turns(part):
    corpus = read_corpus(DEVSET / part)
    respondent = {f"{i.id}#t{t.n}" for i in corpus for t in i.turns if t.is_respondent}
    areas = {i.get("area") for i in corpus}
    expected = {r["area"]: r["configuration"] for r in _rows(DEVSET / part / "expected.csv")}
    assert set(expected) == areas
    assert set(expected.values()) <= {"C1", "C2", "C3"}
    themes_file, actors_file = PARTS[part]
    themes = _rows(DEVSET / "human" / themes_file)
    actors = _rows(DEVSET / "human" / actors_file)
    assert {r["segment"] for r in themes} <= respondent
    assert {r["segment"] for r in actors} <= respondent
    assert {r["actor"] for r in actors} <= ACTORS
    assert {r["code"] for r in themes} <= set(load_codebook(None).theme_ids)
    # every area was coded: a part whose coding lost an area would measure the others only
    assert {next(a for a in areas if s.startswith(f"{a}_")) for s in {r["segment"] for r in themes}} == areas


def test_devset_folds_cover_the_tuning_areas():
    folds = {r["area"]: r["fold"] for r in _rows(DEVSET / "tune" / "folds.csv")}
    expected = {r["area"] for r in _rows(DEVSET / "tune" / "expected.csv")}
    assert set(folds) == expected
    assert set(folds.values()) == {"A", "B"}

"""The sample corpus classifies as it was written to: the study's result, reproduced.

The bundled codebook was written for the field, without reading the sample
transcripts; this test checks that the two, written apart, meet.
"""

from __future__ import annotations

import csv

import pytest

from qualcode.classification.classify import classify
from qualcode.codebook import load_codebook
from qualcode.coding.engine import code_corpus
from qualcode.corpus import read_corpus
from support.paths import SAMPLE


def _expected(folder):
    with open(folder / "expected.csv", encoding="utf-8", newline="") as handle:
        return {row["area"]: row["configuration"] for row in csv.DictReader(handle)}


@pytest.mark.parametrize("folder", ["cep_study", "cep_study_en"])
def test_sample_areas_get_their_configuration_stably(folder, tmp_path):
    corpus = read_corpus(SAMPLE / folder, required=("area",))
    codebook = load_codebook(None)
    codings = code_corpus(corpus, codebook, cache_dir=tmp_path / "cache")
    table = classify(codings, codebook).table.set_index("case")
    expected = _expected(SAMPLE / folder)
    assert dict(table["verdict"]) == expected
    for area in expected:
        assert table.at[area, "stability"] >= 0.75, (area, table.loc[area].to_dict())

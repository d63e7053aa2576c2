"""`qualcode words`: keyness finds what sets the configurations apart, and KWIC agrees with the coding."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

import qualcode
from qualcode.workflows.words import open_source
from support.paths import SAMPLE
from support.workbench import run


@pytest.fixture(scope="module")
def source(sample_results):
    return open_source(sample_results)


@pytest.fixture(scope="module")
def counted(source):
    return qualcode.word_counts(source)


def test_keyness_names_the_lemmas_of_each_configuration(source, counted):
    """C3 is the seasonal profile of the sample (its codebook's definition): its key lemmas say so."""
    assert source.by == "configuration"
    key = counted.keyness()
    c3 = key[(key["group"] == "C3") & (key["log_ratio"] > 0)].head(5)
    assert {"saison", "saisonnier"} <= set(c3["lemma"])
    assert (c3["p"] < 0.001).all()
    assert c3["covered"].all() and c3["codes"].str.contains("seasonal_economy").any()
    c1 = key[(key["group"] == "C1") & (key["log_ratio"] > 0)].head(5)
    assert "cellule" in set(c1["lemma"])  # C1: the area's local cell (cellule) at the heart of cooperation
    assert not key["covered"].all()  # some key lemmas no pattern holds: candidates for the codebook


def test_g2_and_log_ratio_of_one_lemma_by_hand(counted):
    key = counted.keyness()
    words = counted.words
    got = key[(key["group"] == "C3") & (key["lemma"] == "saison")].iloc[0]
    a = float(((words["group"] == "C3") & (words["lemma"] == "saison")).sum())
    b = float(((words["group"] != "C3") & (words["lemma"] == "saison")).sum())
    c, d = float((words["group"] == "C3").sum()), float((words["group"] != "C3").sum())
    e1, e2 = c * (a + b) / (c + d), d * (a + b) / (c + d)
    g2 = 2 * sum(o * math.log(o / e) for o, e in ((a, e1), (b, e2)) if o)
    assert (got["count"], got["others"]) == (a, b)
    assert got["g2"] == pytest.approx(g2)
    assert got["log_ratio"] == pytest.approx(math.log2((a / c) / ((b or 0.5) / d)))


def test_frequencies_count_every_respondent_word_once(counted):
    table = counted.frequencies()
    groups = sorted(counted.words["group"].unique())
    assert (table[groups].sum(axis=1) == table["total"]).all()
    assert table["total"].sum() == len(counted.words)
    assert table["total"].is_monotonic_decreasing


def test_kwic_finds_where_the_codebook_phrase_matched(sample_results, source):
    """Every match of 'fiche de liaison' in evidence.csv is a KWIC hit at the same offsets."""
    hits = qualcode.keywords_in_context(source, "fiche de liaison")
    evidence = pd.read_csv(sample_results / "evidence.csv", dtype=str, keep_default_na=False)
    matched = evidence[evidence["matched_text"].str.lower() == "fiche de liaison"]
    expected = {(s, int(a), int(b)) for s, a, b in zip(matched["segment_id"], matched["start"], matched["end"])}
    found = {(s, int(a), int(b)) for s, a, b in zip(hits["segment_id"], hits["start"], hits["end"])}
    assert expected and expected <= found
    assert all(m.lower() == "fiche de liaison" for m in hits["match"])
    _code, out, _ = run("segments", sample_results, "--code", "shared_tools", "--csv")
    from io import StringIO

    shown = pd.read_csv(StringIO(out), dtype=str)
    assert {s for s, _, _ in expected} <= set(shown["segment_id"])


def test_words_on_the_command_line_from_a_corpus_by_region(tmp_path):
    code, out, err = run("words", SAMPLE / "cep_study", "--by", "region", "--frequencies", "--json")
    assert code == 0, err
    rows = json.loads(out)
    assert {"lemma", "total", "haut_lisere", "nord_varenne", "val_dambre", "covered", "codes"} <= set(rows[0])
    code, out, err = run("words", SAMPLE / "cep_study", "--by", "region", "--kwic", "zzzqx")
    assert code == 0 and "[W463]" in err


@pytest.mark.parametrize("args, expected", [
    (["--by", "regoin"], "[E460] unknown attribute 'regoin' (did you mean 'region'?)"),
    (["--by", "provider", "--where", "provider=apec"], "[E476]"),
    (["--where", "provider=apex"], "(did you mean 'apec'?)"),
], ids=["by", "single-group", "where"])
def test_bad_groups_are_one_line_and_exit_2(sample_results, args, expected):
    code, out, err = run("words", sample_results, *args)
    assert code == 2 and out == "" and expected in err and len(err.strip().splitlines()) == 1

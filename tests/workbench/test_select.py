"""`segments --where` and Boolean code queries, checked against segments.csv and evidence.csv read directly."""

from __future__ import annotations

from io import StringIO

import pandas as pd
import pytest

import qualcode
from qualcode.workbench.select import make_query
from qualcode.workbench.select import select_segments as select_ids
from qualcode.workbench.table import open_workbench
from support.paths import SAMPLE
from support.workbench import run


@pytest.fixture(scope="module")
def bench(sample_results):
    return open_workbench(sample_results)


@pytest.fixture(scope="module")
def tables(sample_results):
    segments = pd.read_csv(sample_results / "segments.csv", dtype=str, keep_default_na=False)
    evidence = pd.read_csv(sample_results / "evidence.csv", dtype=str, keep_default_na=False)
    providers = {i.id: str(i.metadata.get("provider")) for i in qualcode.read_corpus(SAMPLE / "cep_study")}
    return segments, evidence, providers


def _with(evidence: pd.DataFrame, code: str) -> set[str]:
    """Segments where the code counts (evidence.csv's `counts_for`), as a code query reads them."""
    return set(evidence.loc[evidence["counts_for"] == code, "segment_id"])


def test_where_keeps_only_the_segments_of_that_attribute_value(bench, tables):
    segments, _, providers = tables
    ids = select_ids(bench, make_query(["provider=apec"]))
    expected = [s for s, i in zip(segments["segment_id"], segments["interview_id"]) if providers[i] == "apec"]
    assert ids == expected and ids


def test_code_and_not_near_against_the_evidence(bench, tables):
    _segments, evidence, _providers = tables
    a, b, c = "shared_tools", "local_guidance_service", "regional_support"
    both = select_ids(bench, make_query((), a, [b]))
    assert set(both) == _with(evidence, a) & _with(evidence, b)
    but_not = select_ids(bench, make_query((), a, (), [c]))
    assert set(but_not) == _with(evidence, a) - _with(evidence, c)
    assert set(both) and set(but_not)
    turn = set(select_ids(bench, make_query((), a, near=b, within="turn")))
    assert set(both) <= turn  # turn units: the same turn is the same segment
    sentence = set(select_ids(bench, make_query((), a, near=b, within="sentence")))
    assert sentence <= turn
    close = set(select_ids(bench, make_query((), a, near=b, within="5")))
    wide = set(select_ids(bench, make_query((), a, near=b, within="400")))
    assert close <= wide <= set(both)


def test_segments_where_and_code_on_the_command_line(sample_results, tables):
    segments, evidence, providers = tables
    code, out, err = run("segments", sample_results, "--where", "provider=apec", "--code", "shared_tools",
                         "--not", "regional_support", "--csv")
    assert code == 0, err
    shown = pd.read_csv(StringIO(out), dtype=str)
    interview = dict(zip(segments["segment_id"], segments["interview_id"]))
    expected = {s for s in _with(evidence, "shared_tools") - _with(evidence, "regional_support")
                if providers[interview[s]] == "apec"}
    assert set(shown["segment_id"]) == expected and expected
    assert set(shown["code"]) == {"shared_tools"}


def test_an_empty_selection_warns_and_prints_nothing(sample_results):
    code, out, err = run("segments", sample_results, "--where", "provider=apec", "--where", "region=val_dambre",
                         "--code", "territorial_mismatch", "--and", "seasonal_economy")
    assert code == 0
    assert out == "" and "[W460] no segment matches" in err


@pytest.mark.parametrize("args, expected", [
    (["--where", "provder=apec"], "[E460] unknown attribute 'provder' (did you mean 'provider'?)"),
    (["--where", "speaker_role=respondant"], "(did you mean 'respondent'?)"),
    (["--code", "shared_tools", "--near", "regional_suport"], "(did you mean 'regional_support'?)"),
    (["--code", "shared_tools", "--near", "regional_support", "--within", "paragraph"], "[E467]"),
    (["--not", "shared_tools"], "[E466]"),
], ids=["attribute", "value", "near-code", "within", "not-alone"])
def test_bad_selections_are_one_line_and_exit_2(sample_results, args, expected):
    code, out, err = run("segments", sample_results, *args)
    assert code == 2 and out == ""
    assert expected in err and len(err.strip().splitlines()) == 1

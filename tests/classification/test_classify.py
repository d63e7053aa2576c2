"""Scoring, the decision rule, explanations and stability, on hand-built matrices."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from qualcode.classification.cases import CaseData
from qualcode.classification.classify import (
    DEFAULT_ANCHORS,
    INDETERMINATE,
    INSUFFICIENT,
    calibrate,
    classify,
    decision_rule,
)
from qualcode.classification.explain import QUOTE_LIMIT, quote, strongest_segments
from qualcode.errors import CodingError
from qualcode.results.classification import classification_json
from support.classification import book, matrix

ANCHORS = DEFAULT_ANCHORS["interviews"]  # 0 / 0.25 / 0.6


def row(result, case: str) -> dict:
    return result.table.set_index("case").loc[case].to_dict()


# --- calibration ------------------------------------------------------------------

@pytest.mark.parametrize("p, expected", [(0.0, 0.0), (0.25, 0.5), (0.6, 1.0), (0.9, 1.0), (-1, 0.0)])
def test_classify_calibration_anchors_give_0_half_and_1(p, expected):
    assert calibrate(p, ANCHORS) == pytest.approx(expected)


def test_classify_calibration_follows_ragins_log_odds():
    # a third of the way from the crossover to full membership: log odds 1
    p = 0.25 + (0.6 - 0.25) / 3
    low = 1 / (1 + math.exp(3))
    raw = 1 / (1 + math.exp(-1))
    assert calibrate(p, ANCHORS) == pytest.approx((raw - low) / (1 - 2 * low))
    # below the crossover the other slope applies
    assert calibrate(0.125, ANCHORS) == pytest.approx(1 - calibrate(0.25 + 0.175, ANCHORS))


def test_classify_calibration_is_monotonic():
    values = [calibrate(p / 100, ANCHORS) for p in range(0, 101)]
    assert values == sorted(values)
    assert all(0 <= v <= 1 for v in values)


def test_classify_calibration_anchors_come_from_the_codebook_or_the_call():
    m = matrix({"a": (4, {"x": 0.5})}, ["x"])
    configs = {"C1": {"x": 1}, "C2": {"y": 1}}
    as_list = classify(m, book(configs, calibration={"interviews": [0, 0.5, 0.9]}))
    assert as_list.rule.anchors == (0, 0.5, 0.9)
    assert row(as_list, "a")["score_C1"] == pytest.approx(0.5)
    as_map = classify(m, book(configs, calibration={"interviews": {"exclusion": 0, "crossover": 0.1,
                                                                  "inclusion": 0.5}}))
    assert row(as_map, "a")["score_C1"] == pytest.approx(1.0)
    called = classify(m, book(configs), calibration={"interviews": (0.0, 0.5, 1.0)})
    assert row(called, "a")["score_C1"] == pytest.approx(0.5)
    # a calibration for another measure leaves the defaults
    other = classify(m, book(configs, calibration={"words": [0, 0.5, 0.9]}))
    assert other.rule.anchors == ANCHORS


@pytest.mark.parametrize("anchors", [[0.3, 0.2, 0.6], [0, 0.25, 0.25], [0, 0.5, 1.2], ["a", 1, 2], [0, 1]])
def test_classify_bad_calibration_anchors_are_refused(anchors):
    with pytest.raises(CodingError, match="E415"):
        decision_rule(book({"C1": {"x": 1}}), calibration={"interviews": anchors})


# --- scores and verdicts ----------------------------------------------------------------

def test_classify_scores_are_weighted_shares_of_the_positive_profile():
    m = matrix({"a": (4, {"x": 0.75, "y": 0.25})}, ["x", "y", "z"])
    result = classify(m, book({"C1": {"x": 3, "y": 1}, "C2": {"z": 2, "y": 2}}))
    r = row(result, "a")
    assert r["score_C1"] == pytest.approx((3 * 1 + 1 * 0.5) / 4)
    assert r["score_C2"] == pytest.approx((2 * 0 + 2 * 0.5) / 4)
    assert (r["verdict"], r["runner_up"]) == ("C1", "C2")
    assert r["margin"] == pytest.approx(0.875 - 0.25)


def test_classify_negative_weights_subtract_and_scores_are_floored_at_zero():
    m = matrix({"a": (4, {"x": 1.0, "y": 0.6}), "b": (4, {"y": 1.0})}, ["x", "y"])
    result = classify(m, book({"C1": {"x": 2, "y": -1}, "C2": {"y": 1, "x": -3}}))
    assert row(result, "a")["score_C1"] == pytest.approx((2 - 1) / 2)
    assert row(result, "a")["score_C2"] == 0.0  # 1 - 3 < 0
    assert row(result, "b")["score_C1"] == 0.0
    assert row(result, "b")["verdict"] == "C2"


def test_classify_all_zero_case_is_indeterminate():
    m = matrix({"a": (5, {})}, ["x", "y"])
    r = row(classify(m, book({"C1": {"x": 1}, "C2": {"y": 1}}, min_score=0.0, min_margin=0.0)), "a")
    assert (r["verdict"], r["runner_up"], r["score_C1"], r["score_C2"], r["margin"]) == (
        INDETERMINATE, "C2", 0.0, 0.0, 0.0)


def test_classify_ties_are_ordered_by_codebook_but_never_decided():
    m = matrix({"a": (4, {"x": 1.0, "y": 1.0})}, ["x", "y"])
    result = classify(m, book({"C2": {"y": 1}, "C1": {"x": 1}}, min_margin=0.0))
    r = row(result, "a")
    assert (r["verdict"], r["runner_up"], r["margin"]) == (INDETERMINATE, "C1", 0.0)
    assert result.best["a"] == "C2"  # first in codebook order
    assert list(result.table.columns) == ["case", "interviews", "verdict", "runner_up", "score_C2",
                                          "score_C1", "margin", "stability"]


def test_classify_margin_exactly_at_the_threshold_passes():
    # scores 1.0 and 0.9: the margin is 0.09999999999999998 in floats, and 0.1 is the threshold
    m = matrix({"a": (4, {"x": 1.0})}, ["x", "z"])
    configs = {"C1": {"x": 1}, "C2": {"x": 9, "z": 1}}
    result = classify(m, book(configs, min_margin=0.1))
    r = row(result, "a")
    assert (r["score_C1"], r["score_C2"]) == (1.0, 0.9)
    assert r["verdict"] == "C1"
    assert row(classify(m, book(configs), margin=0.100001), "a")["verdict"] == INDETERMINATE


def test_classify_min_score_exactly_at_the_threshold_passes():
    m = matrix({"a": (4, {"x": 0.25})}, ["x", "y"])  # membership 0.5
    assert row(classify(m, book({"C1": {"x": 1}, "C2": {"y": 1}}, min_score=0.5)), "a")["verdict"] == "C1"
    assert row(classify(m, book({"C1": {"x": 1}, "C2": {"y": 1}}, min_score=0.500001)), "a")["verdict"] \
        == INDETERMINATE


def test_classify_too_few_interviews_is_insufficient_with_a_runner_up():
    m = matrix({"solo": (1, {"x": 1.0}), "pair": (2, {"x": 1.0})}, ["x", "y"])
    result = classify(m, book({"C1": {"x": 1}, "C2": {"y": 1}}, min_interviews=2))
    assert (row(result, "solo")["verdict"], row(result, "solo")["runner_up"]) == (INSUFFICIENT, "C2")
    assert row(result, "solo")["score_C1"] == 1.0  # still scored, for the record
    assert row(result, "pair")["verdict"] == "C1"
    assert row(classify(m, book({"C1": {"x": 1}, "C2": {"y": 1}}), min_interviews=1), "solo")["verdict"] == "C1"


def test_classify_single_configuration_has_no_runner_up():
    m = matrix({"a": (3, {"x": 1.0}), "b": (3, {})}, ["x"])
    result = classify(m, book({"C1": {"x": 1}}))
    assert (row(result, "a")["verdict"], row(result, "a")["runner_up"], row(result, "a")["margin"]) == (
        "C1", "", 1.0)
    assert row(result, "b")["verdict"] == INDETERMINATE


def test_classify_measure_picks_the_matrix_column():
    m = matrix({"a": (4, {"x": 0.15})}, ["x", "y"], share="segment_share")
    configs = {"C1": {"x": 1}, "C2": {"y": 1}}
    assert row(classify(m, book(configs)), "a")["score_C1"] == 0.0  # interview_share is 0
    by_segments = classify(m, book(configs), measure="segments")
    assert by_segments.rule.anchors == DEFAULT_ANCHORS["segments"]
    assert row(by_segments, "a")["score_C1"] == 1.0
    assert row(classify(m, book(configs, measure="segments")), "a")["verdict"] == "C1"


def test_classify_table_is_sorted_and_typed():
    m = matrix({"b": (3, {"x": 1.0}), "a": (3, {"y": 1.0})}, ["x", "y"])
    result = classify(m, book({"C1": {"x": 1}, "C2": {"y": 1}}))
    assert list(result.table["case"]) == ["a", "b"]
    assert result.table["interviews"].dtype == "int64"
    assert result.table["stability"].isna().all()  # no per-interview data: not computed
    assert result.evidence.empty and result.network.empty and result.runs.empty


def test_classify_reads_a_matrix_read_back_from_csv(tmp_path):
    from qualcode.results.frames import frame_to_csv, read_frame

    m = matrix({"a": (4, {"x": 0.5, "y": 0.25})}, ["x", "y"])
    (tmp_path / "case_matrix.csv").write_text(frame_to_csv(m), encoding="utf-8")
    back = read_frame(tmp_path, "case_matrix.csv")
    configs = book({"C1": {"x": 1}, "C2": {"y": 1}})
    pd.testing.assert_frame_equal(classify(back, configs).table, classify(m, configs).table)


@pytest.mark.parametrize("overrides, code", [
    ({"measure": "turns"}, "E414"), ({"min_score": 1.5}, "E416"), ({"margin": -0.1}, "E416"),
    ({"min_interviews": 0}, "E417"), ({"min_interviews": 2.5}, "E417"),
])
def test_classify_bad_rule_is_refused(overrides, code):
    m = matrix({"a": (3, {})}, ["x"])
    with pytest.raises(CodingError, match=code):
        classify(m, book({"C1": {"x": 1}}), **overrides)


def test_classify_needs_configurations_and_matrix_columns():
    m = matrix({"a": (3, {})}, ["x"])
    with pytest.raises(CodingError, match="E413"):
        classify(m, book({}))
    with pytest.raises(CodingError, match=r"E418.*case_interviews"):
        classify(m.drop(columns=["case_interviews"]), book({"C1": {"x": 1}}))


# --- explanation -----------------------------------------------------------------------------

def test_classify_contributions_add_up_to_the_scores():
    m = matrix({"a": (4, {"x": 0.5, "y": 0.25, "z": 1.0})}, ["x", "y", "z"])
    result = classify(m, book({"C1": {"x": 2, "y": 1, "z": -1}, "C2": {"z": 1, "y": 1}}))
    ex = result.explanations
    assert list(ex.columns) == ["case", "configuration", "code", "weight", "prevalence", "membership",
                                "contribution"]
    assert list(ex["code"]) == ["x", "y", "z", "z", "y"]  # codebook order of the indicators
    for config in ("C1", "C2"):
        parts = ex[ex["configuration"] == config]
        assert max(0.0, parts["contribution"].sum()) == pytest.approx(row(result, "a")[f"score_{config}"])
    z = ex[(ex["configuration"] == "C1") & (ex["code"] == "z")].iloc[0]
    assert z["contribution"] == pytest.approx(-1 / 3)


def test_classify_json_is_sorted_rounded_and_complete():
    m = matrix({"a": (3, {"x": 1 / 3})}, ["x", "y"])
    result = classify(m, book({"C1": {"x": 1}, "C2": {"y": 1}}))
    text = classification_json(result)
    data = json.loads(text)
    assert text == json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    case = data["cases"][0]
    assert set(result.table.columns) <= set(case)
    assert case["stability"] is None
    assert data["rule"]["anchors"] == {"exclusion": 0.0, "crossover": 0.25, "inclusion": 0.6}
    prevalence = case["explanation"]["C1"][0]["prevalence"]
    assert prevalence == round(1 / 3, 6)
    assert data["configurations"] == ["C1", "C2"] and data["columns"] == list(result.table.columns)


# --- stability ---------------------------------------------------------------------------------

def hand_data(interviews: dict[str, list[set[str]]], case: str = "A") -> CaseData:
    """A case whose interviews hold segments carrying the given codes."""
    segs, themes = [], []
    for iid, segments in interviews.items():
        for n, codes in enumerate(segments, 1):
            sid = f"{iid}#t{2 * n}"
            segs.append((sid, iid, case, 10, " ".join(sorted(codes)) or "nothing", 0))
            themes.extend((sid, code) for code in sorted(codes))
    return CaseData(pd.DataFrame(segs, columns=["segment_id", "interview_id", "case", "words", "text", "start"]),
                    pd.DataFrame(themes, columns=["segment_id", "code"]),
                    pd.DataFrame(columns=["segment_id", "code"]), None, ("a", "b"), "area")


def test_classify_stability_names_the_interview_that_decides():
    # 'a' is in one interview of four: membership 0.5, C1 wins; without i1 nothing is left
    data = hand_data({"i1": [{"a"}], "i2": [set()], "i3": [set()], "i4": [set()]})
    result = classify(data, book({"C1": {"a": 1}, "C2": {"b": 1}}))
    r = row(result, "A")
    assert r["verdict"] == "C1"
    assert r["stability"] == pytest.approx(0.75)
    assert result.unstable == {"A": ["i1"]}
    runs = result.runs.set_index("dropped")
    assert runs.loc["i1", "verdict"] == INDETERMINATE and not runs.loc["i1", "kept"]
    assert runs["interviews"].tolist() == [3, 3, 3, 3]


def test_classify_stability_of_a_robust_case_is_one():
    data = hand_data({"i1": [{"a"}], "i2": [{"a"}], "i3": [{"a"}, set()], "i4": [set()]})
    result = classify(data, book({"C1": {"a": 1}, "C2": {"b": 2}}))
    assert row(result, "A")["verdict"] == "C1"
    assert row(result, "A")["stability"] == 1.0
    assert result.unstable == {}


def test_classify_stability_is_not_testable_at_the_minimum():
    """Three interviews and a minimum of three: leaving one out can only give 'insufficient', which
    says nothing about the evidence; no run, no flag, stability NaN (not 0)."""
    data = hand_data({"i1": [{"a"}], "i2": [{"a"}], "i3": [{"a"}]})
    result = classify(data, book({"C1": {"a": 1}, "C2": {"b": 1}}, min_interviews=3))
    assert row(result, "A")["verdict"] == "C1"
    assert math.isnan(row(result, "A")["stability"])
    assert result.runs.empty and result.unstable == {}
    four = hand_data({"i1": [{"a"}], "i2": [{"a"}], "i3": [{"a"}], "i4": [{"a"}]})
    tested = classify(four, book({"C1": {"a": 1}, "C2": {"b": 1}}, min_interviews=3))
    assert row(tested, "A")["stability"] == 1.0 and len(tested.runs) == 4


def test_classify_flags_a_case_only_when_a_run_that_can_decide_changes_it():
    data = hand_data({"i1": [{"a"}], "i2": [set()], "i3": [set()], "i4": [set()]})
    result = classify(data, book({"C1": {"a": 1}, "C2": {"b": 1}}, min_interviews=3))
    assert row(result, "A")["verdict"] == "C1"  # one interview of four raises a: membership 0.5
    assert result.unstable == {"A": ["i1"]}
    assert set(result.runs["verdict"]) == {"C1", INDETERMINATE}
    assert row(result, "A")["stability"] == 0.75


def test_classify_single_interview_case():
    data = hand_data({"i1": [{"a"}]})
    result = classify(data, book({"C1": {"a": 1}, "C2": {"b": 1}}))
    assert row(result, "A")["verdict"] == "C1"
    assert math.isnan(row(result, "A")["stability"])  # without its only interview nothing can decide
    assert result.runs.empty
    strict = classify(data, book({"C1": {"a": 1}, "C2": {"b": 1}}, min_interviews=2))
    assert row(strict, "A")["verdict"] == INSUFFICIENT and math.isnan(row(strict, "A")["stability"])


# --- evidence ------------------------------------------------------------------------------------

def test_classify_evidence_prefers_segments_that_carry_several_codes():
    data = hand_data({"i1": [{"a"}, {"a", "b"}], "i2": [{"b"}], "i3": [{"c"}]})
    data = CaseData(data.segments, data.themes, data.actors, None, ("a", "b", "c"), "area")
    result = classify(data, book({"C1": {"a": 2, "b": 1}, "C2": {"c": 1}}))
    ev = result.evidence
    assert list(ev.columns) == ["case", "configuration", "rank", "segment_id", "interview_id", "codes",
                                "contribution", "quote", "statuses"]
    assert ev.iloc[0]["segment_id"] == "i1#t4" and ev.iloc[0]["codes"] == "a;b"
    assert set(ev["configuration"]) == {"C1"} and len(ev) <= 3
    assert "i3#t2" not in set(ev["segment_id"])  # no positive contribution to C1


def test_classify_evidence_of_an_indeterminate_case_is_for_the_closest_configuration():
    data = hand_data({"i1": [{"a"}], "i2": [{"b"}]})
    result = classify(data, book({"C1": {"a": 1}, "C2": {"b": 1}}))
    assert row(result, "A")["verdict"] == INDETERMINATE
    assert set(result.evidence["configuration"]) == {"C1"}


def test_classify_strongest_segments_spread_over_codes_first():
    segments = pd.DataFrame([("s1", "i1", "A", 5, "one", 0), ("s2", "i1", "A", 5, "two", 10),
                             ("s3", "i2", "A", 5, "three", 20)],
                            columns=["segment_id", "interview_id", "case", "words", "text", "start"])
    themes = pd.DataFrame([("s1", "a"), ("s2", "a"), ("s3", "b")], columns=["segment_id", "code"])
    picked = strongest_segments(segments, themes, None, {"a": 0.5, "b": 0.2}, limit=2)
    assert [p["segment_id"] for p in picked] == ["s1", "s3"]  # b before a second 'a'


def test_classify_quote_is_trimmed_around_the_evidence():
    words = [f"w{n:03d}" for n in range(200)]
    text = " ".join(words[:100]) + "\n\n  LOCAL HUB  " + " ".join(words[100:])
    at = text.index("LOCAL HUB")
    q = quote(text, [(at, at + len("LOCAL HUB"))])
    assert len(q) <= QUOTE_LIMIT
    assert "LOCAL HUB" in q and q.startswith("…") and q.endswith("…")
    assert "\n" not in q and "  " not in q
    inner = q.strip("…").split(" ")
    assert all(w in words or w in ("LOCAL", "HUB") for w in inner)  # no word cut in two
    assert quote("short  text\n", []) == "short text"
    assert len(quote(text, [])) <= QUOTE_LIMIT and quote(text, []).startswith("w000")


def test_classify_case_data_without_segments_is_refused():
    empty = hand_data({})
    with pytest.raises(CodingError, match="E419"):
        classify(empty, book({"C1": {"a": 1}}))


def test_classify_quote_is_taken_at_the_present_mention_not_at_a_denial():
    """"pas dans mon bureau" denies an office, not the hub: the window shows the hub said as present."""
    text = ("Au début on ne parlait pas de la maison des saisonniers, vraiment pas, " + "et puis " * 60
            + "aujourd'hui tout se passe à la maison des saisonniers, chaque mardi matin avec les autres.")
    segments = pd.DataFrame([("s1", "i1", "A", 120, text, 100)],
                            columns=["segment_id", "interview_id", "case", "words", "text", "start"])
    themes = pd.DataFrame([("s1", "hub")], columns=["segment_id", "code"])
    denied = text.index("maison des saisonniers")
    said = text.rindex("maison des saisonniers")
    evidence = pd.DataFrame([("s1", "hub", 100 + denied, 100 + denied + 22, "negated"),
                             ("s1", "hub", 100 + said, 100 + said + 22, "present")],
                            columns=["segment_id", "code", "start", "end", "status"])
    (picked,) = strongest_segments(segments, themes, evidence, {"hub": 0.5})
    assert "chaque mardi" in picked["quote"] and "ne parlait pas" not in picked["quote"]
    assert picked["statuses"] == {}

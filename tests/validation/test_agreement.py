"""Agreement statistics and `compare`: published values, identical codings, undefined cases.

Published values reproduced here:
- Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg
  School for Communication, University of Pennsylvania. Section A (binary data,
  two observers): alpha = 0.095; section C (nominal data, four observers,
  missing values): alpha = 0.743.
- Feinstein, A. R. & Cicchetti, D. V. (1990). High agreement but low kappa: I. The
  problems of two paradoxes. J Clin Epidemiol 43(6), 543-549, Table 1: two tables
  with the same 85% agreement and kappa = 0.70 and 0.32 (the prevalence paradox).
- Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters.
  Psychological Bulletin 76(5), 378-382: 30 patients, 6 psychiatrists, 5
  diagnoses, kappa = 0.430.
- Gwet, K. L. (2014). Handbook of Inter-Rater Reliability, 4th ed.: 12 units, 4
  raters, 5 categories with missing ratings, AC1 = 0.7754 (the same value as his
  R package irrCAC's `gwet.ac1.raw(cac.raw4raters)`).
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from qualcode.validation import statistics as rel
from qualcode.validation.agreement import compare, compare_coders

NAN = math.nan


def _two_by_two(both: int, only_a: int, only_b: int, neither: int) -> np.ndarray:
    """A (2 coders, items) 0/1 matrix with the four cells of a 2×2 table."""
    a = [1] * both + [1] * only_a + [0] * only_b + [0] * neither
    b = [1] * both + [0] * only_a + [1] * only_b + [0] * neither
    return np.array([a, b])


def _pairs(matrix_row, code="c"):
    return {(f"s{i}", code) for i, v in enumerate(matrix_row) if v}


# --- the statistics against published values ---------------------------------------


def test_krippendorff_binary_example_gives_0_095():
    data = [[0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
            [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]]
    assert rel.krippendorff_alpha(data) == pytest.approx(0.095, abs=5e-4)


def test_krippendorff_nominal_four_coders_with_missing_data_gives_0_743():
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
        [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
    ]
    assert rel.krippendorff_alpha(data) == pytest.approx(0.743, abs=5e-4)


@pytest.mark.parametrize("cells, kappa", [((40, 9, 6, 45), 0.70), ((80, 10, 5, 5), 0.32)])
def test_cohen_kappa_feinstein_cicchetti_tables(cells, kappa):
    matrix = _two_by_two(*cells)
    assert rel.percent_agreement(matrix) == pytest.approx(0.85)
    assert rel.cohen_kappa(matrix) == pytest.approx(kappa, abs=5e-3)


def test_ac1_resists_the_prevalence_paradox():
    # hand-computed: pi = (0.90 + 0.85) / 2 = 0.875, pe = 2 pi (1 - pi) = 0.21875,
    # AC1 = (0.85 - 0.21875) / (1 - 0.21875) = 0.808; kappa on the same table is 0.32
    assert rel.ac1(_two_by_two(80, 10, 5, 5)) == pytest.approx(0.808, abs=1e-9)
    # balanced table: pi = 0.475, pe = 0.49875, AC1 = (0.85 - 0.49875) / 0.50125
    assert rel.ac1(_two_by_two(40, 9, 6, 45)) == pytest.approx(0.35125 / 0.50125)


def test_fleiss_kappa_fleiss_1971_diagnoses_gives_0_430():
    diagnoses = [
        [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5],
        [2, 2, 2, 4, 4, 4], [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4],
        [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5], [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4],
        [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5], [3, 3, 3, 3, 3, 5],
        [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
        [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4],
        [1, 4, 4, 4, 4, 5], [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4],
        [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
    ]
    table = [[row.count(k) for k in range(1, 6)] for row in diagnoses]
    assert rel.fleiss_kappa_table(table) == pytest.approx(0.430, abs=5e-4)


def test_gwet_ac1_handbook_four_raters_with_missing_ratings():
    raters = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, None],
        [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 3],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    ]
    table = np.zeros((12, 5))
    for ratings in raters:
        for unit, value in enumerate(ratings):
            if value is not None:
                table[unit, value - 1] += 1
    assert rel.gwet_ac1(table) == pytest.approx(0.7754, abs=5e-5)


def test_fleiss_kappa_of_two_coders_is_scotts_pi():
    matrix = _two_by_two(40, 9, 6, 45)
    pi = (0.49 + 0.46) / 2
    pe = pi ** 2 + (1 - pi) ** 2
    assert rel.fleiss_kappa(matrix) == pytest.approx((0.85 - pe) / (1 - pe), abs=1e-3)


def test_closed_form_alpha_equals_the_library():
    rng = np.random.default_rng(7)
    for coders in (2, 3, 5):
        matrix = rng.integers(0, 2, size=(coders, 60))
        ones = matrix.sum(axis=0)
        fast = rel.alpha_from_sums((ones * (coders - ones)).sum(), ones.sum(), 60, coders)
        assert float(fast) == pytest.approx(rel.krippendorff_alpha(matrix), abs=1e-12)


# --- compare ------------------------------------------------------------------------


def test_identical_codings_give_kappa_and_alpha_1():
    segments = [f"s{i}" for i in range(12)]
    pairs = {("s0", "x"), ("s3", "x"), ("s4", "y"), ("s7", "x"), ("s7", "y"), ("s9", "z")}
    result = compare(pairs, set(pairs), segments, ["x", "y", "z"])
    for stat in [*result.codes.values(), result.overall]:
        assert stat.agreement == 1
        assert stat.kappa == pytest.approx(1)
        assert stat.alpha == pytest.approx(1)
        assert stat.ac1 == pytest.approx(1)
        assert (stat.precision, stat.recall, stat.f1) == (1, 1, 1)
        assert not any("no variation:" in note for note in stat.notes)
    assert result.macro["kappa"] == pytest.approx(1)


def test_compare_reproduces_the_binary_alpha_example():
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    segments = [f"s{i}" for i in range(10)]
    result = compare(_pairs(a), _pairs(b), segments, ["c"], names=("A", "B"))
    code = result.codes["c"]
    assert code.alpha == pytest.approx(0.095, abs=5e-4)
    assert code.coded == {"A": 2, "B": 4}
    assert code.agreement == pytest.approx(0.6)
    # precision and recall of B against A: one shared segment
    assert code.precision == pytest.approx(1 / 4)
    assert code.recall == pytest.approx(1 / 2)
    assert code.f1 == pytest.approx(2 * 1 / (2 * 1 + 3 + 1))


def test_a_code_nobody_applied_is_undefined_not_a_crash():
    segments = ["s1", "s2", "s3"]
    result = compare({("s1", "x")}, {("s1", "x")}, segments, ["x", "never"], names=("human", "qualcode"))
    never = result.codes["never"]
    assert never.agreement == 1
    assert never.kappa is None and never.alpha is None
    assert never.precision is None and never.recall is None and never.f1 is None
    assert never.alpha_ci is None
    assert any("no variation" in note and "neither side" in note for note in never.notes)
    # the macro-average leaves out the code nobody applied
    assert result.macro_codes == 1
    data = result.to_dict()
    assert data["codes"]["never"]["kappa"] is None
    json.dumps(data)  # no NaN, no numpy types


def test_a_code_on_every_segment_is_undefined():
    segments = ["s1", "s2"]
    both = {("s1", "x"), ("s2", "x")}
    result = compare(both, both, segments, ["x"])
    assert result.codes["x"].kappa is None
    assert result.codes["x"].alpha is None
    assert "every segment" in result.codes["x"].notes[0]


def test_one_side_never_applies_the_code():
    segments = ["s1", "s2", "s3", "s4"]
    result = compare({("s1", "x")}, set(), segments, ["x"], names=("human", "qualcode"))
    x = result.codes["x"]
    assert x.precision is None and x.recall == 0 and x.f1 == 0
    assert x.kappa == 0
    assert any("qualcode never applied it" in note for note in x.notes)


def test_overall_is_pooled_over_segment_code_items():
    segments = [f"s{i}" for i in range(8)]
    a = {("s0", "x"), ("s1", "x"), ("s2", "y"), ("s5", "y")}
    b = {("s0", "x"), ("s2", "y"), ("s3", "y"), ("s6", "x")}
    result = compare(a, b, segments, ["x", "y"])
    assert result.overall.items == 16
    ax = [1 if (s, "x") in a else 0 for s in segments] + [1 if (s, "y") in a else 0 for s in segments]
    bx = [1 if (s, "x") in b else 0 for s in segments] + [1 if (s, "y") in b else 0 for s in segments]
    assert result.overall.kappa == pytest.approx(rel.cohen_kappa([ax, bx]))
    assert result.overall.alpha == pytest.approx(rel.krippendorff_alpha([ax, bx]))
    assert result.overall.coded == {"a": 4, "b": 4}
    kappas = [result.codes[c].kappa for c in ("x", "y")]
    assert result.macro["kappa"] == pytest.approx(sum(kappas) / 2)


def test_pairs_out_of_scope_are_left_out():
    result = compare({("s1", "x"), ("elsewhere", "x"), ("s1", "unknown")}, {("s1", "x")},
                     ["s1", "s2"], ["x"])
    assert result.codes["x"].coded == {"a": 1, "b": 1}
    assert result.codes["x"].kappa == pytest.approx(1)


def test_compare_accepts_dataframes_of_pairs():
    import pandas as pd

    a = pd.DataFrame({"segment_id": ["s1", "s2"], "code": ["x", "x"]})
    b = pd.DataFrame({"segment": ["s1"], "code": ["x"]})
    result = compare(a, b, ["s1", "s2", "s3"], ["x"])
    assert result.codes["x"].coded == {"a": 2, "b": 1}


def test_three_coders_use_fleiss_kappa_and_no_precision():
    segments = [f"s{i}" for i in range(6)]
    coders = {"c1": {("s0", "x"), ("s1", "x")}, "c2": {("s0", "x")}, "c3": {("s0", "x"), ("s1", "x")}}
    result = compare_coders(coders, segments, ["x"])
    x = result.codes["x"]
    assert result.kappa_kind == "fleiss"
    matrix = [[1 if (s, "x") in coders[c] else 0 for s in segments] for c in coders]
    assert x.kappa == pytest.approx(rel.fleiss_kappa(matrix))
    assert x.alpha == pytest.approx(rel.krippendorff_alpha(matrix))
    assert x.ac1 == pytest.approx(rel.ac1(matrix))
    assert x.precision is None and x.recall is None
    data = result.to_dict()
    assert data["codes"]["x"]["a_segments"] is None
    assert data["codes"]["x"]["coded"] == {"c1": 2, "c2": 1, "c3": 2}


def test_bootstrap_interval_is_deterministic_and_holds_the_estimate():
    rng = np.random.default_rng(3)
    segments = [f"s{i}" for i in range(80)]
    a = {(s, "x") for s in segments if rng.random() < 0.4}
    b = {p for p in a if rng.random() < 0.8} | {(s, "x") for s in segments if rng.random() < 0.1}
    first = compare(a, b, segments, ["x"], resamples=500, seed=11)
    again = compare(a, b, segments, ["x"], resamples=500, seed=11)
    other = compare(a, b, segments, ["x"], resamples=500, seed=12)
    lo, hi = first.codes["x"].alpha_ci
    assert (lo, hi) == again.codes["x"].alpha_ci
    assert lo <= first.codes["x"].alpha <= hi
    assert other.codes["x"].alpha_ci != (lo, hi)
    assert first.overall.alpha_ci == first.codes["x"].alpha_ci  # one code: pooled = the code


def test_no_resamples_no_interval():
    result = compare({("s1", "x")}, {("s1", "x"), ("s2", "x")}, ["s1", "s2", "s3"], ["x"], resamples=0)
    assert result.codes["x"].alpha_ci is None
    assert not any("interval" in note for note in result.codes["x"].notes)


def test_statistics_reject_bad_input():
    with pytest.raises(ValueError):
        rel.cohen_kappa([[0, 1, 2], [0, 1, 1]])
    with pytest.raises(ValueError):
        compare_coders({"only": set()}, ["s1"], ["x"])
    with pytest.raises(ValueError):
        compare(set(), set(), ["s1"], ["x"], names=("same", "same"))

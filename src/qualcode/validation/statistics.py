"""Agreement statistics on presence/absence decisions, each an established library's.

Every function takes a 0/1 matrix of shape (coders, items): one row per
coder, one column per item (a segment, or a segment × code decision), with
no missing value (a segment that a coder left uncoded is an absence). Each
returns a float, or None where the statistic is undefined (no variation), so
that a report can say so instead of printing ``nan``.

* Cohen's kappa: scikit-learn's `cohen_kappa_score` (two coders).
* Fleiss' kappa: statsmodels' `fleiss_kappa` (three coders or more).
  statsmodels is maintained by a large team, released several times a year
  and tested against published values; irrCAC, the other candidate, pins
  old scipy and pandas releases (scipy==1.12, pandas<3) that qualcode
  cannot install beside its own.
* Krippendorff's alpha (nominal): the `krippendorff` package.
* Precision, recall, F1: scikit-learn.
* Gwet's AC1: no maintained library installs here (see above), so it is the
  10-line formula of Gwet's handbook (2014, ch. 4), checked in the tests
  against the handbook's published value.
* The bootstrap interval of alpha resamples segments; it needs alpha for
  thousands of resamples, so it uses the closed form of nominal alpha for
  complete binary data, which the tests check equal to the library's.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence

import numpy as np

from qualcode.defaults import RESAMPLES as DEFAULT_RESAMPLES
from qualcode.defaults import SEED as DEFAULT_SEED


def _value(x: float) -> float | None:
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else x


def _matrix(data: Sequence[Sequence[int]] | np.ndarray) -> np.ndarray:
    matrix = np.asarray(data, dtype=np.int64)
    if matrix.ndim != 2 or matrix.shape[0] < 2:
        raise ValueError("expected a (coders, items) matrix with at least two coders")
    if matrix.size and not np.isin(matrix, (0, 1)).all():
        raise ValueError("expected 0/1 decisions")
    return matrix


def percent_agreement(data: Sequence[Sequence[int]] | np.ndarray) -> float | None:
    """Share of agreeing coder pairs over items (for two coders: share of equal items)."""
    matrix = _matrix(data)
    m, n = matrix.shape
    if n == 0:
        return None
    ones = matrix.sum(axis=0)
    zeros = m - ones
    pairs = (ones * (ones - 1) + zeros * (zeros - 1)) / (m * (m - 1))
    return float(pairs.mean())


def cohen_kappa(data: Sequence[Sequence[int]] | np.ndarray) -> float | None:
    """Cohen's kappa of two coders; None when both coders gave one and the same value."""
    from sklearn.metrics import cohen_kappa_score

    matrix = _matrix(data)
    if matrix.shape[0] != 2:
        raise ValueError("Cohen's kappa compares two coders")
    if matrix.shape[1] == 0:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = cohen_kappa_score(matrix[0], matrix[1], labels=[0, 1])
    return _value(value)


def fleiss_kappa_table(counts: Sequence[Sequence[float]] | np.ndarray) -> float | None:
    """Fleiss' kappa (statsmodels) from an (items, categories) table of how many coders
    chose each category; every item rated by the same number of coders. None without
    variation (a single category used)."""
    from statsmodels.stats.inter_rater import fleiss_kappa as _fleiss

    table = np.asarray(counts, dtype=float)
    if table.ndim != 2 or table.shape[0] == 0 or (table.sum(axis=0) > 0).sum() < 2:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _value(_fleiss(table, method="fleiss"))


def fleiss_kappa(data: Sequence[Sequence[int]] | np.ndarray) -> float | None:
    """Fleiss' kappa of two or more coders on 0/1 decisions; None without variation."""
    matrix = _matrix(data)
    ones = matrix.sum(axis=0)
    return fleiss_kappa_table(np.stack([matrix.shape[0] - ones, ones], axis=1))


def krippendorff_alpha(data: Sequence[Sequence[float]] | np.ndarray) -> float | None:
    """Krippendorff's alpha, nominal (the `krippendorff` package), of a (coders, items)
    matrix of category values, NaN where a coder gave none. None without variation."""
    import krippendorff

    matrix = np.asarray(data, dtype=float)
    values = matrix[~np.isnan(matrix)]
    if matrix.ndim != 2 or np.unique(values).size < 2:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    return _value(value)


def gwet_ac1(counts: Sequence[Sequence[float]] | np.ndarray) -> float | None:
    """Gwet's AC1 from a (items, categories) table of how many coders chose each category.

    Items may have different numbers of ratings (missing data): agreement is
    averaged over the items rated at least twice, the categories' shares
    over every rated item (Gwet 2014, Handbook of Inter-Rater Reliability,
    4th ed., ch. 4). With q categories, chance agreement is
    ``sum(pi_k * (1 - pi_k)) / (q - 1)``. None when fewer than two categories
    or no item with two ratings.
    """
    table = np.asarray(counts, dtype=float)
    if table.ndim != 2 or table.shape[1] < 2:
        return None
    rated = table.sum(axis=1)
    table, rated = table[rated > 0], rated[rated > 0]
    twice = rated >= 2
    if not twice.any():
        return None
    pa = ((table[twice] * (table[twice] - 1)).sum(axis=1) / (rated[twice] * (rated[twice] - 1))).mean()
    pi = (table / rated[:, None]).mean(axis=0)
    pe = (pi * (1 - pi)).sum() / (table.shape[1] - 1)
    if pe >= 1:
        return None
    return _value((pa - pe) / (1 - pe))


def ac1(data: Sequence[Sequence[int]] | np.ndarray) -> float | None:
    """Gwet's AC1 of two or more coders on 0/1 decisions (two categories)."""
    matrix = _matrix(data)
    if matrix.shape[1] == 0:
        return None
    ones = matrix.sum(axis=0)
    return gwet_ac1(np.stack([matrix.shape[0] - ones, ones], axis=1))


def precision_recall_f1(reference: Sequence[int], other: Sequence[int]
                        ) -> tuple[float | None, float | None, float | None]:
    """Precision, recall and F1 of `other` against `reference` (scikit-learn).

    Precision is undefined when `other` applied nothing, recall when the
    reference applied nothing, F1 when neither did.
    """
    from sklearn.metrics import f1_score, precision_score, recall_score

    y_true, y_pred = np.asarray(reference, dtype=np.int64), np.asarray(other, dtype=np.int64)
    if y_true.size == 0:
        return None, None, None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = precision_score(y_true, y_pred, zero_division=np.nan)
        r = recall_score(y_true, y_pred, zero_division=np.nan)
        f = f1_score(y_true, y_pred, zero_division=np.nan)
    return _value(p), _value(r), _value(f)


# --- the bootstrap ------------------------------------------------------------


def alpha_from_sums(disagree: np.ndarray, ones: np.ndarray, items: np.ndarray | int,
                    coders: int) -> np.ndarray:
    """Nominal alpha of complete binary data from its sums (Krippendorff 2011, eq. for
    nominal data): ``1 - (n - 1) * D / (n_0 * n_1)`` with n = items × coders,
    D = the sum over items of (ones × zeros) / (coders - 1). NaN without variation."""
    n = np.asarray(items, dtype=float) * coders
    n1 = np.asarray(ones, dtype=float)
    n0 = n - n1
    observed = np.asarray(disagree, dtype=float) / (coders - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = 1 - (n - 1) * observed / (n0 * n1)
    return np.where((n0 > 0) & (n1 > 0), value, np.nan)


def bootstrap_alpha(matrices: Sequence[np.ndarray], *, resamples: int = DEFAULT_RESAMPLES,
                    seed: int = DEFAULT_SEED, confidence: float = 0.95, max_undefined: float = 0.1,
                    chunk: int = 100) -> tuple[list[tuple[float, float] | None], tuple[float, float] | None,
                                               list[int], int]:
    """Percentile intervals of nominal alpha, resampling items (segments) with replacement.

    `matrices` are (coders, items) 0/1 matrices over the same items, one per
    code. Each resample draws the items once for every code, so the pooled
    interval (all codes together) keeps a segment's decisions together.
    Resamples without variation are left out; an interval is None when more
    than `max_undefined` of them are. Returns the intervals per code, the
    pooled interval, the undefined count per code and the pooled one.
    Deterministic: the same data, seed and resamples give the same bounds.
    """
    if not matrices:
        return [], None, [], 0
    coders, n = matrices[0].shape
    if n == 0 or resamples <= 0:
        return [None] * len(matrices), None, [0] * len(matrices), 0
    ones = np.stack([m.sum(axis=0) for m in matrices], axis=1).astype(float)
    disagree = ones * (coders - ones)  # per item and code: ones × zeros
    rng = np.random.default_rng(seed)
    per_code = np.empty((resamples, len(matrices)))
    pooled = np.empty(resamples)
    for start in range(0, resamples, chunk):
        rows = min(chunk, resamples - start)
        draws = rng.integers(0, n, size=(rows, n))
        flat = (draws + n * np.arange(rows)[:, None]).ravel()
        weights = np.bincount(flat, minlength=rows * n).reshape(rows, n).astype(float)
        d, o = weights @ disagree, weights @ ones
        per_code[start:start + rows] = alpha_from_sums(d, o, n, coders)
        pooled[start:start + rows] = alpha_from_sums(d.sum(axis=1), o.sum(axis=1),
                                                     n * len(matrices), coders)
    tail = (1 - confidence) / 2

    def interval(values: np.ndarray) -> tuple[tuple[float, float] | None, int]:
        kept = values[~np.isnan(values)]
        undefined = int(values.size - kept.size)
        if kept.size == 0 or undefined > max_undefined * values.size:
            return None, undefined
        lo, hi = np.quantile(kept, [tail, 1 - tail])
        return (float(lo), float(hi)), undefined

    results = [interval(per_code[:, j]) for j in range(len(matrices))]
    overall, overall_undefined = interval(pooled)
    return [r[0] for r in results], overall, [r[1] for r in results], overall_undefined

"""The learner: one logistic regression per code on sparse features, and its calibration.

`docs/learning.md` says why this one won against spaCy's `textcat_multilabel`
(benchmarks/compare_learners.py). A code's model is a weight per feature and
an intercept, turned into a probability by a Platt sigmoid fitted on the
scores that grouped cross-validation gave to segments the model had not
seen. Everything is plain numbers, written as JSON and NPZ by
`qualcode.learning.folder`: nothing is pickled.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

LOGISTIC = "logistic"


@dataclass(frozen=True)
class LearnerSettings:
    """The learner and its settings, recorded in the model's manifest."""

    name: str = LOGISTIC
    C: float = 1.0
    class_weight: str = "balanced"
    max_iter: int = 1000

    def to_dict(self) -> dict[str, str | float | int]:
        return {"name": self.name, "C": self.C, "class_weight": self.class_weight, "max_iter": self.max_iter}


def fit_linear(X: sparse.csr_matrix, y: np.ndarray, settings: LearnerSettings,
               weights: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """The weights and intercept of a logistic regression of `y` (booleans) on `X`.

    The caller makes sure both classes occur. liblinear is deterministic and
    fast on a few hundred segments with thousands of sparse features.
    """
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=settings.C, class_weight=settings.class_weight or None,
                               solver="liblinear", max_iter=settings.max_iter)
    model.fit(X, y.astype(int), sample_weight=weights)
    return np.asarray(model.coef_[0], dtype=np.float64), float(model.intercept_[0])


def linear_scores(X: sparse.csr_matrix, coef: np.ndarray, intercept: float) -> np.ndarray:
    return np.asarray(X @ coef, dtype=np.float64).ravel() + intercept


@dataclass(frozen=True)
class Platt:
    """p = 1 / (1 + exp(-(a * score + b))): a score made a calibrated probability."""

    a: float = 1.0
    b: float = 0.0

    @classmethod
    def fit(cls, scores: np.ndarray, y: np.ndarray) -> Platt:
        """Platt (1999) scaling with his smoothed targets, so that a perfect split stays finite."""
        from sklearn.linear_model import LogisticRegression

        positives, negatives = int(y.sum()), int(len(y) - y.sum())
        if positives == 0 or negatives == 0:
            return cls()
        target = np.where(y, (positives + 1.0) / (positives + 2.0), 1.0 / (negatives + 2.0))
        # the smoothed targets as weights of two copies of every score
        X = np.concatenate([scores, scores]).reshape(-1, 1)
        labels = np.concatenate([np.ones(len(y)), np.zeros(len(y))])
        weights = np.concatenate([target, 1.0 - target])
        model = LogisticRegression(C=1e6, solver="lbfgs", max_iter=1000)
        model.fit(X, labels, sample_weight=weights)
        return cls(float(model.coef_[0][0]), float(model.intercept_[0]))

    def __call__(self, scores: np.ndarray) -> np.ndarray:
        z = np.clip(self.a * scores + self.b, -50, 50)
        return np.asarray(1.0 / (1.0 + np.exp(-z)))

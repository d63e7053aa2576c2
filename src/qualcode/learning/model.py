"""A trained coder as values: the vectoriser, one linear model per code, thresholds, and figures.

`TrainedModel.predict` gives every segment's calibrated probability for
every code the model learnt; `explain` names the features that pushed a
segment's score up the most, so that a researcher can read why the model
coded it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypedDict

import numpy as np
from scipy import sparse

from qualcode.learning.features import FeatureSettings, Vectoriser
from qualcode.learning.learners import LearnerSettings, Platt, linear_scores

#: how many features a model coding lists in codings.csv
TOP_FEATURES = 5


class Figures(TypedDict):
    """Precision, recall and F1 of a coding against the human one, with its counts."""

    precision: float | None
    recall: float | None
    f1: float | None
    human: int
    coded: int
    agreed: int


def figures(human: np.ndarray, coded: np.ndarray) -> Figures:
    """P, R, F1 of boolean decisions against the human's (None where undefined)."""
    tp = int((human & coded).sum())
    n_human, n_coded = int(human.sum()), int(coded.sum())
    p = tp / n_coded if n_coded else None
    r = tp / n_human if n_human else None
    f = 2 * tp / (n_human + n_coded) if n_human + n_coded else None
    return Figures(precision=p, recall=r, f1=f, human=n_human, coded=n_coded, agreed=tp)


@dataclass
class CodeModel:
    """One code's classifier: weights over the vocabulary, calibration and threshold.

    `coef` is None when the human coding gave too few examples of each class
    to learn the code: the rules alone code it then.
    """

    code: str
    kind: str
    coef: np.ndarray | None
    intercept: float = 0.0
    platt: Platt = field(default_factory=Platt)
    threshold: float = 1.0
    positives: int = 0
    negatives: int = 0
    cv: Figures | None = None
    cv_rules: Figures | None = None
    note: str = ""

    @property
    def learnt(self) -> bool:
        return self.coef is not None


@dataclass
class TrainedModel:
    """Everything `qualcode code --model` needs, and what the manifest records."""

    vectoriser: Vectoriser
    codes: list[CodeModel]
    learner: LearnerSettings
    features: FeatureSettings
    unit: str
    codebook: dict[str, str]
    human: list[dict[str, str]]
    #: the human's (segment, code, kind) decisions and the segments read, kept to respect them
    human_pairs: list[tuple[str, str, str]] = field(default_factory=list)
    human_scope: dict[str, list[str]] = field(default_factory=dict)
    cv: dict[str, Figures] = field(default_factory=dict)
    folds: int = 0
    segments: int = 0
    interviews: int = 0
    examples: int = 0

    def code(self, code: str) -> CodeModel:
        for one in self.codes:
            if one.code == code:
                return one
        raise KeyError(code)

    @property
    def learnt(self) -> list[CodeModel]:
        return [c for c in self.codes if c.learnt]

    def matrix(self, bags: Sequence[Counter[str]],
               vectors: Sequence[tuple[float, ...]] | None = None) -> sparse.csr_matrix:
        return self.vectoriser.transform(bags, vectors)

    def predict(self, X: sparse.csr_matrix) -> np.ndarray:
        """Calibrated probabilities, one column per learnt code (in `self.learnt` order)."""
        columns = [c.platt(linear_scores(X, c.coef, c.intercept)) for c in self.learnt if c.coef is not None]
        return np.column_stack(columns) if columns else np.zeros((X.shape[0], 0))

    def explain(self, X: sparse.csr_matrix, row: int, code: CodeModel, top: int = TOP_FEATURES) -> list[str]:
        """The features that raised this segment's score for this code the most, strongest first."""
        if code.coef is None:
            return []
        x = X.getrow(row)
        contributions = [(float(v * code.coef[i]), i) for i, v in zip(x.indices, x.data)]
        names = self.vectoriser.names
        best = sorted((c for c in contributions if c[0] > 0), key=lambda c: (-c[0], names[c[1]]))[:top]
        return [names[i] for _, i in best]

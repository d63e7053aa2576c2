"""Training and its honest estimate: the human-coded segments, grouped cross-validation, thresholds.

The segments a human read are the training rows (`TrainingSet`): every
segment of an interview the human coded (a code the human did not apply
there is a "no"), and every segment of a `--next` sheet; the codebook's
examples and counter-examples join as rows of their own code only. Each
code gets one classifier (`qualcode.learning.learners`).

Cross-validation is grouped by interview: all the turns of one interview
are held out together (they share a speaker, a setting and words, and a
model that saw some of them would look better than it is). It gives each
segment a score from a model that never saw its interview; a Platt sigmoid
on those scores calibrates the probabilities, and the threshold of each
code is the one whose decision "rules fire or probability ≥ threshold"
agrees best (F1) with the human. The figures the tool reports are
cross-fitted: the threshold applied to one fold is chosen on the other
folds only, so that choosing it does not flatter the estimate.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse

from qualcode.coding.kinds import ACTOR, THEME
from qualcode.learning.features import FeatureSettings, Vectoriser
from qualcode.learning.learners import LearnerSettings, Platt, fit_linear, linear_scores
from qualcode.learning.model import CodeModel, Figures, TrainedModel, figures

#: fewer human examples of a class than this, and a code is left to the rules
MIN_EXAMPLES = 3
DEFAULT_FOLDS = 5
#: the thresholds tried; the last one, above any probability, leaves the code to the rules
OFF = 1.01
THRESHOLDS = (*(round(float(t), 2) for t in np.arange(0.3, 0.96, 0.05)), OFF)
#: the group of the codebook's examples: never held out, never scored
CODEBOOK_GROUP = ""


@dataclass
class TrainingSet:
    """The rows a model learns from, their labels, and where the labels are known.

    `labels`, `known` and `rules` have one column per code (`codes`): what the
    human said, whether the human said anything about that code there (the
    segment was in the human's scope for the code's kind, or is an example
    of that code), and whether the codebook's rules code it.
    """

    rows: list[str]
    groups: list[str]
    bags: list[Counter[str]]
    codes: list[str]
    kinds: list[str]
    labels: np.ndarray
    known: np.ndarray
    rules: np.ndarray
    vectors: list[tuple[float, ...]] = field(default_factory=list)

    @property
    def scored(self) -> np.ndarray:
        """Rows that are segments of the corpus (not codebook examples)."""
        return np.array([g != CODEBOOK_GROUP for g in self.groups], dtype=bool)

    def with_prior(self, prior: TrainingSet, name: str) -> TrainingSet:
        """These rows, then a prior study's rows, always learnt from and never scored.

        A prior study's human coding teaches the model how other respondents said
        each theme; it is not this corpus, so it is neither held out nor counted
        in the cross-validation figures (its rows join the codebook's group).
        """
        if prior.codes != self.codes:
            raise ValueError("a prior training set must have the same codes")
        vectors = self.vectors + prior.vectors if self.vectors and prior.vectors else []
        return TrainingSet(
            self.rows + [f"prior:{name}:{r}" for r in prior.rows], self.groups + [CODEBOOK_GROUP] * len(prior.rows),
            self.bags + prior.bags, self.codes, self.kinds, np.vstack([self.labels, prior.labels]),
            np.vstack([self.known, prior.known]), np.vstack([self.rules, prior.rules]), vectors)


def _folds(groups: Sequence[str], wanted: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """GroupKFold over the interviews; codebook examples always train, never test."""
    from sklearn.model_selection import GroupKFold

    index = np.array([i for i, g in enumerate(groups) if g != CODEBOOK_GROUP])
    always = np.array([i for i, g in enumerate(groups) if g == CODEBOOK_GROUP], dtype=int)
    names = [groups[i] for i in index]
    n = min(wanted, len(set(names)))
    if n < 2:
        return []
    folds = []
    for train, test in GroupKFold(n_splits=n).split(index, groups=names):
        folds.append((np.concatenate([index[train], always]).astype(int), index[test]))
    return folds


def best_threshold(probability: np.ndarray, human: np.ndarray, rules: np.ndarray) -> float:
    """The threshold whose decision (rules or probability ≥ it) has the best F1; the higher on ties.

    `OFF` wins when the model adds nothing to the rules: the code is then left to them.
    """
    best, chosen = -1.0, THRESHOLDS[-1]
    for t in THRESHOLDS:
        f = figures(human, rules | (probability >= t))["f1"] or 0.0
        if f >= best:
            best, chosen = f, t
    return chosen


def _learnable(y: np.ndarray) -> str:
    positives, negatives = int(y.sum()), int(len(y) - y.sum())
    if positives < MIN_EXAMPLES:
        return f"{positives} human example(s), fewer than {MIN_EXAMPLES}: coded by the rules alone"
    if negatives < MIN_EXAMPLES:
        return f"{negatives} segment(s) without it, fewer than {MIN_EXAMPLES}: coded by the rules alone"
    return ""


def _fold_matrices(ts: TrainingSet, train: np.ndarray, test: np.ndarray,
                   settings: FeatureSettings, size: int) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    vec = Vectoriser.fit([ts.bags[i] for i in train], settings, size)
    vectors = ts.vectors or None
    return (vec.transform([ts.bags[i] for i in train], [ts.vectors[i] for i in train] if vectors else None),
            vec.transform([ts.bags[i] for i in test], [ts.vectors[i] for i in test] if vectors else None))


def cross_scores(ts: TrainingSet, features: FeatureSettings, learner: LearnerSettings,
                 folds: list[tuple[np.ndarray, np.ndarray]], vector_size: int = 0,
                 on_fold: Callable[[int, int], None] | None = None) -> np.ndarray:
    """Out-of-fold scores (NaN where a segment was never tested or the code not learnt)."""
    scores = np.full(ts.labels.shape, np.nan)
    scored = ts.scored
    for k, (train, test) in enumerate(folds):
        X_train, X_test = _fold_matrices(ts, train, test, features, vector_size)
        for j in range(len(ts.codes)):
            rows = ts.known[train, j]
            y = ts.labels[train, j][rows]
            if _learnable(ts.labels[train, j][rows & scored[train]]):
                continue
            coef, intercept = fit_linear(X_train[np.flatnonzero(rows)], y, learner)
            scores[test, j] = linear_scores(X_test, coef, intercept)
        if on_fold is not None:
            on_fold(k + 1, len(folds))
    return scores


@dataclass
class CodeEstimate:
    """What cross-validation says about one code."""

    platt: Platt
    threshold: float
    cv: Figures
    cv_rules: Figures


def estimate(ts: TrainingSet, scores: np.ndarray, folds: list[tuple[np.ndarray, np.ndarray]],
             j: int) -> CodeEstimate:
    """Calibration and threshold from all out-of-fold scores; figures cross-fitted over folds."""
    tested = ts.known[:, j] & ts.scored & ~np.isnan(scores[:, j])
    human, rules = ts.labels[:, j], ts.rules[:, j]
    scope = ts.known[:, j] & ts.scored
    rules_only = figures(human[scope], rules[scope])
    if not tested.any():
        return CodeEstimate(Platt(), 1.0, rules_only, rules_only)
    platt = Platt.fit(scores[tested, j], human[tested])
    probability = np.zeros(len(human))
    probability[tested] = platt(scores[tested, j])
    threshold = best_threshold(probability[tested], human[tested], rules[tested])
    decided = rules.copy()
    for _, test in folds:
        here = np.zeros(len(human), dtype=bool)
        here[test] = True
        mine, others = tested & here, tested & ~here
        if not mine.any():
            continue
        t = best_threshold(probability[others], human[others], rules[others]) if others.any() else threshold
        decided[mine] = rules[mine] | (probability[mine] >= t)
    return CodeEstimate(platt, threshold, figures(human[scope], decided[scope]), rules_only)


def pooled(models: Sequence[CodeModel], kind: str, attribute: str) -> Figures | None:
    """Micro-averaged figures over the codes of one kind (every segment × code decision)."""
    parts = [getattr(m, attribute) for m in models if m.kind == kind and getattr(m, attribute) is not None]
    if not parts:
        return None
    human = sum(p["human"] for p in parts)
    coded = sum(p["coded"] for p in parts)
    agreed = sum(p["agreed"] for p in parts)
    return Figures(precision=agreed / coded if coded else None, recall=agreed / human if human else None,
                   f1=2 * agreed / (human + coded) if human + coded else None,
                   human=human, coded=coded, agreed=agreed)


def train(ts: TrainingSet, *, features: FeatureSettings = FeatureSettings(),
          learner: LearnerSettings = LearnerSettings(), folds: int = DEFAULT_FOLDS, vector_size: int = 0,
          on_fold: Callable[[int, int], None] | None = None) -> tuple[Vectoriser, list[CodeModel], int]:
    """Cross-validate, then fit every learnable code on all the rows: the vectoriser and the codes."""
    splits = _folds(ts.groups, folds)
    scores = cross_scores(ts, features, learner, splits, vector_size, on_fold)
    vectoriser = Vectoriser.fit(ts.bags, features, vector_size)
    X = vectoriser.transform(ts.bags, ts.vectors or None)
    models: list[CodeModel] = []
    for j, (code, kind) in enumerate(zip(ts.codes, ts.kinds)):
        rows = ts.known[:, j]
        y = ts.labels[rows, j]
        by_human = ts.labels[rows & ts.scored, j]  # the codebook's examples alone teach nothing
        positives, negatives = int(by_human.sum()), int(len(by_human) - by_human.sum())
        found = estimate(ts, scores, splits, j)
        note = _learnable(by_human)
        if note:
            models.append(CodeModel(code, kind, None, positives=positives, negatives=negatives,
                                    cv=found.cv_rules, cv_rules=found.cv_rules, note=note))
            continue
        coef, intercept = fit_linear(X[np.flatnonzero(rows)], y, learner)
        if not splits:
            note = "no cross-validation (the human coded one interview): threshold 0.5, uncalibrated"
            found = CodeEstimate(Platt(), 0.5, found.cv_rules, found.cv_rules)
        elif (found.cv["f1"] or 0.0) <= (found.cv_rules["f1"] or 0.0) and found.threshold < OFF:
            # chosen by the cross-validation: a model that does not beat the rules is not used
            found = CodeEstimate(found.platt, OFF, found.cv_rules, found.cv_rules)
        if found.threshold >= OFF and not note:
            note = "the model did not beat the rules in cross-validation: coded by the rules alone"
        models.append(CodeModel(code, kind, coef, intercept, found.platt, found.threshold, positives, negatives,
                                cv=found.cv if splits else None, cv_rules=found.cv_rules, note=note))
    return vectoriser, models, len(splits)


def summary(models: Sequence[CodeModel]) -> dict[str, Figures]:
    """The pooled figures per kind, with the model and with the rules alone."""
    found: dict[str, Figures] = {}
    for kind in (THEME, ACTOR):
        for attribute, name in (("cv", kind), ("cv_rules", f"{kind}_rules")):
            value = pooled(models, kind, attribute)
            if value is not None:
                found[name] = value
    return found


def label_matrix(rows: Sequence[str], codes: Sequence[str], pairs: set[tuple[str, str]]) -> np.ndarray:
    return np.array([[(s, c) in pairs for c in codes] for s in rows], dtype=bool).reshape(len(rows), len(codes))


def applied_pairs(frame: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(frame["segment_id"].astype(str), frame["code"].astype(str)))


__all__ = ["TrainedModel", "TrainingSet", "best_threshold", "summary", "train"]

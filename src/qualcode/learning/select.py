"""Which segments the researcher should code next: where the model is least sure, spread out.

A segment's uncertainty for a code is 1 when its probability sits on the
code's threshold and 0 when it is 0 or 1; its score is its most uncertain
code. Segments are taken best first, and each time a segment is taken, the
others of its case and of its uncertain code count half as much, so that the
list spreads over cases and codes instead of piling up in one interview.
The sheet has the columns of a human coding, ready to fill in: write the
codes in `code` (several separated by `;`), or leave it empty when nothing
applies; `scope` is `segment`, so `qualcode learn` knows that only these
segments were read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np
import pandas as pd

from qualcode.learning.model import TrainedModel
from qualcode.validation.humans import SEGMENT_SCOPE

NEXT_COLUMNS = ("segment", "code", "coder", "scope", "case", "interview", "turn", "uncertain", "probability",
                "text")


def uncertainty(probabilities: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """1 on the threshold, falling linearly to 0 at 0 and at 1."""
    below = probabilities < thresholds
    span = np.where(below, thresholds, 1.0 - thresholds)
    span = np.where(span <= 0, 1.0, span)
    return np.clip(1.0 - np.abs(probabilities - thresholds) / span, 0.0, 1.0)


def pick(scores: np.ndarray, cases: list[str], codes: list[str], n: int) -> list[int]:
    """Greedy choice of n rows: best score first, halved for each row already taken of its case and code."""
    taken: list[int] = []
    per_case: Counter[str] = Counter()
    per_code: Counter[str] = Counter()
    left = set(range(len(scores)))
    while left and len(taken) < n:
        best = max(left, key=lambda i: (scores[i] * 0.5 ** per_case[cases[i]] * 0.5 ** per_code[codes[i]], -i))
        taken.append(best)
        left.discard(best)
        per_case[cases[best]] += 1
        per_code[codes[best]] += 1
    return taken


def next_segments(model: TrainedModel, ids: list[str], probabilities: np.ndarray, segments: pd.DataFrame,
                  n: int, exclude: Iterable[str] = ()) -> pd.DataFrame:
    """The n segments to code next, as a sheet of `NEXT_COLUMNS` ready to fill in."""
    learnt = model.learnt
    skip = set(exclude)
    rows = [i for i, s in enumerate(ids) if s not in skip]
    if not learnt or not rows or n <= 0:
        return pd.DataFrame(columns=list(NEXT_COLUMNS))
    thresholds = np.array([c.threshold for c in learnt])
    u = uncertainty(probabilities[rows], thresholds)
    best_code = u.argmax(axis=1)
    table = {str(r["segment_id"]): r for r in segments.to_dict("records")}
    cases = [str(table[ids[i]]["case"]) for i in rows]
    codes = [learnt[j].code for j in best_code]
    chosen = pick(u.max(axis=1), cases, codes, n)
    data = []
    for k in chosen:
        i = rows[k]
        seg = table[ids[i]]
        j = int(best_code[k])
        data.append((ids[i], "", "", SEGMENT_SCOPE, str(seg["case"]), str(seg["interview_id"]), int(seg["turn"]),
                     learnt[j].code, float(probabilities[i, j]), " ".join(str(seg["text"]).split())))
    return pd.DataFrame(data, columns=list(NEXT_COLUMNS))

"""Hand-built classification inputs: a codebook as `classify` reads it, and a case matrix."""

from __future__ import annotations

import pandas as pd
import yaml

from qualcode.classification.cases import CASE_MATRIX_COLUMNS
from qualcode.codebook import Codebook, parse_codebook

_ANCHOR_NAMES = ("exclusion", "crossover", "inclusion")


def book(configurations: dict[str, dict[str, float]], *, min_score: float = 0.3,
         min_margin: float = 0.1, min_interviews: int = 1, measure: str = "interviews",
         calibration: dict[str, object] | None = None) -> Codebook:
    """A real, validated codebook with these configurations over one-word codes.

    `calibration` maps a measure to its anchors, as a mapping or as the three
    values in order (written in the codebook's mapping form).
    """
    codes = list(dict.fromkeys(code for indicators in configurations.values() for code in indicators)) or ["x"]
    decision: dict[str, object] = {"min_score": min_score, "min_margin": min_margin,
                                   "min_interviews": min_interviews, "measure": measure}
    if calibration is not None:
        decision["calibration"] = {
            measure_: dict(zip(_ANCHOR_NAMES, anchors)) if isinstance(anchors, (list, tuple)) else anchors
            for measure_, anchors in calibration.items()}
    document: dict[str, object] = {
        "name": "hand", "version": "1", "languages": ["en"],
        "groups": [{"id": "g", "label": {"en": "G"}}],
        "codes": [{"id": code, "group": "g", "label": {"en": code}, "definition": {"en": f"the {code} theme"},
                   "patterns": {"en": [f"{code}word"]}} for code in codes],
    }
    if configurations:  # a codebook without configurations has no decision rule either
        document["configurations"] = [{"id": config, "label": {"en": config}, "indicators": indicators}
                                      for config, indicators in configurations.items()]
        document["decision"] = decision
    return parse_codebook(yaml.safe_dump(document, sort_keys=False))


def matrix(cases: dict[str, tuple[int, dict[str, float]]], codes: list[str],
           share: str = "interview_share") -> pd.DataFrame:
    """case -> (interviews, {code: share}) as a case matrix."""
    rows = []
    for case, (n, shares) in cases.items():
        for code in codes:
            p = shares.get(code, 0.0)
            values = {"interview_share": 0.0, "word_share": 0.0, "segment_share": 0.0, share: p}
            rows.append((case, code, 0, round(p * n), values["interview_share"], values["word_share"],
                         values["segment_share"], n, 10, 100))
    return pd.DataFrame(rows, columns=list(CASE_MATRIX_COLUMNS))

"""The decision rule and the calibration of prevalences into set memberships.

`decision_rule` reads the codebook's `decision` (min_score, min_margin,
min_interviews, measure and, when the loader has it, an optional
`calibration`), applies overrides and checks every value. `calibrate` is
Ragin's direct method (2008, ch. 5): a logistic through three anchors,
rescaled so that the anchors give exactly 0, 0.5 and 1 (docs/method.md says
why).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from qualcode.errors import CodingError, Errors

if TYPE_CHECKING:
    from qualcode.codebook.model import Codebook

#: measure -> the case matrix column that holds its prevalence
MEASURES = {"interviews": "interview_share", "segments": "segment_share", "words": "word_share"}
#: default anchors per measure: (full non-membership, crossover, full membership)
DEFAULT_ANCHORS = {"interviews": (0.0, 0.25, 0.6), "segments": (0.0, 0.05, 0.15),
                   "words": (0.0, 0.05, 0.15)}
#: log odds of membership at the full-membership anchor (Ragin 2008: ±3, i.e. 0.953 / 0.047)
LOG_ODDS = 3.0


@dataclass(frozen=True)
class DecisionRule:
    """How scores become a verdict; `anchors` calibrate the chosen measure."""

    measure: str
    min_score: float
    min_margin: float
    min_interviews: int
    anchors: tuple[float, float, float]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["anchors"] = dict(zip(("exclusion", "crossover", "inclusion"), self.anchors))
        return data


def _anchors_from(calibration: Any, measure: str) -> tuple[float, float, float] | None:
    """Anchors for `measure` from an optional `calibration` setting (mapping or object)."""
    if calibration is None:
        return None
    value = calibration.get(measure) if isinstance(calibration, Mapping) else getattr(calibration, measure, None)
    if value is None:
        return None
    if isinstance(value, Mapping) or hasattr(value, "crossover"):
        get = value.get if isinstance(value, Mapping) else lambda k: getattr(value, k, None)
        value = (get("exclusion"), get("crossover"), get("inclusion"))
    try:
        a, c, b = (float(x) for x in value)  # type: ignore[arg-type]  # a wrong value is E415
    except (TypeError, ValueError):
        raise CodingError(Errors.E415.format(measure=measure, anchors=value)) from None
    return a, c, b


def decision_rule(codebook: Codebook, *, measure: str | None = None, min_score: float | None = None,
                  margin: float | None = None, min_interviews: int | None = None,
                  calibration: Any = None) -> DecisionRule:
    """The codebook's decision rule, with any value overridden.

    `calibration` (or the codebook's optional `decision.calibration`) maps a
    measure to its three anchors, as a list [exclusion, crossover, inclusion]
    or a mapping with those keys; DEFAULT_ANCHORS otherwise.
    """
    decision = getattr(codebook, "decision", None)

    def pick(given: Any, name: str, default: Any) -> Any:
        return given if given is not None else getattr(decision, name, default)

    measure = pick(measure, "measure", "interviews")
    if measure not in MEASURES:
        raise CodingError(Errors.E414.format(measure=measure))
    score, gap = float(pick(min_score, "min_score", 0.3)), float(pick(margin, "min_margin", 0.1))
    for option, value in (("min_score", score), ("margin", gap)):
        if not 0 <= value <= 1 or math.isnan(value):
            raise CodingError(Errors.E416.format(option=option, value=value))
    least = pick(min_interviews, "min_interviews", 1)
    if isinstance(least, bool) or not float(least).is_integer() or int(least) < 1:
        raise CodingError(Errors.E417.format(value=least))
    anchors = (_anchors_from(calibration, measure)
               or _anchors_from(getattr(decision, "calibration", None), measure)
               or DEFAULT_ANCHORS[measure])
    a, c, b = anchors
    if not 0 <= a < c < b <= 1:
        raise CodingError(Errors.E415.format(measure=measure, anchors=list(anchors)))
    return DecisionRule(measure, score, gap, int(least), (a, c, b))


def calibrate(p: float, anchors: tuple[float, float, float]) -> float:
    """Membership in [0, 1] of a prevalence `p`, by the direct method.

    Ragin's logistic (log odds ±3 at the outer anchors, 0 at the crossover),
    rescaled linearly so that full non-membership gives 0, the crossover 0.5
    and full membership 1, and clipped beyond them.
    """
    a, c, b = anchors
    if p <= a:
        return 0.0
    if p >= b:
        return 1.0
    log_odds = LOG_ODDS * (p - c) / ((b - c) if p >= c else (c - a))
    low = 1 / (1 + math.exp(LOG_ODDS))
    m = 1 / (1 + math.exp(-log_odds))
    return min(1.0, max(0.0, (m - low) / (1 - 2 * low)))


#: tolerance of the decision rule's comparisons (classify.EPSILON has the same value)
_TOLERANCE = 1e-9
#: the most decimals a report shows to keep a number from contradicting its verdict
MAX_DIGITS = 6


def passes(value: float, threshold: float) -> bool:
    """The rule's comparison: `value` reaches `threshold`, with the float tolerance."""
    return value + _TOLERANCE >= threshold


def threshold_digits(threshold: float, digits: int = 2) -> int:
    """Decimals that show a threshold exactly: 0.35 with 2, 0.075 with 3 (at most MAX_DIGITS)."""
    for d in range(digits, MAX_DIGITS + 1):
        if abs(round(threshold, d) - threshold) < _TOLERANCE:
            return d
    return MAX_DIGITS


def decisive_digits(best: float, runner_up: float, margin: float, rule: DecisionRule | Mapping[str, Any],
                    digits: int = 2) -> int:
    """Decimals at which a case's shown numbers agree with its verdict.

    "margin 0.08" beside "minimum margin 0.08" for a margin of 0.0777 reads as
    a pass: shown with three decimals (0.078) it does not. The fewest decimals
    from `digits` up are chosen such that the rounded best score, the rounded
    margin and the difference of the two rounded scores compare with the
    rounded thresholds as the exact values do.
    """
    if isinstance(rule, DecisionRule):
        min_score, min_margin = rule.min_score, rule.min_margin
    else:
        min_score, min_margin = float(rule.get("min_score") or 0.0), float(rule.get("min_margin") or 0.0)
    score_ok, margin_ok = passes(best, min_score), passes(margin, min_margin)
    for d in range(digits, MAX_DIGITS + 1):
        score_t = round(min_score, max(d, threshold_digits(min_score, d)))
        margin_t = round(min_margin, max(d, threshold_digits(min_margin, d)))
        shown_best, shown_margin = round(best, d), round(margin, d)
        if (passes(shown_best, score_t) == score_ok and passes(shown_margin, margin_t) == margin_ok
                and passes(round(shown_best - round(runner_up, d), d), margin_t) == margin_ok):
            return d
    return MAX_DIGITS

"""From the case matrix to a verdict per case: scores, decision rule, stability.

For each case and each theme code, the prevalence ``p`` under the chosen
measure (the share of the case's interviews, segments or respondent words
where the code counts) is calibrated into a set membership ``m`` in [0, 1]
by Ragin's direct method: a logistic through three anchors (full
non-membership, crossover, full membership), rescaled so that the anchors
give exactly 0, 0.5 and 1. A configuration's score is its profile's share
that the case fills::

    score_k = max(0, Σ_c w_c·m_c) / Σ_{w_c>0} w_c

A case is ``insufficient`` with fewer interviews than ``min_interviews``;
else it takes the best configuration if that scores at least ``min_score``
and beats the runner-up by at least ``min_margin``; else it is
``indeterminate``. A tie is never decided. Leave-one-interview-out runs give
each verdict's stability, where the remaining interviews can still decide
(at least ``min_interviews`` of them); elsewhere it is not testable (NaN). See docs/method.md for the reasoning.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from qualcode.classification.rule import (
    DEFAULT_ANCHORS,
    LOG_ODDS,
    MEASURES,
    DecisionRule,
    calibrate,
    decision_rule,
)
from qualcode.errors import CodingError, Errors

if TYPE_CHECKING:
    from qualcode.classification.cases import CaseData
    from qualcode.codebook.model import Codebook
    from qualcode.coding.engine import Codings

INDETERMINATE, INSUFFICIENT = "indeterminate", "insufficient"
EPSILON = 1e-9
RUN_COLUMNS = ("case", "dropped", "interviews", "verdict", "kept")
#: classification.csv: these, with one `score_<configuration>` column between them
CLASSIFICATION_HEAD = ("case", "interviews", "verdict", "runner_up")
CLASSIFICATION_TAIL = ("margin", "stability")


def classification_columns(configurations: Sequence[str]) -> list[str]:
    """The columns of classification.csv for these configurations."""
    return [*CLASSIFICATION_HEAD, *(f"score_{c}" for c in configurations), *CLASSIFICATION_TAIL]


@dataclass(frozen=True)
class CaseScore:
    """One case scored: memberships, contributions per configuration, the verdict."""

    case: str
    interviews: int
    prevalence: dict[str, float]
    membership: dict[str, float]
    contributions: dict[str, dict[str, tuple[float, float]]]  # config -> code -> (weight, contribution)
    scores: dict[str, float]
    best: str
    runner_up: str
    margin: float
    verdict: str


def configurations_of(codebook: Codebook) -> list[tuple[str, dict[str, float]]]:
    found = [(str(c.id), {str(k): float(v) for k, v in dict(c.indicators).items()})
             for c in codebook.configurations]
    if not found:
        raise CodingError(Errors.E413.format(name=codebook.name))
    return found


def score_case(case: str, interviews: int, prevalence: Mapping[str, float],
               configurations: Sequence[tuple[str, Mapping[str, float]]], rule: DecisionRule) -> CaseScore:
    """Scores, ranking and verdict of one case from its prevalences."""
    codes = {c for _, ind in configurations for c in ind}
    prev = {c: float(prevalence.get(c, 0.0)) for c in sorted(codes)}
    member = {c: calibrate(p, rule.anchors) for c, p in prev.items()}
    scores: dict[str, float] = {}
    contributions: dict[str, dict[str, tuple[float, float]]] = {}
    for config, indicators in configurations:
        positive = sum(w for w in indicators.values() if w > 0)
        parts = {c: (w, (w * member[c] / positive if positive else 0.0) + 0.0)  # + 0.0: no -0.0
                 for c, w in indicators.items()}
        contributions[config] = parts
        scores[config] = max(0.0, sum(v for _, v in parts.values()))
    order = {c: n for n, (c, _) in enumerate(configurations)}
    ranked = sorted(scores, key=lambda c: (-round(scores[c], 9), order[c]))
    best = ranked[0]
    runner_up = ranked[1] if len(ranked) > 1 else ""
    margin = scores[best] - (scores[runner_up] if runner_up else 0.0)
    if margin < EPSILON:
        margin = 0.0
    if interviews < rule.min_interviews:
        verdict = INSUFFICIENT
    elif (scores[best] + EPSILON >= rule.min_score and margin + EPSILON >= rule.min_margin
          and margin > 0):
        verdict = best
    else:
        verdict = INDETERMINATE
    return CaseScore(case, interviews, prev, member, contributions, scores, best, runner_up, margin,
                     verdict)


def matrix_inputs(matrix: pd.DataFrame, measure: str) -> dict[str, tuple[int, dict[str, float]]]:
    """case -> (interviews, {code: prevalence}) from a case matrix (as built or read from CSV)."""
    share = MEASURES[measure]
    missing = [c for c in ("case", "code", share, "case_interviews") if c not in matrix.columns]
    if missing:
        raise CodingError(Errors.E418.format(missing=", ".join(missing)))
    values = pd.to_numeric(matrix[share], errors="coerce").fillna(0.0)
    counts = pd.to_numeric(matrix["case_interviews"], errors="coerce").fillna(0).astype("int64")
    found: dict[str, tuple[int, dict[str, float]]] = {}
    for case, code, p, n in zip(matrix["case"].astype(str), matrix["code"].astype(str), values, counts):
        entry = found.setdefault(case, (int(n), {}))
        entry[1][code] = float(p)
    return dict(sorted(found.items()))


@dataclass
class Classification:
    """The verdict for every case, and everything needed to explain and check it.

    `table` is classification.csv (docs/reports.md); `matrix` the case matrix it
    was computed from; `explanations`, `evidence`, `network`/`actors` and
    `runs` (leave-one-out runs) are tidy frames; `unstable` maps a case to
    the interviews whose removal changes its verdict; `best` the best-scoring
    configuration of each case (an indeterminate case's closest one).
    """

    table: pd.DataFrame
    matrix: pd.DataFrame
    explanations: pd.DataFrame
    evidence: pd.DataFrame
    network: pd.DataFrame
    actors: pd.DataFrame
    runs: pd.DataFrame
    unstable: dict[str, list[str]]
    best: dict[str, str]
    rule: DecisionRule
    configurations: tuple[str, ...]
    by: str = ""
    codebook: dict[str, str] = field(default_factory=dict)


def classify(data: pd.DataFrame | CaseData | Codings, codebook: Codebook, *, measure: str | None = None,
             min_interviews: int | None = None, margin: float | None = None,
             min_score: float | None = None, calibration: Any = None,
             quotes: int = 3) -> Classification:
    """Score every case against the codebook's configurations and decide.

    Args:
        data: a case matrix (DataFrame from `case_matrix` or case_matrix.csv),
            or, for stability, evidence and network too, a
            `qualcode.classification.cases.CaseData` or a `qualcode.coding.engine.Codings`.
        codebook: gives the configurations (weighted indicators) and the
            decision rule; keyword arguments override the rule.
        calibration: anchors per measure, overriding the codebook's.
        quotes: evidence segments per case.

    Raises:
        CodingError: no configurations, a bad rule, a matrix without the
            needed columns.
    """
    from qualcode.classification.cases import CaseData, case_data, check_segments
    from qualcode.classification.explain import (
        evidence_frame,
        explanation_frame,
        explanation_rows,
        strongest_segments,
    )
    from qualcode.classification.network import provider_network

    configurations = configurations_of(codebook)
    rule = decision_rule(codebook, measure=measure, min_score=min_score, margin=margin,
                         min_interviews=min_interviews, calibration=calibration)
    cdata: CaseData | None = None
    if isinstance(data, pd.DataFrame):
        matrix = data
    else:
        cdata = data if isinstance(data, CaseData) else case_data(data, codes=codebook)
        check_segments(cdata, "the codings")
        matrix = cdata.matrix()
    scored = {case: score_case(case, n, prev, configurations, rule)
              for case, (n, prev) in matrix_inputs(matrix, rule.measure).items()}
    ids = tuple(c for c, _ in configurations)

    runs: list[tuple] = []
    unstable: dict[str, list[str]] = {}
    stability: dict[str, float] = {}
    evidence: list[dict[str, Any]] = []
    explanations: list[tuple] = []
    for case, result in scored.items():
        explanations.extend(explanation_rows(case, result))
        if cdata is None:
            continue
        changed = []
        interviews = cdata.interviews(case)
        if stability_testable(len(interviews), rule):
            for dropped in interviews:
                verdict = _verdict_without(cdata, case, dropped, configurations, rule)
                runs.append((case, dropped, len(interviews) - 1, verdict, verdict == result.verdict))
                if verdict != result.verdict:
                    changed.append(dropped)
            stability[case] = 1 - len(changed) / len(interviews)
        if changed:
            unstable[case] = changed
        target = result.verdict if result.verdict in ids else result.best
        one = cdata.only(case)
        parts = {c: v for c, (_, v) in result.contributions[target].items()}
        for item in strongest_segments(one.segments, one.themes, one.evidence, parts, limit=quotes):
            evidence.append({"case": case, "configuration": target, **item})

    rows = []
    for case, r in scored.items():
        rows.append((case, r.interviews, r.verdict, r.runner_up, *(r.scores[c] for c in ids),
                     r.margin, stability.get(case, float("nan"))))
    table = pd.DataFrame(rows, columns=classification_columns(ids)).astype(
        {"interviews": "int64", "margin": "float64", "stability": "float64",
         **{f"score_{c}": "float64" for c in ids}})
    if cdata is not None:
        network, actors = provider_network(cdata, order=codebook.actor_ids)
    else:
        from qualcode.classification.network import ACTOR_COLUMNS, PAIR_COLUMNS

        network, actors = pd.DataFrame(columns=list(PAIR_COLUMNS)), pd.DataFrame(columns=list(ACTOR_COLUMNS))
    return Classification(
        table=table, matrix=matrix, explanations=explanation_frame(explanations),
        evidence=evidence_frame(evidence), network=network, actors=actors,
        runs=pd.DataFrame(runs, columns=list(RUN_COLUMNS)).astype({"interviews": "int64", "kept": "bool"}),
        unstable=unstable, best={c: r.best for c, r in scored.items()}, rule=rule,
        configurations=ids, by=cdata.by if cdata is not None else "",
        codebook={"name": str(codebook.name), "version": str(codebook.version), "sha256": codebook.sha256},
    )


def stability_testable(interviews: int, rule: DecisionRule) -> bool:
    """Whether leaving one interview out can still decide: the rest must reach min_interviews.

    With exactly `min_interviews` interviews every run would be `insufficient`
    by construction, a change that says nothing about the evidence: such a
    case's stability is not testable (NaN, no runs), never 0.
    """
    return interviews - 1 >= rule.min_interviews


def _verdict_without(cdata: CaseData, case: str, dropped: str,
                     configurations: Sequence[tuple[str, Mapping[str, float]]], rule: DecisionRule) -> str:
    """The case's verdict when one of its interviews is left out (same rule, min_interviews included)."""
    rest = cdata.only(case, without=dropped)
    inputs = matrix_inputs(rest.matrix(), rule.measure) if not rest.segments.empty else {}
    n, prevalence = inputs.get(case, (0, {}))
    return score_case(case, n, prevalence, configurations, rule).verdict


__all__ = [
    "DEFAULT_ANCHORS",
    "INDETERMINATE",
    "INSUFFICIENT",
    "LOG_ODDS",
    "MEASURES",
    "CaseScore",
    "Classification",
    "DecisionRule",
    "calibrate",
    "classify",
    "decision_rule",
    "score_case",
    "stability_testable",
]

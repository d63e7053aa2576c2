"""classification.json and the classification's CSV files: written and read back here.

classification.json holds, per case, the row of classification.csv, the
best-scoring configuration, the explanation (each indicator's weight,
prevalence, membership and contribution), the evidence quotes, the provider
network and the leave-one-out runs; then the rule and the codebook used.
The reports are rendered from it (`read_classification`), so that
`qualcode report DIR` gives the same bytes as `qualcode analyze`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TypedDict

import pandas as pd

from qualcode.classification.cases import CASE_MATRIX_COLUMNS
from qualcode.errors import CodingError, Errors
from qualcode.results.frames import frame_to_csv, json_ready, to_json
from qualcode.results.layout import CASE_MATRIX_CSV, CLASSIFICATION_CSV, CLASSIFICATION_JSON

if TYPE_CHECKING:
    from qualcode.classification.classify import Classification


class ClassificationDocument(TypedDict):
    """classification.json as a value: `cases` are dicts of the keys `classification_json` writes."""

    by: str
    codebook: dict[str, str]
    configurations: list[str]
    columns: list[str]
    rule: dict[str, Any]
    cases: list[dict[str, Any]]


def _records(frame: pd.DataFrame, keep: list[str]) -> list[dict[str, Any]]:
    return [dict(zip(keep, row)) for row in frame[keep].itertuples(index=False, name=None)]


def classification_json(c: Classification) -> str:
    """classification.json: per case the table's row, then its explanation, evidence and network."""
    cases = []
    by_case = {name: frame.groupby("case") for name, frame in (
        ("explanations", c.explanations), ("evidence", c.evidence), ("network", c.network),
        ("actors", c.actors), ("runs", c.runs))}

    def part(name: str, case: str, keep: list[str]) -> list[dict[str, Any]]:
        groups = by_case[name]
        return _records(groups.get_group(case), keep) if case in groups.groups else []

    for row in c.table.to_dict("records"):
        case = str(row["case"])
        entry: dict[str, Any] = {str(k): v for k, v in row.items()}
        entry["best"] = c.best.get(case, "")
        explanation: dict[str, list[dict[str, Any]]] = {k: [] for k in c.configurations}
        for item in part("explanations", case, ["configuration", "code", "weight", "prevalence",
                                                 "membership", "contribution"]):
            explanation[item.pop("configuration")].append(item)
        entry["explanation"] = explanation
        entry["evidence"] = [dict(e, codes=e["codes"].split(";") if e["codes"] else [],
                                  statuses=dict(p.split("=", 1) for p in e["statuses"].split(";") if p))
                             for e in part("evidence", case, ["configuration", "rank", "segment_id", "interview_id",
                                                              "codes", "contribution", "quote", "statuses"])]
        entry["network"] = {"actors": part("actors", case, ["actor", "segments", "interviews"]),
                            "pairs": part("network", case, ["actor_a", "actor_b", "segments"])}
        entry["leave_one_out"] = part("runs", case, ["dropped", "interviews", "verdict", "kept"])
        entry["unstable_on"] = list(c.unstable.get(case, []))
        cases.append(entry)
    document = {
        "by": c.by, "codebook": dict(c.codebook), "configurations": list(c.configurations),
        "columns": list(c.table.columns), "rule": c.rule.to_dict(), "cases": cases,
    }
    return to_json(json_ready(document))


def classification_files(c: Classification) -> dict[str, str]:
    """case_matrix.csv, classification.csv and classification.json, as text."""
    matrix = c.matrix
    keep = [col for col in CASE_MATRIX_COLUMNS if col in matrix.columns]
    return {
        CASE_MATRIX_CSV: frame_to_csv(matrix[keep]),
        CLASSIFICATION_CSV: frame_to_csv(c.table),
        CLASSIFICATION_JSON: classification_json(c),
    }


def read_classification(content: str | bytes) -> ClassificationDocument:
    """classification.json back as a value (E306 when it is not what `classification_json` writes)."""
    try:
        data = json.loads(content)
    except ValueError as exc:
        raise CodingError(Errors.E306.format(name=CLASSIFICATION_JSON, reason=exc)) from exc
    if not isinstance(data, dict) or not isinstance(data.get("cases", []), list):
        raise CodingError(Errors.E306.format(name=CLASSIFICATION_JSON, reason="not a classification"))
    return {"by": str(data.get("by") or ""), "codebook": dict(data.get("codebook") or {}),
            "configurations": [str(c) for c in data.get("configurations") or ()],
            "columns": [str(c) for c in data.get("columns") or ()],
            "rule": dict(data.get("rule") or {}), "cases": list(data.get("cases") or [])}

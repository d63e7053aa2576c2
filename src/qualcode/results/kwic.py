"""Reviewing codings in context: the evidence with the words around it (KWIC)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from qualcode.results.folder import ResultsFolder
from qualcode.results.layout import EVIDENCE_CSV, SEGMENTS_CSV

KWIC_COLUMNS = ("segment_id", "case", "code", "kind", "status", "negation_cue", "left",
                "matched_text", "right", "pattern_id")


def select_evidence(folder: Path | str, *, code: str | None = None, case: str | None = None,
                    actor: str | None = None, negated: bool = False) -> pd.DataFrame:
    """Evidence rows of a results folder, filtered, with their left and right context."""
    results = ResultsFolder(Path(folder))
    segments = results.frame(SEGMENTS_CSV)
    evidence = results.frame(EVIDENCE_CSV)
    seg = segments.set_index("segment_id")
    rows = evidence.merge(segments[["segment_id", "case"]], on="segment_id", how="left")
    if case is not None:
        rows = rows[rows["case"] == case]
    if actor is not None:
        with_actor = set(evidence.loc[(evidence["kind"] == "actor") & (evidence["code"] == actor)
                                      & (evidence["counts_for"] != ""), "segment_id"])
        rows = rows[rows["segment_id"].isin(with_actor) & (rows["kind"] == "theme")]
    if code is not None:
        rows = rows[rows["code"] == code]
    if negated:
        rows = rows[rows["status"] != "present"]
    return with_context(rows, seg)


def with_context(rows: pd.DataFrame, segments: pd.DataFrame) -> pd.DataFrame:
    """Evidence rows (with their `case`) and the words of their segment before and after (`KWIC_COLUMNS`).

    `segments` is segments.csv indexed by segment_id.
    """
    lefts, rights = [], []
    for record in rows.itertuples(index=False):
        text = str(segments.at[record.segment_id, "text"])
        offset = int(str(segments.at[record.segment_id, "start"]))
        a, b = int(str(record.start)) - offset, int(str(record.end)) - offset
        lefts.append(text[:a])
        rights.append(text[b:])
    rows = rows.assign(left=lefts, right=rights)
    return rows[list(KWIC_COLUMNS)].reset_index(drop=True)

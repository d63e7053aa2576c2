"""The tables of a coding run: segments, codings and evidence, with their fixed columns.

Scripts and other tools read these columns: add at the end if you must,
never rename one.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import pandas as pd

from qualcode.coding.kinds import NEGATED, STATUSES

if TYPE_CHECKING:
    from qualcode.coding.matchers import Match
    from qualcode.coding.units import Segment

SEGMENTS = (
    "segment_id", "interview_id", "case", "turn", "unit", "speaker", "role",
    "start", "end", "words", "text",
)
#: one row per code and segment; `status` (present, negated, historical) and
#: `counts_for` (the code this row counts for, empty when it counts for none)
#: follow the first round's columns
CODINGS = (
    "segment_id", "code", "kind", "negated", "start", "end", "matched_text",
    "pattern_id", "matches", "negation_cue", "status", "counts_for",
    "source", "probability", "features",
)
#: every match, not only the first per code and segment
EVIDENCE = (
    "segment_id", "code", "kind", "status", "start", "end", "matched_text",
    "pattern_id", "negation_cue", "counts_for", "source", "probability",
)
#: who coded a row (`source`): the codebook's rules, a trained model (`qualcode code --model`),
#: both, or the researcher (a segment the model's human coding read keeps the human's codes)
RULE, MODEL, BOTH, HUMAN = "rule", "model", "both", "human"
SOURCES = (RULE, MODEL, BOTH, HUMAN)
_STATUS_RANK = {status: n for n, status in enumerate(STATUSES)}


def segments_frame(rows: list[Segment], case: dict[str, str]) -> pd.DataFrame:
    data = [
        (s.segment_id, s.interview_id, case[s.segment_id], s.turn, s.unit, s.speaker, s.role,
         s.start, s.end, s.words, s.text)
        for s in rows
    ]
    return pd.DataFrame(data, columns=list(SEGMENTS)).astype(
        {"turn": "int64", "start": "int64", "end": "int64", "words": "int64"})


def _absolute(seg: Segment, match: Match) -> tuple[int, int]:
    turn_start = seg.start - seg.local_start
    return turn_start + match.start_char, turn_start + match.end_char


def evidence_frame(rows: list[tuple[Segment, Match]], order: dict[str, int],
                    code_order: dict[str, int]) -> pd.DataFrame:
    data = []
    for seg, m in rows:
        start, end = _absolute(seg, m)
        data.append((seg.segment_id, m.code, m.kind, m.status, start, end, m.text, m.pattern_id,
                     m.cue, m.counts_for, RULE, float("nan")))
    data.sort(key=lambda r: (order[r[0]], r[4], r[5], code_order.get(r[1], 10**6), r[1]))
    frame = pd.DataFrame(data, columns=list(EVIDENCE))
    return frame.astype({"start": "int64", "end": "int64", "probability": "float64"})


def codings_frame(rows: list[tuple[Segment, Match]], order: dict[str, int],
                   code_order: dict[str, int]) -> pd.DataFrame:
    grouped: dict[tuple[str, str], list[tuple[Segment, Match]]] = defaultdict(list)
    for seg, m in rows:
        grouped[(seg.segment_id, m.code)].append((seg, m))
    data = []
    for (segment_id, code), items in grouped.items():
        items.sort(key=lambda x: (_STATUS_RANK[x[1].status], x[1].start_char))
        seg, first = items[0]
        start, end = _absolute(seg, first)
        data.append((segment_id, code, first.kind, first.status == NEGATED, start, end, first.text,
                     first.pattern_id, len(items), first.cue, first.status, first.counts_for, RULE,
                     float("nan"), ""))
    data.sort(key=lambda r: (order[r[0]], code_order.get(r[1], 10**6), r[1]))
    frame = pd.DataFrame(data, columns=list(CODINGS))
    return frame.astype({"negated": "bool", "start": "int64", "end": "int64", "matches": "int64",
                         "probability": "float64"})

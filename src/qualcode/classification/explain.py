"""Why a case got its verdict: each code's share of each score, and quotes.

A configuration's score is the sum of its indicators' contributions
``w·m / Σw⁺`` (signed; floored at 0), so the contributions are the score's
own decomposition, not a separate heuristic. The strongest evidence of a
case is the handful of its segments that carry the codes with the largest
positive contributions, preferring segments that carry several of them and
segments that add a code not shown yet.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from qualcode.classification.classify import CaseScore

EXPLANATION_COLUMNS = ("case", "configuration", "code", "weight", "prevalence", "membership",
                       "contribution")
EVIDENCE_COLUMNS = ("case", "configuration", "rank", "segment_id", "interview_id", "codes",
                    "contribution", "quote")
QUOTE_LIMIT = 240
ELLIPSIS = "…"
_SPACES = re.compile(r"\s+")


def strongest_segments(segments: pd.DataFrame, themes: pd.DataFrame, evidence: pd.DataFrame | None,
                       contributions: Mapping[str, float], *, limit: int = 3) -> list[dict[str, Any]]:
    """Up to `limit` segments of one case that best support a configuration.

    Greedy: each pick maximises the contribution of the codes it adds to those
    already shown, then the total contribution of its codes, then prefers an
    interview not quoted yet, then more codes, then reading order.
    """
    positive = {c: v for c, v in contributions.items() if v > 0}
    if not positive or segments.empty:
        return []
    rows = themes[themes["code"].isin(set(positive))]
    carried: dict[str, set[str]] = {}
    for segment_id, code in zip(rows["segment_id"], rows["code"]):
        carried.setdefault(segment_id, set()).add(code)
    position = {sid: n for n, sid in enumerate(segments["segment_id"])}
    info = segments.set_index("segment_id")
    chosen: list[dict[str, Any]] = []
    covered: set[str] = set()
    quoted: set[str] = set()
    candidates = sorted((s for s in carried if s in position), key=position.__getitem__)
    while candidates and len(chosen) < limit:
        def key(sid: str, covered: set[str] = covered) -> tuple[float, float, bool, int, int]:
            codes = carried[sid]
            gain = sum(positive[c] for c in codes - covered)
            total = sum(positive[c] for c in codes)
            return (-round(gain, 12), -round(total, 12), info.at[sid, "interview_id"] in quoted,
                    -len(codes), position[sid])

        best = min(candidates, key=key)
        candidates.remove(best)
        codes = sorted(carried[best], key=lambda c: (-positive[c], c))
        covered |= set(codes)
        interview = str(info.at[best, "interview_id"])
        quoted.add(interview)
        text = str(info.at[best, "text"])
        chosen.append({
            "rank": len(chosen) + 1, "segment_id": best, "interview_id": interview,
            "codes": codes, "contribution": sum(positive[c] for c in codes),
            "quote": quote(text, _spans(evidence, best, codes, int(str(info.at[best, "start"])), len(text))),
        })
    return chosen


def _spans(evidence: pd.DataFrame | None, segment_id: str, codes: list[str], offset: int,
           length: int) -> list[tuple[int, int]]:
    """The matches of `codes` in a segment, as offsets in its text, codes in priority order."""
    if evidence is None:
        return []
    rows = evidence[(evidence["segment_id"] == segment_id) & evidence["code"].isin(codes)]
    rank = {c: n for n, c in enumerate(codes)}
    spans = sorted(((rank[c], int(s) - offset, int(e) - offset)
                    for c, s, e in zip(rows["code"], rows["start"], rows["end"])))
    return [(max(0, a), min(length, b)) for _, a, b in spans if a < length and b > 0 and a < b]


def quote(text: str, spans: list[tuple[int, int]], limit: int = QUOTE_LIMIT) -> str:
    """The text around the evidence, at most `limit` characters, cut at word boundaries.

    `spans` are (start, end) offsets in `text`, the most important first; the
    window covers as many of them as fit, in that order, then widens evenly
    on both sides. Whitespace runs become one space; cuts are marked with "…".
    """
    flat = _SPACES.sub(" ", text).strip()
    if len(flat) <= limit:
        return flat
    budget = limit - 2 * len(ELLIPSIS)
    spans = [(a, b) for a, b in spans if 0 <= a < b <= len(text)]
    if spans:
        lo, hi = spans[0]
        hi = min(hi, lo + budget)
        for a, b in spans[1:]:
            if max(hi, b) - min(lo, a) <= budget:
                lo, hi = min(lo, a), max(hi, b)
    else:
        lo, hi = 0, 0
    spare = budget - (hi - lo)
    end = min(len(text), max(0, lo - spare // 2) + budget)
    start = max(0, end - budget)
    # whole words only: move the cuts to whitespace, never into the evidence
    if start > 0 and not text[start - 1].isspace():
        gap = _SPACES.search(text, start, max(start, lo))
        start = gap.end() if gap else start
    if end < len(text) and not text[end].isspace():
        gaps = list(_SPACES.finditer(text, min(hi, end), end))
        end = gaps[-1].start() if gaps else end
    body = _SPACES.sub(" ", text[start:end]).strip()
    out = (ELLIPSIS if start > 0 else "") + body + (ELLIPSIS if end < len(text) else "")
    return out[:limit]


def explanation_rows(case: str, scored: CaseScore) -> list[tuple[str, str, str, float, float, float, float]]:
    """Rows of EXPLANATION_COLUMNS for one case, configurations then indicators in codebook order."""
    rows = []
    for configuration, parts in scored.contributions.items():
        for code, (weight, contribution) in parts.items():
            rows.append((case, configuration, code, weight, scored.prevalence.get(code, 0.0),
                         scored.membership.get(code, 0.0), contribution))
    return rows


def explanation_frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(EXPLANATION_COLUMNS)).astype(
        {"weight": "float64", "prevalence": "float64", "membership": "float64",
         "contribution": "float64"})


def evidence_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    data = [(r["case"], r["configuration"], r["rank"], r["segment_id"], r["interview_id"],
             ";".join(r["codes"]), r["contribution"], r["quote"]) for r in rows]
    return pd.DataFrame(data, columns=list(EVIDENCE_COLUMNS)).astype(
        {"rank": "int64", "contribution": "float64"})

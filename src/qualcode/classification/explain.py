"""Why a case got its verdict: each code's share of each score, and quotes.

A configuration's score is the sum of its indicators' contributions
``w·m / Σw⁺`` (signed; floored at 0), so the contributions are the score's
own decomposition, not a separate heuristic. The strongest evidence of a
case is the handful of its segments that carry the codes with the largest
positive contributions, preferring segments that carry several of them and
segments that add a code not shown yet. A code that a segment carries only
through a past or denied mention the codebook maps there ("la cellule a été
supprimée" for the Region's withdrawal) is evidence of a lesser kind: a
segment that says the theme outright is preferred, and the quote records
the status so that the reports say "évoqué au passé" or "nié".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from qualcode.coding.kinds import STATUSES

if TYPE_CHECKING:
    from qualcode.classification.classify import CaseScore

EXPLANATION_COLUMNS = ("case", "configuration", "code", "weight", "prevalence", "membership",
                       "contribution")
#: `statuses`: "code=status;..." for the codes a quote carries only through a past or denied mention
#: that the codebook counts (`historical: count`, or mapped to another theme); empty when all are present
EVIDENCE_COLUMNS = ("case", "configuration", "rank", "segment_id", "interview_id", "codes",
                    "contribution", "quote", "statuses")
QUOTE_LIMIT = 240
_STATUS_ORDER = list(STATUSES)
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
    mapped = _mapped(evidence, set(carried))
    position = {sid: n for n, sid in enumerate(segments["segment_id"])}
    info = segments.set_index("segment_id")
    chosen: list[dict[str, Any]] = []
    covered: set[str] = set()
    quoted: set[str] = set()
    candidates = sorted((s for s in carried if s in position), key=position.__getitem__)
    while candidates and len(chosen) < limit:
        def key(sid: str, covered: set[str] = covered) -> tuple[float, float, float, bool, int, int]:
            codes = carried[sid]
            said = codes - set(mapped.get(sid, {}))  # said as present, not mapped from a denial or a past
            gain = sum(positive[c] for c in codes - covered)
            total = sum(positive[c] for c in codes)
            return (-round(sum(positive[c] for c in said - covered), 12), -round(gain, 12), -round(total, 12),
                    info.at[sid, "interview_id"] in quoted, -len(codes), position[sid])

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
            "statuses": {c: v for c, v in sorted(mapped.get(best, {}).items()) if c in codes},
        })
    return chosen


def _mapped(evidence: pd.DataFrame | None, segment_ids: set[str]) -> dict[str, dict[str, str]]:
    """segment -> {code: status} for the codes a segment carries only through a match that is not
    `present` (a past mention counted for itself, a denial or a past mapped to another theme)."""
    if evidence is None or "status" not in evidence.columns:
        return {}
    rows = evidence[evidence["segment_id"].isin(segment_ids)]
    statuses: dict[tuple[str, str], list[str]] = {}
    for sid, code, status in zip(rows["segment_id"], rows["code"], rows["status"]):
        statuses.setdefault((str(sid), str(code)), []).append(str(status))
    found: dict[str, dict[str, str]] = {}
    for (sid, code), seen in statuses.items():
        if "present" not in seen:
            found.setdefault(sid, {})[code] = sorted(seen, key=_STATUS_ORDER.index)[0]
    return found


def _spans(evidence: pd.DataFrame | None, segment_id: str, codes: list[str], offset: int,
           length: int) -> list[tuple[int, int]]:
    """The matches of `codes` in a segment, as offsets in its text, codes in priority order."""
    if evidence is None:
        return []
    rows = evidence[(evidence["segment_id"] == segment_id) & evidence["code"].isin(codes)]
    if "status" in rows.columns:
        # a code said as present somewhere in the segment is quoted there, never at a denial or a past
        # mention of it ("pas dans mon bureau") that the window would otherwise centre on
        said = set(rows.loc[rows["status"] == "present", "code"])
        rows = rows[(rows["status"] == "present") | ~rows["code"].isin(said)]
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
             ";".join(r["codes"]), r["contribution"], r["quote"],
             ";".join(f"{c}={v}" for c, v in r.get("statuses", {}).items())) for r in rows]
    return pd.DataFrame(data, columns=list(EVIDENCE_COLUMNS)).astype(
        {"rank": "int64", "contribution": "float64"})

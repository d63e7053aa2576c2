"""Who works with whom: the providers mentioned together, per case.

An actor counts in a segment when one of its aliases is found there and the
mention counts (``counts_for`` not empty: a denied mention does not). Two
actors are *linked* in a segment when both count there; a pair's weight is
the number of segments that link them. This is co-mention, not proof of
cooperation: "we never see Cap emploi" still names Cap emploi unless the
codebook's negation cues catch it. Reports read these two frames.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from qualcode.classification.cases import CaseData
    from qualcode.coding.engine import Codings

PAIR_COLUMNS = ("case", "actor_a", "actor_b", "segments")
ACTOR_COLUMNS = ("case", "actor", "segments", "interviews")


def provider_network(data: CaseData | Codings | pd.DataFrame, segments: pd.DataFrame | None = None, *,
                     order: Sequence[str] | None = None, **kwargs: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Co-mentions of actors per case: (pairs, actors).

    Args:
        data: a `qualcode.classification.cases.CaseData`, or what `qualcode.classification.cases.case_data`
            accepts (a `Codings`, or an evidence/codings frame with `segments`).
        order: actor ids in codebook order; a pair is written in that order
            (actor_a before actor_b) and rows are sorted by it. Default: by id.

    Returns:
        `pairs` (PAIR_COLUMNS: segments where both actors count) and `actors`
        (ACTOR_COLUMNS: segments and interviews where each actor counts),
        both sorted by case, then actor order.
    """
    from qualcode.classification.cases import CaseData, case_data

    if not isinstance(data, CaseData):
        data = case_data(data, segments, **kwargs)
    rank = {a: n for n, a in enumerate(order or ())}

    def position(actor: str) -> tuple[int, str]:
        return (rank.get(actor, len(rank)), actor)

    hits = data.actors.merge(data.segments[["segment_id", "interview_id", "case"]], on="segment_id")
    actors: list[tuple[str, str, int, int]] = []
    for (case, actor), rows in hits.groupby(["case", "code"]):
        actors.append((str(case), str(actor), int(rows["segment_id"].nunique()),
                       int(rows["interview_id"].nunique())))
    actors.sort(key=lambda r: (r[0], position(r[1])))
    pairs: dict[tuple[str, str, str], int] = {}
    for (case, _segment), rows in hits.groupby(["case", "segment_id"]):
        named = sorted({str(code) for code in rows["code"]}, key=position)
        for a, b in combinations(named, 2):
            pairs[(str(case), a, b)] = pairs.get((str(case), a, b), 0) + 1
    pair_rows = sorted(((c, a, b, n) for (c, a, b), n in pairs.items()),
                       key=lambda r: (r[0], position(r[1]), position(r[2])))
    return (pd.DataFrame(pair_rows, columns=list(PAIR_COLUMNS)).astype({"segments": "int64"}),
            pd.DataFrame(actors, columns=list(ACTOR_COLUMNS)).astype({"segments": "int64",
                                                                      "interviews": "int64"}))

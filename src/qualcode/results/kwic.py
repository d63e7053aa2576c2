"""Reviewing codings in context: the evidence with the words around it (KWIC)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from qualcode.base.text import fold
from qualcode.errors import Errors, ResultsError
from qualcode.results.folder import ResultsFolder
from qualcode.results.layout import EVIDENCE_CSV, SEGMENTS_CSV

if TYPE_CHECKING:
    from qualcode.codebook.model import Codebook

KWIC_COLUMNS = ("segment_id", "case", "code", "kind", "status", "negation_cue", "left",
                "matched_text", "right", "pattern_id")


def select_evidence(folder: Path | str, *, code: str | None = None, case: str | None = None,
                    actor: str | None = None, negated: bool = False) -> pd.DataFrame:
    """Evidence rows of a results folder, filtered, with their left and right context."""
    results = ResultsFolder(Path(folder))
    segments = results.frame(SEGMENTS_CSV)
    evidence = results.frame(EVIDENCE_CSV)
    if code is not None or actor is not None:
        book = _codebook(results)
        themes = {c: [c] for c in evidence.loc[evidence["kind"] == "theme", "code"].astype(str)}
        actors = {c: [c] for c in evidence.loc[evidence["kind"] == "actor", "code"].astype(str)}
        if book is not None:
            themes.update({c.id: [c.id, *dict(c.label).values()] for c in book.codes if c.id in book.theme_ids})
            actors.update({a.id: [a.id, *dict(a.label).values()] for a in book.actors})
        code = _known("--code", "theme code", code, themes)
        actor = _known("--actor", "provider", actor, actors)
    if case is not None:
        case = _known("--case", "case", case, {c: [c] for c in segments["case"].astype(str)})
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


def _codebook(results: ResultsFolder) -> Codebook | None:
    """The codebook that coded the folder, for its ids and labels (None when it cannot be read)."""
    from qualcode.errors import QualcodeError

    try:
        return results.codebook()[0]
    except QualcodeError:
        return None


def _key(text: str) -> str:
    """"Pôle emploi", "pole-emploi" and "pole_emploi" alike."""
    return re.sub(r"[\W_]+", "_", fold(text)).strip("_")


def _known(option: str, what: str, value: str | None, known: Mapping[str, Sequence[str]]) -> str | None:
    """`value` when it is an id of `known`; the id whose label it is ("Pôle emploi" is pole_emploi);
    else E420, with the closest ids: a typo never reads as "no segment matches"."""
    if value is None or value in known:
        return value
    by_name = {_key(name): ident for ident, names in known.items() for name in names}
    if _key(value) in by_name:
        return by_name[_key(value)]
    close = difflib.get_close_matches(_key(value), sorted(by_name), n=2, cutoff=0.6)
    ids = list(dict.fromkeys(by_name[c] for c in close))
    hint = f" (did you mean {' or '.join(repr(i) for i in ids)}?)" if ids else ""
    choices = ", ".join(sorted(known)[:12]) + (", ..." if len(known) > 12 else "")
    raise ResultsError(Errors.E420.format(option=option, what=what, value=value, hint=hint, choices=choices))

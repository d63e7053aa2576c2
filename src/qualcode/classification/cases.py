"""From codings to cases: which themes count in each case, and how much.

A *case* is a group of interviews that share a metadata attribute (by
default the local ``area``). `case_matrix` counts, per case and theme code,
the segments where the code counts, the interviews where it counts, and the
share of the case's respondent words that lie in those segments. Presence is
always read from ``counts_for`` (after negation and the codebook's
negated/historical mapping), never from the matched ``code``.

Only respondent segments are counted: an interviewer's question (coded with
``--include-interviewer``) says nothing about the area.

The case of a segment is the ``case`` column that ``qualcode code --by X``
wrote. To group by another attribute afterwards, pass ``cases``: a mapping
from interview id to case value (`interview_cases` builds it from a Corpus
or a metadata table).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import pandas as pd

from qualcode.codebook.model import Codebook
from qualcode.defaults import CASE_ATTRIBUTE
from qualcode.errors import CodingError, Errors

if TYPE_CHECKING:
    from qualcode.coding.engine import Codings
    from qualcode.corpus.model import Corpus

#: the case matrix, then its segment share (the `segments` measure) and the
#: case's totals, so that a case_matrix.csv alone is enough to classify
CASE_MATRIX = ("case", "code", "segments", "interviews", "interview_share", "word_share")
CASE_MATRIX_EXTRA = ("segment_share", "case_interviews", "case_segments", "case_words")
CASE_MATRIX_COLUMNS = (*CASE_MATRIX, *CASE_MATRIX_EXTRA)

RESPONDENT = "respondent"
_SEGMENT_COLUMNS = ("segment_id", "interview_id", "case", "words", "text", "start")


@dataclass(frozen=True)
class CaseData:
    """Everything about the cases that the classification needs, per segment.

    `segments` holds the respondent segments (segment_id, interview_id, case,
    words, text, start); `themes` and `actors` the (segment_id, code) pairs
    that count; `evidence` the theme matches that count, with their offsets
    and status, to quote them (None when only pairs were given); `codes` the theme codes
    in report order; `by` the attribute that defines a case.
    """

    segments: pd.DataFrame
    themes: pd.DataFrame
    actors: pd.DataFrame
    evidence: pd.DataFrame | None
    codes: tuple[str, ...]
    by: str

    @property
    def cases(self) -> list[str]:
        return sorted(self.segments["case"].unique().tolist())

    def interviews(self, case: str) -> list[str]:
        """The interview ids of one case, sorted."""
        rows = self.segments[self.segments["case"] == case]
        return sorted(rows["interview_id"].unique().tolist())

    def only(self, case: str, *, without: str | None = None) -> CaseData:
        """The data of one case, optionally without one of its interviews."""
        keep = self.segments["case"] == case
        if without is not None:
            keep &= self.segments["interview_id"] != without
        segments = self.segments[keep]
        ids = set(segments["segment_id"])
        return replace(
            self, segments=segments,
            themes=self.themes[self.themes["segment_id"].isin(ids)],
            actors=self.actors[self.actors["segment_id"].isin(ids)],
            evidence=None if self.evidence is None else self.evidence[self.evidence["segment_id"].isin(ids)],
        )

    def matrix(self) -> pd.DataFrame:
        """The case x code matrix (see `case_matrix`)."""
        return _matrix(self.segments, self.themes, self.codes)


def _code_ids(codes: Codebook | Sequence[str] | None) -> tuple[str, ...] | None:
    if codes is None:
        return None
    if isinstance(codes, Codebook):
        return tuple(codes.theme_ids)
    return tuple(str(c) for c in codes)


def _pairs(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """(segment_id, code) pairs that count, from evidence, codings or applied pairs."""
    if frame is None or frame.empty:
        return pd.DataFrame({"segment_id": pd.Series(dtype=str), "code": pd.Series(dtype=str)})
    if "counts_for" in frame.columns:
        rows = frame[frame["counts_for"].fillna("").astype(str) != ""]
        if "kind" in rows.columns:
            rows = rows[rows["kind"] == kind]
        pairs = rows[["segment_id", "counts_for"]].rename(columns={"counts_for": "code"})
    else:  # already applied pairs (Codings.applied)
        rows = frame[frame["kind"] == kind] if "kind" in frame.columns else frame
        if kind != "theme" and "kind" not in frame.columns:
            rows = rows.iloc[0:0]
        pairs = rows[["segment_id", "code"]]
    return pairs.astype(str).drop_duplicates().reset_index(drop=True)


def _theme_evidence(frame: pd.DataFrame) -> pd.DataFrame | None:
    needed = {"segment_id", "counts_for", "start", "end"}
    if frame is None or not needed <= set(frame.columns):
        return None
    rows = frame[frame["counts_for"].fillna("").astype(str) != ""]
    if "kind" in rows.columns:
        rows = rows[rows["kind"] == "theme"]
    # the status says how a match counts: said as present, or mapped here by the codebook from a
    # denied or past mention, which a quote must then say
    status = rows["status"].fillna("present").astype(str) if "status" in rows.columns else "present"
    rows = rows[["segment_id", "counts_for", "start", "end"]].rename(columns={"counts_for": "code"})
    rows = rows.assign(status=status)
    return rows.astype({"start": "int64", "end": "int64"}).reset_index(drop=True)


def interview_cases(source: Corpus | pd.DataFrame, by: str) -> dict[str, str]:
    """Interview id -> value of `by`, from a Corpus or a metadata table.

    A table needs an `id` (or `interview_id`) column and a `by` column.
    Interviews without a value are left out (`case_data` then reports them).
    """
    if isinstance(source, pd.DataFrame):
        key = "id" if "id" in source.columns else "interview_id"
        if key not in source.columns or by not in source.columns:
            raise CodingError(Errors.E401.format(by=by, available=", ".join(map(str, source.columns))))
        return {str(i): str(v) for i, v in zip(source[key], source[by])
                if v is not None and not pd.isna(v) and str(v) != ""}
    found = {}
    for interview in source:
        value = interview.get(by)
        if value is not None:
            found[interview.id] = str(value)
    return found


def case_data(codings: Codings | pd.DataFrame, segments: pd.DataFrame | None = None, *,
              codes: Codebook | Sequence[str] | None = None,
              by: str | None = None, cases: Mapping[str, str] | None = None) -> CaseData:
    """Gather what the classification reads, from a `Codings` or from frames.

    Args:
        codings: a `qualcode.coding.engine.Codings`, or a frame of evidence
            (evidence.csv, preferred: it keeps every match), of codings
            (codings.csv) or of applied (segment_id, code) pairs.
        segments: the segments frame (segments.csv); taken from `codings`
            when it is a `Codings`.
        codes: the theme codes in report order: a Codebook or a list of ids.
            Default: the codes found, sorted.
        by: the attribute that defines a case. Default: the one used when coding.
        cases: interview id -> case, to group by another attribute than the
            one used when coding.

    Raises:
        CodingError: an interview has no case (E410), or `by` differs from the
            coding's and no `cases` were given (E411).
    """
    coded_by: str | None = None
    if isinstance(codings, pd.DataFrame):
        frame = codings
    else:
        coded_by = codings.by
        segments = codings.segments if segments is None else segments
        frame = codings.evidence
    if segments is None:
        raise TypeError("case_data needs the segments frame with a frame of codings")
    by = by or coded_by or CASE_ATTRIBUTE
    if cases is None and coded_by is not None and by != coded_by:
        raise CodingError(Errors.E411.format(coded=coded_by, by=by))
    segs = segments
    if "role" in segs.columns:
        segs = segs[segs["role"] == RESPONDENT]
    segs = segs.copy()
    for name, default in (("words", 0), ("text", ""), ("start", 0)):
        if name not in segs.columns:
            segs[name] = default
    if cases is not None:
        segs["case"] = segs["interview_id"].map(lambda i: cases.get(str(i), ""))
    elif "case" not in segs.columns:
        segs["case"] = ""
    segs["case"] = segs["case"].fillna("").astype(str)
    missing = sorted(segs.loc[segs["case"] == "", "interview_id"].astype(str).unique())
    if missing:
        raise CodingError(Errors.E410.format(count=len(missing), by=by, example=missing[0]))
    segs = segs[list(_SEGMENT_COLUMNS)].astype({"segment_id": str, "interview_id": str, "case": str,
                                                 "words": "int64", "start": "int64"})
    segs = segs.reset_index(drop=True)
    ids = set(segs["segment_id"])
    themes = _pairs(frame, "theme")
    themes = themes[themes["segment_id"].isin(ids)]
    actors = _pairs(frame, "actor")
    actors = actors[actors["segment_id"].isin(ids)]
    evidence = _theme_evidence(frame)
    if evidence is not None:
        evidence = evidence[evidence["segment_id"].isin(ids)]
    ordered = _code_ids(codes)
    if ordered is None:
        ordered = tuple(sorted(themes["code"].unique().tolist()))
    return CaseData(segs, themes.reset_index(drop=True), actors.reset_index(drop=True), evidence,
                    ordered, by)


def case_matrix(codings: CaseData | Codings | pd.DataFrame, segments: pd.DataFrame | None = None, *,
                codes: Codebook | Sequence[str] | None = None,
                by: str | None = None, cases: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The case x code matrix: every case (sorted) x every theme code (given order).

    Columns (`CASE_MATRIX_COLUMNS`): `case`, `code`, `segments`
    (segments where the code counts), `interviews` (interviews where it
    counts in at least one segment), `interview_share` (of the case's
    interviews), `word_share` (of the case's respondent words, in those
    segments); then `segment_share` (of the case's segments) and the case's
    totals `case_interviews`, `case_segments`, `case_words`. Zero rows are
    included. Arguments as for `case_data`, which also accepts a `CaseData`.
    """
    data = codings if isinstance(codings, CaseData) else case_data(
        codings, segments, codes=codes, by=by, cases=cases)
    return data.matrix()


def _matrix(segs: pd.DataFrame, themes: pd.DataFrame, codes: Sequence[str]) -> pd.DataFrame:
    totals = segs.groupby("case").agg(case_interviews=("interview_id", "nunique"),
                                      case_segments=("segment_id", "size"),
                                      case_words=("words", "sum"))
    hits = themes[themes["code"].isin(set(codes))].merge(
        segs[["segment_id", "interview_id", "case", "words"]], on="segment_id")
    counted = hits.groupby(["case", "code"]).agg(segments=("segment_id", "size"),
                                                 interviews=("interview_id", "nunique"),
                                                 words=("words", "sum"))
    rows = []
    for case in sorted(totals.index):
        n_int, n_seg, n_words = (int(x) for x in totals.loc[case])
        for code in codes:
            if (case, code) in counted.index:
                s, i, w = (int(x) for x in counted.loc[(case, code)])
            else:
                s = i = w = 0
            rows.append((case, code, s, i, _share(i, n_int), _share(w, n_words), _share(s, n_seg),
                         n_int, n_seg, n_words))
    frame = pd.DataFrame(rows, columns=list(CASE_MATRIX_COLUMNS))
    return frame.astype({"segments": "int64", "interviews": "int64", "interview_share": "float64",
                         "word_share": "float64", "segment_share": "float64",
                         "case_interviews": "int64", "case_segments": "int64", "case_words": "int64"})


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def check_segments(data: CaseData, what: str) -> None:
    if data.segments.empty:
        raise CodingError(Errors.E419.format(what=what))


__all__ = ["CASE_MATRIX_COLUMNS", "CASE_MATRIX_EXTRA", "CaseData", "case_data", "case_matrix",
           "interview_cases"]

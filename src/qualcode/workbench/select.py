"""Which segments a query selects: `--where ATTRIBUTE=VALUE` and Boolean code queries.

`--where` is repeatable: values of one attribute are alternatives (area=a
or area=b), different attributes must all hold. `status=VALUE` selects the
matches of that status (present, negated, historical, hypothetical,
elsewhere, rejected) instead of the codes that count.

A code query starts from `--code A` (the segments where A is found) and
narrows it: `--and B` (B found in the same segment), `--not C` (C not found
in it), `--near D --within sentence|turn|N` (a match of D in the same
sentence, the same speaker turn, or at most N words from a match of A; the
segments of both matches are selected). Unknown attributes, values and
codes fail with a did-you-mean (E460, E461, E463).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from qualcode.coding.kinds import STATUSES
from qualcode.errors import Errors, UsageError
from qualcode.workbench.table import Workbench, hint, listed

STATUS = "status"
#: `--within` for `--near`: a sentence, a speaker turn, or a number of words
NEAR_WITHIN = ("sentence", "turn")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Query:
    """A selection of segments: attribute filters and a code query (see the module's docstring)."""

    where: tuple[tuple[str, str], ...] = ()
    code: str | None = None
    all_of: tuple[str, ...] = ()
    none_of: tuple[str, ...] = ()
    near: str | None = None
    within: str = "sentence"

    def describe(self) -> str:
        parts = [f"{k}={v}" for k, v in self.where]
        if self.code:
            parts.append(f"code {self.code}")
        parts += [f"and {c}" for c in self.all_of] + [f"not {c}" for c in self.none_of]
        if self.near:
            parts.append(f"near {self.near} within {self.within}")
        return "the selection " + (", ".join(parts) if parts else "(everything)")


def parse_where(items: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """`["area=brevanne", "provider=apec"]` -> pairs (E462 for an item without '=')."""
    found = []
    for item in items:
        name, sep, value = str(item).partition("=")
        if not sep or not name.strip():
            raise UsageError(Errors.E462.format(text=item))
        found.append((name.strip(), value.strip()))
    return tuple(found)


def make_query(where: Iterable[str] = (), code: str | None = None, and_: Iterable[str] = (),
               not_: Iterable[str] = (), near: str | None = None, within: str = "sentence") -> Query:
    """A `Query` from command-line values (E466 when --and, --not or --near come without --code)."""
    all_of, none_of = tuple(and_), tuple(not_)
    if code is None:
        for option, given in (("--and", all_of), ("--not", none_of), ("--near", near)):
            if given:
                raise UsageError(Errors.E466.format(option=option))
    check_within(within)
    return Query(parse_where(where), code, all_of, none_of, near, within)


def check_within(within: str) -> str:
    if within in NEAR_WITHIN or (within.isdigit() and int(within) >= 0):
        return within
    raise UsageError(Errors.E467.format(value=within, choices="sentence, turn or a number of words"))


def statuses(query: Query) -> list[str] | None:
    """The statuses `--where status=` asks for (None: the codes that count)."""
    wanted = [v for k, v in query.where if k == STATUS]
    for value in wanted:
        if value not in STATUSES:
            raise UsageError(Errors.E461.format(attribute=STATUS, value=value, hint=hint(value, STATUSES),
                                                values=listed(STATUSES)))
    return wanted or None


def where_segments(bench: Workbench, query: Query) -> set[str]:
    """Segment ids that pass every attribute filter of `query` (status is not an attribute filter)."""
    keep = set(bench.segments["segment_id"])
    grouped: dict[str, list[str]] = {}
    for name, value in query.where:
        if name == STATUS:
            continue
        bench.check_attribute(name)
        grouped.setdefault(name, []).append(bench.check_value(name, value))
    for name, values in grouped.items():
        keep &= bench.segments_where(name, values)
    return keep


def _with(mentions: pd.DataFrame, code: str) -> set[str]:
    return set(mentions.loc[mentions["code"] == code, "segment_id"])


def select_segments(bench: Workbench, query: Query) -> list[str]:
    """The segment ids `query` selects, in the order of segments.csv."""
    keep = where_segments(bench, query)
    if query.code is not None:
        for code in (query.code, *query.all_of, *query.none_of, *([query.near] if query.near else [])):
            bench.check_code(code)
        found = bench.mentions(statuses(query))
        hits = _with(found, query.code)
        for code in query.all_of:
            hits &= _with(found, code)
        for code in query.none_of:
            hits -= _with(found, code)
        if query.near:
            hits = near_segments(bench, found, query.code, query.near, query.within, hits)
        keep &= hits
    return [s for s in bench.segments["segment_id"] if s in keep]


# --- near ------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Span:
    segment_id: str
    interview_id: str
    turn: int
    start: int
    end: int


def _sentence_starts(texts: Sequence[str], language: str) -> list[list[int]]:
    """Where each sentence of each text starts (the fast pipeline's sentencizer: no model needed)."""
    from qualcode.nlp.pipelines import load_pipeline

    nlp = load_pipeline(language if language in ("fr", "en") else "fr", "fast")
    return [[s.start_char for s in doc.sents] for doc in nlp.pipe(texts)]


def near_segments(bench: Workbench, found: pd.DataFrame, code: str, other: str, within: str,
                  candidates: set[str]) -> set[str]:
    """Segments holding a match of `code` with a match of `other` within a sentence, a turn or N words.

    Both matches' segments are selected; a pair counts when the segment of
    the `code` match passes the rest of the query (`candidates`). Words are
    counted in the speaker turn that holds both matches: matches in two
    different turns are never within N words.
    """
    segs = bench.segments.set_index("segment_id")
    rows = found[found["code"].isin([code, other]) & found["segment_id"].isin(segs.index)]
    firsts: list[_Span] = []
    seconds: list[_Span] = []
    for r in rows.itertuples(index=False):
        span = _Span(str(r.segment_id), str(segs.at[r.segment_id, "interview_id"]),
                     int(str(segs.at[r.segment_id, "turn"])), int(str(r.start)), int(str(r.end)))
        if r.code == code and span.segment_id in candidates:
            firsts.append(span)
        if r.code == other:
            seconds.append(span)
    starts: dict[str, list[int]] = {}
    if within == "sentence":
        held = sorted({s.segment_id for s in (*firsts, *seconds)})
        language = (dict(zip(bench.segments["segment_id"], bench.attributes["language"]))
                    if "language" in bench.attributes.columns else {})
        for lang in sorted({language.get(s) or "fr" for s in held}):
            mine = [s for s in held if (language.get(s) or "fr") == lang]
            found_starts = _sentence_starts([str(segs.at[s, "text"]) for s in mine], lang)
            starts.update({s: [int(str(segs.at[s, "start"])) + x for x in xs] for s, xs in zip(mine, found_starts)})
    selected: set[str] = set()
    for a in firsts:
        for b in seconds:
            if a.interview_id == b.interview_id and a.turn == b.turn and _close(bench, a, b, within, starts):
                selected.update((a.segment_id, b.segment_id))
    return selected


def _close(bench: Workbench, a: _Span, b: _Span, within: str, starts: dict[str, list[int]]) -> bool:
    """Two matches of one speaker turn, in the same sentence, or at most N words apart."""
    if within == "turn":
        return True
    if within == "sentence":
        if a.segment_id != b.segment_id:
            return False
        marks = starts.get(a.segment_id, [])
        return bisect.bisect_right(marks, a.start) == bisect.bisect_right(marks, b.start)
    first, second = sorted([a, b], key=lambda s: (s.start, s.end))
    if second.start <= first.end:
        return True
    return len(_WORD.findall(_between(bench, first, second))) <= int(within)


def _between(bench: Workbench, first: _Span, second: _Span) -> str:
    """The words of the turn between two of its matches, from the turn's segments."""
    segs = bench.segments
    turn = segs[(segs["interview_id"] == first.interview_id) & (segs["turn"] == first.turn)]
    pieces = []
    for start, text in sorted(zip(turn["start"].astype(int), turn["text"].astype(str))):
        lo, hi = max(first.end, start), min(second.start, start + len(text))
        if lo < hi:
            pieces.append(text[lo - start:hi - start])
    return " ".join(pieces)


__all__ = ["NEAR_WITHIN", "STATUS", "Query", "check_within", "make_query", "parse_where", "select_segments",
           "statuses", "where_segments"]

"""Coding units: a turn, its paragraphs, or its sentences.

Every unit is a span of one speaker turn, with offsets into the interview's
normalised text. Ids extend the turn's: ``<interview>#t<n>`` for a turn,
``#t<n>.p<k>`` for its k-th paragraph (a run of non-blank lines) and
``#t<n>.s<k>`` for its k-th sentence, as the pipeline splits it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from qualcode.base.text import count_words
from qualcode.corpus.model import Interview, Turn
from qualcode.defaults import UNITS
from qualcode.errors import CodingError, Errors

_BLANK_LINE = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True, slots=True)
class Segment:
    """One coding unit. `local_start`/`local_end` are offsets in the turn's text."""

    segment_id: str
    interview_id: str
    turn: int
    unit: str
    speaker: str
    role: str
    start: int
    end: int
    local_start: int
    local_end: int
    text: str

    @property
    def words(self) -> int:
        return count_words(self.text)


def check_unit(unit: str) -> None:
    if unit not in UNITS:
        raise CodingError(Errors.E301.format(unit=unit))


def _spans(text: str, cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Trim whitespace off each span and drop the empty ones."""
    kept = []
    for a, b in cuts:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            kept.append((a, b))
    return kept


def turn_segments(interview: Interview, turn: Turn, unit: str,
                  sentences: Sequence[tuple[int, int]] | None = None) -> list[Segment]:
    """Split one turn into units; sentence units need the sentences' character bounds.

    `sentences` come from the turn's token table (`qualcode.nlp.tokens.TurnView.sentence_chars`),
    so that a re-coding from the cache needs no spaCy document.
    """
    text = turn.text
    base = interview.segment_id(turn.n)
    if unit == "turn":
        cuts = [(0, len(text))]
        suffix = ""
    elif unit == "paragraph":
        cuts, position = [], 0
        for blank in _BLANK_LINE.finditer(text):
            cuts.append((position, blank.start()))
            position = blank.end()
        cuts.append((position, len(text)))
        suffix = "p"
    else:
        if sentences is None:
            raise ValueError("sentence units need the sentences' bounds")
        cuts = list(sentences)
        suffix = "s"
    segments = []
    for k, (a, b) in enumerate(_spans(text, cuts), 1):
        sid = base if unit == "turn" else f"{base}.{suffix}{k}"
        segments.append(Segment(sid, interview.id, turn.n, unit, turn.speaker, turn.role,
                                turn.start + a, turn.start + b, a, b, text[a:b]))
    if not segments and unit == "turn":
        segments.append(Segment(base, interview.id, turn.n, unit, turn.speaker, turn.role,
                                turn.start, turn.end, 0, len(text), text))
    return segments

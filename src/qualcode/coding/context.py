"""What the words around a match say of it: denied, past, wished for, or rejected.

ConText (Harkema et al. 2009, as in medspaCy) gives the shape: a cue has a
category, a direction (forward, backward or both) and a scope in tokens; its
scope stops at the sentence's end and at a terminator ("mais", "but"); a
pseudo-cue ("pas seulement", "not only") cancels the cue it overlaps; a cue
inside a match does not reach that match ("pas de coordination" is the
author's own words). The nearest cue of the strongest category wins:
negated, then hypothetical (wished, planned, conditional), then historical.

Three rules look beyond the cue's scope, because speech spreads a status
over sentences:

* **a past that ended.** A sentence told in the past (a `past` cue: "il y
  avait", "we had") is historical when it, the sentence before or the one
  after says that the thing ended (an `ended` cue: "et puis c'est tombé",
  "it was cut"): "Il y avait une cellule d'animation. Et puis c'est tombé."
* **a rejected echo.** A respondent who repeats a word and rejects it
  ("Décloisonner ? Pas vraiment.") does not say it: the echoed match, alone
  in a short question, followed by a `rejection` cue, is rejected.
* **a rejected question.** When the interviewer's question used a code and
  the answer opens by rejecting it ("Non, pas vraiment, chacun ses
  publics"), the same code in the answer's first two sentences is rejected.
* **elsewhere, then here.** A turn that describes another place (an
  `elsewhere` cue: "là-bas", "ailleurs", "elsewhere") and then turns to its
  own (a `here` cue: "ici", "chez nous", "here") says the first part of
  another area: from the elsewhere sentence to the contrast, matches are
  `elsewhere` ("Dans le bassin voisin ils font des journées croisées ; ici,
  rien" holds both in one sentence). Without a contrast later in the turn,
  nothing changes ("je vais là-bas tous les mardis" is not a comparison).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from qualcode.coding.kinds import ELSEWHERE, HISTORICAL, HYPOTHETICAL, NEGATED, PRESENT, REJECTED

if TYPE_CHECKING:
    from qualcode.nlp.tokens import TurnView

#: cue categories that reach matches within their scope, strongest first
SCOPED = (NEGATED, HYPOTHETICAL, HISTORICAL)
PAST, ENDED, REJECTION, ELSEWHERE_CUE, HERE = "past", "ended", "rejection", "elsewhere", "here"
#: an echo is a short question: at most this many words before its "?"
ECHO_WORDS = 8
#: a rejection opens a sentence: within its first tokens
OPENING = 4


@dataclass(frozen=True, slots=True)
class Cue:
    start: int
    end: int
    text: str
    direction: str
    scope: int
    category: str


@dataclass
class Context:
    """The cues of one document, and what they say of each sentence."""

    view: TurnView
    cues: list[Cue] = field(default_factory=list)
    stops: set[int] = field(default_factory=set)
    past: dict[int, str] = field(default_factory=dict)
    ended: dict[int, str] = field(default_factory=dict)
    rejections: dict[int, str] = field(default_factory=dict)
    #: sentence -> the cue that places it in another area, and the token where the contrast starts
    elsewhere: dict[int, tuple[str, int]] = field(default_factory=dict)

    @classmethod
    def build(cls, view: TurnView, cues: list[Cue], stops: set[int]) -> Context:
        context = cls(view, [c for c in cues if c.category in SCOPED], stops)
        for cue in cues:
            sentence = view.sentence_index(cue.start)
            if cue.category == PAST:
                context.past.setdefault(sentence, cue.text)
            elif cue.category == ENDED:
                context.ended.setdefault(sentence, cue.text)
            elif cue.category == REJECTION and cue.start - view.bounds[sentence][0] < OPENING:
                context.rejections.setdefault(sentence, cue.text)
        context._place(view, [c for c in cues if c.category in (ELSEWHERE_CUE, HERE)])
        return context

    def _place(self, view: TurnView, cues: list[Cue]) -> None:
        """Sentences told of another place: from an elsewhere cue to the contrast that follows it."""
        marks = sorted((c.start, c.category, c.text) for c in cues)
        here = [start for start, category, _ in marks if category == HERE]
        for start, category, text in marks:
            if category != ELSEWHERE_CUE:
                continue
            contrast = next((h for h in here if h > start), None)
            if contrast is None:
                continue
            last = view.sentence_index(contrast)
            for s in range(view.sentence_index(start), last + 1):
                self.elsewhere.setdefault(s, (text, contrast if s == last else view.bounds[s][1]))

    def status(self, start: int, end: int) -> tuple[str, str]:
        """The status of a match at tokens start:end, and the cue that gave it."""
        scoped = self._scoped(start, end)
        if scoped is not None:
            return scoped
        sentence = self.view.sentence_index(start)
        place = self.elsewhere.get(sentence)
        if place is not None and start < place[1]:
            return ELSEWHERE, place[0]
        if sentence in self.past:
            for near in (sentence, sentence + 1, sentence - 1):
                if near in self.ended:
                    return HISTORICAL, f"{self.past[sentence]} … {self.ended[near]}"
        return PRESENT, ""

    def rejected(self, start: int, end: int, in_question: bool) -> str:
        """The rejection cue when the match is an echo the respondent rejects, else ""."""
        sentence = self.view.sentence_index(start)
        first, last = self.view.bounds[sentence]
        view = self.view
        words = sum(1 for i in range(first, last) if view.is_word(i))
        echo = words <= ECHO_WORDS and "?" in view.orths[end:last]
        if echo and sentence + 1 in self.rejections:
            return self.rejections[sentence + 1]
        if in_question and sentence <= 1 and 0 in self.rejections:
            return self.rejections[0]
        return ""

    def _scoped(self, start: int, end: int) -> tuple[str, str] | None:
        if not self.cues:
            return None
        sent_start, sent_end = self.view.sentence(start)
        best: dict[str, tuple[int, str]] = {}
        for cue in self.cues:
            if cue.start < sent_start or cue.end > sent_end:
                continue
            if cue.start < end and start < cue.end:  # the cue is part of the match
                continue
            distance = None
            if cue.direction in ("forward", "both") and cue.end <= start:
                gap = start - cue.end
                if gap < cue.scope and not any(cue.end <= t < start for t in self.stops):
                    distance = gap
            if distance is None and cue.direction in ("backward", "both") and cue.start >= end:
                gap = cue.start - end
                # a terminator that opens the cue itself ("mais pas chez nous") does not end its scope
                if gap < cue.scope and not any(end <= t < cue.start for t in self.stops):
                    distance = gap
            if distance is None:
                continue
            if cue.category not in best or distance < best[cue.category][0]:
                best[cue.category] = (distance, cue.text)
        for category in SCOPED:
            if category in best:
                return category, best[category][1]
        return None


__all__ = ["ELSEWHERE", "ELSEWHERE_CUE", "ENDED", "HERE", "PAST", "REJECTED", "REJECTION", "SCOPED", "Context",
           "Cue"]

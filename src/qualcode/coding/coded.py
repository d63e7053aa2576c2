"""Each interview's coded turns, kept so that an unchanged codebook re-codes with no rules at all.

What the rules make of an interview (`qualcode.coding.engine.walk_turns`:
each turn's matches with their status, cue and what they count for) depends
only on the parsed texts, the turns' roles, the interview's local names, the
codebook's coding part in that language, and qualcode's own rules. An
entry is kept per interview under its parse's key, with the SHA-256 of all
of them (`coded_key`); it is read only when that digest is the run's, so a
kept entry is the result the run would compute:

* the parse: the DocBin entry's key (pipeline and texts, `nlp.cache.entry_key`);
* which turns are the respondent's (a question gives its answer context);
* the local names (`alias.<id>` metadata);
* the codebook's codes, actors and context rules as validated (not its
  configurations, groups or decision rule: editing those re-classifies
  without re-coding), and the language;
* qualcode's version and the source of the modules that apply the rules, so
  that a changed rule is never served an old result.

An entry also keeps each turn's sentence bounds, so that sentence units need
no token table. Entries live in the match cache's folder
(`qualcode.nlp.cache.MatchCache`); one that does not read back as the
interview's own (its turns, its texts, the codebook's codes) is a miss.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qualcode.coding.matchers import LocalNames, Match
from qualcode.nlp.cache import entry_key
from qualcode.version import __version__

if TYPE_CHECKING:
    from qualcode.codebook.model import Codebook
    from qualcode.coding.hits import TurnSource
    from qualcode.corpus.model import Interview
    from qualcode.nlp.cache import MatchCache

#: the modules whose code decides what the rules make of a turn (besides the codebook)
_RULE_MODULES = ("coding/matchers.py", "coding/context.py", "coding/patterns.py", "coding/kinds.py",
                 "coding/engine.py", "coding/coded.py", "nlp/tokens.py", "nlp/mood.py")

#: one turn as kept: its sentence bounds (start, end pairs) and its matches
CodedTurn = tuple[list[tuple[int, int]], list[Match]]


@cache
def _rules_source() -> str:
    """The SHA-256 of the rule modules' source: read once per process."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(__version__.encode())
    for name in _RULE_MODULES:
        try:
            digest.update((root / name).read_bytes())
        except OSError:  # a frozen install without sources: the version alone
            digest.update(name.encode())
    return digest.hexdigest()


def rules_key(codebook: Codebook, language: str) -> str:
    """What the rules of one language depend on in the codebook and in qualcode, as one digest."""
    coding = codebook.model_dump_json(include={"codes", "actors", "negation"})
    return hashlib.sha256(f"{_rules_source()}|{language}|{coding}".encode()).hexdigest()


def coded_key(rules: str, entry: str, interview: Interview, local: LocalNames) -> str:
    """What one interview's coded turns are made with: `rules` (`rules_key`), its parse's key, roles, local names."""
    roles = "".join("r" if turn.is_respondent else "i" for turn in interview.turns)
    names = "\x1f".join("\x1e".join(name) for name in local.names)
    return hashlib.sha256(f"{rules}|{entry}|{roles}|{names}".encode()).hexdigest()


def to_json(turns: Sequence[CodedTurn]) -> list[Any]:
    """Each turn as [flat sentence bounds, matches]; a match's text is not kept (its turn's text holds it)."""
    return [[[n for bound in bounds for n in bound],
             [[m.kind, m.code, m.pattern_id, m.start, m.end, m.start_char, m.end_char, m.status,
               m.cue, m.counts_for, m.full] for m in matches]]
            for bounds, matches in turns]


def from_json(raw: list[Any], interview: Interview, codes: frozenset[str]) -> list[CodedTurn] | None:
    """The kept turns, or None when they are not this interview's (damaged, foreign, another codebook)."""
    if len(raw) != len(interview.turns):
        return None
    turns: list[CodedTurn] = []
    try:
        for (flat, kept), turn in zip(raw, interview.turns):
            text = turn.text
            pairs = iter(flat)
            bounds = list(zip(pairs, pairs))
            if len(flat) % 2 or not all(type(a) is int and type(b) is int and 0 <= a <= b <= len(text)
                                        for a, b in bounds):
                return None
            matches = []
            for kind, code, pattern, start, end, a, b, status, cue, counts_for, full in kept:
                if (code not in codes or not all(type(n) is int for n in (start, end, a, b)) or not 0 <= a <= b <= len(text)
                        or type(full) is not bool
                        or not all(type(v) is str for v in (kind, pattern, status, cue, counts_for))):
                    return None
                matches.append(Match(kind, code, pattern, start, end, a, b, text[a:b], status, cue, counts_for, full))
            turns.append((bounds, matches))
    except (TypeError, ValueError):
        return None
    return turns


class Memo:
    """The coded turns of one language's interviews, read and kept beside a `TurnSource`'s match cache."""

    def __init__(self, source: TurnSource, codebook: Codebook, language: str) -> None:
        self.store: MatchCache | None = source.store
        self.source = source
        self.rules = rules_key(codebook, language) if self.store is not None else ""
        self.codes = frozenset(c.id for c in codebook.codes) | frozenset(a.id for a in codebook.actors)
        #: (interview, pattern item) pairs whose matches the kept turns stood for
        self.items_cached = 0

    def _keys(self, interview: Interview, local: LocalNames) -> tuple[str, str]:
        entry = entry_key(self.source.info.key, [t.text for t in interview.turns])
        return entry, coded_key(self.rules, entry, interview, local)

    def read(self, interview: Interview, local: LocalNames) -> list[CodedTurn] | None:
        if self.store is None:
            return None
        raw = self.store.coded(*self._keys(interview, local))
        return from_json(raw, interview, self.codes) if raw is not None else None

    def hit(self, local: LocalNames) -> None:
        """Count a kept interview as the source counts one read from the cache: its parse and its items."""
        if self.source.doc_cache is not None:
            self.source.doc_cache.hits += 1
        items = self.source.rules.items if self.source.rules is not None else {}
        self.items_cached += len({**items, **local.items()})

    def write(self, interview: Interview, local: LocalNames, turns: Sequence[CodedTurn]) -> None:
        if self.store is not None:
            self.store.put_coded(*self._keys(interview, local), to_json(turns))

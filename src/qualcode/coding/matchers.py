"""Matchers built once per language from a codebook: patterns, conditions, short names, context.

Phrases go into a ``PhraseMatcher`` on NORM (or on ORTH when the author asked
for an exact, case-sensitive match); token patterns into a ``Matcher``
(`qualcode.coding.patterns`). The same machinery finds actor aliases, the
words of `unless` and `near` conditions, short names, local names and the
context cues (`qualcode.coding.context` says what those cues do).

A document is one speaker turn. `find` returns every code and actor match of
it, each with the status its context gives it and the code it counts for:

1. the codebook's patterns and aliases match, and the interview's local
   names (metadata `alias.<id>`) count as full names of their code;
2. a pattern's `unless` words near it cancel the match; its `near`
   condition keeps it only near the words, or near a counted match of the
   codes or actors, it names;
3. a short name ("la cellule", "the hub") counts for its code once the
   interview has said the code's full name (earlier, or earlier in the turn);
4. each match gets its status (present, negated, historical, hypothetical,
   rejected) and, from the codebook's mapping, the code it counts for.
   An actor always counts: "on n'a pas de Cap emploi ici" still names it.

`LanguageRules` holds all of this without spaCy: it reads a turn's matches
per pattern (`Hits`, keyed by `qualcode.coding.patterns.Item`) and its
`qualcode.nlp.tokens.TurnView`, wherever they come from (the matchers just
now, or the cache). `LanguageMatchers` adds the spaCy matchers, for code
that holds a parsed `Doc`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from qualcode.coding.context import Context, Cue
from qualcode.coding.kinds import ACTOR, ELSEWHERE, HISTORICAL, HYPOTHETICAL, NEGATED, PRESENT, REJECTED, THEME
from qualcode.coding.patterns import Hits, Item, PatternGroup, Readings, item_group, match_items

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from qualcode.codebook.model import Codebook, Near, Pattern, Unless, Word
    from qualcode.nlp.tokens import TurnView


@dataclass(frozen=True, slots=True)
class Match:
    """One piece of evidence: a code or actor found in a document.

    `full` is False for a short name (which only counts after the full name).
    """

    kind: str
    code: str
    pattern_id: str
    start: int  # token offsets in the doc
    end: int
    start_char: int
    end_char: int
    text: str
    status: str = PRESENT
    cue: str = ""
    counts_for: str = ""
    full: bool = True


@dataclass(frozen=True, slots=True)
class _Phrase:
    """A plain phrase as the pattern machinery takes it (local names, condition words)."""

    phrase: str
    tokens: None = None
    case_sensitive: bool = False


@dataclass(frozen=True)
class LocalNames:
    """An interview's own names for codes and actors: (kind, id, phrase), from its metadata."""

    names: tuple[tuple[str, str, str], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.names)

    def items(self) -> dict[str, Item]:
        """The items of the names: plain phrases."""
        return {item.key: item for item in (Item.of(_Phrase(phrase)) for _, _, phrase in self.names)}


def _phrases(items: Iterable[Any]) -> set[str]:
    return {p.phrase for p in items if getattr(p, "phrase", None) and not getattr(p, "tokens", None)
            and not getattr(p, "case_sensitive", False)}


def _target(code_id: str, rule: str | None) -> str:
    if rule in (None, "", "ignore"):
        return ""
    if rule == "count":
        return code_id
    return rule


def _within(view: TurnView, a: tuple[int, int], b: tuple[int, int], within: str | int) -> bool:
    """Whether two token spans are within `within` of each other (a sentence, the turn, N tokens)."""
    if within == "turn":
        return True
    if within == "sentence":
        return view.sentence_index(a[0]) == view.sentence_index(b[0])
    gap = max(a[0], b[0]) - min(a[1], b[1])
    return gap <= int(within)


def _ordered(match: tuple[int, int], other: tuple[int, int], order: str) -> bool:
    if order == "before":  # the condition stands before the match
        return other[1] <= match[0]
    if order == "after":
        return other[0] >= match[1]
    return True


def filter_spans(spans: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    """The spans kept when overlapping ones meet: the (first) longest wins, as `spacy.util.filter_spans`."""
    kept: set[tuple[int, int]] = set()
    seen: set[int] = set()
    for start, end in sorted(spans, key=lambda s: (s[1] - s[0], -s[0]), reverse=True):
        if start not in seen and end - 1 not in seen:
            kept.add((start, end))
            seen.update(range(start, end))
    return kept


#: (label, key) pairs of one group: what each item's matches mean
Entries = list[tuple[Any, str]]


_SPAN_ORDER = itemgetter(0, 1, 2)
#: a group's entries per item key: (label, the label as a string, which orders matches on one span)
Index = dict[str, list[tuple[Any, str]]]


def _index(entries: Entries) -> Index:
    """The labels of a group's entries per item key."""
    index: Index = {}
    for label, key in entries:
        index.setdefault(key, []).append((label, str(label)))
    return index


def _group(index: Index, hits: Hits) -> list[tuple[Any, int, int]]:
    """A group's matches in a turn, in the order spaCy's matchers gave them: by span, then label.

    A turn matches few of the items: the turn's hits are walked, not the group's entries.
    """
    if len(index) < len(hits):  # a small group (cues, terminators): look its items up in the hits
        pairs = [(key, hits[key]) for key in index if key in hits]
    else:
        pairs = [(key, spans) for key, spans in hits.items() if key in index]
    found = [(s, e, text, label) for key, spans in pairs for label, text in index[key] for s, e in spans]
    found.sort(key=_SPAN_ORDER)
    return [(label, s, e) for s, e, _, label in found]


class LanguageRules:
    """Everything needed to code the turns of one language with one codebook, but the matching.

    `items` are every distinct pattern the codebook uses in the language
    (codes' patterns, actors' aliases, short names, cues, pseudo cues,
    terminators, condition words); `phrases` those whose NORM readings the
    pipeline must give.
    """

    def __init__(self, codebook: Codebook, language: str) -> None:
        self.language = language
        self.mapping: dict[tuple[str, str], str] = {}
        self.items: dict[str, Item] = {}
        #: the pattern that first used an item: named by a REGEX that takes too long (E308)
        self.owners: dict[str, str] = {}
        rules = codebook.negation.get(language)
        cues = list(rules.cues) if rules else []
        pseudo = list(rules.pseudo) if rules else []
        terminators = list(rules.terminators) if rules else []
        patterns = [(THEME, code.id, p) for code in codebook.codes for p in code.patterns.get(language, [])]
        patterns += [(ACTOR, actor.id, p) for actor in codebook.actors for p in actor.aliases.get(language, [])]
        shorts = [(THEME, code.id, name) for code in codebook.codes for name in code.short_names.get(language, [])]
        shorts += [(ACTOR, actor.id, name) for actor in codebook.actors
                   for name in actor.short_names.get(language, [])]
        words: list[Word] = [w for _, _, p in patterns for condition in (p.unless, p.near) if condition
                             for w in condition.words]
        wanted = _phrases(p for _, _, p in patterns) | _phrases(cues) | _phrases(pseudo) | _phrases(terminators)
        wanted |= _phrases(words) | {name for _, _, name in shorts}
        self.phrases = sorted(wanted)

        self.conditions: dict[str, tuple[Unless | None, Near | None]] = {}
        self.codes: Entries = []
        self.condition_words: Entries = []
        for code in codebook.codes:
            self.mapping[(code.id, PRESENT)] = code.id
            self.mapping[(code.id, NEGATED)] = _target(code.id, code.negated)
            self.mapping[(code.id, HISTORICAL)] = _target(code.id, code.historical)
            self.mapping[(code.id, HYPOTHETICAL)] = _target(code.id, code.hypothetical)
            self.mapping[(code.id, REJECTED)] = ""
            self.mapping[(code.id, ELSEWHERE)] = ""
        for actor in codebook.actors:  # a provider named is a provider mentioned, whatever is said of it
            for status in (PRESENT, NEGATED, HISTORICAL, HYPOTHETICAL, REJECTED, ELSEWHERE):
                self.mapping[(actor.id, status)] = actor.id
        for kind, owner, pattern in patterns:
            self.codes.append(((kind, owner, pattern.id), self._item(pattern, pattern.id)))
            self._add_conditions(pattern)
        self.shorts: Entries = []
        for n, (kind, owner, name) in enumerate(shorts, 1):
            short_id = f"{owner}/short/{language}/{n}"
            self.shorts.append(((kind, owner, short_id), self._item(_Phrase(name), short_id)))
        self.cues: Entries = []
        for n, cue in enumerate(cues, 1):
            label = (cue.id or f"cue{n}", cue.direction, int(cue.scope), cue.category)
            self.cues.append((label, self._item(cue, cue.id or f"cue{n}")))
        self.pseudo: Entries = [(n, self._item(item, f"pseudo{n}")) for n, item in enumerate(pseudo, 1)]
        self.terminators: Entries = [(n, self._item(item, f"terminator{n}")) for n, item in enumerate(terminators, 1)]
        self._local: dict[LocalNames, Entries] = {}
        self._indexes: dict[int, Index] = {}

    def _group(self, entries: Entries, hits: Hits) -> list[tuple[Any, int, int]]:
        """A group's matches in a turn (`entries`: one of this object's groups, indexed once)."""
        index = self._indexes.get(id(entries))
        if index is None:
            index = self._indexes[id(entries)] = _index(entries)
        return _group(index, hits)

    def _item(self, pattern: Any, owner: str) -> str:
        item = Item.of(pattern)
        key = item.key
        if key not in self.items:
            self.items[key] = item
            self.owners[key] = owner
        return key

    def _add_conditions(self, pattern: Pattern) -> None:
        if pattern.unless is None and pattern.near is None:
            return
        self.conditions[pattern.id] = (pattern.unless, pattern.near)
        for which, condition in (("unless", pattern.unless), ("near", pattern.near)):
            for word in condition.words if condition else []:
                self.condition_words.append(((pattern.id, which), self._item(word, pattern.id)))

    def local_entries(self, local: LocalNames) -> Entries:
        """The entries of an interview's local names (their items: `local.items()`)."""
        if local not in self._local:
            self._local[local] = [((kind, owner, f"{owner}/local/{n}"), Item.of(_Phrase(phrase)).key)
                                  for n, (kind, owner, phrase) in enumerate(local.names, 1)]
        return self._local[local]

    def find(self, view: TurnView, hits: Hits, *, question: frozenset[str] = frozenset(),
             introduced: frozenset[str] | set[str] = frozenset(), local: LocalNames = LocalNames()) -> list[Match]:
        """Every code and actor match of one turn, with its status.

        Args:
            view: the turn's text and token table.
            hits: the turn's matches per item (every item of the codebook and
                of `local`; an item without matches may be left out).
            question: the theme codes the interviewer's question used (an echo
                of one of them that the answer rejects is `rejected`).
            introduced: the codes and actors whose full name the interview said
                before this turn (their short names count).
            local: the interview's local names.
        """
        raw = self._group(self.codes, hits)
        if local:
            raw += self._group(self.local_entries(local), hits)
        shorts = self._group(self.shorts, hits) if self.shorts else []
        if not raw and not shorts:
            return []
        conditions: dict[tuple[str, str], list[tuple[int, int]]] = {}
        if self.conditions and raw:  # each pattern's condition words, found once per turn
            for owner, s, e in self._group(self.condition_words, hits):
                conditions.setdefault(owner, []).append((s, e))
        raw = [r for r in raw if self._allowed(view, r, conditions)]
        full_at: dict[str, int] = {}
        for (_kind, code, _pattern), start, _end in raw:
            full_at[code] = min(start, full_at.get(code, start))
        raw += [((kind, code, pattern_id), start, end) for (kind, code, pattern_id), start, end in shorts
                if code in introduced or (code in full_at and full_at[code] < start)]
        if not raw:
            return []
        context = self._context(view, hits)
        matches = self._resolve(view, raw, context, question)
        matches = self._near(view, matches, conditions)
        matches.sort(key=lambda m: (m.start, m.end, m.kind != THEME, m.code))
        return matches

    def _allowed(self, view: TurnView, raw: tuple[Any, int, int],
                 conditions: Mapping[tuple[str, str], Sequence[tuple[int, int]]]) -> bool:
        """A match's `unless` words are not near it, and its `near` words (if any) are."""
        (_, _, pattern_id), start, end = raw
        unless, near = self.conditions.get(pattern_id, (None, None))
        if unless is not None and any(_within(view, (start, end), (s, e), unless.within)
                                      for s, e in conditions.get((pattern_id, "unless"), ())):
            return False
        if near is not None and near.words and not near.codes and not near.actors:
            return any(_within(view, (start, end), (s, e), near.within) and _ordered((start, end), (s, e), near.order)
                       for s, e in conditions.get((pattern_id, "near"), ()))
        return True

    def _near(self, view: TurnView, matches: list[Match],
              conditions: Mapping[tuple[str, str], Sequence[tuple[int, int]]]) -> list[Match]:
        """Keep a match whose pattern needs codes, actors (or words) near only when one of them is."""
        if not any(m.pattern_id in self.conditions for m in matches):
            return matches
        anchors = [m for m in matches if m.pattern_id not in self.conditions or self.conditions[m.pattern_id][1] is None]
        kept = []
        for match in matches:
            near = self.conditions.get(match.pattern_id, (None, None))[1]
            if near is None or (not near.codes and not near.actors):
                kept.append(match)
                continue
            here = (match.start, match.end)
            found = any(_within(view, here, (s, e), near.within) and _ordered(here, (s, e), near.order)
                        for s, e in conditions.get((match.pattern_id, "near"), ()))
            found = found or any(_within(view, here, (o.start, o.end), near.within) and _ordered(here, (o.start, o.end), near.order)
                        and ((o.kind == THEME and o.counts_for in near.codes) or (o.kind == ACTOR and o.code in near.actors))
                        for o in anchors if o is not match)
            if found:
                kept.append(match)
        return kept

    def _context(self, view: TurnView, hits: Hits) -> Context:
        pseudo = [(s, e) for _, s, e in self._group(self.pseudo, hits)]
        cues = []
        for (_cue_id, direction, scope, category), start, end in self._group(self.cues, hits):
            if any(ps < end and start < pe for ps, pe in pseudo):
                continue
            cues.append(Cue(start, end, view.span_text(start, end), direction, scope, category))
        stops = {start for _, start, _ in self._group(self.terminators, hits)}
        return Context.build(view, cues, stops)

    def _resolve(self, view: TurnView, raw: list[tuple[Any, int, int]], context: Context,
                 question: frozenset[str]) -> list[Match]:
        """One match per span and code (the longest wins), with its status and what it counts for."""
        by_code: dict[tuple[str, str], list[tuple[str, int, int]]] = {}
        for (kind, code, pattern_id), start, end in raw:
            by_code.setdefault((kind, code), []).append((pattern_id, start, end))
        matches: list[Match] = []
        for (kind, code), found in by_code.items():
            kept = filter_spans((s, e) for _, s, e in found)
            seen: set[tuple[int, int]] = set()
            for pattern_id, start, end in sorted(found, key=lambda f: ("/short/" in f[0], f[1], f[2], f[0])):
                if (start, end) not in kept or (start, end) in seen:
                    continue
                seen.add((start, end))
                status, cue = context.status(start, end)
                if kind == THEME and status == PRESENT:
                    rejection = context.rejected(start, end, code in question)
                    if rejection:
                        status, cue = REJECTED, rejection
                start_char, end_char = view.chars(start, end)
                matches.append(Match(kind, code, pattern_id, start, end, start_char, end_char,
                                     view.text[start_char:end_char], status, cue,
                                     self.mapping.get((code, status), ""), full="/short/" not in pattern_id))
        return matches


class LanguageMatchers(LanguageRules):
    """The rules of one language with spaCy's matchers: codes parsed documents (`find`)."""

    def __init__(self, codebook: Codebook, language: str, nlp: Language,
                 readings: Readings | None = None) -> None:
        from qualcode.nlp.pipelines import phrase_readings

        super().__init__(codebook, language)
        self.nlp = nlp
        known = dict(readings or {})
        missing = [p for p in self.phrases if p not in known]
        if missing:
            known.update(phrase_readings(nlp, missing))
        self.readings: dict[str, list[list[str]]] = {p: [list(r) for r in known[p]] for p in self.phrases}
        self.group = item_group(nlp, self.items, self.readings, self.owners)
        self._local_groups: dict[LocalNames, PatternGroup] = {}

    def local_group(self, local: LocalNames) -> PatternGroup | None:
        """The matcher of an interview's local names, built once per set of names."""
        from qualcode.nlp.pipelines import phrase_readings

        if not local:
            return None
        if local not in self._local_groups:
            items = local.items()
            readings = phrase_readings(self.nlp, sorted({i.phrase for i in items.values() if i.phrase}))
            self._local_groups[local] = item_group(self.nlp, items, readings)
        return self._local_groups[local]

    def hits(self, doc: Doc, local: LocalNames = LocalNames()) -> dict[str, list[tuple[int, int]]]:
        """Every item's matches in a document: the codebook's, and the local names'."""
        found = match_items(self.group, doc)
        group = self.local_group(local)
        if group is not None:
            for key, spans in match_items(group, doc).items():
                found[key] = sorted(set(found.get(key, [])) | set(spans))
        return found

    def find_doc(self, doc: Doc, *, question: frozenset[str] = frozenset(),
                 introduced: frozenset[str] | set[str] = frozenset(),
                 local: LocalNames = LocalNames()) -> list[Match]:
        """Every code and actor match of a parsed document (one turn), with its status."""
        from qualcode.nlp.tokens import TokenTable, TurnView

        view = TurnView(doc.text, TokenTable.from_doc(doc))
        return LanguageRules.find(self, view, self.hits(doc, local), question=question, introduced=introduced,
                                  local=local)


__all__ = ["ACTOR", "HISTORICAL", "HYPOTHETICAL", "NEGATED", "PRESENT", "REJECTED", "THEME", "LanguageMatchers",
           "LocalNames", "Match"]

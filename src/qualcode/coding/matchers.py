"""Matchers built once per language from a codebook, and negation scopes.

Phrases go into a ``PhraseMatcher`` on NORM (or on ORTH when the author asked
for an exact, case-sensitive match); token patterns into a ``Matcher``. The
same machinery finds actor aliases and negation cues.

Negation follows the shape of ConText (Harkema et al. 2009, as in medspaCy):
a cue has a direction (forward, backward or both), a maximum scope in tokens
and a category (``negated``, or ``historical`` for what no longer exists); its
scope stops at the sentence's end and at a terminator ("mais", "but"), and a
pseudo-cue ("pas seulement", "not only") cancels the cue it overlaps. A cue
inside a match does not negate that match: a pattern such as "pas de
coordination" is the author's own words. When both a negated and a
historical cue reach a match, negated wins; the nearest cue is reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from qualcode.coding.kinds import ACTOR, HISTORICAL, NEGATED, PRESENT, THEME
from qualcode.nlp.pipelines import phrase_readings

if TYPE_CHECKING:
    from qualcode.codebook.model import Codebook, NegationRules


@dataclass(frozen=True, slots=True)
class Match:
    """One piece of evidence: a code or actor found in a document."""

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


@dataclass(frozen=True, slots=True)
class _Cue:
    start: int
    end: int
    text: str
    direction: str
    scope: int
    category: str


_LITERAL_ATTRS = ("NORM", "LOWER", "ORTH")


def _required(token: dict[str, Any]) -> bool:
    """A token that every match of its pattern must contain."""
    op = token.get("OP")
    if op is None or op == "+":
        return True
    if isinstance(op, str) and op.startswith("{"):
        low = op.strip("{}").split(",")[0].strip()
        return low.isdigit() and int(low) >= 1
    return False


Anchor = tuple[tuple[str, frozenset[str]], ...]


def anchor_of(tokens: list[dict[str, Any]]) -> Anchor:
    """What a document must contain for the pattern to match.

    One (attribute, values) pair per required token with a literal NORM, LOWER
    or ORTH (a string or an IN list): the document must hold one of the values
    of every pair. Empty when no token qualifies: the pattern is tried on every
    document.
    """
    needs: set[tuple[str, frozenset[str]]] = set()
    for token in tokens:
        if not _required(token):
            continue
        for attr in _LITERAL_ATTRS:
            value = token.get(attr)
            if isinstance(value, dict) and set(value) == {"IN"} and isinstance(value["IN"], list):
                values = [v for v in value["IN"] if isinstance(v, str)]
                if len(values) != len(value["IN"]) or not values:
                    continue
            elif isinstance(value, str):
                values = [value]
            else:
                continue
            needs.add((attr, frozenset(values)))
    return tuple(sorted(needs, key=lambda n: (n[0], sorted(n[1]))))


class DocView:
    """What every matcher group needs to know about one document, computed once.

    Token attribute hashes (NORM, LOWER, ORTH), sentence bounds, and per
    sentence the set of each attribute's values.
    """

    def __init__(self, doc: Doc) -> None:
        from spacy.attrs import LOWER, NORM, ORTH, SENT_START

        self.doc = doc
        table = doc.to_array([NORM, LOWER, ORTH, SENT_START])
        self.columns = [table[:, k].tolist() for k in range(3)]
        sent_starts = table[:, 3].tolist()
        starts = [0] + [i for i in range(1, len(doc)) if sent_starts[i] == 1]
        self.bounds = list(zip(starts, [*starts[1:], len(doc)]))
        self._starts = starts
        self._present: list[list[set[int]]] | None = None

    @property
    def present(self) -> list[list[set[int]]]:
        if self._present is None:
            self._present = [[set(col[a:b]) for col in self.columns] for a, b in self.bounds]
        return self._present

    def sentence(self, token: int) -> tuple[int, int]:
        """(start, end) of the sentence that holds a token."""
        from bisect import bisect_right

        return self.bounds[max(0, bisect_right(self._starts, token) - 1)]


#: a literal token pattern expands into at most this many phrase sequences;
#: larger products are cheaper to build as one anchored Matcher pattern
MAX_EXPANSION = 1024


def expand_literal(tokens: list[dict[str, Any]]) -> tuple[str, list[list[str]]] | None:
    """The word sequences a purely literal token pattern matches, or None.

    A pattern whose tokens each hold one attribute (NORM or LOWER, the same for
    all), as a string or an IN list, with no operator or `?`, matches exactly a
    finite set of sequences: those go to the PhraseMatcher, which costs nothing
    per pattern, instead of the Matcher, which costs patterns x tokens.
    """
    attr = None
    sequences: list[list[str]] = [[]]
    for token in tokens:
        op = token.get("OP")
        keys = [k for k in token if k != "OP"]
        if op not in (None, "?") or len(keys) != 1 or keys[0] not in ("NORM", "LOWER"):
            return None
        if attr is None:
            attr = keys[0]
        elif attr != keys[0]:
            return None
        value = token[attr]
        if isinstance(value, str):
            options = [value]
        elif isinstance(value, dict) and set(value) == {"IN"} and isinstance(value["IN"], list) \
                and value["IN"] and all(isinstance(v, str) and v for v in value["IN"]):
            options = list(dict.fromkeys(value["IN"]))
        else:
            return None
        grown = [[*seq, o] for seq in sequences for o in options]
        if op == "?":
            grown += sequences
        if len(grown) > MAX_EXPANSION:
            return None
        sequences = grown
    sequences = [seq for seq in sequences if seq]
    if attr is None or not sequences:
        return None
    return attr, sequences


@dataclass
class _Group:
    """Phrase and token matchers that share one label space.

    spaCy's `Matcher` costs patterns x tokens. Purely literal token patterns are
    therefore expanded into phrase sequences; the others are filed under their
    anchor (the words they cannot match without), and each anchor's small
    Matcher runs only on the sentences that contain those words.
    """

    nlp: Language
    norm: PhraseMatcher
    orth: PhraseMatcher
    lower: PhraseMatcher
    labels: dict[int, Any] = field(default_factory=dict)
    anchored: dict[Anchor, Matcher] = field(default_factory=dict)
    _compiled: Any = None

    def _phrase_docs(self, words_list: list[list[str]], attr: str) -> list[Doc]:
        docs = []
        for words in words_list:
            doc = Doc(self.nlp.vocab, words=words)
            if attr == "NORM":
                for token, word in zip(doc, words):
                    token.norm_ = word
            docs.append(doc)
        return docs

    def add(self, nlp: Language, key: str, label: Any, pattern: Any,
            phrase_docs: dict[str, list[list[str]]]) -> None:
        match_id = nlp.vocab.strings.add(key)
        self.labels[match_id] = label
        tokens = getattr(pattern, "tokens", None)
        if tokens:
            expanded = expand_literal(list(tokens))
            if expanded is not None:
                attr, sequences = expanded
                matcher = self.norm if attr == "NORM" else self.lower
                matcher.add(key, self._phrase_docs(sequences, attr))
                return
            anchor = anchor_of(list(tokens))
            self.anchored.setdefault(anchor, Matcher(nlp.vocab)).add(key, [list(tokens)])
            return
        phrase = pattern.phrase
        if getattr(pattern, "case_sensitive", False):
            self.orth.add(key, [nlp.make_doc(phrase)])
            return
        self.norm.add(key, self._phrase_docs(phrase_docs[phrase], "NORM"))

    def __call__(self, doc: Doc, view: DocView | None = None) -> list[tuple[Any, int, int]]:
        found: set[tuple[int, int, int]] = set()
        for matcher in (self.norm, self.orth, self.lower):
            if len(matcher):
                found.update(matcher(doc))
        if self.anchored:
            found.update(self._anchored(view or DocView(doc)))
        return sorted(((self.labels[m], s, e) for m, s, e in found), key=lambda x: (x[1], x[2], str(x[0])))

    def _index(self) -> tuple[list[tuple[Matcher, list[tuple[int, frozenset[int]]]]],
                              list[dict[int, list[int]]], list[int]]:
        """Anchors as hashed needs, and per attribute an inverted index from words to anchors."""
        if self._compiled is None:
            strings = self.nlp.vocab.strings
            column = {attr: n for n, attr in enumerate(_LITERAL_ATTRS)}
            entries: list[tuple[Matcher, list[tuple[int, frozenset[int]]]]] = []
            index: list[dict[int, list[int]]] = [{} for _ in _LITERAL_ATTRS]
            always: list[int] = []
            for n, (anchor, matcher) in enumerate(self.anchored.items()):
                needs = [(column[attr], frozenset(strings.add(v) for v in values))
                         for attr, values in anchor]
                entries.append((matcher, needs))
                if not needs:
                    always.append(n)
                    continue
                key_col, key_values = min(needs, key=lambda need: len(need[1]))
                for value in key_values:
                    index[key_col].setdefault(value, []).append(n)
            self._compiled = (entries, index, always)
        return self._compiled

    def _anchored(self, view: DocView) -> set[tuple[int, int, int]]:
        """Token patterns with gaps, tried on the sentences that hold their words."""
        entries, index, always = self._index()
        doc = view.doc
        found: set[tuple[int, int, int]] = set()
        for (start, end), present in zip(view.bounds, view.present):
            candidates = set(always)
            for k in range(3):
                keys = index[k]
                if keys:
                    for value in present[k].intersection(keys):
                        candidates.update(keys[value])
            span = None
            for n in sorted(candidates):
                matcher, needs = entries[n]
                if all(not present[col].isdisjoint(values) for col, values in needs):
                    span = span if span is not None else doc[start:end]
                    found.update((m, start + a, start + b) for m, a, b in matcher(span))
        return found


def _group(nlp: Language) -> _Group:
    return _Group(nlp, PhraseMatcher(nlp.vocab, attr="NORM"), PhraseMatcher(nlp.vocab, attr="ORTH"),
                  PhraseMatcher(nlp.vocab, attr="LOWER"))


def _phrases(items: Iterable[Any]) -> set[str]:
    return {p.phrase for p in items if getattr(p, "phrase", None) and not getattr(p, "tokens", None)
            and not getattr(p, "case_sensitive", False)}


def _as_patterns(items: Iterable[Any]) -> list[Any]:
    """Pseudo-cues and terminators may be plain strings in a hand-built codebook."""
    return [_PlainPhrase(x) if isinstance(x, str) else x for x in items]


@dataclass(frozen=True)
class _PlainPhrase:
    phrase: str
    tokens: None = None
    case_sensitive: bool = False
    id: str = ""


class LanguageMatchers:
    """Everything needed to code documents of one language with one codebook."""

    def __init__(self, codebook: Codebook, language: str, nlp: Language) -> None:
        self.language = language
        self.nlp = nlp
        self.mapping: dict[tuple[str, str], str] = {}
        rules = _negation_rules(codebook, language)
        cues = list(getattr(rules, "cues", []) or [])
        pseudo = _as_patterns(getattr(rules, "pseudo", []) or [])
        terminators = _as_patterns(getattr(rules, "terminators", []) or [])

        wanted: set[str] = set()
        for code in codebook.codes:
            wanted |= _phrases(code.patterns.get(language, []))
        for actor in codebook.actors:
            wanted |= _phrases(actor.aliases.get(language, []))
        wanted |= _phrases(cues) | _phrases(pseudo) | _phrases(terminators)
        phrase_docs = phrase_readings(nlp, sorted(wanted))

        self.codes = _group(nlp)
        for code in codebook.codes:
            self.mapping[(code.id, NEGATED)] = _target(code.id, getattr(code, "negated", "ignore"))
            self.mapping[(code.id, HISTORICAL)] = _target(code.id, getattr(code, "historical", "ignore"))
            self.mapping[(code.id, PRESENT)] = code.id
            for pattern in code.patterns.get(language, []):
                self.codes.add(nlp, f"qc:{THEME}:{pattern.id}", (THEME, code.id, pattern.id),
                               pattern, phrase_docs)
        for actor in codebook.actors:
            self.mapping[(actor.id, PRESENT)] = actor.id
            self.mapping[(actor.id, HISTORICAL)] = actor.id
            self.mapping[(actor.id, NEGATED)] = ""
            for pattern in actor.aliases.get(language, []):
                self.codes.add(nlp, f"qc:{ACTOR}:{pattern.id}", (ACTOR, actor.id, pattern.id),
                               pattern, phrase_docs)
        self.cues = _group(nlp)
        for n, cue in enumerate(cues, 1):
            label = (getattr(cue, "id", "") or f"cue{n}", cue.direction, int(cue.scope), cue.category)
            self.cues.add(nlp, f"qc:cue:{language}:{n}", label, cue, phrase_docs)
        self.pseudo = _group(nlp)
        for n, item in enumerate(pseudo, 1):
            self.pseudo.add(nlp, f"qc:pseudo:{language}:{n}", n, item, phrase_docs)
        self.terminators = _group(nlp)
        for n, item in enumerate(terminators, 1):
            self.terminators.add(nlp, f"qc:term:{language}:{n}", n, item, phrase_docs)

    def find(self, doc: Doc) -> list[Match]:
        """Every code and actor match of a document, with its negation status."""
        view = DocView(doc)
        raw = self.codes(doc, view)
        if not raw:
            return []
        by_code: dict[tuple[str, str], list[tuple[str, int, int]]] = {}
        for (kind, code, pattern_id), start, end in raw:
            by_code.setdefault((kind, code), []).append((pattern_id, start, end))
        cues = self._cues(doc, view)
        stops = {start for _, start, _ in self.terminators(doc, view)}
        matches: list[Match] = []
        for (kind, code), found in by_code.items():
            spans = filter_spans([doc[s:e] for _, s, e in found])
            kept = {(sp.start, sp.end) for sp in spans}
            seen: set[tuple[int, int]] = set()
            for pattern_id, start, end in found:
                if (start, end) not in kept or (start, end) in seen:
                    continue
                seen.add((start, end))
                status, cue = _status(view, start, end, cues, stops)
                span = doc[start:end]
                matches.append(Match(kind, code, pattern_id, start, end, span.start_char,
                                     span.end_char, span.text, status, cue,
                                     self.mapping.get((code, status), "")))
        matches.sort(key=lambda m: (m.start, m.end, m.kind != THEME, m.code))
        return matches

    def _cues(self, doc: Doc, view: DocView) -> list[_Cue]:
        pseudo = [(s, e) for _, s, e in self.pseudo(doc, view)]
        cues = []
        for (_cue_id, direction, scope, category), start, end in self.cues(doc, view):
            if any(ps < end and start < pe for ps, pe in pseudo):
                continue
            cues.append(_Cue(start, end, doc[start:end].text, direction, scope, category))
        return cues


def _negation_rules(codebook: Codebook, language: str) -> NegationRules | None:
    return codebook.negation.get(language)


def _target(code_id: str, rule: str | None) -> str:
    if rule in (None, "", "ignore"):
        return ""
    if rule == "count":
        return code_id
    return rule


def _status(view: DocView, start: int, end: int, cues: list[_Cue], stops: set[int]) -> tuple[str, str]:
    if not cues:
        return PRESENT, ""
    sent_start, sent_end = view.sentence(start)
    best: dict[str, tuple[int, str]] = {}
    for cue in cues:
        if cue.start < sent_start or cue.end > sent_end:
            continue
        if cue.start < end and start < cue.end:  # the cue is part of the match
            continue
        distance = None
        if cue.direction in ("forward", "both") and cue.end <= start:
            gap = start - cue.end
            if gap < cue.scope and not any(cue.end <= t < start for t in stops):
                distance = gap
        if distance is None and cue.direction in ("backward", "both") and cue.start >= end:
            gap = cue.start - end
            # a terminator that opens the cue itself ("mais pas chez nous") does not end its scope
            if gap < cue.scope and not any(end <= t < cue.start for t in stops):
                distance = gap
        if distance is None:
            continue
        category = NEGATED if cue.category == NEGATED else HISTORICAL
        if category not in best or distance < best[category][0]:
            best[category] = (distance, cue.text)
    if NEGATED in best:
        return NEGATED, best[NEGATED][1]
    if HISTORICAL in best:
        return HISTORICAL, best[HISTORICAL][1]
    return PRESENT, ""

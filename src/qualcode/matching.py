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

from dataclasses import dataclass, field
from typing import Any, Iterable

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from qualcode.nlp import phrase_readings

PRESENT, NEGATED, HISTORICAL = "present", "negated", "historical"
THEME, ACTOR = "theme", "actor"


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


@dataclass
class _Group:
    """Phrase and token matchers that share one label space."""

    norm: PhraseMatcher
    orth: PhraseMatcher
    tokens: Matcher
    labels: dict[int, Any] = field(default_factory=dict)

    def add(self, nlp: Language, key: str, label: Any, pattern: Any,
            phrase_docs: dict[str, list[list[str]]]) -> None:
        match_id = nlp.vocab.strings.add(key)
        self.labels[match_id] = label
        tokens = getattr(pattern, "tokens", None)
        if tokens:
            self.tokens.add(key, [list(tokens)])
            return
        phrase = pattern.phrase
        if getattr(pattern, "case_sensitive", False):
            self.orth.add(key, [nlp.make_doc(phrase)])
            return
        readings = phrase_docs[phrase]
        self.norm.add(key, [Doc(nlp.vocab, words=r) for r in readings])

    def __call__(self, doc: Doc) -> list[tuple[Any, int, int]]:
        found: set[tuple[int, int, int]] = set()
        for matcher in (self.norm, self.orth, self.tokens):
            if len(matcher):
                found.update(matcher(doc))
        return sorted(((self.labels[m], s, e) for m, s, e in found), key=lambda x: (x[1], x[2], str(x[0])))


def _group(nlp: Language) -> _Group:
    return _Group(PhraseMatcher(nlp.vocab, attr="NORM"), PhraseMatcher(nlp.vocab, attr="ORTH"),
                  Matcher(nlp.vocab))


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

    def __init__(self, codebook: Any, language: str, nlp: Language) -> None:
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
        ordered = sorted(wanted)
        phrase_docs = {p: phrase_readings(nlp, p) for p in ordered}

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
        raw = self.codes(doc)
        if not raw:
            return []
        by_code: dict[tuple[str, str], list[tuple[str, int, int]]] = {}
        for (kind, code, pattern_id), start, end in raw:
            by_code.setdefault((kind, code), []).append((pattern_id, start, end))
        cues = self._cues(doc)
        stops = {start for _, start, _ in self.terminators(doc)}
        matches: list[Match] = []
        for (kind, code), found in by_code.items():
            spans = filter_spans([doc[s:e] for _, s, e in found])
            kept = {(sp.start, sp.end) for sp in spans}
            seen: set[tuple[int, int]] = set()
            for pattern_id, start, end in found:
                if (start, end) not in kept or (start, end) in seen:
                    continue
                seen.add((start, end))
                status, cue = _status(doc, start, end, cues, stops)
                span = doc[start:end]
                matches.append(Match(kind, code, pattern_id, start, end, span.start_char,
                                     span.end_char, span.text, status, cue,
                                     self.mapping.get((code, status), "")))
        matches.sort(key=lambda m: (m.start, m.end, m.kind != THEME, m.code))
        return matches

    def _cues(self, doc: Doc) -> list[_Cue]:
        pseudo = [(s, e) for _, s, e in self.pseudo(doc)]
        cues = []
        for (cue_id, direction, scope, category), start, end in self.cues(doc):
            if any(ps < end and start < pe for ps, pe in pseudo):
                continue
            cues.append(_Cue(start, end, doc[start:end].text, direction, scope, category))
        return cues


def _negation_rules(codebook: Any, language: str) -> Any:
    negation = getattr(codebook, "negation", None) or {}
    if isinstance(negation, dict):
        return negation.get(language)
    return getattr(negation, language, None)


def _target(code_id: str, rule: str | None) -> str:
    if rule in (None, "", "ignore"):
        return ""
    if rule == "count":
        return code_id
    return rule


def _status(doc: Doc, start: int, end: int, cues: list[_Cue], stops: set[int]) -> tuple[str, str]:
    if not cues:
        return PRESENT, ""
    sent = doc[start].sent
    best: dict[str, tuple[int, str]] = {}
    for cue in cues:
        if cue.start < sent.start or cue.end > sent.end:
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
            if gap < cue.scope and not any(end <= t <= cue.start for t in stops):
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

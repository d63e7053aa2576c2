"""From candidates to names: filter, choose a category, merge the forms of one name.

A name is a set of *forms* (folded word sequences) that share one pseudonym:
"Karim Benali" and, when it belongs to no other name, "Benali" alone;
"Harwell Ltd" and "Harwell". Its category is the weighted vote of its
candidates (a titled name is a person; "Ltd" makes an organisation; NER's
label counts once). What is dropped:

* kept phrases and their parts ("France" of "France Travail");
* greetings, role words, stand-ins ("Untel") and countries' people
  ("Bulgares", "Marocains"), unless a title announces them;
* unless a rule (a title, a legal form, a speaker label) found it: a word that
  only ever appears capitalised at the start of a sentence while the corpus
  also writes it in lower case ("Alors", "Voyez", "Pareil"), or that is a
  dictionary word ("Prenez", "Accepter"; a common first name the model takes
  for a person, "Pierre", stays); a word of the codebook's labels and
  patterns; a dictionary word the model alone saw once, not after a preposition or an
  article ("Forges" as a person).

A name is thus kept on strong evidence: a title, a rule, the --replace list,
a capitalised word inside a sentence that is no dictionary word, a known
first name, or a repeated mention.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from qualcode.anonymise.entities import Candidate
from qualcode.anonymise.matching import fold_keep_length
from qualcode.anonymise.vocab import (
    CATEGORIES,
    COMMON_FIRST_NAMES,
    DEMONYMS,
    LEGAL_FORMS,
    PARTICLES,
    PLACEHOLDERS,
    ROLE_WORDS,
    STOP_WORDS,
    TITLES,
)

Words = tuple[str, ...]


@dataclass(slots=True)
class Group:
    """One name: its forms (words -> replaced in any case?) and its category."""

    forms: dict[Words, bool]
    category: str
    listed: bool = False  # given in --replace
    blind: bool = False  # no category vote nor evidence: a person by default
    weight: float = 0.0  # the weight of its category votes

    @property
    def key(self) -> Words:
        """The longest form (then the first in order): how the name is sorted and shown."""
        return sorted(self.forms, key=lambda w: (-len(w), w))[0]


def keep_parts(keep: Iterable[Words], longest: int = 8) -> set[Words]:
    """Every run of consecutive words of every kept phrase: never a name on its own."""
    parts: set[Words] = set()
    for words in keep:
        if len(words) > longest:
            parts.add(words)
            continue
        for i in range(len(words)):
            for j in range(i + 1, len(words) + 1):
                parts.add(words[i:j])
    return parts


def _category(votes: dict[str, float]) -> str | None:
    if votes:
        best = max(votes.values())
        return next(c for c in CATEGORIES if votes.get(c, 0) == best)
    return None


def _guess(words: Words, groups: dict[Words, Group]) -> str | None:
    """A name without a category vote: that of a place or person among its words ("Brévanne-Gare")."""
    for category in ("PLACE", "PERSON", "ORG"):
        for w in words:
            group = groups.get((w,))
            if group is not None and group.category == category and not group.blind:
                return category
    return None


def dictionary(languages: Iterable[str]) -> Callable[[str], bool]:
    """Whether a folded word is a common word of one of the languages (spaCy's lookup tables)."""
    wanted = sorted(set(languages))  # the tables load on first use: most corpora never need them
    return lambda word: any(_lookup_words(language).holds(word) for language in wanted)


class _Lookup:
    """The forms (hashed keys) and lemmas (values) of spacy-lookups-data's lemma table."""

    def __init__(self, table: Any) -> None:
        self.table = table
        self.lemmas: set[str] = set()
        for value in table.values() if table is not None else ():
            for lemma in value if isinstance(value, list) else [value]:
                if isinstance(lemma, str):
                    self.lemmas.add(fold_keep_length(lemma))

    def holds(self, word: str) -> bool:
        return word in self.lemmas or (self.table is not None and word in self.table)


@functools.lru_cache(maxsize=4)
def _lookup_words(language: str) -> _Lookup:
    from spacy.lookups import load_lookups

    try:
        return _Lookup(load_lookups(language, ["lemma_lookup"]).get_table("lemma_lookup"))
    except (ValueError, KeyError, OSError):  # no table for this language: no word is common
        return _Lookup(None)


def group_names(candidates: Sequence[Candidate], lower_words: set[str], kept: set[Words],
                listed: Sequence[tuple[str, Words, str | None]] = (),
                common: Callable[[str], bool] = lambda word: False,
                vocabulary: frozenset[str] = frozenset()) -> list[Group]:
    """Names from the candidates and the --replace list, sorted by key.

    Args:
        candidates: what detection found.
        lower_words: folded words the corpus writes in lower case somewhere.
        kept: the kept phrases and their parts (`keep_parts`).
        listed: the --replace list as (name, words, category or None).
        common: whether a folded word is a dictionary word (`dictionary`).
        vocabulary: folded words of the codebook's labels and patterns (`codebook_words`).
    """
    votes: dict[Words, dict[str, float]] = defaultdict(lambda: defaultdict(float))  # category -> summed weights
    only_sentence_start: dict[Words, bool] = {}
    strong: dict[Words, bool] = {}
    placed: dict[Words, bool] = {}
    seen: dict[tuple[Words, str], int] = defaultdict(int)  # mentions per way of finding them
    for c in candidates:
        if c.words in kept or (len(c.words) == 1 and (c.words[0] in STOP_WORDS or c.words[0] in ROLE_WORDS
                                                       or c.words[0] in PLACEHOLDERS)):
            continue
        if not c.titled and all(w in DEMONYMS or w in PARTICLES for w in c.words):
            continue  # "les Bulgares", "Marocains": people of a country, not a place
        seen[c.words, c.source] += 1
        if c.category is not None:
            votes[c.words][c.category] += c.weight
        else:
            votes[c.words]
        only_sentence_start[c.words] = only_sentence_start.get(c.words, True) and c.sentence_start
        placed[c.words] = placed.get(c.words, False) or c.placed
        strong[c.words] = strong.get(c.words, False) or c.titled or c.source in ("rule", "label")

    mentions: dict[Words, int] = defaultdict(int)
    for (words, _source), n in seen.items():
        mentions[words] = max(mentions[words], n)
    groups: dict[Words, Group] = {}
    for words in sorted(votes):
        if not strong[words] and _weak(words, only_sentence_start[words], mentions[words] if not placed[words]
                                       else 0, lower_words, common, vocabulary):
            continue
        category = _category(votes[words]) or ""
        if category == "PLACE" and len(words) == 1 and votes[words]["PLACE"] <= 1 and not placed[words]:
            category = "PERSON"  # a lone guess of the model, never "à X" nor "the X": "Sébastien, 30 ans"
        groups[words] = Group({words: False}, category, weight=sum(votes[words].values()))
    for words, group in groups.items():
        if not group.category:
            guess = _guess(words, groups)
            group.category, group.blind = guess or "PERSON", guess is None
    for _name, words, wanted in listed:
        if not words:
            continue
        found = groups.get(words)
        if found is None:
            groups[words] = Group({words: True}, wanted or "PERSON", listed=True)
        else:
            found.forms[words] = True
            found.listed = True
            found.category = wanted or found.category
    _merge_parts(groups)
    _add_parts(groups, kept)
    _merge_legal_forms(groups, kept)
    return sorted(groups.values(), key=lambda g: g.key)


def _weak(words: Words, sentence_start: bool, seen: int, lower_words: set[str],
          common: Callable[[str], bool], vocabulary: frozenset[str]) -> bool:
    """Whether a name that no rule found rests on too little to replace an ordinary word with a tag.

    "Alors", "Pareil": only at the start of a sentence, written in lower case
    elsewhere. "Prenez", "Accepter", "Entretien": only at the start of a
    sentence, and dictionary words, unless a common first name ("Pierre"). "Certiphyto" or "Relais" when the codebook uses
    them: words of the study's own vocabulary. "Forges" seen once (`seen`; 0
    for a word after "à", "des"...: "rue des Tisserands" stays a place), a
    dictionary word that only the model took for a name.
    """
    if len(words) == 1 and words[0] in vocabulary:
        return True
    ordinary = all(w in lower_words or w in STOP_WORDS or common(w) or w in PARTICLES for w in words)
    first_name = any(w in COMMON_FIRST_NAMES for w in words)
    if sentence_start:
        usual = all(w in lower_words or w in STOP_WORDS for w in words)
        return usual or (ordinary and not first_name)
    return len(words) == 1 and seen == 1 and common(words[0]) and not first_name


def _merge(groups: dict[Words, Group], into: Group, words: Words) -> None:
    other = groups.pop(words, None)
    if other is None:
        into.forms.setdefault(words, False)
        return
    for form, any_case in other.forms.items():
        into.forms[form] = into.forms.get(form, False) or any_case
    into.listed = into.listed or other.listed


def _merge_parts(groups: dict[Words, Group]) -> None:
    """A one-word name that is the first or last word of exactly one longer person joins it.

    "Benali" and "Karim" join "Karim Benali"; so does a one-word name that the
    model took for a place on thin evidence ("Karim m'appelle": LOC once), but not
    a place named often ("Montarel") nor a name found by a rule.
    """
    longer = [w for w, g in groups.items() if g.category == "PERSON" and len(w) > 1]
    for words in sorted(w for w in groups if len(w) == 1):
        group = groups[words]
        if group.category != "PERSON" and (group.listed or group.weight > 1.0):
            continue
        owners = [w for w in longer if w[0] == words[0] or w[-1] == words[0]]
        if len(owners) == 1 and owners[0] in groups and not (groups[owners[0]].blind and group.blind):
            _merge(groups, groups[owners[0]], words)


def _add_parts(groups: dict[Words, Group], kept: set[Words]) -> None:
    """A person's first and last words are forms of it even where never found alone.

    "Karim Benali" found: "Karim" and "KARIM" elsewhere are the same person
    (replaced where capitalised, like every detected one-word form), when the
    word belongs to no other name and is no title, role, particle or kept word.
    """
    owners: dict[str, set[int]] = defaultdict(set)
    claimed: set[str] = set()
    people = [g for g in groups.values() if g.category == "PERSON"]
    for group in groups.values():
        claimed.update(form[0] for form in group.forms if len(form) == 1)
    for n, group in enumerate(people):
        for form in group.forms:
            if len(form) > 1:
                owners[form[0]].add(n)
                owners[form[-1]].add(n)
    for word, found in sorted(owners.items()):
        if (len(found) != 1 or word in claimed or len(word) < 2 or (word,) in kept or word in STOP_WORDS
                or word in ROLE_WORDS or word in PARTICLES or word in TITLES or word.isdigit()):
            continue
        people[next(iter(found))].forms.setdefault((word,), False)


def _merge_legal_forms(groups: dict[Words, Group], kept: set[Words]) -> None:
    """"Harwell Ltd" is also "Harwell": the name without its legal form is the same organisation."""
    for words in sorted(groups):
        group = groups.get(words)
        if group is None or group.category != "ORG" or len(words) < 2 or words[-1] not in LEGAL_FORMS:
            continue
        short = words[:-1]
        if short in kept or (len(short) == 1 and short[0] in STOP_WORDS):
            continue
        other = groups.get(short)
        if other is not None and other is not group and len(other.forms) > 1:
            continue  # already the short form of another name
        _merge(groups, group, short)

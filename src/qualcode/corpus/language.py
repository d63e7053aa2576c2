"""The interview's language: the `language` attribute, else French vs English stop words.

Detection needs no model and no network: it counts frequent function words
of each language in the respondent text and picks the larger count (French
on a tie, French being the project's first language). It is deterministic
and good enough to tell a French transcript from an English one, which is
all the pipeline needs; anything else must be declared.

A text in neither language is `unknown`, never French by default: when no
function word of either is found, when they make under a tenth of a text of
twenty words or more (a Hungarian text holds a few "de" and "is", a French
one a third of its words), or when the function words of another European
language (Spanish, Italian, German, Portuguese, Dutch, Hungarian) outnumber
them. The reader then warns (W109) and the coding gives such an interview no
codes (docs/corpus.md, "Language").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from qualcode.base.text import fold
from qualcode.defaults import LANGUAGES as DEFAULT_LANGUAGES
from qualcode.errors import CorpusError, Errors

LANGUAGES = DEFAULT_LANGUAGES
_NAMES = {
    "fr": "fr", "fra": "fr", "fre": "fr", "french": "fr", "francais": "fr",
    "en": "en", "eng": "en", "english": "en", "anglais": "en",
}

# Folded (no accents); words that exist in both languages ("on", "a", "me", "or") are left out.
_FRENCH = frozenset(["le", "la", "les", "un", "une", "des", "du", "de", "au", "aux", "et", "est", "sont", "ete", "etre", "avoir", "fait", "que", "qui", "quoi", "dans", "pour", "pas", "ne", "avec", "sur", "ce", "cette", "ces", "il", "elle", "ils", "elles", "nous", "vous", "je", "tu", "mais", "ou", "donc", "car", "tres", "plus", "moins", "tout", "tous", "toute", "aussi", "bien", "alors", "comme", "ca", "cela", "c", "qu", "j", "l", "d", "n", "y", "en", "se", "leur", "leurs", "chez", "entre", "quand", "parce", "deja", "encore", "toujours", "jamais", "rien", "peu", "beaucoup"])
_ENGLISH = frozenset(["the", "and", "is", "are", "was", "were", "be", "been", "being", "to", "of", "that", "it", "for", "with", "as", "this", "they", "we", "you", "not", "but", "at", "from", "by", "which", "there", "their", "what", "so", "if", "about", "would", "can", "will", "do", "does", "did", "just", "very", "also", "have", "has", "had", "he", "she", "his", "her", "them", "our", "your", "who", "when", "where", "how", "than", "then", "into", "out", "up", "all", "more", "most", "some", "any", "no", "yes", "because"])
#: function words of other languages a French study meets, those that are not French or English words
_OTHERS = frozenset(["el", "los", "las", "del", "por", "para", "con", "una", "es", "pero", "muy", "este", "esta",
                     "porque", "cuando", "tambien", "yo", "nosotros", "ellos", "hay", "esta", "di", "che", "della",
                     "per", "non", "sono", "anche", "questo", "molto", "gli", "nel", "perche", "io", "noi", "der",
                     "die", "das", "und", "ist", "nicht", "ich", "wir", "sie", "mit", "auf", "fur", "auch", "ein",
                     "eine", "den", "dem", "zu", "von", "sich", "wie", "nao", "um", "com", "os", "da", "dos",
                     "das", "em", "mas", "muito", "eu", "nos", "het", "een", "van", "niet", "ik", "wij", "zijn",
                     "met", "voor", "ook", "maar", "dat", "op", "es", "hogy", "nem", "egy", "az", "van", "meg",
                     "ez", "azt", "csak", "mar", "meg", "mint", "vagy", "volt"]) - _FRENCH - _ENGLISH
_WORD = re.compile(r"[a-z]+")
UNKNOWN = "unknown"
#: below this share of function words, a text of `_ENOUGH` words or more is in neither language
_MIN_SHARE = 0.10
_ENOUGH = 20
_SAMPLE = 1_000_000  # characters: plenty to decide, and bounded


def language_attribute(value: str, fail_path: str, line: int | None) -> str:
    """`fr` or `en` from the attribute (`FR`, `fr-CA`, `French` are accepted); E113 otherwise."""
    key = fold(value).strip().replace("_", "-").split("-")[0]
    if key in _NAMES:
        return _NAMES[key]
    raise CorpusError(Errors.E113.format(language=value), path=fail_path, line=line)


@dataclass(frozen=True, slots=True)
class Guess:
    """A detected language and the counts behind it (function words of each language, all words)."""

    language: str
    french: int
    english: int
    others: int
    words: int

    @property
    def evidence(self) -> str:
        """What W109 says: the words read and the share of each language's function words."""
        def share(n: int) -> str:
            return f"{100 * n / self.words:.0f}%" if self.words else "0%"

        return (f"{self.words} word(s), {share(self.french)} French and {share(self.english)} English "
                f"function words, {share(self.others)} of other languages'")


def guess_language(texts: Iterable[str]) -> Guess:
    """'fr', 'en' or 'unknown' from the function words of `texts` (see the module docstring)."""
    french = english = others = words = 0
    budget = _SAMPLE
    for text in texts:
        if budget <= 0:
            break
        sample = fold(text[:budget])
        budget -= len(sample)
        for word in _WORD.findall(sample):
            words += 1
            if word in _FRENCH:
                french += 1
            elif word in _ENGLISH:
                english += 1
            elif word in _OTHERS:
                others += 1
    best = max(french, english)
    if not words:  # nothing to read: the project's first language, as before
        return Guess("fr", 0, 0, 0, 0)
    if best == 0 or others > best or (words >= _ENOUGH and best < _MIN_SHARE * words):
        return Guess(UNKNOWN, french, english, others, words)
    return Guess("en" if english > french else "fr", french, english, others, words)


def detect_language(texts: Iterable[str]) -> str:
    """'fr', 'en' or 'unknown', whichever language's stop words are frequent enough in `texts`."""
    return guess_language(texts).language

"""The interview's language: the `language` attribute, else French vs English stop words.

Detection needs no model and no network: it counts frequent function words
of each language in the respondent text and picks the larger count (French
on a tie, French being the project's first language). It is deterministic
and good enough to tell a French transcript from an English one, which is
all the pipeline needs; anything else must be declared.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

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
_WORD = re.compile(r"[a-z]+")
_SAMPLE = 1_000_000  # characters: plenty to decide, and bounded


def language_attribute(value: str, fail_path: str, line: int | None) -> str:
    """`fr` or `en` from the attribute (`FR`, `fr-CA`, `French` are accepted); E113 otherwise."""
    key = fold(value).strip().replace("_", "-").split("-")[0]
    if key in _NAMES:
        return _NAMES[key]
    raise CorpusError(Errors.E113.format(language=value), path=fail_path, line=line)


def detect_language(texts: Iterable[str]) -> str:
    """'fr' or 'en', whichever language's stop words are more frequent in `texts`."""
    french = english = 0
    budget = _SAMPLE
    for text in texts:
        if budget <= 0:
            break
        sample = fold(text[:budget])
        budget -= len(sample)
        for word in _WORD.findall(sample):
            if word in _FRENCH:
                french += 1
            elif word in _ENGLISH:
                english += 1
    return "en" if english > french else "fr"

"""Small text helpers shared by the readers and the coding engine."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


def normalise_text(text: str) -> str:
    """NFC, `\\n` line ends, no BOM: the text that every offset refers to."""
    text = text.lstrip("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def strip_accents(text: str) -> str:
    """Drop combining marks, so that 'coopération' and 'cooperation' meet."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


def fold(text: str) -> str:
    """Lower-case and accent-free: how labels, lemmas and phrases are compared."""
    return strip_accents(text.casefold()).replace("’", "'")


def count_words(text: str) -> int:
    """Words as a reader counts them: 'aujourd'hui' and 'Cap-emploi' are one each."""
    return len(_WORD.findall(text))

"""Text as every reader, matcher and renderer sees it: normalised, folded, counted, made safe to show."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

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
    folded = text.casefold()
    if folded.isascii():  # no accent nor ’ to remove: most words, and every word folded before
        return folded
    return strip_accents(folded).replace("’", "'")


def count_words(text: str) -> int:
    """Words as a reader counts them: 'aujourd'hui' and 'Cap-emploi' are one each."""
    return len(_WORD.findall(text))


#: characters that must never reach a terminal or a page raw: C0 controls but tab
#: and line feed (escape sequences, carriage return, backspace), DEL, C1 controls
#: (`\x9b` is an 8-bit CSI), the two non-characters U+FFFE/U+FFFF, and the
#: bidirectional marks, embeddings, overrides and isolates that would reorder text
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


_BREAK = re.compile(r"\s*[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]\s*")


def flat(text: object) -> str:
    """`text` on one line: every line or paragraph break, with the blanks around it, as one space."""
    value = "" if text is None else str(text)
    return _BREAK.sub(" ", value) if _BREAK.search(value) else value


def printable(text: object) -> str:
    """`text` as a string without control or bidi characters (terminal escapes, NUL, C1, U+202E)."""
    return CONTROL.sub("", "" if text is None else str(text))


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """` (did you mean 'x'?)` when one of `choices` is close to `value`, else an empty string."""
    from difflib import get_close_matches

    found = get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {found[0]!r}?)" if found else ""

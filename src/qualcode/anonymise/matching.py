"""Find names in text, word by word: folded, longest first, kept phrases protected.

A name (or a kept phrase) is a sequence of folded words. The text is folded
character by character (lower case, accents off, `’` as `'`), so that offsets
in the folded text are offsets in the original; its words are `\\w+` runs.
At each word, the longest entry that starts with it and whose words follow,
separated only by spaces, hyphens or apostrophes (at most one line break),
wins. A kept phrase is matched too, so that "France" never eats the start of
"France Travail", but it is left as it is.

A one-word name that was detected (not given in --replace) is replaced only
where it is capitalised: "Pierre" is a name, "pierre" a stone. Longer names
and the names of the --replace list are replaced in any case.

An e-mail address made from a name ("karim.benali@...", "kbenali@...",
"contact@ferrand-logistique.fr") is replaced whole by that name's pseudonym
(`Addresses`): replacing the name inside it would leave "karim.[PERSON 1]@".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

#: pseudonyms as written in the text ("[PERSON 3]") and in speaker labels ("PERSON 3")
PSEUDONYM = re.compile(r"\[(PERSON|PLACE|ORG) (\d+)\]|(?<!\w)(PERSON|PLACE|ORG) (\d+)(?!\w)")
_WORD = re.compile(r"\w+")
_GAP = re.compile(r"[ \t\u00a0\u202f\-\u2010\u2011\u2013'’]{1,3}|[ \t\u00a0\u202f]{0,2}\n[ \t\u00a0\u202f]{0,2}")


def text_form(category: str, number: int) -> str:
    """The pseudonym in running text: `[PERSON 3]`."""
    return f"[{category} {number}]"


def label_form(category: str, number: int) -> str:
    """The pseudonym in a speaker label, where brackets are not allowed: `PERSON 3`."""
    return f"{category} {number}"


class _FoldTable(dict):
    """`str.translate` table that folds one character into exactly one character."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        stripped = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
        folded = unicodedata.normalize("NFC", stripped).lower() if stripped else char
        if len(folded) != 1:
            folded = char.lower() if len(char.lower()) == 1 else char
        if folded == "’":
            folded = "'"
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold_keep_length(text: str) -> str:
    """Fold `text` without changing its length, so that offsets carry over."""
    return text.translate(_FOLD)


def words_of(phrase: str) -> tuple[str, ...]:
    """A phrase as the folded words it is matched by."""
    return tuple(_WORD.findall(fold_keep_length(phrase)))


@dataclass(frozen=True, slots=True)
class Entry:
    """A phrase to find: a name (`group` is its index) or a kept phrase (`group` is -1)."""

    words: tuple[str, ...]
    group: int
    any_case: bool = False

    @property
    def keep(self) -> bool:
        return self.group < 0


@dataclass(frozen=True, slots=True)
class Hit:
    start: int
    end: int
    entry: Entry


class PhraseIndex:
    """Entries by first word, longest first; `scan` yields the hits of a text in order."""

    def __init__(self) -> None:
        self._by_first: dict[str, list[Entry]] = {}
        self._words: set[tuple[str, ...]] = set()

    def add(self, entry: Entry) -> None:
        if not entry.words or entry.words in self._words:
            return
        self._words.add(entry.words)
        bucket = self._by_first.setdefault(entry.words[0], [])
        bucket.append(entry)
        bucket.sort(key=lambda e: (-len(e.words), e.group))

    def __contains__(self, words: tuple[str, ...]) -> bool:
        return words in self._words

    def __len__(self) -> int:
        return len(self._words)

    def scan(self, text: str, start: int = 0, end: int | None = None, folded: str | None = None,
             cuts: Sequence[int] | None = None) -> Iterator[Hit]:
        """Hits in `text[start:end]`, left to right, never overlapping.

        `cuts`: sorted positions, `start` and `end` included, that no hit crosses
        (the edges of turns and of speaker labels): words are read piece by
        piece, and the words of one hit all come from one piece. `folded`:
        `fold_keep_length(text)` if the caller has it. One pass over the text
        whatever the number of pieces: the cost stays linear in the text.
        """
        folded = fold_keep_length(text) if folded is None else folded
        stop = len(text) if end is None else end
        points = (start, stop) if cuts is None else cuts
        words = []
        for piece in range(len(points) - 1):
            for m in _WORD.finditer(folded, points[piece], points[piece + 1]):
                words.append((m.start(), m.end(), m.group(), piece))
        i = 0
        while i < len(words):
            hit = self._match(text, folded, words, i)
            if hit is None:
                i += 1
                continue
            entry, n = hit
            yield Hit(words[i][0], words[i + n - 1][1], entry)
            i += n

    def _match(self, text: str, folded: str, words: list, i: int) -> tuple[Entry, int] | None:
        for entry in self._by_first.get(words[i][2], ()):
            n = len(entry.words)
            if i + n > len(words):
                continue
            if any(words[i + k][2] != entry.words[k] or words[i + k][3] != words[i][3] for k in range(1, n)):
                continue
            if any(not _GAP.fullmatch(folded, words[i + k - 1][1], words[i + k][0]) for k in range(1, n)):
                continue
            if n == 1 and not entry.keep and not entry.any_case and not text[words[i][0]].isupper():
                continue
            return entry, n
        return None


#: an e-mail address, bounded so that a long run of word characters costs one short attempt per position
EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
_ADDRESS_WORD = re.compile(r"[^\W\d_]+")


class Addresses:
    """Which name an e-mail address is made from: its words, or a name glued or with an initial.

    Built from the names' forms (`add`); `owner` looks an address up in
    time proportional to its length. A word that belongs to two names
    decides nothing.
    """

    def __init__(self) -> None:
        self._words: dict[tuple[str, ...], int | None] = {}
        self._glued: dict[str, int | None] = {}

    @staticmethod
    def _put(table: dict, key: object, group: int) -> None:
        table[key] = group if table.get(key, group) == group else None

    def add(self, words: tuple[str, ...], group: int) -> None:
        if not words:
            return
        self._put(self._words, words, group)
        if len(words) > 1:
            self._put(self._glued, "".join(words), group)

    def owner(self, address: str) -> int | None:
        """The group of the first name the address is made from, or None."""
        local, _, domain = fold_keep_length(address).partition("@")
        for part, fuzzy in ((local, True), (domain, False)):
            words = _ADDRESS_WORD.findall(part)
            for i, word in enumerate(words):
                for n in (3, 2):  # "karim.benali", then "karim"
                    group = self._words.get(tuple(words[i:i + n])) if i + n <= len(words) else None
                    if group is not None:
                        return group
                group = self._words.get((word,))
                if group is None:
                    group = self._glued.get(word)
                if group is None and fuzzy and len(word) >= 5:  # "kbenali", "benalik", "kbenali2"
                    for cut in (1, 2):
                        group = self._words.get((word[cut:],)) if len(word) - cut >= 4 else None
                        group = group if group is not None else (
                            self._words.get((word[:-cut],)) if len(word) - cut >= 4 else None)
                        if group is not None:
                            break
                if group is not None:
                    return group
        return None

"""What coding needs of a parsed turn, as plain lists: no spaCy to read it back.

A `TokenTable` holds, for each token of one turn, where it stands in the
turn's text, its NORM (the folded lemma the patterns match), whether it is
punctuation or space, and where sentences start. Matches, their context and
sentence units are computed from it alone, so that a re-coding whose
documents are all cached neither imports spaCy's language data nor loads a
model (`qualcode.coding.engine`).

The table is made from the parsed `Doc` once (`from_doc`), kept in the cache
beside the document (`qualcode.nlp.cache`), and read back as JSON. `TurnView`
wraps a table and its text with what matching and context ask of a turn.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc

PUNCT, SPACE = 1, 2


@dataclass(frozen=True, slots=True)
class TokenTable:
    """One parsed turn: token offsets, NORMs, flags, and the tokens that start a sentence."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    norms: tuple[str, ...]
    flags: tuple[int, ...]
    #: the first token of each sentence after the first (spaCy's SENT_START == 1)
    sentence_starts: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.starts)

    @classmethod
    def from_doc(cls, doc: Doc) -> TokenTable:
        from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, NORM, SENT_START

        n = len(doc)
        if not n:
            return cls((), (), (), (), ())
        table = doc.to_array([IDX, LENGTH, IS_PUNCT, IS_SPACE, SENT_START]).tolist()
        strings = doc.vocab.strings
        norms = tuple(strings[h] for h in doc.to_array([NORM]).tolist())
        return cls(
            starts=tuple(row[0] for row in table),
            ends=tuple(row[0] + row[1] for row in table),
            norms=norms,
            flags=tuple((PUNCT if row[2] else 0) | (SPACE if row[3] else 0) for row in table),
            sentence_starts=tuple(i for i in range(1, n) if table[i][4] == 1),
        )

    def to_json(self) -> list[Any]:
        return [list(self.starts), [e - s for s, e in zip(self.starts, self.ends)], list(self.norms),
                list(self.flags), list(self.sentence_starts)]

    @classmethod
    def from_json(cls, data: Sequence[Any]) -> TokenTable:
        starts, lengths, norms, flags, sentence_starts = data
        if not (len(starts) == len(lengths) == len(norms) == len(flags)):
            raise ValueError("a damaged token table")
        return cls(tuple(starts), tuple(s + n for s, n in zip(starts, lengths)), tuple(norms), tuple(flags),
                   tuple(sentence_starts))


class TurnView:
    """A turn's text and table, with what matching, context and units ask of them.

    Sentence bounds follow spaCy's: a turn without tokens has one empty
    sentence for matching (`bounds`) and none as a unit (`sentence_chars`).
    """

    __slots__ = ("_lower", "_orth", "_starts", "bounds", "table", "text")

    def __init__(self, text: str, table: TokenTable) -> None:
        self.text = text
        self.table = table
        starts = [0, *table.sentence_starts]
        self._starts = starts
        self.bounds = list(zip(starts, [*starts[1:], len(table)]))
        self._orth: list[str] | None = None
        self._lower: list[str] | None = None

    def __len__(self) -> int:
        return len(self.table)

    @property
    def orths(self) -> list[str]:
        """Each token's text (spaCy's ORTH)."""
        if self._orth is None:
            text = self.text
            self._orth = [text[a:b] for a, b in zip(self.table.starts, self.table.ends)]
        return self._orth

    @property
    def lowers(self) -> list[str]:
        """Each token's text in lower case (spaCy's LOWER)."""
        if self._lower is None:
            self._lower = [t.lower() for t in self.orths]
        return self._lower

    def column(self, attr: str) -> Sequence[str]:
        """The strings of one attribute: NORM, LOWER or ORTH."""
        if attr == "NORM":
            return self.table.norms
        return self.lowers if attr == "LOWER" else self.orths

    def sentence_index(self, token: int) -> int:
        """The position of the sentence that holds a token (0 for the first)."""
        return max(0, bisect_right(self._starts, token) - 1)

    def sentence(self, token: int) -> tuple[int, int]:
        """(start, end) tokens of the sentence that holds a token."""
        return self.bounds[self.sentence_index(token)]

    def chars(self, start: int, end: int) -> tuple[int, int]:
        """Character offsets of tokens start:end (a span's start_char, end_char)."""
        if end <= start:
            at = self.table.starts[start] if start < len(self.table) else len(self.text)
            return at, at
        return self.table.starts[start], self.table.ends[end - 1]

    def span_text(self, start: int, end: int) -> str:
        """The text of tokens start:end, without the last token's trailing space (spaCy's `Span.text`)."""
        a, b = self.chars(start, end)
        return self.text[a:b]

    def is_word(self, token: int) -> bool:
        """Neither punctuation nor space."""
        return not self.table.flags[token] & (PUNCT | SPACE)

    def sentence_chars(self) -> list[tuple[int, int]]:
        """Character bounds of each sentence, as `doc.sents` gives them."""
        if not len(self.table):
            return []
        return [self.chars(a, b) for a, b in self.bounds]

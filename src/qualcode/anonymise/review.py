"""The dry run: what would be replaced, with the first place it occurs, for a person to check."""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.anonymise.anonymiser import Anonymiser
from qualcode.anonymise.vocab import CATEGORIES
from qualcode.corpus.model import Corpus

REVIEW_COLUMNS = ("pseudonym", "category", "original", "occurrences", "file", "context")


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """One spelling of a name: how often it is replaced, and its first context."""

    pseudonym: str
    category: str
    original: str
    occurrences: int
    file: str
    context: str


def review(corpus: Corpus, anonymiser: Anonymiser) -> list[ReviewRow]:
    """One row per (pseudonym, spelling), sorted by category, number and spelling; nothing written."""
    first: dict[tuple[str, str], ReviewRow] = {}
    count: dict[tuple[str, str], int] = {}
    numbers: dict[str, tuple[int, int]] = {}
    for occurrence in anonymiser.occurrences(corpus):
        name = occurrence.name
        key = (name.pseudonym, occurrence.original)
        numbers[name.pseudonym] = (CATEGORIES.index(name.category), name.number)
        count[key] = count.get(key, 0) + 1
        if key not in first:
            where = occurrence.file + (f" ({occurrence.attribute})" if occurrence.attribute else "")
            first[key] = ReviewRow(name.pseudonym, name.category, occurrence.original, 0, where,
                                   occurrence.context)
    rows = [ReviewRow(r.pseudonym, r.category, r.original, count[k], r.file, r.context)
            for k, r in first.items()]
    return sorted(rows, key=lambda r: (numbers[r.pseudonym], r.original))


def review_csv(rows: list[ReviewRow]) -> str:
    from qualcode.base.safecsv import csv_text

    return csv_text([list(REVIEW_COLUMNS)]
                    + [[r.pseudonym, r.category, r.original, r.occurrences, r.file, r.context]
                       for r in rows])

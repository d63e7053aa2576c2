"""`Anonymiser`: the corpus-wide mapping from names to pseudonyms, applied to any text.

Built once from a corpus (`Anonymiser.from_corpus`), it holds every name that
detection found anywhere, with the --replace list, numbered by category in
order of first appearance over the interviews sorted by id. `apply(text)`
pseudonymises any text with it (a report's quotes, a segment), so that a
quote says `[PERSON 3]` where the anonymised corpus does.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from qualcode.anonymise.entities import detect_corpus, name_language
from qualcode.anonymise.keep import codebook_words, default_keep
from qualcode.anonymise.layout import Layout, layout
from qualcode.anonymise.matching import (
    EMAIL,
    PSEUDONYM,
    Addresses,
    Entry,
    Hit,
    PhraseIndex,
    label_form,
    text_form,
    words_of,
)
from qualcode.anonymise.names import Group, dictionary, group_names, keep_parts
from qualcode.anonymise.vocab import CATEGORIES, category
from qualcode.base.text import fold
from qualcode.corpus.model import Corpus, Interview
from qualcode.errors import AnonymiseError, Errors

if TYPE_CHECKING:
    from qualcode.codebook.model import Codebook

#: words of context on each side of an occurrence in the review listing
CONTEXT_WORDS = 6


@dataclass(frozen=True, slots=True)
class Name:
    """A name and its pseudonym: `[PERSON 3]` in text, `PERSON 3` in speaker labels."""

    category: str
    number: int
    forms: tuple[tuple[str, ...], ...]
    listed: bool = False

    @property
    def pseudonym(self) -> str:
        return text_form(self.category, self.number)

    @property
    def label(self) -> str:
        return label_form(self.category, self.number)


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of an interview that is pseudonymised: its body, or a metadata value."""

    interview: Interview
    text: str
    start: int
    end: int
    layout: Layout | None = None  # the body: label regions take the label form
    label: bool = False  # a speaker label as a whole (`interviewers`)
    attribute: str | None = None


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One place where a name is replaced."""

    name: Name
    original: str
    interview: str
    file: str
    attribute: str | None
    context: str


def interview_pieces(lay: Layout) -> list[Piece]:
    """Front matter values (in line order), the body, then the other metadata values."""
    interview = lay.interview
    values = lay.meta_values()
    pieces = [Piece(interview, s, 0, len(s), label=v.is_label, attribute=v.attribute)
              for v in values if v.in_front for s in v.strings]
    pieces.append(Piece(interview, interview.text, lay.body_start, len(interview.text), layout=lay))
    pieces += [Piece(interview, s, 0, len(s), label=v.is_label, attribute=v.attribute)
               for v in values if not v.in_front for s in v.strings]
    return pieces


def _context(text: str, start: int, end: int) -> str:
    """`…a few words «the name» a few words…` on one line."""
    before, after = text[max(0, start - 200):start], text[end:end + 200]
    left = " ".join(before.split()[-CONTEXT_WORDS:]) + (" " if before[-1:].isspace() else "")
    right = (" " if after[:1].isspace() else "") + " ".join(after.split()[:CONTEXT_WORDS])
    return f"…{left}«{' '.join(text[start:end].split())}»{right}…"


class Anonymiser:
    """The corpus-wide mapping from names to pseudonyms.

    Example:
        >>> anonymiser = Anonymiser.from_corpus(corpus, keep=["Montarel"])
        >>> anonymiser.apply("Mme Garnier travaille à Saint-Aubin.")
        'Mme [PERSON 1] travaille à [PLACE 2].'
    """

    def __init__(self, names: Sequence[Name], keep: Iterable[str], warnings: Sequence[str] = ()) -> None:
        self.names = tuple(sorted(names, key=lambda n: (CATEGORIES.index(n.category), n.number)))
        self.keep = tuple(sorted(set(keep)))
        self.warnings = list(warnings)
        self._keep_words = {words_of(phrase) for phrase in self.keep}
        self._index = PhraseIndex()
        self._addresses = Addresses()
        self._by_group: list[Name] = list(self.names)
        for group, name in enumerate(self._by_group):
            for form in name.forms:
                self._index.add(Entry(form, group, any_case=name.listed))
                if form not in self._keep_words:
                    self._addresses.add(form, group)
        for phrase in self.keep:
            self._index.add(Entry(words_of(phrase), -1, any_case=True))

    # --- building ---------------------------------------------------------------

    @classmethod
    def from_corpus(cls, corpus: Corpus, *, keep: Iterable[str] = (),
                    replace: Iterable[str | tuple[str, str | None]] = (), defaults: bool = True,
                    codebook: Codebook | Path | str | None = None,
                    on_progress: Callable[[int, int], None] | None = None,
                    cache_dir: Path | None = None) -> Anonymiser:
        """Detect the names of `corpus` and number them.

        Args:
            corpus: the corpus (from `read_corpus`).
            keep: names never to replace, on top of the defaults.
            replace: names always to replace, as `"name"` or `("name", "PERSON"|"PLACE"|"ORG")`.
            defaults: keep the national bodies, the codebook's providers and role labels.
            codebook: where the providers come from (a `Codebook` or a path); the bundled one by default.
            on_progress: called with (done, total) texts while the pipelines run.
            cache_dir: keep what the pipelines found there, for the next run (no cache by default).

        Raises:
            AnonymiseError: a name is both kept and replaced (E705), or the corpus
                already holds pseudonyms (E706).
        """
        user_keep = [" ".join(k.split()) for k in keep if k and k.strip()]
        listed = _listed(replace)
        listed_words = {w for _, w, _ in listed}
        user_keep_words = {words_of(k): k for k in user_keep}
        for name, words, _ in listed:
            if words in user_keep_words:
                raise AnonymiseError(Errors.E705.format(name=name))
        warnings: list[str] = []
        kept = list(user_keep)
        vocabulary: frozenset[str] = frozenset()
        if defaults:
            vocabulary = codebook_words(codebook)
            phrases, warnings = default_keep(codebook)
            kept += [p for p in phrases if words_of(p) not in listed_words]
        _refuse_pseudonyms(corpus)

        keep_index = PhraseIndex()
        for phrase in kept:
            keep_index.add(Entry(words_of(phrase), -1, any_case=True))
        detection = detect_corpus(corpus, keep_index, on_progress, cache_dir)
        groups = group_names(detection.candidates, detection.lower_words,
                             keep_parts(words_of(k) for k in kept), listed,
                             dictionary(name_language(lang) for lang in corpus.languages), vocabulary)
        names = _number(corpus, groups, kept)
        anonymiser = cls(names, kept, warnings)
        anonymiser.warnings += anonymiser.kept_value_warnings(corpus)
        return anonymiser

    # --- applying ---------------------------------------------------------------

    def hits(self, text: str, start: int = 0, end: int | None = None,
             labels: Sequence[tuple[int, int]] = (), label: bool = False, bounds: Iterable[int] = (),
             ) -> Iterator[tuple[Hit, Name, bool]]:
        """The names found in `text[start:end]`, in order: (hit, name, written as a label?).

        `labels` are label regions (sorted, not overlapping), where a name takes the
        label form; a name is never found across their edges, nor across `bounds`
        (the edges of turns: "Karim" ending one turn and "Benali" opening the next).
        """
        end = len(text) if end is None else end
        cuts = {start, end}
        cuts.update(p for lo, hi in labels for p in (lo, hi) if start < p < end)
        cuts.update(p for p in bounds if start < p < end)
        points = sorted(cuts)
        addresses = self._address_hits(text, points)
        for hit in _merged(self._index.scan(text, start, end, cuts=points), addresses):
            if not hit.entry.keep:
                yield hit, self._by_group[hit.entry.group], label or _in_regions(labels, hit.start)

    def _address_hits(self, text: str, cuts: Sequence[int]) -> list[Hit]:
        """E-mail addresses between the cuts made from a name: each replaced whole by its pseudonym."""
        start, end = cuts[0], cuts[-1]
        if text.find("@", start, end) < 0:
            return []
        found = []
        for lo, hi in pairwise(cuts):
            if text.find("@", lo, hi) < 0:
                continue
            for m in EMAIL.finditer(text, lo, hi):
                group = self._addresses.owner(m.group())
                if group is not None:
                    found.append(Hit(m.start(), m.end(), Entry((m.group(),), group)))
        return found

    def substitute(self, text: str, *, start: int = 0, end: int | None = None,
                   labels: Sequence[tuple[int, int]] = (), label: bool = False, bounds: Iterable[int] = (),
                   record: list[tuple[str, str]] | None = None) -> str:
        """`text` with `text[start:end]` pseudonymised; the label form inside label regions.

        `record`, when given, receives (pseudonym, original) for every replacement, in order.
        """
        parts: list[str] = []
        previous = 0
        for hit, name, as_label in self.hits(text, start, end, labels, label, bounds):
            parts += [text[previous:hit.start], name.label if as_label else name.pseudonym]
            if record is not None:
                record.append((name.pseudonym, text[hit.start:hit.end]))
            previous = hit.end
        parts.append(text[previous:])
        return "".join(parts)

    def apply(self, text: str) -> str:
        """Pseudonymise any text (a quote, a segment) with the corpus-wide mapping."""
        return self.substitute(text)

    def apply_label(self, label: str) -> str:
        """Pseudonymise a speaker label: `Mme Garnier` -> `Mme PERSON 1`."""
        return self.substitute(label, label=True)

    # --- reviewing --------------------------------------------------------------

    def occurrences(self, corpus: Corpus) -> list[Occurrence]:
        """Every replacement the corpus would get, in corpus order."""
        found = []
        for interview in corpus:
            for piece in interview_pieces(layout(interview)):
                lay = piece.layout
                for hit, name, _ in self.hits(piece.text, piece.start, piece.end, lay.labels if lay else (),
                                              piece.label, lay.bounds if lay else ()):
                    found.append(Occurrence(name, piece.text[hit.start:hit.end], interview.id,
                                            interview.file, piece.attribute,
                                            _context(piece.text, hit.start, hit.end)))
        return found

    def kept_value_warnings(self, corpus: Corpus) -> list[str]:
        """W701, once, when ids, file names, areas or regions hold a replaced name.

        The warning names the interview and the pseudonym, never the name: it
        reaches the reports, which are shared.
        """
        import re

        found: dict[str, dict[str, tuple[str, str]]] = {}  # what -> value -> (interview id, pseudonym)
        for interview in corpus:
            checks = [("file name", interview.file), *((a, interview.get(a)) for a in ("id", "area", "region"))]
            for what, value in checks:
                if not isinstance(value, str) or value in found.get(what, {}):
                    continue
                words = tuple(re.findall(r"[^\W_]+", fold(value)))
                name = next((name for name in self.names for f in name.forms if _contains(words, f)), None)
                if name is not None:
                    found.setdefault(what, {})[value] = (interview.id, name.pseudonym)
        kinds = [what for what in ("file name", "id", "area", "region") if what in found]
        if not kinds:
            return []
        counts = ", ".join(f"{len(found[what])} {what}(s)" for what in kinds)
        ident, pseudonym = sorted(found[kinds[0]].values())[0]
        return [Errors.W701.format(counts=counts, what=kinds[0], id=ident, pseudonym=pseudonym)]


def _merged(hits: Iterable[Hit], addresses: list[Hit]) -> Iterator[Hit]:
    """The hits in order, an address taking the place of the names inside it."""
    if not addresses:
        yield from hits
        return
    pending = iter(addresses)
    current = next(pending, None)
    for hit in hits:
        while current is not None and current.end <= hit.start:
            yield current
            current = next(pending, None)
        if current is not None and hit.start < current.end and current.start < hit.end:
            continue  # inside the address (or across its edge): the address is replaced whole
        yield hit
    while current is not None:
        yield current
        current = next(pending, None)


def _in_regions(regions: Sequence[tuple[int, int]], position: int) -> bool:
    i = bisect.bisect_right(regions, (position, float("inf"))) - 1
    return i >= 0 and regions[i][0] <= position < regions[i][1]


def _contains(words: tuple[str, ...], form: tuple[str, ...]) -> bool:
    n = len(form)
    return any(words[i:i + n] == form for i in range(len(words) - n + 1))


def _listed(replace: Iterable[str | tuple[str, str | None]]) -> list[tuple[str, tuple[str, ...], str | None]]:
    listed = []
    for item in replace:
        name, cat = (item, None) if isinstance(item, str) else (item[0], item[1])
        found = category(cat) if cat else None
        if cat and found is None:
            raise AnonymiseError(Errors.E704.format(category=cat))
        if name and name.strip():
            listed.append((" ".join(name.split()), words_of(name), found))
    return listed


def _refuse_pseudonyms(corpus: Corpus) -> None:
    """A corpus that already holds `[PERSON 1]` cannot be mapped back without ambiguity (E706)."""
    for interview in corpus:
        for piece in interview_pieces(layout(interview)):
            m = PSEUDONYM.search(piece.text, piece.start, piece.end)
            if m is not None:
                line = piece.text.count("\n", 0, m.start()) + 1 if piece.layout else None
                raise AnonymiseError(Errors.E706.format(example=m.group()),
                                     path=interview.path or interview.file, line=line)


def _number(corpus: Corpus, groups: Sequence[Group], kept: Sequence[str]) -> list[Name]:
    """Number each category in order of first appearance; names never seen come last, sorted."""
    provisional = Anonymiser([Name(g.category, 0, tuple(sorted(g.forms)), g.listed) for g in groups], kept)
    order: dict[int, None] = {}
    for interview in corpus:
        for piece in interview_pieces(layout(interview)):
            lay = piece.layout
            for hit, _, _ in provisional.hits(piece.text, piece.start, piece.end, lay.labels if lay else (),
                                              bounds=lay.bounds if lay else ()):
                order.setdefault(hit.entry.group, None)
    order.update(dict.fromkeys(range(len(groups))))
    counters = dict.fromkeys(CATEGORIES, 0)
    names = []
    for group in order:
        name = provisional._by_group[group]
        counters[name.category] += 1
        names.append(Name(name.category, counters[name.category], name.forms, name.listed))
    return names


def pseudonymise_quotes(corpus: Corpus, texts_or_spans: Iterable[str | tuple[str, int, int]], *,
                        anonymiser: Anonymiser | None = None, keep: Iterable[str] = (),
                        replace: Iterable[str | tuple[str, str | None]] = ()) -> list[str]:
    """Quotes with the pseudonyms of the anonymised corpus.

    Args:
        corpus: the corpus the quotes come from.
        texts_or_spans: quotes as text, or as (interview id, start, end) offsets into
            `corpus[id].text`.
        anonymiser: one built before with `Anonymiser.from_corpus` (build it once for a
            whole report: detection runs the NER over the corpus); else built here.
        keep, replace: the lists given to `qualcode anonymise`, so that the numbers agree.
    """
    if anonymiser is None:
        anonymiser = Anonymiser.from_corpus(corpus, keep=keep, replace=replace)
    quotes = []
    for item in texts_or_spans:
        if isinstance(item, str):
            quotes.append(anonymiser.apply(item))
        else:
            ident, start, end = item
            quotes.append(anonymiser.apply(corpus[ident].text[start:end]))
    return quotes

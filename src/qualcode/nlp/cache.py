"""A cache of parsed documents, so that re-coding skips the pipeline.

One entry per interview and pipeline: a spaCy ``DocBin`` of the parsed texts,
keyed by the SHA-256 of the pipeline key (model name, version, components,
spaCy version, normaliser version) and of the texts themselves. Editing a
codebook changes neither, so a re-run with an edited codebook only matches.

Beside each entry, under the same key, `MatchCache` keeps what coding reads
of the interview (token tables) and the matches of each pattern item, so
that a re-coding matches only the patterns an edit changed and an unchanged
codebook needs no spaCy at all (`qualcode.coding.hits`).

Entries are written to a temporary file and renamed into place, so concurrent
runs never see half an entry. An entry that cannot be read, or that does not
hold the texts it should, is rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qualcode.base.atomic import write_file_atomic
from qualcode.base.userdirs import default_cache_dir  # noqa: F401  (re-exported)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from qualcode.nlp.tokens import TokenTable

#: attributes kept in the cache: what matching and sentence units need
ATTRS = ("ORTH", "NORM", "LEMMA", "POS", "MORPH", "SENT_START", "SPACY")


def entry_key(pipeline_key: str, texts: Sequence[str]) -> str:
    digest = hashlib.sha256(pipeline_key.encode())
    for text in texts:
        encoded = text.encode("utf-8")
        digest.update(len(encoded).to_bytes(8, "little"))
        digest.update(encoded)
    return digest.hexdigest()


def _same_shape(doc: Doc, text: str) -> bool:
    """Cheap check that a cached doc is the parse of `text`.

    The entry's key is the SHA-256 of the texts, so a wrong entry is a damaged
    one: its length in characters or its first word gives it away, at a cost
    that does not grow with the text as `doc.text == text` would.
    """
    if not len(doc):
        return not text
    last = doc[len(doc) - 1]
    return (last.idx + len(last.text_with_ws) == len(text)
            and text.startswith(doc[0].text, doc[0].idx))


class DocCache:
    """Read and write DocBin entries under one folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.hits = 0
        self.misses = 0

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.spacy"

    def has(self, key: str) -> bool:
        """An entry exists (it may still prove unreadable: `get` says)."""
        return self._path(key).is_file()

    def get(self, key: str, nlp: Language, texts: Sequence[str]) -> list[Doc] | None:
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            self.misses += 1
            return None
        from spacy.tokens import DocBin

        try:
            docs = list(DocBin().from_bytes(data).get_docs(nlp.vocab))
        except Exception:  # corrupt or foreign: rebuild
            self.misses += 1
            return None
        if len(docs) != len(texts) or not all(_same_shape(d, t) for d, t in zip(docs, texts)):
            self.misses += 1
            return None
        self.hits += 1
        return docs

    def put(self, key: str, docs: Sequence[Doc]) -> None:
        from spacy.tokens import DocBin

        write_entry(self._path(key), DocBin(attrs=list(ATTRS), docs=docs).to_bytes())

    def parsed(self, key: str, nlp: Language, texts: Sequence[str]) -> list[Doc]:
        """The documents of these texts: from their entry if it reads, else parsed now and kept."""
        cached = self.has(key)
        docs = self.get(key, nlp, texts) if cached else None  # `get` counts a hit or a miss
        if not cached:
            self.misses += 1
        if docs is None:
            docs = list(nlp.pipe(texts))
            self.put(key, docs)
        return docs


def write_entry(path: Path, data: bytes) -> None:
    """Write one cache entry atomically, readable by the user alone (it holds the interviews' words
    or their lemmas); no fsync, and a cache that cannot be written is only a slower run."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_file_atomic(path, data, mode=0o600, durable=False)
    except OSError:
        return


class JsonCache:
    """Small JSON entries under `folder/kind`, keyed like the parse cache; a damaged one is a miss."""

    def __init__(self, folder: Path, kind: str) -> None:
        self.folder = Path(folder) / kind

    @staticmethod
    def key(pipeline_key: str, text: str) -> str:
        return entry_key(pipeline_key, [text])

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> list[Any] | None:
        try:
            found = json.loads(self._path(key).read_bytes())
        except (OSError, ValueError):
            return None
        return found if isinstance(found, list) else None

    def put(self, key: str, value: Sequence[Any]) -> None:
        write_entry(self._path(key), json.dumps(list(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


#: the format of the match cache's entries: bump when what they hold changes (an old entry is then a miss)
MATCH_FORMAT = 2
#: one turn's matches per item: item key -> sorted (start, end) token spans
TurnHits = dict[str, list[tuple[int, int]]]


class StoredHits:
    """What the match cache holds of one interview: the items it was matched for, and their spans per turn."""

    __slots__ = ("known", "turns")

    def __init__(self, known: frozenset[str], turns: list[TurnHits]) -> None:
        self.known = known
        self.turns = turns


def _pairs(flat: object) -> list[tuple[int, int]]:
    """[s1, e1, s2, e2...] as [(s1, e1), (s2, e2)...]; ValueError for anything else (a damaged entry)."""
    if not isinstance(flat, list) or len(flat) % 2:
        raise ValueError("not a list of start and end offsets")
    pairs = iter(flat)
    return list(zip(pairs, pairs))


class MatchCache:
    """Beside each DocBin entry (same key): the turns' token tables, and each pattern item's matches.

    * ``tables/ab/<key>.json``: the `qualcode.nlp.tokens.TokenTable` of every
      turn, what coding reads of a parsed turn;
    * ``matches/ab/<key>.json``: per turn, per item key
      (`qualcode.coding.patterns.Item`), its spans as flat (start, end)
      pairs, and the id of the set of items the interview was matched for
      (an item of that set without spans has no match);
    * ``matches/sets/<id>.json``: such a set (sorted item keys), shared by
      every interview matched for the same items;
    * ``readings/<id>.json``: per pipeline, each phrase's NORM readings and
      the ORTH tokens of case-sensitive ones, so that a known phrase needs no
      pipeline;
    * ``coded/ab/<key>.json``: an interview's coded turns (each turn's
      sentence bounds and matches with their statuses) and the digest of
      what they were coded with (the codebook's coding rules, the roles,
      the local names: `qualcode.coding.coded`), so that an unchanged
      codebook re-codes with no rules at all. One per interview: coding it
      with another codebook replaces it.

    An item's matches depend only on the item and the parsed texts, so an
    edited codebook re-matches the items whose key is new and reads the
    others here. Every read is checked (format, the entry's own key, bounds):
    a damaged or foreign entry is a miss, rebuilt, never trusted.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._sets: dict[str, frozenset[str] | None] = {}

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / kind / key[:2] / f"{key}.json"

    def _read(self, path: Path, key: str) -> dict[str, Any] | None:
        try:
            found = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(found, dict) or found.get("format") != MATCH_FORMAT or found.get("key") != key:
            return None
        return found

    def _write(self, path: Path, value: dict[str, Any]) -> None:
        write_entry(path, json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8"))

    def has_tables(self, key: str) -> bool:
        return self._path("tables", key).is_file()

    def tables(self, key: str, texts: Sequence[str]) -> list[TokenTable] | None:
        """The token tables of an interview's turns, or None (absent, damaged, or not these texts)."""
        from qualcode.nlp.tokens import TokenTable

        found = self._read(self._path("tables", key), key)
        raw = found.get("tables") if found is not None else None
        if not isinstance(raw, list) or len(raw) != len(texts):
            return None
        tables = []
        try:
            for data, text in zip(raw, texts):
                table = TokenTable.from_json(data)
                n = len(table)
                if n and not (table.starts[0] >= 0 and table.ends[-1] <= len(text)):
                    return None
                if any(not 0 < s < n for s in table.sentence_starts):
                    return None
                tables.append(table)
        except (TypeError, ValueError):
            return None
        return tables

    def put_tables(self, key: str, tables: Sequence[TokenTable]) -> None:
        self._write(self._path("tables", key), {"format": MATCH_FORMAT, "key": key,
                                                "tables": [t.to_json() for t in tables]})

    def _set(self, set_id: str) -> frozenset[str] | None:
        if set_id not in self._sets:
            found = self._read(self.folder / "matches" / "sets" / f"{set_id}.json", set_id)
            items = found.get("items") if found is not None else None
            valid = isinstance(items, list) and all(isinstance(i, str) for i in items) and _set_id(items) == set_id
            self._sets[set_id] = frozenset(items) if valid and isinstance(items, list) else None
        return self._sets[set_id]

    def hits(self, key: str, turns: int) -> StoredHits | None:
        """The matches kept for an interview of `turns` turns, or None (their spans are checked against
        the tables by their reader: `spans_fit`)."""
        found = self._read(self._path("matches", key), key)
        if found is None or not isinstance(found.get("known"), str) or not isinstance(found.get("turns"), list):
            return None
        known = self._set(found["known"])
        raw = found["turns"]
        if known is None or len(raw) != turns:
            return None
        try:
            stored = [{item: _pairs(flat) for item, flat in turn.items()} for turn in raw]
        except (AttributeError, TypeError, ValueError):
            return None
        if not all(turn.keys() <= known for turn in stored):
            return None
        return StoredHits(known, stored)

    def put_hits(self, key: str, known: Iterable[str], turns: Sequence[Mapping[str, Sequence[tuple[int, int]]]]) -> None:
        """Keep an interview's matches for the items `known` (an item of it without spans has none)."""
        items = sorted(set(known))
        set_id = _set_id(items)
        if self._sets.get(set_id) is None:
            path = self.folder / "matches" / "sets" / f"{set_id}.json"
            if self._set(set_id) is None:
                self._write(path, {"format": MATCH_FORMAT, "key": set_id, "items": items})
            self._sets[set_id] = frozenset(items)
        kept = self._sets[set_id] or frozenset()
        flat = [{item: [int(n) for span in sorted(spans) for n in span] for item, spans in turn.items() if item in kept}
                for turn in turns]
        self._write(self._path("matches", key), {"format": MATCH_FORMAT, "key": key, "known": set_id,
                                                 "turns": flat})

    def coded(self, key: str, made_with: str) -> list[Any] | None:
        """An interview's coded turns if they were made with `made_with` (checked by their reader,
        `qualcode.coding.coded`), else None."""
        found = self._read(self._path("coded", key), key)
        if found is None or found.get("with") != made_with:
            return None
        turns = found.get("turns")
        return turns if isinstance(turns, list) else None

    def put_coded(self, key: str, made_with: str, turns: Sequence[Any]) -> None:
        self._write(self._path("coded", key), {"format": MATCH_FORMAT, "key": key, "with": made_with,
                                               "turns": list(turns)})

    def readings(self, pipeline_key: str) -> tuple[dict[str, list[list[str]]], dict[str, list[str]]]:
        """Phrases' NORM readings and case-sensitive phrases' ORTH tokens known for a pipeline."""
        key = _readings_key(pipeline_key)
        found = self._read(self.folder / "readings" / f"{key}.json", key)
        norms: dict[str, list[list[str]]] = {}
        orths: dict[str, list[str]] = {}
        if found is None:
            return norms, orths
        for phrase, value in (found.get("norm") or {}).items():
            if isinstance(value, list) and all(isinstance(r, list) and all(isinstance(w, str) for w in r)
                                               for r in value):
                norms[phrase] = value
        for phrase, value in (found.get("orth") or {}).items():
            if isinstance(value, list) and all(isinstance(w, str) for w in value):
                orths[phrase] = value
        return norms, orths

    def put_readings(self, pipeline_key: str, norms: Mapping[str, Sequence[Sequence[str]]],
                     orths: Mapping[str, Sequence[str]]) -> None:
        """Add phrases' readings to those kept for a pipeline."""
        key = _readings_key(pipeline_key)
        old_norms, old_orths = self.readings(pipeline_key)
        old_norms.update({p: [list(r) for r in v] for p, v in norms.items()})
        old_orths.update({p: list(v) for p, v in orths.items()})
        self._write(self.folder / "readings" / f"{key}.json",
                    {"format": MATCH_FORMAT, "key": key, "norm": old_norms, "orth": old_orths})


def _set_id(items: Sequence[str]) -> str:
    return hashlib.sha256("\n".join(items).encode("utf-8")).hexdigest()


def _readings_key(pipeline_key: str) -> str:
    """Readings also use the lookup table (`phrase_readings`), whose version the model's key does not hold."""
    import importlib.metadata as md

    try:
        lookups = md.version("spacy-lookups-data")
    except md.PackageNotFoundError:
        lookups = "?"
    return hashlib.sha256(f"{pipeline_key}|{lookups}".encode()).hexdigest()


def spans_fit(stored: StoredHits, tables: Sequence[TokenTable]) -> bool:
    """The stored spans are token spans inside their turns (else the entry is damaged, or not ours)."""
    if len(stored.turns) != len(tables):
        return False
    try:
        return all(0 <= start < end <= len(table) and type(start) is int and type(end) is int
                   for turn, table in zip(stored.turns, tables) for spans in turn.values() for start, end in spans)
    except TypeError:
        return False

"""A cache of parsed documents, so that re-coding skips the pipeline.

One entry per interview and pipeline: a spaCy ``DocBin`` of the parsed texts,
keyed by the SHA-256 of the pipeline key (model name, version, components,
spaCy version, normaliser version) and of the texts themselves. Editing a
codebook changes neither, so a re-run with an edited codebook only matches.

Entries are written to a temporary file and renamed into place, so concurrent
runs never see half an entry. An entry that cannot be read, or that does not
hold the texts it should, is rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qualcode.base.atomic import write_file_atomic
from qualcode.base.userdirs import default_cache_dir  # noqa: F401  (re-exported)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

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

        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # the interviews' words, verbatim: readable by the user alone; a cache needs no fsync
            write_file_atomic(path, DocBin(attrs=list(ATTRS), docs=docs).to_bytes(), mode=0o600, durable=False)
        except OSError:
            return  # a cache that cannot be written is only a slower run


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
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            data = json.dumps(list(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            write_file_atomic(path, data, mode=0o600, durable=False)
        except OSError:
            return

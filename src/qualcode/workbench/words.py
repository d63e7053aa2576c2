"""The respondents' words: lemma frequencies, keyness by group, keywords in context, and what no pattern covers.

Texts are the respondent segments of a results folder (or the respondent
turns of a corpus), parsed with the coding's spaCy pipeline. A *word* is a
token made of letters, counted under its lower-case lemma; the language's
stop words (spaCy's list) are left out, and so are one-letter tokens.

Keyness compares each group (the values of an attribute: area, region,
provider, configuration...) with all the others, lemma by lemma, with the
log-likelihood G² of Rayson and Garside (2000), the statistic corpus
linguists and IRaMuTeQ users read, computed by SciPy's
`power_divergence`; its effect size is Hardie's (2014) log ratio, the
binary log of the ratio of relative frequencies (0.5 added to a zero count):
G² says how sure, the log ratio how large.

A lemma is *covered* when its NORM (the folded lemma the matcher reads) is
a word of some pattern of the codebook in that language: a frequent or key
lemma that is not covered is a candidate for a pattern. `codes` names the
codes whose patterns hold it.

`kwic` finds a lemma or a phrase as the matcher reads a codebook phrase (on
NORM, under each reading `qualcode.nlp.pipelines.phrase_readings` gives),
so that its hits are the places a pattern with that phrase matches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from qualcode.errors import Errors, UsageError

if TYPE_CHECKING:
    from spacy.language import Language

    from qualcode.codebook.model import Codebook

#: the columns of `Words.tokens`
TOKEN_COLUMNS = ("segment_id", "group", "language", "start", "end", "text", "lemma", "norm", "stop")
KEYNESS_COLUMNS = ("group", "lemma", "count", "others", "per_10k", "others_per_10k", "g2", "p", "log_ratio",
                   "covered", "codes")
KWIC_COLUMNS = ("segment_id", "group", "start", "end", "left", "match", "right")
PATTERN_KEYS = ("NORM", "LEMMA", "LOWER", "ORTH", "TEXT")


@dataclass
class Words:
    """The tokens of the respondents' words, with their group; `frequencies` and `keyness` derive from them."""

    tokens: pd.DataFrame
    by: str
    coverage: dict[str, dict[str, tuple[str, ...]]]  # language -> norm -> codes

    def _covered(self, frame: pd.DataFrame) -> pd.DataFrame:
        norms = self.tokens.drop_duplicates("lemma").set_index("lemma")
        langs = self.tokens.groupby("lemma")["language"].agg(lambda v: sorted(set(v)))
        codes = []
        for lemma in frame["lemma"]:
            norm = str(norms.at[lemma, "norm"])
            found: set[str] = set()
            for lang in langs.get(lemma, []):
                found.update(self.coverage.get(lang, {}).get(norm, ()))
            codes.append(";".join(sorted(found)))
        return frame.assign(covered=[bool(c) for c in codes], codes=codes)

    @property
    def words(self) -> pd.DataFrame:
        """The counted tokens: letters only, no stop word."""
        return self.tokens[~self.tokens["stop"]]

    def frequencies(self) -> pd.DataFrame:
        """One row per lemma: `total`, then one count column per group, `covered` and `codes`; most frequent first."""
        words = self.words
        table = pd.crosstab(words["lemma"], words["group"])
        table.columns = [str(c) for c in table.columns]
        table.insert(0, "total", table.sum(axis=1))
        table = table.reset_index().rename(columns={"index": "lemma"})
        table = table.sort_values(["total", "lemma"], ascending=[False, True]).reset_index(drop=True)
        return self._covered(table)

    def keyness(self, *, minimum: int = 3) -> pd.DataFrame:
        """Each group against the others: G², its p-value and the log ratio, for lemmas seen `minimum` times.

        Sorted by group, then by G² (overused lemmas, log ratio > 0, first).
        """
        from scipy.stats import power_divergence

        words = self.words
        groups = sorted(words["group"].unique())
        if len(groups) < 2:
            raise UsageError(Errors.E476.format(attribute=self.by, value=groups[0] if groups else ""))
        table = pd.crosstab(words["lemma"], words["group"])
        table = table[table.sum(axis=1) >= minimum]
        rows = []
        for group in groups:
            a = table[group].to_numpy(dtype=float)
            b = table.drop(columns=[group]).sum(axis=1).to_numpy(dtype=float)
            c, d = float((words["group"] == group).sum()), float((words["group"] != group).sum())
            expected_a, expected_b = c * (a + b) / (c + d), d * (a + b) / (c + d)
            g2, p = power_divergence(np.vstack([a, b]), np.vstack([expected_a, expected_b]),
                                     lambda_="log-likelihood", axis=0)
            ratio = np.log2((np.where(a == 0, 0.5, a) / c) / (np.where(b == 0, 0.5, b) / d))
            for n, lemma in enumerate(table.index):
                rows.append((group, str(lemma), int(a[n]), int(b[n]), 10_000 * a[n] / c, 10_000 * b[n] / d,
                             float(g2[n]), float(p[n]), float(ratio[n])))
        frame = pd.DataFrame(rows, columns=list(KEYNESS_COLUMNS[:-2]))
        frame["order"] = np.where(frame["log_ratio"] > 0, -frame["g2"], frame["g2"])
        frame = frame.sort_values(["group", "order", "lemma"]).drop(columns="order").reset_index(drop=True)
        return self._covered(frame)


def coverage(codebook: Codebook, language: str, nlp: Language) -> dict[str, tuple[str, ...]]:
    """NORM -> the codes (themes and actors) whose patterns in `language` hold that word."""
    from qualcode.base.text import fold
    from qualcode.nlp.pipelines import normalise_token, phrase_readings

    found: dict[str, set[str]] = {}
    items = [(c.id, dict(c.patterns).get(language) or []) for c in codebook.codes] + \
            [(a.id, dict(a.aliases).get(language) or []) for a in codebook.actors]
    phrases = sorted({str(p.phrase) for _, patterns in items for p in patterns if p.phrase})
    readings = phrase_readings(nlp, phrases) if phrases else {}
    for code, patterns in items:
        for pattern in patterns:
            words: set[str] = set()
            if pattern.phrase:
                words.update(w for reading in readings.get(str(pattern.phrase), []) for w in reading)
            for token in pattern.tokens or []:
                for key in PATTERN_KEYS:
                    value = token.get(key)
                    values = value.get("IN", []) if isinstance(value, dict) else [value]
                    for item in values:
                        if isinstance(item, str):
                            words.add(item if key == "NORM" else normalise_token(item, item, language) or fold(item))
            for word in words:
                found.setdefault(word, set()).add(str(code))
    return {k: tuple(sorted(v)) for k, v in found.items()}


def tokenize(segments: pd.DataFrame, groups: Sequence[str], languages: Sequence[str], pipeline: str
             ) -> pd.DataFrame:
    """The tokens (`TOKEN_COLUMNS`) of each segment's text, offsets in the interview's text."""
    from qualcode.nlp.pipelines import load_pipeline

    rows: list[tuple[Any, ...]] = []
    frame = segments.assign(group=list(groups), language=list(languages))
    for language in sorted(set(languages)):
        nlp = load_pipeline(language, pipeline)
        stop = nlp.Defaults.stop_words
        mine = frame[frame["language"] == language]
        for record, doc in zip(mine.itertuples(index=False), nlp.pipe(mine["text"].astype(str).tolist())):
            offset = int(str(record.start))
            for token in doc:
                if not token.is_alpha or len(token.text) < 2:
                    continue
                lemma = (token.lemma_ or token.text).lower()
                rows.append((str(record.segment_id), str(record.group), language, offset + token.idx,
                             offset + token.idx + len(token.text), token.text, lemma, token.norm_,
                             bool(token.is_stop or lemma in stop or token.lower_ in stop)))
    tokens = pd.DataFrame(rows, columns=list(TOKEN_COLUMNS))
    return tokens.astype({"start": "int64", "end": "int64", "stop": "bool"})


def words(segments: pd.DataFrame, groups: Sequence[str], languages: Sequence[str], codebook: Codebook, *,
          by: str, pipeline: str) -> Words:
    """Tokens, groups and coverage of the respondents' segments (segments.csv's columns)."""
    from qualcode.nlp.pipelines import load_pipeline

    tokens = tokenize(segments, groups, languages, pipeline)
    covered: dict[str, dict[str, tuple[str, ...]]] = {str(lang): coverage(codebook, lang, load_pipeline(lang, pipeline))
               for lang in sorted(set(languages)) if lang in codebook.languages}
    return Words(tokens, by, covered)


def kwic(segments: pd.DataFrame, groups: Sequence[str], languages: Sequence[str], phrase: str, *,
         pipeline: str, width: int = 60) -> pd.DataFrame:
    """Every place `phrase` (a lemma or several words) occurs, read as a codebook phrase is (`KWIC_COLUMNS`)."""
    from qualcode.nlp.pipelines import load_pipeline, phrase_readings

    rows: list[tuple[Any, ...]] = []
    frame = segments.assign(group=list(groups), language=list(languages))
    for language in sorted(set(languages)):
        nlp = load_pipeline(language, pipeline)
        readings = [r for r in phrase_readings(nlp, [phrase]).get(phrase, []) if r]
        mine = frame[frame["language"] == language]
        for record, doc in zip(mine.itertuples(index=False), nlp.pipe(mine["text"].astype(str).tolist())):
            norms = [t.norm_ for t in doc]
            text, offset = str(record.text), int(str(record.start))
            taken: set[int] = set()
            for i in range(len(doc)):
                if i in taken:
                    continue
                for reading in readings:
                    if norms[i:i + len(reading)] == reading:
                        first, last = doc[i], doc[i + len(reading) - 1]
                        a, b = first.idx, last.idx + len(last.text)
                        rows.append((str(record.segment_id), str(record.group), offset + a, offset + b,
                                     text[max(0, a - width):a], text[a:b], text[b:b + width]))
                        taken.update(range(i, i + len(reading)))
                        break
    order = {s: n for n, s in enumerate(segments["segment_id"].astype(str))}
    found = pd.DataFrame(rows, columns=list(KWIC_COLUMNS)).astype({"start": "int64", "end": "int64"})
    found = found.assign(rank=found["segment_id"].map(order)).sort_values(["rank", "start"])
    return found.drop(columns="rank").reset_index(drop=True)


__all__ = ["KEYNESS_COLUMNS", "KWIC_COLUMNS", "TOKEN_COLUMNS", "Words", "coverage", "kwic", "tokenize", "words"]

"""What a trained coder sees of a segment: its lemmas, the codebook's hits, the question before it.

Features come in named blocks, so that a coding can say which of them made
the model decide (docs/learning.md):

* ``w:`` lemma unigrams and ``w:a b`` bigrams of the segment (the token's
  NORM: its lemma, lower-cased, without accents, as the patterns see it),
  weighted by tf-idf;
* ``q:`` lemma unigrams of the interviewer's question just before the
  segment's turn (what was asked frames the answer);
* ``r:code:status`` the codebook's hits in the segment and their status
  (present, negated, historical, hypothetical, rejected), ``c:code`` the code
  a hit counts for after the codebook's mapping, ``p:code:pattern`` the
  pattern that fired;
* ``v:n`` the dimensions of the segment's mean word vector, when the
  pipeline has vectors (`fr_core_news_md`; the default pipelines have none).

`TokenCollector` gathers the lemmas while `code_corpus` parses (its
`observer`), so that a model adds no parsing; `Vectoriser` turns the
collected segments into a sparse matrix with a vocabulary fitted on the
training segments and kept as plain JSON in the model folder.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import sparse

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from qualcode.coding.units import Segment
    from qualcode.corpus.model import Interview, Turn

WORD, QUESTION, RULE, COUNTS, PATTERN, VECTOR = "w:", "q:", "r:", "c:", "p:", "v:"
#: the feature blocks, and the weight of each in the model's input (tuned on devset/tune)
BLOCKS = (WORD, QUESTION, RULE, VECTOR)
NUMBER = "<num>"


def token_norm(token: Token) -> str | None:
    """The token as a feature: its NORM, numbers as one symbol; None for punctuation and spaces."""
    if token.is_punct or token.is_space or not token.text.strip():
        return None
    if token.like_num:
        return NUMBER
    norm = token.norm_.strip()
    return norm or None


@dataclass
class SegmentText:
    """The words of one segment and of the question it answers, as the features read them."""

    tokens: tuple[str, ...]
    question: tuple[str, ...] = ()
    vector: tuple[float, ...] = ()


@dataclass
class TokenCollector:
    """An observer of `code_corpus`: keeps the lemmas of every coded segment and of its question.

    `vectors`: also keep each segment's mean word vector, when the pipeline has vectors.
    """

    vectors: bool = False
    segments: dict[str, SegmentText] = field(default_factory=dict)
    _question: tuple[str, ...] = ()
    _interview: str = ""

    def __call__(self, interview: Interview, turn: Turn, doc: Doc, segments: list[Segment]) -> None:
        if interview.id != self._interview:
            self._interview, self._question = interview.id, ()
        if not turn.is_respondent and not segments:
            self._question = _norms(doc)
            return
        for seg in segments:
            tokens = [t for t in doc if seg.local_start <= t.idx < seg.local_end]
            vector: tuple[float, ...] = ()
            if self.vectors and doc.vocab.vectors.shape[0]:
                rows = [np.asarray(t.vector, dtype=np.float64) for t in tokens if t.has_vector and not t.is_punct]
                if rows:
                    vector = tuple(float(x) for x in np.mean(rows, axis=0))
            self.segments[seg.segment_id] = SegmentText(_norms(tokens), self._question, vector)
        if not turn.is_respondent:
            self._question = _norms(doc)  # an interviewer's turn that is coded still asks


def _norms(tokens: Iterable[Token]) -> tuple[str, ...]:
    return tuple(n for n in (token_norm(t) for t in tokens) if n is not None)


def collect_texts(docs: Iterable[Doc]) -> list[SegmentText]:
    """Loose texts (the codebook's examples) as segments without a question."""
    return [SegmentText(_norms(doc)) for doc in docs]


def rule_features(evidence: pd.DataFrame) -> dict[str, Counter[str]]:
    """segment id -> the codebook's hits in it: `r:code:status`, `c:code`, `p:code:pattern`."""
    found: dict[str, Counter[str]] = {}
    for segment, code, status, pattern, counts in zip(
            evidence["segment_id"], evidence["code"], evidence["status"], evidence["pattern_id"],
            evidence["counts_for"]):
        bag = found.setdefault(str(segment), Counter())
        bag[f"{RULE}{code}:{status}"] = 1
        bag[f"{PATTERN}{code}:{pattern}"] = 1
        if counts:
            bag[f"{COUNTS}{counts}"] = 1
    return found


def raw_features(text: SegmentText, rules: Mapping[str, int] | None = None, *,
                 bigrams: bool = True) -> Counter[str]:
    """The counts of one segment's features, before weighting."""
    bag: Counter[str] = Counter(WORD + t for t in text.tokens)
    if bigrams:
        bag.update(f"{WORD}{a} {b}" for a, b in zip(text.tokens, text.tokens[1:]))
    bag.update(QUESTION + t for t in set(text.question))
    if rules:
        bag.update(rules)
    return bag


@dataclass(frozen=True)
class FeatureSettings:
    """How features are made; recorded in the model's manifest."""

    bigrams: bool = True
    min_df: int = 2
    question_weight: float = 0.5
    rule_weight: float = 0.5
    vector_weight: float = 0.0

    def to_dict(self) -> dict[str, float | int | bool]:
        return {"bigrams": self.bigrams, "min_df": self.min_df, "question_weight": self.question_weight,
                "rule_weight": self.rule_weight, "vector_weight": self.vector_weight}


@dataclass
class Vectoriser:
    """Features -> a sparse matrix: a vocabulary, idf weights, one l2-normalised block per kind.

    Words and questions are weighted by sublinear tf-idf, hits are binary;
    each block is scaled to unit length and then by its weight, so that a
    long answer does not drown its hits.
    """

    vocabulary: list[str]
    idf: np.ndarray
    settings: FeatureSettings
    vector_size: int = 0

    @classmethod
    def fit(cls, bags: Sequence[Counter[str]], settings: FeatureSettings,
            vector_size: int = 0) -> Vectoriser:
        df: Counter[str] = Counter()
        for bag in bags:
            df.update(bag.keys())
        n = len(bags)
        keep = sorted(f for f, count in df.items()
                      if count >= settings.min_df or f.startswith((RULE, COUNTS, PATTERN)))
        idf = np.array([math.log((1 + n) / (1 + df[f])) + 1.0 if f.startswith((WORD, QUESTION)) else 1.0
                        for f in keep], dtype=np.float64)
        return cls(keep, idf, settings, vector_size if settings.vector_weight > 0 else 0)

    @property
    def index(self) -> dict[str, int]:
        cached: dict[str, int] | None = getattr(self, "_index", None)
        if cached is None:
            cached = {f: i for i, f in enumerate(self.vocabulary)}
            self._index = cached
        return cached

    @property
    def names(self) -> list[str]:
        """Every column's feature name, the vector's dimensions last."""
        return self.vocabulary + [f"{VECTOR}{i}" for i in range(self.vector_size)]

    def transform(self, bags: Sequence[Counter[str]],
                  vectors: Sequence[tuple[float, ...]] | None = None) -> sparse.csr_matrix:
        index = self.index
        weights = {WORD: 1.0, QUESTION: self.settings.question_weight, RULE: self.settings.rule_weight}
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for r, bag in enumerate(bags):
            blocks: dict[str, list[tuple[int, float]]] = {}
            for feature, count in bag.items():
                i = index.get(feature)
                if i is None:
                    continue
                block = feature[:2] if feature[:2] in (WORD, QUESTION) else RULE
                value = (1.0 + math.log(count)) * self.idf[i] if block != RULE else 1.0
                blocks.setdefault(block, []).append((i, value))
            for block, items in blocks.items():
                norm = math.sqrt(sum(v * v for _, v in items)) or 1.0
                scale = weights[block] / norm
                for i, v in items:
                    rows.append(r)
                    cols.append(i)
                    vals.append(v * scale)
        size = len(self.vocabulary)
        matrix = sparse.csr_matrix((vals, (rows, cols)), shape=(len(bags), size + self.vector_size),
                                   dtype=np.float64)
        if self.vector_size and vectors is not None:
            dense = np.zeros((len(bags), self.vector_size))
            for r, vector in enumerate(vectors):
                if len(vector) == self.vector_size:
                    row_vector = np.asarray(vector, dtype=np.float64)
                    length = float(np.linalg.norm(row_vector)) or 1.0
                    dense[r] = row_vector / length * self.settings.vector_weight
            matrix = matrix + sparse.csr_matrix(
                (dense[dense != 0], np.nonzero(dense)), shape=matrix.shape)
        return sparse.csr_matrix(matrix)

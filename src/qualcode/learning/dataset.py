"""From a coded corpus and a human coding to the rows a model learns from.

What a human's file tells: for an interview it coded (a row with the scope
`interview`, the default), every respondent segment of it, for every code
of the kinds that file codes (themes, actors, or both); a segment the file
does not code there is a "no". For a segment of a `--next` sheet (scope
`segment`), that segment only, for themes and actors. The codebook's
examples and counter-examples of a theme are a "yes" and a "no" for that
theme alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from qualcode.codebook.model import Codebook
from qualcode.coding.engine import Codings
from qualcode.coding.kinds import ACTOR, THEME
from qualcode.learning.features import SegmentText, collect_texts, raw_features, rule_features
from qualcode.learning.training import CODEBOOK_GROUP, TrainingSet, applied_pairs, label_matrix
from qualcode.validation.humans import SEGMENT_SCOPE


@dataclass
class HumanScope:
    """The human's decisions and, per kind of code, the segments the human read."""

    pairs: set[tuple[str, str]]
    segments: dict[str, set[str]] = field(default_factory=dict)

    def read(self, kind: str) -> set[str]:
        return self.segments.get(kind, set())

    @property
    def interviews(self) -> set[str]:
        return {s.split("#", 1)[0] for segments in self.segments.values() for s in segments}


def human_scope(labels: pd.DataFrame, segments: pd.DataFrame) -> HumanScope:
    """Which segments the human read for themes and for actors, and the (segment, code) pairs."""
    by_interview: dict[str, list[str]] = {}
    for segment, interview in zip(segments["segment_id"], segments["interview_id"]):
        by_interview.setdefault(str(interview), []).append(str(segment))
    interview_of = dict(zip(segments["segment_id"].astype(str), segments["interview_id"].astype(str)))
    read: dict[str, set[str]] = {THEME: set(), ACTOR: set()}
    for _, rows in labels.groupby("file", sort=False):
        kinds = {k for k in rows["kind"] if k} or {THEME, ACTOR}
        for segment, scope in zip(rows["segment"], rows["scope"]):
            chosen = {THEME, ACTOR} if scope == SEGMENT_SCOPE else kinds
            whole = [str(segment)] if scope == SEGMENT_SCOPE else by_interview[interview_of[str(segment)]]
            for kind in chosen:
                read[kind].update(whole)
    pairs = {(str(s), str(c)) for s, c in zip(labels["segment"], labels["code"]) if c}
    return HumanScope(pairs, read)


@dataclass
class Examples:
    """The codebook's examples (True) and counter-examples (False) of each theme, parsed and coded."""

    code: list[str]
    positive: list[bool]
    texts: list[SegmentText]
    hits: list[Counter[str]]


def codebook_examples(codebook: Codebook, languages: Iterable[str], pipeline: str) -> Examples:
    """Every example and counter-example of the themes, in the corpus's languages, with their rule hits."""
    from qualcode.coding.engine import build_matchers

    found = Examples([], [], [], [])
    for language in languages:
        if language not in codebook.languages:
            continue
        items = [(code.id, True, text) for code in codebook.codes for text in code.examples.get(language, [])]
        items += [(code.id, False, text) for code in codebook.codes
                  for text in code.counter_examples.get(language, [])]
        if not items:
            continue
        lm = build_matchers(codebook, language, pipeline)
        docs = list(lm.nlp.pipe([text for _, _, text in items], batch_size=64))
        for (code, positive, _), doc, text in zip(items, docs, collect_texts(docs)):
            matches = lm.find_doc(doc)
            rows = [("", m.code, m.status, m.pattern_id, m.counts_for) for m in matches]
            found.code.append(code)
            found.positive.append(positive)
            found.texts.append(text)
            found.hits.append(rule_features(pd.DataFrame(
                rows, columns=["segment_id", "code", "status", "pattern_id", "counts_for"])).get("", Counter()))
    return found


def codes_of(codebook: Codebook) -> tuple[list[str], list[str]]:
    """Every theme, then every actor, with its kind."""
    themes, actors = list(codebook.theme_ids), list(codebook.actor_ids)
    return themes + actors, [THEME] * len(themes) + [ACTOR] * len(actors)


def training_set(codings: Codings, texts: dict[str, SegmentText], scope: HumanScope, codebook: Codebook,
                 examples: Examples | None = None, *, bigrams: bool = True) -> TrainingSet:
    """The rows to learn from: the segments the human read, then the codebook's examples."""
    codes, kinds = codes_of(codebook)
    read_any = scope.read(THEME) | scope.read(ACTOR)
    segments = codings.segments
    rows = [str(s) for s in segments["segment_id"] if str(s) in read_any]
    interview_of = dict(zip(segments["segment_id"].astype(str), segments["interview_id"].astype(str)))
    hits = rule_features(codings.evidence)
    bags = [raw_features(texts[s], hits.get(s), bigrams=bigrams) for s in rows]
    vectors = [texts[s].vector for s in rows]
    rule_pairs = applied_pairs(codings.applied(THEME)) | applied_pairs(codings.applied(ACTOR))
    labels = label_matrix(rows, codes, scope.pairs)
    known = np.array([[s in scope.read(kind) for kind in kinds] for s in rows], dtype=bool).reshape(
        len(rows), len(codes))
    rules = label_matrix(rows, codes, rule_pairs)
    groups = [interview_of[s] for s in rows]
    if examples is not None and examples.code:
        index = {c: j for j, c in enumerate(codes)}
        n = len(examples.code)
        extra_labels = np.zeros((n, len(codes)), dtype=bool)
        extra_known = np.zeros((n, len(codes)), dtype=bool)
        extra_rules = np.zeros((n, len(codes)), dtype=bool)
        for i, (code, positive, hit) in enumerate(zip(examples.code, examples.positive, examples.hits)):
            extra_labels[i, index[code]] = positive
            extra_known[i, index[code]] = True
            extra_rules[i, index[code]] = f"c:{code}" in hit
        rows += [f"codebook:{code}:{i}" for i, code in enumerate(examples.code)]
        groups += [CODEBOOK_GROUP] * n
        bags += [raw_features(t, h, bigrams=bigrams) for t, h in zip(examples.texts, examples.hits)]
        vectors += [t.vector for t in examples.texts]
        labels = np.vstack([labels, extra_labels])
        known = np.vstack([known, extra_known])
        rules = np.vstack([rules, extra_rules])
    return TrainingSet(rows, groups, bags, codes, kinds, labels, known, rules,
                       vectors if any(vectors) else [])

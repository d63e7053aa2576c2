"""Rules and a trained model together: the codings of `qualcode code --model`.

A segment is coded with a code when the codebook's rules make it count
(`source` rule), when the model's calibrated probability reaches the
code's threshold (`model`), or both (`both`). Every row of a learnt code
carries the model's probability, and a model coding lists the features
that raised its score the most (`features`). A segment the human read
keeps the human's decisions for that kind of code (`human`): a code the
human applied counts, and a rule hit the human did not apply stays as
evidence but counts for nothing. The model never overrides a person.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
from scipy import sparse

from qualcode.coding.engine import Codings
from qualcode.coding.frames import BOTH, CODINGS, EVIDENCE, HUMAN, MODEL
from qualcode.coding.kinds import PRESENT
from qualcode.learning.features import SegmentText, raw_features, rule_features
from qualcode.learning.model import TrainedModel

#: the pattern id of a row that a model or a person added
MODEL_PATTERN, HUMAN_PATTERN = "model", "human"


def segment_probabilities(model: TrainedModel, codings: Codings,
                          texts: dict[str, SegmentText]) -> tuple[list[str], np.ndarray, sparse.csr_matrix]:
    """Every segment's probability for every learnt code, and the feature matrix (for `explain`)."""
    ids = [str(s) for s in codings.segments["segment_id"]]
    hits = rule_features(codings.evidence)
    empty = SegmentText(())
    bags = [raw_features(texts.get(s, empty), hits.get(s), bigrams=model.features.bigrams) for s in ids]
    vectors = [texts.get(s, empty).vector for s in ids] if model.vectoriser.vector_size else None
    X = model.matrix(bags, vectors)
    return ids, model.predict(X), X


def apply_model(codings: Codings, texts: dict[str, SegmentText], model: TrainedModel) -> tuple[Codings, int]:
    """The codings with the model's decisions and the human's; and how many segments kept the human's."""
    ids, probabilities, X = segment_probabilities(model, codings, texts)
    row_of = {s: i for i, s in enumerate(ids)}
    starts = dict(zip(codings.segments["segment_id"], codings.segments["start"]))
    ends = dict(zip(codings.segments["segment_id"], codings.segments["end"]))
    learnt = model.learnt
    column = {c.code: j for j, c in enumerate(learnt)}
    kind_of = {c.code: c.kind for c in model.codes}
    read = {kind: set(segs) for kind, segs in model.human_scope.items()}
    human = {(s, c) for s, c, _ in model.human_pairs}
    human_read: set[str] = set()

    def is_read(segment: str, code: str) -> bool:
        return segment in read.get(kind_of.get(code, ""), set())

    def probability(segment: str, code: str) -> float:
        j = column.get(code)
        i = row_of.get(segment)
        return float(probabilities[i, j]) if j is not None and i is not None else float("nan")

    # the rule rows: the model's probability beside them, and the human's word where the human read
    evidence = codings.evidence.copy()
    table = codings.codings.copy()
    for frame, has_features in ((evidence, False), (table, True)):
        sources: list[str] = []
        probs: list[float] = []
        counts: list[str] = [str(c) for c in frame["counts_for"]]
        for n, (segment, code, counted) in enumerate(zip(frame["segment_id"], frame["code"], frame["counts_for"])):
            target = counted or code
            p = probability(segment, target)
            source = str(frame["source"].iat[n])
            if is_read(segment, target):
                human_read.add(segment)
                source = HUMAN
                if counted and (segment, counted) not in human:
                    counts[n] = ""
            elif counted and target in column and p >= model.code(target).threshold:
                source = BOTH
            sources.append(source)
            probs.append(p)
        frame["source"] = sources
        frame["probability"] = probs
        frame["counts_for"] = counts
        if has_features:
            frame["features"] = [
                "; ".join(model.explain(X, row_of[s], model.code(c))) if src == BOTH else ""
                for s, c, src in zip(frame["segment_id"], frame["counts_for"], frame["source"])]
    counted = set(zip(evidence.loc[evidence["counts_for"] != "", "segment_id"],
                      evidence.loc[evidence["counts_for"] != "", "counts_for"]))
    rows_ev: list[tuple[object, ...]] = []
    rows_cod: list[tuple[object, ...]] = []
    existing = {(s, c): n for n, (s, c) in enumerate(zip(table["segment_id"], table["code"]))}

    def add(segment: str, code: str, source: str, p: float, features: str) -> None:
        start, end = int(starts[segment]), int(ends[segment])
        pattern = MODEL_PATTERN if source == MODEL else HUMAN_PATTERN
        rows_ev.append((segment, code, kind_of[code], PRESENT, start, end, "", pattern, "", code, source, p))
        n = existing.get((segment, code))
        if n is not None and table["counts_for"].iat[n] == "":
            label = table.index[n]
            table.loc[label, "counts_for"] = code
            table.loc[label, "source"] = source
            table.loc[label, "features"] = features
        elif n is None:
            rows_cod.append((segment, code, kind_of[code], False, start, end, "", pattern, 0, "", PRESENT, code,
                             source, p, features))

    for segment, code, _ in model.human_pairs:
        if segment in row_of and (segment, code) not in counted:
            human_read.add(segment)
            add(segment, code, HUMAN, probability(segment, code), "")
    for j, one in enumerate(learnt):
        for i in (int(k) for k in np.flatnonzero(probabilities[:, j] >= one.threshold)):
            segment = ids[i]
            if (segment, one.code) in counted or is_read(segment, one.code):
                continue
            add(segment, one.code, MODEL, float(probabilities[i, j]), "; ".join(model.explain(X, i, one)))
    human_read.update(s for kind in read.values() for s in kind if s in row_of)
    order = {s: n for n, s in enumerate(ids)}
    codes = [c.code for c in model.codes]
    code_order = {c: n for n, c in enumerate(codes)}
    evidence = pd.concat([evidence, pd.DataFrame(rows_ev, columns=list(EVIDENCE))], ignore_index=True) \
        if rows_ev else evidence
    table = pd.concat([table, pd.DataFrame(rows_cod, columns=list(CODINGS))], ignore_index=True) \
        if rows_cod else table
    evidence = _sorted(evidence, order, code_order, ("start", "end"))
    table = _sorted(table, order, code_order, ())
    evidence = evidence.astype({"start": "int64", "end": "int64", "probability": "float64"})
    table = table.astype({"negated": "bool", "start": "int64", "end": "int64", "matches": "int64",
                          "probability": "float64"})
    return replace(codings, codings=table, evidence=evidence), len(human_read)


def _sorted(frame: pd.DataFrame, order: dict[str, int], code_order: dict[str, int],
            then: tuple[str, ...]) -> pd.DataFrame:
    keys = pd.DataFrame({
        "_seg": frame["segment_id"].map(order).fillna(len(order)).astype(int),
        **{f"_{k}": frame[k] for k in then},
        "_code": frame["code"].map(code_order).fillna(len(code_order)).astype(int),
        "_id": frame["code"],
    })
    index = keys.sort_values(list(keys.columns), kind="stable").index
    return frame.loc[index].reset_index(drop=True)


__all__ = ["MODEL", "apply_model", "segment_probabilities"]

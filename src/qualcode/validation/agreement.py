"""Agreement between qualcode and human coders, or between human coders.

Each code is a presence/absence decision on every segment of the comparison
(the coding unit's segments of the interviews in scope): a segment that a
side left uncoded is an absence, so segments nobody coded count as agreed
absences. Per code, and pooled over codes (each segment × code decision one
item), `compare` reports percent agreement, Cohen's kappa (Fleiss' kappa
for three coders or more), Gwet's AC1, Krippendorff's alpha (nominal) with a
bootstrap interval, and, for two sides, precision, recall and F1 of the
second side against the first (the reference).

    human = read_human_codings("human_coding.csv", codings.segments, codebook, corpus=corpus)
    result = agreement_report(codings, human, codebook)            # one coder: vs qualcode
    result = agreement_report(codings, human, codebook, coders=["coder_a", "coder_b"])
    rows = disagreements(codings, human, codebook)

The statistics come from `qualcode.validation.statistics`; `compare` is pure, on sets
of (segment id, code) pairs, for scripts that bring their own codings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from qualcode.errors import AgreementError
from qualcode.validation import statistics as rel
from qualcode.validation.humans import MACHINE, Sides, align, read_human_codings

if TYPE_CHECKING:
    from qualcode.codebook.model import Codebook
    from qualcode.coding.engine import Codings

STATISTICS = ("agreement", "kappa", "alpha", "precision", "recall", "f1", "ac1")
DISAGREEMENTS = ("code", "segment_id", "interview_id", "case", "turn", "start", "end",
                 "coded_by", "not_coded_by", "evidence", "text")
POOLED = "pooled over codes: each segment × code decision is one item"

Pair = tuple[str, str]

__all__ = [
    "MACHINE", "Agreement", "AgreementError", "CodeAgreement", "Sides", "agreement_report",
    "align", "compare", "compare_coders", "disagreements", "evidence_index", "read_human_codings",
]


@dataclass(frozen=True)
class CodeAgreement:
    """The statistics of one code (or of all codes pooled); None where undefined."""

    code: str
    items: int
    coded: dict[str, int]
    agreement: float | None
    kappa: float | None
    ac1: float | None
    alpha: float | None
    alpha_ci: tuple[float, float] | None
    precision: float | None
    recall: float | None
    f1: float | None
    notes: tuple[str, ...] = ()

    def to_dict(self, coders: Sequence[str]) -> dict[str, Any]:
        two = len(coders) == 2
        data: dict[str, Any] = {
            "a_segments": self.coded[coders[0]] if two else None,
            "b_segments": self.coded[coders[1]] if two else None,
        }
        data.update({name: _round(getattr(self, name)) for name in STATISTICS})
        data.update({
            "alpha_ci": [_round(v) for v in self.alpha_ci] if self.alpha_ci else None,
            "coded": dict(self.coded), "items": self.items, "notes": list(self.notes),
        })
        return data


@dataclass(frozen=True)
class Agreement:
    """Agreement per code, pooled over codes, and macro-averaged over codes."""

    coders: tuple[str, ...]
    codes: dict[str, CodeAgreement]
    overall: CodeAgreement
    macro: dict[str, float | None]
    macro_codes: int
    segments: int
    kappa_kind: str
    unit: str | None = None
    interviews: tuple[str, ...] = ()
    resamples: int = rel.DEFAULT_RESAMPLES
    seed: int = rel.DEFAULT_SEED
    confidence: float = 0.95
    warnings: tuple[str, ...] = ()
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def reference(self) -> str | None:
        """The side that precision and recall are measured against (two sides only)."""
        return self.coders[0] if len(self.coders) == 2 else None

    def to_dict(self) -> dict[str, Any]:
        """The `--json` object: `overall`, `codes` and how they were made."""
        return {
            "unit": self.unit, "coders": list(self.coders), "reference": self.reference,
            "kappa_kind": self.kappa_kind, "segments": self.segments, "interviews": list(self.interviews),
            "overall": {**self.overall.to_dict(self.coders), "pooled": POOLED},
            "macro": {**{k: _round(v) for k, v in self.macro.items()}, "codes": self.macro_codes},
            "codes": {code: c.to_dict(self.coders) for code, c in self.codes.items()},
            "bootstrap": {"resamples": self.resamples, "seed": self.seed,
                          "confidence": self.confidence, "resampled": "segments"},
            "warnings": list(self.warnings), **self.context,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 6)


def _notes(coders: Sequence[str], coded: Mapping[str, int], items: int,
           result: dict[str, Any], ci_undefined: int, resamples: int) -> tuple[str, ...]:
    notes = []
    if all(n == 0 for n in coded.values()):
        who = "neither side" if len(coders) == 2 else "no coder"
        undefined = "kappa, alpha, precision, recall and F1" if len(coders) == 2 else "kappa and alpha"
        notes.append(f"no variation: {who} applied it; {undefined} are undefined")
    elif items and all(n == items for n in coded.values()):
        notes.append("no variation: applied to every segment by every side; kappa and alpha are undefined")
    elif len(coders) == 2:
        if coded[coders[1]] == 0:
            notes.append(f"{coders[1]} never applied it: precision is undefined")
        if coded[coders[0]] == 0:
            notes.append(f"{coders[0]} never applied it: recall is undefined")
    if result["alpha"] is not None and result["alpha_ci"] is None and resamples:
        notes.append(f"alpha interval undefined: {ci_undefined} of {resamples} resamples of the "
                     "segments had no variation (too few segments with the code)")
    return tuple(notes)


def _stats(matrix: np.ndarray, two: bool) -> dict[str, Any]:
    p = r = f = None
    if two:
        p, r, f = rel.precision_recall_f1(matrix[0], matrix[1])
    return {
        "agreement": rel.percent_agreement(matrix),
        "kappa": rel.cohen_kappa(matrix) if two else rel.fleiss_kappa(matrix),
        "ac1": rel.ac1(matrix), "alpha": rel.krippendorff_alpha(matrix),
        "precision": p, "recall": r, "f1": f,
    }


def _pairs(side: Iterable[Pair] | pd.DataFrame) -> set[Pair]:
    if isinstance(side, pd.DataFrame):
        segment = "segment_id" if "segment_id" in side.columns else "segment"
        return set(zip(side[segment], side["code"]))
    return {(str(s), str(c)) for s, c in side}


def compare_coders(codings: Mapping[str, Iterable[Pair] | pd.DataFrame], segments: Sequence[str],
                   codes: Sequence[str], *, unit: str | None = None,
                   resamples: int = rel.DEFAULT_RESAMPLES, seed: int = rel.DEFAULT_SEED,
                   confidence: float = 0.95) -> Agreement:
    """Agreement of two or more coders, each given as (segment id, code) pairs.

    Every segment of `segments` is an item for every code of `codes`: a pair
    means the coder applied the code, its absence that the coder did not.
    Pairs whose segment or code is not listed are out of scope and left out.
    With two coders the first is the reference of precision and recall.
    """
    coders = tuple(codings)
    if len(coders) < 2:
        raise ValueError("agreement needs two coders or more")
    position = {s: i for i, s in enumerate(dict.fromkeys(segments))}
    codes = list(dict.fromkeys(codes))
    n, m = len(position), len(coders)
    cube = np.zeros((len(codes), m, n), dtype=np.int64)
    code_index = {c: k for k, c in enumerate(codes)}
    for j, coder in enumerate(coders):
        for segment, code in _pairs(codings[coder]):
            if segment in position and code in code_index:
                cube[code_index[code], j, position[segment]] = 1
    two = m == 2
    cis, pooled_ci, undefined, pooled_undefined = rel.bootstrap_alpha(
        list(cube), resamples=resamples, seed=seed, confidence=confidence)
    per_code: dict[str, CodeAgreement] = {}
    for k, code in enumerate(codes):
        result = _stats(cube[k], two)
        result["alpha_ci"] = cis[k] if result["alpha"] is not None else None
        coded = {c: int(cube[k, j].sum()) for j, c in enumerate(coders)}
        per_code[code] = CodeAgreement(
            code=code, items=n, coded=coded, **result,
            notes=_notes(coders, coded, n, result, undefined[k], resamples))
    pooled = np.concatenate(list(cube), axis=1) if codes else np.zeros((m, 0), dtype=np.int64)
    result = _stats(pooled, two)
    result["alpha_ci"] = pooled_ci if result["alpha"] is not None else None
    coded = {c: int(pooled[j].sum()) for j, c in enumerate(coders)}
    overall = CodeAgreement(code="overall", items=pooled.shape[1], coded=coded, **result,
                            notes=_notes(coders, coded, pooled.shape[1], result,
                                         pooled_undefined, resamples))
    observed = [c for c in per_code.values() if any(c.coded.values())]
    macro: dict[str, float | None] = {}
    for name in STATISTICS:
        values = [getattr(c, name) for c in observed if getattr(c, name) is not None]
        macro[name] = float(np.mean(values)) if values else None
    return Agreement(coders=coders, codes=per_code, overall=overall, macro=macro,
                     macro_codes=len(observed), segments=n,
                     kappa_kind="cohen" if two else "fleiss", unit=unit,
                     resamples=resamples, seed=seed, confidence=confidence)


def compare(a: Iterable[Pair] | pd.DataFrame, b: Iterable[Pair] | pd.DataFrame,
            segments: Sequence[str], codes: Sequence[str],
            *, names: tuple[str, str] = ("a", "b"), **options: Any) -> Agreement:
    """Agreement of `b` with `a` (the reference), each a set of (segment id, code) pairs.

    A DataFrame with the columns `segment_id` (or `segment`) and `code`, as
    `Codings.applied()` returns, is read as its pairs.
    """
    if names[0] == names[1]:
        raise ValueError("the two sides need different names")
    return compare_coders({names[0]: a, names[1]: b}, segments, codes, **options)


# --- from a coded corpus and human codings ----------------------------------------


def agreement_report(codings: Codings, human: pd.DataFrame, codebook: Codebook, *,
                     coders: Sequence[str] | None = None, whole_corpus: bool = False,
                     resamples: int = rel.DEFAULT_RESAMPLES, seed: int = rel.DEFAULT_SEED,
                     confidence: float = 0.95) -> Agreement:
    """Agreement of qualcode with one human coder, or of two or more human coders.

    `human` is what `read_human_codings` returned for the same `codings`.
    """
    sides = align(codings, human, coders=coders, whole_corpus=whole_corpus)
    result = compare_coders(sides.pairs, sides.segments, list(codebook.theme_ids),
                            unit=codings.unit, resamples=resamples, seed=seed, confidence=confidence)
    context = {"codebook": {"name": codebook.name, "version": str(codebook.version),
                            "sha256": codebook.sha256}}
    return replace(result, interviews=sides.interviews, context=context,
                   warnings=tuple(human.attrs.get("warnings", ())))


def _describe(row: Any) -> str:
    text = f"«{row.matched_text}» {row.pattern_id}"
    if row.status != "present":
        text += f" {row.status}" + (f" by {row.negation_cue!r}" if row.negation_cue else "")
    if row.counts_for and row.counts_for != row.code:
        text += f", counts for {row.counts_for}"
    elif not row.counts_for:
        text += ", does not count"
    return text


def evidence_index(evidence: pd.DataFrame, kind: str = "theme") -> dict[Pair, list[str]]:
    """Every match, described, under (segment id, code) for its code and the code it counts for."""
    index: dict[Pair, list[str]] = defaultdict(list)
    for row in evidence[evidence["kind"] == kind].itertuples(index=False):
        described = _describe(row)
        segment, code, counts_for = str(row.segment_id), str(row.code), str(row.counts_for)
        index[(segment, code)].append(described)
        if counts_for and counts_for != code:
            index[(segment, counts_for)].append(described)
    return index


def disagreements(codings: Codings, human: pd.DataFrame, codebook: Codebook, *,
                  coders: Sequence[str] | None = None, whole_corpus: bool = False) -> pd.DataFrame:
    """The segments where the sides differ, code by code, with the text and qualcode's evidence.

    `coded_by` and `not_coded_by` name the sides (`;`-separated); `evidence`
    lists every match of the code in the segment, counted or not (a negated
    match tells why qualcode did not count it); `text` is the segment's text.
    """
    sides = align(codings, human, coders=coders, whole_corpus=whole_corpus)
    in_scope = set(sides.segments)
    segments = codings.segments.set_index("segment_id")
    index = evidence_index(codings.evidence)
    by_pair: dict[Pair, set[str]] = defaultdict(set)
    for coder, pairs in sides.pairs.items():
        for pair in pairs:
            if pair[0] in in_scope:
                by_pair[pair].add(coder)
    order = {s: i for i, s in enumerate(sides.segments)}
    rows = []
    for code in codebook.theme_ids:
        found = sorted((s for (s, c), who in by_pair.items()
                        if c == code and len(who) < len(sides.coders)), key=order.__getitem__)
        for segment in found:
            who = by_pair[(segment, code)]
            seg = segments.loc[segment]
            rows.append((code, segment, seg["interview_id"], seg["case"], int(str(seg["turn"])),
                         int(str(seg["start"])), int(str(seg["end"])),
                         ";".join(c for c in sides.coders if c in who),
                         ";".join(c for c in sides.coders if c not in who),
                         " | ".join(index.get((segment, code), [])), seg["text"]))
    return pd.DataFrame(rows, columns=list(DISAGREEMENTS)).astype(
        {"turn": "int64", "start": "int64", "end": "int64"})

"""Coding drift: what an edit of the codebook changes in the coding of a corpus.

`codebook_drift(old, new)` takes the same corpus coded with two versions of
a codebook (same unit, same options) and lists, code by code, the segments
that the new version gains and loses, with the evidence of both versions
(a lost segment often shows the same match, now negated or excluded) and the
segment's text. Codes are compared by id: a renamed code shows as one code
removed and one added.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from qualcode.validation.agreement import evidence_index

if TYPE_CHECKING:
    from qualcode.codebook.model import Codebook
    from qualcode.coding.engine import Codings

SUMMARY = ("code", "status", "old_segments", "new_segments", "gained", "lost")
CHANGES = ("code", "change", "segment_id", "interview_id", "case", "turn", "start", "end",
           "old_evidence", "new_evidence", "text")


@dataclass(frozen=True)
class Drift:
    """Per code: a summary row, and one row per segment gained or lost."""

    summary: pd.DataFrame
    changes: pd.DataFrame
    unit: str
    old: dict[str, str]
    new: dict[str, str]
    segments: int

    def to_dict(self) -> dict[str, Any]:
        """The `--json` object: per code its summary and its changes (JSON types only)."""
        changes = json.loads(self.changes.to_json(orient="records", force_ascii=False))
        codes = json.loads(self.summary.to_json(orient="records", force_ascii=False))
        return {"unit": self.unit, "old": self.old, "new": self.new, "segments": self.segments,
                "codes": {c["code"]: {**{k: c[k] for k in SUMMARY[1:]},
                                      "changes": [r for r in changes if r["code"] == c["code"]]}
                          for c in codes}}


def _pairs(codings: Codings, kind: str) -> set[tuple[str, str]]:
    applied = codings.applied(kind)
    return set(zip(applied["segment_id"], applied["code"]))


def _book(codings: Codings, codebook: Codebook | None) -> dict[str, str]:
    if codebook is None:
        return {"name": codings.codebook_name, "version": codings.codebook_version,
                "sha256": codings.codebook_sha256}
    return {"name": codebook.name, "version": str(codebook.version), "sha256": codebook.sha256}


def codebook_drift(old: Codings, new: Codings, old_codebook: Codebook | None = None,
                   new_codebook: Codebook | None = None,
                   *, kind: str = "theme") -> Drift:
    """Segments gained and lost per code between two codings of the same corpus.

    Args:
        old, new: `Codings` of the same corpus at the same unit, made with the
            old and the new codebook.
        old_codebook, new_codebook: the codebooks, to list the codes that
            neither version applies anywhere (optional).
        kind: "theme" (default) or "actor".
    """
    if old.unit != new.unit:
        raise ValueError(f"the two codings have different units ({old.unit}, {new.unit})")
    before, after = _pairs(old, kind), _pairs(new, kind)
    order: list[str] = []
    for book in (new_codebook, old_codebook):
        if book is not None:
            order.extend(book.theme_ids if kind == "theme" else book.actor_ids)
    order.extend(sorted({c for _, c in before | after}))
    codes = list(dict.fromkeys(order))
    old_codes = set(old_codebook.theme_ids if kind == "theme" else old_codebook.actor_ids) \
        if old_codebook is not None else {c for _, c in before}
    new_codes = set(new_codebook.theme_ids if kind == "theme" else new_codebook.actor_ids) \
        if new_codebook is not None else {c for _, c in after}
    segments = new.segments.set_index("segment_id")
    position = {s: i for i, s in enumerate(new.segments["segment_id"])}
    old_ev, new_ev = evidence_index(old.evidence, kind), evidence_index(new.evidence, kind)
    summary, changes = [], []
    for code in codes:
        was = {s for s, c in before if c == code}
        now = {s for s, c in after if c == code}
        gained, lost = now - was, was - now
        if code not in old_codes:
            status = "added"
        elif code not in new_codes:
            status = "removed"
        else:
            status = "changed" if gained or lost else "unchanged"
        summary.append((code, status, len(was), len(now), len(gained), len(lost)))
        for change, found in (("gained", gained), ("lost", lost)):
            for segment in sorted(found, key=lambda s: position.get(s, len(position))):
                seg = segments.loc[segment]
                changes.append((code, change, segment, seg["interview_id"], seg["case"],
                                int(str(seg["turn"])), int(str(seg["start"])), int(str(seg["end"])),
                                " | ".join(old_ev.get((segment, code), [])),
                                " | ".join(new_ev.get((segment, code), [])), seg["text"]))
    summary_frame = pd.DataFrame(summary, columns=list(SUMMARY))
    changes_frame = pd.DataFrame(changes, columns=list(CHANGES)).astype(
        {"turn": "int64", "start": "int64", "end": "int64"})
    return Drift(summary=summary_frame, changes=changes_frame, unit=new.unit,
                 old=_book(old, old_codebook), new=_book(new, new_codebook),
                 segments=len(new.segments))

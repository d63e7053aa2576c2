"""A results folder, read back with the corpus it was coded from.

A results folder (`qualcode code --out`, later `qualcode analyze`) holds
segments.csv, codings.csv, evidence.csv and manifest.json, but not the texts:
exports that need the texts read the corpus again (from the path recorded in
the manifest, relative to the current folder, or from `corpus=`) and check
every coded file's SHA-256 against the manifest, since offsets into a changed
file would point at the wrong words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from qualcode.codebook.model import Codebook
from qualcode.corpus.model import KNOWN_ATTRIBUTES, Corpus, Interview
from qualcode.errors import Errors, InteropError
from qualcode.results.folder import ResultsFolder
from qualcode.results.layout import CODINGS_CSV, EVIDENCE_CSV, SEGMENTS_CSV
from qualcode.results.manifest import Manifest

#: attributes that describe one interview, never a whole case
INTERVIEW_ATTRIBUTES = ("id", "provider", "role", "language", "date", "interviewers")


@dataclass
class Results:
    """A results folder with its corpus (the coded interviews, in id order) and codebook."""

    folder: Path
    manifest: Manifest
    segments: pd.DataFrame
    evidence: pd.DataFrame
    corpus: Corpus
    interviews: list[Interview]
    codebook: Codebook | None
    by: str
    cases: dict[str, str]
    warnings: list[str] = field(default_factory=list)

    @property
    def created(self) -> str:
        return str(self.manifest.get("created") or "")

    def counted(self, kinds: tuple[str, ...] = ("theme",)) -> pd.DataFrame:
        """Evidence rows that count for a code (counts_for not empty), of these kinds."""
        ev = self.evidence
        return ev[ev["kind"].isin(kinds) & (ev["counts_for"] != "")]

    def applied(self) -> pd.DataFrame:
        """Unique (segment_id, code) pairs of theme codes that count."""
        rows = self.counted()[["segment_id", "counts_for"]].drop_duplicates()
        return rows.rename(columns={"counts_for": "code"}).reset_index(drop=True)

    def theme_ids(self) -> list[str]:
        return list(self.codebook.theme_ids) if self.codebook is not None else []

    def attributes(self) -> list[str]:
        """Every metadata attribute of the interviews: known ones first, then by name."""
        names = {name for i in self.interviews for name, v in i.metadata.items()
                 if v not in (None, "", [])}
        known = [a for a in KNOWN_ATTRIBUTES if a in names]
        return known + sorted(names - set(known))

    def case_attributes(self) -> list[str]:
        """Attributes that describe whole cases: `by`, and those that never vary within a case."""
        found = []
        for name in self.attributes():
            if name == self.by:
                found.append(name)
                continue
            if name in INTERVIEW_ATTRIBUTES:
                continue
            per_case: dict[str, set[str]] = {}
            for interview in self.interviews:
                per_case.setdefault(self.cases[interview.id], set()).add(
                    value_text(interview.metadata.get(name)))
            if all(len(values) == 1 for values in per_case.values()):
                found.append(name)
        return found


def value_text(value: Any) -> str:
    """A metadata value as one line of text (lists joined with ', ')."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def load_results(folder: Path | str, *, corpus: Path | str | None = None,
                 metadata: Path | str | None = None, codebook: Path | str | None = None,
                 with_codebook: bool = True) -> Results:
    """Read a results folder, re-read its corpus and check that the coded files did not change.

    Raises:
        CodingError: the folder lacks one of the four files (E305) or one is unreadable.
        CorpusError: the corpus cannot be read.
        InteropError: a coded file changed (E607) or is missing (E608, E617).
    """
    results = ResultsFolder.open(folder)
    folder = results.path
    manifest = results.manifest
    segments = results.frame(SEGMENTS_CSV)
    results.frame(CODINGS_CSV)  # the folder must be complete
    evidence = results.frame(EVIDENCE_CSV)
    notes: list[str] = []

    corpus_path = Path(corpus) if corpus is not None else Path(results.corpus_path or ".")
    if corpus is None and not corpus_path.exists():
        raise InteropError(Errors.E619.format(path=corpus_path), path=str(folder))
    check = results.read_corpus(corpus_path, metadata)
    read = check.corpus
    if check.missing:
        raise InteropError(Errors.E608.format(file=check.missing[0], corpus=corpus_path), path=str(folder))
    if check.changed:
        interview = next(i for i in read if i.file == check.changed[0])
        raise InteropError(Errors.E607.format(file=interview.file, now=interview.sha256[:12],
                                              then=results.corpus_files[interview.file][:12]),
                           path=str(interview.path or interview.file))
    files = results.corpus_files
    interviews = [i for i in read if i.file in files] if files else list(read)
    known = {i.id for i in interviews}
    absent = sorted(set(segments["interview_id"].astype(str)) - known)
    if absent:
        raise InteropError(Errors.E617.format(count=len(absent), corpus=corpus_path, example=absent[0]),
                           path=str(folder))

    by = results.by
    cases: dict[str, str] = {}
    if len(segments):
        first = segments.drop_duplicates("interview_id")
        cases = dict(zip(first["interview_id"].astype(str), first["case"].astype(str)))
    for interview in interviews:
        if interview.id not in cases:
            cases[interview.id] = value_text(interview.get(by))

    book = None
    if with_codebook:
        book, found = results.codebook(codebook, changed=Errors.W606)
        notes.extend(found)
    return Results(folder=folder, manifest=manifest, segments=segments, evidence=evidence,
                   corpus=read, interviews=interviews, codebook=book, by=by, cases=cases,
                   warnings=notes)


def check_evidence(results: Results, rows: pd.DataFrame) -> None:
    """Every row's offsets must cut its matched text out of its interview (E609)."""
    texts = {i.id: i.text for i in results.interviews}
    segment_interview = dict(zip(results.segments["segment_id"], results.segments["interview_id"]))
    for row in rows.itertuples(index=False):
        interview = segment_interview.get(row.segment_id) or str(row.segment_id).split("#", 1)[0]
        text = texts.get(interview, "")
        found = text[int(str(row.start)):int(str(row.end))]
        if found != row.matched_text:
            raise InteropError(Errors.E609.format(segment=row.segment_id, start=row.start, end=row.end,
                                                  expected=row.matched_text, found=found[:80]),
                               path=str(results.folder))

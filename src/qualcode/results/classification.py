"""The files of a classification run, and classifying a results folder.

`classify_folder` reads what `qualcode code --out DIR` wrote (segments,
evidence, manifest), resolves the codebook and the case attribute, and
classifies; `write_classification` adds case_matrix.csv, classification.csv
and classification.json to the folder (or writes them to another one),
atomically: the folder is rebuilt in full beside itself and swapped in, so a
failure leaves it as it was. The manifest gains a `classification` section
(options, codebook, digests of the new files); its coding part is untouched.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd

from qualcode.errors import CodingError, Errors
from qualcode.codebook import codebook_reference
from qualcode.results.folder import (EVIDENCE_CSV, MANIFEST_JSON, SEGMENTS_CSV, check_output_folder,
                              frame_to_csv, read_frame,
                              read_manifest, run_time, to_json, write_folder)

CASE_MATRIX_CSV = "case_matrix.csv"
CLASSIFICATION_CSV = "classification.csv"
CLASSIFICATION_JSON = "classification.json"
DECIMALS = 6


def _clean(value: Any) -> Any:
    """JSON-ready: numpy scalars to Python, floats rounded to 6 places, NaN to null."""
    if isinstance(value, Mapping):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return None
        rounded = round(float(value), DECIMALS)
        return 0.0 if rounded == 0 else rounded
    return value


def _records(frame: pd.DataFrame, keep: list[str]) -> list[dict[str, Any]]:
    return [dict(zip(keep, row)) for row in frame[keep].itertuples(index=False, name=None)]


def classification_json(c: Any) -> str:
    """classification.json: per case the table's row, then its explanation, evidence and network."""
    cases = []
    by_case = {name: frame.groupby("case") for name, frame in (
        ("explanations", c.explanations), ("evidence", c.evidence), ("network", c.network),
        ("actors", c.actors), ("runs", c.runs))}

    def part(name: str, case: str, keep: list[str]) -> list[dict[str, Any]]:
        groups = by_case[name]
        return _records(groups.get_group(case), keep) if case in groups.groups else []

    for row in c.table.to_dict("records"):
        case = row["case"]
        entry = dict(row)
        entry["best"] = c.best.get(case, "")
        explanation: dict[str, list[dict[str, Any]]] = {k: [] for k in c.configurations}
        for item in part("explanations", case, ["configuration", "code", "weight", "prevalence",
                                                 "membership", "contribution"]):
            explanation[item.pop("configuration")].append(item)
        entry["explanation"] = explanation
        entry["evidence"] = [dict(e, codes=e["codes"].split(";") if e["codes"] else []) for e in part(
            "evidence", case, ["configuration", "rank", "segment_id", "interview_id", "codes",
                               "contribution", "quote"])]
        entry["network"] = {"actors": part("actors", case, ["actor", "segments", "interviews"]),
                            "pairs": part("network", case, ["actor_a", "actor_b", "segments"])}
        entry["leave_one_out"] = part("runs", case, ["dropped", "interviews", "verdict", "kept"])
        entry["unstable_on"] = list(c.unstable.get(case, []))
        cases.append(entry)
    document = {
        "by": c.by, "codebook": dict(c.codebook), "configurations": list(c.configurations),
        "columns": list(c.table.columns), "rule": c.rule.to_dict(), "cases": cases,
    }
    return to_json(_clean(document))


def classification_files(c: Any) -> dict[str, str]:
    """The three files of a classification, as text."""
    from qualcode.classification.cases import CASE_MATRIX_COLUMNS

    matrix = c.matrix
    keep = [col for col in CASE_MATRIX_COLUMNS if col in matrix.columns]
    return {
        CASE_MATRIX_CSV: frame_to_csv(matrix[keep]),
        CLASSIFICATION_CSV: frame_to_csv(c.table),
        CLASSIFICATION_JSON: classification_json(c),
    }


@dataclass
class ClassifiedFolder:
    """A results folder classified: the classification and how it was obtained."""

    folder: Path
    classification: Any
    codebook: Any
    manifest: dict[str, Any]
    options: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


def resolve_codebook(manifest: Mapping[str, Any], path: Path | str | None, *,
                     changed: str = Errors.W410) -> tuple[Any, list[str]]:
    """The codebook of a results folder: `path`, else the manifest's, else the bundled one.

    Warns when the file is gone, or is not the one recorded (by SHA-256):
    `changed` is the message for the latter, which says what it means for the
    command at hand (classify, export, report).
    """
    from qualcode.codebook import load_codebook

    notes: list[str] = []
    recorded = dict(manifest.get("codebook") or {})
    if path is not None:
        book = load_codebook(path)
    else:
        where = str(recorded.get("path") or "")
        if where and Path(where).is_file():
            book = load_codebook(where)
        else:
            if where:
                notes.append(Errors.W411.format(path=where, fallback="the bundled codebook"))
            book = load_codebook(None)
    then = str(recorded.get("sha256") or "")
    if then and book.sha256 and then != book.sha256:
        notes.append(changed.format(now=book.sha256[:12], then=then[:12]))
    return book, notes


def _case_map(manifest: Mapping[str, Any], by: str, corpus: Path | str | None,
              metadata: Path | str | None, segments: pd.DataFrame) -> tuple[dict[str, str], list[str]]:
    """interview id -> value of `by`, read from the corpus (as coded, or as given)."""
    from qualcode.classification.cases import interview_cases
    from qualcode.corpus import read_corpus

    notes: list[str] = []
    recorded = dict(manifest.get("corpus") or {})
    path = corpus if corpus is not None else recorded.get("path") or ""
    read = read_corpus(Path(path), metadata, required=(by,))
    files = dict(recorded.get("files") or {})
    changed = sorted(i.file for i in read if i.file in files and files[i.file] != i.sha256)
    if changed:
        notes.append(Errors.W412.format(count=len(changed), example=changed[0]))
    cases = interview_cases(read, by)
    absent = sorted(set(segments["interview_id"].astype(str)) - {i.id for i in read})
    if absent:
        raise CodingError(Errors.E412.format(count=len(absent), example=absent[0]), path=path)
    return cases, notes


def classify_folder(folder: Path | str, *, codebook: Path | str | None = None, by: str | None = None,
                    corpus: Path | str | None = None, metadata: Path | str | None = None,
                    measure: str | None = None, min_interviews: int | None = None,
                    margin: float | None = None, min_score: float | None = None) -> ClassifiedFolder:
    """Classify the cases of a results folder written by `qualcode code --out`.

    The case attribute is the one used when coding, unless `by` names another
    one (or `corpus`/`metadata` is given): then the corpus recorded in the
    manifest (or `corpus`) is read again, without re-coding, to map each
    interview to its case.
    """
    from qualcode.classification.cases import case_data
    from qualcode.classification.classify import classify

    folder = Path(folder)
    if not folder.is_dir():
        raise CodingError(Errors.E305.format(name=SEGMENTS_CSV), path=folder)
    segments = read_frame(folder, SEGMENTS_CSV)
    evidence = read_frame(folder, EVIDENCE_CSV)
    manifest = read_manifest(folder)
    for name, frame, needed in ((SEGMENTS_CSV, segments, ("segment_id", "interview_id", "case", "words")),
                                (EVIDENCE_CSV, evidence, ("segment_id", "kind", "counts_for", "start", "end"))):
        lacking = [c for c in needed if c not in frame.columns]
        if lacking:
            raise CodingError(Errors.E306.format(name=name, reason="no column " + ", ".join(lacking)),
                              path=folder / name)
    book, notes = resolve_codebook(manifest, codebook)
    coded_by = str(dict(manifest.get("options") or {}).get("by") or "area")
    by = by or coded_by
    cases = None
    if by != coded_by or corpus is not None or metadata is not None:
        cases, more = _case_map(manifest, by, corpus, metadata, segments)
        notes.extend(more)
    data = case_data(evidence, segments, codes=book, by=by, cases=cases)
    result = classify(data, book, measure=measure, min_interviews=min_interviews, margin=margin,
                      min_score=min_score)
    options = {"by": by, **result.rule.to_dict(),
               "corpus": str(corpus) if corpus is not None else None,
               "metadata": str(metadata) if metadata is not None else None}
    return ClassifiedFolder(folder, result, book, dict(manifest), options, notes)


def _digest(content: str | bytes) -> str:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return hashlib.sha256(data).hexdigest()


def write_classification(result: ClassifiedFolder, out: Path | str | None = None, *,
                         force: bool = False) -> tuple[Path, list[str]]:
    """Write the classification into its results folder, or into `out`.

    In place, the previous classification files are replaced and every other
    file is kept; into another folder, `force` is needed if it exists.
    Returns the folder and the names written.
    """
    files: dict[str, str | bytes] = dict(result.classification.files())
    book = result.codebook
    manifest = dict(result.manifest)
    manifest["classification"] = {
        "created": run_time(),
        "codebook": {"name": str(book.name), "version": str(book.version), "sha256": book.sha256,
                     **codebook_reference(book)},
        "options": dict(sorted(result.options.items())),
        "outputs": {name: _digest(content) for name, content in sorted(files.items())},
    }
    files[MANIFEST_JSON] = to_json(manifest)
    names = sorted(files)
    target = Path(out) if out is not None else result.folder
    if target.resolve() == result.folder.resolve():
        kept = {p.relative_to(result.folder).as_posix(): p.read_bytes()
                for p in sorted(result.folder.rglob("*")) if p.is_file()}
        kept.update(files)
        write_folder(result.folder, kept, force=True)
        return result.folder, names
    check_output_folder(target, force=force)
    write_folder(target, files, force=force)
    return target, names

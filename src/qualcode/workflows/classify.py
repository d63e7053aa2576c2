"""`qualcode classify` as a function: classify the cases of a results folder and write the files.

`classify_folder` reads what `qualcode code --out DIR` wrote (segments,
evidence, manifest), resolves the codebook and the case attribute, and
classifies; `write_classification` adds case_matrix.csv, classification.csv
and classification.json to the folder (or writes them to another one),
atomically: the folder is rebuilt in full beside itself and swapped in, so a
failure leaves it as it was. The manifest gains a `classification` section;
its coding part is untouched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qualcode.base.atomic import staged_folder, write_folder
from qualcode.base.guard import RESULTS, guard_output
from qualcode.classification.classify import Classification
from qualcode.codebook.model import Codebook
from qualcode.errors import CodingError, Errors
from qualcode.results.classification import classification_files
from qualcode.results.folder import ResultsFolder, results_inputs
from qualcode.results.layout import EVIDENCE_CSV, MANIFEST_JSON, SEGMENTS_CSV
from qualcode.results.manifest import Manifest, classification_section, manifest_json


@dataclass
class ClassifiedFolder:
    """A results folder classified: the classification and how it was obtained."""

    folder: Path
    classification: Classification
    codebook: Codebook
    manifest: Manifest
    options: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


def _case_map(results: ResultsFolder, by: str, corpus: Path | str | None,
              metadata: Path | str | None) -> tuple[dict[str, str], list[str]]:
    """interview id -> value of `by`, read from the corpus (as coded, or as given)."""
    from qualcode.classification.cases import interview_cases

    path = corpus if corpus is not None else results.corpus_path
    check = results.read_corpus(path, metadata, required=(by,))
    notes = []
    if check.changed:
        notes.append(Errors.W412.format(count=len(check.changed), example=check.changed[0]))
    segments = results.frame(SEGMENTS_CSV)
    absent = sorted(set(segments["interview_id"].astype(str)) - {i.id for i in check.corpus})
    if absent:
        raise CodingError(Errors.E412.format(count=len(absent), example=absent[0]), path=path)
    return interview_cases(check.corpus, by), notes


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

    results = ResultsFolder.open(folder)
    segments = results.require_columns(SEGMENTS_CSV, ("segment_id", "interview_id", "case", "words"))
    evidence = results.require_columns(EVIDENCE_CSV, ("segment_id", "kind", "counts_for", "start", "end"))
    book, notes = results.codebook(codebook)
    by = by or results.by
    cases = None
    if by != results.by or corpus is not None or metadata is not None:
        cases, more = _case_map(results, by, corpus, metadata)
        notes.extend(more)
    data = case_data(evidence, segments, codes=book, by=by, cases=cases)
    result = classify(data, book, measure=measure, min_interviews=min_interviews, margin=margin,
                      min_score=min_score)
    options = {"by": by, **result.rule.to_dict(),
               "corpus": str(corpus) if corpus is not None else None,
               "metadata": str(metadata) if metadata is not None else None}
    return ClassifiedFolder(results.path, result, book, results.manifest, options, notes)


def write_classification(result: ClassifiedFolder, out: Path | str | None = None, *,
                         force: bool = False) -> tuple[Path, list[str]]:
    """Write the classification into its results folder, or into `out`.

    In place, the previous classification files are replaced and every other
    file is kept (copied into the new folder, which is swapped in); into
    another folder, `force` is needed if it exists. Returns the folder and the
    names written; the guard's warnings (`qualcode.base.guard`) are added to
    `result.warnings`.
    """
    files: dict[str, str | bytes] = dict(classification_files(result.classification))
    manifest: Manifest = {**result.manifest,
                          "classification": classification_section(result.codebook, result.options, files)}
    files[MANIFEST_JSON] = manifest_json(manifest)
    names = sorted(files)
    target = Path(out) if out is not None else result.folder
    in_place = target.resolve() == result.folder.resolve()
    inputs = results_inputs(result.folder, corpus=result.options.get("corpus"),
                            metadata=result.options.get("metadata"), codebook=result.codebook.source_path or None)
    result.warnings += guard_output(target, RESULTS, force=force, inputs=inputs, in_place=in_place)
    if not in_place:
        write_folder(target, files, force=force)
        return target, names
    with staged_folder(result.folder, force=True) as stage:
        for path in sorted(result.folder.rglob("*")):
            name = path.relative_to(result.folder).as_posix()
            if name in files:
                continue
            if path.is_symlink() or path.is_file():
                stage.copy(name, path)
            elif path.is_dir():
                (stage.path / name).mkdir(parents=True, exist_ok=True)
        for name in names:
            stage.write(name, files[name])
    return result.folder, names

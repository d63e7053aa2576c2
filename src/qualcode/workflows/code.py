"""`qualcode code` as a function: read a corpus, code it, and the files of the results folder.

    run = code("sample_data/cep_study")                 # the bundled codebook
    run.codings.codings.head()                           # one row per code and segment
    write_folder("results/coding", run.files())          # qualcode.base.atomic
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qualcode.codebook.model import Codebook
from qualcode.coding.engine import Codings, ProgressCallback
from qualcode.corpus.model import Corpus
from qualcode.defaults import CASE_ATTRIBUTE, PIPELINE, UNIT
from qualcode.results.layout import (
    CODINGS_CSV,
    EVIDENCE_CSV,
    MANIFEST_JSON,
    SEGMENTS_CSV,
)

#: where a warning of the reader goes as soon as it is known (the CLI prints it)
WarningCallback = Callable[[str], None]


@dataclass(frozen=True)
class CodingOptions:
    """How a corpus is coded: what `code`, `analyze`, `agree` and `diff` share."""

    unit: str = UNIT
    by: str = CASE_ATTRIBUTE
    pipeline: str = PIPELINE
    include_interviewer: bool = False
    workers: int = 1
    #: True for the user cache folder, False or None for none, or a folder
    cache_dir: Path | str | bool | None = True
    #: how transcripts that do not say are read: turns, paragraphs, document (None: from labels)
    read_as: str | None = None
    #: any warning of the corpus reader is an error (`--strict`)
    strict: bool = False
    #: a model folder of `qualcode learn`: rules and model code together
    model: Path | str | None = None
    #: use a model trained for another codebook or version
    force_model: bool = False
    #: a Dask scheduler's address, or local:N, to parse on a cluster (the results are the same)
    scheduler: str | None = None

    def recorded(self) -> dict[str, Any]:
        """The options the manifest records (those that change a result)."""
        found: dict[str, Any] = {"unit": self.unit, "by": self.by, "pipeline": self.pipeline,
                                 "include_interviewer": self.include_interviewer}
        if self.read_as:  # the readers of the folder read the corpus the same way
            found["read_as"] = self.read_as
        if self.model is not None:
            from qualcode.learning.folder import MANIFEST, read_manifest
            from qualcode.results.manifest import sha256

            found["model"] = {"path": str(self.model), "force": self.force_model,
                              "manifest_sha256": sha256((Path(self.model) / MANIFEST).read_bytes()),
                              "learner": read_manifest(self.model)["learner"]}
        return found


@dataclass
class CodingRun:
    """A corpus read and coded, and how: what `qualcode code --out` writes."""

    corpus: Corpus
    codebook: Codebook
    codings: Codings
    options: CodingOptions
    corpus_arg: str = ""
    warnings: list[str] = field(default_factory=list)

    def files(self) -> dict[str, str]:
        """segments.csv, codings.csv, evidence.csv and manifest.json, as text."""
        from qualcode.results.frames import frame_to_csv
        from qualcode.results.manifest import coding_manifest, manifest_json

        files = {
            SEGMENTS_CSV: frame_to_csv(self.codings.segments),
            CODINGS_CSV: frame_to_csv(self.codings.table()),
            EVIDENCE_CSV: frame_to_csv(self.codings.evidence),
        }
        files[MANIFEST_JSON] = manifest_json(coding_manifest(
            self.corpus, self.codebook, self.codings, self.options.recorded(),
            corpus_arg=self.corpus_arg, outputs=files))
        return files


def read_inputs(corpus: Path | str | Corpus, codebook: Path | str | Codebook | None, *,
                by: str = CASE_ATTRIBUTE, metadata: Path | str | None = None,
                on_warning: WarningCallback | None = None, read_as: str | None = None,
                strict: bool = False) -> tuple[Corpus, Codebook, str]:
    """The corpus (read, its case attribute required) and the codebook, and the corpus as given."""
    from qualcode.codebook.load import load_codebook
    from qualcode.corpus import read_corpus

    if isinstance(corpus, Corpus):
        read, corpus_arg = corpus, str(corpus.root)
    else:
        read = read_corpus(corpus, metadata, required=(by,), read_as=read_as, strict=strict)
        corpus_arg = str(corpus)
    if on_warning is not None:
        for message in read.warnings:
            on_warning(message)
    book = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
    return read, book, corpus_arg


def code_read(read: Corpus, book: Codebook, options: CodingOptions, *,
              on_progress: ProgressCallback | None = None,
              on_warning: WarningCallback | None = None) -> Codings:
    """Code a corpus already read: with the rules, and with the model of `options.model` if any.

    Raises:
        LearningError: the model folder is not usable (E351-E355).
    """
    from qualcode.coding.engine import code_corpus

    if options.model is None:
        return code_corpus(read, book, options.unit, by=options.by,
                           include_interviewer=options.include_interviewer, pipeline=options.pipeline,
                           cache_dir=options.cache_dir, workers=options.workers, on_progress=on_progress,
                           scheduler=options.scheduler)
    from qualcode.errors import Errors, LearningError
    from qualcode.learning.apply import apply_model
    from qualcode.learning.features import TokenCollector
    from qualcode.learning.folder import load_model

    warnings: list[str] = []
    model = load_model(options.model, book, force=options.force_model, warnings=warnings)
    if model.unit != options.unit:
        raise LearningError(Errors.E355.format(then=model.unit, now=options.unit), path=options.model)
    collector = TokenCollector(vectors=model.vectoriser.vector_size > 0)
    codings = code_corpus(read, book, options.unit, by=options.by, include_interviewer=options.include_interviewer,
                          pipeline=options.pipeline, cache_dir=options.cache_dir, workers=options.workers,
                          on_progress=on_progress, observer=collector, scheduler=options.scheduler)
    codings, kept = apply_model(codings, collector.segments, model)
    if kept:
        warnings.append(Errors.W352.format(count=kept))
    if on_warning is not None:
        for message in warnings:
            on_warning(message)
    return codings


def code(corpus: Path | str | Corpus, codebook: Path | str | Codebook | None = None, *,
         options: CodingOptions = CodingOptions(), metadata: Path | str | None = None,
         on_progress: ProgressCallback | None = None,
         on_warning: WarningCallback | None = None) -> CodingRun:
    """Read a corpus and code every respondent segment with a codebook.

    Args:
        corpus: a folder or file of transcripts, or a `Corpus` already read.
        codebook: a codebook file, a `Codebook`, or None for the bundled one.
        metadata: a metadata table for the whole corpus.
        on_progress: called with (turns parsed, turns to parse).
        on_warning: called with each warning of the corpus reader, before coding.
    """
    read, book, corpus_arg = read_inputs(corpus, codebook, by=options.by, metadata=metadata,
                                         on_warning=on_warning, read_as=options.read_as,
                                         strict=options.strict)
    codings = code_read(read, book, options, on_progress=on_progress, on_warning=on_warning)
    return CodingRun(read, book, codings, options, corpus_arg, list(read.warnings))

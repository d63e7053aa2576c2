"""`qualcode learn` and `qualcode suggest` as functions: learn from the researcher's own coding.

    run = learn("sample_data/cep_study", ["sample_data/human_coding.csv"], coder="coder_a")
    run.model.cv["theme"]                     # grouped cross-validation, rules and model together
    write_folder("models/mine", run.files())  # qualcode.base.atomic
    code("sample_data/cep_study", options=CodingOptions(model="models/mine"))

`learn` codes the corpus with the codebook (the parsed turns come from the
cache), reads the human coding, trains one classifier per code with grouped
cross-validation, and, when asked, lists the segments to code next.
`suggest` compares the human coding with the codebook's hits and proposes
an edit of the codebook.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from qualcode.codebook.model import Codebook
from qualcode.coding.engine import Codings, ProgressCallback
from qualcode.corpus.model import Corpus
from qualcode.errors import Errors, LearningError
from qualcode.learning.features import FeatureSettings, TokenCollector
from qualcode.learning.learners import LearnerSettings
from qualcode.learning.model import TrainedModel
from qualcode.learning.suggest import Suggestions
from qualcode.learning.training import DEFAULT_FOLDS, MIN_EXAMPLES, TrainingSet
from qualcode.workflows.code import CodingOptions, WarningCallback, read_inputs

#: "stage", "unit" -> a (done, total) progress callback
StageCallback = Callable[[str, str], ProgressCallback]


@dataclass(frozen=True)
class PriorStudy:
    """Another corpus and its human coding, learnt from before this corpus's own coding.

    A third of each area coded by hand gives a model a few dozen turns per
    theme; a study coded earlier with the same codebook (or the development
    set shipped in the repository) adds how other respondents said each
    theme. Its rows always train and are never scored.
    """

    corpus: Path | str | Corpus
    human: Sequence[Path | str]
    coder: str | None = None


@dataclass
class LearnRun:
    """A model trained on a corpus and a human coding, and the segments to code next if asked."""

    model: TrainedModel
    corpus: Corpus
    codebook: Codebook
    codings: Codings
    next: pd.DataFrame | None = None
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def files(self) -> dict[str, str | bytes]:
        """The model folder: manifest.json, vocabulary.json, weights.npz, human.json."""
        from qualcode.learning.folder import model_files

        return model_files(self.model)


def _sha256_file(path: Path) -> str:
    from qualcode.results.manifest import sha256

    return sha256(path.read_bytes())


def _code(read: Corpus, book: Codebook, options: CodingOptions, collector: TokenCollector,
          stage: StageCallback | None, label: str) -> Codings:
    """Code a corpus with the codebook while the collector keeps each segment's tokens for the features."""
    from qualcode.coding.engine import code_corpus

    return code_corpus(read, book, options.unit, by=options.by, include_interviewer=options.include_interviewer,
                       pipeline=options.pipeline, cache_dir=options.cache_dir, workers=options.workers,
                       on_progress=stage(label, "turns") if stage else None, observer=collector)


def learn(corpus: Path | str | Corpus, human: Sequence[Path | str], codebook: Path | str | Codebook | None = None,
          *, options: CodingOptions = CodingOptions(), coder: str | None = None, next_n: int = 0,
          folds: int = DEFAULT_FOLDS, examples: bool = True, vectors: bool = False,
          features: FeatureSettings = FeatureSettings(), learner: LearnerSettings = LearnerSettings(),
          metadata: Path | str | None = None, prior: Sequence[PriorStudy] = (),
          stage: StageCallback | None = None, on_warning: WarningCallback | None = None) -> LearnRun:
    """Train a coder on the human coding of part of a corpus.

    Args:
        corpus: the corpus the human coded part of (the rest is what the model
            will code); a folder, a file or a `Corpus`.
        human: human coding files (`segment,code,coder`, actor files
            `segment,actor,coder`, filled-in `--next` sheets).
        codebook: the codebook whose rules code beside the model.
        coder: the coder to learn from, when the files hold several.
        next_n: also choose this many uncoded segments to code next.
        folds: folds of the cross-validation grouped by interview.
        examples: learn from the codebook's examples and counter-examples too.
        vectors: add the pipeline's word vectors to the features (when it has any).
        prior: other coded studies to learn from too (always in training, never
            scored: the cross-validation figures stay this corpus's).

    Raises:
        AgreementError: a human file names unknown segments or codes, is empty,
            or holds several coders and `coder` is not given (exit 2).
        LearningError: no segment of the corpus was read (E357); no code has
            enough examples of each class (E350).
    """
    import time

    from qualcode.learning.apply import segment_probabilities
    from qualcode.learning.dataset import codebook_examples, human_scope, training_set
    from qualcode.learning.select import next_segments
    from qualcode.learning.training import train
    from qualcode.validation.humans import read_training_codings

    started = time.perf_counter()
    read, book, _ = read_inputs(corpus, codebook, by=options.by, metadata=metadata, on_warning=on_warning)
    collector = TokenCollector(vectors=vectors)
    codings = _code(read, book, options, collector, stage, "coding")
    paths = [Path(p) for p in human]
    labels = read_training_codings(paths, codings.segments, book, corpus=read, coder=coder)
    warnings: list[str] = list(labels.attrs.get("warnings", []))
    scope = human_scope(labels, codings.segments)
    if not scope.interviews:
        raise LearningError(Errors.E357.format(detail=""), path=paths[0] if len(paths) == 1 else None)
    found = codebook_examples(book, read.languages, options.pipeline) if examples else None
    ts = training_set(codings, collector.segments, scope, book, found, bigrams=features.bigrams)
    records = [{"file": p.name, "sha256": _sha256_file(p), "coder": coder or ""} for p in paths]
    for n, study in enumerate(prior):
        prior_ts, prior_records = _prior_rows(study, book, options, features, vectors, stage)
        ts = ts.with_prior(prior_ts, str(n))
        records += prior_records
    size = len(next((v for v in ts.vectors if v), ())) if vectors else 0
    if size == 0:
        features = FeatureSettings(**{**features.to_dict(), "vector_weight": 0.0})  # type: ignore[arg-type]
    vectoriser, models, n_folds = train(ts, features=features, learner=learner, folds=folds, vector_size=size,
                                        on_fold=stage("cross-validating", "folds") if stage else None)
    if not any(m.learnt for m in models):
        detail = ", ".join(f"{m.code}: {m.positives}" for m in models if m.positives) or "no code applied"
        raise LearningError(Errors.E350.format(minimum=MIN_EXAMPLES, detail=detail))
    from qualcode.learning.training import summary

    warnings += [Errors.W350.format(code=m.code, note=m.note) for m in models if m.note and m.positives]
    record = {"name": book.name, "version": str(book.version), "sha256": book.sha256}
    scored = [g for g in ts.groups if g]
    model = TrainedModel(
        vectoriser, models, learner, features, options.unit, record,
        records,
        sorted({(s, c, k) for s, c, k in zip(labels["segment"], labels["code"], labels["kind"]) if c}),
        {kind: sorted(segs) for kind, segs in scope.segments.items()},
        summary(models), n_folds, len(scored), len(set(scored)), len(ts.groups) - len(scored))
    chosen = None
    if next_n > 0:
        ids, probabilities, _ = segment_probabilities(model, codings, collector.segments)
        read_any = scope.read("theme") | scope.read("actor")
        chosen = next_segments(model, ids, probabilities, codings.segments, next_n, exclude=read_any)
    if on_warning is not None:
        for message in warnings:
            on_warning(message)
    return LearnRun(model, read, book, codings, chosen, warnings, time.perf_counter() - started)


def _prior_rows(study: PriorStudy, book: Codebook, options: CodingOptions, features: FeatureSettings,
                vectors: bool, stage: StageCallback | None) -> tuple[TrainingSet, list[dict[str, str]]]:
    """A prior study coded with the same codebook, as training rows, and its files for the manifest."""
    from qualcode.learning.dataset import human_scope, training_set
    from qualcode.validation.humans import read_training_codings

    read, _, _ = read_inputs(study.corpus, book, by=options.by)
    collector = TokenCollector(vectors=vectors)
    codings = _code(read, book, options, collector, stage, "coding the prior study")
    paths = [Path(p) for p in study.human]
    labels = read_training_codings(paths, codings.segments, book, corpus=read, coder=study.coder)
    scope = human_scope(labels, codings.segments)
    ts = training_set(codings, collector.segments, scope, book, None, bigrams=features.bigrams)
    return ts, [{"file": p.name, "sha256": _sha256_file(p), "coder": study.coder or "", "prior": read.root.name}
                for p in paths]


@dataclass
class SuggestRun:
    """The suggestions for a codebook from a human coding, and the edited codebook."""

    suggestions: Suggestions
    codebook: Codebook
    warnings: list[str] = field(default_factory=list)


def suggest(corpus: Path | str | Corpus, human: Sequence[Path | str], codebook: Path | str | Codebook | None = None,
            *, options: CodingOptions = CodingOptions(), coder: str | None = None,
            metadata: Path | str | None = None, stage: StageCallback | None = None,
            on_warning: WarningCallback | None = None) -> SuggestRun:
    """Phrases the human's themes share and the codebook lacks, patterns that fire where the human said no.

    Raises:
        AgreementError: as `learn`, for the human files.
        LearningError: no segment of the corpus was read (E357).
    """
    from qualcode.learning.dataset import human_scope
    from qualcode.learning.suggest import codebook_edit, suggest_patterns
    from qualcode.validation.humans import read_training_codings

    read, book, _ = read_inputs(corpus, codebook, by=options.by, metadata=metadata, on_warning=on_warning)
    collector = TokenCollector()
    codings = _code(read, book, options, collector, stage, "coding")
    paths = [Path(p) for p in human]
    labels = read_training_codings(paths, codings.segments, book, corpus=read, coder=coder)
    scope = human_scope(labels, codings.segments)
    if not scope.read("theme"):
        raise LearningError(Errors.E357.format(detail=" for themes"), path=paths[0] if len(paths) == 1 else None)
    language_of = {i.id: i.language for i in read}
    table = suggest_patterns(book, collector.segments, scope.read("theme"), scope.pairs, codings.evidence,
                             language_of)
    source = Path(book.source_path) if book.source_path else None
    original = source.read_text(encoding="utf-8") if source is not None and source.is_file() else ""
    edited = codebook_edit(original, table) if original else ""
    warnings = list(labels.attrs.get("warnings", []))
    if on_warning is not None:
        for message in warnings:
            on_warning(message)
    return SuggestRun(Suggestions(table, original, edited, source.name if source else "codebook.yaml"), book,
                      warnings)

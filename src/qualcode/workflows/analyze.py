"""The main job in one call: read, code, classify, and the files and reports of the results folder.

`analyze(corpus, codebook)` returns an `Analysis` (the corpus, the codebook,
the codings and the classification); `analysis_files(analysis)` gives the
files that `qualcode analyze --out DIR` writes, as text, and
`qualcode.base.atomic.write_folder` writes them atomically::

    from qualcode.workflows.analyze import analyze, analysis_files
    from qualcode.base.atomic import write_folder

    done = analyze("sample_data/cep_study")            # the bundled codebook
    done.classification.table                          # classification.csv as a DataFrame
    write_folder("results/demo", analysis_files(done), force=True)

`run_analysis` is the whole command: the results folder checked before the
long work, the files, and the report for the screen, with the quote policy
(files pseudonymised unless asked otherwise; the researcher's own screen
verbatim unless asked otherwise).

The reports are rendered from the data files themselves (see
`qualcode.report.data`), so that `qualcode report DIR` re-renders them to
the same bytes. The manifest has the coding part, the `classification`
section that `qualcode classify` writes, and a `report` section (each
interview's case and region, the reader's warnings, the report options).
It records no absolute path that the user did not type, and the only time
in the folder is the manifest's `created` (`SOURCE_DATE_EPOCH` honoured).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qualcode.classification.classify import Classification
from qualcode.codebook.model import Codebook
from qualcode.coding.engine import Codings, ProgressCallback
from qualcode.corpus.model import Corpus
from qualcode.defaults import CASE_ATTRIBUTE, PIPELINE, UNIT
from qualcode.errors import Errors, ReportError, UsageError
from qualcode.report.data import (
    ANONYMISED,
    VERBATIM,
    VERBATIM_QUOTES,
    QuoteFilter,
    Report,
    build_report,
    check_quotes,
    corpus_facts,
    notice_from,
    quote_filter,
    report_language,
)
from qualcode.results.layout import (
    CLASSIFICATION_FILES,
    CODINGS_CSV,
    EVIDENCE_CSV,
    FORMAT_FILES,
    FORMATS,
    MANIFEST_JSON,
    MEMOS_MD,
    REPORT_FILES,
    REPORT_HTML,
    REPORT_MD,
    SEGMENTS_CSV,
)
from qualcode.results.manifest import (
    Manifest,
    classification_section,
    coding_manifest,
    digests,
    manifest_json,
    run_time,
)
from qualcode.workflows.code import CodingOptions, WarningCallback, read_inputs

#: a progress bar per stage: `stage("coding", "turns")` gives the (done, total) callback
StageProgress = Callable[[str, str], ProgressCallback]


def parse_formats(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """`"html,md"` (or a list) -> the formats in canonical order; None or empty: all of them.

    Raises:
        UsageError: an unknown format (E430).
    """
    if value is None:
        return FORMATS
    items = value.split(",") if isinstance(value, str) else [p for v in value for p in str(v).split(",")]
    wanted = {item.strip().lower() for item in items if item.strip()}
    unknown = sorted(wanted - set(FORMATS))
    if unknown:
        raise UsageError(Errors.E430.format(found=", ".join(map(repr, unknown)), choices=", ".join(FORMATS)))
    return tuple(f for f in FORMATS if f in wanted) or FORMATS


def selected_files(formats: Iterable[str]) -> list[str]:
    """The names of the files written for these formats, manifest.json included, sorted."""
    names = {MANIFEST_JSON}
    for fmt in parse_formats(list(formats)):
        names.update(FORMAT_FILES[fmt])
    return sorted(names)


@dataclass
class Analysis:
    """A corpus read, coded and classified, and the options that made it so."""

    corpus: Corpus
    codebook: Codebook
    codings: Codings
    classification: Classification
    options: dict[str, Any]
    corpus_arg: str = ""
    created: str = field(default_factory=run_time)
    _data: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def warnings(self) -> list[str]:
        """The reader's warnings, paths relative to the corpus."""
        return list(corpus_facts(self.corpus, self.codings.by, self.corpus_arg)["warnings"])

    def data_files(self) -> dict[str, str]:
        """segments, codings, evidence, case matrix, classification (csv and json), as text."""
        if not self._data:
            from qualcode.results.classification import classification_files
            from qualcode.results.frames import frame_to_csv

            self._data.update({
                SEGMENTS_CSV: frame_to_csv(self.codings.segments),
                CODINGS_CSV: frame_to_csv(self.codings.table()),
                EVIDENCE_CSV: frame_to_csv(self.codings.evidence),
                **classification_files(self.classification),
            })
        return dict(self._data)

    def manifest(self, outputs: Mapping[str, str | bytes] | None = None, *,
                 report_options: Mapping[str, Any] | None = None,
                 quote_warnings: Iterable[str] = ()) -> Manifest:
        """manifest.json: the coding manifest, its `classification` and `report` sections.

        `outputs` are the files written besides the manifest (their SHA-256 is
        recorded); each section lists the digests of its own files.
        `quote_warnings` (the anonymiser's: names in file names...) join the
        reader's warnings there: advice for the analyst, not for the report.
        """
        outputs = dict(outputs or {})
        manifest = coding_manifest(self.corpus, self.codebook, self.codings, self.options,
                                   corpus_arg=self.corpus_arg, outputs=outputs, created=self.created)
        rule = {"by": self.codings.by, **self.classification.rule.to_dict()}
        manifest["classification"] = classification_section(self.codebook, rule, outputs, created=self.created)
        facts = corpus_facts(self.corpus, self.codings.by, self.corpus_arg)
        facts["warnings"] = [*facts["warnings"], *(w for w in quote_warnings if w not in facts["warnings"])]
        manifest["report"] = {
            **facts,
            "options": dict(sorted((report_options or {}).items())),
            "outputs": digests(outputs, REPORT_FILES),
        }
        return manifest

    def report(self, *, quotes: QuoteFilter = VERBATIM_QUOTES, lang: str | None = None,
               report_options: Mapping[str, Any] | None = None, memos: str | bytes | None = None) -> Report:
        """The report model (as `qualcode report` would build it from the written folder).

        `memos`: the text of the folder's memos.md, to show them.
        """
        files: dict[str, str | bytes] = {
            **self.data_files(), MANIFEST_JSON: manifest_json(self.manifest(report_options=report_options))}
        if memos is not None:
            files[MEMOS_MD] = memos
        extra = [notice_from(w) for w in quotes.warnings]
        return build_report(files, self.codebook, quotes=quotes, lang=lang, notices=extra)


def analyze(
    corpus: Path | str | Corpus,
    codebook: Path | str | Codebook | None = None,
    *,
    unit: str = UNIT,
    by: str = CASE_ATTRIBUTE,
    pipeline: str = PIPELINE,
    include_interviewer: bool = False,
    metadata: Path | str | None = None,
    measure: str | None = None,
    min_interviews: int | None = None,
    margin: float | None = None,
    min_score: float | None = None,
    workers: int = 1,
    cache_dir: Path | str | bool | None = True,
    model: Path | str | None = None,
    force_model: bool = False,
    on_progress: ProgressCallback | None = None,
    on_warning: WarningCallback | None = None,
    read_as: str | None = None,
    strict: bool = False,
    scheduler: str | None = None,
) -> Analysis:
    """Read a corpus, code it with a codebook and classify its cases.

    Args:
        corpus: a folder or file of transcripts, or a `Corpus` already read.
        codebook: a codebook file, a `Codebook`, or None for the bundled one.
        unit, by, pipeline, include_interviewer, workers, cache_dir, scheduler: as
            for `qualcode.coding.code_corpus` (`by` is the case attribute).
        model: a model folder of `qualcode learn`: rules and model code together
            (`force_model`: even if it was trained for another codebook version).
        metadata: a metadata table for the whole corpus.
        measure, min_interviews, margin, min_score: override the codebook's
            decision rule (`qualcode.classification.classify`).
        read_as, strict: as for `qualcode.corpus.read_corpus`.
        on_progress: called with (turns parsed, turns to parse).
        on_warning: called with each warning of the corpus reader, before coding.

    Raises:
        QualcodeError: bad input (corpus, codebook, options), as each step raises it.
    """
    from qualcode.classification.classify import classify
    from qualcode.workflows.code import code_read

    options = CodingOptions(unit=unit, by=by, pipeline=pipeline, include_interviewer=include_interviewer,
                            workers=workers, cache_dir=cache_dir, read_as=read_as, strict=strict,
                            model=model, force_model=force_model, scheduler=scheduler)
    read, book, corpus_arg = read_inputs(corpus, codebook, by=by, metadata=metadata, on_warning=on_warning,
                                         read_as=read_as, strict=strict)
    codings = code_read(read, book, options, on_progress=on_progress, on_warning=on_warning)
    result = classify(codings, book, measure=measure, min_interviews=min_interviews, margin=margin,
                      min_score=min_score)
    recorded = {**options.recorded(), "metadata": None if metadata is None else str(metadata),
                "measure": measure, "min_interviews": min_interviews, "margin": margin,
                "min_score": min_score}
    return Analysis(read, book, codings, result, recorded, corpus_arg)


def analysis_files(analysis: Analysis, *, formats: Iterable[str] | str | None = None,
                   quotes: str | QuoteFilter = ANONYMISED, lang: str | None = None,
                   on_progress: ProgressCallback | None = None, memos: str | bytes | None = None
                   ) -> dict[str, str | bytes]:
    """The files of the results folder for the chosen formats, manifest.json included.

    Args:
        formats: some of html, md, json, csv (default: all). csv gives
            segments, codings, evidence, case_matrix and classification .csv;
            json classification.json; html report.html; md report.md.
        quotes: `anonymised` (default) or `verbatim` for the quotes of
            report.html and report.md, or a `QuoteFilter` already built
            (`qualcode.report.data.quote_filter`, e.g. with the name lists
            of `qualcode anonymise --keep/--replace`).
        lang: the language of the reports (default: the corpus's when the codebook has it, else
            the codebook's first).
        on_progress: called while names are detected for anonymised quotes.
        memos: the memos.md of the folder being replaced: shown in the reports
            and written again (the manifest does not record it: it is the researcher's).

    Raises:
        QualcodeError: E430 (format), E431 (quotes), E432 (lang), E436 (no anonymiser).
    """
    chosen = parse_formats(formats)
    if isinstance(quotes, QuoteFilter):
        filter_ = quotes
    else:
        check_quotes(quotes)
        filter_ = VERBATIM_QUOTES
        if quotes == ANONYMISED and ("html" in chosen or "md" in chosen):
            filter_ = quote_filter(analysis.corpus, ANONYMISED, codebook=analysis.codebook,
                                   on_progress=on_progress)
    lang = lang or report_language(analysis.codebook, [i.language for i in analysis.corpus])
    report_options = {"formats": list(chosen), "quotes": quotes if isinstance(quotes, str) else filter_.mode,
                      "lang": lang, **filter_.lists}
    everything: dict[str, str] = dict(analysis.data_files())
    if "html" in chosen or "md" in chosen:
        model = analysis.report(quotes=filter_, lang=lang, report_options=report_options, memos=memos)
        if "html" in chosen:
            from qualcode.report.html import render_html

            everything[REPORT_HTML] = render_html(model)
        if "md" in chosen:
            from qualcode.report.markdown import render_markdown

            everything[REPORT_MD] = render_markdown(model)
    wanted = [name for name in selected_files(chosen) if name != MANIFEST_JSON]
    files: dict[str, str | bytes] = {name: everything[name] for name in wanted}
    files[MANIFEST_JSON] = manifest_json(analysis.manifest(files, report_options=report_options,
                                                           quote_warnings=filter_.warnings))
    if memos is not None:
        files[MEMOS_MD] = memos
    return dict(sorted(files.items()))


@dataclass
class AnalysisRun:
    """What `qualcode analyze` produces: the analysis, the report for the screen, the files to write."""

    analysis: Analysis
    screen: Report
    files: dict[str, str | bytes] | None
    #: what the output guard's sweep did (a previous folder put back after a killed run)
    notes: list[str] = field(default_factory=list)


def run_analysis(corpus: Path | str, codebook: Path | str | None = None, *,
                 out: Path | str | None = None, force: bool = False,
                 formats: str | Iterable[str] | None = None, quotes: str | None = None,
                 lang: str | None = None, keep: Path | str | None = None,
                 replace: Path | str | None = None, stage: StageProgress | None = None,
                 on_warning: WarningCallback | None = None, **options: Any) -> AnalysisRun:
    """`qualcode analyze`: check the output folder, analyse, build the files and the screen's report.

    Quotes in the files are pseudonymised unless `quotes` is verbatim; on the
    screen (the researcher's own) they are verbatim unless `quotes` is
    anonymised. `options` are `analyze`'s keyword arguments. Nothing is
    written: `write_folder(out, run.files, force=force)` does that.
    """
    from qualcode.codebook.load import load_codebook
    from qualcode.results.folder import check_output_folder

    chosen = parse_formats(formats)
    notes: list[str] = []
    if out is not None:
        inputs = [("codebook", codebook), ("metadata table", options.get("metadata")), ("name list", keep),
                  ("name list", replace), ("model", options.get("model"))]
        notes = check_output_folder(out, force=force, corpus=corpus, inputs=inputs)
    book = load_codebook(codebook)
    if lang is not None and lang not in book.languages:
        raise ReportError(Errors.E432.format(lang=lang, codebook=book.name, languages=", ".join(book.languages)))
    done = analyze(corpus, book, on_progress=stage("coding", "turns") if stage else None,
                   on_warning=on_warning, **options)
    filter_: QuoteFilter | None = None  # the files' quotes: pseudonymised unless verbatim
    files = None
    if out is not None:
        if (quotes or ANONYMISED) == ANONYMISED and ("html" in chosen or "md" in chosen):
            filter_ = quote_filter(done.corpus, ANONYMISED, codebook=book, keep=keep, replace=replace,
                                   on_progress=stage("finding names", "texts") if stage else None,
                                   cache_dir=options.get("cache_dir", True))
        from qualcode.results.memos import keep_memos

        # a results folder replaced with --force keeps the researcher's memos.md, and its reports show them
        memos = keep_memos(out, {}).get(MEMOS_MD)
        files = analysis_files(done, formats=chosen, quotes=filter_ or quotes or ANONYMISED, lang=lang,
                               memos=memos)
    if quotes == ANONYMISED:
        screen = filter_ or quote_filter(done.corpus, ANONYMISED, codebook=book, keep=keep, replace=replace,
                                         cache_dir=options.get("cache_dir", True))
    else:
        screen = QuoteFilter(VERBATIM, warnings=filter_.warnings if filter_ else ())
    return AnalysisRun(done, done.report(quotes=screen, lang=lang), files, notes)


__all__ = [
    "CLASSIFICATION_FILES",
    "FORMATS",
    "FORMAT_FILES",
    "Analysis",
    "AnalysisRun",
    "analysis_files",
    "analyze",
    "parse_formats",
    "run_analysis",
    "selected_files",
]

"""The main job in one call: read, code, classify, and the files of the results folder.

`analyze(corpus, codebook)` returns an `Analysis` (the corpus, the codebook,
the codings and the classification); `analysis_files(analysis)` gives the
files that `qualcode analyze --out DIR` writes, as text, and
`qualcode.results.folder.write_folder` writes them atomically::

    from qualcode.workflows.analyze import analyze, analysis_files
    from qualcode.results.folder import write_folder

    done = analyze("sample_data/cep_study")            # the bundled codebook
    done.classification.table                          # classification.csv as a DataFrame
    write_folder("results/demo", analysis_files(done), force=True)

The reports are rendered from the data files themselves (see
`qualcode.report.data`), so that `qualcode report DIR` re-renders them to
the same bytes. The manifest is `qualcode.results.manifest.build_manifest`'s,
with the `classification` section that `qualcode classify` writes and a
`report` section (what the reports need beyond the data files: each
interview's case and region, the reader's warnings, the report options).
It records no absolute path that the user did not type, and the only time
in the folder is the manifest's `created` (`SOURCE_DATE_EPOCH` honoured).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from qualcode.errors import Errors, UsageError
from qualcode.report.data import (ANONYMISED, REPORT_HTML, REPORT_MD, VERBATIM_QUOTES, Notice, QuoteFilter,
                                  Report, build_report, check_quotes, corpus_facts, notice_from,
                                  quote_filter)
from qualcode.results.folder import (CODINGS_CSV, EVIDENCE_CSV, MANIFEST_JSON, SEGMENTS_CSV, frame_to_csv,
                              run_time, to_json)

CASE_MATRIX_CSV = "case_matrix.csv"
CLASSIFICATION_CSV = "classification.csv"
CLASSIFICATION_JSON = "classification.json"
#: report formats, and the files each one selects (manifest.json is always written)
FORMATS = ("html", "md", "json", "csv")
FORMAT_FILES = {
    "csv": (SEGMENTS_CSV, CODINGS_CSV, EVIDENCE_CSV, CASE_MATRIX_CSV, CLASSIFICATION_CSV),
    "json": (CLASSIFICATION_JSON,),
    "html": (REPORT_HTML,),
    "md": (REPORT_MD,),
}
ProgressCallback = Callable[[int, int], None]


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

    corpus: Any
    codebook: Any
    codings: Any
    classification: Any
    options: dict[str, Any]
    corpus_arg: str = ""
    codebook_arg: str = ""
    created: str = field(default_factory=run_time)
    _data: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def warnings(self) -> list[str]:
        """The reader's warnings, paths relative to the corpus."""
        return list(corpus_facts(self.corpus, self.codings.by, self.corpus_arg)["warnings"])

    def data_files(self) -> dict[str, str]:
        """segments, codings, evidence, case matrix, classification (csv and json), as text."""
        if not self._data:
            self._data.update({
                SEGMENTS_CSV: frame_to_csv(self.codings.segments),
                CODINGS_CSV: frame_to_csv(self.codings.codings),
                EVIDENCE_CSV: frame_to_csv(self.codings.evidence),
                **self.classification.files(),
            })
        return dict(self._data)

    def manifest(self, outputs: Mapping[str, str | bytes] | None = None, *,
                 report_options: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """manifest.json: the coding manifest, its `classification` and `report` sections.

        `outputs` are the files written besides the manifest (their SHA-256 is
        recorded); each section lists the digests of its own files.
        """
        from qualcode.results.manifest import build_manifest

        outputs = dict(outputs or {})
        created = self.created
        manifest = build_manifest(self.corpus, self.codebook, self.codings, self.options,
                                  corpus_arg=self.corpus_arg, outputs=outputs)
        manifest["created"] = created
        manifest["codebook"]["path"] = self.codebook_arg
        manifest["codebook"]["bundled"] = not self.codebook_arg
        book = self.codebook
        classification_files = (CASE_MATRIX_CSV, CLASSIFICATION_CSV, CLASSIFICATION_JSON)
        manifest["classification"] = {
            "created": created,
            "codebook": {"name": str(book.name), "version": str(book.version), "sha256": book.sha256,
                         "path": self.codebook_arg},
            "options": dict(sorted({"by": self.codings.by,
                                    **self.classification.rule.to_dict()}.items())),
            "outputs": {n: _digest(c) for n, c in sorted(outputs.items()) if n in classification_files},
        }
        manifest["report"] = {
            **corpus_facts(self.corpus, self.codings.by, self.corpus_arg),
            "options": dict(sorted((report_options or {}).items())),
            "outputs": {n: _digest(c) for n, c in sorted(outputs.items()) if n in (REPORT_HTML, REPORT_MD)},
        }
        return manifest

    def report(self, *, quotes: QuoteFilter = VERBATIM_QUOTES, lang: str | None = None,
               report_options: Mapping[str, Any] | None = None) -> Report:
        """The report model (as `qualcode report` would build it from the written folder)."""
        files: dict[str, str] = {**self.data_files(),
                                 MANIFEST_JSON: to_json(self.manifest(report_options=report_options))}
        extra = [_notice(w) for w in quotes.warnings]
        return build_report(files, self.codebook, quotes=quotes, lang=lang, notices=extra)


def _digest(content: str | bytes) -> str:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return hashlib.sha256(data).hexdigest()


def _notice(message: str) -> Notice:
    return notice_from(message)


def analyze(
    corpus: Any,
    codebook: Any = None,
    *,
    unit: str = "turn",
    by: str = "area",
    pipeline: str = "accurate",
    include_interviewer: bool = False,
    metadata: Path | str | None = None,
    measure: str | None = None,
    min_interviews: int | None = None,
    margin: float | None = None,
    min_score: float | None = None,
    workers: int = 1,
    cache_dir: Path | str | bool | None = True,
    on_progress: ProgressCallback | None = None,
) -> Analysis:
    """Read a corpus, code it with a codebook and classify its cases.

    Args:
        corpus: a folder or file of transcripts, or a `Corpus` already read.
        codebook: a codebook file, a `Codebook`, or None for the bundled one.
        unit, by, pipeline, include_interviewer, workers, cache_dir: as for
            `qualcode.coding.engine.code_corpus` (`by` is the case attribute).
        metadata: a metadata table for the whole corpus.
        measure, min_interviews, margin, min_score: override the codebook's
            decision rule (`qualcode.classification.classify.classify`).
        on_progress: called with (turns parsed, turns to parse).

    Raises:
        QualcodeError: bad input (corpus, codebook, options), as each step raises it.
    """
    from qualcode.classification.classify import classify
    from qualcode.codebook import codebook_reference, load_codebook
    from qualcode.coding.engine import code_corpus
    from qualcode.corpus import read_corpus

    if hasattr(corpus, "interviews"):
        read, corpus_arg = corpus, str(getattr(corpus, "root", ""))
    else:
        read, corpus_arg = read_corpus(corpus, metadata, required=(by,)), str(corpus)
    if hasattr(codebook, "codes"):
        book, codebook_arg = codebook, codebook_reference(codebook)["path"]
    else:
        book, codebook_arg = load_codebook(codebook), "" if codebook is None else str(codebook)
    codings = code_corpus(read, book, unit, by=by, include_interviewer=include_interviewer,
                          pipeline=pipeline, cache_dir=cache_dir, workers=workers, on_progress=on_progress)
    result = classify(codings, book, measure=measure, min_interviews=min_interviews, margin=margin,
                      min_score=min_score)
    options = {"unit": unit, "by": by, "pipeline": pipeline, "include_interviewer": include_interviewer,
               "metadata": None if metadata is None else str(metadata), "measure": measure,
               "min_interviews": min_interviews, "margin": margin, "min_score": min_score}
    return Analysis(read, book, codings, result, options, corpus_arg, codebook_arg)


def analysis_files(analysis: Analysis, *, formats: Iterable[str] | str | None = None,
                   quotes: str | QuoteFilter = ANONYMISED, lang: str | None = None,
                   on_progress: ProgressCallback | None = None) -> dict[str, str]:
    """The files of the results folder for the chosen formats, manifest.json included.

    Args:
        formats: some of html, md, json, csv (default: all). csv gives
            segments, codings, evidence, case_matrix and classification .csv;
            json classification.json; html report.html; md report.md.
        quotes: `anonymised` (default) or `verbatim` for the quotes of
            report.html and report.md, or a `QuoteFilter` already built
            (`qualcode.report.data.quote_filter`, e.g. with the name lists
            of `qualcode anonymise --keep/--replace`).
        lang: the language of the reports' labels (default: the codebook's first).
        on_progress: called while names are detected for anonymised quotes.

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
                                   **({"on_progress": on_progress} if on_progress else {}))
    lang = lang or analysis.codebook.languages[0]
    report_options = {"formats": list(chosen), "quotes": quotes if isinstance(quotes, str) else filter_.mode,
                      "lang": lang, **filter_.lists}
    everything: dict[str, str] = dict(analysis.data_files())
    if "html" in chosen or "md" in chosen:
        model = analysis.report(quotes=filter_, lang=lang, report_options=report_options)
        if "html" in chosen:
            from qualcode.report.html import render_html

            everything[REPORT_HTML] = render_html(model)
        if "md" in chosen:
            from qualcode.report.markdown import render_markdown

            everything[REPORT_MD] = render_markdown(model)
    wanted = [name for name in selected_files(chosen) if name != MANIFEST_JSON]
    files = {name: everything[name] for name in wanted}
    files[MANIFEST_JSON] = to_json(analysis.manifest(files, report_options=report_options))
    return dict(sorted(files.items()))


__all__ = ["Analysis", "FORMATS", "FORMAT_FILES", "analysis_files", "analyze", "parse_formats",
           "selected_files"]

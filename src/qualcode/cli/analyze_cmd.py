"""`qualcode analyze` (read, code, classify, report in one go) and `qualcode report` (re-render)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.text import Text

from qualcode.classification.rule import MEASURES  # light: no pandas, no spaCy
from qualcode.cli._util import app, err, handle_errors, is_terminal, out, warn
from qualcode.cli.coding_cmd import (ByOpt, CacheDirOpt, CodebookOpt, CorpusArg, InterviewerOpt, MetadataOpt,
                                     NoCacheOpt, PipelineOpt, QuietOpt, UnitOpt, WorkersOpt, progress_reporter)

QUOTES_HELP = ("Quotes in report.html and report.md: anonymised (default: names replaced with the "
               "corpus-wide pseudonyms of `qualcode anonymise`) or verbatim. The terminal shows them "
               "verbatim unless --quotes anonymised is given.")
LANG_HELP = "Language of the file reports' labels. Default: the codebook's first language."
KeepOpt = Annotated[Optional[Path], typer.Option(
    "--keep", exists=True, dir_okay=False, help="For anonymised quotes: names never to replace, one per line (the list given to "
                   "`qualcode anonymise --keep`: the pseudonyms depend on it).", show_default=False)]
ReplaceOpt = Annotated[Optional[Path], typer.Option(
    "--replace", exists=True, dir_okay=False, help="For anonymised quotes: names always to replace (the list given to "
                      "`qualcode anonymise --replace`).", show_default=False)]


def _measure(value: Optional[str]) -> Optional[str]:
    if value is not None and value not in MEASURES:
        raise typer.BadParameter(f"choose {', '.join(MEASURES)} (not {value!r})")
    return value


def _quotes(value: Optional[str]) -> Optional[str]:
    if value is not None and value not in ("anonymised", "verbatim"):
        raise typer.BadParameter(f"choose anonymised or verbatim (not {value!r})")
    return value


def _check_out(out_dir: Path, corpus: Path, force: bool) -> None:
    from qualcode.results.folder import check_output_folder

    check_output_folder(out_dir, force=force, corpus=corpus)


def _stage(quiet: bool, label: str, unit: str):
    """A progress bar for a later stage (detecting names), or nothing."""
    if quiet or not is_terminal():
        return None, None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TextColumn(unit),
                        TimeElapsedColumn(), console=err(), transient=True)
    task = progress.add_task(label, total=None)
    return progress, lambda done, total: progress.update(task, completed=done, total=total)


@app.command("analyze")
@handle_errors
def analyze_command(
    corpus: CorpusArg,
    codebook: CodebookOpt = None,
    by: ByOpt = "area",
    unit: UnitOpt = "turn",
    out_dir: Annotated[Optional[Path], typer.Option(
        "--out", "-o", help="Write the results folder here (atomically). Without it, only the terminal "
                            "report is printed.", show_default=False)] = None,
    formats: Annotated[str, typer.Option(
        "--format", "-f", metavar="html,md,json,csv",
        help="Files to write besides manifest.json: html (report.html), md (report.md), json "
             "(classification.json), csv (segments, codings, evidence, case_matrix, classification).")]
        = "html,md,json,csv",
    workers: WorkersOpt = 1,
    quiet: QuietOpt = False,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing --out folder.")] = False,
    min_interviews: Annotated[Optional[int], typer.Option(
        "--min-interviews", min=1, help="Fewer interviews in a case: 'insufficient'. Default: the codebook's.",
        show_default=False)] = None,
    margin: Annotated[Optional[float], typer.Option(
        "--margin", min=0.0, max=1.0, help="Lead the best score needs over the runner-up. Default: the "
                                           "codebook's.", show_default=False)] = None,
    min_score: Annotated[Optional[float], typer.Option(
        "--min-score", min=0.0, max=1.0, help="Score the best configuration needs. Default: the codebook's.",
        show_default=False)] = None,
    measure: Annotated[Optional[str], typer.Option(
        "--measure", callback=_measure, metavar="[interviews|segments|words]",
        help="Prevalence that feeds the scores. Default: the codebook's.", show_default=False)] = None,
    pipeline: PipelineOpt = "accurate",
    metadata: MetadataOpt = None,
    no_cache: NoCacheOpt = False,
    cache_dir: CacheDirOpt = None,
    quotes: Annotated[Optional[str], typer.Option(
        "--quotes", callback=_quotes, metavar="[anonymised|verbatim]", help=QUOTES_HELP,
        show_default=False)] = None,
    lang: Annotated[Optional[str], typer.Option("--lang", help=LANG_HELP, show_default=False)] = None,
    include_interviewer: InterviewerOpt = False,
    keep: KeepOpt = None,
    replace: ReplaceOpt = None,
) -> None:
    """Read, code, classify and report in one go.

    Prints the report (verdicts, themes by case, deciding quotes, warnings);
    with --out, also writes the results folder: the data files, report.html,
    report.md and manifest.json (all of them, or none if anything fails).

    Example: [bold]qualcode analyze sample_data/cep_study --out results/demo[/bold]
    """
    from qualcode.workflows.analyze import analysis_files, analyze, parse_formats
    from qualcode.codebook import load_codebook
    from qualcode.errors import Errors
    from qualcode.report.data import ANONYMISED, VERBATIM, QuoteFilter, ReportError, quote_filter
    from qualcode.report.terminal import render_terminal
    from qualcode.results.folder import write_folder

    chosen = parse_formats(formats)
    if out_dir is not None:
        _check_out(out_dir, corpus, force)
    book = load_codebook(codebook)
    if lang is not None and lang not in book.languages:
        raise ReportError(Errors.E432.format(lang=lang, codebook=book.name, languages=", ".join(book.languages)))
    progress, update = progress_reporter(quiet)
    kwargs = dict(unit=unit, by=by, pipeline=pipeline, include_interviewer=include_interviewer,
                  metadata=metadata, measure=measure, min_interviews=min_interviews, margin=margin,
                  min_score=min_score, workers=workers, cache_dir=False if no_cache else (cache_dir or True))
    if progress is not None:
        with progress:
            done = analyze(corpus, book, on_progress=update, **kwargs)
    else:
        done = analyze(corpus, book, **kwargs)

    filter_ = None  # the files' quotes: pseudonymised unless --quotes verbatim
    files = None
    if out_dir is not None:
        if (quotes or ANONYMISED) == ANONYMISED and ("html" in chosen or "md" in chosen):
            stage, tick = _stage(quiet, "finding names", "texts")
            if stage is not None:
                with stage:
                    filter_ = quote_filter(done.corpus, ANONYMISED, codebook=book, keep=keep, replace=replace,
                                           on_progress=tick)
            else:
                filter_ = quote_filter(done.corpus, ANONYMISED, codebook=book, keep=keep, replace=replace)
        files = analysis_files(done, formats=chosen, quotes=filter_ or quotes or ANONYMISED, lang=lang)
    # the screen is the researcher's own: verbatim unless --quotes anonymised was given
    if quotes == ANONYMISED:
        screen = filter_ or quote_filter(done.corpus, ANONYMISED, codebook=book, keep=keep, replace=replace)
    else:
        screen = QuoteFilter(VERBATIM, warnings=filter_.warnings if filter_ else ())
    report = done.report(quotes=screen, lang=lang)
    out().print(render_terminal(report, plain=not sys.stdout.isatty()))
    if out_dir is not None and files is not None:
        write_folder(out_dir, files, force=force)
        err().print(Text(f"wrote {len(files)} files to {out_dir}: {', '.join(sorted(files))}"))


@app.command("report")
@handle_errors
def report_command(
    results: Annotated[Path, typer.Argument(help="A folder written by `qualcode analyze --out`.",
                                            metavar="RESULTS_DIR", show_default=False)],
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="html|md",
                                     help="The report to render: html or md.")] = "html",
    out_file: Annotated[Optional[Path], typer.Option(
        "--out", "-o", help="Write the report to this file. Default: standard output.",
        show_default=False)] = None,
    quotes: Annotated[str, typer.Option("--quotes", callback=_quotes, metavar="[anonymised|verbatim]",
                                        help="Quotes pseudonymised (needs the corpus) or verbatim.")]
        = "anonymised",
    lang: Annotated[Optional[str], typer.Option(
        "--lang", help="Language of the labels. Default: the one the analysis used.", show_default=False)] = None,
    corpus: Annotated[Optional[Path], typer.Option(
        "--corpus", help="The corpus that was analysed, for anonymised quotes. Default: the path in "
                         "manifest.json.", show_default=False)] = None,
    metadata: MetadataOpt = None,
    codebook: Annotated[Optional[Path], typer.Option(
        "--codebook", "-c", help="The codebook. Default: the one recorded in manifest.json.",
        show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing --out file.")] = False,
    keep: KeepOpt = None,
    replace: ReplaceOpt = None,
) -> None:
    """Render report.html or report.md again from a results folder, without re-coding.

    Example: [bold]qualcode report results/demo --format md --out report.md[/bold]
    """
    from qualcode.errors import Errors, ResultsError, UsageError
    from qualcode.report.data import load_report

    if fmt not in ("html", "md"):
        raise UsageError(Errors.E430.format(found=repr(fmt), choices="html, md"))
    if out_file is not None and out_file.exists() and not force:
        raise ResultsError(Errors.E437, path=out_file)
    report, notes = load_report(results, codebook=codebook, corpus=corpus, metadata=metadata, quotes=quotes,
                                lang=lang, keep=keep, replace=replace)
    for note in notes:
        warn(note)
    if fmt == "html":
        from qualcode.report.html import render_html

        text = render_html(report)
    else:
        from qualcode.report.markdown import render_markdown

        text = render_markdown(report)
    if out_file is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    _write_file(out_file, text)
    err().print(Text(f"wrote {out_file}"))


def _write_file(path: Path, text: str) -> None:
    """Write through a temporary sibling, renamed into place: the file is whole or absent."""
    from qualcode.base.atomic import write_file_atomic
    from qualcode.errors import Errors, ResultsError

    try:
        write_file_atomic(path, text)
    except OSError as exc:
        raise ResultsError(Errors.E438.format(path=path, reason=exc.strerror or exc)) from None

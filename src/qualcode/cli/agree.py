"""`qualcode agree`: agreement with human coders, or between human coders."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.text import Text

from qualcode.cli.options import (
    ByOpt,
    CacheDirOpt,
    CodebookOpt,
    CorpusArg,
    InterviewerOpt,
    MetadataOpt,
    NoCacheOpt,
    PipelineOpt,
    QuietOpt,
    UnitOpt,
    WorkersOpt,
    cache_choice,
    progress,
)
from qualcode.cli.output import err, handle_errors, json_text, narrow_out, warn

if TYPE_CHECKING:
    import pandas as pd

from qualcode.defaults import CASE_ATTRIBUTE, PIPELINE, RESAMPLES, SEED, UNIT


def check_table(path: Path, inputs: list[tuple[str, Path | None]]) -> None:
    """Before the work: the --csv file may be written (never an input; it replaces only such a table)."""
    from qualcode.base.guard import ROWS, guard_output

    for note in guard_output(path, ROWS, force=True, inputs=inputs):
        warn(note)


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """A table of rows (disagreements, drift) as a CSV file, replaced if it exists (`check_table` first)."""
    from qualcode.base.atomic import write_file
    from qualcode.results.frames import frame_to_csv

    write_file(path, frame_to_csv(frame), force=True)
    err().print(Text(f"wrote {len(frame)} row(s) to {path}"))


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return list(json.loads(frame.to_json(orient="records", force_ascii=False)))


@handle_errors
def agree_command(
    corpus: CorpusArg,
    human: Annotated[list[Path], typer.Option(
        "--human", "-H", exists=True, dir_okay=False,
        help="A human coding CSV (segment, code, coder); repeat for several files.")],
    codebook: CodebookOpt = None,
    coder: Annotated[list[str] | None, typer.Option(
        "--coder", help="Only this coder of the human coding; repeat to compare coders.")] = None,
    unit: UnitOpt = UNIT,
    by: ByOpt = CASE_ATTRIBUTE,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    show_disagreements: Annotated[bool, typer.Option(
        "--disagreements", help="List the segments where the sides differ, code by code.")] = False,
    csv_file: Annotated[Path | None, typer.Option(
        "--csv", help="Write the disagreements to this CSV file.")] = None,
    whole_corpus: Annotated[bool, typer.Option(
        "--whole-corpus",
        help="Compare on every interview of CORPUS, not only those the humans coded.")] = False,
    resamples: Annotated[int, typer.Option(
        "--resamples", min=0, max=100000,
        help="Bootstrap resamples for alpha's interval (0: none).")] = RESAMPLES,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the bootstrap.")] = SEED,
    pipeline: PipelineOpt = PIPELINE,
    workers: WorkersOpt = 1,
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
    metadata: MetadataOpt = None,
    include_interviewer: InterviewerOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Agreement of qualcode with a human coding, or of human coders with one another.

    One human coder is compared with qualcode; two or more (two files, or
    [bold]--coder a --coder b[/bold]) with one another. Each code is a
    presence/absence decision on every segment of the interviews the humans
    coded; segments nobody coded are agreed absences.

    Example: [bold]qualcode agree sample_data/cep_study --human sample_data/human_coding.csv --coder coder_a[/bold]
    """
    from qualcode.cli.views.agreement import agreement_table, disagreements_view
    from qualcode.workflows.agree import agree
    from qualcode.workflows.code import CodingOptions

    options = CodingOptions(unit=unit, by=by, pipeline=pipeline, include_interviewer=include_interviewer,
                            workers=workers, cache_dir=cache_choice(no_cache, cache_dir))
    if csv_file is not None:
        check_table(csv_file, [("corpus", corpus), *(("human coding", h) for h in human),
                               ("codebook", codebook), ("metadata table", metadata)])
    with progress(quiet) as stage:
        done = agree(corpus, human, codebook, options=options, metadata=metadata, coders=coder,
                     whole_corpus=whole_corpus, resamples=resamples, seed=seed,
                     with_disagreements=show_disagreements or csv_file is not None,
                     on_progress=stage("coding", "turns") if stage else None, on_warning=warn)
    rows = done.disagreements
    if csv_file is not None and rows is not None:
        write_table(rows, csv_file)
    if as_json:
        data = done.agreement.to_dict()
        if show_disagreements and rows is not None:
            data["disagreements"] = _records(rows)
        sys.stdout.write(json_text(data))
        return
    screen = narrow_out()
    screen.print(agreement_table(done.agreement))
    if show_disagreements and rows is not None:
        screen.print()
        screen.print(disagreements_view(rows, done.run.codings.unit))

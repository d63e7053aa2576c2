"""`qualcode diff`: what an edit of the codebook changes, segments gained and lost per code."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from qualcode.cli.agree import check_table, write_table
from qualcode.cli.options import (
    ByOpt,
    CacheDirOpt,
    CorpusArg,
    InterviewerOpt,
    MetadataOpt,
    NoCacheOpt,
    PipelineOpt,
    QuietOpt,
    UnitOpt,
    cache_choice,
    progress,
)
from qualcode.cli.output import handle_errors, json_text, narrow_out
from qualcode.defaults import CASE_ATTRIBUTE, PIPELINE, UNIT


@handle_errors
def diff_command(
    corpus: CorpusArg,
    codebooks: Annotated[list[Path], typer.Option(
        "--codebook", "-c", help="The old codebook, then the new one: give it twice.")],
    unit: UnitOpt = UNIT,
    by: ByOpt = CASE_ATTRIBUTE,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    csv_file: Annotated[Path | None, typer.Option(
        "--csv", help="Write the segments gained and lost to this CSV file.")] = None,
    summary_only: Annotated[bool, typer.Option(
        "--summary", help="Only the table per code, not the segments.")] = False,
    pipeline: PipelineOpt = PIPELINE,
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
    metadata: MetadataOpt = None,
    include_interviewer: InterviewerOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Coding drift between two versions of a codebook: segments gained and lost per code.

    Example: [bold]qualcode diff sample_data/cep_study -c old.yaml -c codebook.yaml[/bold]
    """
    from qualcode.cli.views.agreement import drift_table, drift_view
    from qualcode.workflows.agree import diff
    from qualcode.workflows.code import CodingOptions

    options = CodingOptions(unit=unit, by=by, pipeline=pipeline, include_interviewer=include_interviewer,
                            cache_dir=cache_choice(no_cache, cache_dir))
    if csv_file is not None:
        check_table(csv_file, [("corpus", corpus), *(("codebook", c) for c in codebooks), ("metadata table", metadata)])
    with progress(quiet) as stage:
        drift = diff(corpus, codebooks, options=options, metadata=metadata, stage=stage)
    if csv_file is not None:
        write_table(drift.changes, csv_file)
    if as_json:
        sys.stdout.write(json_text(drift.to_dict()))
        return
    screen = narrow_out()
    screen.print(drift_table(drift))
    if not summary_only:
        screen.print(drift_view(drift))

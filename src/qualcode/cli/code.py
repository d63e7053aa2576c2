"""`qualcode code`: code every respondent segment of a corpus, and write the results folder."""

from __future__ import annotations

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
    MetadataOpt,
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
    progress,
)
from qualcode.cli.output import err, handle_errors, out, warn
from qualcode.defaults import CASE_ATTRIBUTE, PIPELINE, UNIT


@handle_errors
def code_command(
    corpus: CorpusArg,
    out_dir: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write segments.csv, codings.csv, evidence.csv and manifest.json here.")] = None,
    codebook: CodebookOpt = None,
    unit: UnitOpt = UNIT,
    by: ByOpt = CASE_ATTRIBUTE,
    pipeline: PipelineOpt = PIPELINE,
    workers: WorkersOpt = 1,
    scheduler: SchedulerOpt = None,
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
    metadata: MetadataOpt = None,
    include_interviewer: InterviewerOpt = False,
    force: ForceFolderOpt = False,
    model: ModelOpt = None,
    force_model: ForceModelOpt = False,
    quiet: QuietOpt = False,
    read_as: ReadAsOpt = None,
    strict: StrictOpt = False,
) -> None:
    """Code every respondent segment of CORPUS with a codebook.

    Example: [bold]qualcode code sample_data/cep_study --out results/coding[/bold]
    """
    from qualcode.base.atomic import write_folder
    from qualcode.cli.views.coding import coding_summary
    from qualcode.results.folder import check_output_folder
    from qualcode.workflows.code import CodingOptions, code

    if out_dir is not None:
        for note in check_output_folder(out_dir, force=force, corpus=corpus,
                                        inputs=[("codebook", codebook), ("metadata table", metadata),
                                                ("model", model)]):
            warn(note)
    options = CodingOptions(unit=unit, by=by, pipeline=pipeline, include_interviewer=include_interviewer,
                            workers=workers, cache_dir=cache_choice(no_cache, cache_dir), read_as=read_as,
                            strict=strict, model=model, force_model=force_model, scheduler=scheduler)
    with progress(quiet) as stage:
        run = code(corpus, codebook, options=options, metadata=metadata, on_warning=warn,
                   on_progress=stage("coding", "turns") if stage else None)
    out().print(coding_summary(run.codings, run.codebook))
    if out_dir is not None:
        from qualcode.results.memos import keep_memos

        files = run.files()
        write_folder(out_dir, keep_memos(out_dir, files), force=force)  # the researcher's memos.md stays
        err().print(Text(f"wrote {', '.join(sorted(files))} to {out_dir}"))

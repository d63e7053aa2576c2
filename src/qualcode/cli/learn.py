"""`qualcode learn` and `qualcode suggest`: learn from the researcher's own coding."""

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
from qualcode.cli.output import err, handle_errors, narrow_out, out, warn
from qualcode.defaults import CASE_ATTRIBUTE, PIPELINE, UNIT

HumanOpt = Annotated[list[Path], typer.Option(
    "--human", "-H", exists=True, dir_okay=False,
    help="A human coding CSV: segment,code,coder (themes), segment,actor,coder (actors), or a filled-in "
         "--next sheet; repeat for several files.")]
CoderOpt = Annotated[str | None, typer.Option(
    "--coder", help="Learn from this coder, when the files hold several.", show_default=False)]


@handle_errors
def learn_command(
    corpus: CorpusArg,
    human: HumanOpt,
    out_dir: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write the model folder here (manifest.json, vocabulary.json, weights.npz, "
                            "human.json).", show_default=False)] = None,
    codebook: CodebookOpt = None,
    coder: CoderOpt = None,
    next_n: Annotated[int, typer.Option(
        "--next", min=0, max=10000, help="Also list the N uncoded segments to code next (most uncertain, "
                                         "spread over codes and cases).")] = 0,
    next_csv: Annotated[Path | None, typer.Option(
        "--next-csv", dir_okay=False, help="Write the --next sheet, ready to fill in, to this CSV "
                                           "(default: next.csv beside --out).", show_default=False)] = None,
    folds: Annotated[int, typer.Option("--folds", min=2, max=20,
                                       help="Folds of the cross-validation, grouped by interview.")] = 5,
    no_examples: Annotated[bool, typer.Option(
        "--no-examples", help="Do not learn from the codebook's examples and counter-examples.")] = False,
    prior: Annotated[Path | None, typer.Option(
        "--prior", exists=True, help="Another corpus coded by hand with the same codebook: its coding trains "
                                     "the model too (never scored).", show_default=False)] = None,
    prior_human: Annotated[list[Path] | None, typer.Option(
        "--prior-human", exists=True, dir_okay=False, help="The human coding of --prior; repeat for several "
                                                           "files.", show_default=False)] = None,
    prior_coder: Annotated[str | None, typer.Option(
        "--prior-coder", help="The coder to learn from in --prior-human, when they hold several.",
        show_default=False)] = None,
    unit: UnitOpt = UNIT,
    by: ByOpt = CASE_ATTRIBUTE,
    pipeline: PipelineOpt = PIPELINE,
    workers: WorkersOpt = 1,
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
    metadata: MetadataOpt = None,
    include_interviewer: InterviewerOpt = False,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing --out folder or --next-csv file.")]
        = False,
    quiet: QuietOpt = False,
) -> None:
    """Train a coder on the human coding of part of CORPUS: one classifier per theme and actor.

    Prints the grouped cross-validation figures per code (the model's own,
    honest estimate); writes the model folder that [bold]qualcode code
    --model[/bold] and [bold]qualcode analyze --model[/bold] use.

    Example: [bold]qualcode learn sample_data/cep_study --human sample_data/human_coding.csv --coder coder_a --out models/cep[/bold]
    """
    from qualcode.base.atomic import write_file, write_folder
    from qualcode.base.guard import MODEL, NEXT, guard_output
    from qualcode.cli.views.learning import model_table
    from qualcode.errors import Errors, UsageError
    from qualcode.results.frames import frame_to_csv
    from qualcode.workflows.code import CodingOptions
    from qualcode.workflows.learn import PriorStudy, learn

    if next_n and next_csv is None and out_dir is not None:
        next_csv = out_dir.parent / f"{out_dir.name}-next.csv"
    if (prior is None) != (not prior_human):
        raise UsageError(Errors.E901.format(message="give --prior DIR and --prior-human FILE together"))
    if out_dir is None and not next_n:
        raise UsageError(Errors.E901.format(message="give --out DIR for the model, or --next N for the segments "
                                                    "to code next"))
    inputs = [("corpus", corpus), ("codebook", codebook), ("metadata table", metadata),
              *(("human coding", h) for h in human), ("prior corpus", prior),
              *(("prior human coding", h) for h in prior_human or [])]
    if out_dir is not None:
        for note in guard_output(out_dir, MODEL, force=force, inputs=inputs):
            warn(note)
    if next_csv is not None:
        for note in guard_output(next_csv, NEXT, force=force, inputs=inputs):
            warn(note)
    options = CodingOptions(unit=unit, by=by, pipeline=pipeline, include_interviewer=include_interviewer,
                            workers=workers, cache_dir=cache_choice(no_cache, cache_dir))
    with progress(quiet) as stage:
        studies = [PriorStudy(prior, prior_human or [], prior_coder)] if prior is not None else []
        run = learn(corpus, human, codebook, options=options, coder=coder, next_n=next_n, folds=folds,
                    examples=not no_examples, metadata=metadata, prior=studies, stage=stage, on_warning=warn)
    narrow_out(120).print(model_table(run.model, run.seconds))
    if out_dir is not None:
        files = run.files()
        write_folder(out_dir, files, force=force)
        err().print(Text(f"wrote {', '.join(sorted(files))} to {out_dir}"))
    if run.next is not None:
        if next_csv is not None:
            write_file(next_csv, frame_to_csv(run.next), force=force)
            err().print(Text(f"wrote the {len(run.next)} segment(s) to code next to {next_csv}: fill in "
                             "`code` (several separated by ;), leave it empty when none applies, then "
                             "pass the file to --human"))
        else:
            out().print(Text(frame_to_csv(run.next)))


@handle_errors
def suggest_command(
    corpus: CorpusArg,
    human: HumanOpt,
    codebook: CodebookOpt = None,
    coder: CoderOpt = None,
    out_file: Annotated[Path | None, typer.Option(
        "--out", "-o", dir_okay=False, help="Write the edited codebook here (then: qualcode diff CORPUS "
                                            "--codebook OLD --codebook NEW).", show_default=False)] = None,
    diff_file: Annotated[Path | None, typer.Option(
        "--diff", dir_okay=False, help="Write the edit as a unified diff (patch -p1 applies it).",
        show_default=False)] = None,
    unit: UnitOpt = UNIT,
    by: ByOpt = CASE_ATTRIBUTE,
    pipeline: PipelineOpt = PIPELINE,
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
    metadata: MetadataOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing --out or --diff file.")] = False,
    quiet: QuietOpt = False,
) -> None:
    """Suggest codebook edits from a human coding: phrases the human's themes share and the codebook lacks, patterns that fire where the human said no.

    Prints the suggestions and the codebook diff; nothing changes until you
    apply it. Measure it first with [bold]qualcode diff[/bold].

    Example: [bold]qualcode suggest sample_data/cep_study --human sample_data/human_coding.csv --coder coder_a --out codebook-new.yaml[/bold]
    """
    from qualcode.base.atomic import write_file
    from qualcode.base.guard import DIFF, SUGGESTED, guard_output
    from qualcode.cli.views.learning import suggestions_table
    from qualcode.workflows.code import CodingOptions
    from qualcode.workflows.learn import suggest

    inputs = [("corpus", corpus), ("codebook", codebook), ("metadata table", metadata),
              *(("human coding", h) for h in human)]
    for target, kind in ((out_file, SUGGESTED), (diff_file, DIFF)):
        if target is not None:
            for note in guard_output(target, kind, force=force, inputs=inputs):
                warn(note)
    options = CodingOptions(unit=unit, by=by, pipeline=pipeline, cache_dir=cache_choice(no_cache, cache_dir))
    with progress(quiet) as stage:
        run = suggest(corpus, human, codebook, options=options, coder=coder, metadata=metadata, stage=stage,
                      on_warning=warn)
    screen = narrow_out(120)
    screen.print(suggestions_table(run.suggestions.table))
    patch = run.suggestions.diff()
    if patch:
        out().print(Text(patch))
    if out_file is not None and run.suggestions.edited:
        write_file(out_file, run.suggestions.edited, force=force)
        err().print(Text(f"wrote the edited codebook to {out_file}"))
    if diff_file is not None:
        write_file(diff_file, patch, force=force)
        err().print(Text(f"wrote the diff to {diff_file}"))

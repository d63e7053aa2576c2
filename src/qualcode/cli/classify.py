"""`qualcode classify`: case matrix and configurations from a results folder."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from qualcode.cli.options import (
    MarginOpt,
    MeasureOpt,
    MetadataOpt,
    MinInterviewsOpt,
    MinScoreOpt,
    RecordedCodebookOpt,
    ResultsArg,
)
from qualcode.cli.output import err, handle_errors, out, warn


@handle_errors
def classify_command(
    results: ResultsArg,
    codebook: RecordedCodebookOpt = None,
    by: Annotated[str | None, typer.Option(
        "--by", help="Metadata attribute that defines a case. Default: the one used when coding; "
                     "another one re-reads the corpus' metadata (not its codings).",
        show_default=False)] = None,
    corpus: Annotated[Path | None, typer.Option(
        "--corpus", help="The corpus that was coded, to read --by from. Default: the path in "
                         "manifest.json.", show_default=False)] = None,
    metadata: MetadataOpt = None,
    min_interviews: MinInterviewsOpt = None,
    margin: MarginOpt = None,
    min_score: MinScoreOpt = None,
    measure: MeasureOpt = None,
    out_dir: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write the files here instead of into RESULTS.", show_default=False)] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace an existing --out folder that qualcode wrote (never one holding an input).")] = False,
) -> None:
    """Classify each case into one of the codebook's configurations.

    Writes case_matrix.csv, classification.csv and classification.json into
    RESULTS (replacing a previous classification; the other files are kept),
    or into --out. A case is 'insufficient' with too few interviews and
    'indeterminate' when no configuration clearly leads: it is never forced.

    Example: [bold]qualcode classify results/coding --min-interviews 3[/bold]
    """
    from qualcode.cli.views.classification import render_classification
    from qualcode.workflows.classify import classify_folder, write_classification

    done = classify_folder(results, codebook=codebook, by=by, corpus=corpus, metadata=metadata,
                           measure=measure, min_interviews=min_interviews, margin=margin,
                           min_score=min_score)
    for message in done.warnings:
        warn(message)
    out().print(render_classification(done.classification, plain=not sys.stdout.isatty()))
    shown = len(done.warnings)
    folder, names = write_classification(done, out_dir, force=force)
    for message in done.warnings[shown:]:  # what the output guard found (a run killed before)
        warn(message)
    err().print(Text(f"wrote {', '.join(names)} to {folder}"))

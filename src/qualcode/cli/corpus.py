"""`qualcode corpus`: list the interviews of a corpus, their metadata, turns and warnings."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from qualcode.cli.options import ReadAsOpt
from qualcode.cli.output import handle_errors, json_text, note, out, warn


@handle_errors
def corpus_command(
    path: Annotated[Path, typer.Argument(help="A folder of transcripts (read recursively) or one "
                                              "transcript file.", show_default=False)],
    metadata: Annotated[Path | None, typer.Option(
        "--metadata", "-m", help="A metadata table (.csv or .xlsx) joined on its 'file' or 'id' column; "
                                 "a study's table serves a subfolder or one file (its other rows are "
                                 "ignored).", show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array, one object per "
                                                         "interview.")] = False,
    turns: Annotated[bool, typer.Option("--turns", help="Show every turn (with --json: 'turns' "
                                                        "becomes a list of turns).")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on any warning.")] = False,
    read_as: ReadAsOpt = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List the metadata rows ignored "
                                                                  "(files not in this run).")] = False,
    require: Annotated[list[str] | None, typer.Option(
        "--require", metavar="ATTR", help="An attribute every interview must have (repeat the "
                                          "option, or separate with commas).",
        show_default=False)] = None,
) -> None:
    """List the interviews of a corpus: metadata, turns, respondent words and warnings.

    Reads .txt, .md, .docx, .odt, .vtt and .srt transcripts, their YAML front
    matter and any metadata.csv / metadata.xlsx table in the corpus folders.

    Example: qualcode corpus sample_data/cep_study --require area --json
    """
    from qualcode.cli.views.corpus import corpus_view
    from qualcode.corpus import read_corpus
    from qualcode.corpus.records import corpus_records

    required = [name.strip() for item in (require or []) for name in item.split(",") if name.strip()]
    corpus = read_corpus(path, metadata, required=required, strict=strict, read_as=read_as)
    for message in corpus.warnings:
        warn(message)
    if verbose:
        for row in corpus.ignored_rows:
            note(f"{row}: not in this run, ignored")
    if as_json:
        sys.stdout.write(json_text(corpus_records(corpus, turns=turns)))
        return
    out().print(corpus_view(corpus, turns=turns))

"""`qualcode words`: the respondents' lemmas by group, their keyness, and keywords in context."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from qualcode.cli.options import CorpusOpt, MetadataOpt, RecordedCodebookOpt, WhereOpt
from qualcode.cli.output import echo_data, handle_errors, json_text, out, warn


@handle_errors
def words_command(
    source: Annotated[Path, typer.Argument(help="A results folder (its coding's pipeline) or a corpus.",
                                           metavar="RESULTS|CORPUS", show_default=False)],
    by: Annotated[str | None, typer.Option(
        "--by", help="The groups compared: any attribute (area, region, provider, configuration...). "
                     "Default: configuration when classified, else case.", show_default=False)] = None,
    where: WhereOpt = None,
    frequencies: Annotated[bool, typer.Option("--frequencies", help="Lemma counts per group instead of "
                                                                    "keyness.")] = False,
    kwic_phrase: Annotated[str | None, typer.Option(
        "--kwic", help="Every place this lemma or phrase occurs, read as a codebook phrase is.",
        metavar="PHRASE", show_default=False)] = None,
    top: Annotated[int, typer.Option("--top", min=1, help="Lemmas shown per group (terminal only).")] = 15,
    minimum: Annotated[int, typer.Option("--min-count", min=1, help="Keyness: lemmas seen at least this "
                                                                    "often.")] = 3,
    csv: Annotated[bool, typer.Option("--csv", help="Print the whole table as CSV.")] = False,
    json: Annotated[bool, typer.Option("--json", help="Print the whole table as JSON.")] = False,
    corpus: CorpusOpt = None,
    metadata: MetadataOpt = None,
    codebook: RecordedCodebookOpt = None,
) -> None:
    """The respondents' words: lemma frequencies and keyness (G², log ratio) by group, and KWIC.

    Lemmas no pattern of the codebook covers are marked: candidates for patterns.
    Examples: [bold]qualcode words results/demo --by configuration[/bold];
    [bold]qualcode words sample_data/cep_study --by region --frequencies[/bold];
    [bold]qualcode words results/demo --kwic "fiche de liaison"[/bold]
    """
    from qualcode.workflows.words import keywords_in_context, open_source, word_counts

    src = open_source(source, by=by, where=where or (), corpus=corpus, metadata=metadata, codebook=codebook)
    for message in src.bench.warnings:
        warn(message)
    if kwic_phrase is not None:
        table = keywords_in_context(src, kwic_phrase)
        if table.empty:
            from qualcode.errors import Errors

            warn(Errors.W463.format(phrase=kwic_phrase))
    else:
        counted = word_counts(src)
        table = counted.frequencies() if frequencies else counted.keyness(minimum=minimum)
    if csv or json:
        from qualcode.results.frames import frame_to_csv, json_ready

        echo_data(frame_to_csv(table) if csv else json_text(json_ready(table.to_dict("records"))))
        return
    from qualcode.cli.views.workbench import words_view

    out().print(words_view(table, src.by, top=top, kind="kwic" if kwic_phrase is not None else
                           "frequencies" if frequencies else "keyness", plain=not sys.stdout.isatty()))

"""`qualcode code` and `qualcode segments`: code a corpus, review the codings in context."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from qualcode.cli._util import app, cell, echo_data, err, handle_errors, is_terminal, out, safe_text, warn

CorpusArg = Annotated[Path, typer.Argument(help="A folder of transcripts (read recursively) or one file.")]
CodebookOpt = Annotated[Optional[Path], typer.Option(
    "--codebook", "-c", help="The codebook YAML. Default: the bundled CEP codebook.")]
UnitOpt = Annotated[str, typer.Option("--unit", "-u", help="Coding unit: turn, paragraph or sentence.")]
ByOpt = Annotated[str, typer.Option("--by", help="Metadata attribute that defines a case.")]
PipelineOpt = Annotated[str, typer.Option(
    "--pipeline", help="French pipeline: accurate (fr_core_news_sm) or fast (lookup lemmas).")]
WorkersOpt = Annotated[int, typer.Option("--workers", "-j", min=1, max=16,
                                         help="Processes that parse in parallel.")]
CacheDirOpt = Annotated[Optional[Path], typer.Option(
    "--cache-dir", help="Cache folder for parsed documents. Default: ~/.cache/qualcode.")]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache.")]
MetadataOpt = Annotated[Optional[Path], typer.Option(
    "--metadata", "-m", help="A metadata table (.csv or .xlsx) for the whole corpus.")]
InterviewerOpt = Annotated[bool, typer.Option(
    "--include-interviewer", help="Code the interviewer's turns too.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]


def progress_reporter(quiet: bool):
    """A rich progress bar on standard error, or nothing when quiet or not a terminal."""
    if quiet or not is_terminal():
        return None, None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(TextColumn("coding"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("turns"), TimeElapsedColumn(), console=err(), transient=True)
    task = progress.add_task("coding", total=None)

    def update(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total)

    return progress, update


def run_coding(corpus_path: Path, codebook: Optional[Path], unit: str, by: str, pipeline: str,
               workers: int, cache_dir: Optional[Path], no_cache: bool, metadata: Optional[Path],
               include_interviewer: bool, quiet: bool, show_warnings: bool = False):
    """Read, load and code: the steps `code` and `analyze` share.

    `show_warnings`: print the reader's warnings (skipped files, encodings...) on
    standard error before coding, so that nothing is left out silently.
    """
    from qualcode.codebook import load_codebook
    from qualcode.coding.engine import code_corpus
    from qualcode.corpus import read_corpus

    corpus = read_corpus(corpus_path, metadata, required=(by,))
    if show_warnings:
        for message in corpus.warnings:
            warn(message)
    book = load_codebook(codebook)
    progress, update = progress_reporter(quiet)
    cache: Path | bool = False if no_cache else (cache_dir or True)
    if progress is not None:
        with progress:
            codings = code_corpus(corpus, book, unit, by=by, include_interviewer=include_interviewer,
                                  pipeline=pipeline, cache_dir=cache, workers=workers,
                                  on_progress=update)
    else:
        codings = code_corpus(corpus, book, unit, by=by, include_interviewer=include_interviewer,
                              pipeline=pipeline, cache_dir=cache, workers=workers)
    return corpus, book, codings


@app.command("code")
@handle_errors
def code_command(
    corpus: CorpusArg,
    out_dir: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write segments.csv, codings.csv, evidence.csv and manifest.json here.")] = None,
    codebook: CodebookOpt = None,
    unit: UnitOpt = "turn",
    by: ByOpt = "area",
    pipeline: PipelineOpt = "accurate",
    workers: WorkersOpt = 1,
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
    metadata: MetadataOpt = None,
    include_interviewer: InterviewerOpt = False,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing --out folder.")] = False,
    quiet: QuietOpt = False,
) -> None:
    """Code every respondent segment of CORPUS with a codebook.

    Example: [bold]qualcode code sample_data/cep_study --out results/coding[/bold]
    """
    from qualcode.results.manifest import coding_files
    from qualcode.results.folder import check_output_folder, write_folder

    if out_dir is not None:
        check_output_folder(out_dir, force=force, corpus=corpus)
    options = {"unit": unit, "by": by, "pipeline": pipeline,
               "include_interviewer": include_interviewer}
    corpus_obj, book, codings = run_coding(corpus, codebook, unit, by, pipeline, workers, cache_dir,
                                           no_cache, metadata, include_interviewer, quiet,
                                           show_warnings=True)
    out().print(_summary(codings, book))
    if out_dir is not None:
        files = coding_files(corpus_obj, book, codings, options, corpus_arg=str(corpus))
        write_folder(out_dir, files, force=force)
        err().print(Text(f"wrote {', '.join(sorted(files))} to {out_dir}"))


def _summary(codings, book) -> Table:
    """Segments per code: a first look before opening the CSV files."""
    segs = codings.segments
    table = Table(title=cell(f"{len(segs)} {codings.unit} segments coded with {book.name} {book.version}"),
                  title_justify="left")
    table.add_column("code")
    table.add_column("kind")
    table.add_column("segments", justify="right")
    table.add_column("negated", justify="right")
    table.add_column("past", justify="right")
    rows = codings.codings
    applied = codings.applied("theme")
    actors = codings.applied("actor")
    for kind, items, counted in (("theme", book.codes, applied), ("actor", book.actors, actors)):
        for item in items:
            n = int((counted["code"] == item.id).sum())
            mine = rows[rows["code"] == item.id]
            table.add_row(cell(item.id), kind, str(n), str(int((mine["status"] == "negated").sum())),
                          str(int((mine["status"] == "historical").sum())))
    return table


@app.command("segments")
@handle_errors
def segments_command(
    results: Annotated[Path, typer.Argument(help="A folder written by `qualcode code --out`.")],
    code: Annotated[Optional[str], typer.Option("--code", help="Only segments with this theme.")] = None,
    case: Annotated[Optional[str], typer.Option("--case", help="Only segments of this case.")] = None,
    actor: Annotated[Optional[str], typer.Option("--actor", help="Only segments that mention this provider.")] = None,
    negated: Annotated[bool, typer.Option("--negated", help="Only negated or past mentions.")] = False,
    csv: Annotated[bool, typer.Option("--csv", help="Print CSV for scripts instead of the KWIC view.")] = False,
    width: Annotated[int, typer.Option("--width", help="Characters of context on each side.")] = 60,
) -> None:
    """Show coded segments in context, the evidence highlighted (a KWIC view).

    Example: [bold]qualcode segments results/coding --code shared_tools --case brevanne[/bold]
    """
    from qualcode.results.kwic import select_evidence

    rows = select_evidence(results, code=code, case=case, actor=actor, negated=negated)
    if csv:
        from qualcode.results.folder import frame_to_csv

        echo_data(frame_to_csv(rows))
        return
    console = out()
    if rows.empty:
        err().print("no segment matches these filters")
        return
    for record in rows.itertuples(index=False):
        line = Text()
        line.append(safe_text(f"{record.segment_id}  "), style="bold")
        line.append(safe_text(f"{record.code} "), style="cyan")
        if record.status != "present":
            line.append(safe_text(f"[{record.status}: {record.negation_cue}] "), style="yellow")
        console.print(line)
        left, hit, right = record.left[-width:], record.matched_text, record.right[:width]
        kwic = cell("    …" + left.replace("\n", " "))
        kwic.append(safe_text(hit), style="reverse")
        kwic.append(safe_text(right.replace("\n", " ") + "…"))
        console.print(kwic)

"""`qualcode anonymise`: pseudonymise a corpus before it is shared."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from qualcode.cli._util import app, err, handle_errors, is_terminal, out, warn

_PATH = dict(show_default=False)


def _progress(quiet: bool):
    """A progress bar on standard error while the pipelines read the corpus (terminals only)."""
    if quiet or not is_terminal():
        return None, None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(TextColumn("finding names"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("paragraphs"), TimeElapsedColumn(), console=err(), transient=True)
    task = progress.add_task("names", total=None)

    def update(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total)

    return progress, update


def _review_table(rows) -> Table:
    table = Table(title=f"{len(rows)} name spellings would be replaced (dry run: nothing written)",
                  title_justify="left", show_lines=False)
    table.add_column("pseudonym", no_wrap=True)
    table.add_column("category")
    table.add_column("original")
    table.add_column("n", justify="right")
    table.add_column("first occurrence")
    for r in rows:
        where = Text(r.file + "\n", style="dim") + Text(r.context)
        table.add_row(r.pseudonym, r.category, r.original, str(r.occurrences), where)
    return table


def _summary_table(result) -> Table:
    """Names and replacements per category: no original name is printed."""
    from qualcode.anonymise import CATEGORIES

    table = Table(title=f"{len(result.files)} files written to {result.out}", title_justify="left")
    table.add_column("category")
    table.add_column("names", justify="right")
    table.add_column("replacements", justify="right")
    for category in CATEGORIES:
        rows = [r for r in result.rows if r.category == category]
        table.add_row(category, str(len({r.pseudonym for r in rows})), str(sum(r.occurrences for r in rows)))
    return table


@handle_errors
def anonymise_command(
    corpus: Annotated[Path, typer.Argument(help="A folder of transcripts (read recursively) or one file; "
                                                "with --restore, an anonymised copy.")],
    out_dir: Annotated[Optional[Path], typer.Option(
        "--out", "-o", help="Folder for the anonymised copy (written atomically).", **_PATH)] = None,
    map_file: Annotated[Optional[Path], typer.Option(
        "--map", help="Write the pseudonym -> name map (CSV) here, outside --out. Without it the "
                      "copy cannot be traced back.", **_PATH)] = None,
    keep: Annotated[Optional[Path], typer.Option(
        "--keep", help="Names never to replace, one per line.", **_PATH)] = None,
    replace: Annotated[Optional[Path], typer.Option(
        "--replace", help="Names always to replace, one per line, optionally `name<TAB>PERSON|PLACE|ORG`.",
        **_PATH)] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="List what would be replaced, with its first context; write nothing.")] = False,
    csv: Annotated[bool, typer.Option("--csv", help="With --dry-run: print CSV for scripts.")] = False,
    metadata: Annotated[Optional[Path], typer.Option(
        "--metadata", "-m", help="A metadata table (.csv or .xlsx) for the whole corpus.", **_PATH)] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing --out folder and --map file.")] = False,
    restore: Annotated[Optional[Path], typer.Option(
        "--restore", help="Put the names of this map back into the anonymised copy CORPUS, "
                          "written to --out.", **_PATH)] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Write a copy of CORPUS with person names, places and organisations replaced by pseudonyms.

    Names are found with spaCy's French NER and rules (English: rules only), and
    replaced consistently in every file, speaker label and free-text metadata:
    [PERSON 3], [PLACE 1], [ORG 2]. Providers and national bodies are kept.
    Review the result before sharing it: automatic detection misses names.

    Example: [bold]qualcode anonymise interviews/ --dry-run[/bold]

    Example: [bold]qualcode anonymise interviews/ --out shared/ --map private/map.csv[/bold]
    """
    from qualcode.anonymise import (
        Anonymiser, AnonymiseError, anonymise_corpus, check_paths, read_keep_list, read_replace_list,
        restore_folder, review, review_csv,
    )
    from qualcode.corpus import read_corpus
    from qualcode.errors import Errors, UsageError

    if restore is not None:
        if out_dir is None:
            raise UsageError(Errors.E901.format(message="--restore MAP needs --out DIR for the restored copy"))
        check_paths(corpus if corpus.is_dir() else corpus.parent, out_dir, None, force)
        written = restore_folder(corpus, restore, out_dir, force=force)
        err().print(Text(f"restored the names of {restore} into {len(written)} files in {out_dir}; "
                         "this copy holds personal data again"))
        return
    if csv and not dry_run:
        raise UsageError(Errors.E901.format(message="--csv goes with --dry-run"))
    if out_dir is None and not dry_run:
        raise AnonymiseError(Errors.E714)

    keep_names = read_keep_list(keep) if keep is not None else []
    replace_names = read_replace_list(replace) if replace is not None else []
    corpus_obj = read_corpus(corpus, metadata)
    inside_ok = corpus.is_file()  # one file: a copy below its folder is not read with it
    if not dry_run:
        check_paths(corpus_obj.root, out_dir, map_file, force, inside_ok=inside_ok)
    progress, update = _progress(quiet)
    if progress is not None:
        with progress:
            anonymiser = Anonymiser.from_corpus(corpus_obj, keep=keep_names, replace=replace_names,
                                                on_progress=update)
    else:
        anonymiser = Anonymiser.from_corpus(corpus_obj, keep=keep_names, replace=replace_names)
    for message in anonymiser.warnings:
        warn(message)

    if dry_run:
        rows = review(corpus_obj, anonymiser)
        if csv:
            typer.echo(review_csv(rows), nl=False)
        else:
            out().print(_review_table(rows))
        n = sum(r.occurrences for r in rows)
        err().print(Text(f"dry run: {n} replacements of {len({r.pseudonym for r in rows})} names would be "
                         "made; nothing was written" + (", no map either" if map_file else "")))
        return

    assert out_dir is not None
    result = anonymise_corpus(corpus_obj, out_dir, anonymiser=anonymiser, map_path=map_file, force=force,
                              inside_ok=inside_ok)
    out().print(_summary_table(result))
    err().print(Text(f"wrote {len(result.files)} files to {result.out} "
                     f"({result.replacements} replacements of {len(result.rows)} name spellings)"))
    if result.map_path is not None:
        err().print(Text(f"map written to {result.map_path}: it re-identifies everyone; keep it private "
                         "and never share it with the copy"))
    else:
        err().print(Text("no --map given: no map was written, so the pseudonyms cannot be traced back "
                         "to the names (irreversible)"))
    err().print(Text("review the copy before sharing it: automatic detection misses names "
                     "(see docs/anonymisation.md)"))


app.command("anonymise")(anonymise_command)
app.command("anonymize", hidden=True)(anonymise_command)

"""`qualcode anonymise`: pseudonymise a corpus before it is shared."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from qualcode.cli.options import progress
from qualcode.cli.output import echo_data, err, handle_errors, out, warn

_PATH = {"show_default": False}


@handle_errors
def anonymise_command(
    corpus: Annotated[Path, typer.Argument(help="A folder of transcripts (read recursively) or one file; "
                                                "with --restore, an anonymised copy.")],
    out_dir: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Folder for the anonymised copy (written atomically).", **_PATH)] = None,
    map_file: Annotated[Path | None, typer.Option(
        "--map", help="Write the pseudonym -> name map (CSV) here, outside --out. Without it the "
                      "copy cannot be traced back.", **_PATH)] = None,
    keep: Annotated[Path | None, typer.Option(
        "--keep", help="Names never to replace, one per line.", **_PATH)] = None,
    replace: Annotated[Path | None, typer.Option(
        "--replace", help="Names always to replace, one per line, optionally `name<TAB>PERSON|PLACE|ORG`.",
        **_PATH)] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="List what would be replaced, with its first context; write nothing.")] = False,
    csv: Annotated[bool, typer.Option("--csv", help="With --dry-run: print CSV for scripts.")] = False,
    metadata: Annotated[Path | None, typer.Option(
        "--metadata", "-m", help="A metadata table (.csv or .xlsx) for the whole corpus.", **_PATH)] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace an existing --out copy and --map that qualcode wrote (never an input).")] = False,
    restore: Annotated[Path | None, typer.Option(
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
        AnonymiseError,
        Anonymiser,
        anonymise_corpus,
        check_paths,
        read_keep_list,
        read_replace_list,
        restore_folder,
        review,
        review_csv,
    )
    from qualcode.cli.views.anonymise import review_table, summary_table
    from qualcode.corpus import read_corpus
    from qualcode.errors import Errors, UsageError

    if restore is not None:
        if out_dir is None:
            raise UsageError(Errors.E901.format(message="--restore MAP needs --out DIR for the restored copy"))
        written = restore_folder(corpus, restore, out_dir, force=force, on_warning=warn)
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
    inputs = [("transcript" if inside_ok else "corpus", corpus), ("metadata table", metadata),
              ("name list", keep), ("name list", replace)]
    if not dry_run:
        for note in check_paths(corpus_obj.root, out_dir, map_file, force, inside_ok=inside_ok, inputs=inputs):
            warn(note)
    with progress(quiet) as stage:
        anonymiser = Anonymiser.from_corpus(corpus_obj, keep=keep_names, replace=replace_names,
                                            on_progress=stage("finding names", "paragraphs") if stage else None)
    for message in anonymiser.warnings:
        warn(message)

    if dry_run:
        rows = review(corpus_obj, anonymiser)
        if csv:
            echo_data(review_csv(rows))
        else:
            out().print(review_table(rows))
        n = sum(r.occurrences for r in rows)
        err().print(Text(f"dry run: {n} replacements of {len({r.pseudonym for r in rows})} names would be "
                         "made; nothing was written" + (", no map either" if map_file else "")))
        return

    assert out_dir is not None
    result = anonymise_corpus(corpus_obj, out_dir, anonymiser=anonymiser, map_path=map_file, force=force,
                              inside_ok=inside_ok, inputs=inputs)
    out().print(summary_table(result))
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



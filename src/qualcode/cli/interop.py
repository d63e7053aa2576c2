"""`qualcode export ...` and `qualcode import ...`: REFI-QDA, IRaMuTeQ and tables."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from qualcode.cli.output import err, handle_errors, out, warn

export_app = typer.Typer(
    help="Export results or a codebook for other programs: REFI-QDA (.qdpx, .qdc), IRaMuTeQ, tables.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)
import_app = typer.Typer(
    help="Import a REFI-QDA project (.qdpx) or codebook (.qdc) made by another program.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)

ResultsArg = Annotated[Path, typer.Argument(
    help="A results folder (segments.csv, codings.csv, evidence.csv, manifest.json).",
    metavar="RESULTS", show_default=False)]
CorpusOpt = Annotated[Path | None, typer.Option(
    "--corpus", help="The corpus that was coded. Default: the path in manifest.json (relative to "
                     "the current folder).", show_default=False)]
MetadataOpt = Annotated[Path | None, typer.Option(
    "--metadata", "-m", help="The metadata table (.csv or .xlsx) given when coding, if any.",
    show_default=False)]
CodebookOpt = Annotated[Path | None, typer.Option(
    "--codebook", "-c", help="The codebook used for coding. Default: the one recorded in "
                             "manifest.json, else the bundled one.", show_default=False)]
ForceOpt = Annotated[bool, typer.Option(
    "--force", help="Replace an existing output that qualcode wrote (never an input).")]


OutQdpx = Annotated[Path, typer.Option("--out", "-o", help="The .qdpx file to write.", show_default=False)]
OutQdc = Annotated[Path, typer.Option("--out", "-o", help="The .qdc file to write.", show_default=False)]
OutIramuteq = Annotated[Path, typer.Option("--out", "-o", help="The IRaMuTeQ corpus (.txt) to write.",
                                           show_default=False)]
OutTable = Annotated[Path, typer.Option("--out", "-o", help="The table to write: .csv or .xlsx.",
                                        show_default=False)]
OutCorpus = Annotated[Path, typer.Option("--out", "-o", help="The corpus folder to write (transcripts "
                                         "and human_coding.csv).", show_default=False)]
OutCodebook = Annotated[Path, typer.Option("--out", "-o", help="The codebook YAML to write.",
                                           show_default=False)]


class Offsets(str, Enum):
    codepoints = "codepoints"
    utf16 = "utf16"


class Level(str, Enum):
    segment = "segment"
    interview = "interview"
    case = "case"


def _warnings(messages: Iterable[str]) -> None:
    for message in messages:
        warn(message)


@export_app.command("qdpx")
@handle_errors
def export_qdpx_cmd(
    results: Annotated[Path, typer.Argument(
        help="A results folder (segments.csv, codings.csv, evidence.csv, manifest.json), or a folder "
             "written by `qualcode import qdpx` (its texts and human codings).",
        metavar="RESULTS|IMPORTED", show_default=False)],
    out_file: OutQdpx,
    corpus: CorpusOpt = None,
    metadata: MetadataOpt = None,
    codebook: CodebookOpt = None,
    offsets: Annotated[Offsets, typer.Option(
        "--offsets", help="Selection offsets in Unicode code points (the REFI-QDA standard) or in "
                          "UTF-16 code units (NVivo for Windows, for texts with emoji).")] = Offsets.codepoints,
    force: ForceOpt = False,
) -> None:
    """Export a results folder as a REFI-QDA project for NVivo, ATLAS.ti, MAXQDA or QualCoder.

    Every interview becomes a text source (its normalised text, without front
    matter), the codebook the code tree, every piece of evidence that counts a
    coded selection; cases and metadata become cases and variables. The human
    codings of an imported corpus go back too, each with its coder. See
    docs/interop.md.

    Example: [bold]qualcode export qdpx results/coding --out cep.qdpx[/bold]
    """
    from qualcode.interop.qdpx_export import export_qdpx

    done = export_qdpx(results, out_file, corpus=corpus, metadata=metadata, codebook=codebook,
                       offsets=offsets.value, force=force)
    _warnings(done.warnings)
    err().print(Text(f"wrote {out_file}: {done.sources} sources, {done.codes} codes, "
                     f"{done.selections} selections, {done.codings} codings, {done.cases} cases, "
                     f"{done.variables} variables"))


@export_app.command("qdc")
@handle_errors
def export_qdc_cmd(
    out_file: OutQdc,
    codebook: Annotated[Path | None, typer.Argument(
        help="Codebook YAML file; the bundled cep_cooperation.yaml when omitted.", show_default=False)] = None,
    force: ForceOpt = False,
) -> None:
    """Export a codebook as a REFI-QDA codebook (.qdc): groups as folders, codes, definitions.

    Example: [bold]qualcode export qdc src/qualcode/codebooks/cep_cooperation.yaml --out cep.qdc[/bold]
    """
    from qualcode.interop.qdc import export_qdc

    done = export_qdc(codebook, out_file, force=force)
    _warnings(done.warnings)
    err().print(Text(f"wrote {out_file}: {done.groups} groups, {done.codes} codes, {done.actors} providers"))


@export_app.command("iramuteq")
@handle_errors
def export_iramuteq_cmd(
    results: ResultsArg,
    out_file: OutIramuteq,
    corpus: CorpusOpt = None,
    metadata: MetadataOpt = None,
    force: ForceOpt = False,
) -> None:
    """Export the respondents' text as an IRaMuTeQ corpus, the metadata as starred variables.

    Example: [bold]qualcode export iramuteq results/coding --out corpus_iramuteq.txt[/bold]
    """
    from qualcode.interop.iramuteq import export_iramuteq

    done = export_iramuteq(results, out_file, corpus=corpus, metadata=metadata, force=force)
    _warnings(done.warnings)
    if done.skipped:
        warn(f"{len(done.skipped)} interview(s) without respondent text left out "
             f"({', '.join(done.skipped[:3])}{', ...' if len(done.skipped) > 3 else ''})")
    variables = ", ".join(done.variables) or "none"
    err().print(Text(f"wrote {out_file}: {done.interviews} texts, {done.turns} respondent turns; "
                     f"variables id, {variables}"))


@export_app.command("table")
@handle_errors
def export_table_cmd(
    results: ResultsArg,
    out_file: OutTable,
    level: Annotated[Level, typer.Option(
        "--level", help="One row per segment, interview or case (case: number of interviews "
                        "with the code).")] = Level.segment,
    corpus: CorpusOpt = None,
    metadata: MetadataOpt = None,
    codebook: CodebookOpt = None,
    force: ForceOpt = False,
) -> None:
    """Export a tidy table: one row per unit, metadata columns, then one 0/1 column per theme.

    Example: [bold]qualcode export table results/coding --level interview --out themes.xlsx[/bold]
    """
    from qualcode.interop.table import export_table

    done = export_table(results, out_file, level=level.value, corpus=corpus, metadata=metadata,
                        codebook=codebook, force=force)
    _warnings(done.warnings)
    rows, cols = done.frame.shape
    err().print(Text(f"wrote {out_file}: {rows} {level.value} rows, {cols} columns "
                     f"({len(done.codes)} codes)"))


@import_app.command("qdpx")
@handle_errors
def import_qdpx_cmd(
    project: Annotated[Path, typer.Argument(help="A .qdpx project exported by another program.",
                                            metavar="FILE", show_default=False)],
    out_dir: OutCorpus,
    coder: Annotated[str | None, typer.Option(
        "--coder", help="The coder's name in human_coding.csv. Default: the user who made each "
                        "coding.", show_default=False)] = None,
    codebook: Annotated[Path | None, typer.Option(
        "--codebook", "-c", help="Map the project's codes to this codebook's ids (by id or label).",
        show_default=False)] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace an existing --out folder that qualcode wrote (never one holding an input).")] = False,
    unit: Annotated[str | None, typer.Option(
        "--unit", "--read-as", metavar="[turn|paragraph|document]",
        help="How to read the sources: speaker turns, one segment per paragraph, or the whole source as "
             "one (comments, notes, papers: sources without speakers). Default: speaker turns, from the "
             "labels that are speakers.", show_default=False)] = None,
) -> None:
    """Import a REFI-QDA project: a qualcode corpus and the human codings, ready for `qualcode agree`.

    Each text source becomes a .md transcript (metadata in its front matter);
    every coded selection counts for each respondent turn it overlaps, and
    human_selections.csv lists every selection with where it went and why.

    Example: [bold]qualcode import qdpx nvivo.qdpx --out study --codebook my_codebook.yaml[/bold]
    """
    from qualcode.cli.views.interop import import_summary
    from qualcode.interop.qdpx_import import import_qdpx

    report = import_qdpx(project, out_dir, coder=coder, codebook=codebook, force=force, unit=unit)
    _warnings(report.warnings)
    out().print(import_summary(report))
    if report.reader_warnings:
        err().print(Text(f"the corpus reader noted {len(report.reader_warnings)} warning(s); "
                         f"`qualcode corpus {out_dir}` lists them"))
    agree = f"qualcode agree {out_dir} --human {Path(out_dir) / 'human_coding.csv'}"
    if codebook is not None:
        agree += f" --codebook {codebook}"
    err().print(Text(f"wrote {out_dir}; next: {agree}"))


@import_app.command("qdc")
@handle_errors
def import_qdc_cmd(
    codebook_file: Annotated[Path, typer.Argument(
        help="A .qdc codebook (or a project's .qde, .qdpx), or a codebook .csv (Taguette's, or "
             "`qualcode codebook export --format csv`).", metavar="FILE",
        show_default=False)],
    out_file: OutCodebook,
    lang: Annotated[list[str] | None, typer.Option(
        "--lang", "-l", help="Language(s) of the codebook: fr or en (repeat for both). Default: fr (a "
             "CSV with a language column: its languages).",
        show_default=False)] = None,
    force: ForceOpt = False,
) -> None:
    """Import another program's codebook as a qualcode codebook skeleton (YAML).

    Folders (or a CSV's parents) become groups, codes keep their names as labels
    and their descriptions as definitions; each code gets its name as a
    placeholder pattern, to replace. Reads REFI-QDA (.qdc, .qde, .qdpx) and
    Taguette's codebook CSV.

    Example: [bold]qualcode import qdc atlas.qdc --out my_codebook.yaml --lang fr[/bold]
    """
    from qualcode.interop.qdc import import_qdc

    done = import_qdc(codebook_file, out_file, languages=lang, force=force)
    _warnings(done.warnings)
    flattened = f", {done.flattened} nested code(s) flattened into their group" if done.flattened else ""
    err().print(Text(f"wrote {out_file}: {done.groups} groups, {done.codes} codes "
                     f"({done.folders} folder(s){flattened}); languages {', '.join(done.languages)}; "
                     f"every pattern is a placeholder (the code's name): write real ones, then "
                     f"`qualcode codebook validate {out_file}`"))


# the same command for a codebook table, where "qdc" would mislead (Taguette's CSV)
import_app.command("codebook", help="Import a codebook table (Taguette's CSV, or qualcode's own) or a "
                                    ".qdc as a codebook skeleton (YAML); the same as `import qdc`.")(
    import_qdc_cmd)

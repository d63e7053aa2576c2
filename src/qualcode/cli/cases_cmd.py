"""`qualcode classify`: case matrix and configurations from a results folder."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from qualcode.classification.rule import MEASURES  # light: no pandas, no spaCy
from qualcode.cli._util import app, cell, err, handle_errors, out, safe_text, warn


def _measure(value: Optional[str]) -> Optional[str]:
    if value is not None and value not in MEASURES:
        raise typer.BadParameter(f"choose {', '.join(MEASURES)} (not {value!r})")
    return value


@app.command("classify")
@handle_errors
def classify_command(
    results: Annotated[Path, typer.Argument(help="A folder written by `qualcode code --out`.",
                                            metavar="RESULTS", show_default=False)],
    codebook: Annotated[Optional[Path], typer.Option(
        "--codebook", "-c", help="The codebook YAML. Default: the one recorded in manifest.json, "
                                 "else the bundled one.", show_default=False)] = None,
    by: Annotated[Optional[str], typer.Option(
        "--by", help="Metadata attribute that defines a case. Default: the one used when coding; "
                     "another one re-reads the corpus' metadata (not its codings).",
        show_default=False)] = None,
    corpus: Annotated[Optional[Path], typer.Option(
        "--corpus", help="The corpus that was coded, to read --by from. Default: the path in "
                         "manifest.json.", show_default=False)] = None,
    metadata: Annotated[Optional[Path], typer.Option(
        "--metadata", "-m", help="A metadata table (.csv or .xlsx) for the corpus, to read --by from.",
        show_default=False)] = None,
    min_interviews: Annotated[Optional[int], typer.Option(
        "--min-interviews", min=1, help="Fewer interviews in a case: 'insufficient'. Default: the "
                                        "codebook's.", show_default=False)] = None,
    margin: Annotated[Optional[float], typer.Option(
        "--margin", min=0.0, max=1.0, help="Lead the best score needs over the runner-up. Default: "
                                           "the codebook's min_margin.", show_default=False)] = None,
    min_score: Annotated[Optional[float], typer.Option(
        "--min-score", min=0.0, max=1.0, help="Score the best configuration needs. Default: the "
                                              "codebook's.", show_default=False)] = None,
    measure: Annotated[Optional[str], typer.Option(
        "--measure", callback=_measure, metavar="[interviews|segments|words]",
        help="Prevalence that feeds the scores. Default: the codebook's.", show_default=False)] = None,
    out_dir: Annotated[Optional[Path], typer.Option(
        "--out", "-o", help="Write the files here instead of into RESULTS.", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing --out folder.")] = False,
) -> None:
    """Classify each case into one of the codebook's configurations.

    Writes case_matrix.csv, classification.csv and classification.json into
    RESULTS (replacing a previous classification; the other files are kept),
    or into --out. A case is 'insufficient' with too few interviews and
    'indeterminate' when no configuration clearly leads: it is never forced.

    Example: [bold]qualcode classify results/coding --min-interviews 3[/bold]
    """
    from qualcode.results.classification import classify_folder, write_classification

    done = classify_folder(results, codebook=codebook, by=by, corpus=corpus, metadata=metadata,
                           measure=measure, min_interviews=min_interviews, margin=margin,
                           min_score=min_score)
    for message in done.warnings:
        warn(message)
    plain = not sys.stdout.isatty()
    out().print(render_classification(done.classification, plain=plain))
    folder, names = write_classification(done, out_dir, force=force)
    err().print(Text(f"wrote {', '.join(n for n in names)} to {folder}"))


def _number(value: Any, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{float(value):.{digits}f}"


def classification_table(c: Any, *, plain: bool = False) -> Table:
    """One row per case: verdict, runner-up, scores, margin, stability (fits 100 columns)."""
    title = f"{len(c.table)} case(s) by {c.by or 'case'}"
    if c.codebook.get("name"):
        title += f", codebook {c.codebook['name']} {c.codebook.get('version', '')}".rstrip()
    table = Table(title=cell(title), title_justify="left", box=None if plain else box.SIMPLE_HEAD,
                  pad_edge=False, padding=(0, 1) if plain else (0, 0), show_edge=False)
    table.add_column("case", overflow="fold", min_width=8)
    table.add_column("n", justify="right", no_wrap=True)
    table.add_column("verdict", no_wrap=True)
    table.add_column("runner-up", no_wrap=True)
    for config in c.configurations:
        table.add_column(cell(config), justify="right", no_wrap=True, max_width=10, overflow="ellipsis")
    table.add_column("margin", justify="right", no_wrap=True)
    table.add_column("stable", justify="right", no_wrap=True)
    for row in c.table.to_dict("records"):
        case, verdict = str(row["case"]), str(row["verdict"])
        assigned = verdict in c.configurations
        style = "" if plain else ("bold green" if assigned else "yellow")
        shown = cell(verdict, style=style)
        if verdict == "indeterminate" and row[f"score_{c.best.get(case)}"] > 0:
            shown.append(safe_text(f" {c.best.get(case, '')}?"), style="" if plain else "dim")
        scores = []
        for config in c.configurations:
            lead = config == c.best.get(case) and not plain
            scores.append(Text(_number(row[f"score_{config}"]), style="bold" if lead else ""))
        stable = _number(row["stability"])
        if case in c.unstable:
            stable += "!"
        table.add_row(cell(case), str(row["interviews"]), shown, cell(row["runner_up"] or "-"),
                      *scores, _number(row["margin"]), Text(stable, style="" if plain or case not in c.unstable else "red"))
    return table


def classification_notes(c: Any) -> list[Text]:
    """The rule used, and the cases whose verdict hangs on one interview."""
    rule = c.rule
    a, x, b = rule.anchors
    lines = [Text(f"rule: measure {rule.measure}, calibration anchors {a:g} / {x:g} / {b:g};"),
             Text(f"      min score {rule.min_score:g}, margin {rule.min_margin:g}, "
                  f"min interviews {rule.min_interviews}")]
    for case, interviews in sorted(c.unstable.items()):
        lines.append(cell(f"! {case}: the verdict changes without {', '.join(interviews)}"))
    return lines


def render_classification(c: Any, *, plain: bool = False) -> RenderableType:
    return Group(classification_table(c, plain=plain), *classification_notes(c))

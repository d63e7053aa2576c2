"""`qualcode agree` and `qualcode diff`: agreement with human coders, codebook drift."""

from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from qualcode.cli._util import app, cell, err, handle_errors, json_text, out, safe_text, warn
from qualcode.cli.coding_cmd import (
    ByOpt, CacheDirOpt, CorpusArg, InterviewerOpt, MetadataOpt, NoCacheOpt, PipelineOpt,
    QuietOpt, UnitOpt, WorkersOpt, progress_reporter, run_coding,
)
from qualcode.errors import Errors, UsageError
from qualcode.validation.statistics import DEFAULT_RESAMPLES, DEFAULT_SEED

WIDTH = 100
_UNDEFINED = "—"
_MATCH = re.compile(r"«(.*?)»")


def console() -> Console:
    """Results console: at most 100 columns; exactly 100 and no colour when piped."""
    screen = out()
    if not screen.is_terminal:
        return Console(highlight=False, soft_wrap=False, width=WIDTH, color_system=None)
    screen.width = min(screen.width, WIDTH)
    return screen


def _number(value: float | None, digits: int = 2) -> str:
    return _UNDEFINED if value is None else f"{value:.{digits}f}"


def _percent(value: float | None) -> str:
    return _UNDEFINED if value is None else f"{100 * value:.1f}%"


def _interval(ci: tuple[float, float] | None) -> str:
    return _UNDEFINED if ci is None else f"{ci[0]:.2f}–{ci[1]:.2f}"


def agreement_table(result: Any, width: int = WIDTH) -> Table:
    """Per code, pooled and macro-averaged: counts, agreement, kappa, AC1, alpha, P, R, F1."""
    coders, two = result.coders, len(result.coders) == 2
    labels = list(coders)
    # the figures take at most 44 characters, and eleven columns ten separators
    if two and max(map(len, [*result.codes, "overall, pooled"])) + sum(map(len, coders)) + 54 > width:
        labels = ["A", "B"]  # the names do not fit: the title says who is who
    if two:
        who = (f"{coders[1]} against {coders[0]} (reference)" if labels == list(coders)
               else f"B = {coders[1]} against A = {coders[0]} (reference)")
    else:
        who = f"{len(coders)} coders: {', '.join(coders)}"
    where = f" in {len(result.interviews)} interview(s)" if result.interviews else ""
    title = (f"Agreement per code, {result.unit or 'unknown'} unit: {who}; {result.segments} "
             f"segments{where}. The overall row is pooled over codes: each segment × code "
             "decision is one item.")
    table = Table(title=cell(title), title_justify="left", box=box.SIMPLE_HEAD, show_edge=False,
                  caption_justify="left", padding=(0, 0))
    table.add_column("code", no_wrap=True)
    if two:
        table.add_column(cell(labels[0]), justify="right", no_wrap=True)
        table.add_column(cell(labels[1]), justify="right", no_wrap=True)
    else:
        table.add_column("coded", justify="right", overflow="fold")
    table.add_column("agree", justify="right", no_wrap=True)
    table.add_column("kappa" if two else "Fleiss", justify="right", no_wrap=True)
    table.add_column("AC1", justify="right", no_wrap=True)
    table.add_column("alpha", justify="right", no_wrap=True)
    table.add_column(f"{round(100 * result.confidence)}% CI", justify="right", no_wrap=True)
    if two:
        for name in ("P", "R", "F1"):
            table.add_column(name, justify="right", no_wrap=True)

    def row(label: str, stat: Any, counts: bool = True, end: bool = False) -> None:
        if two:
            cells = [str(stat.coded[c]) if counts else "" for c in coders]
        else:
            cells = ["/".join(str(stat.coded[c]) for c in coders) if counts else ""]
        get = (lambda k: getattr(stat, k)) if not isinstance(stat, dict) else stat.get
        cells += [_percent(get("agreement")), _number(get("kappa")), _number(get("ac1")),
                  _number(get("alpha"), 3),
                  _interval(get("alpha_ci")) if not isinstance(stat, dict) else ""]
        if two:
            cells += [_number(get("precision")), _number(get("recall")), _number(get("f1"))]
        table.add_row(cell(label), *cells, end_section=end)

    codes = list(result.codes.values())
    for n, code in enumerate(codes):
        row(code.code, code, end=n == len(codes) - 1)
    row("overall, pooled", result.overall)
    row(f"macro, {result.macro_codes} codes", result.macro, counts=False)
    table.caption = cell("\n".join(_caption(result)))
    return table


def _caption(result: Any) -> list[str]:
    two = len(result.coders) == 2
    lines = [
        f"{_UNDEFINED}: undefined (no variation). agree: share of agreeing decisions; "
        + ("kappa: Cohen's" if two else "Fleiss: Fleiss' kappa") + "; AC1: Gwet's; alpha: "
        "Krippendorff's, nominal.",
        f"CI: of alpha; percentile bootstrap, {result.resamples} resamples of segments, seed {result.seed}. "
        f"Macro: mean over the {result.macro_codes} codes that a side applied.",
    ]
    if two:
        lines.append(f"P, R, F1: precision, recall and F1 of {result.coders[1]} against "
                     f"{result.coders[0]}.")
    for code in [*result.codes.values(), result.overall]:
        for note in code.notes:
            lines.append(f"{code.code}: {note}")
    return lines


def _snippet(text: str, evidence: str, width: int = 240) -> Text:
    """The segment's text on one line, trimmed around the first match when there is one."""
    flat = safe_text(" ".join(text.split()))
    found = _MATCH.search(safe_text(evidence or ""))
    needle = found.group(1) if found else ""
    at = flat.find(needle) if needle else -1
    if at < 0:
        return Text(flat[:width] + ("…" if len(flat) > width else ""))
    start, end = max(0, at - width // 2), min(len(flat), at + len(needle) + width // 2)
    snippet = Text(("…" if start else "") + flat[start:at])
    snippet.append(flat[at:at + len(needle)], style="reverse")
    snippet.append(flat[at + len(needle):end] + ("…" if end < len(flat) else ""))
    return snippet


def disagreements_view(rows: Any, unit: str) -> RenderableType:
    """Code by code, each segment where the sides differ: who coded it, the evidence, the text."""
    parts: list[RenderableType] = [Text(f"Disagreements, {unit} unit: {len(rows)} segment × code "
                                        "decision(s)", style="bold")]
    if rows.empty:
        parts.append(Text("none: the sides agree on every segment and code"))
    for code, group in rows.groupby("code", sort=False):
        counts = group["coded_by"].value_counts()
        summary = ", ".join(f"{n} coded by {_names(who)} only" for who, n in counts.items())
        parts.append(Text.assemble("\n", cell(code, "bold cyan"), cell(f": {len(group)} ({summary})")))
        for record in group.itertuples(index=False):
            parts.append(Text.assemble("  ", cell(record.segment_id, "bold"),
                                       cell(f"  coded by {_names(record.coded_by)}, "
                                            f"not by {_names(record.not_coded_by)}")))
            evidence = (Text("evidence: ") + cell(record.evidence, style="yellow")) if record.evidence \
                else Text("evidence: none (no pattern of the code matched)", style="dim")
            parts.append(Padding(evidence, (0, 0, 0, 4)))
            parts.append(Padding(_snippet(record.text, record.evidence), (0, 0, 0, 4)))
    return Group(*parts)


def _names(joined: str) -> str:
    names = joined.split(";")
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _write_csv(frame: Any, path: Path) -> None:
    from qualcode.results.folder import frame_to_csv, write_file_atomic

    try:
        write_file_atomic(path, frame_to_csv(frame))
    except OSError as exc:
        raise UsageError(Errors.E514.format(path=path, reason=exc.strerror or exc)) from exc
    err().print(Text(f"wrote {len(frame)} row(s) to {path}"))


def _records(frame: Any) -> list[dict[str, Any]]:
    return json.loads(frame.to_json(orient="records", force_ascii=False))


@app.command("agree")
@handle_errors
def agree_command(
    corpus: CorpusArg,
    human: Annotated[list[Path], typer.Option(
        "--human", "-H", exists=True, dir_okay=False,
        help="A human coding CSV (segment, code, coder); repeat for several files.")],
    codebook: Annotated[Optional[Path], typer.Option(
        "--codebook", "-c", help="The codebook YAML. Default: the bundled CEP codebook.")] = None,
    coder: Annotated[Optional[list[str]], typer.Option(
        "--coder", help="Only this coder of the human coding; repeat to compare coders.")] = None,
    unit: UnitOpt = "turn",
    by: ByOpt = "area",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    show_disagreements: Annotated[bool, typer.Option(
        "--disagreements", help="List the segments where the sides differ, code by code.")] = False,
    csv_file: Annotated[Optional[Path], typer.Option(
        "--csv", help="Write the disagreements to this CSV file.")] = None,
    whole_corpus: Annotated[bool, typer.Option(
        "--whole-corpus",
        help="Compare on every interview of CORPUS, not only those the humans coded.")] = False,
    resamples: Annotated[int, typer.Option(
        "--resamples", min=0, max=100000,
        help="Bootstrap resamples for alpha's interval (0: none).")] = DEFAULT_RESAMPLES,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the bootstrap.")] = DEFAULT_SEED,
    pipeline: PipelineOpt = "accurate",
    workers: WorkersOpt = 1,
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
    metadata: MetadataOpt = None,
    include_interviewer: InterviewerOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Agreement of qualcode with a human coding, or of human coders with one another.

    One human coder is compared with qualcode; two or more (two files, or
    [bold]--coder a --coder b[/bold]) with one another. Each code is a
    presence/absence decision on every segment of the interviews the humans
    coded; segments nobody coded are agreed absences.

    Example: [bold]qualcode agree sample_data/cep_study --human sample_data/human_coding.csv --coder coder_a[/bold]
    """
    from qualcode.validation.agreement import agreement_report, disagreements
    from qualcode.validation.humans import read_human_codings

    corpus_obj, book, codings = run_coding(corpus, codebook, unit, by, pipeline, workers, cache_dir,
                                           no_cache, metadata, include_interviewer, quiet)
    humans = read_human_codings(human, codings.segments, book, corpus=corpus_obj)
    for message in humans.attrs.get("warnings", []):
        warn(message)
    result = agreement_report(codings, humans, book, coders=coder, whole_corpus=whole_corpus,
                              resamples=resamples, seed=seed)
    rows = None
    if show_disagreements or csv_file is not None:
        rows = disagreements(codings, humans, book, coders=coder, whole_corpus=whole_corpus)
    if csv_file is not None and rows is not None:
        _write_csv(rows, csv_file)
    if as_json:
        data = result.to_dict()
        if show_disagreements and rows is not None:
            data["disagreements"] = _records(rows)
        sys.stdout.write(json_text(data))
        return
    screen = console()
    screen.print(agreement_table(result))
    if show_disagreements and rows is not None:
        screen.print()
        screen.print(disagreements_view(rows, codings.unit))


def drift_table(drift: Any) -> Table:
    """Per code: segments with the old and the new codebook, gained and lost."""
    old, new = drift.old, drift.new
    title = (f"Coding drift, {drift.unit} unit, {drift.segments} segments: "
             f"{old['name']} {old['version']} → {new['name']} {new['version']}")
    table = Table(title=cell(title), title_justify="left", box=box.SIMPLE_HEAD, show_edge=False,
                  padding=(0, 0))
    table.add_column("code", overflow="fold")
    table.add_column("status")
    for name in ("old", "new", "gained", "lost"):
        table.add_column(name, justify="right", no_wrap=True, min_width=6)
    for r in drift.summary.itertuples(index=False):
        table.add_row(cell(r.code), cell(r.status), str(r.old_segments), str(r.new_segments),
                      f"+{r.gained}" if r.gained else "0", f"-{r.lost}" if r.lost else "0")
    return table


def drift_view(drift: Any) -> RenderableType:
    """Each segment gained or lost, code by code, with both versions' evidence and the text."""
    parts: list[RenderableType] = []
    for code, group in drift.changes.groupby("code", sort=False):
        gained = int((group["change"] == "gained").sum())
        parts.append(Text.assemble("\n", cell(code, "bold cyan"),
                                   f": {gained} gained, {len(group) - gained} lost"))
        for r in group.itertuples(index=False):
            sign, style = ("+", "green") if r.change == "gained" else ("-", "red")
            parts.append(Text.assemble("  ", cell(f"{sign} {r.segment_id}", f"bold {style}")))
            for label, evidence in (("old", r.old_evidence), ("new", r.new_evidence)):
                if evidence:
                    parts.append(Padding(Text(f"{label}: ") + cell(evidence, style="yellow"),
                                         (0, 0, 0, 4)))
            parts.append(Padding(_snippet(r.text, r.new_evidence or r.old_evidence), (0, 0, 0, 4)))
    return Group(*parts)


@app.command("diff")
@handle_errors
def diff_command(
    corpus: CorpusArg,
    codebooks: Annotated[list[Path], typer.Option(
        "--codebook", "-c", help="The old codebook, then the new one: give it twice.")],
    unit: UnitOpt = "turn",
    by: ByOpt = "area",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    csv_file: Annotated[Optional[Path], typer.Option(
        "--csv", help="Write the segments gained and lost to this CSV file.")] = None,
    summary_only: Annotated[bool, typer.Option(
        "--summary", help="Only the table per code, not the segments.")] = False,
    pipeline: PipelineOpt = "accurate",
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
    metadata: MetadataOpt = None,
    include_interviewer: InterviewerOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Coding drift between two versions of a codebook: segments gained and lost per code.

    Example: [bold]qualcode diff sample_data/cep_study -c old.yaml -c codebook.yaml[/bold]
    """
    from qualcode.codebook import load_codebook
    from qualcode.coding.engine import code_corpus
    from qualcode.corpus import read_corpus
    from qualcode.validation.drift import codebook_drift

    if len(codebooks) != 2:
        raise UsageError(Errors.E512.format(count=len(codebooks)))
    corpus_obj = read_corpus(corpus, metadata, required=(by,))
    old_book, new_book = load_codebook(codebooks[0]), load_codebook(codebooks[1])
    with tempfile.TemporaryDirectory(prefix="qualcode-diff-") as scratch:
        # without a cache, a scratch one still spares parsing the corpus twice
        cache: Path | bool = Path(scratch) if no_cache else (cache_dir or True)
        results = []
        for book in (old_book, new_book):
            progress, update = progress_reporter(quiet)
            options = dict(by=by, include_interviewer=include_interviewer, pipeline=pipeline,
                           cache_dir=cache)
            if progress is not None:
                with progress:
                    results.append(code_corpus(corpus_obj, book, unit, on_progress=update, **options))
            else:
                results.append(code_corpus(corpus_obj, book, unit, **options))
    drift = codebook_drift(results[0], results[1], old_book, new_book)
    if csv_file is not None:
        _write_csv(drift.changes, csv_file)
    if as_json:
        sys.stdout.write(json_text(drift.to_dict()))
        return
    screen = console()
    screen.print(drift_table(drift))
    if not summary_only:
        screen.print(drift_view(drift))

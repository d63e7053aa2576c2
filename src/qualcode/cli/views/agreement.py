"""Agreement and drift as the terminal shows them: per-code tables, disagreements, segments gained and lost."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from qualcode.cli.output import cell, safe_text

if TYPE_CHECKING:
    import pandas as pd

    from qualcode.validation.agreement import Agreement
    from qualcode.validation.drift import Drift

WIDTH = 100
_UNDEFINED = "—"
_MATCH = re.compile(r"«(.*?)»")


def _number(value: float | None, digits: int = 2) -> str:
    return _UNDEFINED if value is None else f"{value:.{digits}f}"


def _percent(value: float | None) -> str:
    return _UNDEFINED if value is None else f"{100 * value:.1f}%"


def _interval(ci: tuple[float, float] | None) -> str:
    return _UNDEFINED if ci is None else f"{ci[0]:.2f}–{ci[1]:.2f}"


def agreement_table(result: Agreement, width: int = WIDTH) -> Table:
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


def _caption(result: Agreement) -> list[str]:
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


def disagreements_view(rows: pd.DataFrame, unit: str) -> RenderableType:
    """Code by code, each segment where the sides differ: who coded it, the evidence, the text."""
    parts: list[RenderableType] = [Text(f"Disagreements, {unit} unit: {len(rows)} segment × code "
                                        "decision(s)", style="bold")]
    if rows.empty:
        parts.append(Text("none: the sides agree on every segment and code"))
    for code, group in rows.groupby("code", sort=False):
        counts = group["coded_by"].value_counts()
        summary = ", ".join(f"{n} coded by {_names(str(who))} only" for who, n in counts.items())
        parts.append(Text.assemble("\n", cell(code, "bold cyan"), cell(f": {len(group)} ({summary})")))
        for record in group.itertuples(index=False):
            parts.append(Text.assemble("  ", cell(record.segment_id, "bold"),
                                       cell(f"  coded by {_names(str(record.coded_by))}, "
                                            f"not by {_names(str(record.not_coded_by))}")))
            evidence = (Text("evidence: ") + cell(record.evidence, style="yellow")) if record.evidence \
                else Text("evidence: none (no pattern of the code matched)", style="dim")
            parts.append(Padding(evidence, (0, 0, 0, 4)))
            parts.append(Padding(_snippet(str(record.text), str(record.evidence)), (0, 0, 0, 4)))
    return Group(*parts)


def _names(joined: str) -> str:
    names = joined.split(";")
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def drift_table(drift: Drift) -> Table:
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
                      f"+{r.gained!s}" if r.gained else "0", f"-{r.lost!s}" if r.lost else "0")
    return table


def drift_view(drift: Drift) -> RenderableType:
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
            parts.append(Padding(_snippet(str(r.text), str(r.new_evidence or r.old_evidence)), (0, 0, 0, 4)))
    return Group(*parts)

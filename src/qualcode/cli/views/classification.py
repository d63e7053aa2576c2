"""A classification as the terminal shows it: one row per case, the rule, the unstable verdicts."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from qualcode.cli.output import cell, safe_text

if TYPE_CHECKING:
    from qualcode.classification.classify import Classification


def _number(value: Any, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{float(value):.{digits}f}"


def classification_table(c: Classification, *, plain: bool = False) -> Table:
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


def classification_notes(c: Classification) -> list[Text]:
    """The rule used, and the cases whose verdict hangs on one interview."""
    rule = c.rule
    a, x, b = rule.anchors
    lines = [Text(f"rule: measure {rule.measure}, calibration anchors {a:g} / {x:g} / {b:g};"),
             Text(f"      min score {rule.min_score:g}, margin {rule.min_margin:g}, "
                  f"min interviews {rule.min_interviews}")]
    for case, interviews in sorted(c.unstable.items()):
        lines.append(cell(f"! {case}: the verdict changes without {', '.join(interviews)}"))
    return lines


def render_classification(c: Classification, *, plain: bool = False) -> RenderableType:
    return Group(classification_table(c, plain=plain), *classification_notes(c))

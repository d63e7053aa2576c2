"""The terminal report: rich renderables, built here and printed by the CLI.

`render_terminal(report, plain=...)` returns one renderable: a header, the
classification table with a bar per configuration score, the case x theme
table shaded by prevalence, each case's deciding themes and quotes, and the
warnings. It fits a 100-column terminal. `plain=True` (output piped to a
file or another program) drops boxes and colours and draws bars with ASCII,
so that a log stays readable.

This is the researcher's working view: code ids (as `qualcode segments
--code` takes them) and English, like the rest of the command line; the
configurations' labels, in the report's language, are given once as a
legend.
"""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from qualcode.base.text import flat, printable
from qualcode.report.data import CaseReport, Report

WIDTH = 100
_EIGHTHS = " ▏▎▍▌▋▊▉█"
_LOW, _HIGH = (222, 235, 247), (33, 113, 181)


def _t(text: Any, style: str = "") -> Text:
    """Text that is never read as markup, on one line, without control characters.

    Every piece of data reaches rich as a `Text` (a string would be parsed as
    markup: `[link=...]` would open a hyperlink, `[/x]` fail).
    """
    return Text(printable(flat(text)), style=style)


def _plain(text: Any) -> str:
    """A value for `Text.append`, which never reads markup: one line, no control character."""
    return printable(flat(text))


def _num(value: float | None, digits: int = 2) -> str:
    if value is None or value != value:
        return "-"
    text = f"{float(value):.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def bar(value: float, width: int, *, plain: bool) -> str:
    """A score in [0, 1] as a bar of `width` characters (eighths of a block, or # in plain text)."""
    value = min(1.0, max(0.0, float(value)))
    if plain:
        full = round(value * width)
        return "#" * full + "." * (width - full)
    eighths = round(value * width * 8)
    full, rest = divmod(eighths, 8)
    text = "█" * full + (_EIGHTHS[rest] if rest and full < width else "")
    return text + " " * (width - len(text))


def _shade(share: float) -> str:
    r, g, b = (round(lo + (hi - lo) * share) for lo, hi in zip(_LOW, _HIGH))
    return f"#{r:02x}{g:02x}{b:02x}"


def _section(title: str, plain: bool) -> RenderableType:
    if plain:
        return Text(f"\n{title}\n{'-' * len(title)}")
    return Rule(Text(title, style="bold"), align="left", style="dim")


def header(report: Report, *, plain: bool = False) -> RenderableType:
    """Corpus, interviews, cases, respondent words, codebook name, version and short hash."""
    lines = Text()
    lines.append("qualcode analysis", style="" if plain else "bold")
    lines.append(f"  {_plain(report.corpus) or '(corpus)'}\n")
    lines.append(f"{report.interviews} interviews, {len(report.cases)} cases by {_plain(report.by)}, "
                 f"{report.respondent_words:,} respondent words, {_plain(report.unit)} segments\n")
    lines.append(f"codebook {_plain(report.codebook_name)} {_plain(report.codebook_version)} "
                 f"({report.short_hash})")
    lines.append(f"  {_plain(report.title)}", style="" if plain else "dim")
    if plain:
        return Group(lines)
    return Panel(lines, box=box.ROUNDED, expand=False, padding=(0, 1))


def _verdict(case: CaseReport, plain: bool) -> Text:
    if case.assigned:
        return _t(case.verdict, "" if plain else "bold green")
    return _t(case.verdict, "" if plain else "yellow")


def classification_table(report: Report, *, plain: bool = False) -> Table:
    """One row per case: region, interviews, verdict, a bar per score, margin, stability."""
    configs = report.configurations
    width = max(3, min(8, (WIDTH - 54) // max(1, len(configs)) - 6))
    table = Table(box=None if plain else box.SIMPLE_HEAD, pad_edge=False, show_edge=False,
                  padding=(0, 1), collapse_padding=True)
    table.add_column("case", overflow="fold", min_width=6, max_width=16)
    table.add_column("region", overflow="fold", max_width=14)
    table.add_column("n", justify="right", no_wrap=True)
    table.add_column("verdict", no_wrap=True)
    for config in configs:
        table.add_column(_t(config), no_wrap=True, overflow="ellipsis", max_width=width + 5)
    table.add_column("margin", justify="right", no_wrap=True)
    table.add_column("stable", justify="right", no_wrap=True)
    for case in report.cases:
        cells = []
        for config in configs:
            score = case.scores.get(config, 0.0)
            if plain:
                style = ""
            elif config == case.verdict:
                style = "green"
            elif config == case.best:
                style = "yellow"
            else:
                style = "dim"
            value = _num(score)
            cell = Text(bar(score, width, plain=plain), style=style)
            cell.append(" " + (value[1:] if value.startswith("0.") else value),
                        style="bold" if config == case.best and not plain else "")
            cells.append(cell)
        unstable = bool(case.unstable_on)
        stable = Text(_num(case.stability) + ("!" if unstable else " "),
                      style="bold red" if unstable and not plain else "")
        table.add_row(_t(case.case), _t(case.region or "-"), str(case.interviews), _verdict(case, plain),
                      *cells, _num(case.margin), stable)
    return table


def classification_notes(report: Report, *, plain: bool = False) -> list[Text]:
    """The rule, the unstable cases and the configurations' labels."""
    rule = report.rule
    anchors = rule.get("anchors") or {}
    lines = [_t(f"rule: measure {rule.get('measure', '?')}, anchors "
                f"{anchors.get('exclusion', '?')} / {anchors.get('crossover', '?')} / "
                f"{anchors.get('inclusion', '?')}; min score {rule.get('min_score', '?')}, margin "
                f"{rule.get('min_margin', '?')}, min interviews {rule.get('min_interviews', '?')}",
                "" if plain else "dim")]
    for case in report.cases:
        if case.unstable_on:
            lines.append(_t(f"! {case.case}: the verdict changes without "
                            f"{', '.join(case.unstable_on)}", "" if plain else "red"))
    for config in report.configurations:
        line = Text(f"{config}  ", style="" if plain else "bold")
        line.append(_plain(report.configuration_label(config)))
        lines.append(line)
    return lines


def theme_table(report: Report, *, plain: bool = False) -> Table:
    """Themes (rows, by group) x cases (columns): interviews where the theme counts, shaded by share."""
    table = Table(box=None if plain else box.SIMPLE_HEAD, pad_edge=False, show_edge=False,
                  padding=(0, 1), collapse_padding=True)
    table.add_column("theme (interviews where it counts)", overflow="fold", max_width=34)
    for case in report.cases:
        table.add_column(_t(case.case), justify="center", overflow="fold", max_width=11)
    for group, codes in report.theme_groups():
        if group:
            table.add_row(_t(group, "" if plain else "italic dim"),
                          *([""] * len(report.cases)))
        for code in codes:
            cells = []
            for case in report.cases:
                found = case.prevalence.get(code)
                if found is None or found.interviews == 0:
                    cells.append(Text("." if plain else "·", style="" if plain else "dim"))
                    continue
                text = f"{found.interviews}/{found.of}"
                if plain:
                    cells.append(Text(text))
                else:
                    ink = "black" if found.share < 0.55 else "white"
                    cells.append(Text(f" {text} ", style=f"{ink} on {_shade(found.share)}"))
            table.add_row(_t(code), *cells)
    return table


def case_block(report: Report, case: CaseReport, *, plain: bool = False) -> RenderableType:
    """A case's verdict, deciding themes and quotes (with their segment ids)."""
    head = Text()
    head.append(_plain(case.case), style="" if plain else "bold")
    if case.region:
        head.append(f" ({_plain(case.region)})")
    head.append("  ")
    head.append_text(_verdict(case, plain))
    if not case.assigned:
        head.append(f", closest {_plain(case.best)}")
    head.append(f", runner-up {_plain(case.runner_up or '-')}, margin {_num(case.margin)}, "
                f"stability {_num(case.stability)}")
    if case.unstable_on:
        head.append(" !", style="" if plain else "bold red")
    parts: list[RenderableType] = [head]
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, min_width=2)
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    deciding = case.deciding()
    if deciding:
        grid.add_row("", _t(f"for {case.target}", "" if plain else "green"),
                     _t(", ".join(f"{c.code} +{_num(c.contribution)}" for c in deciding)))
    against = case.against()
    if against:
        grid.add_row("", Text("against", style="" if plain else "red"),
                     _t(", ".join(f"{c.code} {_num(c.contribution)}" for c in against)))
    for quote in case.quotes:
        grid.add_row("", _t(quote.segment_id, "" if plain else "cyan"), _t(f"“{quote.text}”"))
    if not case.quotes:
        grid.add_row("", "", _t("no quote: no theme supports a configuration here",
                                "" if plain else "dim"))
    parts.append(grid)
    return Group(*parts)


def notices(report: Report, *, plain: bool = False) -> RenderableType:
    """The warnings: codes never matched, small cases, interviews without answers, reader warnings."""
    if not report.notices:
        return _t("no warning", "" if plain else "dim")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for notice in report.notices:
        text = Text()
        if notice.subject:
            text.append(_plain(notice.subject) + ": ", style="" if plain else "bold")
        text.append(_plain(notice.message))
        grid.add_row(_t(notice.code or "-", "" if plain else "yellow"), text)
    return grid


def render_terminal(report: Report, *, plain: bool = False) -> RenderableType:
    """The whole terminal report, as one renderable (print it with a rich Console)."""
    parts: list[RenderableType] = [header(report, plain=plain),
                                   _section("Classification", plain),
                                   classification_table(report, plain=plain),
                                   *classification_notes(report, plain=plain),
                                   _section("Themes by case", plain),
                                   theme_table(report, plain=plain),
                                   _section("Cases", plain)]
    for n, case in enumerate(report.cases):
        if n:
            parts.append(Text(""))
        parts.append(case_block(report, case, plain=plain))
    parts += [_section(f"Warnings ({len(report.notices)})", plain), notices(report, plain=plain)]
    return Group(*parts)


__all__ = [
    "bar",
    "case_block",
    "classification_table",
    "header",
    "notices",
    "render_terminal",
    "theme_table",
]

"""The terminal report: rich renderables, built here and printed by the CLI.

`render_terminal(report, plain=...)` returns one renderable: a header, the
classification table with a bar per configuration score, the case x theme
table shaded by prevalence, each case's deciding themes and quotes, and the
warnings. `plain=True` (output piped to a file or another program) drops
boxes and colours and draws bars with ASCII, so that a log stays readable.

The tables are laid out for the width they are printed at (80 to 200
columns and more), whatever the length of the names: no name is cut or
wrapped inside a table. When full case names do not fit, the tables name the
cases by keys (A, B, ...) with a legend that gives each key's name, the same
keys in every table; the themes table is split into blocks of cases, each
repeating the theme column; bars shrink, then go, before anything else.

This is the researcher's working view: code ids (as `qualcode segments
--code` takes them) and English, like the rest of the command line; the
configurations' labels, in the report's language, are given once as a
legend.
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from qualcode.base.text import flat, printable
from qualcode.report.data import CaseReport, Report
from qualcode.report.strings import decimals

WIDTH = 100
#: the narrowest layout the tables plan for (a narrower terminal wraps them)
MIN_WIDTH = 60
_EIGHTHS = " ▏▎▍▌▋▊▉█"
_LOW, _HIGH = (222, 235, 247), (33, 113, 181)
#: widths of a score bar tried, widest first (0: the number alone)
_BARS = (8, 5, 3, 0)
#: the width of a themes table's case column: " 5/12 "
_CELL = 6


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


def _short(value: float, digits: int) -> str:
    """A score in [0, 1] without its leading zero: `.76`, `1.00`."""
    text = _num(value, digits)
    return text[1:] if text.startswith("0.") else text


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


def case_keys(count: int) -> list[str]:
    """A, B, ..., Z, AA, AB, ...: short keys for the cases of a table too narrow for their names."""
    letters = string.ascii_uppercase
    keys = []
    for n in range(count):
        key = ""
        n += 1
        while n:
            n, rest = divmod(n - 1, 26)
            key = letters[rest] + key
        keys.append(key)
    return keys


@dataclass(frozen=True)
class Layout:
    """How the tables fit a width: case names or keys, the region column, the bars' width."""

    width: int
    keyed: bool
    region: bool
    bar: int

    def label(self, report: Report, case: CaseReport) -> str:
        return _keys(report)[case.case] if self.keyed else case.case


def _keys(report: Report) -> dict[str, str]:
    return dict(zip((c.case for c in report.cases), case_keys(len(report.cases))))


def _stable_text(case: CaseReport) -> str:
    if not case.testable:
        return "n/t"
    return _num(case.stability) + ("!" if case.unstable_on else "")


def _classification_width(report: Report, keyed: bool, region: bool, bar_width: int) -> int:
    """The printed width of the classification table under one layout (cells plus one space between)."""
    names = list(_keys(report).values()) if keyed else [c.case for c in report.cases]
    widths = [max([len("case"), *(len(n) for n in names)]), max([1, *(len(str(c.interviews)) for c in report.cases)]),
              max([len("verdict"), *(len(c.verdict) for c in report.cases)])]
    if region:
        widths.append(max([len("region"), *(len(c.region or "-") for c in report.cases)]))
    for config in report.configurations:
        number = max([3, *(len(_short(c.scores.get(config, 0.0), c.digits)) for c in report.cases)])
        widths.append(max(len(config), (bar_width + 1 if bar_width else 0) + number))
    widths.append(max([len("margin"), *(len(_num(c.margin, c.digits)) for c in report.cases)]))
    widths.append(max([len("stable"), *(len(_stable_text(c)) for c in report.cases)]))
    return sum(widths) + len(widths) - 1


def plan(report: Report, width: int) -> Layout:
    """The richest layout of the tables that fits `width` columns."""
    width = max(MIN_WIDTH, width)
    # keys in one table mean keys in the other: a reader matches the tables by them
    for keyed in ((True,) if _themes_need_keys(report) else (False, True)):
        # with keys, the legend gives each case's region: no region column
        regions = (False,) if keyed else (True, False)
        for region, bar_width in [(r, b) for r in regions for b in _BARS]:
            if _classification_width(report, keyed, region, bar_width) <= width:
                return Layout(width, keyed, region, bar_width)
    return Layout(width, True, False, 0)


def _themes_need_keys(report: Report) -> bool:
    """Case names as column heads of the themes table only when each fits in a narrow column."""
    return any(len(c.case) > 12 for c in report.cases)


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


def _table(plain: bool) -> Table:
    return Table(box=None if plain else box.SIMPLE_HEAD, pad_edge=False, show_edge=False,
                 padding=(0, 1), collapse_padding=True)


def case_legend(report: Report, layout: Layout, *, plain: bool = False) -> list[Text]:
    """`A  coteaux-de-bremond-sur-varenne (region)`: the keys of the tables, when they use keys."""
    if not layout.keyed:
        return []
    keys = _keys(report)
    lines = [_t("cases:", "" if plain else "dim")]
    for case in report.cases:
        line = Text(f"{keys[case.case]:>3}  ", style="" if plain else "bold")
        line.append(_plain(case.case))
        if case.region:
            line.append(f" ({_plain(case.region)})", style="" if plain else "dim")
        lines.append(line)
    return lines


def classification_table(report: Report, *, plain: bool = False, layout: Layout | None = None) -> Table:
    """One row per case: region, interviews, verdict, a bar per score, margin, stability."""
    layout = layout or plan(report, WIDTH)
    table = _table(plain)
    table.add_column("case", no_wrap=True)
    if layout.region:
        table.add_column("region", no_wrap=True)
    table.add_column("n", justify="right", no_wrap=True)
    table.add_column("verdict", no_wrap=True)
    for config in report.configurations:
        table.add_column(_t(config), no_wrap=True)
    table.add_column("margin", justify="right", no_wrap=True)
    table.add_column("stable", justify="right", no_wrap=True)
    for case in report.cases:
        cells = []
        for config in report.configurations:
            score = case.scores.get(config, 0.0)
            if plain:
                style = ""
            elif config == case.verdict:
                style = "green"
            elif config == case.best:
                style = "yellow"
            else:
                style = "dim"
            cell = Text(bar(score, layout.bar, plain=plain) + " " if layout.bar else "", style=style)
            cell.append(_short(score, case.digits), style="bold" if config == case.best and not plain else "")
            cells.append(cell)
        unstable = bool(case.unstable_on)
        stable = Text(_stable_text(case), style="bold red" if unstable and not plain else
                      "dim" if not case.testable and not plain else "")
        region = [_t(case.region or "-")] if layout.region else []
        table.add_row(_t(layout.label(report, case)), *region, str(case.interviews), _verdict(case, plain),
                      *cells, _num(case.margin, case.digits), stable)
    return table


def classification_notes(report: Report, *, plain: bool = False) -> list[Text]:
    """The rule, the calibration status, the stability notes and the configurations' labels."""
    rule = report.rule
    anchors = rule.get("anchors") or {}

    def threshold(key: str) -> str:
        value = rule.get(key)
        return decimals(float(value)) if isinstance(value, int | float) else "?"

    lines = [_t(f"rule: measure {rule.get('measure', '?')}, anchors "
                f"{anchors.get('exclusion', '?')} / {anchors.get('crossover', '?')} / "
                f"{anchors.get('inclusion', '?')}; min score {threshold('min_score')}, margin "
                f"{threshold('min_margin')}, min interviews {rule.get('min_interviews', '?')}",
                "" if plain else "dim")]
    if report.threshold_status == "provisional":
        lines.append(_t("thresholds: provisional (the codebook says they are not calibrated on real cases yet)",
                        "" if plain else "yellow"))
    elif report.threshold_status:
        lines.append(_t(f"thresholds: {report.threshold_status}", "" if plain else "dim"))
    for case in report.cases:
        if case.unstable_on:
            lines.append(_t(f"! {case.case}: the verdict changes without "
                            f"{', '.join(case.unstable_on)}", "" if plain else "red"))
    untestable = [c.case for c in report.cases if not c.testable]
    if untestable:
        lines.append(_t(f"n/t: stability not testable with {report.min_interviews} interviews or fewer (leaving "
                        f"one out leaves fewer than min interviews): {', '.join(untestable)}",
                        "" if plain else "dim"))
    for config in report.configurations:
        line = Text(f"{config}  ", style="" if plain else "bold")
        line.append(_plain(report.configuration_label(config)))
        lines.append(line)
    return lines


def _blocks(items: Sequence[CaseReport], size: int) -> Iterator[Sequence[CaseReport]]:
    for start in range(0, len(items), max(1, size)):
        yield items[start:start + max(1, size)]


def theme_tables(report: Report, *, plain: bool = False, layout: Layout | None = None) -> list[Table]:
    """Themes (rows, by group) x cases (columns), interviews where the theme counts, shaded by share;
    in blocks of cases when they do not fit side by side, each block repeating the theme column."""
    layout = layout or plan(report, WIDTH)
    heads = [layout.label(report, c) for c in report.cases]
    title = "theme (interviews where it counts)"
    names = [title, *(code for _, codes in report.theme_groups() for code in codes),
             *(group for group, _ in report.theme_groups())]
    first = min(max(len(n) for n in names), max(20, layout.width - _CELL - 1))
    column = max([_CELL, *(len(h) for h in heads)])
    per_block = max(1, (layout.width - first) // (column + 1))
    return [_theme_table(report, list(block), first, plain=plain, layout=layout, title=title)
            for block in _blocks(list(report.cases), per_block)]


def _theme_table(report: Report, cases: list[CaseReport], first: int, *, plain: bool, layout: Layout,
                 title: str) -> Table:
    table = _table(plain)
    table.add_column(title, overflow="fold", min_width=first, max_width=first)
    for case in cases:
        table.add_column(_t(layout.label(report, case)), justify="center", no_wrap=True, min_width=_CELL)
    for group, codes in report.theme_groups():
        if group:
            table.add_row(_t(group, "" if plain else "italic dim"), *([""] * len(cases)))
        for code in codes:
            cells = []
            for case in cases:
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


def theme_table(report: Report, *, plain: bool = False, layout: Layout | None = None) -> RenderableType:
    """The themes tables as one renderable."""
    tables = theme_tables(report, plain=plain, layout=layout)
    parts: list[RenderableType] = []
    for n, table in enumerate(tables):
        if n:
            parts.append(Text(""))
        parts.append(table)
    return Group(*parts)


def case_block(report: Report, case: CaseReport, *, plain: bool = False) -> RenderableType:
    """A case's verdict, deciding themes and quotes (each under its segment id)."""
    head = Text()
    head.append(_plain(case.case), style="" if plain else "bold")
    if case.region:
        head.append(f" ({_plain(case.region)})")
    head.append("  ")
    head.append_text(_verdict(case, plain))
    if not case.assigned:
        head.append(f", closest {_plain(case.best)}")
    stability = (f"stability not testable with {case.interviews} interviews" if not case.testable
                 else f"stability {_num(case.stability)}")
    head.append(f", runner-up {_plain(case.runner_up or '-')}, margin {_num(case.margin, case.digits)}, "
                f"{stability}")
    if case.unstable_on:
        head.append(" !", style="" if plain else "bold red")
    grid = Table.grid(padding=(0, 0))
    grid.add_column(no_wrap=True, width=3)
    grid.add_column(overflow="fold")
    deciding = case.deciding()
    if deciding:
        line = Text(f"for {_plain(case.target)}: ", style="" if plain else "green")
        line.append(_plain(", ".join(f"{c.code} +{_num(c.contribution)}" for c in deciding)))
        grid.add_row("", line)
    against = case.against()
    if against:
        line = Text("against: ", style="" if plain else "red")
        line.append(_plain(", ".join(f"{c.code} {_num(c.contribution)}" for c in against)))
        grid.add_row("", line)
    for quote in case.quotes:
        ident = Text(_plain(quote.segment_id), style="" if plain else "cyan")
        said = [f"{code} {status}" for code, status in quote.statuses]
        if said:
            ident.append(f"  ({_plain(', '.join(said))})", style="" if plain else "yellow")
        grid.add_row("", ident)
        grid.add_row("", Padding(Text("“" + _plain(quote.text) + "”"), (0, 0, 0, 2)))
    if not case.quotes:
        grid.add_row("", _t("no quote: no theme supports a configuration here", "" if plain else "dim"))
    return Group(head, grid)


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


class TerminalReport:
    """The whole terminal report; its tables are laid out for the width it is printed at."""

    def __init__(self, report: Report, *, plain: bool = False) -> None:
        self.report = report
        self.plain = plain

    def parts(self, width: int) -> list[RenderableType]:
        report, plain = self.report, self.plain
        layout = plan(report, width)
        parts: list[RenderableType] = [header(report, plain=plain), _section("Classification", plain),
                                       *case_legend(report, layout, plain=plain),
                                       classification_table(report, plain=plain, layout=layout),
                                       *classification_notes(report, plain=plain),
                                       _section("Themes by case", plain),
                                       theme_table(report, plain=plain, layout=layout),
                                       _section("Cases", plain)]
        for n, case in enumerate(report.cases):
            if n:
                parts.append(Text(""))
            parts.append(case_block(report, case, plain=plain))
        parts += [_section(f"Warnings ({len(report.notices)})", plain), notices(report, plain=plain)]
        return parts

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[RenderableType]:
        yield from self.parts(options.max_width)


def render_terminal(report: Report, *, plain: bool = False) -> RenderableType:
    """The whole terminal report, as one renderable (print it with a rich Console)."""
    return TerminalReport(report, plain=plain)


__all__ = [
    "Layout",
    "TerminalReport",
    "bar",
    "case_block",
    "case_keys",
    "case_legend",
    "classification_table",
    "header",
    "notices",
    "plan",
    "render_terminal",
    "theme_table",
    "theme_tables",
]

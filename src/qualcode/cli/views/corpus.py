"""The corpus as tables: interviews, totals per region and area, skipped files, turns."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from qualcode.cli.output import cell

if TYPE_CHECKING:
    from qualcode.corpus.model import Corpus, Interview

_MISSING = "-"


def _cell(value: object) -> Text:
    """A cell as plain text: a file name with brackets is not rich markup, nor a terminal control."""
    return cell(_MISSING if value in (None, "") else value)


def _table(title: str, *, show_footer: bool = False) -> Table:
    return Table(title=cell(title), box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 0),
                 title_justify="left", show_footer=show_footer)


def _words(corpus: Corpus) -> list[int]:
    """Respondent words per interview, counted once for both tables (each count scans every turn)."""
    return [i.respondent_words for i in corpus]


def interviews_table(corpus: Corpus) -> Table:
    """One row per interview, narrow enough for a 100-column terminal."""
    table = _table(f"{len(corpus)} interview(s) in {corpus.root}")
    table.add_column("id", overflow="fold", min_width=12)
    for name in ("area", "region", "provider"):
        table.add_column(name, overflow="fold", min_width=6)
    table.add_column("lang", no_wrap=True)
    table.add_column("format", no_wrap=True)
    table.add_column("turns", justify="right", no_wrap=True)
    table.add_column("words", justify="right", no_wrap=True)
    table.add_column("warn", justify="right", no_wrap=True)
    for i, words in zip(corpus, _words(corpus), strict=True):
        table.add_row(_cell(i.id), _cell(i.area), _cell(i.region), _cell(i.provider),
                      _cell(i.language), _cell(i.format), _cell(len(i.turns)),
                      _cell(words), _cell(len(i.warnings)))
    table.caption = "words: respondent words; warn: warnings (listed on standard error)"
    table.caption_justify = "left"
    return table


def summary_table(corpus: Corpus) -> Table:
    """Interviews and respondent words per region and area, with a total."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    counted = _words(corpus)
    for i, words in zip(corpus, counted, strict=True):
        group = groups[(i.region or _MISSING, i.area or _MISSING)]
        group[0] += 1
        group[1] += words
    table = _table("By region and area", show_footer=True)
    table.add_column("region", "total", overflow="fold")
    table.add_column("area", overflow="fold")
    table.add_column("interviews", str(len(corpus)), justify="right")
    table.add_column("respondent words", str(sum(counted)), justify="right")
    for (region, area), (count, words) in sorted(groups.items()):
        table.add_row(cell(region), cell(area), str(count), str(words))
    return table


def skipped_table(corpus: Corpus) -> Table:
    """Files under the corpus that were not read, and why."""
    table = _table(f"{len(corpus.skipped)} file(s) skipped")
    table.add_column("file", overflow="fold")
    table.add_column("reason", overflow="fold")
    for skipped in corpus.skipped:
        table.add_row(cell(skipped.file), cell(skipped.reason))
    return table


def turns_view(interview: Interview) -> RenderableType:
    """An interview's turns, each under a `t<n> speaker (role)` line."""
    head = cell(interview.id, "bold") + cell(f"  {interview.file}, {interview.format}, "
                                              f"{interview.language}, {len(interview.turns)} turn(s)")
    parts: list[RenderableType] = [head]
    for turn in interview.turns:
        line = Text.assemble(("t" + str(turn.n), "cyan"), "  ", cell(turn.speaker or "(no label)", "bold"),
                             f" ({turn.role})")
        if turn.timestamp:
            line.append(f"  {turn.timestamp}", style="dim")
        parts.append(Padding(line, (0, 0, 0, 2)))
        parts.append(Padding(cell(turn.text), (0, 0, 0, 6)))
    parts.append(Text(""))
    return Group(*parts)



def corpus_view(corpus: Corpus, *, turns: bool = False) -> RenderableType:
    """Every turn (`turns`), or the interviews and the totals; then the skipped files."""
    parts: list[RenderableType] = []
    if turns:
        parts.extend(turns_view(interview) for interview in corpus)
    else:
        parts.extend([interviews_table(corpus), Text(""), summary_table(corpus)])
    if corpus.skipped:
        parts.extend([Text(""), skipped_table(corpus)])
    return Group(*parts)

"""The reports' co-occurrence section: which themes are raised together, and the quotes behind each cell.

Built from segments.csv and evidence.csv (when the results folder has
segments.csv) with `qualcode.workbench.matrix.cooccurrence`: two themes
co-occur in a segment when both count in it. In report.html each count is
a link to the list of its quotes (plain anchors, no script); each quote is
the sentence of each theme's first match in the segment, through the
report's quote filter (pseudonymised by default), with its segment id.
The section is rendered here, in its own block, for HTML and Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qualcode.report.escape import html_text as esc
from qualcode.report.escape import md_code, md_text

if TYPE_CHECKING:
    import pandas as pd

    from qualcode.codebook.model import Codebook
    from qualcode.report.data import Report

#: longest quote shown for one sentence (characters)
SENTENCE_LIMIT = 360
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")

WORDS = {
    "fr": {"title": "Thèmes cités ensemble",
           "note": "Nombre de segments où les deux thèmes comptent ; chaque nombre mène aux extraits qui le font.",
           "theme": "Thème", "back": "retour au tableau", "segments": "segment(s)",
           "md_note": "Nombre de segments où les deux thèmes comptent ; les extraits de chaque paire suivent."},
    "en": {"title": "Themes raised together",
           "note": "Number of segments in which both themes count; each number leads to the quotes behind it.",
           "theme": "Theme", "back": "back to the table", "segments": "segment(s)",
           "md_note": "Number of segments in which both themes count; the quotes of each pair follow."},
}
SECTION_ID = "cooccurrence"


@dataclass(frozen=True)
class CoQuote:
    """One segment behind a cell: its id, its interview and the sentences that hold the two themes."""

    segment_id: str
    interview_id: str
    text: str


@dataclass(frozen=True)
class Cooccurrence:
    """The themes that co-occur (in report order), the count of each pair and its quotes."""

    codes: tuple[str, ...]
    counts: dict[tuple[str, str], int]
    quotes: dict[tuple[str, str], tuple[CoQuote, ...]]

    def pair(self, a: str, b: str) -> tuple[str, str]:
        """The pair in report order (the key of `quotes`)."""
        order = {c: n for n, c in enumerate(self.codes)}
        return (a, b) if order[a] <= order[b] else (b, a)

    def anchor(self, a: str, b: str) -> str:
        first, second = self.pair(a, b)
        return f"co-{self.codes.index(first) + 1}-{self.codes.index(second) + 1}"


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for found in _SENTENCE_END.finditer(text):
        spans.append((start, found.start()))
        start = found.end()
    spans.append((start, len(text)))
    return spans


def _excerpt(sentence: str, hit: str, quotes: Callable[[str], str]) -> str:
    """One sentence through the quote filter, cut to SENTENCE_LIMIT around the matched words."""
    shown = quotes(sentence).strip()
    if len(shown) <= SENTENCE_LIMIT:
        return shown
    at = max(shown.find(quotes(hit)), 0)
    start = max(0, at - SENTENCE_LIMIT // 3)
    if start:
        start = shown.find(" ", start) + 1 or start
    piece = shown[start:start + SENTENCE_LIMIT]
    cut = piece.rfind(" ")
    piece = piece[:cut] if cut > SENTENCE_LIMIT // 2 else piece
    return ("… " if start else "") + piece.strip() + " …"


def quote_of(text: str, offset: int, matches: Sequence[tuple[int, int, str]], quotes: Callable[[str], str]) -> str:
    """The sentences of `text` (which starts at `offset`) that hold the matches, joined by ' […] '."""
    spans = _sentences(text)
    chosen: dict[int, str] = {}
    for start, _end, hit in matches:
        local = start - offset
        for n, (a, b) in enumerate(spans):
            if a <= local < max(b, a + 1):
                chosen.setdefault(n, hit)
                break
    if not chosen:
        return _excerpt(text, matches[0][2] if matches else "", quotes)
    return " […] ".join(_excerpt(text[spans[n][0]:spans[n][1]], hit, quotes) for n, hit in sorted(chosen.items()))


def build_cooccurrence(segments: pd.DataFrame, evidence: pd.DataFrame, codebook: Codebook,
                       quotes: Callable[[str], str]) -> Cooccurrence | None:
    """The section's data from segments.csv and evidence.csv (None when no two themes ever co-occur)."""
    from qualcode.workbench.matrix import cooccurrence
    from qualcode.workbench.table import workbench_from_frames

    bench = workbench_from_frames(segments, evidence, codebook)
    if not (bench.attributes["speaker_role"] == "respondent").any():
        return None
    m = cooccurrence(bench, within="segment")
    codes = tuple(c for c in m.row_values if any(m.cells.get((c, o)) for o in m.row_values if o != c))
    if not codes:
        return None
    counted = evidence[(evidence["kind"] == "theme") & (evidence["counts_for"] != "")]
    first: dict[tuple[str, str], tuple[int, int, str]] = {}
    for row in counted.itertuples(index=False):
        first.setdefault((str(row.segment_id), str(row.counts_for)),
                         (int(str(row.start)), int(str(row.end)), str(row.matched_text)))
    segs = segments.set_index("segment_id")
    counts: dict[tuple[str, str], int] = {}
    found: dict[tuple[str, str], tuple[CoQuote, ...]] = {}
    for i, a in enumerate(codes):
        for b in codes[i + 1:]:
            ids = m.ids(a, b)
            if not ids:
                continue
            counts[(a, b)] = len(ids)
            found[(a, b)] = tuple(
                CoQuote(s, str(segs.at[s, "interview_id"]),
                        quote_of(str(segs.at[s, "text"]), int(str(segs.at[s, "start"])),
                                 [first[(s, c)] for c in (a, b) if (s, c) in first], quotes))
                for s in ids)
    return Cooccurrence(codes, counts, found)


def _words(report: Report) -> dict[str, str]:
    return WORDS.get(report.lang, WORDS["en"])


def cooccurrence_html(report: Report) -> str:
    """The section for report.html ('' when the report has none)."""
    co = report.cooccurrence
    if co is None:
        return ""
    w = _words(report)
    head = "".join(f'<th class="num" title="{esc(report.theme_label(c))}">{n}</th>'
                   for n, c in enumerate(co.codes, start=1))
    out = [f'<section id="{SECTION_ID}">\n<h2>{esc(w["title"])}</h2>\n<p class="muted">{esc(w["note"])}</p>\n',
           f'<table id="{SECTION_ID}-table">\n<thead><tr><th>{esc(w["theme"])}</th>{head}</tr></thead>\n<tbody>\n']
    for n, a in enumerate(co.codes, start=1):
        cells = []
        for b in co.codes:
            count = co.counts.get(co.pair(a, b), 0) if a != b else 0
            if a == b:
                cells.append('<td class="num muted">–</td>')
            elif count:
                cells.append(f'<td class="num"><a href="#{co.anchor(a, b)}">{count}</a></td>')
            else:
                cells.append('<td class="num muted">·</td>')
        out.append(f"<tr><td>{n}. {esc(report.theme_label(a))} <code class=\"muted\">{esc(a)}</code></td>"
                   f"{''.join(cells)}</tr>\n")
    out.append("</tbody>\n</table>\n")
    lang = report.lang
    for (a, b), items in co.quotes.items():
        out.append(f'<div class="co-cell" id="{co.anchor(a, b)}">\n<h4>{esc(report.theme_label(a))} × '
                   f'{esc(report.theme_label(b))} <span class="muted">({len(items)} {esc(w["segments"])})</span></h4>\n')
        for q in items:
            text = f"« {esc(q.text)} »" if lang == "fr" else f"“{esc(q.text)}”"
            out.append(f'<blockquote><p>{text}</p><footer><code>{esc(q.segment_id)}</code></footer></blockquote>\n')
        out.append(f'<p><a href="#{SECTION_ID}-table">{esc(w["back"])}</a></p>\n</div>\n')
    out.append("</section>\n")
    return "".join(out)


def cooccurrence_markdown(report: Report) -> list[str]:
    """The section for report.md (nothing when the report has none)."""
    co = report.cooccurrence
    if co is None:
        return []
    w = _words(report)
    head = "| " + md_text(w["theme"]) + " | " + " | ".join(str(n) for n in range(1, len(co.codes) + 1)) + " |"
    rule = "|---|" + "---:|" * len(co.codes)
    rows = []
    for n, a in enumerate(co.codes, start=1):
        cells = []
        for b in co.codes:
            count = co.counts.get(co.pair(a, b), 0) if a != b else 0
            cells.append("–" if a == b else str(count) if count else "·")
        rows.append(f"| {n}. {md_text(report.theme_label(a))} | " + " | ".join(cells) + " |")
    out = [f'## {md_text(w["title"])}\n', md_text(w["md_note"]) + "\n",
           "\n".join([head, rule, *rows]) + "\n"]
    for (a, b), items in co.quotes.items():
        out.append(f'#### {md_text(report.theme_label(a))} × '
                   f"{md_text(report.theme_label(b))} ({len(items)})\n")
        out.append("\n".join(f"> {md_text(q.text)} — {md_code(q.segment_id)}\n" for q in items))
    return out


__all__ = ["CoQuote", "Cooccurrence", "build_cooccurrence", "cooccurrence_html", "cooccurrence_markdown",
           "quote_of"]

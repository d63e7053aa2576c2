"""Small inline SVG drawings for report.html: score bars, the theme x case heatmap, provider networks.

Plain strings, no library: each function returns one `<svg>` element that
HTML5 accepts inline (no namespace, no external reference), with a
`<title>` for screen readers and tooltips. Coordinates are rounded to one
decimal, so that the same data always give the same bytes. Colours are
light enough to print: text is always dark on them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from qualcode.report.escape import html_text as esc

#: sequential blues, from "absent" to "every interview" (ColorBrewer Blues, lightened)
LOW, HIGH = (247, 251, 255), (74, 144, 196)
BAR_ON, BAR_BEST, BAR_OFF, BAR_TRACK = "#2f6f9f", "#c2872b", "#9fb3c8", "#e6ebf0"
INK, MUTED, RULE = "#1b2733", "#5f6b77", "#c9d2dc"
CHAR = 0.56  # average glyph width of a sans-serif font, in ems
ROOT_HALF = math.sqrt(0.5)  # cos 45° = sin 45°
BOLD = 1.15  # bold glyphs are wider


def _n(value: float) -> str:
    """A coordinate: one decimal, no trailing zero."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def text_width(text: str, size: float) -> float:
    """An estimate of a string's width in pixels (no font metrics in a static file)."""
    return len(text) * size * CHAR


def fit(text: str, size: float, width: float) -> str:
    """`text` cut with "…" to fit `width` pixels."""
    if text_width(text, size) <= width:
        return text
    keep = max(1, int(width / (size * CHAR)) - 1)
    return text[:keep].rstrip() + "…"


def shade(share: float) -> str:
    """The fill of a heatmap cell for a share in [0, 1]."""
    share = min(1.0, max(0.0, float(share)))
    r, g, b = (round(lo + (hi - lo) * share) for lo, hi in zip(LOW, HIGH))
    return f"#{r:02x}{g:02x}{b:02x}"


def score_bar(value: float, *, threshold: float | None = None, kind: str = "off", width: int = 96,
              height: int = 10, label: str = "") -> str:
    """A horizontal bar for a score in [0, 1]; `kind` is on (the verdict), best (closest) or off."""
    value = min(1.0, max(0.0, float(value)))
    fill = {"on": BAR_ON, "best": BAR_BEST}.get(kind, BAR_OFF)
    parts = [f'<svg class="bar" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="{esc(label)}"><title>{esc(label)}</title>',
             f'<rect width="{width}" height="{height}" rx="2" fill="{BAR_TRACK}"/>']
    if value > 0:
        parts.append(f'<rect width="{_n(max(1.0, value * width))}" height="{height}" rx="2" fill="{fill}"/>')
    if threshold is not None:
        x = _n(min(width - 1, max(1, threshold * width)))
        parts.append(f'<line x1="{x}" x2="{x}" y1="0" y2="{height}" stroke="{INK}" stroke-width="1.5"/>')
    parts.append("</svg>")
    return "".join(parts)


def heatmap(groups: Sequence[tuple[str, Sequence[tuple[str, str]]]], columns: Sequence[str],
            cells: Mapping[tuple[str, str], tuple[float, str]], *, title: str = "",
            legend: Sequence[tuple[float, str]] = ()) -> str:
    """A rows x columns grid of shaded cells, its column heads written whole at 45 degrees.

    Column heads (the cases) are never cut: long area names are the rule in
    real studies, so each head is rotated and the drawing grows upwards and
    to the right to hold the longest one; narrow columns keep the grid
    readable at the page's width.

    Args:
        groups: (group label, [(row id, row label)]) in display order; a group
            label heads its rows (empty: no heading).
        columns: column labels (the cases).
        cells: (row id, column) -> (share in [0, 1], text shown in the cell).
        title: the drawing's accessible title.
        legend: (share, text) swatches drawn under the grid.
    """
    size, row_h, group_h = 12, 21, 24
    labels = [label for _, rows in groups for _, label in rows]
    label_w = min(360.0, max([text_width(x, size) for x in labels] + [80.0]) + 12)
    col_w = 46.0
    # a head runs up and to the right from the top of its column, at 45 degrees
    longest = max([text_width(c, size) * BOLD for c in columns] + [0.0]) + 8
    rise = longest * ROOT_HALF
    head_h = rise + 16
    grid_w = label_w + col_w * len(columns)
    width = max(grid_w + 4, label_w + col_w * (len(columns) - 0.5) + rise + 8)
    height = head_h + sum(len(rows) * row_h + (group_h if g else 0) for g, rows in groups) + 6
    legend_y = height + 8
    if legend:
        height += 40
    out = [f'<svg class="heatmap" width="{_n(width)}" height="{_n(height)}" '
           f'viewBox="0 0 {_n(width)} {_n(height)}" role="img" aria-label="{esc(title)}" '
           f'font-size="{size}"><title>{esc(title)}</title>']
    for n, column in enumerate(columns):
        x, y = label_w + col_w * n + col_w / 2, head_h - 6
        out.append(f'<text class="head" x="{_n(x)}" y="{_n(y)}" transform="rotate(-45 {_n(x)} {_n(y)})" '
                   f'font-weight="600" fill="{INK}"><title>{esc(column)}</title>{esc(column)}</text>')
    y = float(head_h)
    for group, rows in groups:
        if group:
            out.append(f'<text x="2" y="{_n(y + group_h - 7)}" font-weight="700" fill="{MUTED}">'
                       f'{esc(fit(group, size, grid_w - 4))}</text>')
            y += group_h
        for row_id, label in rows:
            out.append(f'<text x="2" y="{_n(y + row_h - 6)}" fill="{INK}"><title>{esc(label)}</title>'
                       f'{esc(fit(label, size, label_w - 8))}</text>')
            for n, column in enumerate(columns):
                share, text = cells.get((row_id, column), (0.0, ""))
                x = label_w + col_w * n
                out.append(f'<rect x="{_n(x + 1)}" y="{_n(y + 1)}" width="{_n(col_w - 2)}" '
                           f'height="{row_h - 2}" fill="{shade(share)}" stroke="{RULE}" stroke-width="0.5">'
                           f'<title>{esc(label)} · {esc(column)}: {esc(text)}</title></rect>')
                if text:
                    out.append(f'<text x="{_n(x + col_w / 2)}" y="{_n(y + row_h - 6)}" '
                               f'text-anchor="middle" fill="{INK}">{esc(text)}</text>')
            y += row_h
    if legend:
        x = 2.0
        for share, text in legend:
            out.append(f'<rect x="{_n(x)}" y="{_n(legend_y)}" width="28" height="14" fill="{shade(share)}" '
                       f'stroke="{RULE}" stroke-width="0.5"/>')
            out.append(f'<text x="{_n(x + 34)}" y="{_n(legend_y + 11)}" fill="{MUTED}">{esc(text)}</text>')
            x += 34 + text_width(text, size) + 18
    out.append("</svg>")
    return "".join(out)


def _wrap(text: str, limit: int = 18) -> list[str]:
    """Words into lines of about `limit` characters; nothing is cut (a longer word keeps a line)."""
    found: list[str] = []
    for word in text.split():
        if found and len(found[-1]) + 1 + len(word) <= limit:
            found[-1] += " " + word
        else:
            found.append(word)
    return found or [""]


def network(actors: Sequence[tuple[str, str]], present: Mapping[str, int],
            pairs: Sequence[tuple[str, str, int]], *, title: str = "") -> str:
    """Providers on a circle, joined by lines whose width follows their co-mentions.

    Names are written whole, wrapped on words, outside the circle and away
    from the lines; the drawing is as wide as its longest name needs. The
    number of co-mentions of each pair is in the line's tooltip and in the
    table beside the drawing, not on the line, where numbers would collide
    at the crossings.

    Args:
        actors: (id, label) of every provider, in a fixed order so that the
            drawings of several cases can be compared; one not in `present`
            is drawn hollow and grey.
        present: id -> segments where the provider counts.
        pairs: (a, b, segments where both count).
    """
    size = 11
    line_h = size + 2
    radius = max(82.0, 18.0 * len(actors))
    wrapped = {actor: _wrap(label) for actor, label in actors}
    widest = max([text_width(line, size) for lines in wrapped.values() for line in lines] + [40.0])
    tallest = max([len(lines) for lines in wrapped.values()] + [1])
    width = 2 * (radius + 13 + 8 + widest + 6)
    height = 2 * (radius + 13 + 8 + tallest * line_h + 4)
    cx, cy = width / 2, height / 2
    most = max(present.values(), default=0) or 1
    place = {}
    for k, (actor, _) in enumerate(actors):
        angle = -math.pi / 2 + 2 * math.pi * k / max(1, len(actors))
        place[actor] = (angle, cx + radius * math.cos(angle), cy + radius * math.sin(angle))
    pairs = [(a, b, n) for a, b, n in pairs if a in place and b in place and a != b]
    heaviest = max((n for _, _, n in pairs), default=0) or 1
    out = [f'<svg class="network" width="{_n(width)}" height="{_n(height)}" viewBox="0 0 {_n(width)} {_n(height)}" '
           f'role="img" aria-label="{esc(title)}" font-size="{size}"><title>{esc(title)}</title>']
    for a, b, n in pairs:
        _, x1, y1 = place[a]
        _, x2, y2 = place[b]
        stroke = 1 + 6 * n / heaviest
        out.append(f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{BAR_ON}" '
                   f'stroke-opacity="0.55" stroke-width="{_n(stroke)}" stroke-linecap="round">'
                   f'<title>{esc(a)} – {esc(b)}: {n}</title></line>')
    for actor, label in actors:
        angle, x, y = place[actor]
        segments = present.get(actor, 0)
        r = 4 + 9 * math.sqrt(segments / most) if segments else 4
        if segments:
            out.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" fill="{BAR_ON}" stroke="#ffffff" '
                       f'stroke-width="1.5"><title>{esc(label)}: {segments}</title></circle>')
        else:
            out.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" fill="#ffffff" stroke="{MUTED}" '
                       f'stroke-dasharray="2 2"><title>{esc(label)}: 0</title></circle>')
        cos, sin = math.cos(angle), math.sin(angle)
        # the name stands outside the circle: beside a node on the sides, above or below one at the
        # top or the bottom, never across the lines that leave the node inwards
        gap = 13 + 6
        lines = wrapped[actor]
        anchor = "start" if cos > 0.3 else "end" if cos < -0.3 else "middle"
        lx = x + gap * cos if anchor != "middle" else x
        block = len(lines) * line_h
        if anchor == "middle":
            top = y - gap - block + size if sin < 0 else y + gap + size
        else:
            top = y + gap * sin - block / 2 + size - 2
        colour = INK if segments else MUTED
        spans = "".join(f'<tspan x="{_n(lx)}" dy="{0 if i == 0 else line_h}">{esc(line)}</tspan>'
                        for i, line in enumerate(lines))
        out.append(f'<text class="node" x="{_n(lx)}" y="{_n(top)}" text-anchor="{anchor}" fill="{colour}">'
                   f"{spans}</text>")
    out.append("</svg>")
    return "".join(out)

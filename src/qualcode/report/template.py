"""The page around report.html: its head and its style sheet (inline, for screen and print).

No script, no web font, no image file: the system's sans-serif font, colours
light enough to print, and print rules (A4 margins, page breaks before the
long sections, nothing split inside a quote, a figure or a table row, a
case's heading kept with its provider graph). Names of places are never
broken at their hyphens (`.name`, `hyphens: manual`). A
Content-Security-Policy forbids any fetch even if a later edit added one.
"""

from __future__ import annotations

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

CSS = """
:root { --ink: #1b2733; --muted: #5f6b77; --rule: #c9d2dc; --soft: #f3f6f9; --accent: #2f6f9f;
        --warn: #9a5b00; --flag: #b3261e; }
* { box-sizing: border-box; }
html { background: #ffffff; color: var(--ink); }
body { hyphens: manual; overflow-wrap: normal;
       font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       max-width: 1080px; margin: 0 auto; padding: 28px 32px 56px; }
h1 { font-size: 1.75em; line-height: 1.25; margin: 0 0 .3em; }
h1 small { display: block; font-size: .62em; font-weight: 500; color: var(--muted); margin-top: .2em; }
h2 { font-size: 1.35em; margin: 2.2em 0 .6em; padding-bottom: .25em; border-bottom: 2px solid var(--rule); }
h3 { font-size: 1.12em; margin: 1.8em 0 .4em; }
h4 { font-size: 1em; margin: 1.2em 0 .3em; }
p { margin: .4em 0 .8em; }
a { color: var(--accent); }
code, .id { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
            font-size: .88em; }
.meta { color: var(--muted); margin: 0 0 1em; }
.meta span + span::before { content: " · "; }
nav.toc { background: var(--soft); border-radius: 6px; padding: .6em 1.2em; margin: 1.2em 0; }
nav.toc h2 { font-size: 1em; border: 0; margin: .2em 0; padding: 0; }
nav.toc ol { margin: .2em 0; padding-left: 1.4em; columns: 2; }
table { border-collapse: collapse; margin: .6em 0 1.1em; font-size: .93em; }
th, td { border-bottom: 1px solid var(--rule); padding: 5px 12px 5px 0; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid var(--rule); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.score { white-space: nowrap; font-variant-numeric: tabular-nums; min-width: 7.5em; }
td.score svg { vertical-align: -1px; margin-right: 6px; max-width: none; }
.verdict { font-weight: 700; }
.verdict.open { color: var(--warn); }
.sub { display: block; color: var(--muted); font-size: .86em; font-weight: 400; }
.flag { color: var(--flag); font-weight: 700; }
dl.facts { display: grid; grid-template-columns: 15em 1fr; gap: .3em 1.4em; margin: .6em 0 1em; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
ul.plain { padding-left: 1.2em; }
.name { white-space: nowrap; }
.legend { color: var(--muted); font-size: .86em; }
em.status { color: var(--warn); font-style: italic; }
.case { margin-top: 1.6em; display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, auto);
        grid-template-areas: "title title" "evidence network"; gap: 0 28px; align-items: start; }
.case-top { display: contents; }
.case-top > h3, .case-top > p { grid-column: 1 / -1; }
.case-evidence { grid-area: evidence; min-width: 0; }
.case-network { grid-area: network; max-width: 460px; }
@media screen and (max-width: 900px) { .case { display: block; } }
figure.network h4 { margin-top: .2em; }
table.pairs { font-size: .86em; }
figure { margin: .4em 0 1em; }
figcaption { color: var(--muted); font-size: .86em; max-width: 420px; }
blockquote { margin: .5em 0 .9em; padding: .45em .9em; border-left: 4px solid var(--rule); background: var(--soft); }
blockquote p { margin: 0; }
blockquote footer { color: var(--muted); font-size: .86em; margin-top: .3em; }
svg { max-width: 100%; height: auto; }
svg text { font-family: inherit; }
.code-entry { margin: .8em 0 1.2em; }
.code-entry h4 code { color: var(--muted); font-weight: 400; margin-left: .4em; }
.muted { color: var(--muted); }
footer.page { margin-top: 3em; color: var(--muted); font-size: .86em; border-top: 1px solid var(--rule); padding-top: .6em; }
@media print {
  @page { size: A4; margin: 16mm 14mm 18mm; }
  html, body { background: #ffffff; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  nav.toc { display: none; }
  a { color: inherit; text-decoration: none; }
  h2, h3, h4, .case-verdict { break-after: avoid; page-break-after: avoid; }
  #cases, #warnings, #appendix { break-before: page; page-break-before: always; }
  blockquote, figure, tr, .code-entry, dl.facts > * { break-inside: avoid; page-break-inside: avoid; }
  /* a case's heading, verdict and provider graph stay on one page: the graph comes first in print */
  .case { display: block; }
  .case-top { display: block; break-inside: avoid; page-break-inside: avoid; }
  #themes > h2, #themes > p { break-after: avoid; page-break-after: avoid; }
  figure.network { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 0 18px; margin-top: 0; }
  figure.network h4 { flex: 1 0 100%; }
  figure.network figcaption { flex: 1 1 200px; }
  table.cases { font-size: 9pt; }
  table.cases td.score svg { width: 44px; }
  thead { display: table-header-group; }
  blockquote { background: none; }
}
""".strip()


def page(title: str, lang: str, body: str, generator: str) -> str:
    """The whole document: `title`, `generator` and `lang` escaped by the caller, `body` is HTML."""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        f'<meta name="generator" content="{generator}">\n'
        f"<title>{title}</title>\n<style>\n{CSS}\n</style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )

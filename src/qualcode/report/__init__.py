"""Reports: the terminal view, report.html and report.md, all from one model.

`qualcode.report.data.build_report` assembles a `Report` from the files of
a results folder (`qualcode.workflows.report.load_report(folder)` reads them
from disk); `terminal.render_terminal` builds rich renderables from it,
`html.render_html` and `markdown.render_markdown` return the files' text.
Nothing here prints: the CLI does.
"""

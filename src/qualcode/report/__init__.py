"""Reports: the terminal view, report.html and report.md, all from one model.

`qualcode.report.data.build_report` assembles a `Report` from the files of
a results folder (or `load_report(folder)` from disk); `terminal.render_terminal`
builds rich renderables from it, `html.render_html` and
`markdown.render_markdown` return the files' text. Nothing here prints:
the CLI does.
"""

from __future__ import annotations

__all__ = ["build_report", "load_report", "render_html", "render_markdown", "render_terminal"]


def __getattr__(name: str):  # rich and pandas only when a report is made
    if name in ("build_report", "load_report"):
        from qualcode.report import data

        return getattr(data, name)
    if name == "render_html":
        from qualcode.report.html import render_html

        return render_html
    if name == "render_markdown":
        from qualcode.report.markdown import render_markdown

        return render_markdown
    if name == "render_terminal":
        from qualcode.report.terminal import render_terminal

        return render_terminal
    raise AttributeError(name)

"""Any name through every renderer: nothing in it becomes markup, and each stays on its line.

Case names, regions, subjects of warnings, quotes and speaker-derived
messages come from front matter, spreadsheet cells and transcripts: they can
hold line breaks (a multi-line cell), rich markup (`[link=...]`, `[/x]`,
`[conceal]`), HTML, Markdown and control or bidirectional characters. A
property test (hypothesis) puts random ones in every place a report shows
them and renders the terminal report (in a real console, colours and
hyperlinks on), report.md (parsed by markdown-it) and report.html (parsed by
the standard library): the structure is the structure of the same report
with plain names, no link, image or raw HTML appears, no hyperlink or hidden
text reaches the terminal, and nothing raises. Then the cases the issue
found, through the CLI: `analyze` on a case named `[/x]` or with a line
break writes its results and exits 0.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import replace
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from rich.console import Console
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.report.data import Notice
from qualcode.report.html import render_html
from qualcode.report.markdown import render_markdown
from qualcode.report.terminal import render_terminal
from qualcode.workflows.analyze import analyze
from support.corpora import REPORT_CODEBOOK, write_report_corpus

FRAGMENTS = [
    "[link=https://evil.example]click[/link]", "[/x]", "[conceal]hidden[/conceal]", "[bold red on black]",
    "<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "[a](javascript:alert(1))", "![i](http://x/i.png)",
    "\n# Heading", "\n\n- item", "\n1. one", " | cell | ", "`code`", "**b**", "_e_", "&lt;b&gt;", "\\",
    "\r\n", "\u2028", "\u2029", "\x85", "\x1b[31m", "\x1b]8;;http://x\x07", "\u202e", "\x00", "\t", "north",
]
NAMES = st.lists(st.sampled_from(FRAGMENTS) | st.text(min_size=1, max_size=6), min_size=1, max_size=6).map("".join)


def markdown_tokens(markdown: str) -> Counter:
    tokens = MarkdownIt("commonmark", {"html": True}).enable("table").parse(markdown)
    found: Counter = Counter()
    for token in tokens:
        found[token.type] += 1
        for child in token.children or ():
            found[child.type] += 1
    return found


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: Counter = Counter()
        self.attributes: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        self.attributes += [name for name, _ in attrs]


def html_tags(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser


def terminal(renderable) -> str:
    console = Console(file=io.StringIO(), width=100, force_terminal=True, color_system="truecolor",
                      legacy_windows=False)
    console.print(renderable)
    return console.file.getvalue()


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    corpus = write_report_corpus(tmp_path_factory.mktemp("names") / "corpus")
    return analyze(corpus, REPORT_CODEBOOK, cache_dir=False).report()


def named(report, case: str, region: str, subject: str):
    """The report with every shown name, region, subject and first quote taken from the arguments."""
    cases = []
    for n, item in enumerate(report.cases):
        quotes = tuple(replace(q, text=f"{q.text} {case}") for q in item.quotes)
        cases.append(replace(item, case=f"{case}{n}", region=region, quotes=quotes))
    notices = (*report.notices, Notice("W103", subject, f"took the first speaker, {case!r}, as the interviewer"))
    return replace(report, cases=tuple(cases), notices=notices, by=case)


@pytest.fixture(scope="module")
def baseline(report):
    plain = named(report, "casename", "regionname", "subject.md")
    return markdown_tokens(render_markdown(plain)), html_tags(render_html(plain)).tags


@given(case=NAMES, region=NAMES, subject=NAMES)
def test_no_name_becomes_markup_in_any_renderer(report, baseline, case, region, subject):
    hostile = named(report, case, region, subject)
    md_structure, html_structure = baseline

    tokens = markdown_tokens(render_markdown(hostile))
    for kind in ("html_inline", "html_block", "link_open", "image"):
        assert tokens[kind] == 0, kind
    for kind in ("heading_open", "tr_open", "table_open", "blockquote_open", "bullet_list_open",
                 "ordered_list_open", "hr"):
        assert tokens[kind] == md_structure[kind], kind

    html = render_html(hostile)
    tags = html_tags(html)
    assert tags.tags == html_structure
    assert not [a for a in tags.attributes if a.lower().startswith("on")]
    assert "\u202e" not in html and "\x1b" not in html and "\x00" not in html

    for plain in (False, True):
        screen = terminal(render_terminal(hostile, plain=plain))
        assert "\x1b]8;" not in screen  # no hyperlink
        sgr = re.findall(r"\x1b\[([0-9;]*)m", screen)
        assert not any("8" in params.split(";")[:1] for params in sgr)  # no hidden text (SGR 8)
        assert "\x1b" not in re.sub(r"\x1b\[[0-9;]*m", "", screen)  # styles only, nothing else
        assert "\u202e" not in screen and "\x00" not in screen


# --- the cases of the issue, through the CLI ------------------------------------------------

@pytest.mark.parametrize("area", ["[/x]", "[link=https://evil.example]north[/link]", "north\n# Heading",
                                  "a<img src=x onerror=alert(1)>"])
def test_analyze_with_a_hostile_case_name_writes_its_results(tmp_path, area):
    corpus = write_report_corpus(tmp_path / "corpus")
    table = "file,area\n" + "".join(f'{p.name},"{area}"\n' for p in sorted(corpus.glob("north_*.md")))
    for path in corpus.glob("north_*.md"):  # the table gives the area: a spreadsheet cell, line breaks and all
        path.write_text(path.read_text(encoding="utf-8").replace("area: north\n", ""), encoding="utf-8")
    (corpus / "metadata.csv").write_text(table, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["analyze", str(corpus), "--codebook", str(REPORT_CODEBOOK), "--out", str(out),
                                      "--no-cache", "--quiet", "--quotes", "verbatim"])
    assert result.exit_code == 0, result.output
    assert "\x1b]8;" not in result.stdout
    markdown = (out / "report.md").read_text(encoding="utf-8")
    tokens = markdown_tokens(markdown)
    assert tokens["html_inline"] == tokens["html_block"] == tokens["link_open"] == tokens["image"] == 0
    assert "<h1>Heading" not in MarkdownIt("commonmark").enable("table").render(markdown)
    assert "<img" not in (out / "report.html").read_text(encoding="utf-8")

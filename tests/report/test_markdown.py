"""report.md: GitHub-flavoured Markdown that transcript text cannot inject into."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from markdown_it import MarkdownIt

from qualcode.report.escape import md_text
from qualcode.report.markdown import render_markdown
from qualcode.workflows.analyze import analyze
from support.corpora import REPORT_CODEBOOK, write_report_corpus

HOSTILE = ("# Heading\n=====\n- item\n1. first\n| a | b |\n[link](javascript:alert(1)) "
           "<img src=x onerror=alert(1)> **bold** `code` ~~del~~ &lt;b&gt; https://example.org _em_")


def to_html(markdown: str) -> str:
    return MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough").render(markdown)


@pytest.fixture(scope="module")
def analysis(tmp_path_factory):
    corpus = write_report_corpus(tmp_path_factory.mktemp("md") / "corpus")
    return analyze(corpus, REPORT_CODEBOOK, cache_dir=False)


@pytest.fixture(scope="module")
def markdown(analysis) -> str:
    return render_markdown(analysis.report(lang="fr"))


def test_markdown_escapes_the_script(markdown):
    assert "\\<script\\>alert(1)\\</script\\>" in markdown
    html = to_html(markdown)
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>" not in html  # the codebook's title holds "<b>"


def test_markdown_hostile_text_stays_text(analysis):
    report = analysis.report()
    case = report.cases[1]
    hostile = replace(report, cases=(report.cases[0], replace(case, case="# x | y", quotes=(
        replace(case.quotes[0], text=HOSTILE),)), *report.cases[2:]))
    html = to_html(render_markdown(hostile))
    for tag in ("<img", "<a ", "<em>em</em>", "<del>", "<ol", "<li>item", "<h1>Heading"):
        assert tag not in html, tag
    assert "<strong>bold</strong>" not in html and "<code>code</code>" not in html
    assert "<h1>Heading" not in html and "<h1>x" not in html and "<h3># x | y" in html


@pytest.mark.parametrize("text, rendered", [
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("a | b", "a | b"),
    ("# not a heading", "# not a heading"),
    ("1. not a list", "1. not a list"),
    ("- not a list", "- not a list"),
    ("=== not a rule", "=== not a rule"),
    ("**not bold** _nor em_", "**not bold** _nor em_"),
    ("[not](a link)", "[not](a link)"),
    ("&lt; stays &amp;", "&amp;lt; stays &amp;amp;"),
    ("version 1.0.0", "version 1.0.0"),
])
def test_md_text_renders_as_the_text(text, rendered):
    html = to_html(md_text(text))
    assert html == f"<p>{rendered}</p>\n"


def test_markdown_tables_keep_their_columns(markdown):
    for block in re.split(r"\n\n", markdown):
        lines = [line for line in block.splitlines() if line.startswith("| ")]
        if len(lines) < 2:
            continue
        counts = {len(re.findall(r"(?<!\\)\|", line)) for line in lines}
        assert len(counts) == 1, block


def test_markdown_content(markdown):
    assert markdown.startswith("# Rapport d'analyse — Grille d'essai des rapports \\<b\\>\n")
    for heading in ("## Synthèse", "## Méthode", "## Classification des cas", "## Thèmes par cas",
                    "## Les cas un par un", "## Avertissements", "## Annexe : la grille de codage"):
        assert f"\n{heading}\n" in markdown
    assert "`north_2#t2`" in markdown and "`W434`" in markdown and "`W433`" in markdown
    assert "| Cas | Région | Entretiens | Verdict | C1 | C2 | Écart | Stabilité |" in markdown
    assert "| |" not in markdown  # no table with an empty header row (the method is a list)


def test_markdown_in_english(analysis):
    markdown = render_markdown(analysis.report(lang="en"))
    assert markdown.startswith("# Analysis report — Report test codebook \\<b\\>\n")
    assert "## Appendix: the codebook" in markdown and "Local hub" in markdown

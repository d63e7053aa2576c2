"""report.html: self-contained, escaped, structured; on the tiny report corpus (support.corpora)."""

from __future__ import annotations

from dataclasses import replace
from html.parser import HTMLParser

import pytest

from qualcode.report.html import SECTIONS, render_html
from qualcode.workflows.analyze import analyze
from support.corpora import REPORT_CODEBOOK, write_report_corpus
from support.html import network_references

HOSTILE = ('</p></blockquote><script>alert(1)</script><img src=x onerror=alert(2)> '
           '<a href="https://evil.example/x">x</a> <style>body{background:url(//evil.example/y)}</style> '
           "&amp; \x1b[31m")


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def analysis(tmp_path_factory):
    corpus = write_report_corpus(tmp_path_factory.mktemp("html") / "corpus")
    return analyze(corpus, REPORT_CODEBOOK, cache_dir=False)


@pytest.fixture(scope="module")
def html(analysis) -> str:
    return render_html(analysis.report(lang="fr"))


def test_html_has_no_network_reference(html):
    assert network_references(html) == []
    tags = _parse(html).tags
    assert not [t for t, _ in tags if t in ("script", "link", "img", "iframe", "object", "embed", "base")]
    for _, attrs in tags:
        for name in ("src", "href"):
            value = attrs.get(name)
            assert value is None or value.startswith("#"), value


def test_html_escapes_transcript_and_codebook_text(html):
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html.lower()
    assert "Grille d&#x27;essai des rapports &lt;b&gt;" in html  # the codebook's title
    assert "(&lt;i&gt;pas&lt;/i&gt; la nationale)" in html  # a definition in the appendix
    assert "Relations | opérateurs" in html


def test_html_hostile_quote_stays_text(analysis):
    report = analysis.report()
    case = report.cases[1]
    quote = replace(case.quotes[0], text=HOSTILE, segment_id='x"><b>id')
    hostile = replace(report, cases=(report.cases[0], replace(case, quotes=(quote,), case="<i>c</i>"),
                                     *report.cases[2:]))
    html = render_html(hostile)
    parsed = _parse(html)
    assert not [t for t, _ in parsed.tags if t in ("script", "img", "style", "i")][1:]  # the page's own <style>
    assert [t for t, _ in parsed.tags].count("style") == 1
    assert not any(attrs.get("href", "#").startswith("http") for _, attrs in parsed.tags)
    assert network_references(html) == []
    assert "\x1b" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;i&gt;c&lt;/i&gt;" in html


def test_html_sections_and_headings(html, analysis):
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"fr\">")
    for section in SECTIONS:
        assert f'<section id="{section}">' in html
    assert html.count("<h1>") == 1
    assert "<h2>Synthèse</h2>" in html and "<h2>Annexe : la grille de codage</h2>" in html
    assert html.count('<svg class="network"') == len(analysis.classification.table)
    assert html.count('<svg class="heatmap"') == 1
    assert html.count('<svg class="bar"') == 2 * len(analysis.classification.table)
    assert "north_2#t2" in html  # quotes carry their segment id
    assert "c33c80c953a8" not in html or "report_test" in html


def test_html_method_and_appendix(html):
    for text in ("SHA-256", "tour de parole", "part des entretiens", "0,25", "score minimal 0,30", "qualcode",
                 "Python", "spaCy", "anglais : lemmes par table",
                 "Cellule locale", "une cellule d&#x27;animation", "la coordination nationale"):
        assert text in html, text


def test_html_print_css(html):
    assert "@media print" in html and "break-before: page" in html
    assert "Content-Security-Policy" in html and "default-src &#x27;none&#x27;" not in html


def test_html_in_english(analysis):
    html = render_html(analysis.report(lang="en"))
    assert '<html lang="en">' in html and "<h2>Summary</h2>" in html and "Local hub" in html


def test_an_english_corpus_gives_an_english_report_without_lang(analysis):
    """The tiny corpus is English and its codebook French first: the report follows the corpus."""
    assert analysis.report().lang == "en"
    assert render_html(analysis.report()) == render_html(analysis.report(lang="en"))


def test_html_is_deterministic(analysis):
    assert render_html(analysis.report()) == render_html(analysis.report())

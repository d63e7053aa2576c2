"""The terminal report: rich renderables that fit 100 columns, and plain text when piped."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest
from rich.console import Console

from qualcode.report.terminal import bar, render_terminal
from qualcode.workflows.analyze import analyze
from support.corpora import REPORT_CODEBOOK, write_report_corpus

BOX = re.compile("[\u2500-\u257f]")


def render(renderable, *, width: int = 100) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None, legacy_windows=False)
    console.print(renderable)
    return console.file.getvalue()


@pytest.fixture(scope="module")
def analysis(tmp_path_factory):
    corpus = write_report_corpus(tmp_path_factory.mktemp("terminal") / "corpus")
    return analyze(corpus, REPORT_CODEBOOK, cache_dir=False)


@pytest.mark.parametrize("plain", [False, True])
def test_terminal_report_fits_100_columns(analysis, plain):
    text = render(render_terminal(analysis.report(), plain=plain))
    assert max(len(line) for line in text.splitlines()) <= 100
    assert "\x1b" not in text


def test_terminal_report_with_long_names_still_fits(analysis):
    report = analysis.report()
    long = replace(report, cases=tuple(replace(c, case=c.case * 12, region="region " * 6) for c in report.cases),
                   corpus="x/" * 80)
    for plain in (False, True):
        text = render(render_terminal(long, plain=plain))
        assert max(len(line) for line in text.splitlines()) <= 100


def test_terminal_report_content(analysis):
    text = render(render_terminal(analysis.report(), plain=True))
    assert "6 interviews, 3 cases by area" in text
    assert "codebook report_test 0.2 (c33c80c953a8)" in text or "codebook report_test 0.2 (" in text
    assert "north_2#t2" in text and "<script>alert(1)</script>" in text  # verbatim on screen
    assert "Garnier" in text
    for code in ("W431", "W432", "W433", "W434"):
        assert code in text
    assert "C1  Local coordination" in text  # the legend, in the report's language (the corpus's: English)
    french = render(render_terminal(analysis.report(lang="fr"), plain=True))
    assert "C1  Coordination locale" in french
    # north counts two interviews and the rule needs two: leaving one out cannot decide
    assert "! north" not in text and "n/t: stability not testable" in text and "north" in text
    assert "local_hub" in text and "2/2" in text


def test_plain_terminal_report_draws_no_boxes(analysis):
    plain = render(render_terminal(analysis.report(), plain=True))
    fancy = render(render_terminal(analysis.report(), plain=False))
    assert not BOX.search(plain) and "█" not in plain
    assert BOX.search(fancy)


def test_terminal_report_drops_control_characters(analysis):
    report = analysis.report()
    case = report.cases[1]
    hostile = replace(report, cases=(replace(case, quotes=(replace(case.quotes[0], text="a\x1b[31mred\x07b"),)),))
    text = render(render_terminal(hostile, plain=False))
    assert "\x1b" not in text and "\x07" not in text and "a[31mredb" in text


def test_terminal_markup_is_not_interpreted(analysis):
    report = analysis.report()
    case = replace(report.cases[1], case="[bold]north[/bold]")
    text = render(render_terminal(replace(report, cases=(case,)), plain=True))
    assert "[bold]north[/bold]" in text


@pytest.mark.parametrize("value, plain, expected", [
    (0.0, True, "........"), (1.0, True, "########"), (0.5, True, "####...."),
    (1.0, False, "████████"), (0.5, False, "████    "), (2.0, True, "########"), (-1, True, "........"),
])
def test_bar(value, plain, expected):
    assert bar(value, 8, plain=plain) == expected


LONG_NAMES = ("coteaux-de-bremond-et-vallee-haute", "marches-de-tremontane-sud", "plateau-de-vesonne-nord-est")


@pytest.mark.parametrize("width", [80, 100, 160])
@pytest.mark.parametrize("plain", [False, True])
def test_long_area_names_stay_whole_and_fit(analysis, width, plain):
    """Area names of 25 characters and more: no line is wider than the terminal, no name is cut or
    wrapped (a name is whole on one line, in the table or in the keys' legend), theme ids too."""
    report = analysis.report()
    names = {c.case: LONG_NAMES[n % len(LONG_NAMES)] + ("" if n < len(LONG_NAMES) else f"-{n}")
             for n, c in enumerate(report.cases)}
    long = replace(report, cases=tuple(replace(c, case=names[c.case]) for c in report.cases))
    text = render(render_terminal(long, plain=plain), width=width)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    for name in names.values():
        assert any(name in line for line in lines), (name, width)
    for theme in ("local_hub", "shared_tools"):
        assert any(theme in line for line in lines), theme
    assert "…" not in "".join(line for line in lines if any(n[:10] in line for n in names.values()))

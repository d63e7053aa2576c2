"""The report model: built from a results folder's files, quotes filtered, warnings gathered."""

from __future__ import annotations

import json
import sys

import pytest

from qualcode.base.atomic import write_folder
from qualcode.base.text import printable
from qualcode.errors import QualcodeError
from qualcode.report.data import (
    _ANONYMISERS,
    ANONYMISED,
    VERBATIM,
    VERBATIM_QUOTES,
    QuoteFilter,
    build_report,
    corpus_facts,
    quote_filter,
)
from qualcode.report.escape import html_text
from qualcode.workflows.analyze import analysis_files, analyze
from qualcode.workflows.report import load_report
from support.corpora import REPORT_CODEBOOK, write_report_corpus


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory):
    return write_report_corpus(tmp_path_factory.mktemp("data") / "corpus")


@pytest.fixture(scope="module")
def analysis(corpus_dir):
    return analyze(corpus_dir, REPORT_CODEBOOK, cache_dir=False)


@pytest.fixture(scope="module")
def folder(analysis, tmp_path_factory):
    return write_folder(tmp_path_factory.mktemp("data-out") / "results",
                        analysis_files(analysis, quotes="verbatim"))


@pytest.mark.parametrize("text, escaped", [
    ("<script>", "&lt;script&gt;"), ('a "b" \'c\' & d', "a &quot;b&quot; &#x27;c&#x27; &amp; d"),
    ("https://x.org/a//b", "https:&#47;&#47;x.org/a&#47;&#47;b"), ("///", "&#47;&#47;&#47;"),
    ("a\x1b[0m\x00b\tc\nd", "a[0mb\tc\nd"),
])
def test_html_text(text, escaped):
    assert html_text(text) == escaped


def test_printable_keeps_text_and_drops_controls():
    assert printable("é\x1b\x9b\x7f ok\n") == "é ok\n" and printable(None) == ""


def test_build_report_needs_the_data_files(analysis):
    files = analysis_files(analysis, quotes="verbatim")
    for name in ("manifest.json", "classification.json", "case_matrix.csv", "evidence.csv"):
        partial = {k: v for k, v in files.items() if k != name}
        with pytest.raises(QualcodeError, match=rf"\[E434\].*{name}"):
            build_report(partial, analysis.codebook)


def test_load_report_from_a_folder(folder):
    report, notes = load_report(folder, quotes=VERBATIM)
    assert notes == []  # the codebook recorded is found and unchanged
    assert report.lang == "en" and report.quotes == VERBATIM  # the corpus's language, recorded
    assert [c.case for c in report.cases] == ["east", "north", "south"]
    assert report.corpus_label == "corpus"  # an absolute path shows as its name only


def test_load_report_warns_about_another_codebook(folder, tmp_path):
    other = tmp_path / "other.yaml"
    other.write_text(REPORT_CODEBOOK.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    _, notes = load_report(folder, codebook=other, quotes=VERBATIM)
    assert any("[W436]" in n for n in notes)


def test_load_report_refuses_an_incomplete_folder(folder, tmp_path):
    partial = tmp_path / "partial"
    partial.mkdir()
    (partial / "manifest.json").write_bytes((folder / "manifest.json").read_bytes())
    with pytest.raises(QualcodeError, match=r"\[E434\].*classification.json"):
        load_report(partial, quotes=VERBATIM)


def test_anonymised_report_needs_the_corpus(folder, tmp_path):
    moved = tmp_path / "moved"
    write_folder(moved, {p.name: p.read_bytes() for p in folder.iterdir()})
    manifest = json.loads((moved / "manifest.json").read_text(encoding="utf-8"))
    manifest["corpus"]["path"] = str(tmp_path / "gone")
    (moved / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(QualcodeError, match=r"\[E435\]"):
        load_report(moved, quotes=ANONYMISED)


def test_anonymised_report_from_the_recorded_corpus(folder):
    report, notes = load_report(folder, quotes=ANONYMISED)
    assert report.quotes == ANONYMISED and notes == []
    quotes = " ".join(q.text for c in report.cases for q in c.quotes)
    assert "Garnier" not in quotes and "[PERSON 1]" in quotes


def test_quote_filter_modes(analysis):
    assert quote_filter(analysis.corpus, VERBATIM) is VERBATIM_QUOTES
    assert VERBATIM_QUOTES("Mrs Garnier") == "Mrs Garnier"
    with pytest.raises(QualcodeError, match=r"\[E431\]"):
        quote_filter(analysis.corpus, "hidden")
    first = quote_filter(analysis.corpus, ANONYMISED, codebook=analysis.codebook)
    assert first("Mrs Garnier came.") == "Mrs [PERSON 1] came."
    assert len(_ANONYMISERS) == 1  # kept for the next report of the same corpus
    assert quote_filter(analysis.corpus, ANONYMISED, codebook=analysis.codebook).apply.__self__ \
        is first.apply.__self__


def test_quote_filter_without_the_anonymiser(analysis, monkeypatch):
    _ANONYMISERS.clear()
    monkeypatch.setitem(sys.modules, "qualcode.anonymise", None)
    monkeypatch.setitem(sys.modules, "qualcode.anonymise.anonymiser", None)
    with pytest.raises(QualcodeError, match=r"\[E436\]"):
        quote_filter(analysis.corpus, ANONYMISED)
    assert quote_filter(analysis.corpus, VERBATIM)("x") == "x"


def test_with_a_custom_filter(analysis):
    shouting = QuoteFilter("anonymised", str.upper, ("[W701] a warning",))
    report = analysis.report(quotes=shouting)
    assert report.quotes == "anonymised"
    assert all(q.text == q.text.upper() for c in report.cases for q in c.quotes)
    assert report.notices[-1].code == "W701"


def test_corpus_facts_are_relative_and_sorted(analysis, corpus_dir):
    facts = corpus_facts(analysis.corpus, "area", str(corpus_dir))
    assert [i["id"] for i in facts["interviews"]] == sorted(i["id"] for i in facts["interviews"])
    assert all(not w.startswith(str(corpus_dir)) for w in facts["warnings"])
    assert any(w.startswith("north_3.md: [W105]") for w in facts["warnings"])

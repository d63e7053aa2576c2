"""`qualcode.workflows.analyze`: analyze() and analysis_files() on a tiny English corpus (fast)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from qualcode.base.atomic import write_folder
from qualcode.errors import QualcodeError
from qualcode.workflows.analyze import (
    FORMATS,
    analysis_files,
    analyze,
    parse_formats,
    selected_files,
)
from support.corpora import ALL_FILES, REPORT_CODEBOOK, write_report_corpus
from support.corpora import REPORT_INTERVIEWS as INTERVIEWS


@pytest.fixture(scope="module")
def tiny_corpus(tmp_path_factory) -> Path:
    return write_report_corpus(tmp_path_factory.mktemp("analyze") / "corpus")


@pytest.fixture(scope="module")
def analysis(tiny_corpus):
    return analyze(tiny_corpus, REPORT_CODEBOOK, cache_dir=False)


@pytest.fixture(scope="module")
def verbatim_files(analysis, ):
    return analysis_files(analysis, quotes="verbatim")


def test_analyze_reads_codes_and_classifies(analysis):
    table = analysis.classification.table
    assert table[["case", "verdict"]].values.tolist() == [["east", "insufficient"], ["north", "C1"],
                                                          ["south", "C2"]]
    assert len(analysis.corpus) == 6
    assert analysis.codebook.name == "report_test"
    assert analysis.options["by"] == "area" and analysis.options["measure"] is None


def test_analysis_files_default_is_every_file(verbatim_files):
    assert sorted(verbatim_files) == ALL_FILES


@pytest.mark.parametrize("formats, expected", [
    ("md", ["manifest.json", "report.md"]),
    ("html,json", ["classification.json", "manifest.json", "report.html"]),
    (["csv"], ["case_matrix.csv", "classification.csv", "codings.csv", "evidence.csv", "manifest.json",
               "segments.csv"]),
    (" JSON , md ", ["classification.json", "manifest.json", "report.md"]),
])
def test_analysis_files_selects_formats(analysis, formats, expected):
    files = analysis_files(analysis, formats=formats, quotes="verbatim")
    assert sorted(files) == expected
    assert selected_files(parse_formats(formats)) == expected


def test_parse_formats_rejects_unknown_and_defaults_to_all():
    assert parse_formats(None) == FORMATS
    assert parse_formats("") == FORMATS
    with pytest.raises(QualcodeError, match=r"\[E430\].*'pdf'"):
        parse_formats("html,pdf")


def test_manifest_records_versions_hashes_options_and_every_output(verbatim_files, tiny_corpus):
    manifest = json.loads(verbatim_files["manifest.json"])
    for key in ("created", "versions", "codebook", "corpus", "options", "outputs", "classification",
                "report"):
        assert key in manifest
    assert manifest["versions"]["qualcode"] and manifest["versions"]["python"]
    assert manifest["versions"]["spacy"]
    assert manifest["codebook"]["sha256"] == hashlib.sha256(REPORT_CODEBOOK.read_bytes()).hexdigest()
    assert manifest["codebook"]["bundled"] is False
    assert set(manifest["corpus"]["files"]) == {f"{i}.md" for i in INTERVIEWS}
    for name, content in verbatim_files.items():
        if name == "manifest.json":
            continue
        assert manifest["outputs"][name] == hashlib.sha256(content.encode("utf-8")).hexdigest()
    assert set(manifest["classification"]["outputs"]) == {"case_matrix.csv", "classification.csv",
                                                          "classification.json"}
    assert set(manifest["report"]["outputs"]) == {"report.html", "report.md"}
    # the report speaks the corpus's language (English here), not the codebook's first one
    assert manifest["report"]["options"] == {"formats": list(FORMATS), "lang": "en", "quotes": "verbatim"}
    assert manifest["classification"]["options"]["min_interviews"] == 2
    # the reader's facts the reports need: relative files, cases, regions
    north_3 = next(i for i in manifest["report"]["interviews"] if i["id"] == "north_3")
    assert north_3 == {"id": "north_3", "file": "north_3.md", "case": "north", "region": "r1",
                       "provider": "", "language": "en", "respondent_turns": 0, "respondent_words": 0}
    assert json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False) + "\n" == verbatim_files["manifest.json"]


def test_files_hold_no_absolute_path_but_the_arguments_as_given(analysis, verbatim_files, tiny_corpus):
    here, there = str(Path.cwd()), str(tiny_corpus)
    for name, content in verbatim_files.items():
        if name != "manifest.json":
            assert here not in content and there not in content, name
    manifest = json.loads(verbatim_files["manifest.json"])
    assert manifest["corpus"]["path"] == there  # as given (absolute here)
    assert manifest["codebook"]["path"] == manifest["classification"]["codebook"]["path"] == str(REPORT_CODEBOOK)
    for section in (manifest["corpus"], manifest["codebook"], manifest["classification"]["codebook"]):
        section.pop("path")
    text = json.dumps(manifest)
    assert here not in text and there not in text and "/tmp" not in text


def test_the_bundled_codebook_is_recorded_without_its_installed_path(tiny_corpus):
    from qualcode.codebook import bundled_codebook_path
    from qualcode.workflows.analyze import Analysis

    done = analyze(tiny_corpus, REPORT_CODEBOOK, cache_dir=False)
    bundled = Analysis(done.corpus, done.codebook.model_copy(update={"source_path": str(bundled_codebook_path())}),
                       done.codings, done.classification, done.options)
    manifest = bundled.manifest()
    assert manifest["codebook"]["path"] == "" and manifest["codebook"]["bundled"] is True


def test_same_inputs_give_the_same_bytes(tiny_corpus, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    one = analysis_files(analyze(tiny_corpus, REPORT_CODEBOOK, cache_dir=False), quotes="verbatim")
    two = analysis_files(analyze(tiny_corpus, REPORT_CODEBOOK, cache_dir=False), quotes="verbatim")
    assert one == two
    assert json.loads(one["manifest.json"])["created"] == "2023-11-14T22:13:20Z"


def test_written_folder_rerenders_to_the_same_report(analysis, verbatim_files, tmp_path):
    from qualcode.report.html import render_html
    from qualcode.report.markdown import render_markdown
    from qualcode.workflows.report import load_report

    folder = write_folder(tmp_path / "out", verbatim_files)
    report, notes = load_report(folder, codebook=REPORT_CODEBOOK, quotes="verbatim")
    assert notes == []
    assert render_markdown(report) == verbatim_files["report.md"]
    assert render_html(report) == verbatim_files["report.html"]


def test_report_model_lists_the_warnings(analysis):
    report = analysis.report()
    found = {(n.code, n.subject) for n in report.notices}
    assert ("W431", "north_3.md") in found  # no respondent turn (replaces the reader's W105)
    assert ("W432", "east") in found  # too few interviews
    assert ("W433", "never_seen") in found  # never matched
    assert ("W434", "phone_platform") in found  # always denied
    assert not any(n.code == "W105" for n in report.notices)


def test_report_model_labels_in_the_corpus_language_or_lang(analysis):
    assert analysis.report().theme_label("local_hub") == "Local hub"  # an English corpus
    assert analysis.report(lang="fr").theme_label("local_hub") == "Cellule locale"
    with pytest.raises(QualcodeError, match=r"\[E432\]"):
        analysis.report(lang="de")


def test_report_model_cases(analysis):
    report = analysis.report()
    north = next(c for c in report.cases if c.case == "north")
    assert (north.region, north.interviews, north.verdict, north.target) == ("r1", 2, "C1", "C1")
    assert [c.code for c in north.deciding()] == ["local_hub", "shared_tools"]
    assert north.quotes[0].segment_id == "north_2#t2" and "<script>" in north.quotes[0].text
    assert ("pole_emploi", "mission_locale", 1) in north.pairs
    east = next(c for c in report.cases if c.case == "east")
    assert (east.verdict, east.target, east.assigned) == ("insufficient", "C1", False)
    assert report.respondent_words == sum(i.respondent_words for i in analysis.corpus)


def test_anonymised_quotes_replace_names_in_the_reports_only(analysis):
    files = analysis_files(analysis, formats="md,csv")
    assert "Garnier" not in files["report.md"]
    assert "Mrs \\[PERSON 1\\]" in files["report.md"]
    assert "Garnier" in files["segments.csv"]  # the data files are the transcripts' own text
    assert json.loads(files["manifest.json"])["report"]["options"]["quotes"] == "anonymised"


def test_bad_quotes_mode(analysis):
    with pytest.raises(QualcodeError, match=r"\[E431\]"):
        analysis_files(analysis, quotes="redacted")

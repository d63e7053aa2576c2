"""`import qdpx`: other programs' projects become a qualcode corpus and a human coding."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from qualcode.corpus import read_corpus
from qualcode.errors import QualcodeError
from qualcode.interop.offsets import SourceText, detect_counting, prior_counting
from qualcode.interop.qdpx_export import export_qdpx
from qualcode.interop.qdpx_import import import_qdpx
from support.interop import (
    INTEROP_CODEBOOK,
    MAXQDA_SAMPLE,
    NVIVO_MAC_SAMPLE,
    NVIVO_TEXT,
    coded_results,
    nvivo_project_xml,
    nvivo_windows_project,
    zip_bytes,
)


def _rows(folder: Path) -> list[dict[str, str]]:
    with (folder / "human_coding.csv").open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def _words(report, folder: Path) -> list[tuple[str, str]]:
    corpus = read_corpus(folder)
    return [(code, corpus[iid].text[start:end]) for iid, start, end, code in report.mapped]


# --- the round trip ------------------------------------------------------------------------

def test_a_qualcode_export_reimported_gives_back_the_same_codings(tmp_path):
    results, _ = coded_results()
    qdpx = export_qdpx(results, tmp_path / "p.qdpx").path
    report = import_qdpx(qdpx, tmp_path / "back", codebook=INTEROP_CODEBOOK)
    from qualcode.interop._results import load_results

    applied = load_results(results).applied()
    expected = set(zip(applied["segment_id"], applied["code"]))
    rows = _rows(tmp_path / "back")
    assert {(r["segment"], r["code"]) for r in rows} == expected
    assert {r["coder"] for r in rows} == {"qualcode_export"}  # the machine's name is reserved
    assert any("W602" in w for w in report.warnings)
    assert report.actor_codings > 0  # providers are not themes: left out of the human coding
    assert report.counting.counting == "codepoints"


def test_the_reimported_corpus_keeps_ids_turns_and_metadata(tmp_path):
    results, corpus_dir = coded_results()
    qdpx = export_qdpx(results, tmp_path / "p.qdpx").path
    import_qdpx(qdpx, tmp_path / "back")
    original = read_corpus(corpus_dir)
    back = read_corpus(tmp_path / "back")
    assert [i.id for i in back] == [i.id for i in original]
    for before, after in zip(original, back):
        assert [(t.n, t.role, t.text) for t in after.turns] == [(t.n, t.role, t.text) for t in before.turns]
        for key in ("area", "region", "provider", "cohort", "language"):
            assert after.metadata[key] == before.metadata[key]
        assert after.metadata["case"] == before.metadata["area"]
        assert after.metadata["interviewers"] == ["Enquêtrice"]


def test_without_a_codebook_codes_get_ids_from_their_names(tmp_path):
    qdpx = export_qdpx(coded_results()[0], tmp_path / "p.qdpx").path
    import_qdpx(qdpx, tmp_path / "back", coder="alice")
    rows = _rows(tmp_path / "back")
    assert {r["code"] for r in rows} >= {"outils_partages", "retrait_regional", "pole_emploi"}
    assert {r["coder"] for r in rows} == {"alice"}


# --- real exports --------------------------------------------------------------------------

def test_the_maxqda_sample_imports(tmp_path):
    report = import_qdpx(MAXQDA_SAMPLE, tmp_path / "m")
    corpus = read_corpus(tmp_path / "m")
    assert report.origin.startswith("MAXQDA 24")
    assert report.sources == len(corpus) == 10
    assert report.codes == 307 and report.rows == 0
    assert _rows(tmp_path / "m") == []
    first = corpus.interviews[0]
    assert first.metadata["name"].startswith("ICLS 202")
    assert "Learning" in first.text


def test_the_nvivo_mac_sample_imports(tmp_path):
    report = import_qdpx(NVIVO_MAC_SAMPLE, tmp_path / "n")
    corpus = read_corpus(tmp_path / "n")
    assert report.origin == "NVivo for Mac 15.0.0"
    assert report.sources == len(corpus) == 2
    assert report.codes == 262 and report.selections == 0


# --- what NVivo for Windows writes ----------------------------------------------------------

def test_nvivo_windows_utf16_offsets_land_on_the_right_words(tmp_path):
    project = nvivo_windows_project(tmp_path / "nvivo.qdpx")
    report = import_qdpx(project, tmp_path / "out")
    assert report.counting.counting == "utf16"
    assert "UTF-16" in report.counting.description
    assert _words(report, tmp_path / "out") == [
        ("outils_partages", "annuaire commun"),
        ("cellule_locale", "cellule d'animation nous réunit 👍 chaque mois"),
    ]
    assert [(r["segment"], r["code"], r["coder"]) for r in _rows(tmp_path / "out")] == [
        ("entretien_1#t2", "outils_partages", "Alice"),
        ("entretien_1#t4", "cellule_locale", "Alice"),
    ]
    assert report.comment_only == 1 and report.empty == 1
    assert report.folders == 1 and report.codes == 2


def test_the_written_transcript_is_the_text_without_bom_and_crlf(tmp_path):
    nvivo_windows_project(tmp_path / "nvivo.qdpx")
    import_qdpx(tmp_path / "nvivo.qdpx", tmp_path / "out")
    data = (tmp_path / "out" / "entretien_1.md").read_bytes()
    assert b"\r" not in data and b"\xef\xbb\xbf" not in data
    text = data.decode("utf-8")
    assert text.endswith(NVIVO_TEXT.replace("\r\n", "\n"))
    interview = read_corpus(tmp_path / "out")["entretien_1"]
    assert interview.metadata["case"] == "Site A"
    assert interview.metadata["age_group"] == "30-39"  # NVivo's "Cases:" prefix dropped
    assert interview.metadata["genre"] == "F"
    assert interview.metadata["name"] == "Entretien 1"
    assert [t.role for t in interview.turns] == ["interviewer", "respondent"] * 2


def test_alignment_beats_the_origin_when_they_disagree(tmp_path):
    project = nvivo_windows_project(tmp_path / "p.qdpx", origin="SomeTool 1.0", unit="utf16")
    report = import_qdpx(project, tmp_path / "out")
    assert report.counting.counting == "utf16"
    assert "boundaries" in report.counting.reason
    assert next(w for _, w in _words(report, tmp_path / "out")) == "annuaire commun"


def test_code_point_offsets_are_kept_for_other_programs(tmp_path):
    project = nvivo_windows_project(tmp_path / "p.qdpx", origin="QualCoder 3.6", unit="codepoints")
    report = import_qdpx(project, tmp_path / "out")
    assert report.counting.counting == "codepoints"
    assert [w for _, w in _words(report, tmp_path / "out")] == [
        "annuaire commun", "cellule d'animation nous réunit 👍 chaque mois"]


def test_root_qde_with_another_name_and_a_namespace_variant(tmp_path):
    project = nvivo_windows_project(tmp_path / "p.qdpx", qde_name="Mon projet.qde",
                                    namespace="urn:QDA-XML:project:1:0")
    report = import_qdpx(project, tmp_path / "out")
    assert report.rows == 2


def test_project_without_namespace_and_inline_text(tmp_path):
    xml = nvivo_project_xml(namespace="", inline=True).replace(' xmlns=""', "")
    (tmp_path / "p.qdpx").write_bytes(zip_bytes([("project.qde", xml.encode("utf-8"))]))
    report = import_qdpx(tmp_path / "p.qdpx", tmp_path / "out")
    assert next(w for _, w in _words(report, tmp_path / "out")) == "annuaire commun"


def test_codes_map_to_a_codebook_by_label(tmp_path):
    nvivo_windows_project(tmp_path / "p.qdpx")
    report = import_qdpx(tmp_path / "p.qdpx", tmp_path / "out", codebook=INTEROP_CODEBOOK)
    assert [r["code"] for r in _rows(tmp_path / "out")] == ["shared_tools", "local_cell"]
    assert not [w for w in report.warnings if "W601" in w]


def test_unmatched_codes_keep_slugs_with_a_warning(tmp_path):
    xml = nvivo_project_xml().replace('name="Cellule locale"', 'name="Autre chose"')
    nvivo_windows_project(tmp_path / "p.qdpx")
    from support.interop import SOURCE_GUID

    text = ("\ufeff" + NVIVO_TEXT).encode("utf-8")
    (tmp_path / "q.qdpx").write_bytes(zip_bytes([
        ("project.qde", xml.encode("utf-8")), (f"Sources/{SOURCE_GUID.strip('{}')}.txt", text)]))
    report = import_qdpx(tmp_path / "q.qdpx", tmp_path / "out", codebook=INTEROP_CODEBOOK)
    assert [r["code"] for r in _rows(tmp_path / "out")] == ["shared_tools", "autre_chose"]
    assert any("W601" in w and "Autre chose" in w for w in report.warnings)


def test_existing_output_folder_needs_force(tmp_path):
    nvivo_windows_project(tmp_path / "p.qdpx")
    (tmp_path / "out").mkdir()
    with pytest.raises(QualcodeError, match="E402"):
        import_qdpx(tmp_path / "p.qdpx", tmp_path / "out")
    import_qdpx(tmp_path / "p.qdpx", tmp_path / "out", force=True)
    assert (tmp_path / "out" / "human_coding.csv").is_file()


def test_a_missing_source_file_is_an_error(tmp_path):
    (tmp_path / "p.qdpx").write_bytes(zip_bytes([("project.qde", nvivo_project_xml().encode("utf-8"))]))
    with pytest.raises(QualcodeError, match="E615"):
        import_qdpx(tmp_path / "p.qdpx", tmp_path / "out")


# --- offsets ----------------------------------------------------------------------------------

def test_source_text_maps_every_counting_onto_the_normalised_text():
    raw = "a😀b\r\ncafe\u0301 x"  # an emoji, CRLF, a decomposed é
    text = SourceText(raw)
    assert text.text == "a😀b\ncafé x"
    # "x" is code point 11 of raw (CRLF two), 10 with CRLF as one; UTF-16 adds one for the emoji
    x = text.text.index("x")
    assert text.to_text(11, "codepoints") == (x, True)
    assert text.to_text(12, "utf16") == (x, True)
    assert text.to_text(10, "codepoints_lf") == (x, True)
    assert text.to_text(11, "utf16_lf") == (x, True)
    # the end of the decomposed "é" (e + combining accent) is the end of the composed one
    assert text.to_text(10, "codepoints")[0] == text.text.index("é") + 1
    assert text.to_raw(2, "utf16") == (2, False)  # inside the surrogate pair: the next boundary
    assert text.length("utf16") == len(raw) + 1


def test_detection_prefers_boundaries_then_the_origin():
    raw = "Q: 😀😀 hello world\r\nR: 🎉 fine words here\r\n"
    text = SourceText(raw)
    start = raw.index("fine words")
    sels = [(start + 3, start + 3 + len("fine words"))]  # UTF-16: three emoji before
    assert detect_counting([(text, sels)], "MAXQDA").counting == "utf16"
    assert detect_counting([(SourceText("plain text"), [(0, 5)])], "NVivo 14").counting == "utf16"
    assert prior_counting("ATLAS.ti 23") == "codepoints_lf"
    assert prior_counting(None) == "codepoints"


def test_a_coding_of_a_whole_source_counts_for_every_respondent_turn(tmp_path):
    from support.interop import CODE_TOOLS, SOURCE_GUID, USER_GUID, VAR_GENDER

    anchor = f'<VariableValue><VariableRef targetGUID="{VAR_GENDER}"/>'
    whole = (f'<Coding guid="{{C0D1FFFF-0000-4000-8000-000000000009}}" creatingUser="{USER_GUID}">'
             f'<CodeRef targetGUID="{CODE_TOOLS}"/></Coding>')
    xml = nvivo_project_xml().replace(anchor, whole + anchor)  # after the selections, as the XSD wants
    text = ("\ufeff" + NVIVO_TEXT).encode("utf-8")
    (tmp_path / "p.qdpx").write_bytes(zip_bytes([
        ("project.qde", xml.encode("utf-8")), (f"Sources/{SOURCE_GUID.strip('{}')}.txt", text)]))
    report = import_qdpx(tmp_path / "p.qdpx", tmp_path / "out")
    rows = {(r["segment"], r["code"]) for r in _rows(tmp_path / "out")}
    assert rows == {("entretien_1#t2", "outils_partages"), ("entretien_1#t4", "outils_partages"),
                    ("entretien_1#t4", "cellule_locale")}
    assert report.codings == 3


def test_two_codes_with_one_guid_are_refused_not_merged(tmp_path):
    """The codings of the first code used to move silently to the second."""
    from support.interop import CODE_CELL, CODE_TOOLS, NVIVO_TEXT, SOURCE_GUID

    xml = nvivo_project_xml().replace(f'guid="{CODE_CELL}"', f'guid="{CODE_TOOLS.lower()}"')
    (tmp_path / "p.qdpx").write_bytes(zip_bytes([
        ("project.qde", xml.encode("utf-8")),
        (f"Sources/{SOURCE_GUID.strip('{}')}.txt", NVIVO_TEXT.encode("utf-8"))]))
    with pytest.raises(QualcodeError, match=r"\[E622\].*'Outils partagés' and 'Cellule locale'") as caught:
        import_qdpx(tmp_path / "p.qdpx", tmp_path / "out")
    assert caught.value.path == str(tmp_path / "p.qdpx")
    assert not (tmp_path / "out").exists() and sorted(p.name for p in tmp_path.iterdir()) == ["p.qdpx"]


def test_a_source_that_does_not_read_as_a_transcript_names_the_source(tmp_path):
    """Read back from the staged folder, the error names the source and the file as written, not the stage."""
    from support.interop import NVIVO_TEXT, SOURCE_GUID

    (tmp_path / "p.qdpx").write_bytes(zip_bytes([
        ("project.qde", nvivo_project_xml().encode("utf-8")),
        (f"Sources/{SOURCE_GUID.strip('{}')}.txt", (NVIVO_TEXT + "\x00" * 50).encode("utf-8"))]))
    with pytest.raises(QualcodeError, match=r"\[E621\] the text source 'Entretien 1', written as .*out/") as caught:
        import_qdpx(tmp_path / "p.qdpx", tmp_path / "out")
    assert ".tmp-" not in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.qdpx"]


def test_an_imported_corpus_is_marked_and_can_be_replaced(tmp_path):
    nvivo_windows_project(tmp_path / "p.qdpx")
    import_qdpx(tmp_path / "p.qdpx", tmp_path / "out")
    assert (tmp_path / "out" / ".qualcode.json").is_file()
    assert not any(".qualcode" in w for w in read_corpus(tmp_path / "out").warnings)  # hidden: never read
    import_qdpx(tmp_path / "p.qdpx", tmp_path / "out", force=True)


def test_a_position_between_cr_and_lf_is_not_a_line_boundary():
    """With one selection, "CRLF as one" must not lose to a reading that starts inside a line break."""
    raw = "Q : Bonjour.\r\nR : On a un annuaire commun.\r\n"
    text = SourceText(raw)
    # as ATLAS.ti counts (a line break is one position): "R : On a", from the start of line 2
    start = raw.index("R :") - 1
    end = raw.index("R : On a") + len("R : On a") - 1
    read_as_two, _ = text.to_raw(start, "codepoints")
    assert raw[read_as_two - 1] == "\r" and raw[read_as_two] == "\n"  # read as two, it starts inside CRLF
    assert text._score(read_as_two, True) == -2
    detection = detect_counting([(text, [(start, end)])], "SomeTool 1.0")
    assert detection.counting == "codepoints_lf"
    assert text.text[text.to_text(start, "codepoints_lf")[0]:text.to_text(end, "codepoints_lf")[0]] == "R : On a"


def test_the_maxqda_papers_lose_no_words_to_a_title_taken_for_a_speaker(tmp_path):
    """'Model 1:' in a paper once made an interviewer of a title (1,642 words lost): it is text now."""
    import re

    from support.interop import MAXQDA_SAMPLE

    def words(text: str) -> int:
        return len(re.findall(r"\w+", text))

    import_qdpx(MAXQDA_SAMPLE, tmp_path / "auto")
    paper = read_corpus(tmp_path / "auto")["icls_2024_27_34"]
    assert any("[W110]" in w and "'Model 1' (a title)" in w for w in paper.warnings)
    assert sum(words(t.text) for t in paper.turns if t.is_respondent) == words(paper.body)
    # papers that quote a dialogue keep every word when read as paragraphs
    import_qdpx(MAXQDA_SAMPLE, tmp_path / "paragraphs", unit="paragraph")
    for interview in read_corpus(tmp_path / "paragraphs"):
        assert sum(words(t.text) for t in interview.turns if t.is_respondent) == words(interview.body)

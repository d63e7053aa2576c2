"""`export qdpx`: a REFI-QDA project that validates, cuts the evidence exactly, and is reproducible."""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree.ElementTree import fromstring

import pandas as pd
import pytest
import xmlschema

from qualcode.errors import QualcodeError
from qualcode.interop._results import load_results
from qualcode.interop.qdpx_export import build_qdpx, export_qdpx
from support.interop import PROJECT_NS as NS
from support.interop import SCHEMAS, coded_results, copy_results

GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    results, _corpus = coded_results()
    out = tmp_path_factory.mktemp("qdpx") / "project.qdpx"
    export = export_qdpx(results, out)
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        files = {name: archive.read(name) for name in names}
    root = fromstring(files["project.qde"])
    return export, out, names, files, root


def _evidence():
    results, _ = coded_results()
    ev = pd.read_csv(results / "evidence.csv", dtype=str, keep_default_na=False)
    return ev


def test_project_validates_against_the_official_schema(exported):
    _, _, _, files, _ = exported
    schema = xmlschema.XMLSchema10(str(SCHEMAS / "Project.xsd"))
    assert list(schema.iter_errors(files["project.qde"].decode("utf-8"))) == []


def test_zip_layout_project_first_then_lowercase_sources(exported):
    export, _, names, files, _root = exported
    assert names[0] == "project.qde"
    assert all(n.startswith("sources/") and n.endswith(".txt") for n in names[1:])
    assert len(names) - 1 == export.sources == 3
    assert not files["project.qde"].startswith(b"\xef\xbb\xbf")
    assert files["project.qde"].startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0"')


def test_sources_are_the_normalised_texts_in_utf8_without_bom_or_front_matter(exported):
    _, _, _, files, root = exported
    from qualcode.corpus import read_corpus

    corpus = read_corpus(coded_results()[1])
    for source in root.iter(f"{NS}TextSource"):
        path = source.get("plainTextPath")
        assert path.startswith("internal://") and not path.startswith("internal://sources/")
        data = files["sources/" + path[len("internal://"):]]
        assert not data.startswith(b"\xef\xbb\xbf")
        interview = corpus[source.get("name")]
        assert data.decode("utf-8") == interview.body == interview.text[interview.body_start:]
        assert not data.startswith(b"---")  # the metadata are variables, where NVivo and MAXQDA look


def test_every_selection_cuts_exactly_its_evidence(exported):
    _, _, _, files, root = exported
    from qualcode.corpus import read_corpus

    body = {i.id: i.body_start for i in read_corpus(coded_results()[1])}
    ev = _evidence()
    counted = ev[ev["counts_for"] != ""]
    spans = {(r.segment_id.split("#")[0], int(r.start) - body[r.segment_id.split("#")[0]],
              int(r.end) - body[r.segment_id.split("#")[0]]): r.matched_text
             for r in counted.itertuples()}
    seen = set()
    for source in root.iter(f"{NS}TextSource"):
        text = files["sources/" + source.get("plainTextPath")[len("internal://"):]].decode("utf-8")
        for selection in source.iter(f"{NS}PlainTextSelection"):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            key = (source.get("name"), start, end)
            assert text[start:end] == spans[key]
            seen.add(key)
    assert seen == set(spans)  # one selection per evidence span that counts


def test_emoji_before_the_evidence_count_one_code_point(exported):
    _, _, _, files, root = exported
    source = next(s for s in root.iter(f"{NS}TextSource") if s.get("name") == "a1")
    text = files["sources/" + source.get("plainTextPath")[len("internal://"):]].decode("utf-8")
    names = {s.get("name"): int(s.get("startPosition")) for s in source.iter(f"{NS}PlainTextSelection")}
    assert "😀" in text[:names["plateforme téléphonique"]]
    assert text.index("plateforme téléphonique") == names["plateforme téléphonique"]


def test_one_coding_per_code_and_one_coderef_per_coding(exported):
    _, _, _, _, root = exported
    codes = {c.get("guid"): c for c in root.iter(f"{NS}Code")}
    for selection in root.iter(f"{NS}PlainTextSelection"):
        targets = []
        for coding in selection.findall(f"{NS}Coding"):
            refs = coding.findall(f"{NS}CodeRef")
            assert len(refs) == 1
            targets.append(refs[0].get("targetGUID"))
        assert targets and len(targets) == len(set(targets))
        assert all(codes[t].get("isCodable") == "true" for t in targets)


def test_codings_follow_counts_for_and_skip_what_does_not_count(exported):
    _, _, _, _files, root = exported
    names = {c.get("guid"): c.get("name") for c in root.iter(f"{NS}Code")}
    coded = {}
    listed = []
    for source in root.iter(f"{NS}TextSource"):
        for selection in source.iter(f"{NS}PlainTextSelection"):
            listed.append((source.get("name"), selection.get("name")))
            coded[(source.get("name"), selection.get("name"))] = [
                names[c.find(f"{NS}CodeRef").get("targetGUID")] for c in selection.findall(f"{NS}Coding")]
    # a past cell counts for the region's withdrawal, not for the cell
    assert coded[("a1", "cellule d'animation")] == ["Retrait régional"]
    assert coded[("b1", "cellule d'animation")] == ["Cellule locale"]
    # the negated second directory of a1 is not a selection; the first one is
    assert listed.count(("a1", "annuaire commun")) == 1
    assert coded[("a1", "annuaire commun")] == ["Outils partagés"]
    # providers are coded too, under their own folder
    assert coded[("a1", "France Travail")] == ["Pôle emploi"]


def test_code_tree_groups_are_folders_and_providers_have_their_own(exported):
    _, _, _, _, root = exported
    top = root.find(f"{NS}CodeBook/{NS}Codes").findall(f"{NS}Code")
    assert [(c.get("name"), c.get("isCodable")) for c in top] == [
        ("Outils et instances", "false"), ("Relations", "false"), ("Opérateurs", "false")]
    tools = top[0].findall(f"{NS}Code")
    assert [c.get("name") for c in tools] == ["Outils partagés", "Cellule locale"]
    assert tools[0].find(f"{NS}Description").text == "Des outils communs à plusieurs opérateurs."
    assert all(re.match(r"^#[0-9A-F]{6}$", c.get("color")) for c in root.iter(f"{NS}Code"))


def test_guids_are_valid_unique_and_every_reference_resolves(exported):
    _, _, _, _, root = exported
    guids = [e.get("guid") for e in root.iter() if e.get("guid") is not None]
    assert all(GUID.match(g) for g in guids)
    assert len(guids) == len(set(guids))
    targets = [e.get("targetGUID") for e in root.iter() if e.get("targetGUID") is not None]
    assert targets and set(targets) <= set(guids)
    users = {u.get("guid") for u in root.iter(f"{NS}User")}
    for element in root.iter():
        for attribute in ("creatingUser", "creatingUserGUID"):
            if element.get(attribute):
                assert element.get(attribute) in users


def test_no_empty_container_and_description_last(exported):
    _, _, _, _, root = exported
    for container in ("Users", "CodeBook", "Codes", "Variables", "Cases", "Sources"):
        for element in root.iter(f"{NS}{container}"):
            assert len(element) > 0, container
    assert [child.tag.split("}")[1] for child in root] == [
        "Users", "CodeBook", "Variables", "Cases", "Sources", "Description"]


def test_cases_and_variables_at_the_level_they_describe(exported):
    _, _, _, _, root = exported
    variables = {v.get("guid"): v.get("name") for v in root.iter(f"{NS}Variable")}
    assert set(variables.values()) == {"area", "region", "provider", "language", "interviewers", "cohort"}
    assert all(v.get("typeOfVariable") == "Text" for v in root.iter(f"{NS}Variable"))
    sources = {s.get("guid"): s.get("name") for s in root.iter(f"{NS}TextSource")}

    def values(element):
        return {variables[v.find(f"{NS}VariableRef").get("targetGUID")]: v.find(f"{NS}TextValue").text
                for v in element.findall(f"{NS}VariableValue")}

    cases = {c.get("name"): c for c in root.iter(f"{NS}Case")}
    assert sorted(cases) == ["nord", "sud"]
    assert sorted(sources[r.get("targetGUID")] for r in cases["nord"].findall(f"{NS}SourceRef")) == ["a1", "a2"]
    assert values(cases["nord"]) == {"area": "nord", "region": "Hauts Plateaux", "cohort": "Été 2024"}
    a1 = next(s for s in root.iter(f"{NS}TextSource") if s.get("name") == "a1")
    assert values(a1) == {"provider": "pole_emploi", "language": "fr", "interviewers": "Enquêtrice"}
    used = [set(values(e)) for e in [*cases.values(), *root.iter(f"{NS}TextSource")]]
    case_vars = set().union(*used[:2])
    source_vars = set().union(*used[2:])
    assert not case_vars & source_vars  # a variable describes cases or sources, never both


def test_dates_come_from_the_manifest(exported):
    _, _, _, _, root = exported
    import json

    created = json.loads((coded_results()[0] / "manifest.json").read_text())["created"]
    assert root.get("creationDateTime") == created
    assert {e.get("creationDateTime") for e in root.iter() if e.get("creationDateTime")} == {created}


def test_reexport_is_byte_identical(exported, tmp_path):
    _, out, _, _, _ = exported
    again = export_qdpx(coded_results()[0], tmp_path / "again.qdpx")
    assert again.path.read_bytes() == out.read_bytes()
    with zipfile.ZipFile(io.BytesIO(again.data)) as archive:
        assert {i.date_time for i in archive.infolist()} == {zipfile.ZipFile(out).infolist()[0].date_time}


def test_a_changed_corpus_file_is_refused(tmp_path):
    results, corpus = copy_results(tmp_path)
    target = corpus / "nord" / "a2.md"
    target.write_text(target.read_text(encoding="utf-8").replace("numéro", "numero"), encoding="utf-8")
    with pytest.raises(QualcodeError, match=r"E607.*changed since coding"):
        export_qdpx(results, tmp_path / "x.qdpx", corpus=corpus)
    assert not (tmp_path / "x.qdpx").exists()


def test_a_missing_corpus_file_is_refused(tmp_path):
    results, corpus = copy_results(tmp_path)
    (corpus / "sud" / "b1.md").unlink()
    with pytest.raises(QualcodeError, match=r"E608"):
        export_qdpx(results, tmp_path / "x.qdpx", corpus=corpus)


def test_evidence_that_does_not_match_the_text_is_refused(tmp_path):
    results, corpus = copy_results(tmp_path)
    ev = pd.read_csv(results / "evidence.csv", dtype=str, keep_default_na=False)
    ev.loc[ev.index[0], "start"] = str(int(ev.loc[ev.index[0], "start"]) + 1)
    ev.to_csv(results / "evidence.csv", index=False)
    with pytest.raises(QualcodeError, match=r"E609"):
        build_qdpx(load_results(results, corpus=corpus))


def test_existing_output_needs_force(exported, tmp_path):
    target = tmp_path / "p.qdpx"
    export_qdpx(coded_results()[0], target)
    with pytest.raises(QualcodeError, match="E437"):
        export_qdpx(coded_results()[0], target)
    export_qdpx(coded_results()[0], target, force=True)
    assert zipfile.is_zipfile(target)


def test_force_never_replaces_a_file_qualcode_did_not_write(exported, tmp_path):
    target = tmp_path / "p.qdpx"
    target.write_bytes(b"someone's project")
    with pytest.raises(QualcodeError, match="E443"):
        export_qdpx(coded_results()[0], target, force=True)
    assert target.read_bytes() == b"someone's project"


def test_a_codebook_that_lacks_the_coded_codes_is_refused(tmp_path):
    from support.paths import TESTS_DATA

    with pytest.raises(QualcodeError, match=r"E618.*shared_tools"):
        export_qdpx(coded_results()[0], tmp_path / "x.qdpx",
                    codebook=TESTS_DATA / "codebooks" / "minimal.yaml")


def test_a_corpus_that_moved_asks_for_corpus(tmp_path, monkeypatch):
    import json
    import shutil

    results = tmp_path / "results"
    shutil.copytree(coded_results()[0], results)
    manifest = json.loads((results / "manifest.json").read_text(encoding="utf-8"))
    manifest["corpus"]["path"] = "gone/corpus"
    (results / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(QualcodeError, match=r"E619.*pass --corpus"):
        export_qdpx(results, tmp_path / "x.qdpx")
    export_qdpx(results, tmp_path / "x.qdpx", corpus=coded_results()[1])


def test_emoji_before_selections_are_reported(exported):
    export = exported[0]
    assert any("W607" in w and "--offsets utf16" in w for w in export.warnings)


def test_utf16_offsets_for_nvivo_and_back(tmp_path):
    from qualcode.interop.qdpx_import import import_qdpx
    from support.interop import INTEROP_CODEBOOK, u16

    export = export_qdpx(coded_results()[0], tmp_path / "nvivo.qdpx", offsets="utf16")
    assert not any("W607" in w for w in export.warnings)
    with zipfile.ZipFile(export.path) as archive:
        root = fromstring(archive.read("project.qde"))
        files = {n: archive.read(n) for n in archive.namelist()}
    assert "UTF-16" in root.get("origin")
    schema = xmlschema.XMLSchema10(str(SCHEMAS / "Project.xsd"))
    assert list(schema.iter_errors(files["project.qde"].decode("utf-8"))) == []
    source = next(s for s in root.iter(f"{NS}TextSource") if s.get("name") == "a1")
    text = files["sources/" + source.get("plainTextPath")[len("internal://"):]].decode("utf-8")
    selection = next(s for s in source.iter(f"{NS}PlainTextSelection")
                     if s.get("name") == "plateforme téléphonique")
    start = text.index("plateforme téléphonique")
    assert int(selection.get("startPosition")) == u16(text, start) == start + 2  # two emoji before
    report = import_qdpx(export.path, tmp_path / "back", codebook=INTEROP_CODEBOOK)
    assert report.counting.counting == "utf16"
    applied = load_results(coded_results()[0]).applied()
    import csv

    with (tmp_path / "back" / "human_coding.csv").open(encoding="utf-8") as stream:
        rows = {(r["segment"], r["code"]) for r in csv.DictReader(stream)}
    assert rows == set(zip(applied["segment_id"], applied["code"]))


def test_unknown_offset_unit_is_refused(tmp_path):
    with pytest.raises(QualcodeError, match="E620"):
        export_qdpx(coded_results()[0], tmp_path / "x.qdpx", offsets="bytes")


def test_the_description_gives_the_values_used_not_none(tmp_path):
    import json

    results, _corpus = copy_results(tmp_path)
    manifest = json.loads((results / "manifest.json").read_text(encoding="utf-8"))
    manifest["options"].update({"margin": None, "measure": None, "min_score": None, "min_interviews": None})
    (results / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    export_qdpx(results, tmp_path / "p.qdpx", corpus=tmp_path / "corpus")
    with zipfile.ZipFile(tmp_path / "p.qdpx") as archive:
        description = fromstring(archive.read("project.qde")).findtext(f"{NS}Description")
    assert "None" not in description  # this codebook has no decision rule: nothing to say of them
    assert "unit=turn" in description and "by=area" in description and "margin" not in description
    from qualcode.codebook import load_codebook
    from qualcode.interop.qdpx_export import _options_text

    loaded = load_results(results, corpus=tmp_path / "corpus", codebook=None)
    loaded.codebook = load_codebook(None)  # the bundled codebook has a rule: its values are given
    rule = loaded.codebook.decision
    text = _options_text(loaded)
    assert f"margin={rule.min_margin:g} (the codebook's)" in text and f"measure={rule.measure} (the codebook's)" in text
    assert "None" not in text


def test_control_characters_in_metadata_are_warned_not_dropped_silently(tmp_path):
    from qualcode.interop.iramuteq import export_iramuteq

    results, corpus = copy_results(tmp_path)
    (corpus / "metadata.csv").write_text("file,note\nnord/a1.md,bip\x07bip\n", encoding="utf-8")
    done = export_qdpx(results, tmp_path / "p.qdpx", corpus=corpus)
    [warning] = [w for w in done.warnings if "W608" in w]
    assert "a1 note (U+0007)" in warning and "dropped from the project" in warning
    iramuteq = export_iramuteq(results, tmp_path / "i.txt", corpus=corpus)
    [warning] = [w for w in iramuteq.warnings if "W608" in w]
    assert "a1 note" in warning and "'_'" in warning

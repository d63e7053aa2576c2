"""REFI-QDA codebooks: `export qdc` validates; `import qdc` gives a skeleton that loads as it stands."""

from __future__ import annotations

import hashlib
from xml.etree.ElementTree import fromstring

import pytest
import xmlschema

from qualcode.codebook import load_codebook
from qualcode.errors import QualcodeError
from qualcode.interop.qdc import codebook_to_qdc, import_qdc
from qualcode.interop.qdpx_export import export_qdpx
from support.interop import INTEROP_CODEBOOK, MAXQDA_SAMPLE, NVIVO_MAC_SAMPLE, SCHEMAS, coded_results
from support.paths import BUNDLED_CODEBOOK

CB = "{urn:QDA-XML:codebook:1.0}"

#: the official QDA-XML 1.0 schemas, as published (never edit the copies qualcode ships)
OFFICIAL = {
    "Project.xsd": "7841112e27897debf996f76209b9c5a5d074d66c1297a2f19f5ef250d29303bd",
    "Codebook.xsd": "bc4706a6fdb736cc3248de1753366f2b1f5b13e6828d319cea2874deb7e61b52",
}


def test_the_shipped_schemas_are_the_official_ones():
    for name, digest in OFFICIAL.items():
        assert hashlib.sha256((SCHEMAS / name).read_bytes()).hexdigest() == digest


@pytest.mark.parametrize("path", [INTEROP_CODEBOOK, BUNDLED_CODEBOOK])
def test_exported_codebook_validates(path):
    data = codebook_to_qdc(load_codebook(path))
    schema = xmlschema.XMLSchema10(str(SCHEMAS / "Codebook.xsd"))
    assert list(schema.iter_errors(data.decode("utf-8"))) == []
    assert data.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0"')


def test_exported_codebook_tree_no_sets_and_same_guids_as_the_project(tmp_path):
    data = codebook_to_qdc(load_codebook(INTEROP_CODEBOOK))
    root = fromstring(data)
    assert [c.tag for c in root] == [f"{CB}Codes"]  # no empty <Sets/>
    top = root.find(f"{CB}Codes").findall(f"{CB}Code")
    assert [(c.get("name"), c.get("isCodable")) for c in top] == [
        ("Outils et instances", "false"), ("Relations", "false"), ("Opérateurs", "false")]
    assert top[0].find(f"{CB}Code").find(f"{CB}Description").text.startswith("Des outils communs")
    project = export_qdpx(coded_results()[0], tmp_path / "p.qdpx")
    import zipfile

    qde = fromstring(zipfile.ZipFile(project.path).read("project.qde"))
    ns = "{urn:QDA-XML:project:1.0}"
    assert {c.get("guid") for c in qde.iter(f"{ns}Code")} == {c.get("guid") for c in root.iter(f"{CB}Code")}


def test_export_then_import_gives_a_codebook_that_loads(tmp_path):
    qdc = tmp_path / "c.qdc"
    qdc.write_bytes(codebook_to_qdc(load_codebook(INTEROP_CODEBOOK)))
    result = import_qdc(qdc, tmp_path / "back.yaml", languages=["fr", "en"])
    book = load_codebook(tmp_path / "back.yaml")
    assert book.languages == ["fr", "en"]
    assert [g.id for g in book.groups] == ["outils_et_instances", "relations", "operateurs"]
    assert [c.id for c in book.codes][:2] == ["outils_partages", "cellule_locale"]
    code = book.code("outils_partages")
    assert code.label == {"fr": "Outils partagés", "en": "Outils partagés"}
    assert code.definition["fr"] == "Des outils communs à plusieurs opérateurs."
    assert [p.phrase for p in code.patterns["fr"]] == ["Outils partagés"]  # the placeholder
    assert result.codes == 5 and result.groups == 3 and result.folders == 3
    text = (tmp_path / "back.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Codebook skeleton imported by qualcode from c.qdc (qualcode ")
    assert "PLACEHOLDER PATTERNS" in text.split("name:")[0]


HIERARCHY = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="{ns}" origin="ATLAS.ti Win 23.4.0">
<Codes>
  <Code guid="{{5215cc69-b628-4e02-afb9-9beeaee55808}}" name="Topics" isCodable="false">
    <Code guid="D7AA29DA-519B-4946-9B90-253B6DB8FD0A" name="Economy" isCodable="true">
      <Description>Anything about jobs or taxes</Description>
      <Code guid="0dcef2f5-e55c-49da-8c33-9b0803c7aeb4" name="Jobs" isCodable="true"/>
    </Code>
    <Code guid="9fa9bcb7-5b59-47a9-8c3e-f65cffdc7520" name="Sub folder" isCodable="false">
      <Code guid="7c108712-b650-4892-ac0b-fc9a10190c3b" name="Economy" isCodable="true"/>
    </Code>
  </Code>
  <Code guid="12365523-1035-4afa-9e7b-281fe0bc51c5" name="Values" isCodable="true">
    <Code guid="12365523-1035-4afa-9e7b-281fe0bc51c6" name="Liberals" isCodable="true"/>
  </Code>
  <Code guid="12365523-1035-4afa-9e7b-281fe0bc51c7" name="2020 élection" isCodable="true"/>
</Codes>
</CodeBook>
"""


@pytest.mark.parametrize("ns", ["urn:QDA-XML:codebook:1.0", "urn:QDA-XML:codebook:1:0",
                                "urn:QDA-XML:codebook:0:4", "urn:QDA-XML:project:0:10", ""])
def test_namespace_variants_and_the_hierarchy(tmp_path, ns):
    xml = HIERARCHY.format(ns=ns).replace(' xmlns=""', "")
    (tmp_path / "c.qdc").write_text(xml, encoding="utf-8")
    result = import_qdc(tmp_path / "c.qdc", tmp_path / "book.yaml", languages=["en"])
    book = load_codebook(tmp_path / "book.yaml")
    groups = {g.id: g.label["en"] for g in book.groups}
    assert groups == {"topics": "Topics", "sub_folder": "Topics / Sub folder", "values": "Values",
                      "ungrouped": "Ungrouped"}
    placed = [(c.id, c.group) for c in book.codes]
    assert placed == [("economy", "topics"), ("jobs", "topics"), ("economy_2", "sub_folder"),
                      ("values", "values"), ("liberals", "values"), ("code_2020_election", "ungrouped")]
    assert book.code("economy").definition["en"] == "Anything about jobs or taxes"
    assert book.code("jobs").definition["en"] == "Jobs"
    assert result.folders == 2 and result.flattened == 2
    assert result.origin == "ATLAS.ti Win 23.4.0"


def test_a_project_codebook_is_read_from_a_qdpx(tmp_path):
    result = import_qdc(MAXQDA_SAMPLE, tmp_path / "m.yaml")
    book = load_codebook(tmp_path / "m.yaml")
    assert len(book.codes) == result.codes == 307
    assert book.languages == ["fr"]
    result = import_qdc(NVIVO_MAC_SAMPLE, tmp_path / "n.yaml", languages=["en"])
    book = load_codebook(tmp_path / "n.yaml")
    assert len(book.codes) == 262
    assert len({c.id for c in book.codes}) == 262  # "programming" twice: ids made unique
    assert "programming_2" in book.theme_ids


def test_unknown_language_is_refused(tmp_path):
    qdc = tmp_path / "c.qdc"
    qdc.write_bytes(codebook_to_qdc(load_codebook(INTEROP_CODEBOOK)))
    with pytest.raises(QualcodeError, match="E113"):
        import_qdc(qdc, tmp_path / "x.yaml", languages=["de"])


def test_a_codebook_without_codes_is_refused(tmp_path):
    (tmp_path / "c.qdc").write_text('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>',
                                    encoding="utf-8")
    with pytest.raises(QualcodeError, match="no code"):
        import_qdc(tmp_path / "c.qdc", tmp_path / "x.yaml")

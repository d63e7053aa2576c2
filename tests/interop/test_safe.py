"""Hostile files: archives that escape or explode, XML with DTDs and entities. All are refused."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from qualcode.errors import QualcodeError
from qualcode.interop import _safe
from qualcode.interop.qdc import import_qdc
from qualcode.interop.qdpx_import import import_qdpx
from support.interop import nvivo_project_xml, nvivo_windows_project, patch_sizes, zip_bytes

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE Project [
  <!ENTITY a "aaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&c;"/>
"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE CodeBook [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
<Code guid="5215cc69-b628-4e02-afb9-9beeaee55808" name="&secret;" isCodable="true"/></Codes></CodeBook>
"""
DTD_ONLY = """<?xml version="1.0"?>
<!DOCTYPE CodeBook SYSTEM "http://example.invalid/codebook.dtd">
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
<Code guid="5215cc69-b628-4e02-afb9-9beeaee55808" name="a" isCodable="true"/></Codes></CodeBook>
"""


def _project(tmp_path: Path, entries) -> Path:
    path = tmp_path / "hostile.qdpx"
    path.write_bytes(zip_bytes(entries))
    return path


@pytest.mark.parametrize("member, why", [
    ("../evil.txt", "'..'"),
    ("sources/../../evil.txt", "'..'"),
    ("/etc/evil.txt", "absolute"),
    ("C:/Windows/evil.txt", "absolute"),
    ("..\\evil.txt", "'..'"),
])
def test_members_that_escape_the_folder_are_refused(tmp_path, member, why):
    path = _project(tmp_path, [("project.qde", nvivo_project_xml().encode()), (member, b"x")])
    with pytest.raises(QualcodeError, match=rf"E602.*{why}"):
        import_qdpx(path, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert not (tmp_path.parent / "evil.txt").exists()


def test_declared_sizes_are_checked_before_reading(tmp_path):
    data = zip_bytes([("project.qde", nvivo_project_xml().encode())])
    path = tmp_path / "big.qdpx"
    path.write_bytes(patch_sizes(data, "project.qde", 0x7FFFFFF0))
    with pytest.raises(QualcodeError, match=r"E603.*unpacks to 2147483632 bytes"):
        import_qdpx(path, tmp_path / "out")


def test_the_total_declared_size_is_limited(tmp_path, monkeypatch):
    monkeypatch.setattr(_safe, "MAX_TOTAL_BYTES", 1000)
    path = nvivo_windows_project(tmp_path / "p.qdpx")
    with pytest.raises(QualcodeError, match=r"E603.*limit 1000"):
        import_qdpx(path, tmp_path / "out")


def test_a_member_that_inflates_beyond_its_declared_size_is_refused(tmp_path):
    payload = nvivo_project_xml().encode() + b"<!--" + b" " * 200_000 + b"-->"
    data = zip_bytes([("project.qde", payload)])
    path = tmp_path / "liar.qdpx"
    path.write_bytes(patch_sizes(data, "project.qde", 1000, local=True))
    with pytest.raises(QualcodeError, match=r"E60[13]"):
        import_qdpx(path, tmp_path / "out")


def test_reading_stops_at_the_member_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(_safe, "MAX_MEMBER_BYTES", 500)
    path = nvivo_windows_project(tmp_path / "p.qdpx")
    with pytest.raises(QualcodeError, match=r"E603.*limit 500"):
        import_qdpx(path, tmp_path / "out")


def test_too_many_members_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(_safe, "MAX_MEMBERS", 2)
    path = _project(tmp_path, [("project.qde", b"<Project/>"), ("a.txt", b""), ("b.txt", b"")])
    with pytest.raises(QualcodeError, match=r"E603.*3 members"):
        import_qdpx(path, tmp_path / "out")


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, XXE, DTD_ONLY])
def test_dtds_and_entities_are_refused_in_projects(tmp_path, xml):
    path = _project(tmp_path, [("project.qde", xml.encode())])
    with pytest.raises(QualcodeError, match=r"E605"):
        import_qdpx(path, tmp_path / "out")


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, XXE, DTD_ONLY])
def test_dtds_and_entities_are_refused_in_codebooks(tmp_path, xml):
    path = tmp_path / "hostile.qdc"
    path.write_text(xml, encoding="utf-8")
    with pytest.raises(QualcodeError, match=r"E605"):
        import_qdc(path, tmp_path / "out.yaml")
    assert not (tmp_path / "out.yaml").exists()


@pytest.mark.parametrize("entries, code", [
    ([("readme.txt", b"hello")], "E601"),
    ([("sub/project.qde", b"<Project/>")], "E601"),
    ([("a.qde", b"<Project/>"), ("b.qde", b"<Project/>")], "E601"),
    ([("project.qde", b"<Project><unclosed></Project>")], "E604"),
    ([("project.qde", b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>')], "E606"),
    ([("project.qde", b'<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>')], "E614"),
])
def test_broken_projects_are_clear_errors(tmp_path, entries, code):
    path = _project(tmp_path, entries)
    with pytest.raises(QualcodeError, match=code):
        import_qdpx(path, tmp_path / "out")


def test_a_file_that_is_not_a_zip_is_refused(tmp_path):
    path = tmp_path / "p.qdpx"
    path.write_text("not a zip", encoding="utf-8")
    with pytest.raises(QualcodeError, match=r"E601.*not a zip"):
        import_qdpx(path, tmp_path / "out")


def test_deterministic_zip_fixes_times_and_attributes():
    one = _safe.deterministic_zip([("b", b"2"), ("a", b"1")], (2024, 1, 2, 3, 4, 5))
    two = _safe.deterministic_zip([("b", b"2"), ("a", b"1")], (2024, 1, 2, 3, 4, 5))
    assert one == two
    import io

    with zipfile.ZipFile(io.BytesIO(one)) as archive:
        assert archive.namelist() == ["b", "a"]
        assert {i.date_time for i in archive.infolist()} == {(2024, 1, 2, 3, 4, 4)}


def test_absurdly_deep_code_trees_are_refused(tmp_path):
    depth = 5000
    xml = ('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
           + '<Code guid="5215cc69-b628-4e02-afb9-9beeaee55808" name="a" isCodable="true">' * depth
           + "</Code>" * depth + "</Codes></CodeBook>")
    (tmp_path / "deep.qdc").write_text(xml, encoding="utf-8")
    with pytest.raises(QualcodeError, match=r"E601.*deeper than 100"):
        import_qdc(tmp_path / "deep.qdc", tmp_path / "x.yaml")
    project = xml.replace("CodeBook", "Project").replace("codebook:1.0", "project:1.0").replace(
        "<Codes>", "<CodeBook><Codes>").replace("</Codes>", "</Codes></CodeBook>")
    (tmp_path / "deep.qdpx").write_bytes(zip_bytes([("project.qde", project.encode())]))
    with pytest.raises(QualcodeError, match=r"E601.*deeper than 100"):
        import_qdpx(tmp_path / "deep.qdpx", tmp_path / "out")

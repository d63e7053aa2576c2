"""Round trips that settle: import -> export -> import, three generations, the same project each time.

For qualcode's own projects (with a coding step in between, as a user works),
the real MAXQDA and NVivo for Mac exports, and a project of comments in the
shape of a real NVivo for Windows export: the transcripts (texts, front
matter), human_coding.csv and human_selections.csv are the same bytes in
every generation, no variable is added (no `case`, `case_value`...), no
front matter is added to a source that had none, and every coding is kept.
"""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path
from xml.etree.ElementTree import fromstring

import pytest
import xmlschema

from qualcode.corpus import read_corpus
from qualcode.interop.qdpx_export import export_qdpx
from qualcode.interop.qdpx_import import import_qdpx
from support.interop import (
    COMMENT_TITLE,
    INTEROP_CODEBOOK,
    MAXQDA_SAMPLE,
    NVIVO_MAC_SAMPLE,
    SCHEMAS,
    code_folder,
    coded_results,
    comment_texts,
    nvivo_comments_project,
)

NS = "{urn:QDA-XML:project:1.0}"


def _files(folder: Path) -> dict[str, bytes]:
    """Every file of an imported folder but its marker, whose `project` names the file imported."""
    found = {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != ".qualcode.json"}
    marker = json.loads((folder / ".qualcode.json").read_text(encoding="utf-8"))
    found["codes"] = json.dumps(marker["import"]["codes"], sort_keys=True).encode()
    return found


def _project(path: Path) -> dict[str, object]:
    """A project as what another program reads of it: variables, cases, texts, selections, codes."""
    with zipfile.ZipFile(path) as archive:
        root = fromstring(archive.read("project.qde"))
        texts = {n: archive.read(n) for n in archive.namelist() if n != "project.qde"}
    users = {u.get("guid"): u.get("name") for u in root.iter(f"{NS}User")}
    codes = {c.get("guid"): (c.get("name"), c.get("isCodable"), c.get("color")) for c in root.iter(f"{NS}Code")}
    variables = {v.get("guid"): v.get("name") for v in root.iter(f"{NS}Variable")}

    def values(element):
        return sorted((variables[v.find(f"{NS}VariableRef").get("targetGUID")], v.findtext(f"{NS}TextValue"))
                      for v in element.findall(f"{NS}VariableValue"))

    sources = {}
    for source in root.iter(f"{NS}TextSource"):
        text = texts["sources/" + source.get("plainTextPath")[len("internal://"):]].decode("utf-8")
        selections = sorted(
            (int(s.get("startPosition")), int(s.get("endPosition")),
             text[int(s.get("startPosition")):int(s.get("endPosition"))],
             tuple(sorted((codes[c.find(f"{NS}CodeRef").get("targetGUID")][0], users[c.get("creatingUser")])
                          for c in s.findall(f"{NS}Coding"))))
            for s in source.findall(f"{NS}PlainTextSelection"))
        sources[source.get("name")] = (text, values(source), selections)
    cases = sorted((c.get("name"), values(c), len(c.findall(f"{NS}SourceRef"))) for c in root.iter(f"{NS}Case"))
    return {"variables": sorted(variables.values()), "codes": sorted(codes.values()), "cases": cases,
            "sources": sources, "users": sorted(users.values())}


def _generations(tmp_path: Path, project: Path, *, code: bool = False, **options) -> list[Path]:
    """import -> (code ->) export -> import, three times; the folders of the three imports."""
    folders, current = [], project
    for n in (1, 2, 3):
        folder = tmp_path / f"gen{n}"
        import_qdpx(current, folder, **options)
        folders.append(folder)
        source = code_folder(folder, tmp_path / f"results{n}", by="case") if code else folder
        current = export_qdpx(source, tmp_path / f"gen{n}.qdpx").path
    return folders


def _assert_settled(tmp_path: Path, folders: list[Path]) -> None:
    first = _files(folders[0])
    for later in folders[1:]:
        assert _files(later) == first
    assert _project(tmp_path / "gen2.qdpx") == _project(tmp_path / "gen3.qdpx")
    schema = xmlschema.XMLSchema10(str(SCHEMAS / "Project.xsd"))
    with zipfile.ZipFile(tmp_path / "gen3.qdpx") as archive:
        assert list(schema.iter_errors(archive.read("project.qde").decode("utf-8"))) == []
    for folder in folders:
        for interview in read_corpus(folder):
            assert not any(k == "case_value" or k.startswith("case_value") for k in interview.metadata)


def test_qualcode_own_project_settles_through_coding(tmp_path):
    results, _ = coded_results()
    first = export_qdpx(results, tmp_path / "gen0.qdpx").path
    folders = _generations(tmp_path, first, code=True, codebook=INTEROP_CODEBOOK)
    _assert_settled(tmp_path, folders)
    project = _project(tmp_path / "gen2.qdpx")
    assert "case" not in project["variables"] and "name" not in project["variables"]
    assert {name for name, _, _ in project["cases"]} == {"nord", "sud"}
    # the machine's codings and the imported (human) ones, each by its user
    assert {user for _, _, sels in project["sources"].values() for s in sels for _, user in s[3]} == \
        {"qualcode", "qualcode_export"}
    for text, _, _ in project["sources"].values():
        assert not text.startswith("---")


@pytest.mark.parametrize("sample", [MAXQDA_SAMPLE, NVIVO_MAC_SAMPLE], ids=["maxqda", "nvivo-mac"])
def test_real_exports_settle(tmp_path, sample):
    folders = _generations(tmp_path, sample)
    _assert_settled(tmp_path, folders)
    with zipfile.ZipFile(sample) as archive:
        original = fromstring(archive.read(next(n for n in archive.namelist() if n.endswith(".qde"))))
    exported = _project(tmp_path / "gen1.qdpx")
    # the same texts (as qualcode normalises them) and the same code tree, names and all
    assert len(exported["sources"]) == len(list(original.iter(f"{NS}TextSource")))
    assert sorted(c.get("name") for c in original.iter(f"{NS}Code")) == sorted(n for n, _, _ in exported["codes"])


def test_a_project_of_comments_keeps_every_coding_and_settles(tmp_path):
    project, n_codings = nvivo_comments_project(tmp_path / "nvivo.qdpx")
    report = import_qdpx(project, tmp_path / "first")
    assert report.counting.counting == "utf16"
    assert report.codings == n_codings == 405 and report.listed == {"coded": n_codings}
    assert report.outside_turns == 0 and not report.reasons
    # the recurring title is not a speaker: it is said, and nothing is given to an "interviewer"
    assert any("[W110]" in w and COMMENT_TITLE in w for w in report.reader_warnings)
    assert not any("[W103]" in w for w in report.reader_warnings)
    with (tmp_path / "first" / "human_selections.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == n_codings and {r["status"] for r in rows} == {"coded"}
    texts = comment_texts()
    comments = {line for text in texts for line in text.split("\r\n") if line and not line.startswith(COMMENT_TITLE)}
    assert {r["text"] for r in rows} == comments  # every selection lands on its comment, emoji and CRLF notwithstanding
    folders = _generations(tmp_path, project)
    _assert_settled(tmp_path, folders)
    exported = _project(tmp_path / "gen1.qdpx")
    assert sum(len(s[3]) for _, _, sels in exported["sources"].values() for s in sels) == n_codings
    assert {user for _, _, sels in exported["sources"].values() for s in sels for _, user in s[3]} == {"Camille"}
    # values that never vary within the case are the case's (as NVivo classifies cases)
    assert exported["cases"] == [("Enquête 2024", [("canal", "en ligne"), ("support", "web")], 3)]
    assert "case" not in exported["variables"]
    for name, (text, _, _) in exported["sources"].items():
        assert text == texts[int(name.split()[-1]) - 1].replace("\r\n", "\n")  # no front matter added


def test_read_as_turns_would_lose_the_comments_and_the_listing_says_why(tmp_path):
    project, n_codings = nvivo_comments_project(tmp_path / "nvivo.qdpx", sources=1, comments=6)
    report = import_qdpx(project, tmp_path / "turns", unit="turns")
    assert report.listed == {"selection": n_codings} and report.outside_turns == report.selections == 6
    with (tmp_path / "turns" / "human_selections.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == n_codings
    assert {r["reason"] for r in rows} == {"on the interviewer's turns only"}
    by_paragraph = import_qdpx(project, tmp_path / "paragraphs", unit="paragraph")
    assert by_paragraph.listed == {"coded": n_codings}
    whole = import_qdpx(project, tmp_path / "document", unit="document")
    assert whole.listed == {"coded": n_codings}
    [interview] = read_corpus(tmp_path / "document").interviews
    assert interview.metadata["read_as"] == "document" and len(interview.turns) == 1


def test_export_from_an_imported_folder_carries_the_human_codings_with_their_coder(tmp_path):
    from support.interop import nvivo_windows_project

    project = nvivo_windows_project(tmp_path / "nvivo.qdpx")
    import_qdpx(project, tmp_path / "imported")
    done = export_qdpx(tmp_path / "imported", tmp_path / "back.qdpx")
    assert done.codings == 2 and done.selections == 2
    exported = _project(tmp_path / "back.qdpx")
    [(_text, values, selections)] = exported["sources"].values()
    assert [(s[2], s[3]) for s in selections] == [
        ("annuaire commun", (("Outils partagés", "Alice"),)),
        ("cellule d'animation nous réunit 👍 chaque mois", (("Cellule locale", "Alice"),))]
    assert "Entretien 1" in exported["sources"]
    assert values == [] and exported["cases"] == [("Site A", [("age_group", "30-39"), ("genre", "F")], 1)]


def test_a_results_folder_is_still_required_to_be_one(tmp_path):
    from qualcode.errors import QualcodeError

    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "a.txt").write_text("Q: x\nR: y\n", encoding="utf-8")
    with pytest.raises(QualcodeError):
        export_qdpx(tmp_path / "plain", tmp_path / "x.qdpx")
    assert not (tmp_path / "x.qdpx").exists()

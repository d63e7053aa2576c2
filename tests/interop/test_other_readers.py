"""A qualcode `.qdpx` reads exactly in the REFI-QDA readers of other projects.

pyrefiqda (MIT, small) is a test dependency and reads the archive itself.
pyqdpx needs Python 3.12 (its source uses 3.12 f-strings) and qdapy is
AGPL with plotting dependencies far larger than qualcode: for those two, the
rules by which they read a project are pinned here (`pyqdpx_reads`,
`qdapy_reads`), from their sources (pyqdpx 0.1.8, `pyqdpx.py`; qdapy 0.1.0,
`qdapy/qdpx.py`), so that a change in what qualcode writes that one of them
would misread fails here.

What "exactly" means: every coding that qualcode meant (a counted piece of
evidence, or a human coding of an imported project) is read, on the same
source, with the same code name, the same coder and the same selected text,
and nothing else is.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path
from xml.etree.ElementTree import Element, fromstring

import pandas as pd
import pytest

from qualcode.codebook import load_codebook
from qualcode.corpus import read_corpus
from qualcode.interop.qdpx_export import export_qdpx
from qualcode.interop.qdpx_import import import_qdpx
from support.interop import INTEROP_CODEBOOK, coded_results, nvivo_windows_project

Coding = tuple[str, str, str, str]  # source name, code name, coder, selected text
NS = "{urn:QDA-XML:project:1.0}"

# --- pinned reading rules ---------------------------------------------------------------

#: pyqdpx validates every GUID against this pattern and skips what does not match
PYQDPX_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _find(element: Element, name: str) -> Element | None:
    return next((e for e in element.iter() if _local(e.tag) == name), None)


def _children(element: Element, name: str) -> list[Element]:
    return [e for e in element if _local(e.tag) == name]


def pyqdpx_reads(path: Path) -> list[Coding]:
    """pyqdpx 0.1.8's reading (QDPX, QDE, Source._parse_selections_from_xml).

    * `project.qde` is read by name; users, codes, sources and selections
      whose GUID is not lower-case and unbraced are skipped;
    * a source's text is the file of `Sources/` (else `sources/`) whose name
      holds the source's GUID, decoded as UTF-8; a BOM is dropped, and a
      character beyond U+FFFF is followed by a zero-width space (so that
      offsets count as NVivo for Windows does);
    * of each `PlainTextSelection`, only the **first** `Coding` and its first
      `CodeRef` are read; the selection's own `creatingUser` must be a known
      user, and the code a known code, else the selection is skipped.
    """
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        root = fromstring(archive.read("project.qde"))
        folder = "Sources/" if any(n.startswith("Sources/") for n in names) else "sources/"
        texts = {n: archive.read(n) for n in names if n.startswith(folder) and n.endswith(".txt")}
    users = {u.get("guid"): u.get("name") for u in root.iter() if _local(u.tag) == "User"
             and u.get("guid") and u.get("name") and PYQDPX_GUID.match(u.get("guid", ""))}
    codes = {c.get("guid"): c.get("name") for c in root.iter() if _local(c.tag) == "Code"
             and c.get("guid") and c.get("name") and PYQDPX_GUID.match(c.get("guid", ""))}
    found: list[Coding] = []
    sources = _find(root, "Sources")
    for source in _children(sources, "TextSource") if sources is not None else []:
        guid = source.get("guid", "")
        if not PYQDPX_GUID.match(guid) or not source.get("plainTextPath"):
            continue
        file = next(n for n in texts if guid in n)
        raw = texts[file].decode("utf-8")
        text = "".join(c + ("\u200b" if ord(c) > 0xFFFF else "") for c in raw).removeprefix("\ufeff")
        for selection in _children(source, "PlainTextSelection"):
            codings = _children(selection, "Coding")
            if not codings or not PYQDPX_GUID.match(selection.get("guid", "")):
                continue
            refs = _children(codings[0], "CodeRef")
            user = users.get(selection.get("creatingUser"))
            code = codes.get(refs[0].get("targetGUID")) if refs else None
            if code is None or user is None:
                continue
            start, end = int(selection.get("startPosition", "")), int(selection.get("endPosition", ""))
            found.append((source.get("name", ""), code, user, text[start:end]))
    return found


def qdapy_reads(path: Path) -> list[Coding]:
    """qdapy 0.1.0's reading (`qdapy/qdpx.py`, `read_qdpx`).

    * `project.qde` found without case; elements only in the namespace
      `urn:QDA-XML:project:1.0`;
    * a source's text is `PlainTextContent`, else the archive file whose name
      (without folder, without case) is the last part of `plainTextPath`,
      decoded as UTF-8 with a BOM dropped; selections are cut in code points;
    * every `Coding` of a selection is a row; the code is found by GUID (as
      written) in the code tree, the coder by the **coding's** `creatingUser`
      (its GUID when the user is unknown).
    """
    with zipfile.ZipFile(path) as archive:
        names = {n.lower(): n for n in archive.namelist()}
        root = fromstring(archive.read(names["project.qde"]))
        files = {n.rsplit("/", 1)[-1].lower(): archive.read(o) for n, o in names.items()
                 if not n.endswith("/") and n != "project.qde"}
    users = {u.get("guid", ""): u.get("name") or u.get("guid", "") for u in root.iter(f"{NS}User")}
    codes = {c.get("guid", ""): (c.get("name") or "").strip() for c in root.iter(f"{NS}Code")}
    found: list[Coding] = []
    for source in root.iter(f"{NS}TextSource"):
        inline = source.findtext(f"{NS}PlainTextContent")
        name = (source.get("plainTextPath") or "").rsplit("/", 1)[-1].lower()
        text = inline if inline is not None else files[name].decode("utf-8-sig")
        for selection in source.findall(f"{NS}PlainTextSelection"):
            start, end = int(selection.get("startPosition", "")), int(selection.get("endPosition", ""))
            for coding in selection.findall(f"{NS}Coding"):
                ref = coding.find(f"{NS}CodeRef")
                guid = ref.get("targetGUID", "") if ref is not None else ""
                user = coding.get("creatingUser") or ""
                found.append((source.get("name", ""), codes.get(guid, guid), users.get(user, user), text[start:end]))
    return found


def pyrefiqda_reads(path: Path, extract: Path) -> list[Coding]:
    """pyrefiqda itself: its pydantic models of the project, and the files it extracted."""
    from pyrefiqda import RefiProject

    project = RefiProject.load(path, extract_dir=str(extract))
    users = {u.guid: u.name for u in project.users.user} if project.users else {}
    codes: dict[str, str] = {}

    def walk(items: list) -> None:
        for code in items:
            codes[code.guid] = code.name
            walk(code.code)

    walk(project.code_book.codes.code)
    found: list[Coding] = []
    for source in project.sources.text_source:
        text = RefiProject.resolve_source_path(source.plain_text_path, extract).read_text(encoding="utf-8")
        for selection in source.plain_text_selection:
            for coding in selection.coding:
                found.append((source.name, codes[coding.code_ref.target_guid], users[coding.creating_user],
                              text[selection.start_position:selection.end_position]))
    return found


# --- what qualcode meant ----------------------------------------------------------------

def _meant_by_results(results: Path, corpus: Path) -> list[Coding]:
    """Every counted piece of evidence, with the label of the code it counts for, by "qualcode"."""
    book = load_codebook(INTEROP_CODEBOOK)
    labels = {c.id: c.label["fr"] for c in book.codes} | {a.id: a.label["fr"] for a in book.actors}
    texts = {i.id: i.text for i in read_corpus(corpus)}
    ev = pd.read_csv(results / "evidence.csv", dtype=str, keep_default_na=False)
    spans = {(r.segment_id.split("#")[0], int(r.start), int(r.end), r.counts_for)
             for r in ev[ev["counts_for"] != ""].itertuples()}
    return [(i, labels[code], "qualcode", texts[i][s:e]) for i, s, e, code in spans]


def _meant_by_import(folder: Path) -> list[Coding]:
    """Every human coding the import kept, by its coder, with the project's own source and code names."""
    rows = pd.read_csv(folder / "human_selections.csv", dtype=str, keep_default_na=False)
    kept = rows[rows["status"].isin(["coded", "selection"])]
    names = {"outils_partages": "Outils partagés", "cellule_locale": "Cellule locale"}  # the NVivo project's names
    sources = {i.id: str(i.get("name") or i.id) for i in read_corpus(folder)}
    return [(sources[r.interview_id], names[r.code], r.coder, r.text) for r in kept.itertuples()]


@pytest.fixture(scope="module")
def projects(tmp_path_factory):
    """qualcode's export of its results, and of a folder imported from an NVivo for Windows project,
    in code points (the standard) and in UTF-16 code units (NVivo for Windows, and pyqdpx)."""
    tmp = tmp_path_factory.mktemp("readers")
    results, corpus = coded_results()
    nvivo = nvivo_windows_project(tmp / "nvivo.qdpx")
    import_qdpx(nvivo, tmp / "imported")
    made = {}
    for offsets in ("codepoints", "utf16"):
        export_qdpx(results, tmp / f"results-{offsets}.qdpx", offsets=offsets)
        export_qdpx(tmp / "imported", tmp / f"back-{offsets}.qdpx", offsets=offsets)
        made[("results", offsets)] = (tmp / f"results-{offsets}.qdpx", _meant_by_results(results, corpus))
        made[("imported", offsets)] = (tmp / f"back-{offsets}.qdpx", _meant_by_import(tmp / "imported"))
    return made


@pytest.mark.parametrize("which", ["results", "imported"])
def test_pyrefiqda_reads_every_coding_exactly(projects, which, tmp_path):
    path, meant = projects[(which, "codepoints")]
    assert meant  # something to read
    assert Counter(pyrefiqda_reads(path, tmp_path / "x")) == Counter(meant)


@pytest.mark.parametrize("which", ["results", "imported"])
def test_qdapy_reads_every_coding_exactly(projects, which):
    path, meant = projects[(which, "codepoints")]
    assert Counter(qdapy_reads(path)) == Counter(meant)


@pytest.mark.parametrize("which", ["results", "imported"])
def test_pyqdpx_reads_every_coding_exactly_in_utf16(projects, which):
    """pyqdpx counts offsets as NVivo for Windows does: `--offsets utf16` is the export it reads."""
    path, meant = projects[(which, "utf16")]
    read = [(source, code, coder, text.replace("\u200b", "")) for source, code, coder, text in pyqdpx_reads(path)]
    assert Counter(read) == Counter(meant)

"""REFI-QDA codebooks (`.qdc`): export a qualcode codebook, import another program's.

Export (`codebook_to_qdc`): a bare XML file, root
`<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="qualcode X">`, with the
code tree of `_refi.code_tree` (groups as folders, codes with their
definitions, the providers' folder), validated against Codebook.xsd.

Import (`qdc_to_codebook`): a qualcode codebook skeleton from another
program's code tree. Namespace variants are tolerated (elements are read by
their local name: codebook 1.0, 1:0, 0:4, a project's 1.0 or 0:10, none),
and a `.qde`/`.qdpx` project's code tree is read too. The hierarchy becomes
flat groups:

* a folder (`isCodable="false"`) becomes a group, labelled with its path of
  folder names ("Parent / Child") when folders are nested;
* a codable code goes into the group of its nearest folder ancestor; codes
  nested under codes are flattened into that group;
* a top-level codable code that has children (MAXQDA marks its parent codes
  codable) becomes a group of the same name, and stays a code in it;
* a top-level codable code without children goes into a group "Sans groupe"
  / "Ungrouped".

Ids are the names slugified (`Outils partagés` -> `outils_partages`), made
unique with `_2`, `_3`...; labels are the names; definitions are the
descriptions (the name when there is none). Patterns are left to write, but
the loader requires at least one per declared language: each code gets one
placeholder phrase, its own name, so that the skeleton loads as it stands;
the comment at the top of the file says so.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

from qualcode.base.atomic import write_file
from qualcode.base.guard import CODEBOOK, QDC, guard_output
from qualcode.errors import Errors, InteropError
from qualcode.interop._ids import RESERVED, Unique
from qualcode.interop._refi import (
    CODEBOOK_NS,
    check_valid,
    code_element,
    code_tree,
    origin,
    q,
    root_element,
    serialise,
)
from qualcode.interop._safe import child, children, local, read_xml_file
from qualcode.interop.skeleton import UNGROUPED, QdcImport, SkeletonCode, SkeletonGroup, check_languages, skeleton

if TYPE_CHECKING:
    from qualcode.codebook.model import Codebook

#: a code tree deeper than this is not a codebook (and would exhaust the recursion)
MAX_DEPTH = 100


# --- export ------------------------------------------------------------------------

def codebook_to_qdc(codebook: Codebook) -> bytes:
    """The codebook as a REFI-QDA `.qdc` document (UTF-8 bytes), schema-valid."""
    root = root_element(CODEBOOK_NS, "CodeBook", {"origin": origin()})
    codes = Element(q(CODEBOOK_NS, "Codes"))
    root.append(codes)
    for node in code_tree(codebook):
        code_element(codes, node, CODEBOOK_NS)
    data = serialise(root, CODEBOOK_NS)
    check_valid(data, "codebook")
    return data


@dataclass
class QdcExport:
    path: Path
    codes: int
    groups: int
    actors: int
    warnings: list[str] = field(default_factory=list)


def export_qdc(codebook: Path | str | None, out: Path | str, *, force: bool = False) -> QdcExport:
    """Write a codebook (the bundled one when None) as a `.qdc` file."""
    from qualcode.codebook import load_codebook

    notes = guard_output(out, QDC, force=force, inputs=[("codebook", codebook)])
    book = load_codebook(codebook)
    path = write_file(out, codebook_to_qdc(book), force=force, parents=True)
    return QdcExport(path, len(book.codes), len(book.groups), len(book.actors), [*notes, *book.warnings])


# --- import ------------------------------------------------------------------------

def codes_element(root: Element, display: str) -> Element | None:
    """The `<Codes>` of a CodeBook root, or of a Project's CodeBook; any namespace."""
    name = local(root.tag)
    if name == "CodeBook":
        return child(root, "Codes")
    if name == "Project":
        book = child(root, "CodeBook")
        return child(book, "Codes") if book is not None else None
    raise InteropError(Errors.E606.format(found=name, name=Path(display).name, expected="CodeBook"),
                       path=display)


def _description(element: Element) -> str:
    found = child(element, "Description")
    return (found.text or "").strip() if found is not None else ""


def _codable(element: Element) -> bool:
    """`isCodable` as xs:boolean; absent means codable (QualCoder reads it so too)."""
    return (element.get("isCodable") or "true").strip().lower() not in ("false", "0")


def flatten_codes(codes: Element | None) -> tuple[list[SkeletonGroup], int, int]:
    """Groups with their codes, the number of folders, and of codes flattened out of nesting."""
    groups: list[SkeletonGroup] = []
    group_ids = Unique(fallback="group")
    code_ids = Unique(fallback="code", reserved=RESERVED)
    counts = {"folders": 0, "flattened": 0}
    ungrouped: SkeletonGroup | None = None

    def new_group(label: str, name: str) -> SkeletonGroup:
        group = SkeletonGroup(group_ids.make(name), label)
        groups.append(group)
        return group

    def add_code(group: SkeletonGroup, element: Element, nested: bool) -> None:
        name = (element.get("name") or "").strip() or "code"
        group.codes.append(SkeletonCode(code_ids.make(name), name, _description(element)))
        if nested:
            counts["flattened"] += 1

    def walk(element: Element, group: SkeletonGroup | None, path: list[str], under_code: bool,
             depth: int = 0) -> None:
        nonlocal ungrouped
        if depth > MAX_DEPTH:
            raise InteropError(Errors.E601.format(reason=f"codes nested deeper than {MAX_DEPTH} levels"))
        name = (element.get("name") or "").strip() or "code"
        subcodes = children(element, "Code")
        if not _codable(element):
            counts["folders"] += 1
            folder_path = [*path, name]
            target = new_group(" / ".join(folder_path), name)
            for sub in subcodes:
                walk(sub, target, folder_path, False, depth + 1)
            return
        if group is None and subcodes:
            group = new_group(name, name)
            add_code(group, element, False)
            for sub in subcodes:
                walk(sub, group, [name], True, depth + 1)
            return
        if group is None:
            if ungrouped is None:
                ungrouped = SkeletonGroup("", "")
            add_code(ungrouped, element, False)
            return
        add_code(group, element, under_code)
        for sub in subcodes:
            walk(sub, group, path, True, depth + 1)

    for element in children(codes, "Code") if codes is not None else []:
        walk(element, None, [], False)
    if ungrouped is not None and ungrouped.codes:
        ungrouped.id = group_ids.make(UNGROUPED["id"])
        groups.append(ungrouped)
    return groups, counts["folders"], counts["flattened"]


#: how the groups of a skeleton were made, for its header
QDC_TREE = ("Groups are the folders of the other program (codes that cannot be coded); codes nested\n"
            "# under codes were flattened into the nearest group.")


def qdc_to_codebook(root: Element, *, languages: Sequence[str] | None = None, name: str = "imported",
                    source: str = "a REFI-QDA codebook") -> QdcImport:
    """A qualcode codebook skeleton (YAML text) from a CodeBook or Project element."""
    langs = check_languages(languages)
    groups, folders, flattened = flatten_codes(codes_element(root, source))
    origin_text = (root.get("origin") or "").strip()
    return skeleton(groups, langs, name=name, source=source, origin_text=origin_text, tree=QDC_TREE,
                    folders=folders, flattened=flattened)


def import_qdc(path: Path | str, out: Path | str, *, languages: Sequence[str] | None = None,
               force: bool = False) -> QdcImport:
    """Read a `.qdc` (or a project: `.qde`, `.qdpx`; or a codebook `.csv`) and write a skeleton that loads."""
    from qualcode.codebook import parse_codebook

    notes = guard_output(out, CODEBOOK, force=force, inputs=[("codebook file", path)])
    path = Path(path)
    if path.suffix.lower() == ".csv":  # a codebook table: Taguette's, or qualcode's own
        from qualcode.interop.codebook_csv import csv_to_codebook

        result = csv_to_codebook(path, languages=languages, name=Path(out).stem)
    elif path.is_file() and zipfile.is_zipfile(path):  # a whole .qdpx project: read its code tree
        from qualcode.interop.qdpx_import import read_project

        root, archive = read_project(path)
        archive.close()
        result = qdc_to_codebook(root, languages=languages, name=Path(out).stem, source=path.name)
    else:
        result = qdc_to_codebook(read_xml_file(path), languages=languages, name=Path(out).stem,
                                 source=path.name)
    book = parse_codebook(result.yaml, source=str(out))  # a bug if the skeleton does not load
    result.warnings = [*notes, *(w for w in book.warnings if "[W201]" not in w)]  # W201: said in the header
    result.path = write_file(out, result.yaml, force=force, parents=True)
    return result

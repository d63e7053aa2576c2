"""A folder written by `import qdpx`, read back: its corpus, its human codings at selection level, its codes.

`export qdpx` reads it so that a project goes through qualcode and back
with its coding intact: the selections of `human_selections.csv` that were
kept (in `human_coding.csv`, or at selection level only) become selections
again, each coding with its coder, and the code tree recorded in
`.qualcode.json` (names, GUIDs, colours, descriptions, nesting) becomes the
code tree again, so that the other program recognises its own codes.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qualcode.base.limits import read_limited
from qualcode.base.safecsv import restore_cell
from qualcode.errors import Errors, InteropError
from qualcode.interop._refi import CodeNode

HUMAN_SELECTIONS_CSV = "human_selections.csv"
#: statuses of human_selections.csv whose codings are exported again
EXPORTED = ("coded", "selection")
_COLOUR = re.compile(r"^#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$")
_MAX_BYTES = 200_000_000


@dataclass
class HumanSelection:
    """One selection of the imported project, with the codings kept: (code id, coder)."""

    guid: str
    interview_id: str
    start: int
    end: int
    text: str
    codings: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ImportedCode:
    """A code of the imported project, as `.qualcode.json` records it."""

    id: str
    name: str
    guid: str
    parent: str
    codable: bool
    color: str
    description: str
    kind: str


@dataclass
class Imported:
    """What `import qdpx` recorded: the project's name, origin, time, codes; and the kept selections."""

    name: str = ""
    origin: str = ""
    created: str = ""
    codes: list[ImportedCode] = field(default_factory=list)
    selections: list[HumanSelection] = field(default_factory=list)


def marker(folder: Path) -> dict[str, Any] | None:
    """The `.qualcode.json` of an imported folder, or None when the folder is not one."""
    from qualcode.base.guard import MARKER

    path = folder / MARKER
    if not path.is_file():
        return None
    try:
        data = json.loads(read_limited(path, 50_000_000).decode("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("written_by") != "qualcode import qdpx":
        return None
    return data


def read_imported(folder: Path) -> Imported | None:
    """The import record and kept selections of `folder`, or None when it holds none."""
    data = marker(folder)
    table = folder / HUMAN_SELECTIONS_CSV
    if data is None and not table.is_file():
        return None
    record = data.get("import") if data else None
    record = record if isinstance(record, dict) else {}
    found = Imported(str(record.get("name") or ""), str(record.get("origin") or ""),
                     str(record.get("created") or ""))
    for item in record.get("codes") or []:
        if isinstance(item, dict) and item.get("guid"):
            found.codes.append(ImportedCode(
                str(item.get("id") or ""), str(item.get("name") or ""), str(item["guid"]),
                str(item.get("parent") or ""), bool(item.get("codable", True)), str(item.get("color") or ""),
                str(item.get("description") or ""), str(item.get("kind") or "theme")))
    if table.is_file():
        found.selections = _selections(table)
    return found


def _selections(path: Path) -> list[HumanSelection]:
    text = read_limited(path, _MAX_BYTES).decode("utf-8-sig")
    by_guid: dict[str, HumanSelection] = {}
    for line, row in enumerate(csv.DictReader(io.StringIO(text, newline="")), 2):
        row = {k: restore_cell(v or "") for k, v in row.items() if k is not None}
        if row.get("status") not in EXPORTED or not row.get("code"):
            continue
        try:
            start, end = int(row["start"]), int(row["end"])
        except (KeyError, ValueError):
            raise InteropError(Errors.E623.format(reason="a kept selection without start and end"),
                               path=f"{path}:{line}") from None
        key = row.get("selection") or f"{row['interview_id']}:{start}:{end}"
        selection = by_guid.setdefault(key, HumanSelection(key, row["interview_id"], start, end,
                                                           row.get("text", "")))
        coding = (row["code"], row.get("coder") or "coder")
        if coding not in selection.codings:
            selection.codings.append(coding)
    return list(by_guid.values())


def imported_tree(codes: list[ImportedCode], used: set[str] | None = None,
                  skip: set[str] | None = None) -> list[CodeNode]:
    """The recorded code tree as nodes; with `used`, only codes with those GUIDs and their parents.

    `skip`: GUIDs already in the tree being built (a qualcode codebook's), left out.
    """
    nodes = {c.guid: CodeNode(c.guid, c.name or c.id, c.codable,
                              c.color if _COLOUR.match(c.color) else "",
                              (c.kind if c.codable else "folder", c.id), c.description)
             for c in codes}
    keep = set(nodes) if used is None else set()
    if used is not None:
        parents = {c.guid: c.parent for c in codes}
        for guid in used:
            while guid and guid in nodes and guid not in keep:
                keep.add(guid)
                guid = parents.get(guid, "")
    keep -= skip or set()
    roots: list[CodeNode] = []
    for code in codes:
        if code.guid not in keep:
            continue
        parent = nodes.get(code.parent) if code.parent in keep else None
        (parent.children if parent is not None else roots).append(nodes[code.guid])
    return roots

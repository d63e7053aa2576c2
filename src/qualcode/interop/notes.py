"""The researcher's memos as REFI-QDA Notes: written by `export qdpx`, read back by `import qdpx`.

Each memo of memos.md is one `<Note>` of `project.qde`'s `Notes`, its text
as `PlainTextContent`, its name the memo's heading without the hashes
(`code:shared_tools — what counts as a tool`), so that an import gives the
same memos back. Where the schema lets an element point to a note, it does:
the project (`NoteRef` of the root), a code (of its `Code`), an interview
and a segment (of the interview's `TextSource`); a case memo is known by
its name only (a `Case` has no `NoteRef` in Project.xsd). A note another
program wrote, whose name is not a memo heading, comes back as a project
memo titled with that name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from xml.etree.ElementTree import Element, SubElement

from qualcode.errors import CodingError
from qualcode.interop._ids import guid
from qualcode.interop._refi import q
from qualcode.interop._safe import child, children, local, xml_text
from qualcode.results.memos import PROJECT, Memo, memo_from_heading


def note_guid(memo: Memo) -> str:
    return guid("note", memo.kind, memo.target, memo.title)


def add_notes(root: Element, ns: str, memos: Sequence[Memo], *, code_guids: Mapping[str, str],
              source_guids: Mapping[str, str], stamp: Mapping[str, str]) -> int:
    """Append `Notes` (before `Description`) and the `NoteRef`s that point to them; returns the notes written.

    `code_guids` maps a code id to its `Code` GUID, `source_guids` an
    interview id to its `TextSource` GUID.
    """
    if not memos:
        return 0

    def tag(name: str) -> str:
        return q(ns, name)

    notes = Element(tag("Notes"))
    for memo in memos:
        note = SubElement(notes, tag("Note"), {"guid": note_guid(memo), "name": xml_text(memo.heading[3:]),
                                               **stamp})
        SubElement(note, tag("PlainTextContent")).text = xml_text(memo.text)
    description = child(root, "Description")
    at = list(root).index(description) if description is not None else len(root)
    root.insert(at, notes)
    by_guid = {e.get("guid"): e for e in root.iter() if local(e.tag) in ("Code", "TextSource")}
    for memo in memos:
        ref = {"targetGUID": note_guid(memo)}
        if memo.kind == PROJECT:
            SubElement(root, tag("NoteRef"), ref)
        elif memo.kind == "code" and memo.target in code_guids:
            code = by_guid[code_guids[memo.target]]
            first = 1 if len(code) and local(code[0].tag) == "Description" else 0
            while first < len(code) and local(code[first].tag) == "NoteRef":
                first += 1
            code.insert(first, Element(tag("NoteRef"), ref))
        elif memo.kind in ("interview", "segment"):
            interview = memo.target.split("#", 1)[0]
            if interview in source_guids:
                source = by_guid[source_guids[interview]]
                values = [n for n, e in enumerate(source) if local(e.tag) == "VariableValue"]
                source.insert(values[0] if values else len(source), Element(tag("NoteRef"), ref))
    return len(memos)


def read_notes(root: Element) -> list[Memo]:
    """The memos of a project's `Notes`, in the project's order."""
    found: list[Memo] = []
    container = child(root, "Notes")
    for note in children(container, "Note") if container is not None else []:
        name = (note.get("name") or "").strip()
        content = child(note, "PlainTextContent")
        text = (content.text or "") if content is not None else ""
        found.append(memo_of(name, text.replace("\r\n", "\n").strip("\n")))
    return found


def memo_of(name: str, text: str) -> Memo:
    """A note's memo: the one its name heads, else a project memo titled with the name."""
    try:
        return memo_from_heading(name, text)
    except CodingError:
        return Memo(PROJECT, "", text, name)


def unique(memos: Iterable[Memo]) -> list[Memo]:
    """One memo per kind, target and title (the last wins, as in memos.md read top to bottom)."""
    found: dict[tuple[str, str, str], Memo] = {}
    for memo in memos:
        found[(memo.kind, memo.target, memo.title)] = memo
    return list(found.values())


__all__ = ["add_notes", "memo_of", "note_guid", "read_notes", "unique"]

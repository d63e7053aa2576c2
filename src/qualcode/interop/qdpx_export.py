"""Export a results folder as a REFI-QDA project (`.qdpx`) for NVivo, ATLAS.ti, MAXQDA, QualCoder.

The archive holds `project.qde` at its root, then `sources/<GUID>.txt`, one
per interview: the interview's normalised text (what every offset refers
to: NFC, `\\n` line ends, front matter included for `.md` transcripts),
UTF-8 without BOM. In `project.qde` (element order as Project.xsd requires,
no empty container):

* `Users`: one user, "qualcode", who made every coding;
* `CodeBook`: the code tree of `_refi.code_tree` (groups as folders, codes
  with definitions, the providers' folder);
* `Variables`: one Text variable per metadata attribute (`id` excepted: it is
  the source's name);
* `Cases`: one per value of the results' `case` column (the `by` attribute),
  with a `SourceRef` to each of its interviews, and the values of the *case
  variables*: `by` and the attributes that are the same for every interview
  of every case (region for areas, say);
* `Sources`: one `TextSource` per interview, named by its id, holding one
  `PlainTextSelection` per span of evidence that counts (evidence rows whose
  `counts_for` is not empty, themes and actors), with one `Coding` per code
  the span counts for (never two `CodeRef`s in one `Coding`), then the values
  of the *document variables* (every other attribute). Each variable is used
  at one level only: QualCoder decides per variable whether it describes
  cases or files, and case values on named cases are what NVivo reads as
  case classifications, document values on sources what MAXQDA and QualCoder
  read as document variables;
* `Notes`: the researcher's memos (memos.md), one `Note` each, with the
  `NoteRef`s that point to them (`qualcode.interop.notes`);
* `Description`: where the project comes from (codebook, options, time).

Offsets are 0-based, end-exclusive Unicode code points (REFI-QDA §10.2), or,
with `offsets="utf16"`, UTF-16 code units, as NVivo for Windows counts them
(a character beyond U+FFFF, an emoji, counts two); the two differ only after
such a character, and a warning says how many selections that concerns.
GUIDs are derived from ids, dates are the manifest's `created`, zip entries
have fixed order and timestamps: the same results give the same bytes.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any
from xml.etree.ElementTree import Element, SubElement

from qualcode.base.atomic import write_file
from qualcode.base.guard import QDPX, guard_output
from qualcode.corpus.model import Interview
from qualcode.errors import Errors, InteropError
from qualcode.interop._ids import guid
from qualcode.interop._refi import (
    PROJECT_NS,
    check_valid,
    code_element,
    code_tree,
    origin,
    q,
    root_element,
    serialise,
    xml_datetime,
)
from qualcode.interop._results import Results, check_evidence, load_results, value_text
from qualcode.interop._safe import deterministic_zip, xml_text, zip_time
from qualcode.results.folder import results_inputs

USER_NAME = "qualcode"
_NAME_LIMIT = 200


@dataclass
class QdpxExport:
    """A built project: its bytes and what it holds."""

    data: bytes
    sources: int
    selections: int
    codings: int
    cases: int
    variables: int
    codes: int
    notes: int = 0
    path: Path | None = None
    warnings: list[str] = field(default_factory=list)


def _p(tag: str) -> str:
    return q(PROJECT_NS, tag)


def _value(parent: Element, variable_guid: str, value: str) -> None:
    vv = SubElement(parent, _p("VariableValue"))
    SubElement(vv, _p("VariableRef"), {"targetGUID": variable_guid})
    SubElement(vv, _p("TextValue")).text = xml_text(value)


def _selection_name(text: str) -> str:
    name = " ".join(text.split())
    return name if len(name) <= _NAME_LIMIT else name[:_NAME_LIMIT - 1] + "…"


OFFSETS = ("codepoints", "utf16")


def check_offsets(unit: str) -> str:
    if unit not in OFFSETS:
        raise InteropError(Errors.E620.format(unit=unit))
    return unit


class _Positions:
    """Code point offsets of one text, in the unit the project is written in."""

    def __init__(self, text: str, unit: str) -> None:
        self.unit = unit
        self.astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]

    def __call__(self, offset: int) -> int:
        return offset + bisect_left(self.astral, offset) if self.unit == "utf16" else offset

    def shifted(self, offset: int) -> bool:
        """True when a UTF-16 reader would see this code point offset elsewhere."""
        return bisect_left(self.astral, offset) > 0


def build_qdpx(results: Results, offsets: str = "codepoints") -> QdpxExport:
    """The project archive (bytes) of a results folder read with `load_results`.

    `offsets`: `codepoints` (the standard) or `utf16` (UTF-16 code units, as NVivo
    for Windows counts; the project's `origin` says so).
    """
    check_offsets(offsets)
    book = results.codebook
    if book is None:
        raise ValueError("build_qdpx needs the results read with their codebook")
    created = xml_datetime(results.created)
    user = guid("user", USER_NAME)
    stamp = {"creatingUser": user, "creationDateTime": created}

    tree = code_tree(book)
    code_guids = {node.key: node.guid for root in tree for node in root.walk()}

    rows = results.counted(("theme", "actor"))
    check_evidence(results, rows)
    missing = sorted({str(r.counts_for) for r in rows.itertuples(index=False)
                      if (r.kind, r.counts_for) not in code_guids})
    if missing:
        raise InteropError(Errors.E618.format(codebook=book.name, codes=", ".join(missing[:5])),
                           path=str(results.folder))

    segment_interview = dict(zip(results.segments["segment_id"], results.segments["interview_id"]))
    spans: dict[str, dict[tuple[int, int], dict[str, Any]]] = {}
    for row in rows.itertuples(index=False):
        owner = str(segment_interview.get(row.segment_id) or str(row.segment_id).split("#", 1)[0])
        span = spans.setdefault(owner, {}).setdefault(
            (int(str(row.start)), int(str(row.end))), {"text": row.matched_text, "codes": []})
        key = (row.kind, row.counts_for)
        if key not in span["codes"]:
            span["codes"].append(key)

    attributes = [a for a in results.attributes() if a != "id"]
    case_level = set(results.case_attributes())
    variables = {name: guid("variable", name) for name in attributes}

    made_by = origin() + (" (selection offsets in UTF-16 code units)" if offsets == "utf16" else "")
    root = root_element(PROJECT_NS, "Project", {
        "name": PurePath(str(results.manifest.get("corpus", {}).get("path") or "")).name or "qualcode",
        "origin": made_by, "creatingUserGUID": user, "creationDateTime": created,
    })
    users = SubElement(root, _p("Users"))
    SubElement(users, _p("User"), {"guid": user, "name": USER_NAME})
    codes = SubElement(SubElement(root, _p("CodeBook")), _p("Codes"))
    for node in tree:
        code_element(codes, node, PROJECT_NS)
    if variables:
        container = SubElement(root, _p("Variables"))
        for name, variable_guid in variables.items():
            SubElement(container, _p("Variable"), {"guid": variable_guid, "name": xml_text(name),
                                                   "typeOfVariable": "Text"})

    source_guids = {i.id: guid("source", i.id) for i in results.interviews}
    by_case: dict[str, list[Interview]] = {}
    for interview in results.interviews:
        by_case.setdefault(results.cases.get(interview.id, ""), []).append(interview)
    case_names = sorted(c for c in by_case if c)
    if case_names:
        container = SubElement(root, _p("Cases"))
        for name in case_names:
            members = by_case[name]
            case = SubElement(container, _p("Case"), {"guid": guid("case", results.by, name),
                                                      "name": xml_text(name)})
            first = members[0]
            for attribute in attributes:
                if attribute in case_level:
                    value = value_text(first.metadata.get(attribute))
                    if value:
                        _value(case, variables[attribute], value)
            for interview in members:
                SubElement(case, _p("SourceRef"), {"targetGUID": source_guids[interview.id]})

    entries: list[tuple[str, bytes]] = []
    n_selections = n_codings = 0
    shifted: dict[str, int] = {}
    sources = SubElement(root, _p("Sources"))
    for interview in results.interviews:
        source_guid = source_guids[interview.id]
        position = _Positions(interview.text, offsets)
        source = SubElement(sources, _p("TextSource"), {
            "guid": source_guid, "name": xml_text(interview.id),
            "plainTextPath": f"internal://{source_guid}.txt", **stamp})
        for (start, end), span in sorted(spans.get(interview.id, {}).items()):
            selection = SubElement(source, _p("PlainTextSelection"), {
                "guid": guid("selection", interview.id, start, end),
                "name": xml_text(_selection_name(span["text"])),
                "startPosition": str(position(start)), "endPosition": str(position(end)), **stamp})
            n_selections += 1
            if offsets == "codepoints" and position.shifted(end):
                shifted[interview.id] = shifted.get(interview.id, 0) + 1
            for kind, code in span["codes"]:
                coding = SubElement(selection, _p("Coding"), {
                    "guid": guid("coding", interview.id, start, end, kind, code), **stamp})
                SubElement(coding, _p("CodeRef"), {"targetGUID": code_guids[(kind, code)]})
                n_codings += 1
        for attribute in attributes:
            if attribute not in case_level:
                value = value_text(interview.metadata.get(attribute))
                if value:
                    _value(source, variables[attribute], value)
        entries.append((f"sources/{source_guid}.txt", interview.text.encode("utf-8")))

    codebook_note = f"{book.name} {book.version}" + (f" (sha256 {book.sha256})" if book.sha256 else "")
    options = dict(results.manifest.get("options") or {})
    option_text = ", ".join(f"{k}={v}" for k, v in sorted(options.items()))
    SubElement(root, _p("Description")).text = xml_text(
        f"Exported by {origin()} from the results folder {results.folder.resolve().name!r}: "
        f"coded with the codebook {codebook_note}; {option_text}; coded on {results.created}. "
        f"Selections are the evidence that counts for a code; offsets are "
        f"{'UTF-16 code units' if offsets == 'utf16' else 'Unicode code points'}.")

    from qualcode.interop.notes import add_notes
    from qualcode.results.memos import read_memos

    n_notes = add_notes(root, PROJECT_NS, read_memos(results.folder)[1], stamp=stamp, source_guids=source_guids,
                        code_guids={code: g for (kind, code), g in code_guids.items() if kind in ("theme", "actor")})
    qde = serialise(root, PROJECT_NS)
    check_valid(qde, "project")
    data = deterministic_zip([("project.qde", qde), *entries], zip_time(results.created))
    n_codes = sum(1 for r in tree for n in r.walk() if n.codable)
    warnings = list(results.warnings)
    if shifted:
        warnings.append(Errors.W607.format(count=sum(shifted.values()), texts=len(shifted)))
    return QdpxExport(data, len(results.interviews), n_selections, n_codings, len(case_names),
                      len(variables), n_codes, notes=n_notes, warnings=warnings)


def export_qdpx(results_dir: Path | str, out: Path | str, *, corpus: Path | str | None = None,
                metadata: Path | str | None = None, codebook: Path | str | None = None,
                offsets: str = "codepoints", force: bool = False) -> QdpxExport:
    """Read a results folder and its corpus, and write the project to `out`."""
    check_offsets(offsets)
    notes = guard_output(out, QDPX, force=force, inputs=results_inputs(
        results_dir, corpus=corpus, metadata=metadata, codebook=codebook))
    results = load_results(results_dir, corpus=corpus, metadata=metadata, codebook=codebook)
    export = build_qdpx(results, offsets)
    export.path = write_file(out, export.data, force=force, parents=True)
    export.warnings[:0] = notes
    return export

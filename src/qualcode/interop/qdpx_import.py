"""Import a REFI-QDA project (`.qdpx`): a qualcode corpus and the codings a person made.

`import_qdpx(FILE, OUT)` writes into the folder OUT:

* one Markdown transcript per text source, `<id>.md`: a YAML front matter
  (`id`, the source's name when it differs, `case` for the named cases that
  refer to the source, one attribute per variable, names slugified), then the
  source's text as qualcode stores text (BOM stripped, `\\n` line ends, NFC),
  unchanged otherwise, so that the reader finds the speaker turns in it and
  every selection can be mapped onto it. A text that already starts with a
  qualcode front matter (a project qualcode exported) keeps its attributes:
  the block is merged into the new one (the project's variables win) instead
  of being left in the body;
* `memos.md`, when the project has Notes: one memo per note
  (`qualcode.interop.notes`); the corpus reader leaves it out, copy it into
  a results folder for the reports to show it;
* `human_coding.csv` (`segment`, `code`, `coder`): every coding of a text
  selection, mapped onto the respondent turns of the written corpus (read
  back with `read_corpus`): a selection counts for every respondent turn it
  overlaps. Codes become ids by slugified name, or, with `codebook=`, the id
  of the code of that codebook whose id or label (any language) matches the
  name. The coder is `coder=`, else the name of the user who made the coding.

It absorbs what real exports do (see docs/interop.md): a root `*.qde` not
named `project.qde`; `Sources/` in any case; text files with a BOM and CRLF;
NVivo's UTF-16 offsets (`offsets.detect_counting`); GUIDs in either case or
in braces; namespace variants; selections without coding (comments: skipped,
counted) or of length zero (skipped, counted); folders (`isCodable="false"`);
`PlainTextContent` inline instead of a file; PDF sources' text
representations. Pictures, audio and video are counted and skipped.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import Element

from qualcode.base.safecsv import csv_text
from qualcode.corpus.decode import MAX_TEXT_BYTES
from qualcode.corpus.metadata import canonical_name
from qualcode.corpus.model import KNOWN_ATTRIBUTES
from qualcode.errors import CorpusError, Errors, InteropError
from qualcode.interop._ids import Unique, norm_guid, slug
from qualcode.interop._safe import SafeZip, child, children, local, open_zip, parse_xml
from qualcode.interop.offsets import Detection, SourceText, detect_counting

if TYPE_CHECKING:
    from qualcode.base.atomic import StagedFolder
    from qualcode.codebook.model import Codebook

HUMAN_CODING_CSV = "human_coding.csv"
#: a code tree deeper than this is not a codebook (and would exhaust the recursion)
MAX_DEPTH = 100
MACHINE = "qualcode"
_VALUE_TAGS = ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue")
_MEDIA = ("PictureSource", "AudioSource", "VideoSource")


@dataclass
class _Coding:
    code: str  # normalised GUID
    user: str  # normalised GUID, may be empty


@dataclass
class _Selection:
    guid: str
    start: int
    end: int
    user: str
    codings: list[_Coding]
    whole: bool = False


@dataclass
class _Source:
    guid: str
    name: str
    path: str | None
    inline: str | None
    values: dict[str, str]
    selections: list[_Selection]
    text: SourceText | None = None


@dataclass
class _Code:
    guid: str
    name: str
    codable: bool
    id: str = ""
    kind: str = "theme"  # theme | actor | unknown (with --codebook)


@dataclass
class ImportReport:
    """What `import_qdpx` read, wrote, and left out (and why)."""

    out: Path
    origin: str
    counting: Detection
    sources: int = 0
    other_sources: int = 0
    codes: int = 0
    folders: int = 0
    selections: int = 0
    codings: int = 0
    rows: int = 0
    comment_only: int = 0
    empty: int = 0
    outside_turns: int = 0
    in_front_matter: int = 0
    clipped: int = 0
    unknown_code_refs: int = 0
    actor_codings: int = 0
    coders: list[str] = field(default_factory=list)
    #: the project's Notes written as memos.md
    memos: int = 0
    #: every coding kept: (interview id, start, end, code id) in the written transcript's text
    mapped: list[tuple[str, int, int, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    reader_warnings: list[str] = field(default_factory=list)


# --- reading the project ------------------------------------------------------------

def _items(parent: Element | None, container: str, item: str) -> list[Element]:
    """`parent/container/item` elements (none when the container is absent)."""
    found = child(parent, container) if parent is not None else None
    return children(found, item) if found is not None else []


def _find_qde(archive: SafeZip) -> str:
    roots = [n for n in archive.names if "/" not in n.replace("\\", "/") and n.lower().endswith(".qde")]
    if not roots:
        raise InteropError(Errors.E601.format(reason="no .qde file at the root of the archive"),
                           path=archive.display)
    for name in roots:
        if name.lower() == "project.qde":
            return name
    if len(roots) > 1:
        raise InteropError(Errors.E601.format(
            reason=f"several .qde files at the root ({', '.join(sorted(roots)[:3])})"), path=archive.display)
    return roots[0]


def _int(value: str | None) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        try:
            number = float(str(value).strip())
        except (TypeError, ValueError):
            return None
        return int(number) if number.is_integer() else None


def _value_of(element: Element) -> tuple[str, str]:
    """(variable GUID, value text) of a `<VariableValue>`."""
    ref = child(element, "VariableRef")
    target = norm_guid(ref.get("targetGUID")) if ref is not None else ""
    for tag in _VALUE_TAGS:
        found = child(element, tag)
        if found is not None:
            return target, (found.text or "").strip()
    return target, ""


def _codings(element: Element, default_user: str) -> list[_Coding]:
    found = []
    for coding in children(element, "Coding"):
        ref = child(coding, "CodeRef")
        if ref is None:
            continue
        found.append(_Coding(norm_guid(ref.get("targetGUID")),
                             norm_guid(coding.get("creatingUser")) or default_user))
    return found


def _text_source(element: Element, name: str | None = None) -> _Source:
    source_guid = norm_guid(element.get("guid"))
    inline_element = child(element, "PlainTextContent")
    values = {}
    for vv in children(element, "VariableValue"):
        target, value = _value_of(vv)
        if target:
            values[target] = value
    selections = []
    for sel in children(element, "PlainTextSelection"):
        start, end = _int(sel.get("startPosition")), _int(sel.get("endPosition"))
        if start is None or end is None:
            continue
        user = norm_guid(sel.get("creatingUser"))
        selections.append(_Selection(norm_guid(sel.get("guid")), start, end, user, _codings(sel, user)))
    whole = _codings(element, norm_guid(element.get("creatingUser")))
    if whole:
        selections.append(_Selection(source_guid, 0, -1, "", whole, whole=True))
    return _Source(source_guid, (name or element.get("name") or "").strip() or source_guid,
                   element.get("plainTextPath"),
                   inline_element.text or "" if inline_element is not None else None,
                   values, selections)


def _read_codes(root: Element) -> list[_Code]:
    codes: list[_Code] = []

    def walk(element: Element, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise InteropError(Errors.E601.format(reason=f"codes nested deeper than {MAX_DEPTH} levels"))
        codable = (element.get("isCodable") or "true").strip().lower() not in ("false", "0")
        codes.append(_Code(norm_guid(element.get("guid")), (element.get("name") or "").strip(), codable))
        for sub in children(element, "Code"):
            walk(sub, depth + 1)

    book = child(root, "CodeBook")
    container = child(book, "Codes") if book is not None else None
    for element in children(container, "Code") if container is not None else []:
        walk(element, 0)
    return codes


def _resolve_member(archive: SafeZip, path: str) -> str | None:
    """The archive member an `internal://` path names: under sources/ (any case), else anywhere."""
    target = path.split("://", 1)[1] if "://" in path else path
    target = target.lstrip("/").replace("\\", "/")
    by_lower = {n.lower(): n for n in archive.names}
    for candidate in (f"sources/{target}", target):
        found = by_lower.get(candidate.lower())
        if found is not None:
            return found
    base = PurePosixPath(target).name.lower()
    matches = [n for n in archive.names if PurePosixPath(n.replace("\\", "/")).name.lower() == base]
    return matches[0] if len(matches) == 1 else None


def _decode(data: bytes, source: str, warnings: list[str]) -> str:
    """UTF-8 (BOM stripped, not counted), UTF-16 with a BOM, else cp1252 with a warning."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        warnings.append(Errors.W603.format(source=source, encoding="cp1252"))
        return data.decode("cp1252", errors="replace")


# --- metadata ------------------------------------------------------------------------

def _attribute_name(variable: str, taken: Unique) -> str:
    """`Cases:Age group` (NVivo's classification prefix dropped) -> `age_group`."""
    name = variable.rsplit(":", 1)[-1].strip() or variable
    key = slug(name, fallback="attr")
    if key in ("id", "file", "case"):
        key = f"{key}_value"
    return taken.make(key)


def _embedded_front_matter(text: str, display: str) -> tuple[dict[str, Any], int]:
    """A qualcode front matter at the top of a source's text (values, body start), if any.

    Only a mapping that holds one of qualcode's attributes (id, area, provider...)
    counts: a transcript that starts with `---` and a few `Q: ...` lines is dialogue.
    """
    from qualcode.corpus.frontmatter import split_front_matter

    try:
        front = split_front_matter(text, display)
    except CorpusError:
        return {}, 0
    values = front.values
    if not values or not any(str(k).strip().lower() in KNOWN_ATTRIBUTES for k in values):
        return {}, 0
    clean: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, dict):
            continue
        if isinstance(value, (list, tuple)):
            items = [str(v) for v in value if v is not None and not isinstance(v, (dict, list))]
            clean[str(key)] = items
        elif value is not None:
            clean[str(key)] = value if isinstance(value, str) else _scalar(value)
    return clean, front.body_start


def _scalar(value: Any) -> str:
    import datetime as dt

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def _safe_id(value: str) -> str:
    cleaned = "".join("_" if ch in "#\t\r\n" else ch for ch in str(value)).strip()
    return cleaned


def _language_ok(value: Any) -> bool:
    from qualcode.corpus.language import language_attribute

    try:
        language_attribute(str(value), "", None)
    except CorpusError:
        return False
    return True


def _front_matter(values: dict[str, Any]) -> str:
    import yaml

    class _Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

    body = yaml.dump(values, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**6,
                     default_flow_style=False)
    return f"---\n{body}---\n"


# --- codes ----------------------------------------------------------------------------

def _assign_code_ids(codes: list[_Code], codebook: Codebook | None, report: ImportReport) -> None:
    from qualcode.base.text import fold

    ids = Unique(fallback="code")
    lookup: dict[str, tuple[str, str]] = {}
    if codebook is not None:
        for kind, items in (("actor", codebook.actors), ("theme", codebook.codes)):
            for item in items:
                for label in item.label.values():
                    lookup[fold(label).strip()] = (kind, item.id)
        for kind, items in (("actor", codebook.actors), ("theme", codebook.codes)):
            for item in items:
                lookup[fold(item.id)] = (kind, item.id)
        ids = Unique(set(codebook.theme_ids) | set(codebook.actor_ids), fallback="code")
    unmatched: list[str] = []
    for code in codes:
        name = code.name or code.guid
        if codebook is not None:
            found = lookup.get(fold(name).strip()) or lookup.get(slug(name, fallback="code"))
            if found is not None:
                code.kind, code.id = found
                continue
            if code.codable:
                unmatched.append(name)
        code.id = ids.make(name)
    used_unmatched = sorted(set(unmatched))
    if codebook is not None and used_unmatched:
        shown = ", ".join(repr(n) for n in used_unmatched[:5]) + (", ..." if len(used_unmatched) > 5 else "")
        report.warnings.append(Errors.W601.format(count=len(used_unmatched),
                                                  codebook=codebook.name, examples=shown))


# --- the import ---------------------------------------------------------------------------

def read_project(path: Path | str) -> tuple[Element, SafeZip]:
    """The project's root element and the (checked) archive it came from."""
    archive = open_zip(path)
    try:
        name = _find_qde(archive)
        root = parse_xml(archive.read(name), name, f"{archive.display}:{name}")
        if local(root.tag) != "Project":
            raise InteropError(Errors.E606.format(found=local(root.tag), name=name, expected="Project"),
                               path=archive.display)
    except BaseException:
        archive.close()
        raise
    return root, archive


def import_qdpx(path: Path | str, out: Path | str, *, coder: str | None = None,
                codebook: Path | str | None = None, force: bool = False) -> ImportReport:
    """Write a qualcode corpus and `human_coding.csv` from a REFI-QDA project.

    The corpus is staged beside `out`, read back from there (the selections
    are mapped onto the turns that qualcode reads), then swapped in with its
    `.qualcode.json`: all of it, or nothing. `out` goes through the output
    guard (never a folder that holds the project or the codebook).
    """
    from qualcode.base.atomic import staged_folder
    from qualcode.base.guard import IMPORTED, MARKER, guard_output

    out = Path(out)
    notes = guard_output(out, IMPORTED, force=force, inputs=[("project", path), ("codebook", codebook)])
    book = None
    if codebook is not None:
        from qualcode.codebook import load_codebook

        book = load_codebook(codebook)
    root, archive = read_project(path)
    with archive:
        project = _read(root, archive, notes)
    from qualcode.interop.notes import read_notes, unique
    from qualcode.results.memos import MEMOS_MD, memos_text

    memos = unique(read_notes(root))
    with staged_folder(out, force=force) as stage:
        report = _build(project, out, coder, book, stage)
        if memos:  # the project's Notes, as the memos of the corpus (a corpus reader skips memos.md)
            stage.write(MEMOS_MD, memos_text(memos))
            report.memos = len(memos)
        stage.write(MARKER, json.dumps({"written_by": "qualcode import qdpx", "project": Path(path).name},
                                       ensure_ascii=False, indent=2) + "\n")
    return report


@dataclass
class _Project:
    """What the importer reads from `project.qde`, GUIDs normalised."""

    origin: str
    users: dict[str, str]
    creator: str
    codes: list[_Code]
    variables: dict[str, str]  # variable GUID -> attribute name
    sources: list[_Source]
    other_sources: int
    cases: dict[str, list[tuple[str, dict[str, str]]]]  # source GUID -> [(case name, values)]
    warnings: list[str] = field(default_factory=list)
    display: str = ""  # the project file, for messages


def _read(root: Element, archive: SafeZip, warnings: list[str]) -> _Project:
    """The project as the importer needs it; `warnings` receives what it noted."""
    codes = _read_codes(root)
    named: dict[str, str] = {}
    for code in codes:
        if code.guid and code.guid in named:  # its codings would silently go to the later code
            raise InteropError(Errors.E622.format(guid=code.guid, a=named[code.guid], b=code.name),
                               path=archive.display)
        named[code.guid] = code.name
    users = {norm_guid(u.get("guid")): (u.get("name") or u.get("id") or "").strip()
             for u in _items(root, "Users", "User")}
    taken = Unique(fallback="attr")
    variables = {norm_guid(v.get("guid")): _attribute_name(v.get("name") or "variable", taken)
                 for v in _items(root, "Variables", "Variable")}

    sources: list[_Source] = []
    other = 0
    container = child(root, "Sources")
    for element in list(container) if container is not None else []:
        kind = local(element.tag)
        if kind == "TextSource":
            sources.append(_text_source(element))
        elif kind == "PDFSource" and (representation := child(element, "Representation")) is not None:
            text = _text_source(representation, element.get("name"))
            text.guid = norm_guid(element.get("guid")) or text.guid
            text.values = {**_text_source(element).values, **text.values}
            sources.append(text)
        elif kind in _MEDIA or kind == "PDFSource":
            other += 1
    if not sources:
        raise InteropError(Errors.E614, path=archive.display)

    cases: dict[str, list[tuple[str, dict[str, str]]]] = {}
    for case in _items(root, "Cases", "Case"):
        values = dict(v for v in map(_value_of, children(case, "VariableValue")) if v[0])
        for ref in children(case, "SourceRef"):
            cases.setdefault(norm_guid(ref.get("targetGUID")), []).append(
                ((case.get("name") or "").strip(), values))

    # the texts: the internal file, else the inline PlainTextContent
    for source in sources:
        member = _resolve_member(archive, source.path) if source.path else None
        if member is not None:
            raw = _decode(archive.read(member, limit=MAX_TEXT_BYTES), source.name, warnings)
        elif source.inline is not None:
            raw = source.inline[1:] if source.inline.startswith("\ufeff") else source.inline
        else:
            raise InteropError(Errors.E615.format(path=source.path or "", source=source.name),
                               path=archive.display)
        source.text = SourceText(raw)
    return _Project((root.get("origin") or "").strip(), users, norm_guid(root.get("creatingUserGUID")),
                    codes, variables, sources, other, cases, warnings, archive.display)


@dataclass
class _Plan:
    """One transcript to write: its source, id, file name and how offsets shift into it."""

    source: _Source
    id: str
    file: str
    content: str
    body_start: int  # where the source's text starts being kept (after an embedded front matter)
    shift: int  # added to a position of the source's text to give one of the transcript


def _plan_transcripts(project: _Project) -> list[_Plan]:
    ids = Unique(fallback="source")
    stems = Unique(fallback="source")
    plans = []
    for source in project.sources:
        assert source.text is not None
        text = source.text.text
        embedded, body_start = _embedded_front_matter(text, source.name)
        metadata: dict[str, Any] = {}
        for key, value in embedded.items():
            if canonical_name(str(key)) != "id":
                metadata[canonical_name(str(key))] = value
        named = [name for name, _ in project.cases.get(source.guid, []) if name]
        if named:
            metadata["case"] = named[0] if len(named) == 1 else named
        # case values first, the source's own values win
        for values in [v for _, v in project.cases.get(source.guid, [])] + [source.values]:
            for target, value in values.items():
                if target in project.variables and value != "":
                    metadata[project.variables[target]] = value
        if "language" in metadata and not _language_ok(metadata["language"]):
            metadata["language_original"] = metadata.pop("language")
        wanted = _safe_id(embedded["id"]) if isinstance(embedded.get("id"), str) else ""
        interview_id = wanted if wanted and wanted not in ids.taken else ids.make(source.name)
        ids.taken.add(interview_id)
        front: dict[str, Any] = {"id": interview_id}
        if source.name != interview_id:
            front["name"] = source.name
        front.update(metadata)
        header = unicodedata.normalize("NFC", _front_matter(front))
        plans.append(_Plan(source, interview_id, f"{stems.make(interview_id)}.md",
                           header + text[body_start:], body_start, len(header) - body_start))
    return plans


def _build(project: _Project, out: Path, coder: str | None, book: Codebook | None,
           stage: StagedFolder) -> ImportReport:
    """Write the transcripts into the staged folder, read them back, map the codings, add human_coding.csv."""
    detection = detect_counting(
        [(s.text, [(x.start, x.end) for x in s.selections if not x.whole and x.codings])
         for s in project.sources if s.text is not None], project.origin)
    codes = project.codes
    report = ImportReport(out, project.origin, detection, sources=len(project.sources),
                          other_sources=project.other_sources,
                          codes=sum(1 for c in codes if c.codable),
                          folders=sum(1 for c in codes if not c.codable))
    report.warnings.extend(project.warnings)
    _assign_code_ids(codes, book, report)
    by_guid = {c.guid: c for c in codes}
    plans = _plan_transcripts(project)

    # read the corpus back, as `qualcode` will, and map the selections onto its turns
    from qualcode.corpus import read_corpus

    for plan in plans:
        stage.write(plan.file, plan.content)
    try:
        corpus = read_corpus(stage.path)
    except CorpusError as exc:  # name the source and the file as written, not the staged folder
        file = Path(exc.path or "").name
        source = next((p.source.name for p in plans if p.file == file), file)
        raise InteropError(Errors.E621.format(source=source, file=Path(out) / file, reason=exc.message),
                           path=project.display) from None
    report.reader_warnings = list(corpus.warnings)

    rows: dict[tuple[str, str, str], tuple[int, int, str, str]] = {}
    clipped: list[str] = []
    counting = detection.counting
    for n_source, plan in enumerate(plans):
        interview = corpus[plan.id]
        text = plan.source.text
        assert text is not None
        if interview.text != plan.content:
            raise RuntimeError(f"the transcript of {plan.id!r} was read back differently")
        length = text.length(counting)
        respondent = [t for t in interview.turns if t.is_respondent]
        for selection in plan.source.selections:
            report.selections += 1
            if not selection.codings:
                report.comment_only += 1
                continue
            if selection.whole:
                start, end = plan.body_start, len(text.text)
            else:
                if selection.start < 0 or selection.end > length or selection.start > length:
                    report.clipped += 1
                    clipped.append(f"{plan.source.name} {selection.start}-{selection.end}")
                start = text.to_text(selection.start, counting)[0]
                end = text.to_text(selection.end, counting)[0]
            if end <= start:
                report.empty += 1
                continue
            if end <= plan.body_start:
                report.in_front_matter += 1
                continue
            start, end = max(start, plan.body_start) + plan.shift, end + plan.shift
            turns = [t for t in respondent if t.start < end and start < t.end]
            if not turns:
                report.outside_turns += 1
            for coding in selection.codings:
                code = by_guid.get(coding.code)
                if code is None:
                    report.unknown_code_refs += 1
                    continue
                if code.kind == "actor":
                    report.actor_codings += 1
                    continue
                report.codings += 1
                report.mapped.append((plan.id, start, end, code.id))
                name = coder or project.users.get(coding.user) or project.users.get(selection.user) \
                    or project.users.get(project.creator) or "coder"
                for turn in turns:
                    key = (interview.segment_id(turn.n), code.id, name)
                    rows.setdefault(key, (n_source, turn.n, code.id, name))
    if clipped:
        report.warnings.append(Errors.W604.format(count=len(clipped), examples=", ".join(clipped[:3])))
    stage.write(HUMAN_CODING_CSV, _human_coding(rows, report))
    return report


def _human_coding(rows: dict[tuple[str, str, str], tuple[int, int, str, str]],
                  report: ImportReport) -> str:
    """The CSV `qualcode agree --human` reads, in source, turn, code order."""
    renamed = {}
    for name in sorted({key[2] for key in rows}):
        if name.strip().lower() == MACHINE:
            renamed[name] = f"{MACHINE}_export"
            report.warnings.append(Errors.W602.format(name=name, renamed=renamed[name]))
    table: list[list[object]] = [["segment", "code", "coder"]]
    for key in sorted(rows, key=rows.__getitem__):
        table.append([key[0], key[1], renamed.get(key[2], key[2])])
    report.rows = len(rows)
    report.coders = sorted({renamed.get(key[2], key[2]) for key in rows})
    return csv_text(table)  # a coder named `=x` stays text; `qualcode agree` reads it back as `=x`

"""`read_corpus`: files -> Corpus, composing discovery, readers, metadata, turns and language.

Each step lives in its own module; this one only orders them, keeps the
warnings (or raises them under `strict`), and enforces what concerns the
corpus as a whole: unique ids and required attributes. The same input gives
the same output: files are read in sorted order, interviews sorted by id.
"""

from __future__ import annotations

import os
import posixpath
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from qualcode.corpus.discover import Found, discover
from qualcode.corpus.formats import Document, read_document
from qualcode.corpus.language import UNKNOWN, guess_language, language_attribute
from qualcode.corpus.metadata import (
    Attribute,
    Table,
    as_list,
    canonical_name,
    clean_value,
    join,
    merge,
    read_table,
    show,
)
from qualcode.corpus.model import Corpus, Interview
from qualcode.corpus.turns import READINGS, Parsed, turns_from_cues, turns_from_text
from qualcode.errors import CorpusError, Errors

PathLike = str | os.PathLike[str]
_FRONT = "the front matter"


class _Notes:
    """Warnings: kept per interview and for the corpus, or raised when strict."""

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.all: list[str] = []

    def add(self, message: str, path: str, line: int | None = None,
            sink: list[str] | None = None) -> None:
        located = CorpusError(message, path=path, line=line)
        if self.strict:
            raise located
        if sink is not None:
            sink.append(message)
        self.all.append(str(located))


def read_corpus(path: PathLike | Sequence[PathLike], metadata: PathLike | None = None, *,
                required: Iterable[str] = (), strict: bool = False,
                read_as: str | None = None) -> Corpus:
    """Read a folder of transcripts (recursively), or the files given, into a `Corpus`.

    Args:
        path: a folder, a file, or a list of files.
        metadata: a metadata table (.csv or .xlsx) that applies to the whole corpus,
            on top of any `metadata.csv`/`.xlsx` found in the corpus' folders.
        required: attributes every interview must have (E106), e.g. `("area",)`.
        strict: raise every warning as a `CorpusError` instead of keeping it.
        read_as: how to read transcripts that do not say (`read_as` attribute):
            `turns`, `paragraphs` or `document` (docs/corpus.md, "Documents");
            None reads speaker labels, leaving out those that are not speakers.

    Raises:
        CorpusError: with the file (and line) at fault and a `[E1xx]` message.
    """
    notes = _Notes(strict)
    default_reading = reading_mode(read_as, "--read-as", None) if read_as else "auto"
    found = discover(path)
    for skipped in found.unsupported:
        notes.add(Errors.W106.format(reason=skipped.reason), found.display(skipped.file))
    tables = _tables(found, metadata, notes)
    documents = {rel: read_document(found.root / rel, found.display(rel)) for rel in found.transcripts}
    fronts = {rel: _front_attributes(doc, found.display(rel)) for rel, doc in documents.items()}
    front_ids = {rel: a["id"].value for rel, a in fronts.items()
                 if "id" in a and isinstance(a["id"].value, str)}
    ignored: list[str] = []
    rows = join(tables, found.transcripts, front_ids, check_missing=found.is_folder, root=found.root,
                ignored=ignored)

    wanted = [canonical_name(r) for r in required if r.strip()]
    interviews: list[Interview] = []
    seen: dict[str, str] = {}
    for rel in found.transcripts:
        display = found.display(rel)
        attributes = merge(display, fronts[rel], rows[rel])
        interview = _interview(found, rel, documents[rel], attributes, notes, default_reading)
        if interview.id in seen:
            raise CorpusError(Errors.E107.format(id=interview.id, other=seen[interview.id]), path=display)
        seen[interview.id] = display
        for name in wanted:
            if interview.get(name) in (None, []):
                raise CorpusError(Errors.E106.format(attribute=name), path=display)
        interviews.append(interview)
    interviews.sort(key=lambda i: i.id)
    return Corpus(root=found.root, interviews=interviews, skipped=list(found.skipped),
                  warnings=notes.all, ignored_rows=ignored)


def _tables(found: Found, metadata: PathLike | None, notes: _Notes) -> list[Table]:
    """Tables found in the corpus' folders (shallowest first), then the one given."""
    tables: list[Table] = []
    read_paths: set[Path] = set()
    for rel in sorted(found.tables, key=lambda r: (r.count("/"), r)):
        base = PurePosixPath(rel).parent.as_posix()
        table = read_table(found.root / rel, found.display(rel), "" if base == "." else base)
        tables.append(table)
        read_paths.add((found.root / rel).resolve())
    if metadata is not None:
        given = Path(metadata)
        if not given.exists():
            raise CorpusError(Errors.E101, path=str(metadata))
        if given.is_dir():
            raise CorpusError(Errors.E110.format(reason="a folder, not a .csv or .xlsx file"),
                              path=str(metadata))
        if given.resolve() not in read_paths:
            table = read_table(given, str(metadata), "")
            folder = given.resolve().parent
            if not found.is_folder or not folder.is_relative_to(found.root.resolve()):
                table.master = folder  # a study's table read for a subfolder or some files
            tables.append(table)
    for table in tables:
        if table.encoding:
            notes.add(Errors.W101.format(encoding=table.encoding), table.display)
    return tables


def _front_attributes(document: Document, display: str) -> dict[str, Attribute]:
    """Front matter values, cleaned to text, each with its line."""
    attributes: dict[str, Attribute] = {}
    front = document.front_matter
    for key, raw in front.values.items():
        line = front.lines.get(key)

        def fail(reason: str, line: int | None = line) -> CorpusError:
            return CorpusError(Errors.E109.format(reason=reason), path=display, line=line)

        name = canonical_name(key)
        if name in attributes:
            raise fail(f"'{name}' is given twice")
        value = clean_value(raw, name, fail)
        if value is not None:
            attributes[name] = Attribute(value, _FRONT, display, line)
    return attributes


def reading_mode(value: str, path: str, line: int | None) -> str:
    """`turns`, `paragraphs` or `document` from an attribute or option (singular too); E118 otherwise."""
    key = value.strip().lower()
    key = {"turn": "turns", "paragraph": "paragraphs", "documents": "document", "text": "document"}.get(key, key)
    if key not in READINGS or key == "auto":
        raise CorpusError(Errors.E118.format(value=value), path=path, line=line)
    return key


def _interview(found: Found, rel: str, document: Document, attributes: dict[str, Attribute],
               notes: _Notes, default_reading: str = "auto") -> Interview:
    display = found.display(rel)
    warnings: list[str] = []

    def warn(message: str) -> None:
        notes.add(message, display, sink=warnings)

    if document.encoding:
        warn(Errors.W101.format(encoding=document.encoding))
    values: dict[str, Any] = {name: a.value for name, a in attributes.items()}

    stem = unicodedata.normalize("NFC", posixpath.splitext(posixpath.basename(rel))[0])  # macOS names are NFD
    ident = values.get("id", stem)
    if isinstance(ident, list) or not ident.strip() or any(c in ident for c in "#\t\n\r"):
        where = attributes.get("id")
        raise CorpusError(Errors.E116.format(id=show(ident)), path=where.path if where else display,
                          line=where.line if where else None)
    values["id"] = ident

    interviewers = as_list(values["interviewers"]) if "interviewers" in values else None
    if interviewers is not None:
        values["interviewers"] = interviewers
    reading = default_reading
    if "read_as" in values:
        origin = attributes["read_as"]
        reading = reading_mode(show(values["read_as"]), origin.path, origin.line)
        values["read_as"] = reading
    if document.cues is not None:
        parsed: Parsed = turns_from_cues(document.cues, interviewers)
    else:
        parsed = turns_from_text(document.text, document.front_matter.body_start, interviewers,
                                 document.paragraphs, reading)
    for message in parsed.warnings:
        warn(message)

    detected = "language" not in values
    if not detected:
        origin = attributes["language"]
        language = language_attribute(show(values["language"]), origin.path, origin.line)
    else:
        respondent = [t.text for t in parsed.turns if t.is_respondent]
        guess = guess_language(respondent or [t.text for t in parsed.turns]
                               or [parsed.text[document.front_matter.body_start:]])
        if guess.language == UNKNOWN and not (guess.french or guess.english or guess.others):
            # answers too short to tell ("Bonjour." "Conseillère, depuis 2010."): the questions may
            guess = guess_language([parsed.text[document.front_matter.body_start:]])
        language = guess.language
        if language == UNKNOWN:
            warn(Errors.W109.format(evidence=guess.evidence))
        else:
            warn(Errors.W104.format(language=language))
    values["language"] = language

    return Interview(
        id=ident, file=rel, format=document.format, text=parsed.text, turns=parsed.turns,
        metadata=values, language=language, warnings=warnings,
        path=(found.root / rel).resolve(), sha256=document.sha256,
        body_start=document.front_matter.body_start if document.cues is None else 0,
        language_detected=detected,
    )

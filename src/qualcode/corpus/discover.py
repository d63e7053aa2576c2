"""Find the transcripts and metadata tables of a corpus, and say why other files are skipped.

A corpus is a folder read recursively (hidden files and folders left out) or
one or more files. Documentation and result tables that live next to the
transcripts (README, LICENSE, expected.csv, ...) are listed as skipped
without a warning; any other file qualcode cannot read is listed as skipped
with warning W106, so that a `.doc` meant as a transcript is never lost
silently.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from qualcode.base.paths import is_within
from qualcode.corpus.formats import SUPPORTED
from qualcode.corpus.metadata import TABLE_NAMES
from qualcode.corpus.model import SkippedFile
from qualcode.errors import CorpusError, Errors

_DOC_PREFIXES = ("readme", "license", "licence", "changelog", "copying", "notice", "authors",
                 "contributing")
_RESULT_TABLES = ("expected.csv", "human_coding.csv", "memos.md")
_SKIPPED_FOLDERS = ("__MACOSX", "__pycache__")
_HINTS = {
    ".doc": "Word 97-2003 (.doc) is not read; save it as .docx",
    ".rtf": "RTF is not read; save it as .docx or .txt",
    ".pdf": "PDF is not read; export the text as .txt or .docx",
    ".pages": "Pages files are not read; export as .docx",
    ".xls": "Excel 97-2003 (.xls) is not read; save the table as .xlsx",
}


@dataclass(slots=True)
class Found:
    """What a corpus path holds, every path relative to `root` in posix form."""

    root: Path
    display_root: str
    transcripts: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    #: skipped files that deserve warning W106 (not documentation)
    unsupported: list[SkippedFile] = field(default_factory=list)
    is_folder: bool = True

    def display(self, rel: str) -> str:
        """The path to show in messages: the user's root joined with `rel`."""
        if not rel:
            return self.display_root
        return str(Path(self.display_root) / rel) if self.display_root not in ("", ".") else rel


def supported_formats() -> str:
    return ", ".join(SUPPORTED)


def discover(path: str | os.PathLike[str] | Sequence[str | os.PathLike[str]]) -> Found:
    """Transcripts and tables under a folder, or the files given (E101 missing, E102 none)."""
    if isinstance(path, (str, os.PathLike)):
        given = Path(path)
        if not given.exists():
            raise CorpusError(Errors.E101, path=str(path))
        if given.is_dir():
            found = Found(given, str(path))
            _walk(found)
        else:
            found = _files([given], str(given.parent))
            if not found.transcripts:  # name the file itself, not its folder
                raise CorpusError(Errors.E102.format(formats=supported_formats()), path=str(path))
    else:
        paths = [Path(p) for p in path]
        for p in paths:
            if not p.exists():
                raise CorpusError(Errors.E101, path=str(p))
        if not paths:
            raise CorpusError(Errors.E102.format(formats=supported_formats()), path=".")
        parents = sorted({str(p.parent) for p in paths})
        if len(parents) > 1:
            try:
                parents = [os.path.commonpath(parents)]
            except ValueError:  # relative and absolute paths mixed
                parents = [os.path.commonpath([os.path.abspath(p) for p in parents])]
        found = _files(paths, parents[0])
    if not found.transcripts:
        raise CorpusError(Errors.E102.format(formats=supported_formats()), path=found.display_root)
    return found


def _files(paths: list[Path], root: str) -> Found:
    found = Found(Path(root), root, is_folder=False)
    for p in dict.fromkeys(paths):  # the same file twice is read once
        if p.is_dir():
            raise CorpusError(Errors.E901.format(message="give one folder, or files, not both"),
                              path=str(p))
        rel = PurePosixPath(Path(os.path.relpath(p, root))).as_posix()
        _classify(found, rel, p.name)
    found.transcripts.sort()
    # next to single files only their folders' own tables apply
    folders = sorted({PurePosixPath(t).parent.as_posix() for t in found.transcripts})
    found.tables = sorted({(PurePosixPath(f) / n).as_posix().removeprefix("./")
                           for f in folders for n in _table_names(Path(root) / f)})
    return found


def _table_names(folder: Path) -> list[str]:
    try:
        return [p.name for p in folder.iterdir() if p.name.lower() in TABLE_NAMES and p.is_file()]
    except OSError:
        return []


def _walk(found: Found) -> None:
    root = found.root.resolve()
    for folder, dirs, files in os.walk(found.root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIPPED_FOLDERS)
        base = Path(folder).relative_to(found.root)
        for name in [d for d in dirs if (Path(folder) / d).is_symlink()]:
            dirs.remove(name)  # os.walk would not enter it either: say so
            _skip(found, (PurePosixPath(base.as_posix()) / name).as_posix().removeprefix("./"),
                  "a symbolic link to a folder: not followed; copy the folder into the corpus")
        for name in sorted(files):
            rel = (PurePosixPath(base.as_posix()) / name).as_posix().removeprefix("./")
            if name.startswith(".") or is_within(Path(folder) / name, root, strict=True):
                _classify(found, rel, name)
            else:  # path confinement: a link must not pull another file into the results
                _skip(found, rel, "a symbolic link that does not lead to a file inside the corpus "
                                  "folder: not read; copy the file into the corpus")
    found.transcripts.sort()
    found.tables.sort()
    found.skipped.sort(key=lambda s: s.file)
    found.unsupported.sort(key=lambda s: s.file)


def _skip(found: Found, rel: str, reason: str) -> None:
    skipped = SkippedFile(rel, reason)
    found.skipped.append(skipped)
    found.unsupported.append(skipped)


def _classify(found: Found, rel: str, name: str) -> None:
    lower = name.lower()
    suffix = os.path.splitext(lower)[1]
    if name.startswith("."):
        return
    if lower in TABLE_NAMES:
        if found.is_folder:
            found.tables.append(rel)
        return
    if name.startswith("~$"):
        found.skipped.append(SkippedFile(rel, "an Office lock file (the document is open in an editor)"))
        return
    if lower in _RESULT_TABLES or lower.startswith(_DOC_PREFIXES):
        found.skipped.append(SkippedFile(rel, "documentation or a results table, not a transcript"))
        return
    if suffix in SUPPORTED:
        found.transcripts.append(rel)
        return
    reason = _HINTS.get(suffix) or (f"unsupported format ({suffix})" if suffix
                                    else "unsupported format (no file extension)")
    _skip(found, rel, reason)

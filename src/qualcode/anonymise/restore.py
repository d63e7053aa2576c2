"""Read a map back and restore the original names: the proof that the map is complete.

The map has one row per (pseudonym, original spelling). A pseudonym that
stands for one spelling is restored everywhere with it; one that stands for
several ("Karim Benali" and "Benali", "Garnier" and "GARNIER") is restored
by position: the row's `positions` give, per file of the copy, which of the
pseudonym's occurrences (0-based, in reading order) are that spelling.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from qualcode.anonymise.formats import escape_cue
from qualcode.anonymise.mapfile import Binding, MapRow, files_digest, read_map_file
from qualcode.anonymise.matching import PSEUDONYM, text_form
from qualcode.errors import AnonymiseError, Errors

_TEXT_SUFFIXES = (".md", ".txt")
_SUBTITLE_SUFFIXES = (".vtt", ".srt")


class Restorer:
    """Restores the pseudonyms of one file, counting their occurrences as it reads."""

    def __init__(self, rows: Iterable[MapRow], file: str | None = None, escape: bool = False) -> None:
        self.spellings: dict[str, list[MapRow]] = defaultdict(list)
        for row in rows:
            self.spellings[row.pseudonym].append(row)
        self.file = file
        self.escape = escape
        self.seen: Counter = Counter()

    def _original(self, pseudonym: str) -> str | None:
        rows = self.spellings.get(pseudonym)
        if not rows:
            return None
        k = self.seen[pseudonym]
        self.seen[pseudonym] += 1
        if len(rows) > 1 and self.file is not None:
            for row in rows:
                if k in row.positions.get(self.file, ()):
                    return row.original
        return max(rows, key=lambda r: (r.occurrences, r.original)).original

    def __call__(self, text: str) -> str:
        def put_back(m: re.Match[str]) -> str:
            pseudonym = text_form(m.group(1) or m.group(3), int(m.group(2) or m.group(4)))
            original = self._original(pseudonym)
            if original is None:
                return m.group()
            return escape_cue(original) if self.escape else original

        return PSEUDONYM.sub(put_back, text)


def restore_text(text: str, rows: Iterable[MapRow], file: str | None = None) -> str:
    """`text` with its pseudonyms replaced by the originals.

    Args:
        text: a file of the anonymised copy, or any text with pseudonyms.
        rows: the map (`read_map`).
        file: the file's path in the copy; needed to tell apart the spellings of a
            pseudonym that stands for several (otherwise the most frequent is used).
    """
    return Restorer(rows, file)(text)


def restore_files(files: dict[str, bytes], rows: list[MapRow]) -> dict[str, str | bytes]:
    """The files of an anonymised copy, restored (text files; other files as they are)."""
    restored: dict[str, str | bytes] = {}
    for name in sorted(files):
        data = files[name]
        suffix = os.path.splitext(name)[1].lower()
        if suffix in _TEXT_SUFFIXES or suffix in _SUBTITLE_SUFFIXES:
            restored[name] = Restorer(rows, name, escape=suffix in _SUBTITLE_SUFFIXES)(data.decode("utf-8"))
        elif suffix == ".csv":
            from qualcode.base.safecsv import csv_text, restore_cell

            restorer = Restorer(rows, name)
            records = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
            restored[name] = csv_text([[restorer(restore_cell(cell)) for cell in record]
                                       for record in records])
        else:
            restored[name] = data
    return restored


def read_copy(folder: Path) -> dict[str, bytes]:
    """The files of an anonymised copy (hidden ones left out), each read with the transcripts' size limit."""
    from qualcode.base.limits import read_limited
    from qualcode.corpus.decode import MAX_TEXT_BYTES

    files = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or path.is_dir():
            continue
        try:
            files[rel.as_posix()] = read_limited(path, MAX_TEXT_BYTES)
        except OSError as exc:
            raise AnonymiseError(Errors.E709.format(reason=f"{rel.as_posix()}: {exc.strerror or exc}"),
                                 path=folder) from None
    return files


def copy_binding(folder: Path) -> Binding | None:
    """The binding the copy's `.qualcode.json` records (None: a copy of an older version, or none)."""
    from qualcode.base.guard import MARKER
    from qualcode.base.limits import read_limited

    path = folder / MARKER
    if not path.is_file():
        return None
    try:
        found = json.loads(read_limited(path, 1_000_000))
        return Binding(str(found["copy_id"]), str(found["copy_sha256"]))
    except (OSError, ValueError, KeyError, TypeError):
        raise AnonymiseError(Errors.E715.format(map="given", reason=f"the copy's {MARKER} cannot be read"),
                             path=path) from None


def check_binding(copy: Binding | None, given: Binding | None, map_path: str | os.PathLike[str],
                  files: dict[str, bytes]) -> list[str]:
    """Refuse a map that is not the copy's (E715); warn when neither says (W702) or the copy changed (W703)."""
    if copy is None and given is None:
        return [Errors.W702]
    if copy is None or given is None:
        reason = "the copy has no id: it was not written with a map" if copy is None else \
            "the map has no id: it was written by an older qualcode, for another copy"
        raise AnonymiseError(Errors.E715.format(map=map_path, reason=reason), path=map_path)
    if (copy.id, copy.copy_sha256) != (given.id, given.copy_sha256):
        reason = f"the map is of copy {given.id}, this copy is {copy.id}"
        raise AnonymiseError(Errors.E715.format(map=map_path, reason=reason), path=map_path)
    now = files_digest(files)
    if now != copy.copy_sha256:
        return [Errors.W703.format(now=now[:12], then=copy.copy_sha256[:12])]
    return []


def restore_folder(folder: str | os.PathLike[str], map_path: str | os.PathLike[str],
                   out: str | os.PathLike[str], *, force: bool = False,
                   on_warning: Callable[[str], None] | None = None) -> list[str]:
    """Write `out`: the anonymised copy in `folder` with the names of the map put back.

    The map must be the copy's: both record the same binding (E715 otherwise).
    `out` goes through the output guard (never the copy, nor a folder holding
    the map). Returns the files written (relative paths); warnings (W702, W703,
    the guard's) go to `on_warning`.
    """
    from qualcode.base.atomic import write_folder
    from qualcode.base.guard import MARKER, RESTORED, guard_output

    root = Path(folder)
    if not root.is_dir():
        raise AnonymiseError(Errors.E101, path=folder)
    notes = guard_output(Path(out), RESTORED, force=force, inputs=[("anonymised copy", root), ("map", Path(map_path))])
    mapped = read_map_file(map_path)
    files = read_copy(root)
    notes += check_binding(copy_binding(root), mapped.binding, map_path, files)
    restored = restore_files(files, mapped.rows)
    written = sorted(restored)
    restored[MARKER] = json.dumps({"written_by": "qualcode anonymise --restore"}, indent=2) + "\n"
    for note in notes:
        if on_warning is not None:
            on_warning(note)
    write_folder(os.fspath(out), restored, force=force)
    return written

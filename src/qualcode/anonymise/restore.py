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
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from qualcode.anonymise.formats import escape_cue
from qualcode.anonymise.mapfile import MapRow, read_map
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


def restore_folder(folder: str | os.PathLike[str], map_path: str | os.PathLike[str],
                   out: str | os.PathLike[str], *, force: bool = False) -> list[str]:
    """Write `out`: the anonymised copy in `folder` with the names of the map put back.

    Returns the files written (relative paths).
    """
    from qualcode.base.atomic import write_folder

    rows = read_map(map_path)
    root = Path(folder)
    if not root.is_dir():
        raise AnonymiseError(Errors.E101, path=folder)
    files = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts):
            files[rel.as_posix()] = path.read_bytes()
    restored = restore_files(files, rows)
    write_folder(os.fspath(out), restored, force=force)
    return sorted(restored)

"""Metadata tables (metadata.csv / .xlsx), their join to files, and the merge with front matter.

A table applies to the files below its folder (a table given with
`metadata=` applies to the whole corpus); a row names its file by `file`
(a path relative to that folder, a file name, or a stem) or by `id`. Every
value is kept as text (dates as `YYYY-MM-DD`) or a list of texts, so that a
value given twice compares as text: `2024-03-05` in the front matter and in
the table agree, `05/03/2024` does not.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import posixpath
import re
import unicodedata
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qualcode.base.safecsv import restore_cell
from qualcode.corpus.decode import (
    MAX_PACKAGE_BYTES,
    MAX_TEXT_BYTES,
    TABLE_ADVICE,
    decode,
    package_problem,
    read_bytes,
)
from qualcode.corpus.model import KNOWN_ATTRIBUTES
from qualcode.errors import CorpusError, Errors

TABLE_NAMES = ("metadata.csv", "metadata.xlsx")
#: a metadata value longer than this is refused: it is a few words, and every later step
#: (a report, the name detection of pseudonymisation) handles it in one piece
MAX_VALUE_CHARS = 100_000
_SPECIAL = frozenset(KNOWN_ATTRIBUTES) | {"file"}

Value = str | list[str]


@dataclass(slots=True)
class Row:
    """One table row: where it is, how it names its file, and its attributes."""

    table: str
    line: int
    file: str | None
    id: str | None
    values: dict[str, Value]

    @property
    def where(self) -> str:
        return f"{self.table}:{self.line}"


@dataclass(slots=True)
class Table:
    """A metadata table and the folder (relative to the corpus root, posix) it applies to."""

    display: str
    base: str
    rows: list[Row] = field(default_factory=list)
    encoding: str | None = None
    #: the folder on disk of a table given with --metadata that lies outside the run's folder
    #: (a study's master table read for a subfolder or a single file): its rows may also name
    #: files from there, and rows for files not in this run are ignored, not E105
    master: Path | None = None


@dataclass(slots=True)
class Attribute:
    """A value with its origin (`where` for messages; `path`, `line` for errors)."""

    value: Value
    where: str
    path: str
    line: int | None = None


# --- values ----------------------------------------------------------------

def canonical_name(name: str) -> str:
    """Known attribute names are case-insensitive ('Area' is 'area'); others are kept."""
    name = name.strip()
    return name.lower() if name.lower() in _SPECIAL else name


def clean_value(value: Any, name: str, fail: Callable[[str], CorpusError]) -> Value | None:
    """Text or a list of texts; None (or an empty cell) means "not given"."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        items = [clean_value(v, name, fail) for v in value]
        if any(isinstance(v, list) for v in items):
            raise fail(f"'{name}' holds a nested list; give a value or a list of values")
        return [v for v in items if isinstance(v, str)]
    if isinstance(value, dict):
        raise fail(f"'{name}' is a mapping; give a value or a list of values")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = unicodedata.normalize("NFC", str(value).strip())  # "é" typed one way or the other is one value
    if len(text) > MAX_VALUE_CHARS:
        raise fail(f"'{name}' holds {len(text)} characters, over the limit of {MAX_VALUE_CHARS}; "
                   "a metadata value is a few words")
    return text or None


def as_list(value: Value) -> list[str]:
    """`interviewers` as a list: a YAML list, or a comma/semicolon-separated string."""
    if isinstance(value, list):
        return [v.strip() for v in value if v.strip()]
    return [v.strip() for v in re.split(r"[,;]", value) if v.strip()]


def same(name: str, a: Value, b: Value) -> bool:
    """Values agree as text (stripped); lists, and `interviewers`, as lists."""
    if name == "interviewers" or isinstance(a, list) or isinstance(b, list):
        return sorted(as_list(a)) == sorted(as_list(b))
    return a.strip() == b.strip()


def show(value: Value) -> str:
    return ", ".join(value) if isinstance(value, list) else value


# --- reading tables -------------------------------------------------------

def read_table(path: Path, display: str, base: str) -> Table:
    """Read a metadata table (.csv in any common encoding and delimiter, or .xlsx)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        data = read_bytes(path, display, MAX_TEXT_BYTES, TABLE_ADVICE)
        decoded = decode(data, display)
        records = _csv_records(decoded.text, display)
        encoding = decoded.described if decoded.encoding else None
    elif suffix == ".xlsx":
        records, encoding = _xlsx_records(path, display), None
    else:
        raise CorpusError(Errors.E110.format(reason=f"{suffix or 'no suffix'} is not a table; "
                                                    "use .csv or .xlsx"), path=display)
    table = Table(display, base, encoding=encoding)
    header: list[str] | None = None
    for line, cells in records:
        if not any(c is not None and str(c).strip() for c in cells):
            continue
        if header is None:
            header = _header(cells, display, line)
            continue
        table.rows.append(_row(header, cells, display, line))
    if header is None:
        raise CorpusError(Errors.E110.format(reason="it is empty"), path=display)
    return table


def _csv_records(text: str, display: str) -> list[tuple[int, list[Any]]]:
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records, previous = [], 0
    try:
        for cells in reader:  # a table qualcode wrote guards formulas (`'=x`): read `=x`
            records.append((previous + 1, [restore_cell(c) for c in cells]))
            previous = reader.line_num
    except csv.Error as exc:
        raise CorpusError(Errors.E110.format(reason=str(exc)), path=display, line=previous + 1) from None
    return records


def _xlsx_records(path: Path, display: str) -> list[tuple[int, list[Any]]]:
    data = read_bytes(path, display, MAX_PACKAGE_BYTES, TABLE_ADVICE)
    problem = package_problem(data)
    if problem:
        raise CorpusError(Errors.E110.format(reason=problem), path=display)
    try:
        from openpyxl import load_workbook  # lazy: it takes a quarter of a second

        with warnings.catch_warnings():  # openpyxl's notes on odd workbooks are not ours to print
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheet = book.worksheets[0]
                return [(n, list(cells)) for n, cells in enumerate(sheet.iter_rows(values_only=True), 1)]
            finally:
                book.close()
    except Exception as exc:  # openpyxl raises many types on a bad workbook
        reason = f"cannot read the workbook ({type(exc).__name__}: {str(exc)[:120]})"
        raise CorpusError(Errors.E110.format(reason=reason), path=display) from None


def _header(cells: Sequence[Any], display: str, line: int) -> list[str]:
    names = [canonical_name(str(c)) if c is not None else "" for c in cells]
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            raise CorpusError(Errors.E110.format(reason=f"two columns are named {name!r}"),
                              path=display, line=line)
        seen.add(name)
    if "file" not in seen and "id" not in seen:
        raise CorpusError(Errors.E110.format(reason="it needs a 'file' or an 'id' column to name "
                                                    f"each row's transcript (columns: {', '.join(n for n in names if n)})"),
                          path=display, line=line)
    return names


def _row(header: list[str], cells: Sequence[Any], display: str, line: int) -> Row:
    def fail(reason: str) -> CorpusError:
        return CorpusError(Errors.E110.format(reason=reason), path=display, line=line)

    if len(cells) > len(header) and any(str(c).strip() for c in cells[len(header):] if c is not None):
        raise fail(f"the row has {len(cells)} cells but the header has {len(header)} columns")
    values: dict[str, Value] = {}
    for name, cell in zip(header, cells):
        if not name:
            continue
        value = clean_value(cell, name, fail)
        if value is not None:
            values[name] = value
    file = values.pop("file", None)
    ident = values.get("id")
    if file is None and ident is None:
        raise fail("the row has neither a 'file' nor an 'id'")
    return Row(display, line, show(file) if file is not None else None,
               show(ident) if ident is not None else None, values)


# --- joining rows to files ------------------------------------------------

def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def resolve_file(value: str, base: str, files: Sequence[str], row: Row, display: str) -> str | None:
    """The file (relative to the corpus root) that a row's `file` names, or None.

    Tried in order: the path relative to the table's folder, then (for a bare
    name) the file name, then the stem, among the files below that folder.
    Names compare in NFC: a file named on macOS (NFD) is the one the table
    names in NFC.
    """
    cleaned = value.replace("\\", "/").strip()
    normal = posixpath.normpath(cleaned)
    if (cleaned.startswith("/") or re.match(r"[A-Za-z]:/", cleaned)
            or normal == ".." or normal.startswith("../")):
        raise CorpusError(Errors.E112.format(file=value), path=display, line=row.line)
    target = posixpath.join(base, normal) if base else normal
    if target in files:
        return target
    same = [f for f in files if _nfc(f) == _nfc(target)]
    if same:
        return same[0]
    if "/" in normal:
        return None
    below = [f for f in files if not base or f.startswith(base + "/")]
    for key in (lambda f: posixpath.basename(f), lambda f: posixpath.splitext(posixpath.basename(f))[0]):
        found = [f for f in below if _nfc(key(f)) == _nfc(normal)]
        if len(found) > 1:
            raise CorpusError(Errors.E110.format(reason=f"'file' {value!r} matches {', '.join(found)}; "
                                                        "give the path"), path=display, line=row.line)
        if found:
            return found[0]
    return None


def join(tables: Sequence[Table], files: Sequence[str], front_ids: dict[str, str],
         check_missing: bool, root: Path | None = None,
         ignored: list[str] | None = None) -> dict[str, list[Row]]:
    """Rows per file (relative path), in table order; rows for no file are E105/E117.

    A master table (`Table.master`) serves a subset of the study: its rows
    for files not in this run are listed in `ignored`, not refused.
    """
    rows_of: dict[str, list[tuple[int, Row]]] = {f: [] for f in files}
    by_table: dict[tuple[int, str], Row] = {}

    def attach(index: int, table: Table, file: str, row: Row) -> None:
        other = by_table.get((index, file))
        if other is not None:
            raise CorpusError(Errors.E110.format(reason=f"rows {other.line} and {row.line} both "
                                                        f"describe {file}"), path=table.display, line=row.line)
        by_table[(index, file)] = row
        rows_of[file].append((index, row))

    pending: list[tuple[int, Table, Row]] = []
    for index, table in enumerate(tables):
        for row in table.rows:
            if row.file is None:
                pending.append((index, table, row))
                continue
            file = resolve_file(row.file, table.base, files, row, table.display)
            if file is None and table.master is not None and root is not None:
                file = _from_master(row.file, table.master, root, files)
                if file is None:
                    if ignored is not None:
                        ignored.append(f"{table.display}:{row.line}: {row.file}")
                    continue
            if file is None:
                if check_missing:
                    raise CorpusError(Errors.E105.format(file=row.file), path=table.display, line=row.line)
                continue
            attach(index, table, file, row)

    ids = {}
    for file in files:
        ident = front_ids.get(file) or next((r.id for _, r in rows_of[file] if r.id), None)
        ids[file] = ident or posixpath.splitext(posixpath.basename(file))[0]
    for index, table, row in pending:
        below = [f for f in files if not table.base or f.startswith(table.base + "/")]
        found = [f for f in below if ids[f] == row.id]
        if not found and table.master is not None:
            if ignored is not None:
                ignored.append(f"{table.display}:{row.line}: id {row.id}")
            continue
        if not found and check_missing:
            raise CorpusError(Errors.E117.format(id=row.id), path=table.display, line=row.line)
        for file in found:
            attach(index, table, file, row)
    # rows in table order, whichever way (file or id) they were joined
    return {f: [row for _, row in sorted(pairs, key=lambda pair: pair[0])] for f, pairs in rows_of.items()}


def _from_master(value: str, folder: Path, root: Path, files: Sequence[str]) -> str | None:
    """The file of this run that a master table's row names from the table's own folder."""
    target = (folder / value.replace("\\", "/").strip()).resolve()
    try:
        rel = target.relative_to(root.resolve()).as_posix()
    except ValueError:
        return None
    return next((f for f in files if _nfc(f) == _nfc(rel)), None)


def merge(display: str, front: dict[str, Attribute], rows: Sequence[Row]) -> dict[str, Attribute]:
    """Front matter and table values of one file; a value given twice must agree (E108/E115)."""
    merged = dict(front)
    for row in rows:
        for name, value in row.values.items():
            first = merged.get(name)
            if first is None:
                merged[name] = Attribute(value, row.where, row.table, row.line)
            elif not same(name, first.value, value):
                if first.where == "the front matter":
                    message = Errors.E108.format(attribute=name, a=show(first.value),
                                                 b=show(value), table=row.where)
                    raise CorpusError(message, path=display, line=first.line)
                message = Errors.E115.format(attribute=name, a=show(first.value), table_a=first.where,
                                             b=show(value), table_b=row.where)
                raise CorpusError(message, path=display)
    return merged

"""The map: one row per (pseudonym, original spelling), kept apart from the copy, and bound to it.

Columns: `pseudonym`, `category`, `original`, `occurrences`, `files` (the
corpus files where it occurs, joined with '; ') and, added at the end,
`positions`: when one pseudonym stands for several spellings ("Karim
Benali", "Benali", "GARNIER"...), a JSON object giving, per file of the
copy, which of the pseudonym's occurrences (0-based, in reading order) are
this spelling, so that `restore` puts back exactly what was there.

Then `copy_id` and `copy_sha256`, the same on every row: the id of the copy
the map belongs to and the digest of that copy's files, which the copy's
`.qualcode.json` holds too (a map without names has one row with only
these). `--restore` refuses a map whose id is not the copy's. The id is an
HMAC of the map and the copy under a key of the user's (`user_key`): the
same run gives the same id, and it tells nothing about the names to someone
who has only the copy.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from qualcode.anonymise.matching import PSEUDONYM
from qualcode.anonymise.vocab import CATEGORIES
from qualcode.errors import AnonymiseError, Errors

MAP_COLUMNS = ("pseudonym", "category", "original", "occurrences", "files", "positions")
#: the binding to the copy, after the map's own columns (absent from maps of older versions)
BINDING_COLUMNS = ("copy_id", "copy_sha256")
#: a map is one row per spelling of a name: far smaller than this
MAX_MAP_BYTES = 200_000_000


@dataclass(frozen=True, slots=True)
class MapRow:
    """One (pseudonym, original spelling) of the map, with where it occurs."""

    pseudonym: str
    category: str
    original: str
    occurrences: int
    files: tuple[str, ...]
    #: output file -> ordinals of this spelling among the pseudonym's occurrences in that file;
    #: given only when a pseudonym stands for several spellings
    positions: dict[str, list[int]] = field(default_factory=dict)



def map_rows(records: Mapping[str, list[tuple[str, str, str]]]) -> list[MapRow]:
    """One row per (pseudonym, original spelling), sorted by category, number and spelling.

    Args:
        records: per file of the copy, its replacements in order as
            (pseudonym, original, corpus file).
    """
    count: Counter = Counter()
    files: dict[tuple[str, str], set[str]] = defaultdict(set)
    ordinals: dict[tuple[str, str], dict[str, list[int]]] = defaultdict(dict)
    spellings: dict[str, set[str]] = defaultdict(set)
    for name in sorted(records):
        seen: Counter = Counter()
        for pseudonym, original, source in records[name]:
            key = (pseudonym, original)
            count[key] += 1
            files[key].add(source)
            ordinals[key].setdefault(name, []).append(seen[pseudonym])
            seen[pseudonym] += 1
            spellings[pseudonym].add(original)
    rows = []
    for (pseudonym, original), n in count.items():
        m = PSEUDONYM.fullmatch(pseudonym)
        assert m is not None
        positions = dict(sorted(ordinals[(pseudonym, original)].items())) if len(spellings[pseudonym]) > 1 else {}
        rows.append(MapRow(pseudonym, m.group(1), original, n, tuple(sorted(files[(pseudonym, original)])),
                           positions))
    return sorted(rows, key=lambda r: (CATEGORIES.index(r.category), int(r.pseudonym.split()[1][:-1]),
                                       r.original))


@dataclass(frozen=True, slots=True)
class Binding:
    """What ties a copy and its map: the copy's id and the digest of its files."""

    id: str
    copy_sha256: str


@dataclass(frozen=True, slots=True)
class MapFile:
    """A map read back: its rows, and the copy it belongs to (None for a map of an older version)."""

    rows: list[MapRow]
    binding: Binding | None


def files_digest(files: Mapping[str, str | bytes]) -> str:
    """The digest of a copy's files (name -> content): what a map and the copy's marker record."""
    lines = []
    for name in sorted(files):
        content = files[name]
        data = content.encode("utf-8") if isinstance(content, str) else content
        lines.append(f"{hashlib.sha256(data).hexdigest()}  {name}\n")
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


def bind(rows: Iterable[MapRow], copy_sha256: str) -> Binding:
    """The binding of a map (its rows) to a copy (its digest): the id is keyed with the user's key."""
    from qualcode.base.userdirs import user_key

    message = map_csv(rows).encode("utf-8") + b"\0" + copy_sha256.encode("ascii")
    return Binding(hmac.new(user_key(), message, hashlib.sha256).hexdigest()[:32], copy_sha256)


def map_csv(rows: Iterable[MapRow], binding: Binding | None = None) -> str:
    """The map as CSV: `files` joined with '; ', `positions` as JSON (or empty), then the binding."""
    from qualcode.base.safecsv import csv_text

    extra = [binding.id, binding.copy_sha256] if binding is not None else []
    table: list[list[object]] = [[*MAP_COLUMNS, *(BINDING_COLUMNS if binding is not None else ())]]
    for r in rows:
        positions = json.dumps(r.positions, ensure_ascii=False, separators=(",", ":")) if r.positions else ""
        table.append([r.pseudonym, r.category, r.original, r.occurrences, "; ".join(r.files), positions, *extra])
    if binding is not None and len(table) == 1:
        table.append(["", "", "", "", "", "", *extra])  # no name replaced: the binding still has its row
    return csv_text(table)


def read_map_file(path: str | os.PathLike[str]) -> MapFile:
    """Read a map written by `qualcode anonymise --map`, with its binding (E709 when it is not one)."""
    from qualcode.base.limits import read_limited
    from qualcode.base.safecsv import restore_cell

    try:
        text = read_limited(path, MAX_MAP_BYTES).decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AnonymiseError(Errors.E709.format(reason=getattr(exc, "strerror", None) or exc), path=path) from None
    reader = csv.DictReader(io.StringIO(text))
    fields = reader.fieldnames or []
    missing = [c for c in MAP_COLUMNS if c not in fields]
    if missing:
        raise AnonymiseError(Errors.E709.format(reason=f"no column {', '.join(missing)}"), path=path)
    rows = []
    bindings: set[Binding] = set()
    try:
        for line, row in enumerate(reader, start=2):
            row = {k: restore_cell(v) if isinstance(v, str) else v for k, v in row.items()}
            if all(c in fields for c in BINDING_COLUMNS):
                bindings.add(Binding(str(row["copy_id"] or ""), str(row["copy_sha256"] or "")))
            if not row["pseudonym"]:
                continue
            try:
                positions = json.loads(row["positions"]) if row["positions"] else {}
                rows.append(MapRow(row["pseudonym"], row["category"], row["original"], int(row["occurrences"]),
                                   tuple(f for f in row["files"].split("; ") if f), positions))
            except (ValueError, TypeError, AttributeError) as exc:
                raise AnonymiseError(Errors.E709.format(reason=f"line {line}: {exc}"), path=path) from None
    except csv.Error as exc:
        raise AnonymiseError(Errors.E709.format(reason=str(exc)), path=path) from None
    if len(bindings) > 1:
        raise AnonymiseError(Errors.E709.format(reason="its rows name different copies"), path=path)
    return MapFile(rows, bindings.pop() if bindings else None)


def read_map(path: str | os.PathLike[str]) -> list[MapRow]:
    """The rows of a map written by `qualcode anonymise --map` (E709 when it is not one)."""
    return read_map_file(path).rows

"""The map: one row per (pseudonym, original spelling), kept apart from the copy.

Columns: `pseudonym`, `category`, `original`, `occurrences`, `files` (the
corpus files where it occurs, joined with '; ') and, added at the end,
`positions`: when one pseudonym stands for several spellings ("Karim
Benali", "Benali", "GARNIER"...), a JSON object giving, per file of the
copy, which of the pseudonym's occurrences (0-based, in reading order) are
this spelling, so that `restore` puts back exactly what was there.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.anonymise.matching import PSEUDONYM
from qualcode.anonymise.vocab import CATEGORIES
from qualcode.errors import AnonymiseError, Errors

MAP_COLUMNS = ("pseudonym", "category", "original", "occurrences", "files", "positions")


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


def map_csv(rows: Iterable[MapRow]) -> str:
    """The map as CSV: `files` joined with '; ', `positions` as JSON (or empty)."""
    from qualcode.base.safecsv import csv_text

    table: list[list[object]] = [list(MAP_COLUMNS)]
    for r in rows:
        positions = json.dumps(r.positions, ensure_ascii=False, separators=(",", ":")) if r.positions else ""
        table.append([r.pseudonym, r.category, r.original, r.occurrences, "; ".join(r.files), positions])
    return csv_text(table)


def stage_map(path: Path, content: str) -> Path:
    """Write the map to a private temporary file next to its place (mode 600)."""
    parent = path.parent if str(path.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(content)
        os.chmod(tmp, 0o600)
    except OSError as exc:
        raise AnonymiseError(Errors.E438.format(path=path, reason=exc.strerror or exc)) from None
    return Path(tmp)


def read_map(path: str | os.PathLike[str]) -> list[MapRow]:
    """Read a map written by `qualcode anonymise --map` (E709 when it is not one)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AnonymiseError(Errors.E709.format(reason=getattr(exc, "strerror", None) or exc), path=path) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in MAP_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise AnonymiseError(Errors.E709.format(reason=f"no column {', '.join(missing)}"), path=path)
    rows = []
    from qualcode.base.safecsv import restore_cell

    for line, row in enumerate(reader, start=2):
        row = {k: restore_cell(v) if isinstance(v, str) else v for k, v in row.items()}
        try:
            positions = json.loads(row["positions"]) if row["positions"] else {}
            rows.append(MapRow(row["pseudonym"], row["category"], row["original"], int(row["occurrences"]),
                               tuple(f for f in row["files"].split("; ") if f), positions))
        except (ValueError, TypeError) as exc:
            raise AnonymiseError(Errors.E709.format(reason=f"line {line}: {exc}"), path=path) from None
    return rows

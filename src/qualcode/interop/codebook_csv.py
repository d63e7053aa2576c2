"""Codebook tables (`.csv`): Taguette's, and qualcode's own `codebook export --format csv`.

Taguette, the open-source QDA web app, exports and imports codebooks as CSV
with one tag per row: the name in a `tag` (its export), `name` or `path`
column (exactly one of them), and optional `description` and `parent`
columns. `qualcode codebook export --format csv` writes `name` and
`description` first for that reason, so a qualcode codebook goes into
Taguette as it stands, and reading the table back needs no other format.

Reading (`csv_to_codebook`) makes the same skeleton as `import qdc`:

* a tag with a `parent` goes into the group of that parent; a tag that is
  the parent of others and has none itself becomes a group of its name and
  stays a code in it (as MAXQDA's codable parents do in `.qdc`);
* qualcode's own table: the `group` column gives the group, `id` the code,
  and the rows of one `id` in several `language`s give its label and
  definition in each; `actor` rows (providers) are not codes and are left
  out;
* other tags go into "Sans groupe" / "Ungrouped".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from qualcode.defaults import LANGUAGES
from qualcode.errors import CorpusError, Errors, InteropError
from qualcode.interop._ids import RESERVED, Unique
from qualcode.interop.skeleton import UNGROUPED, QdcImport, SkeletonCode, SkeletonGroup, check_languages, skeleton

#: the columns Taguette reads a tag's name from; a table must have exactly one
NAME_COLUMNS = ("tag", "name", "path")
#: a codebook table larger than this is not a codebook
MAX_BYTES = 20_000_000

_TREE = ("Groups are the tags' parents (Taguette's `parent` column) or the `group` column of a\n"
         "# qualcode table; a tag that is a parent stays a code in its own group.")


def _fail(path: Path, reason: str, line: int | None = None) -> InteropError:
    return InteropError(Errors.E626.format(reason=reason), path=str(path), line=line)


def _rows(path: Path) -> list[list[str]]:
    from qualcode.base.limits import FileTooLarge, NotRegularFile, read_limited
    from qualcode.corpus.decode import decode

    try:
        data = read_limited(path, MAX_BYTES)
    except FileNotFoundError:
        raise InteropError(Errors.E101, path=str(path)) from None
    except NotRegularFile as error:
        raise _fail(path, f"{error.kind}, not a file") from None
    except FileTooLarge as error:
        raise _fail(path, f"{error.size} bytes (limit {error.limit})") from None
    except OSError as error:
        raise _fail(path, f"cannot be read: {error.strerror or error}") from None
    try:
        text = decode(data, str(path)).text
    except CorpusError as error:  # E103: binary data, not a table
        raise _fail(path, "not text") from error
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    try:
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as error:
        raise _fail(path, f"invalid CSV: {error}") from None


def csv_to_codebook(path: Path | str, *, languages: Sequence[str] | None = None,
                    name: str = "imported") -> QdcImport:
    """A codebook skeleton from a Taguette (or qualcode) codebook CSV."""
    path = Path(path)
    rows = _rows(path)
    if not rows:
        raise _fail(path, "the file is empty")
    header = [cell.strip().lower() for cell in rows[0]]
    named = [c for c in NAME_COLUMNS if c in header]
    if len(named) != 1:
        reason = ("no 'tag', 'name' or 'path' column" if not named
                  else f"several name columns ({', '.join(named)}); keep one")
        raise _fail(path, reason, 1)
    column = {c: header.index(c) for c in dict.fromkeys(header) if c}

    def cell(row: list[str], name: str) -> str:
        index = column.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    records: list[tuple[int, list[str]]] = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if cell(row, "kind") == "actor":
            continue
        if not cell(row, named[0]):
            raise _fail(path, f"a row without a {named[0]!r}", line)
        records.append((line, row))
    file_langs = [lang for lang in LANGUAGES if any(cell(r, "language") == lang for _, r in records)]
    langs = check_languages(languages) if languages or not file_langs else file_langs

    # one code per id (qualcode's table: a row per language) or per name (Taguette)
    codes: dict[str, SkeletonCode] = {}
    parents: dict[str, str] = {}
    ids = Unique(fallback="code", reserved=RESERVED)
    for _line, row in records:
        tag, key = cell(row, named[0]), cell(row, "id") or cell(row, named[0])
        lang = cell(row, "language")
        code = codes.get(key)
        if code is None:
            code = codes[key] = SkeletonCode(ids.make(cell(row, "id") or tag), tag, cell(row, "description"))
            parents[key] = cell(row, "parent") or cell(row, "group")
        if lang:
            code.labels.setdefault(lang, tag)
            code.definitions.setdefault(lang, cell(row, "description"))
    if not codes:
        raise _fail(path, "no tag")
    return skeleton(_groups(codes, parents), langs, name=name, source=path.name, origin_text="",
                    tree=_TREE, folders=0, flattened=0)


def _groups(codes: dict[str, SkeletonCode], parents: dict[str, str]) -> list[SkeletonGroup]:
    """Groups in order of first appearance: a parent's name, else the tag itself when it is a parent."""
    group_ids = Unique(fallback="group")
    groups: dict[str, SkeletonGroup] = {}
    ungrouped = SkeletonGroup("", "")
    names = {code.name: key for key, code in codes.items()}
    is_parent = {p for p in parents.values() if p}
    for key, code in codes.items():
        parent = parents[key]
        label = parent or (code.name if code.name in is_parent or key in is_parent else "")
        if not label:
            ungrouped.codes.append(code)
            continue
        # a parent named by its tag (Taguette) or by its id (qualcode's group column)
        label = codes[names[label]].name if label in names else label
        group = groups.get(label)
        if group is None:
            group = groups[label] = SkeletonGroup(group_ids.make(label), label)
        group.codes.append(code)
    found = list(groups.values())
    if ungrouped.codes:
        ungrouped.id = group_ids.make(UNGROUPED["id"])
        found.append(ungrouped)
    return found

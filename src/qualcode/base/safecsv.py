"""CSV cells that a spreadsheet shows as text and never runs, written and read back exactly.

A cell that starts like a formula gets OWASP's leading `'`; every reader of
qualcode's CSV files takes it off again (`restore_cell`), so round trips are
exact and offsets still cut the matched text out of the transcript.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

#: a cell that starts with one of these is read as a formula by Excel, LibreOffice
#: and Google Sheets (OWASP's list: `=`, `+`, `-`, `@`, tab, carriage return)
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _opens_formula(value: str) -> bool:
    """Whether `value`, once written to a cell, needs a leading `'` (see `neutralise_cell`)."""
    core = value.lstrip("'")
    if not core.startswith(FORMULA_TRIGGERS):
        return False
    return core != value or not _PLAIN_NUMBER.fullmatch(core)


def neutralise_cell(value: str) -> str:
    """A text cell that a spreadsheet shows as text, never runs: OWASP's leading `'`.

    A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets
    a `'` in front (a plain number such as `-0.5` is left alone: it is a number,
    not a formula); so does one that already starts with `'` before such a
    character, so that `restore_cell` gives back exactly what was written.
    """
    return "'" + value if _opens_formula(value) else value


def restore_cell(value: str) -> str:
    """`neutralise_cell` undone: how qualcode reads a cell of a CSV it wrote."""
    if value.startswith("'") and _opens_formula(value[1:]):
        return value[1:]
    return value


def csv_field(value: object) -> str:
    """One CSV field: text neutralised, quoted as RFC 4180 says (a carriage return too).

    None and NaN are empty fields. The standard `csv` module leaves a field that
    holds a lone carriage return unquoted when lines end with `\\n`, and every
    reader then splits the row there: a field with `,`, `"`, `\\n` or `\\r` is
    always quoted here. Called for every cell of every results table, so the
    common cases (plain text, integers) take the shortest way.
    """
    if isinstance(value, str):
        text = neutralise_cell(value)
    elif isinstance(value, int):  # bool included: str(True), as before
        return str(value)
    elif value is None or (isinstance(value, float) and value != value) or type(value).__name__ in _MISSING:
        return ""
    else:
        text = str(value)
    if _MUST_QUOTE.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


_MUST_QUOTE = re.compile('[,"\n\r]')
_MISSING = ("NAType", "NaTType")  # pandas' missing values, without importing pandas


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """Rows as qualcode's CSV: UTF-8 text, `,`, `\\n` line ends, RFC 4180 quoting, cells neutralised."""
    lines = []
    for row in rows:
        fields = [csv_field(cell) for cell in row]
        lines.append('""' if fields == [""] else ",".join(fields))  # a lone empty field is not a blank line
    return "".join(line + "\n" for line in lines)

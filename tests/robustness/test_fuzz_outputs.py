"""What qualcode writes, fuzzed: CSV cells never open a formula and read back exactly; the terminal is never hijacked.

* `neutralise_cell` puts OWASP's `'` before a cell that a spreadsheet would
  run (`=`, `+`, `-`, `@`, tab, carriage return) and `restore_cell` takes it
  off: for any text the round trip is exact, and what is written never
  starts a formula;
* `frame_to_csv` then `read_frame` (the shared writer and reader of results
  folders) give back every text cell exactly, commas, quotes, line breaks
  and leading quotes included;
* `safe_text` leaves no control or bidirectional character for a terminal.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualcode.base.safecsv import (
    FORMULA_TRIGGERS,
    csv_field,
    csv_text,
    neutralise_cell,
    restore_cell,
)
from qualcode.base.text import CONTROL as UNSAFE
from qualcode.cli.output import json_text, safe_text
from qualcode.results.frames import frame_to_csv, read_frame
from support.hostile import text_pieces_and_runs

CELL_PIECES = ["=", "+", "-", "@", "\t", "\r", "'", "''", "1", "-1", "0.5", "e5", "=1+1", "cmd|' /C calc'!A0",
               "HYPERLINK(", '"', ",", ";", "\n", "\r\n", " ", "é", "\u202e", "\x1b", "\x00", "a"]
cells = st.one_of(text_pieces_and_runs(CELL_PIECES, max_chunks=6, max_run=5), st.text(max_size=12))


@given(value=cells)
def test_neutralised_cell_round_trips_and_never_opens_a_formula(value):
    written = neutralise_cell(value)
    assert restore_cell(written) == value
    assert written == value or written == "'" + value
    if written.startswith(FORMULA_TRIGGERS):  # only a plain number may start so
        float(written)


@given(rows=st.lists(st.lists(cells, min_size=2, max_size=2), min_size=1, max_size=5))
def test_csv_text_cells_are_neutralised(rows):
    import csv
    import io

    read = list(csv.reader(io.StringIO(csv_text(rows), newline="")))
    assert [[restore_cell(c) for c in row] for row in read] == rows


# attribute names are stripped; read_frame types its own numeric and boolean columns
TYPED = {"turn", "start", "end", "words", "matches", "segments", "interviews", "negated"}
names_of_columns = cells.filter(lambda name: name.strip() == name != "" and name not in TYPED)


@given(texts=st.lists(cells, min_size=1, max_size=6),
       names=st.lists(names_of_columns, min_size=1, max_size=2, unique=True))
def test_results_csv_round_trip(tmp_path_factory, texts, names):
    folder = tmp_path_factory.mktemp("csv", numbered=True)
    frame = pd.DataFrame({"case": texts, "start": list(range(len(texts))),
                          "share": [0.5] * len(texts), "negated": [True] * len(texts)})
    for n, name in enumerate(names):
        if name not in frame.columns:
            frame[name] = [f"{n}{t}" for t in texts]
    (folder / "x.csv").write_text(frame_to_csv(frame), encoding="utf-8", newline="\n")
    back = read_frame(folder, "x.csv")
    assert list(back.columns) == list(frame.columns)
    assert back["case"].tolist() == texts
    assert back["start"].tolist() == list(range(len(texts)))
    assert back["negated"].tolist() == [True] * len(texts)
    for name in frame.columns[4:]:
        assert back[name].tolist() == frame[name].tolist()


@given(value=text_pieces_and_runs(["\x1b[31m", "\x1b]0;title\x07", "\x9b", "\u202e", "\u2066", "\u200f", "\r",
                                   "\x08", "\x7f", "\t", "\n", "a", "é", "[bold]", "\\x1b"], max_run=20))
def test_terminal_text_holds_no_control(value):
    shown = safe_text(value)
    assert not UNSAFE.search(shown)
    assert not UNSAFE.search(json_text({"k": value}))
    import json

    assert json.loads(json_text({"k": value})) == {"k": value}


@pytest.mark.parametrize("value", ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1", "'=1+1"])
def test_each_trigger_is_neutralised_and_read_back(tmp_path, value):
    (tmp_path / "x.csv").write_text(frame_to_csv(pd.DataFrame({"text": [value], "n": [-1]})), encoding="utf-8")
    written = (tmp_path / "x.csv").read_bytes().decode("utf-8")  # a carriage return stays one
    import csv
    import io

    cell, number = next(iter(list(csv.reader(io.StringIO(written, newline="")))[1:]))
    assert cell == "'" + value and number == "-1"
    assert read_frame(tmp_path, "x.csv")["text"].tolist() == [value]


@given(number=st.integers() | st.floats(allow_nan=False))
def test_numbers_and_missing_values_as_fields(number):
    import pandas as pd

    assert csv_field(number) == str(number)  # a plain number, even a negative one, is never neutralised
    assert [csv_field(v) for v in (None, float("nan"), pd.NA, pd.NaT, True)] == ["", "", "", "", "True"]

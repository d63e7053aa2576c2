"""The output guard: what a command may write, and what `--force` may replace.

Every command that writes calls `guard_output` once per output, before any
long work, with the inputs it reads. It refuses (exit 2, nothing touched):

* an output that is a symbolic link (E442): a link is never written through,
  and replacing it would put the new folder beside what it points to;
* an output that is an input, holds one, or lies inside an input folder
  (E433): replacing it would delete the input (a transcript, the project
  being imported, the map), and writing into it would change what the input
  is (a report written into the results folder it is rendered from breaks
  the manifest's digests; a file in a corpus is read as a transcript);
* an existing output without `--force` (E402, E437), and with `--force`
  anything qualcode did not write (E439, E443): a folder is qualcode's when
  it is empty, holds `manifest.json` (a results folder) or `.qualcode.json`
  (an anonymised copy, a restored copy, an imported corpus); a file when its
  content is what the writer writes (the REFI-QDA `origin`, the report's
  generator line, the CSV header...).

Then it sweeps what interrupted writes of that output left beside it
(`qualcode.base.atomic.sweep`) and returns what the user should be told.
Paths are compared with links resolved (`qualcode.base.paths.relation`).
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from qualcode.base.atomic import sweep
from qualcode.base.paths import MANIFEST, MARKER, folder_is_ours, relation
from qualcode.errors import Errors, OutputError, ResultsError

__all__ = ["MANIFEST", "MARKER", "Input", "Output", "check_inputs", "file_is_ours", "folder_is_ours",
           "guard_output"]

_HEAD = 65_536

#: an input: what it is, in words ("corpus", "codebook"...), and its path (None: not given)
Input = tuple[str, "Path | str | None"]


@dataclass(frozen=True)
class Output:
    """What a command writes: a folder, or a file and how to tell one that qualcode wrote."""

    what: str
    folder: bool = False
    ours: Callable[[Path], bool] | None = None
    private: bool = False  # the map: a staged copy left by a kill is said when it is removed


# --- telling qualcode's own files -----------------------------------------------------

def _head(path: Path, size: int = _HEAD) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(size)
    except OSError:
        return b""


def _tail(path: Path, size: int = 4096) -> bytes:
    try:
        with open(path, "rb") as handle:
            handle.seek(max(0, os.fstat(handle.fileno()).st_size - size))
            return handle.read(size)
    except OSError:
        return b""


def _zip_member_holds(path: Path, suffix: str, needle: bytes) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.filename.lower().endswith(suffix) and info.file_size < 200_000_000:
                    with archive.open(info) as member:
                        if needle in member.read(_HEAD):
                            return True
    except (OSError, zipfile.BadZipFile, ValueError, NotImplementedError, RuntimeError, EOFError):
        return False
    return False


def _csv_header(*prefixes: str) -> Callable[[Path], bool]:
    def ours(path: Path) -> bool:
        first = _head(path, 4096).lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0]
        return any(first.startswith(p.encode()) for p in prefixes)

    return ours


def _report(path: Path) -> bool:
    return (b'<meta name="generator" content="qualcode' in _head(path, 4096)
            or b"\n*qualcode " in _tail(path))


def _table(path: Path) -> bool:
    if zipfile.is_zipfile(path):
        return _zip_member_holds(path, "docprops/core.xml", b">qualcode<")
    return _csv_header("segment_id,interview_id,", "interview_id,case,", "case,interviews,")(path)


def _codebook_export(path: Path) -> bool:
    head = _head(path, 4096)
    return (b"\n| Name | " in head and b"\n| Version | " in head) or head.startswith(b"kind,id,group,language,")


RESULTS = Output("results folder", folder=True)
COPY = Output("anonymised copy", folder=True)
RESTORED = Output("restored copy", folder=True)
IMPORTED = Output("imported corpus", folder=True)
QDPX = Output("REFI-QDA project", ours=lambda p: _zip_member_holds(p, ".qde", b'origin="qualcode'))
QDC = Output("REFI-QDA codebook", ours=lambda p: b'origin="qualcode' in _head(p, 4096))
IRAMUTEQ = Output("IRaMuTeQ corpus", ours=lambda p: _head(p, 5) == b"**** ")
TABLE = Output("table", ours=_table)
CODEBOOK = Output("codebook skeleton",
                  ours=lambda p: _head(p, 64).startswith(b"# Codebook skeleton imported by qualcode"))
REPORT = Output("report", ours=_report)
CODEBOOK_EXPORT = Output("codebook export", ours=_codebook_export)
ROWS = Output("table of segments", ours=_csv_header("code,segment_id,interview_id,", "code,change,segment_id,"))
MAP = Output("map", ours=_csv_header("pseudonym,category,original,"), private=True)
MODEL = Output("model folder", folder=True)
NEXT = Output("sheet of segments to code next", ours=_csv_header("segment,code,coder,scope,case,interview,"))
SUGGESTED = Output("suggested codebook", ours=lambda p: b"suggested by qualcode suggest" in _head(p, 4_194_304))
DIFF = Output("codebook diff", ours=lambda p: _head(p, 6).startswith(b"--- a/"))
QCA = Output("QCA table", ours=_csv_header("case,", "variable,id,kind,source,", "row,"))
FRAMEWORK = Output("framework matrix", ours=lambda p: (
    _zip_member_holds(p, "docprops/core.xml", b">qualcode<") if zipfile.is_zipfile(p)
    else _head(p, 256).startswith(b"# Framework matrix")))


def file_is_ours(path: Path, output: Output) -> bool:
    """An empty file, or one whose content is what `output`'s writer writes."""
    try:
        if path.stat().st_size == 0:
            return True
    except OSError:
        return False
    return output.ours is not None and output.ours(path)


# --- the guard ---------------------------------------------------------------------------

def _consequence(found: str, role: str) -> str:
    if found == "is":
        return f"writing there would replace the {role}"
    if found == "contains":
        return f"replacing it would delete the {role}"
    return f"an output never goes into the {role}: it would change what it holds"


def check_inputs(out: Path | str, inputs: Iterable[Input], *, private: bool = False) -> None:
    """Refuse an output that is an input, holds one or lies in an input folder (E433; the map: E716)."""
    out = Path(out)
    for role, given in inputs:
        if given is None or not os.path.lexists(given):
            continue
        found = relation(out, given)
        if not found:
            continue
        if private:
            raise OutputError(Errors.E716.format(map=out, relation=found, role=role, input=given), path=out)
        raise OutputError(Errors.E433.format(out=out, relation=found, role=role, input=given,
                                             consequence=_consequence(found, role)), path=out)


def guard_output(out: Path | str, output: Output, *, force: bool, inputs: Iterable[Input] = (),
                 in_place: bool = False) -> list[str]:
    """Refuse, before any work, an output that would destroy or leak data; sweep leftovers of killed runs.

    Args:
        out: the folder or file the command will write.
        output: what it is (`RESULTS`, `COPY`, `QDPX`...: how to tell one qualcode wrote).
        force: `--force` was given.
        inputs: (what, path) of everything the command reads; paths that are
            None or do not exist are passed over.
        in_place: the output is the input folder it updates (`qualcode classify`).

    Returns:
        Warnings for the user: what the sweep put back or removed (W801, W802).

    Raises:
        OutputError: a link (E442), an input (E433, E716), a file where a folder
            goes or the reverse (E403, E438), not qualcode's (E439, E443).
        ResultsError: exists without `force` (E402, E437).
    """
    out = Path(out)
    if out.is_symlink():
        raise OutputError(Errors.E442, path=out)
    if not in_place:
        check_inputs(out, inputs, private=output.private)
    exists = out.exists()
    if output.folder:
        if exists and not out.is_dir():
            raise ResultsError(Errors.E403, path=out)
        if exists and not force and not in_place:
            raise ResultsError(Errors.E402, path=out)
        if exists and not folder_is_ours(out):
            raise ResultsError(Errors.E439, path=out)
    elif exists:
        if out.is_dir():
            raise OutputError(Errors.E438.format(path=out, reason="it is a folder"), path=out)
        if not out.is_file():
            raise OutputError(Errors.E445.format(reason="a pipe, a device or a socket"), path=out)
        if not force:
            raise ResultsError(Errors.E437, path=out)
        if not file_is_ours(out, output):
            raise OutputError(Errors.E443.format(what=output.what), path=out)
    return sweep(out, private=output.private)

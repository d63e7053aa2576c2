"""Files and folders written whole or not at all: the one writer every output goes through.

A file is written to a temporary sibling (`mkstemp`: a fresh name, never an
existing file or link) and renamed into place; a folder is written in full
into a temporary sibling folder, then swapped in. Whatever fails (a full
disk, an interruption), the previous file or folder is as it was and no
temporary sibling stays. Nothing heavy is imported here.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from qualcode.errors import Errors, OutputError, ResultsError


def write_file_atomic(path: Path | str, data: str | bytes) -> Path:
    """Write one file through a temporary sibling renamed into place: it is whole or as it was.

    Text is written as UTF-8 with the line ends it has. The temporary file is
    removed on any failure, an interruption included. Raises OSError (the
    caller says which of its messages fits); `write_file` says it for you.
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    parent = path.parent if str(path.parent) else Path(".")
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.tmp-", dir=parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def check_file_target(path: Path | str, *, force: bool) -> None:
    """Fail before any work when `path` may not be written: it exists (without `force`) or is a folder."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(Errors.E438.format(path=path, reason="it is a folder"), path=path)
    if path.exists() and not force:
        raise OutputError(Errors.E437, path=path)


def write_file(path: Path | str, data: str | bytes, *, force: bool = False, parents: bool = False) -> Path:
    """Write one output file atomically; an existing file is replaced only with `force`.

    `parents`: create the folders it goes in (exports do; a report or a table
    given a folder that does not exist is more likely a typo).

    Raises:
        OutputError: the file exists (E437) or cannot be written (E438).
    """
    path = Path(path)
    check_file_target(path, force=force)
    try:
        if parents and str(path.parent):
            path.parent.mkdir(parents=True, exist_ok=True)
        return write_file_atomic(path, data)
    except OSError as exc:
        raise OutputError(Errors.E438.format(path=path, reason=exc.strerror or exc), path=path) from None


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

"""Writing one file so that it is whole or as it was, with nothing heavy imported."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_file_atomic(path: Path | str, data: str | bytes) -> Path:
    """Write one file through a temporary sibling renamed into place: it is whole or as it was.

    Text is written as UTF-8 with the line ends it has. The temporary file is
    removed on any failure, an interruption included. Raises OSError (the
    caller says which of its messages fits).
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

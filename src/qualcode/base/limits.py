"""Reading an input with a bound: a regular file, never more than a limit, whatever it claims.

Every input qualcode opens (transcripts, tables, codebooks, projects, maps,
name lists, the files of a results folder or of a copy) is read here or
checked here first. A pipe would block a run and a device such as
`/dev/zero` would never end, so only regular files are read; a file is
refused before it is read when its size is over the limit, and never more
than the limit is read, even if it grows meanwhile.

The errors are `OSError`s, so that each caller says them with its own
message (`exc.strerror` reads well in any of them); `FileTooLarge` carries
the size and the limit for the messages that give them.
"""

from __future__ import annotations

import errno
import os
import stat

#: a REFI-QDA project, a results table or another file qualcode reads whole: far more than any real one
MAX_FILE_BYTES = 2_000_000_000


class FileTooLarge(OSError):
    """A file over its limit: `size` bytes (at least), `limit` allowed."""

    def __init__(self, path: str | os.PathLike[str], size: int, limit: int) -> None:
        super().__init__(errno.EFBIG, f"too large: {size} bytes, over the limit of {limit}", os.fspath(path))
        self.size = size
        self.limit = limit


class NotRegularFile(OSError):
    """A folder, a pipe, a device or a socket where a file is read."""

    def __init__(self, path: str | os.PathLike[str], kind: str) -> None:
        super().__init__(errno.EINVAL, f"not a regular file but {kind}", os.fspath(path))
        self.kind = kind


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def check_file(path: str | os.PathLike[str], limit: int = MAX_FILE_BYTES) -> int:
    """The size of `path`, a regular file within `limit` (links followed); raises the errors above.

    Raises:
        FileNotFoundError, PermissionError...: as `os.stat` raises them.
        NotRegularFile: a folder, a pipe, a device or a socket.
        FileTooLarge: over `limit`.
    """
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise NotRegularFile(path, _kind(info.st_mode))
    if info.st_size > limit:
        raise FileTooLarge(path, info.st_size, limit)
    return info.st_size


def read_limited(path: str | os.PathLike[str], limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (see `check_file` for what is raised)."""
    # opened without blocking, then checked: a pipe put in the file's place meanwhile is refused too
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(path, _kind(info.st_mode))
        if info.st_size > limit:
            raise FileTooLarge(path, info.st_size, limit)
    except BaseException:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(limit + 1)  # never more than the limit, even if the file grows
    if len(data) > limit:
        raise FileTooLarge(path, len(data), limit)
    return data

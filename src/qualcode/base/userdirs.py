"""Where qualcode keeps per-user state, without importing anything heavy."""

from __future__ import annotations

import os
from pathlib import Path


def default_cache_dir() -> Path:
    """``$QUALCODE_CACHE_DIR``, else ``$XDG_CACHE_HOME/qualcode``, else ``~/.cache/qualcode``."""
    env = os.environ.get("QUALCODE_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "qualcode"


_KEY: bytes | None = None
KEY_FILE = "key"


def user_key() -> bytes:
    """A secret of this user, kept in the cache folder (mode 600), made on first use.

    It keys the id that binds an anonymised copy to its map: the same corpus
    gives the same id on this machine, and someone who has the copy but not
    the map cannot test guesses of the names against it. When the cache
    folder cannot be written, a secret for this process only is used (the
    id then differs from run to run). `qualcode cache clear` removes it.
    """
    global _KEY
    if _KEY is not None:
        return _KEY
    path = default_cache_dir() / KEY_FILE
    try:
        data = path.read_bytes()
        if len(data) == 32:
            _KEY = data
            return data
    except OSError:
        pass
    secret = os.urandom(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(secret)
    except FileExistsError:  # another process made it first, or it is damaged: read it again
        try:
            data = path.read_bytes()
            secret = data if len(data) == 32 else secret
        except OSError:
            pass
    except OSError:
        pass
    _KEY = secret
    return secret

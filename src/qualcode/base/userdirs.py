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

"""Where qualcode keeps per-user state, without importing anything heavy."""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
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


# --- what the cache folder holds -------------------------------------------------------------

#: what qualcode keeps in a cache folder: parsed documents (`nlp.cache`: `ab/<sha256>.spacy`), the names
#: found in each text (`names/ab/<sha256>.json`), the match cache (`nlp.cache.MatchCache`: token tables,
#: matches per pattern, their item sets, phrase readings, coded turns), validated codebooks (`codebooks/<sha256>.json`),
#: token patterns spaCy accepted, and the user's key
_MATCH_FILES = r"(?:(?:tables|matches|coded)/[0-9a-f]{2}/[0-9a-f]{64}|matches/sets/[0-9a-f]{64}|readings/[0-9a-f]{64})\.json"
_MATCHES = re.compile(f"^{_MATCH_FILES}$")
_ENTRY = re.compile(r"^(?:[0-9a-f]{2}/[0-9a-f]{64}\.spacy|names/[0-9a-f]{2}/[0-9a-f]{64}\.json"
                    r"|codebooks/[0-9a-f]{64}\.json|" + _MATCH_FILES +
                    r"|valid-token-patterns\.txt|" + KEY_FILE + r")$")
#: what an interrupted write of an entry leaves beside it (`base.atomic`)
_LEFTOVER = re.compile(r"^\.[^/]+\.tmp-(?:\d+-)?[A-Za-z0-9_]{8}$")


@dataclass(frozen=True)
class CacheContents:
    """The files qualcode keeps in a cache folder, and what else it holds (never touched)."""

    folder: Path
    documents: int
    #: files of the match cache (token tables, matches, item sets, phrase readings, coded turns)
    matches: int
    codebooks: int
    other_entries: int
    size: int
    files: tuple[Path, ...]
    foreign: tuple[Path, ...]


def cache_contents(folder: Path | str | None = None) -> CacheContents:
    """What the cache folder (the user's, by default) holds; links are never followed."""
    folder = Path(folder) if folder is not None else default_cache_dir()
    ours: list[Path] = []
    foreign: list[Path] = []
    size = documents = codebooks = matches = 0
    if folder.is_dir() and not folder.is_symlink():
        for root, dirs, names in os.walk(folder):
            dirs.sort()
            for name in sorted(names):
                path = Path(root) / name
                rel = path.relative_to(folder).as_posix()
                if (_ENTRY.match(rel) or _LEFTOVER.match(name)) and not path.is_symlink():
                    ours.append(path)
                    size += path.lstat().st_size
                    documents += rel.endswith(".spacy")
                    codebooks += rel.startswith("codebooks/")
                    matches += bool(_MATCHES.match(rel))
                else:
                    foreign.append(path)
    return CacheContents(folder, documents, matches, codebooks, len(ours) - documents - matches - codebooks, size,
                         tuple(ours), tuple(foreign))


def clear_cache(folder: Path | str | None = None) -> CacheContents:
    """Remove what qualcode keeps in the cache folder (the user's, by default); returns what was removed.

    Parsed documents hold the text of every interview coded, verbatim; the key
    binds anonymised copies to their maps (a new one is made when needed).
    Files qualcode did not put there are left, and so are the folders that hold them.
    """
    found = cache_contents(folder)
    for path in found.files:
        path.unlink(missing_ok=True)
    for root, dirs, _ in os.walk(found.folder, topdown=False):  # the deepest first
        for name in dirs:
            with contextlib.suppress(OSError):
                (Path(root) / name).rmdir()  # only when empty, never through a link
    global _KEY
    _KEY = None
    return found

"""Bytes to text: size limits, UTF-8 first, legacy encodings with a warning.

Transcripts come from word processors and transcription tools of every age,
so a cp1252 file must read; but a PDF renamed `.txt` must fail clearly
rather than be "decoded" into noise, and a 2 GB file must not be loaded.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from qualcode.base.limits import FileTooLarge, NotRegularFile, read_limited
from qualcode.base.text import normalise_text
from qualcode.errors import CorpusError, Errors

#: a plain-text transcript (.txt, .md, .vtt, .srt, .csv) larger than this is refused (E114)
MAX_TEXT_BYTES = 20_000_000
#: a zipped document (.docx, .odt, .xlsx) larger than this on disk is refused (E114)
MAX_PACKAGE_BYTES = 50_000_000
#: ... or whose members unpack to more than this (a "zip bomb")
MAX_UNPACKED_BYTES = 200_000_000

#: legacy encodings preferred, in this order, among charset-normalizer's candidates:
#: French transcripts that are not UTF-8 are nearly always Windows-1252 or Latin-1.
_PREFERRED = ("cp1252", "latin_1", "iso8859_15")

_CONTROL = {chr(c) for c in range(32)} - {"\t", "\n", "\r", "\f", "\v"}


@dataclass(frozen=True, slots=True)
class Decoded:
    """Normalised text and the legacy encoding it was decoded from (None for UTF-8)."""

    text: str
    encoding: str | None


#: what E114 tells the user to do, by what the file is
SPLIT_TRANSCRIPT = "split the transcript"
TABLE_ADVICE = "a metadata table is a few hundred rows: is this the right file?"


def read_bytes(path: Path, display: str, limit: int = MAX_TEXT_BYTES, advice: str = SPLIT_TRANSCRIPT) -> bytes:
    """Read a file whole, refusing it before reading when it is over `limit` (E114 with `advice`)."""
    try:
        return read_limited(path, limit)
    except FileTooLarge as exc:
        raise CorpusError(Errors.E114.format(size=exc.size, limit=limit, advice=advice), path=display) from None
    except NotRegularFile as exc:  # a pipe would block the run, a device never end
        raise CorpusError(Errors.E111.format(format=path.suffix or "this",
                                             reason=f"not a regular file but {exc.kind}"), path=display) from None
    except OSError as exc:  # gone since it was listed, a broken link, no permission
        raise CorpusError(Errors.E111.format(format=path.suffix or "this", reason=exc.strerror or exc),
                          path=display) from None


def package_problem(data: bytes) -> str | None:
    """Why a zipped document (.docx, .odt, .xlsx) must not be opened, or None if it may."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except Exception:  # zipfile raises BadZipFile, NotImplementedError, struct.error, ... on garbage
        return "not a zip package"
    if unpacked > MAX_UNPACKED_BYTES:
        return f"it unpacks to {unpacked} bytes, over the limit of {MAX_UNPACKED_BYTES}"
    return None


def decode(data: bytes, display: str) -> Decoded:
    """UTF-8 (BOM or not), UTF-16 with a BOM, else charset-normalizer's guess; binary is E103."""
    encoding: str | None = None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding = _try(data, "utf-16"), "utf-16"
    else:
        if b"\x00" in data:
            raise CorpusError(Errors.E103, path=display)
        text = _try(data, "utf-8-sig")
        if text is None:
            text, encoding = _guess(data)
    if text is None or _looks_binary(text):
        raise CorpusError(Errors.E103, path=display)
    return Decoded(normalise_text(text), encoding)


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _guess(data: bytes) -> tuple[str | None, str | None]:
    from charset_normalizer import from_bytes  # lazy: only legacy files pay for it

    matches = from_bytes(data)
    candidates = [m.encoding for m in matches]
    for preferred in _PREFERRED:
        if preferred in candidates:
            return _try(data, preferred), preferred
    best = matches.best()
    if best is None:
        return None, None
    return _try(data, best.encoding), best.encoding


def _looks_binary(text: str) -> bool:
    """A NUL, or more than 1% control characters, is not a transcript."""
    if "\x00" in text:
        return True
    sample = text[:100_000]
    controls = sum(1 for ch in sample if ch in _CONTROL)
    return controls > max(2, len(sample) // 100)

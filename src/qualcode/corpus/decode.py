"""Bytes to text: size limits, UTF-8 and UTF-16 by their marks, legacy encodings with a warning.

Transcripts come from word processors and transcription tools of every age,
so a cp1252 file must read; but a PDF renamed `.txt` must fail clearly
rather than be "decoded" into noise, and a 2 GB file must not be loaded.
Which legacy encoding a file is in is decided by `legacy.choose_legacy`.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from qualcode.base.limits import FileTooLarge, NotRegularFile, read_limited
from qualcode.base.text import normalise_text
from qualcode.corpus.legacy import choose_legacy
from qualcode.errors import CorpusError, Errors

#: a plain-text transcript (.txt, .md, .vtt, .srt, .csv) larger than this is refused (E114)
MAX_TEXT_BYTES = 20_000_000
#: a zipped document (.docx, .odt, .xlsx) larger than this on disk is refused (E114)
MAX_PACKAGE_BYTES = 50_000_000
#: ... or whose members unpack to more than this (a "zip bomb")
MAX_UNPACKED_BYTES = 200_000_000

_CONTROL = {chr(c) for c in range(32)} - {"\t", "\n", "\r", "\f", "\v"}


@dataclass(frozen=True, slots=True)
class Decoded:
    """Normalised text, the encoding it was decoded from (None for UTF-8), and what decided it."""

    text: str
    encoding: str | None
    reason: str = ""

    @property
    def described(self) -> str:
        """`cp1252 (chosen by é, ô: 'département', 'Pôle')`: the encoding and why, for W101."""
        return f"{self.encoding} ({self.reason})" if self.reason else str(self.encoding)


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
    """UTF-8 (BOM or not) or UTF-16 with a BOM, else a legacy encoding of French or English; binary is E103.

    Legacy encodings are chosen by what they make of the text (`choose_legacy`):
    a short cp1252 file must never come out as Big5, as charset-normalizer's
    statistics can make it.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _try(data, "utf-16")
        if text is None or _looks_binary(text):
            raise CorpusError(Errors.E103, path=display)
        return Decoded(normalise_text(text), "utf-16", "a UTF-16 byte order mark")
    if b"\x00" in data:
        raise CorpusError(Errors.E103, path=display)
    text = _try(data, "utf-8-sig")
    if text is not None:
        if _looks_binary(text):
            raise CorpusError(Errors.E103, path=display)
        return Decoded(normalise_text(text), None)
    guess = choose_legacy(data)
    if guess is None or _looks_binary(guess.text):
        raise CorpusError(Errors.E103, path=display)
    return Decoded(normalise_text(guess.text), guess.encoding, guess.reason)


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _looks_binary(text: str) -> bool:
    """A NUL, or more than 1% control characters, is not a transcript."""
    if "\x00" in text:
        return True
    sample = text[:100_000]
    controls = sum(sample.count(ch) for ch in _CONTROL)  # 27 scans in C, not one in Python
    return controls > max(2, len(sample) // 100)

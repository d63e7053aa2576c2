"""Hostile-file safety and deterministic writing: zips, XML, files.

Reading (REFI-QDA projects and codebooks come from other people's machines):

* a zip is checked from its central directory before anything is read: too
  many members, a member that would land outside the folder it is extracted
  to (`../`, an absolute path, a drive letter), or declared sizes over the
  limits are refused; members are then read with a cap, so that a member
  whose data inflates beyond its declared size is refused too. Nothing is
  ever extracted to disk.
* XML is parsed with defusedxml with DTDs forbidden (and so entities and
  external references): "billion laughs" and XXE files are refused, not
  expanded.

Writing: zips with fixed entry order, timestamps and attributes, so that the
same input gives the same bytes; the files themselves are written by
`qualcode.base.atomic` (whole or not at all).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from xml.etree.ElementTree import Element, ParseError

from qualcode.base.limits import FileTooLarge, NotRegularFile, check_file, read_limited
from qualcode.errors import Errors, InteropError

#: members of an archive; a project of transcripts has a few hundred at most
MAX_MEMBERS = 10_000
#: sum of the declared uncompressed sizes of all members (media included)
MAX_TOTAL_BYTES = 4 * 1024**3
#: one member that qualcode reads (project.qde, a .txt source, a .qdc)
MAX_MEMBER_BYTES = 200_000_000
#: a bare XML file (.qdc, .qde) read from disk
MAX_XML_BYTES = 200_000_000
#: a project archive on disk (media included)
MAX_ARCHIVE_BYTES = 4 * 1024**3

_DRIVE = re.compile(r"^[A-Za-z]:")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# --- reading zips ----------------------------------------------------------------

def _escapes(name: str) -> str | None:
    """Why extracting `name` would leave the extraction folder, or None."""
    if "\x00" in name:
        return "holds a NUL character"
    posix = name.replace("\\", "/")
    if posix.startswith("/") or _DRIVE.match(posix):
        return "has an absolute path"
    if any(part == ".." for part in PurePosixPath(posix).parts):
        return "escapes the folder with '..'"
    return None


@dataclass
class SafeZip:
    """A zip whose directory passed the checks; read members with `read`."""

    archive: zipfile.ZipFile
    display: str
    names: list[str]

    def read(self, name: str, limit: int | None = None) -> bytes:
        """A member's bytes, refusing it when it holds more than `limit` (and MAX_MEMBER_BYTES)."""
        limit = MAX_MEMBER_BYTES if limit is None else min(limit, MAX_MEMBER_BYTES)
        info = self.archive.getinfo(name)
        if info.file_size > limit:
            raise InteropError(Errors.E603.format(
                reason=f"{name} unpacks to {info.file_size} bytes (limit {limit})"), path=self.display)
        chunks: list[bytes] = []
        total = 0
        try:
            with self.archive.open(info) as stream:
                while True:
                    chunk = stream.read(1 << 16)
                    if not chunk:
                        break
                    total += len(chunk)
                    if total > limit or total > info.file_size:
                        raise InteropError(Errors.E603.format(
                            reason=f"{name} unpacks to more than its declared {info.file_size} bytes "
                                   f"(limit {limit})"), path=self.display)
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
                NotImplementedError, RuntimeError) as exc:
            raise InteropError(Errors.E601.format(reason=f"cannot read {name}: {exc}"),
                               path=self.display) from None
        return b"".join(chunks)

    def close(self) -> None:
        self.archive.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_zip(path: Path | str, *, max_members: int | None = None,
             max_total: int | None = None) -> SafeZip:
    """Open a zip and check its directory: member count, paths, declared sizes."""
    display = str(path)
    max_members = MAX_MEMBERS if max_members is None else max_members
    max_total = MAX_TOTAL_BYTES if max_total is None else max_total
    try:  # a regular file of a sane size: `/dev/zero` or a pipe would be read to the end of memory
        check_file(path, MAX_ARCHIVE_BYTES)
    except FileNotFoundError:
        raise InteropError(Errors.E101, path=display) from None
    except NotRegularFile as exc:
        reason = "a folder, not a .qdpx file" if exc.kind == "a folder" else f"{exc.kind}, not a .qdpx file"
        raise InteropError(Errors.E601.format(reason=reason), path=display) from None
    except FileTooLarge as exc:
        raise InteropError(Errors.E603.format(reason=f"{exc.size} bytes (limit {exc.limit})"),
                           path=display) from None
    except OSError as exc:
        raise InteropError(Errors.E601.format(reason=exc.strerror or exc), path=display) from None
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise InteropError(Errors.E101, path=display) from None
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InteropError(Errors.E601.format(reason=f"not a zip file: {exc}"), path=display) from None
    try:
        infos = archive.infolist()
        if len(infos) > max_members:
            raise InteropError(Errors.E603.format(
                reason=f"{len(infos)} members (limit {max_members})"), path=display)
        total = 0
        for info in infos:
            why = _escapes(info.filename)
            if why:
                raise InteropError(Errors.E602.format(name=info.filename, reason=why), path=display)
            total += info.file_size
        if total > max_total:
            raise InteropError(Errors.E603.format(
                reason=f"its members unpack to {total} bytes (limit {max_total})"), path=display)
    except BaseException:
        archive.close()
        raise
    return SafeZip(archive, display, [i.filename for i in infos])


# --- reading XML -------------------------------------------------------------------

def parse_xml(data: bytes, name: str, display: str | None = None) -> Element:
    """Parse XML bytes with defusedxml: no DTD, no entity, no external reference."""
    import defusedxml
    import defusedxml.ElementTree as SafeET

    where = display or name
    try:
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DTDForbidden:
        raise InteropError(Errors.E605.format(name=name, reason="it declares a DTD"), path=where) from None
    except defusedxml.EntitiesForbidden:
        raise InteropError(Errors.E605.format(name=name, reason="it declares entities"), path=where) from None
    except defusedxml.DefusedXmlException as exc:
        raise InteropError(Errors.E605.format(name=name, reason=str(exc) or type(exc).__name__),
                           path=where) from None
    except (ParseError, ValueError) as exc:
        raise InteropError(Errors.E604.format(name=name, reason=exc), path=where) from None


def read_xml_file(path: Path | str) -> Element:
    """A bare XML file (.qdc, .qde) from disk, size-checked, parsed safely."""
    path = Path(path)
    try:
        data = read_limited(path, MAX_XML_BYTES)
    except FileNotFoundError:
        raise InteropError(Errors.E101, path=str(path)) from None
    except NotRegularFile as exc:
        raise InteropError(Errors.E604.format(name=path.name, reason=f"{exc.kind}, not a file"),
                           path=str(path)) from None
    except FileTooLarge as exc:
        raise InteropError(Errors.E603.format(reason=f"{exc.size} bytes (limit {exc.limit})"),
                           path=str(path)) from None
    except OSError as exc:
        raise InteropError(Errors.E203.format(reason=exc.strerror or exc), path=str(path)) from None
    return parse_xml(data, path.name, str(path))


def local(tag: object) -> str:
    """An element's local name, whatever its namespace (`{urn:...:1:0}Code` -> `Code`)."""
    text = tag if isinstance(tag, str) else ""
    return text.rsplit("}", 1)[-1]


def children(element: Element, name: str) -> list[Element]:
    """Direct children with this local name."""
    return [c for c in element if local(c.tag) == name]


def child(element: Element, name: str) -> Element | None:
    for c in element:
        if local(c.tag) == name:
            return c
    return None


def xml_text(value: str) -> str:
    """Text that XML 1.0 can hold: control characters other than tab and line breaks dropped."""
    return _XML_ILLEGAL.sub("", value)


# --- writing -----------------------------------------------------------------------

def deterministic_zip(entries: Iterable[tuple[str, bytes]], date_time: tuple[int, int, int, int, int, int]) -> bytes:
    """A zip of `entries` in the given order, every entry with the same time and attributes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buffer.getvalue()


def repack_zip(data: bytes, date_time: tuple[int, int, int, int, int, int]) -> bytes:
    """The same zip with fixed timestamps and attributes (for files other libraries write)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = [(info.filename, archive.read(info)) for info in archive.infolist()]
    return deterministic_zip(entries, date_time)


def zip_time(iso: str) -> tuple[int, int, int, int, int, int]:
    """`2025-01-02T03:04:05Z` as a zip entry time (1980 at the earliest, even seconds)."""
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})", iso or "")
    if not match:
        return (1980, 1, 1, 0, 0, 0)
    year, month, day, hour, minute, second = (int(g) for g in match.groups())
    if year < 1980:
        return (1980, 1, 1, 0, 0, 0)
    return (min(year, 2107), month, day, hour, minute, second - second % 2)

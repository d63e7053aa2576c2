"""What the fuzz, adversarial and nothing-lost tests share: hostile bytes and the checks on results.

Strategies build inputs from pieces that matter to a format (labels, timings,
YAML syntax, zip members...) and from long runs of one piece, because the
inputs that make a parser slow are runs (thousands of digits, spaces,
brackets), which uniform random bytes almost never hold.
"""

from __future__ import annotations

import contextlib
import io
import re
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import strategies as st

from qualcode.errors import QualcodeError

#: a clean error names its place and carries a catalogue code: `path[:line]: [E123] ...`
CLEAN = re.compile(r"\[E\d{3}\]")


def pieces_and_runs(pieces: list[bytes], *, max_chunks: int = 24, max_run: int = 3000) -> st.SearchStrategy[bytes]:
    """Bytes made of format pieces, random bytes, and long runs of one piece."""
    piece = st.one_of(st.sampled_from(pieces), st.binary(min_size=1, max_size=6))
    run = st.tuples(st.sampled_from(pieces), st.integers(2, max_run)).map(lambda t: t[0] * t[1])
    return st.lists(st.one_of(piece, piece, piece, run), max_size=max_chunks).map(b"".join)


def text_pieces_and_runs(pieces: list[str], *, max_chunks: int = 24, max_run: int = 3000) -> st.SearchStrategy[str]:
    """The same for text."""
    piece = st.one_of(st.sampled_from(pieces), st.text(min_size=1, max_size=6))
    run = st.tuples(st.sampled_from(pieces), st.integers(2, max_run)).map(lambda t: t[0] * t[1])
    return st.lists(st.one_of(piece, piece, piece, run), max_size=max_chunks).map("".join)


def assert_clean(exc: QualcodeError) -> None:
    """qualcode's own error: a catalogue code, and no Python repr of an exception."""
    message = str(exc)
    assert CLEAN.search(message), message
    assert "Traceback" not in message


def quietly(call: Callable[[], object]) -> object:
    """Run `call`, failing if it printed anything: a library never prints."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        result = call()
    assert printed.getvalue() == "", printed.getvalue()[:200]
    return result


def check_turns(text: str, turns) -> None:
    """The turn contract: exact offsets, numbered from 1, in order, never empty."""
    assert [t.n for t in turns] == list(range(1, len(turns) + 1))
    previous_end = 0
    for turn in turns:
        assert text[turn.start:turn.end] == turn.text
        assert turn.text and turn.text == turn.text.strip()
        assert turn.start >= previous_end
        assert turn.role in ("interviewer", "respondent")
        previous_end = turn.end


# --- zip packages ---------------------------------------------------------------

def members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def rezip(items: list[tuple[str, bytes]], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", compression) as archive:
        warnings.simplefilter("ignore")  # a duplicate member is one of the damages
        for name, content in items:
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_bytes(paragraphs: list[str], heading: str | None = "Entretien") -> bytes:
    import docx

    document = docx.Document()
    if heading:
        document.add_heading(heading, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    grid = document.add_table(rows=1, cols=2)
    grid.rows[0].cells[0].text, grid.rows[0].cells[1].text = "R", "une cellule"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def odt_bytes(paragraphs: list[str], heading: str | None = "Entretien") -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    document = OpenDocumentText()
    if heading:
        document.text.addElement(H(outlinelevel=1, text=heading))
    for text in paragraphs:
        document.text.addElement(P(text=text))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


#: what hostile XML inside a package looks like: entities, DTDs, deep nesting, broken tags
XML_FRAGMENTS = [
    b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
    b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', b"&xxe;", b"&c;", b"&#0;",
    b"<", b">", b"</", b"/>", b'"', b"'", b"&", b"]]>", b"<![CDATA[", b"<?xml version='1.0'?>",
    b"\x00", b"\xff\xfe", b"<w:p>" * 50, b"<text:p>" * 50, b"</w:body>", b"</office:text>",
]


@st.composite
def mutated_package(draw, base: bytes) -> bytes:
    """A zip package (docx, odt, xlsx) damaged at the byte level or member by member."""
    kind = draw(st.sampled_from(["bytes", "truncate", "member", "members"]))
    if kind == "bytes":
        data = bytearray(base)
        for _ in range(draw(st.integers(1, 12))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)
    if kind == "truncate":
        return base[:draw(st.integers(0, len(base)))]
    items = members(base)
    if kind == "member":
        index = draw(st.integers(0, len(items) - 1))
        name, content = items[index]
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, len(content)))
            if draw(st.booleans()):
                content = content[:at] + draw(st.sampled_from(XML_FRAGMENTS)) + content[at:]
            else:
                content = content[:at] + content[at + draw(st.integers(1, 40)):]
        items[index] = (name, content)
        return rezip(items)
    action = draw(st.sampled_from(["drop", "rename", "duplicate", "escape", "stored"]))
    index = draw(st.integers(0, len(items) - 1))
    if action == "drop":
        del items[index]
    elif action == "rename":
        items[index] = (items[index][0] + "x", items[index][1])
    elif action == "duplicate":
        items.append(items[index])
    elif action == "escape":
        items.append(("../../evil.xml", b"<x/>"))
    else:
        return rezip(items, zipfile.ZIP_STORED)
    return rezip(items)


def zip_bomb(path: Path, member: str, size: int, others: list[tuple[str, bytes]] = ()) -> Path:
    """A zip whose `member` inflates to `size` zero bytes (a few hundred kilobytes on disk)."""
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in others:
            archive.writestr(name, content)
        with archive.open(member, "w", force_zip64=True) as stream:
            left = size
            while left > 0:
                stream.write(chunk[:min(left, len(chunk))])
                left -= len(chunk)
    return path


def lying_zip(base: bytes, member: str) -> bytes:
    """The package with `member`'s declared sizes shrunk to 10 bytes: it inflates past what it says."""
    data = bytearray(base)
    name = member.encode()
    for signature, size_at in ((b"PK\x03\x04", 18), (b"PK\x01\x02", 20)):
        start = 0
        while (found := data.find(signature, start)) >= 0:
            name_len_at = found + (26 if signature == b"PK\x03\x04" else 28)
            name_len = int.from_bytes(data[name_len_at:name_len_at + 2], "little")
            name_at = found + (30 if signature == b"PK\x03\x04" else 46)
            if bytes(data[name_at:name_at + name_len]) == name:
                data[found + size_at + 4:found + size_at + 8] = (10).to_bytes(4, "little")
            start = found + 4
    return bytes(data)

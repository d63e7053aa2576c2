"""One reader per file format, each giving a `Document`: text to parse, or cues.

Plain-text formats (.txt, .md) keep the file's own text; documents (.docx,
.odt) are flattened to one line per paragraph, headings marked `# ` so that
the turn parser skips them as it skips Markdown headings; subtitles (.vtt,
.srt) are returned as cues, because their speakers come from voice tags and
their text is rebuilt as `Speaker: text` blocks by `turns.turns_from_cues`.
Heavy libraries are imported inside the reader that needs them.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import io
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

from qualcode.base.text import normalise_text
from qualcode.corpus.decode import (
    MAX_PACKAGE_BYTES,
    MAX_TEXT_BYTES,
    decode,
    package_problem,
    read_bytes,
)
from qualcode.corpus.frontmatter import FrontMatter, split_front_matter
from qualcode.errors import CorpusError, Errors

Format = Literal["txt", "md", "docx", "odt", "vtt", "srt"]
#: file suffix -> format name (Interview.format)
SUPPORTED: dict[str, Format] = {
    ".txt": "txt", ".md": "md", ".docx": "docx", ".odt": "odt", ".vtt": "vtt", ".srt": "srt",
}


@dataclass(slots=True)
class Cue:
    """One subtitle cue split by speaker: (speaker or None, text) parts, times in seconds."""

    start: str
    start_seconds: float
    end_seconds: float
    parts: list[tuple[str | None, str]]


@dataclass(slots=True)
class Document:
    """What a reader hands to the turn parser."""

    format: Format
    text: str = ""
    front_matter: FrontMatter = field(default_factory=FrontMatter)
    #: "auto": paragraphs are blank-line blocks if there are any, else lines; "line": lines
    paragraphs: Literal["auto", "line"] = "auto"
    cues: list[Cue] | None = None
    #: the legacy encoding and what decided it (`cp1252 (chosen by ...)`), None for UTF-8
    encoding: str | None = None
    #: SHA-256 of the file's bytes, as read
    sha256: str = ""


def read_document(path: Path, display: str) -> Document:
    """Read one transcript file according to its suffix."""
    fmt = SUPPORTED[path.suffix.lower()]
    if fmt in ("docx", "odt"):
        data = read_bytes(path, display, MAX_PACKAGE_BYTES)
        _check_package(data, fmt, display)
        lines = _docx_lines(data, display) if fmt == "docx" else _odt_lines(data, display)
        return Document(fmt, normalise_text("\n".join(lines)), paragraphs="line", sha256=_sha256(data))
    data = read_bytes(path, display, MAX_TEXT_BYTES)
    decoded = decode(data, display)
    if fmt in ("txt", "md"):
        return Document(fmt, decoded.text, split_front_matter(decoded.text, display),
                        encoding=decoded.described if decoded.encoding else None, sha256=_sha256(data))
    cues = _vtt_cues(decoded.text, display) if fmt == "vtt" else _srt_cues(decoded.text, display)
    return Document(fmt, cues=cues, encoding=decoded.described if decoded.encoding else None,
                    sha256=_sha256(data))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- documents -------------------------------------------------------------

def _package_error(fmt: str, reason: str, display: str) -> CorpusError:
    if fmt == "docx":
        return CorpusError(Errors.E104.format(reason=reason), path=display)
    return CorpusError(Errors.E111.format(format="." + fmt, reason=reason), path=display)


def _check_package(data: bytes, fmt: str, display: str) -> None:
    """A .docx or .odt is a zip: refuse a non-zip and one that unpacks too large."""
    problem = package_problem(data)
    if problem:
        raise _package_error(fmt, problem, display)


def _docx_lines(data: bytes, display: str) -> list[str]:
    """Body paragraphs and table cells in document order; headings prefixed `# `."""
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        styles: dict[str | None, str] = {}
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                lines.append(_docx_paragraph(block, styles))
            elif isinstance(block, Table):
                lines.extend(_docx_table(block))
        return lines
    except CorpusError:
        raise
    except Exception as exc:  # python-docx raises many types on bad packages
        raise _package_error("docx", _reason(exc), display) from None


def _docx_paragraph(paragraph: Any, styles: dict[str | None, str]) -> str:
    """The paragraph's text, `# ` before it when its style is a heading.

    `styles` remembers each style id's name for the document: python-docx finds a
    paragraph's style by scanning every style of the document, a millisecond per
    paragraph that made one .docx of fifty paragraphs a quarter of `qualcode corpus`.
    """
    text = paragraph.text
    if not text.strip():
        return text
    style_id = paragraph._p.style  # the id written in the paragraph (None: the default style)
    if style_id not in styles:
        style = paragraph.style
        styles[style_id] = (style.name if style is not None else "") or ""
    if re.match(r"(?i)(heading|titre|title)\b", styles[style_id]):
        return "# " + text.strip()
    return text


def _docx_table(table: Any) -> list[str]:
    """A two-column table whose first cell is short reads as `Speaker : text`."""
    lines = []
    for row in table.rows:
        cells = [c.text.strip() for c in row.cells]
        unique = [c for i, c in enumerate(cells) if i == 0 or c != cells[i - 1]]  # merged cells
        if (len(unique) == 2 and unique[0] and "\n" not in unique[0] and ":" not in unique[0]
                and len(unique[0]) <= 40 and len(unique[0].split()) <= 5):
            lines.append(f"{unique[0]} : {unique[1]}")
        else:
            lines.extend(c for c in unique if c)
    return lines


def _odt_lines(data: bytes, display: str) -> list[str]:
    """Paragraphs and headings of the document body in order; headings prefixed `# `."""
    try:
        from odf import teletype
        from odf.namespaces import TEXTNS
        from odf.opendocument import load

        # odfpy prints a part that is not well-formed XML to standard output and
        # reads on without it: keep our output clean and refuse the damaged file
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            document = load(io.BytesIO(data))
        if printed.getvalue():
            raise _package_error("odt", "a part of the package is not well-formed XML", display)
        lines: list[str] = []

        def walk(node: Any) -> None:
            for child in node.childNodes:
                qname = getattr(child, "qname", None)
                if qname == (TEXTNS, "p"):
                    lines.append(teletype.extractText(child))
                elif qname == (TEXTNS, "h"):
                    lines.append("# " + teletype.extractText(child).strip())
                else:
                    walk(child)

        walk(document.text)
        return lines
    except CorpusError:
        raise
    except Exception as exc:  # odfpy raises KeyError, XML errors, ...
        raise _package_error("odt", _reason(exc), display) from None


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    name = type(exc).__name__
    return f"{name}: {text[:120]}" if text else name


# --- subtitles -------------------------------------------------------------

_VOICE = re.compile(r"<v(?:\.[^\s<>]{0,100})?[ \t]+([^<>\n]{0,200})>")
_TAG = re.compile(r"</?[^<>]{0,200}>")


def _clean(text: str) -> str:
    """Cue markup off (`<i>`, `</v>`, `<00:01.000>`), entities decoded, lines joined."""
    return " ".join(html.unescape(_TAG.sub("", text)).split())


def _split_voices(raw: str) -> list[tuple[str | None, str]]:
    parts: list[tuple[str | None, str]] = []
    pos, speaker = 0, None
    for m in _VOICE.finditer(raw):
        parts.append((speaker, raw[pos:m.start()]))
        speaker, pos = " ".join(m.group(1).split()) or None, m.end()
    parts.append((speaker, raw[pos:]))
    if len(parts) == 1:  # no voice tag: keep the lines, the parser looks for `Name: text`
        return [(None, line) for line in (html.unescape(_TAG.sub("", raw)).split("\n"))]
    return [(s, _clean(t)) for s, t in parts if _clean(t)]


def _vtt_cues(text: str, display: str) -> list[Cue]:
    import webvtt
    from webvtt.errors import MalformedFileError

    try:
        captions = webvtt.from_string(text)
    except MalformedFileError as exc:
        raise CorpusError(Errors.E111.format(format=".vtt", reason=_reason(exc)), path=display) from None
    return [Cue(c.start, c.start_time.in_milliseconds() / 1000, c.end_time.in_milliseconds() / 1000,
                _split_voices(c.raw_text))
            for c in captions.captions]


# SubRip, read line by line. The `srt` library's one regular expression backtracks
# without bound on a hostile file (a few thousand digits in a row take minutes), so
# the blocks are found here with patterns anchored at a line start and bounded; the
# library's tolerances are kept: no number line, `.` for `,`, blank lines inside
# a cue's text, a missing blank line before the next number and timing lines.
_SRT_SEP = "[,.:\uff0c\uff0e\u3002\uff1a]"
_SRT_STAMP = rf"([0-9]{{1,9}}){_SRT_SEP}([0-9]{{1,9}}){_SRT_SEP}([0-9]{{1,9}}){_SRT_SEP}?([0-9]{{0,9}})"
_SRT_TIMING = re.compile(rf"[ \t]{{0,8}}{_SRT_STAMP}[ \t]{{0,8}}-[ -][ \t]{{0,8}}>[ \t]{{0,8}}{_SRT_STAMP}")
_SRT_NUMBER = re.compile(r"[ \t]{0,8}-?[0-9]{1,9}(?:\.[0-9]{0,9})?[ \t]{0,8}$")


def _srt_seconds(groups: tuple[str | None, ...]) -> float:
    hours, minutes, seconds, millis = (int(g) if g else 0 for g in groups)
    return hours * 3600 + minutes * 60 + seconds + millis / 1000


def _srt_cues(text: str, display: str) -> list[Cue]:
    lines = text.split("\n")
    n = len(lines)

    def timing_at(i: int) -> tuple[int, re.Match[str]] | None:
        """The timing line of a block that starts at line `i` (after its number, if any)."""
        for at in (i, i + 1):
            if at < n and (at == i or _SRT_NUMBER.match(lines[i])):
                found = _SRT_TIMING.match(lines[at])
                if found:
                    return at, found
        return None

    cues: list[Cue] = []
    i = 0
    while i < n and not lines[i].strip():
        i += 1
    while i < n:
        header = timing_at(i)
        if header is None:
            numbered = _SRT_NUMBER.match(lines[i]) is not None
            reason = (f"line {i + 2 if numbered else i + 1} is not "
                      f"{'' if numbered else 'a cue number nor '}a timing line like 00:00:01,000 --> 00:00:02,000")
            raise CorpusError(Errors.E111.format(format=".srt", reason=reason), path=display)
        at, timing = header
        j = at + 1
        while j < n:
            if lines[j].strip():
                if timing_at(j) is not None:  # the next block, without a blank line before it
                    break
                j += 1
                continue
            k = j
            while k < n and not lines[k].strip():
                k += 1
            if k == n or timing_at(k) is not None:
                break
            j = k  # a blank line inside the cue's text
        start, end = _srt_seconds(timing.groups()[:4]), _srt_seconds(timing.groups()[4:])
        cues.append(Cue(_clock(timedelta(seconds=start)), start, end,
                        _split_voices("\n".join(lines[at + 1:j]))))
        i = j
        while i < n and not lines[i].strip():
            i += 1
    return cues


def _clock(delta: timedelta) -> str:
    """`HH:MM:SS.mmm`, as WebVTT writes a cue's start."""
    ms = round(delta.total_seconds() * 1000)
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, ms = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{ms:03d}"

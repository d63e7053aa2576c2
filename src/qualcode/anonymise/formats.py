"""Each format of the copy: text files with their front matter, subtitles, the metadata table.

* `.md`/`.txt`: the text with names replaced; in the front matter only the
  free-text values change, in place when YAML still reads what is meant,
  else the value is rewritten as a quoted string;
* `.docx`/`.odt`: the text qualcode reads, as `.md` (see `write.py`);
* `.vtt`/`.srt`: the cues again, same times, names replaced in voices and
  text; NOTE and STYLE blocks and cue settings are dropped;
* `metadata.csv`: the metadata that no output front matter holds.

Every function also returns the replacements it made, in output order, for the map.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path, PurePosixPath
from typing import Any

from qualcode.anonymise.anonymiser import Anonymiser
from qualcode.anonymise.layout import KEPT_ATTRIBUTES, LABEL_ATTRIBUTE, Layout
from qualcode.corpus.labels import match_label
from qualcode.corpus.model import KNOWN_ATTRIBUTES, UNKNOWN_LANGUAGE, Corpus, Interview
from qualcode.errors import AnonymiseError, Errors

Record = tuple[str, str]  # (pseudonym, original) in output order
_FENCE = re.compile(r"---[ \t]*$")


def output_name(interview: Interview) -> str:
    """Where an interview goes in the copy: same path; `.docx`/`.odt` become `.md`."""
    if interview.format in ("docx", "odt"):
        return str(PurePosixPath(interview.file).with_suffix(".md"))
    return interview.file


def text_file(interview: Interview, lay: Layout, anonymiser: Anonymiser) -> tuple[str, list[Record]]:
    """A `.md`/`.txt` (or a document's text, as `.md`) with its names replaced."""
    record: list[Record] = []
    text = interview.text
    head = _front_matter(lay, anonymiser, record) if lay.front is not None else text[:lay.body_start]
    body = anonymiser.substitute(text, start=lay.body_start, labels=lay.labels, bounds=lay.bounds,
                                 record=record)
    content = head + body[lay.body_start:]
    if interview.format in ("docx", "odt"):
        content = _as_markdown(interview, content)
    return content, record


def _as_markdown(interview: Interview, text: str) -> str:
    """A word-processor text as `.md` that reads into the same turns."""
    if not any(t.speaker for t in interview.turns) and re.search(r"\n[ \t]*\n", text):
        # documents read one turn per line, Markdown one per blank-line block
        text = "\n\n".join(line for line in text.split("\n") if line.strip())
    if _FENCE.match(text.split("\n", 1)[0]):
        text = "\n" + text  # a first line `---` would open front matter
    return text


def _front_matter(lay: Layout, anonymiser: Anonymiser, record: list[Record]) -> str:
    """The front matter with names replaced in free-text values, lines kept where possible."""
    import yaml

    front = lay.front
    assert front is not None
    head = lay.text[:lay.body_start]
    lines = head.split("\n")
    closing = len(lines) - 2 if head.endswith("\n") else len(lines) - 1
    starts = sorted((front.lines[k] - 1, k) for k in front.values if k in front.lines)
    blocks: dict[int, tuple[int, str]] = {}
    for n, (start, key) in enumerate(starts):
        stop = starts[n + 1][0] if n + 1 < len(starts) else closing
        end = start + 1
        while end < stop and lines[end][:1] in (" ", "\t", "-") and not _FENCE.match(lines[end]):
            end += 1
        blocks[start] = (end, key)

    expected: dict[str, Any] = {}
    out: list[str] = []
    i = 0
    while i < len(lines):
        if i in blocks:
            end, key = blocks[i]
            out += _front_block(lines[i:end], key, front.values[key], anonymiser, record, expected)
            i = end
            continue
        line = lines[i]
        out.append(anonymiser.substitute(line, record=record) if line.lstrip().startswith("#") else line)
        i += 1
    new_head = "\n".join(out)
    parsed = yaml.safe_load("\n".join(out[1:-2 if head.endswith("\n") else -1])) or {}
    want = {k: expected.get(k, v) for k, v in front.values.items()}
    if parsed != want:
        raise AnonymiseError(Errors.E710.format(file=lay.interview.file, detail="front matter"))
    return new_head


def _transform(value: Any, anonymiser: Anonymiser, label: bool, record: list[Record] | None) -> Any:
    if isinstance(value, str):
        return anonymiser.substitute(value, label=label, record=record)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [anonymiser.substitute(v, label=label, record=record) for v in value]
    return value


def _front_block(block: list[str], key: str, value: Any, anonymiser: Anonymiser,
                 record: list[Record], expected: dict[str, Any]) -> list[str]:
    """One key's lines: names replaced in place when YAML still reads the expected value."""
    import yaml

    from qualcode.corpus.metadata import canonical_name

    name = canonical_name(key)
    if name in KEPT_ATTRIBUTES:
        return block
    label = name == LABEL_ATTRIBUTE
    want = _transform(value, anonymiser, label, None)
    if want == value:
        return block
    expected[key] = want
    attempt: list[Record] = []
    colon = block[0].index(":") + 1
    lines = [block[0][:colon] + anonymiser.substitute(block[0][colon:], label=label, record=attempt)]
    lines += [anonymiser.substitute(line, label=label, record=attempt) for line in block[1:]]
    try:
        parsed = yaml.safe_load("\n".join(lines))
    except yaml.YAMLError:
        parsed = None
    if isinstance(parsed, dict) and parsed.get(key) == want:
        record += attempt
        return lines
    _transform(value, anonymiser, label, record)
    return [f"{block[0][:colon]} {json.dumps(want, ensure_ascii=False)}"]


def escape_cue(text: str) -> str:
    """Cue text as the subtitle readers unescape it: entities only where needed."""
    if "<" in text or ">" in text or html.unescape(text) != text:
        return html.escape(text, quote=False)
    return text


def _clock(seconds: float, comma: bool) -> str:
    ms = round(seconds * 1000)
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, ms = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{',' if comma else '.'}{ms:03d}"


def subtitle_file(interview: Interview, lay: Layout, anonymiser: Anonymiser) -> tuple[str, list[Record]]:
    """The cues again, same times, names replaced in voices and text; NOTE and STYLE blocks dropped."""
    from qualcode.corpus.formats import read_document

    document = read_document(Path(interview.path or interview.file), interview.file)
    if document.sha256 != interview.sha256 or document.cues is None:
        raise AnonymiseError(Errors.E712.format(file=interview.file))
    srt = interview.format == "srt"
    record: list[Record] = []
    blocks = [] if srt else ["WEBVTT"]
    for n, cue in enumerate(document.cues, start=1):
        if any(speaker is not None for speaker, _ in cue.parts):
            pieces = []
            for speaker, text in cue.parts:
                voice = "" if speaker is None else f"<v {anonymiser.substitute(speaker, label=True, record=record)}>"
                body = escape_cue(anonymiser.substitute(text, record=record))
                pieces.append(f"{voice}{body}</v>" if voice else body)
            payload = " ".join(pieces)
        else:
            lines = []
            for _, line in cue.parts:
                candidate = match_label(line)
                labels = ([(0, candidate.content)] if candidate is not None
                          and candidate.key in lay.speaker_keys else [])
                lines.append(escape_cue(anonymiser.substitute(line, labels=labels, record=record)))
            payload = "\n".join(line for line in lines if line.strip())
        timing = f"{_clock(cue.start_seconds, srt)} --> {_clock(cue.end_seconds, srt)}"
        blocks.append("\n".join(([str(n)] if srt else []) + [timing] + ([payload] if payload else [])))
    return "\n\n".join(blocks) + "\n", record


def metadata_table(corpus: Corpus, layouts: dict[str, Layout], anonymiser: Anonymiser,
                    ) -> tuple[str, list[tuple[str, str, str]]] | None:
    """Metadata that no output front matter holds, one row per interview, names replaced."""
    rows: list[tuple[Interview, dict[str, str]]] = []
    for interview in corpus:
        lay = layouts[interview.id]
        own = set(lay.front_keys) if interview.format in ("md", "txt") else set()
        values = {a: v for a, v in interview.metadata.items() if a not in own and v not in (None, "", [])
                  and not (a == "language" and v == UNKNOWN_LANGUAGE)}  # detected, not given: read as such again
        if values:
            rows.append((interview, values))
    if not rows:
        return None
    names = {a for _, values in rows for a in values}
    columns = [a for a in KNOWN_ATTRIBUTES if a in names] + sorted(names - set(KNOWN_ATTRIBUTES))
    from qualcode.base.safecsv import csv_text

    table: list[list[object]] = [["file", *columns]]
    records: list[tuple[str, str, str]] = []
    for interview, values in rows:
        cells: list[object] = [output_name(interview)]
        for column in columns:
            value = values.get(column)
            if value is None:
                cells.append("")
                continue
            items = value if isinstance(value, list) else [value]
            if column not in KEPT_ATTRIBUTES:
                found: list[Record] = []
                items = [anonymiser.substitute(v, label=column == LABEL_ATTRIBUTE, record=found) for v in items]
                records += [(p, o, interview.file) for p, o in found]
            cells.append(", ".join(items))
        table.append(cells)
    return csv_text(table), records

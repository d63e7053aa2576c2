"""Split a transcript into speaker turns, with exact offsets, and give each a role.

Text formats: a line opening with an accepted label (`labels.py`) starts a
turn; the lines after it, up to the next label, belong to it. Headings
(`# ...`) and thematic breaks (`---`) close a turn and belong to none; text
after them continues with the same speaker in a new turn. Text before the
first label (a title, a note on the setting) belongs to no turn (W107).

Subtitles: consecutive cues of one speaker merge into one turn, and the
interview's text is rebuilt as `Speaker: text` blocks separated by a blank
line, so that offsets hold there too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from qualcode.base.text import count_words
from qualcode.corpus.formats import Cue
from qualcode.corpus.labels import (
    DEFAULT_INTERVIEWER_KEYS,
    RESPONDENT_KEYS,
    Candidate,
    accepted_keys,
    heading_reason,
    in_keys,
    is_prose_opener,
    keys_of,
    label_key,
    match_label,
)
from qualcode.corpus.model import INTERVIEWER, RESPONDENT, Turn
from qualcode.errors import Errors

#: subtitles without any speaker: a pause this long (seconds) starts a new paragraph
PARAGRAPH_PAUSE = 2.0

#: how a text is read: speaker turns found from labels (`auto`, with the checks that
#: labels are speakers; `turns` trusts every label), one turn per paragraph, or one for the whole
READINGS = ("auto", "turns", "paragraphs", "document")

_HEADING = re.compile(r"[ \t]{0,3}#{1,6}(?:[ \t]|$)")


@dataclass(slots=True)
class Parsed:
    """The interview's text (rebuilt for subtitles), its turns, and the parser's warnings."""

    text: str
    turns: list[Turn]
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Raw:
    key: str | None
    start: int
    end: int
    timestamp: str | None = None


def interviewer_keys(interviewers: Sequence[str] | None) -> frozenset[str]:
    """The given `interviewers`, else the default list, as comparable keys."""
    return keys_of(interviewers) if interviewers else DEFAULT_INTERVIEWER_KEYS


def _known(interviewers: frozenset[str]) -> frozenset[str]:
    return interviewers | DEFAULT_INTERVIEWER_KEYS | RESPONDENT_KEYS


def _is_structural(text: str, start: int, end: int) -> bool:
    """A Markdown heading or a thematic break (`---`, `***`, `___`): part of no turn."""
    if _HEADING.match(text, start, end):
        return True
    if end - start > 200:
        return False
    compact = text[start:end].replace(" ", "").replace("\t", "")
    return len(compact) >= 3 and len(set(compact)) == 1 and compact[0] in "-*_"


def _lines(text: str, start: int) -> list[tuple[int, int]]:
    spans, pos = [], start
    while True:
        nl = text.find("\n", pos)
        if nl < 0:
            spans.append((pos, len(text)))
            return spans
        spans.append((pos, nl))
        pos = nl + 1


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    piece = text[start:end]
    left = len(piece) - len(piece.lstrip())
    return start + left, start + len(piece.rstrip())


def turns_from_text(text: str, body_start: int, interviewers: Sequence[str] | None = None,
                    paragraphs: Literal["auto", "line"] = "auto", reading: str = "auto") -> Parsed:
    """Turns of a text transcript whose body starts at `body_start` (after front matter).

    `reading` (one of `READINGS`): `paragraphs` and `document` read the text as
    a document without speakers, every paragraph (or the whole) a respondent
    turn; `auto` reads speaker labels but not the ones that are not speakers
    (W110: a single label that is no known speaker, labels that look like
    titles or dates); `turns` trusts every label.
    """
    ikeys = interviewer_keys(interviewers)
    lines = _lines(text, body_start)
    structural = [_is_structural(text, s, e) for s, e in lines]
    if reading == "paragraphs":
        return _paragraph_turns(text, lines, structural, paragraphs, declared=True)
    if reading == "document":
        return _document_turn(text, body_start)
    candidates: list[Candidate | None] = [
        None if structural[i] else match_label(text, s, e) for i, (s, e) in enumerate(lines)
    ]
    known = _known(ikeys)
    accepted = accepted_keys((c for c in candidates if c is not None), known)
    notes: list[str] = []
    if reading == "auto" and accepted:
        accepted, notes = _not_speakers(accepted, candidates, known)
    if not accepted:
        parsed = _paragraph_turns(text, lines, structural, paragraphs, declared=bool(notes))
        parsed.warnings[:0] = notes
        return parsed

    raws: list[_Raw] = []
    names: dict[str, str] = {}
    current: _Raw | None = None
    preamble_words = 0
    previous_blank = True
    for (s, e), is_struct, cand in zip(lines, structural, candidates):
        after_blank = previous_blank
        previous_blank = not text[s:e].strip()
        if is_struct:
            if current is not None:
                raws.append(current)
                current = None
            continue
        if (cand is not None and cand.key not in accepted and _answers(cand, current, ikeys, after_blank)
                and not (reading == "auto" and heading_reason(cand.key))):
            accepted = accepted | {cand.key}
        if cand is not None and cand.key in accepted:
            if current is not None:
                raws.append(current)
            names.setdefault(cand.key, cand.label)
            current = _Raw(cand.key, cand.content, e, cand.timestamp)
        elif current is not None:
            current.end = e
        elif raws:  # after a heading: the same speaker goes on, in a new turn
            current = _Raw(raws[-1].key, s, e)
        else:
            preamble_words += count_words(text[s:e])
    if current is not None:
        raws.append(current)

    warnings = notes + ([Errors.W107.format(words=preamble_words)] if preamble_words else [])
    turns, role_warnings = _finish(text, raws, names, ikeys)
    return Parsed(text, turns, warnings + role_warnings)


def _not_speakers(accepted: frozenset[str], candidates: Sequence[Candidate | None],
                  known: frozenset[str]) -> tuple[frozenset[str], list[str]]:
    """Labels that are not speakers, taken out of `accepted`, and the W110 that says so.

    A project of comments, notes or papers has lines such as "Comment:",
    "Model 1:" or "12 mars 2024 :" that recur like speakers; read as turns,
    the first becomes "the interviewer" and everything it covers is lost to
    the coding.
    """
    labels: dict[str, str] = {}
    for cand in candidates:
        if cand is not None and cand.key in accepted:
            labels.setdefault(cand.key, cand.label)
    reasons = {key: why for key in sorted(accepted) if not in_keys(key, known)
               and (why := heading_reason(key))}
    kept = accepted - set(reasons)
    notes = []
    if reasons:
        shown = ", ".join(f"{labels[k]!r} ({reasons[k]})" for k in list(reasons)[:4])
        notes.append(Errors.W110.format(labels=shown, what="look like titles or dates, not speakers"))
    if len(kept) == 1 and not in_keys(next(iter(kept)), known):
        key = next(iter(kept))
        notes.append(Errors.W110.format(labels=repr(labels[key]),
                                        what="is the only one, on line after line: a title, not a speaker "
                                             "in a dialogue"))
        kept = frozenset()
    return kept, notes

def _answers(cand: Candidate, current: _Raw | None, ikeys: frozenset[str], after_blank: bool) -> bool:
    """A one-off label that opens the paragraph after an interviewer's turn is the answer's speaker.

    Labels must recur or be known, so that prose with a colon is not read as a
    speaker; but a respondent who answers once ("Adviser: ...") right after a
    question would otherwise vanish into the interviewer's turn.
    """
    return (after_blank and current is not None and current.key is not None
            and in_keys(current.key, ikeys) and not in_keys(cand.key, ikeys)
            and not is_prose_opener(cand.key))


def _paragraph_turns(text: str, lines: list[tuple[int, int]], structural: list[bool],
                     mode: str, declared: bool = False) -> Parsed:
    """No labels: one respondent turn per paragraph (blank-line blocks, else lines).

    `declared`: read so on purpose (`read_as: paragraphs`, or labels that are
    not speakers, already said), so W102 is not given.
    """
    blank = [not text[s:e].strip() for s, e in lines]
    filled = [i for i, b in enumerate(blank) if not b]
    inner = blank[filled[0]:filled[-1]] if filled else []
    by_block = mode == "auto" and any(inner)  # a blank line between two lines of text
    raws: list[_Raw] = []
    current: _Raw | None = None
    for (s, e), is_blank, is_struct in zip(lines, blank, structural):
        if is_blank or is_struct or not by_block:
            if current is not None:
                raws.append(current)
                current = None
            if is_blank or is_struct:
                continue
        if current is None:
            current = _Raw(None, s, e)
        else:
            current.end = e
    if current is not None:
        raws.append(current)
    turns: list[Turn] = []
    for raw in raws:
        start, end = _strip(text, raw.start, raw.end)
        if start < end:
            turns.append(Turn(len(turns) + 1, "", RESPONDENT, start, end, text[start:end]))
    warnings = ([] if declared else [Errors.W102]) if turns else [Errors.W105]
    return Parsed(text, turns, warnings)


def _document_turn(text: str, body_start: int) -> Parsed:
    """A document read whole: one respondent turn from its first to its last character of text."""
    start, end = _strip(text, body_start, len(text))
    if start >= end:
        return Parsed(text, [], [Errors.W105])
    return Parsed(text, [Turn(1, "", RESPONDENT, start, end, text[start:end])], [])


def _finish(text: str, raws: Iterable[_Raw], names: dict[str, str],
            ikeys: frozenset[str]) -> tuple[list[Turn], list[str]]:
    """Strip each raw span, drop empty turns, number them, and give roles."""
    spans = []
    for raw in raws:
        start, end = _strip(text, raw.start, raw.end)
        if start < end:
            spans.append((raw, start, end))
    order = list(dict.fromkeys(raw.key for raw, _, _ in spans if raw.key is not None))
    interviewer_set, warnings = assign_roles(order, names, ikeys)
    turns = [
        Turn(n, names.get(raw.key, "") if raw.key else "",
             INTERVIEWER if raw.key in interviewer_set else RESPONDENT,
             start, end, text[start:end], raw.timestamp)
        for n, (raw, start, end) in enumerate(spans, start=1)
    ]
    if not any(t.is_respondent for t in turns):
        warnings.append(Errors.W105)
    return turns, warnings


def assign_roles(order: Sequence[str], names: dict[str, str],
                 ikeys: frozenset[str]) -> tuple[set[str], list[str]]:
    """Interviewer keys among the speakers; failing that the first speaker (W103)."""
    found = {k for k in order if in_keys(k, ikeys)}
    if found:
        return found, []
    for key in order:
        if not in_keys(key, RESPONDENT_KEYS):
            return {key}, [Errors.W103.format(speaker=names[key])]
    if order:
        return set(), [Errors.W108.format(speakers=", ".join(names[k] for k in order))]
    return set(), []


# --- subtitles -------------------------------------------------------------

@dataclass(slots=True)
class _Run:
    key: str | None
    timestamp: str
    texts: list[str]
    end_seconds: float


def turns_from_cues(cues: Sequence[Cue], interviewers: Sequence[str] | None = None) -> Parsed:
    """Merge consecutive cues of a speaker into turns and write the text as `Speaker: text` blocks."""
    ikeys = interviewer_keys(interviewers)
    # first pass: every part as (voice or candidate, text), to count label recurrence
    parts: list[tuple[Cue, str | None, Candidate | None, str]] = []
    for cue in cues:
        for voice, raw in cue.parts:
            if voice is not None:
                parts.append((cue, voice, None, raw))
            else:
                parts.append((cue, None, match_label(raw), raw))
    accepted = accepted_keys((c for _, _, c, _ in parts if c is not None), _known(ikeys))
    accepted |= {label_key(v) for _, v, _, _ in parts if v is not None}

    names: dict[str, str] = {}
    runs: list[_Run] = []
    for cue, voice, cand, raw in parts:
        key: str | None = None
        body = raw
        if voice is not None:
            key = label_key(voice)
            names.setdefault(key, voice)
        elif cand is not None and cand.key in accepted:
            key, body = cand.key, raw[cand.content:]
            names.setdefault(key, cand.label)
        body = " ".join(body.split())
        if not accepted:  # no speaker anywhere: paragraphs by pauses
            if runs and cue.start_seconds - runs[-1].end_seconds < PARAGRAPH_PAUSE:
                runs[-1].texts.append(body)
            else:
                runs.append(_Run(None, cue.start, [body], cue.end_seconds))
        elif key is not None and (not runs or runs[-1].key != key):
            runs.append(_Run(key, cue.start, [body], cue.end_seconds))
        elif runs:  # same speaker, or text without a speaker: the turn goes on
            runs[-1].texts.append(body)
        else:
            runs.append(_Run(None, cue.start, [body], cue.end_seconds))
        runs[-1].end_seconds = cue.end_seconds
    return _write_runs(runs, names, ikeys, bool(accepted))


def _write_runs(runs: list[_Run], names: dict[str, str], ikeys: frozenset[str],
                labelled: bool) -> Parsed:
    blocks: list[str] = []
    raws: list[_Raw] = []
    pos = 0
    preamble_words = 0
    for run in runs:
        body = " ".join(t for t in run.texts if t)
        if not body:
            continue
        prefix = f"{names[run.key]}: " if run.key is not None else ""
        if blocks:
            pos += 2
        blocks.append(prefix + body)
        if run.key is None and labelled:
            preamble_words += count_words(body)
        else:
            raws.append(_Raw(run.key, pos + len(prefix), pos + len(prefix) + len(body), run.timestamp))
        pos += len(prefix) + len(body)
    text = "\n\n".join(blocks)
    if not labelled:
        turns = [Turn(n, "", RESPONDENT, r.start, r.end, text[r.start:r.end], r.timestamp)
                 for n, r in enumerate(raws, start=1)]
        return Parsed(text, turns, [Errors.W102] if turns else [Errors.W105])
    warnings = [Errors.W107.format(words=preamble_words)] if preamble_words else []
    turns, role_warnings = _finish(text, raws, names, ikeys)
    return Parsed(text, turns, warnings + role_warnings)

"""Human codings: a CSV in long form, checked against the coded corpus and the codebook.

One row per code that a coder applied to a segment::

    segment,code,coder
    brevanne_animation#t2,local_guidance_service,coder_a

`segment` (or `segment_id`) is a segment id at the coding unit of the
comparison (`<interview>#t<turn>` for turns), `code` a theme id of the
codebook, and `coder` (optional) names the coder; without it the file's
stem does. A file may hold several coders; several files may be read
together. Every unknown segment id or code is an error that names the file
and the line, and all of them are reported at once.

Rows that code an interviewer's turn are left out with a warning when the
interviewer's turns are not coded (the default): such a row is usually a
question that carried content, not a typo, and the coders' other rows are
still worth comparing. Pass the corpus to tell them from unknown ids.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from qualcode.base.limits import read_limited
from qualcode.base.safecsv import restore_cell
from qualcode.errors import AgreementError, Errors

if TYPE_CHECKING:
    from qualcode.codebook.model import Codebook
    from qualcode.coding.engine import Codings
    from qualcode.corpus.model import Corpus

PathLike = str | os.PathLike[str]
Pair = tuple[str, str]
#: the name of qualcode's side in a comparison
MACHINE = "qualcode"
HUMAN_COLUMNS = ("segment", "code", "coder", "file", "line")
_ALIASES = {"segment": ("segment", "segment_id"), "code": ("code",), "coder": ("coder",)}
#: a training coding also reads actor files (`segment,actor,coder`) and the `scope` of a row
_TRAINING_ALIASES = {"segment": ("segment", "segment_id"), "code": ("code", "actor"), "coder": ("coder",),
                     "scope": ("scope",)}
#: what a training row says the coder read: the whole interview (the default) or this segment only
INTERVIEW_SCOPE, SEGMENT_SCOPE = "interview", "segment"
TRAINING_COLUMNS = ("segment", "code", "kind", "coder", "scope", "file", "line")
_SEGMENT_ID = re.compile(r"^(?P<interview>.+)#t(?P<turn>\d+)(?:\.(?P<kind>[ps])(?P<k>\d+))?$")
_UNIT_OF = {None: "turn", "p": "paragraph", "s": "sentence"}
_MAX_PROBLEMS = 50
#: a human coding is one row per segment and code: far smaller than this
MAX_HUMAN_BYTES = 200_000_000


def _closest(value: str, choices: Iterable[str]) -> str:
    found = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.75)
    return f" (did you mean {found[0]!r}?)" if found else ""


def _decode(path: Path, warnings: list[str]) -> str:
    try:
        data = read_limited(path, MAX_HUMAN_BYTES)
    except OSError as exc:
        raise AgreementError(Errors.E501.format(reason=exc.strerror or exc), path=path) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from qualcode.corpus.legacy import choose_legacy

    legacy = choose_legacy(data)
    if legacy is None:
        raise AgreementError(Errors.E513.format(reason="it is neither UTF-8 nor a text encoding "
                                                       "qualcode recognises"), path=path)
    warnings.append(f"{path}: " + Errors.W101.format(encoding=f"{legacy.encoding} ({legacy.reason})"))
    return legacy.text


def _delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def _columns(header: list[str], path: Path, aliases_of: dict[str, tuple[str, ...]] = _ALIASES) -> dict[str, int]:
    names = [h.strip().lower() for h in header]
    found: dict[str, int] = {}
    for column, aliases in aliases_of.items():
        for alias in aliases:
            if alias in names:
                found[column] = names.index(alias)
                break
        else:
            if column not in ("coder", "scope"):
                shown = ", ".join(h for h in header if h.strip()) or "none"
                raise AgreementError(Errors.E502.format(column=column, found=shown), path=path, line=1)
    return found


def _segment_hint(segment: str, known: set[str], unit: str, interviews: dict[str, int]) -> str:
    parsed = _SEGMENT_ID.match(segment)
    if parsed is None:
        return ("; a segment id looks like <interview id>#t<turn> "
                "(`qualcode corpus CORPUS --turns` lists the turns)")
    interview, turn = parsed["interview"], int(parsed["turn"])
    if interview not in interviews:
        return f": no interview {interview!r} in the corpus{_closest(interview, interviews)}"
    its_unit = _UNIT_OF[parsed["kind"]]
    if its_unit != unit:
        return (f": it is a {its_unit} id but the coding unit is {unit}; run with --unit {its_unit}, "
                f"or code the human sample at the {unit} unit")
    if turn > interviews[interview]:
        return f": interview {interview!r} has {interviews[interview]} turns"
    return f"{_closest(segment, known)}; see `qualcode code CORPUS --unit {unit} --out DIR`, segments.csv"


def _interviewer_turn(segment: str, corpus: Corpus | None) -> bool:
    parsed = _SEGMENT_ID.match(segment)
    if corpus is None or parsed is None:
        return False
    try:
        interview = corpus[parsed["interview"]]
    except KeyError:
        return False
    turn = int(parsed["turn"])
    return 1 <= turn <= len(interview.turns) and not interview.turns[turn - 1].is_respondent


def _read_rows(path: Path, warnings: list[str],
               aliases_of: dict[str, tuple[str, ...]] = _ALIASES) -> tuple[dict[str, int], list[tuple[int, list[str]]]]:
    """The columns found in a human coding file and its rows, with their line numbers."""
    text = _decode(path, warnings)
    first_line = text.split("\n", 1)[0]
    try:
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
        header = next(rows, None)
        if header is None:
            raise AgreementError(Errors.E509.format(which=f" in {path.name}"), path=path)
        columns = _columns([restore_cell(h) for h in header], path, aliases_of)
        # qualcode's own CSVs guard cells against formulas (`'=x`): read `=x` back
        records = [(rows.line_num, [restore_cell(cell) for cell in row]) for row in rows]
    except csv.Error as exc:
        raise AgreementError(Errors.E513.format(reason=exc), path=path) from exc
    return columns, records


class _Checker:
    """Tells unknown segments and codes apart from interviewer turns, with a hint for each."""

    def __init__(self, segments: pd.DataFrame, corpus: Corpus | None, unit: str) -> None:
        self.known = set(segments["segment_id"])
        self.corpus, self.unit = corpus, unit
        if corpus is not None:
            self.interviews = {i.id: len(i.turns) for i in corpus}
        else:
            self.interviews = {str(k): int(v) for k, v in segments.groupby("interview_id")["turn"].max().items()}

    def segment(self, segment: str) -> str | None:
        """None when the segment is known; "" for an interviewer's turn; else the problem."""
        if segment in self.known:
            return None
        if _interviewer_turn(segment, self.corpus):
            return ""
        return Errors.E503.format(segment=segment, hint=_segment_hint(segment, self.known, self.unit,
                                                                       self.interviews))


def _interviewer_warning(path: Path, interviewer: list[str], warnings: list[str]) -> None:
    if interviewer:
        examples = ", ".join(interviewer[:3]) + (", ..." if len(interviewer) > 3 else "")
        warnings.append(f"{path}: " + Errors.W501.format(count=len(interviewer), examples=examples))


def _read_one(path: Path, segments: pd.DataFrame, codebook: Codebook, corpus: Corpus | None, unit: str,
              problems: list[tuple[Path, int, str]], warnings: list[str]
              ) -> list[tuple[str, str, str, str, int]]:
    columns, records = _read_rows(path, warnings)
    check = _Checker(segments, corpus, unit)
    themes = list(codebook.theme_ids)
    theme_set, actors = set(themes), set(codebook.actor_ids)
    default_coder = path.stem
    kept: list[tuple[str, str, str, str, int]] = []
    interviewer: list[str] = []

    def problem(line: int, message: str) -> None:
        problems.append((path, line, message))

    for line, row in records:
        if not any(cell.strip() for cell in row):
            continue
        cell = {name: (row[i].strip() if i < len(row) else "") for name, i in columns.items()}
        segment, code = cell["segment"], cell["code"]
        coder = cell.get("coder") or default_coder
        if not segment or not code:
            problem(line, Errors.E506.format(column="segment" if not segment else "code"))
            continue
        bad = False
        if code not in theme_set:
            bad = True
            if code in actors:
                problem(line, Errors.E505.format(code=code))
            else:
                problem(line, Errors.E504.format(code=code, hint=_closest(code, themes),
                                                 codebook=codebook.name))
        unknown = check.segment(segment)
        if unknown == "":
            interviewer.append(f"line {line}: {segment}")
            continue
        if unknown is not None:
            bad = True
            problem(line, unknown)
        if not bad:
            kept.append((segment, code, coder, str(path), line))
    _interviewer_warning(path, interviewer, warnings)
    return kept


def _raise_problems(problems: list[tuple[Path, int, str]], paths: list[Path]) -> None:
    if len(problems) == 1:
        where, line, message = problems[0]
        raise AgreementError(message, path=where, line=line)
    if problems:
        shown = [f"{where}:{line}: {message}" for where, line, message in problems[:_MAX_PROBLEMS]]
        if len(problems) > _MAX_PROBLEMS:
            shown.append(f"... and {len(problems) - _MAX_PROBLEMS} more")
        raise AgreementError(Errors.E507.format(count=len(problems)),
                             path=paths[0] if len(paths) == 1 else None, problems=shown)


def read_human_codings(path: PathLike | Sequence[PathLike], segments: pd.DataFrame, codebook: Codebook,
                       *, corpus: Corpus | None = None) -> pd.DataFrame:
    """Read and check one or more human coding files against the coded segments.

    Args:
        path: a CSV file, or a list of them (read in that order).
        segments: the segments of the coded corpus at the comparison's unit
            (`Codings.segments`); every segment id must be one of them.
        codebook: the codebook; every code must be one of its theme ids.
        corpus: the `Corpus`, to recognise rows that code an interviewer's turn
            (left out with a warning) and to explain unknown ids.

    Returns:
        A DataFrame with the columns `segment`, `code`, `coder`, `file` and
        `line` (of the first occurrence), one row per distinct (segment, code,
        coder), in file order. `frame.attrs["warnings"]` lists the warnings.

    Raises:
        AgreementError: naming the file and line of every problem found (exit 2).
    """
    paths = [Path(path)] if isinstance(path, (str, os.PathLike)) else [Path(p) for p in path]
    unit = str(segments["unit"].iloc[0]) if len(segments) else "turn"
    problems: list[tuple[Path, int, str]] = []
    warnings: list[str] = []
    rows: list[tuple[str, str, str, str, int]] = []
    for one in paths:
        rows.extend(_read_one(one, segments, codebook, corpus, unit, problems, warnings))
    _raise_problems(problems, paths)
    frame = pd.DataFrame(rows, columns=list(HUMAN_COLUMNS))
    before = len(frame)
    frame = frame.drop_duplicates(subset=["segment", "code", "coder"], keep="first").reset_index(drop=True)
    if len(frame) < before:
        warnings.append(Errors.W503.format(count=before - len(frame)))
    frame = frame.astype({"line": "int64"})
    frame.attrs["warnings"] = warnings
    return frame


def read_training_codings(path: PathLike | Sequence[PathLike], segments: pd.DataFrame, codebook: Codebook,
                          *, corpus: Corpus | None = None, coder: str | None = None) -> pd.DataFrame:
    """Read a human coding to learn from: themes and actors, and what the coder read.

    As `read_human_codings`, and besides: a row's code may be a theme or an
    actor (the column may be named `actor`, as in an actor coding); a cell
    may hold several codes separated by `;`; an optional `scope` column says
    whether the coder read the row's whole `interview` (the default: every
    other segment of it is a segment without that kind of code) or only this
    `segment` (a filled-in sheet of `qualcode learn --next`), and a row with
    the scope `segment` and no code says that the coder read the segment and
    found nothing.

    Args:
        coder: keep this coder's rows; needed when the files hold several.

    Returns:
        A DataFrame with the columns `segment`, `code` (empty for a segment
        read without code), `kind` (`theme`, `actor`, or empty), `coder`,
        `scope`, `file` and `line`; `frame.attrs["warnings"]` lists the
        warnings.

    Raises:
        AgreementError: every unknown segment or code, with its file and line;
            no row at all (E509); several coders and no `coder` (E516), or an
            unknown one (E508) (exit 2).
    """
    paths = [Path(path)] if isinstance(path, (str, os.PathLike)) else [Path(p) for p in path]
    unit = str(segments["unit"].iloc[0]) if len(segments) else "turn"
    kinds = {**dict.fromkeys(codebook.actor_ids, "actor"), **dict.fromkeys(codebook.theme_ids, "theme")}
    every = [*codebook.theme_ids, *codebook.actor_ids]
    check = _Checker(segments, corpus, unit)
    problems: list[tuple[Path, int, str]] = []
    warnings: list[str] = []
    rows: list[tuple[str, str, str, str, str, str, int]] = []
    for one in paths:
        columns, records = _read_rows(one, warnings, _TRAINING_ALIASES)
        interviewer: list[str] = []
        for line, row in records:
            if not any(cell.strip() for cell in row):
                continue
            cell = {name: (row[i].strip() if i < len(row) else "") for name, i in columns.items()}
            segment, scope = cell["segment"], (cell.get("scope") or INTERVIEW_SCOPE).lower()
            codes = [c.strip() for c in cell["code"].split(";") if c.strip()]
            if scope not in (INTERVIEW_SCOPE, SEGMENT_SCOPE):
                problems.append((one, line, Errors.E514.format(scope=scope)))
                continue
            if not segment or (not codes and scope != SEGMENT_SCOPE):
                problems.append((one, line, Errors.E506.format(column="segment" if not segment else "code")))
                continue
            bad = False
            for code in codes:
                if code not in kinds:
                    bad = True
                    problems.append((one, line, Errors.E515.format(code=code, hint=_closest(code, every),
                                                                   codebook=codebook.name)))
            unknown = check.segment(segment)
            if unknown == "":
                interviewer.append(f"line {line}: {segment}")
                continue
            if unknown is not None:
                bad = True
                problems.append((one, line, unknown))
            if not bad:
                who = cell.get("coder") or one.stem
                for code in codes or [""]:
                    rows.append((segment, code, kinds.get(code, ""), who, scope, str(one), line))
        _interviewer_warning(one, interviewer, warnings)
    _raise_problems(problems, paths)
    frame = pd.DataFrame(rows, columns=list(TRAINING_COLUMNS))
    if frame.empty:
        raise AgreementError(Errors.E509.format(which=""), path=paths[0] if len(paths) == 1 else None)
    coders = list(dict.fromkeys(frame["coder"]))
    if coder is not None:
        if coder not in coders:
            raise AgreementError(Errors.E508.format(coder=coder, coders=", ".join(coders)))
        frame = frame[frame["coder"] == coder]
    elif len(coders) > 1:
        raise AgreementError(Errors.E516.format(coders=", ".join(coders)))
    frame = frame.drop_duplicates(subset=["segment", "code", "scope"], keep="first").reset_index(drop=True)
    frame = frame.astype({"line": "int64"})
    frame.attrs["warnings"] = warnings
    return frame


# --- the sides of a comparison and its scope ------------------------------------


@dataclass(frozen=True)
class Sides:
    """The coders compared, their (segment, code) pairs, and the segments in scope."""

    coders: tuple[str, ...]
    pairs: dict[str, frozenset[Pair]]
    segments: tuple[str, ...]
    interviews: tuple[str, ...]


def align(codings: Codings, human: pd.DataFrame, *, coders: Sequence[str] | None = None,
          whole_corpus: bool = False) -> Sides:
    """Choose the sides and the segments that they are compared on.

    One human coder (after `coders` selects) is compared with qualcode; two
    or more with one another. The scope is the interviews that every human
    coder compared coded at least once (a coder who never opened an
    interview says nothing about it); `whole_corpus` takes every interview.
    """
    if human.empty:
        raise AgreementError(Errors.E509.format(which=""))
    available = list(dict.fromkeys(human["coder"]))
    chosen = list(dict.fromkeys(coders)) if coders else available
    for coder in chosen:
        if coder not in available:
            raise AgreementError(Errors.E508.format(coder=coder, coders=", ".join(available)))
    segments = codings.segments
    interview_of = dict(zip(segments["segment_id"], segments["interview_id"]))
    pairs: dict[str, frozenset[Pair]] = {}
    scope: set[str] | None = None
    for coder in chosen:
        mine = human[human["coder"] == coder]
        pairs[coder] = frozenset(zip(mine["segment"], mine["code"]))
        covered = {interview_of[s] for s in mine["segment"] if s in interview_of}
        scope = covered if scope is None else scope & covered
    if len(chosen) == 1:
        if MACHINE in pairs:
            raise AgreementError(Errors.E511.format(name=MACHINE))
        applied = codings.applied("theme")
        pairs[MACHINE] = frozenset(zip(applied["segment_id"], applied["code"]))
    if whole_corpus:
        scope = set(segments["segment_id"].map(interview_of))
    if not scope:
        raise AgreementError(Errors.E510.format(coders=", ".join(chosen)))
    in_scope = segments[segments["interview_id"].isin(scope)]
    interviews = tuple(dict.fromkeys(in_scope["interview_id"]))
    return Sides(coders=tuple(pairs), pairs=pairs, segments=tuple(in_scope["segment_id"]),
                 interviews=interviews)

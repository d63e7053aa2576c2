"""Analytic memos: memos.md in the results folder, plain Markdown the researcher writes, with ids.

One memo per level-2 heading, `## KIND:ID`, optionally followed by ` — a
title`; its text runs to the next such heading. KIND is `project` (no id),
`code` (a theme or actor id), `case`, `interview` or `segment`::

    # Memos

    ## code:shared_tools — what counts as a tool
    The directory and the referral form, not the regional platform.

    ## case:brevanne
    The cell's facilitator is quoted in every interview.

Text before the first heading is the file's preamble and is kept as it is.
A line of a memo that itself starts with `## ` is written `\\## `.
The reports (report.html, report.md) show them; `analyze --force` and
`code --force` on the folder keep the file. A heading that names no kind is
an error (E470, with its line); an id that the results do not know is a
warning (W462, from `qualcode report`): the memo is kept, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from qualcode.errors import CodingError, Errors
from qualcode.results.layout import MEMOS_MD

if TYPE_CHECKING:
    import pandas as pd

KINDS = ("project", "code", "case", "interview", "segment")
PROJECT = "project"
#: the columns of `memos_frame`
MEMO_COLUMNS = ("kind", "target", "title", "text", "line")
PREAMBLE = ("# Memos\n\n<!-- qualcode memos: one memo per '## KIND:ID' heading (KIND: project, code, case, "
            "interview, segment), optionally followed by ' — a title'; edit freely. -->\n")
_HEADING = re.compile(r"^## (?P<head>.*?)\s*$")
_DASH = re.compile(r"\s+(?:—|--)\s+")


@dataclass(frozen=True)
class Memo:
    """One memo: what it is about (`kind`, `target` id), an optional title, and its text."""

    kind: str
    target: str
    text: str
    title: str = ""
    line: int = field(default=0, compare=False)

    @property
    def key(self) -> str:
        """`kind:target` (`project` alone), as the heading writes it."""
        return self.kind if self.kind == PROJECT else f"{self.kind}:{self.target}"

    @property
    def heading(self) -> str:
        return f"## {self.key}" + (f" — {self.title}" if self.title else "")


def _parse_heading(head: str, path: Path | str | None, line: int) -> tuple[str, str, str]:
    parts = _DASH.split(head, maxsplit=1)
    key, title = parts[0].strip(), (parts[1].strip() if len(parts) > 1 else "")
    if key == PROJECT:
        return PROJECT, "", title
    kind, sep, target = key.partition(":")
    kind, target = kind.strip(), target.strip()
    if not sep:
        raise CodingError(Errors.E470.format(heading=head, reason="no KIND:ID"), path=path, line=line)
    if kind not in KINDS:
        raise CodingError(Errors.E470.format(heading=head, reason=f"unknown kind {kind!r}"), path=path, line=line)
    if not target:
        raise CodingError(Errors.E470.format(heading=head, reason="no id after the colon"), path=path, line=line)
    return kind, target, title


def memo_from_heading(heading: str, text: str) -> Memo:
    """The memo a heading (without its hashes: `code:ID — title`) names, with `text` (E470 when it names none)."""
    kind, target, title = _parse_heading(heading, None, 0)
    return Memo(kind, target, text, title)


def parse_memos(text: str, path: Path | str | None = None) -> tuple[str, list[Memo]]:
    """The preamble and the memos of a memos.md text (E470 naming the line of a bad heading)."""
    preamble: list[str] = []
    memos: list[Memo] = []
    current: tuple[str, str, str, int] | None = None
    body: list[str] = []

    def close() -> None:
        if current is not None:
            kind, target, title, line = current
            memos.append(Memo(kind, target, "\n".join(body).strip("\n"), title, line))

    for n, raw in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        heading = _HEADING.match(raw)
        if heading:
            close()
            kind, target, title = _parse_heading(heading["head"], path, n)
            current, body = (kind, target, title, n), []
        elif current is None:
            preamble.append(raw)
        else:
            body.append(raw[1:] if raw.startswith("\\## ") else raw)
    close()
    return "\n".join(preamble).strip("\n"), memos


def memos_text(memos: Iterable[Memo], preamble: str | None = None) -> str:
    """memos.md: the preamble (qualcode's when None), then each memo, a blank line between."""
    parts = [(PREAMBLE if preamble is None else preamble).strip("\n")]
    for memo in memos:
        lines = ["\\" + x if x.startswith("## ") else x for x in memo.text.split("\n")]
        parts.append(memo.heading + ("\n" + "\n".join(lines) if memo.text else ""))
    return "\n\n".join(p for p in parts if p) + "\n"


def read_memos(folder: Path | str) -> tuple[str, list[Memo]]:
    """The preamble and memos of `folder`/memos.md (nothing when there is none)."""
    from qualcode.base.limits import read_limited

    path = Path(folder) / MEMOS_MD
    if not path.is_file():
        return "", []
    try:
        data = read_limited(path)
    except OSError as exc:
        raise CodingError(Errors.E306.format(name=MEMOS_MD, reason=exc.strerror or exc), path=path) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CodingError(Errors.E306.format(name=MEMOS_MD, reason=f"not UTF-8 ({exc.reason})"), path=path) from None
    return parse_memos(text, path)


def check_memos(memos: Sequence[Memo], known: Mapping[str, Iterable[str]], path: Path | str | None = None
                ) -> list[str]:
    """Warnings (W462, with the file and line) for memos whose id the results do not know."""
    from qualcode.base.text import did_you_mean

    found = []
    for memo in memos:
        if memo.kind == PROJECT or memo.kind not in known:
            continue
        ids = set(known[memo.kind])
        if memo.target not in ids:
            where = f"{path}:{memo.line}: " if path is not None and memo.line else ""
            found.append(where + Errors.W462.format(kind=memo.kind, id=memo.target,
                                                     hint=did_you_mean(memo.target, sorted(ids))))
    return found


def memo_warnings(files: Mapping[str, str | bytes], codes: Iterable[str], path: Path | str | None = None
                  ) -> list[str]:
    """W462 for each memo of memos.md (in `files`) whose id neither the codebook nor segments.csv knows."""
    from qualcode.results.frames import read_csv_text
    from qualcode.results.layout import SEGMENTS_CSV

    if MEMOS_MD not in files:
        return []
    content = files[MEMOS_MD]
    text = content.decode("utf-8-sig", errors="replace") if isinstance(content, bytes) else content
    memos = parse_memos(text, path)[1]
    known: dict[str, Iterable[str]] = {"code": list(codes)}
    if SEGMENTS_CSV in files:
        segments = read_csv_text(files[SEGMENTS_CSV])
        known.update({"case": set(segments["case"].astype(str)),
                      "interview": set(segments["interview_id"].astype(str)),
                      "segment": set(segments["segment_id"].astype(str))})
    return check_memos(memos, known, path)


def memos_frame(memos: Iterable[Memo]) -> pd.DataFrame:
    """The memos as a DataFrame (`MEMO_COLUMNS`)."""
    import pandas as pd

    rows = [(m.kind, m.target, m.title, m.text, m.line) for m in memos]
    return pd.DataFrame(rows, columns=list(MEMO_COLUMNS)).astype({"line": "int64"})


def merged(old: Sequence[Memo], new: Iterable[Memo]) -> list[Memo]:
    """`old` with each memo of `new` replacing the one with the same kind, target and title (else added)."""
    result = list(old)
    for memo in new:
        same = [n for n, m in enumerate(result) if (m.kind, m.target, m.title) == (memo.kind, memo.target,
                                                                                    memo.title)]
        if same:
            result[same[0]] = memo
        else:
            result.append(memo)
    return result


def write_memos(folder: Path | str, memos: Sequence[Memo], preamble: str | None = None) -> Path:
    """Write memos.md into a results folder, atomically (the researcher's file: no --force needed)."""
    from qualcode.base.atomic import write_file

    return write_file(Path(folder) / MEMOS_MD, memos_text(memos, preamble), force=True)


def keep_memos(out: Path | str, files: Mapping[str, str | bytes]) -> dict[str, str | bytes]:
    """`files` with the memos.md of the folder they replace, so that re-running a command loses no memo."""
    path = Path(out) / MEMOS_MD
    kept = dict(files)
    if MEMOS_MD not in kept and path.is_file() and not path.is_symlink():
        from qualcode.base.limits import read_limited

        kept[MEMOS_MD] = read_limited(path)
    return kept


__all__ = [
    "KINDS",
    "MEMOS_MD",
    "MEMO_COLUMNS",
    "Memo",
    "check_memos",
    "keep_memos",
    "memo_from_heading",
    "memo_warnings",
    "memos_frame",
    "memos_text",
    "merged",
    "parse_memos",
    "read_memos",
    "write_memos",
]

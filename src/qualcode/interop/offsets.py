"""Selection offsets of other programs, mapped onto qualcode's normalised text.

REFI-QDA says that a selection counts Unicode code points from 0 (§10.2), and
real programs agree on "end exclusive" but not on the unit:

* `codepoints`: code points, CRLF as two (the standard; QualCoder, Python tools);
* `utf16`: UTF-16 code units, CRLF as two (NVivo for Windows: every character
  beyond U+FFFF, an emoji say, counts two);
* `codepoints_lf`: code points, CRLF as one (ATLAS.ti writes `\\r\\n` but counts
  a line break as one position);
* `utf16_lf`: UTF-16 code units, CRLF as one.

A BOM is never counted (it is stripped before anything else). Which counting a
project uses is decided once per project (`detect_counting`): each counting
is scored on how its selections fall in the texts (a start or an end on a line
boundary scores 2, on a word boundary 1, in the middle of a UTF-16 surrogate
pair or between the `\r` and the `\n` of a line break -2), and the best wins; on a tie the program named by `origin` decides
(NVivo, or an origin that says "UTF-16": `utf16`; ATLAS.ti: `codepoints_lf`;
anything else: the standard).
When the texts hold neither CRLF nor characters beyond U+FFFF, every counting
gives the same positions and nothing needs deciding.

`SourceText` then maps a position under the chosen counting to the text as
qualcode stores it (`text.normalise_text`: `\\n` line ends, NFC), exactly.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

COUNTINGS = ("codepoints", "utf16", "codepoints_lf", "utf16_lf")
DESCRIPTIONS = {
    "codepoints": "Unicode code points, CRLF counted as two (the REFI-QDA standard)",
    "utf16": "UTF-16 code units, CRLF counted as two (as NVivo for Windows counts)",
    "codepoints_lf": "Unicode code points, CRLF counted as one (as ATLAS.ti counts)",
    "utf16_lf": "UTF-16 code units, CRLF counted as one",
}


def prior_counting(origin: str | None) -> str:
    """The counting a program is known to use, from the project's `origin`."""
    text = (origin or "").lower()
    if "nvivo" in text or "utf-16" in text:
        return "utf16"
    if "atlas" in text:
        return "codepoints_lf"
    return "codepoints"


class SourceText:
    """A source's text as read (BOM stripped, line ends as in the file), with its mappings."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.astral = [i for i, ch in enumerate(raw) if ord(ch) > 0xFFFF]
        self.crlf = [i for i in range(len(raw) - 1) if raw[i] == "\r" and raw[i + 1] == "\n"] \
            if "\r\n" in raw else []
        lf = raw.replace("\r\n", "\n").replace("\r", "\n")
        self._line_starts = [0] + [i + 1 for i, ch in enumerate(lf) if ch == "\n"]
        lines = lf.split("\n")
        self._odd_lines: dict[int, str] = {}
        self._shift: list[int] = []  # code points NFC removed before each line
        shift = 0
        normalised_lines = []
        for n, line in enumerate(lines):
            self._shift.append(shift)
            if unicodedata.is_normalized("NFC", line):
                normalised_lines.append(line)
            else:
                composed = unicodedata.normalize("NFC", line)
                self._odd_lines[n] = line
                shift += len(line) - len(composed)
                normalised_lines.append(composed)
        #: the text as qualcode stores it: `\n` line ends, NFC
        self.text = "\n".join(normalised_lines)

    @property
    def ambiguous(self) -> bool:
        """True when countings differ on this text (it has CRLF or characters beyond U+FFFF)."""
        return bool(self.astral or self.crlf)

    def _units(self, index: int, counting: str) -> int:
        """Position of raw index `index` under a counting."""
        units = index
        if counting.startswith("utf16"):
            units += bisect_left(self.astral, index)
        if counting.endswith("_lf"):
            units -= bisect_left(self.crlf, index)
        return units

    def length(self, counting: str) -> int:
        """The text's length under a counting (the largest valid end position)."""
        return self._units(len(self.raw), counting)

    def to_raw(self, offset: int, counting: str) -> tuple[int, bool]:
        """The raw index of a position, and whether it falls exactly on a character boundary."""
        n = len(self.raw)
        if offset <= 0:
            return 0, offset == 0
        if counting == "codepoints" or (not self.astral and not self.crlf):
            return (offset, True) if offset <= n else (n, False)
        if offset > self._units(n, counting):
            return n, False
        lo, hi = 0, n
        while lo < hi:  # the first index whose position reaches `offset`
            mid = (lo + hi) // 2
            if self._units(mid, counting) < offset:
                lo = mid + 1
            else:
                hi = mid
        return lo, self._units(lo, counting) == offset

    def raw_to_text(self, index: int) -> int:
        """Raw index -> index in `text` (line ends and NFC normalised)."""
        lf_index = index - bisect_left(self.crlf, index)
        line = bisect_right(self._line_starts, lf_index) - 1
        start = self._line_starts[line]
        within = lf_index - start
        odd = self._odd_lines.get(line)
        if odd is not None:
            within = len(unicodedata.normalize("NFC", odd[:within]))
        return start - self._shift[line] + within

    def to_text(self, offset: int, counting: str) -> tuple[int, bool]:
        raw, exact = self.to_raw(offset, counting)
        return self.raw_to_text(raw), exact

    # --- alignment scores ---------------------------------------------------------

    def _score(self, index: int, exact: bool) -> int:
        if not exact:
            return -2
        raw = self.raw
        if index <= 0 or index >= len(raw):
            return 2
        before, after = raw[index - 1], raw[index]
        if before == "\r" and after == "\n":  # inside a line break: no one selects half of one
            return -2
        if before in "\r\n" or after in "\r\n":
            return 2
        if before.isspace() or after.isspace() or before.isalnum() != after.isalnum():
            return 1
        return 0

    def score(self, selections: Iterable[tuple[int, int]], counting: str) -> tuple[int, int]:
        """(points, ends on a boundary) of these selections under a counting."""
        points = aligned = 0
        for start, end in selections:
            for offset in (start, end):
                index, exact = self.to_raw(offset, counting)
                value = self._score(index, exact)
                points += value
                aligned += value > 0
        return points, aligned


@dataclass
class Detection:
    """The counting chosen for a project, and why."""

    counting: str
    origin: str
    reason: str
    scores: dict[str, tuple[int, int]] = field(default_factory=dict)
    ends: int = 0

    @property
    def description(self) -> str:
        return DESCRIPTIONS[self.counting]


def detect_counting(sources: Sequence[tuple[SourceText, list[tuple[int, int]]]],
                    origin: str | None) -> Detection:
    """Choose the counting that puts the project's selections on boundaries best."""
    prior = prior_counting(origin)
    ambiguous = [(text, sels) for text, sels in sources if text.ambiguous and sels]
    ends = 2 * sum(len(sels) for _, sels in sources)
    if not ambiguous:
        return Detection(prior, origin or "", "no coded text has CRLF line ends or a character beyond "
                         "U+FFFF, so every counting gives the same positions", ends=ends)
    scores: dict[str, tuple[int, int]] = {}
    for counting in COUNTINGS:
        points = aligned = 0
        for text, sels in ambiguous:
            p, a = text.score(sels, counting)
            points += p
            aligned += a
        scores[counting] = (points, aligned)
    best = max(COUNTINGS, key=lambda c: (scores[c][0], c == prior))
    tested = 2 * sum(len(sels) for _, sels in ambiguous)
    program = f"{origin!r}" if origin else "a project without origin"
    if scores[best][0] == scores[prior][0]:
        best = prior
        others = [c for c in COUNTINGS if c != prior]
        runner = max(others, key=lambda c: scores[c][0])
        if scores[runner][0] == scores[prior][0]:
            why = (f"the usual counting of {program}; the selections fit {runner} as well "
                   f"({scores[prior][1]}/{tested} selection ends on word or line boundaries)")
        else:
            why = (f"the usual counting of {program}, confirmed by the texts: {scores[prior][1]}/{tested} "
                   f"selection ends fall on word or line boundaries, {scores[runner][1]}/{tested} "
                   f"as {runner}")
    else:
        why = (f"{scores[best][1]}/{tested} selection ends fall on word or line boundaries, against "
               f"{scores[prior][1]}/{tested} with {prior}, the usual counting of {program}")
    return Detection(best, origin or "", why, scores, ends)

"""Pattern suggestions: what the human's coding says the codebook lacks, and where it fires wrongly.

For each theme, among the segments the human read:

* **phrases to add**: lemmas and two-word phrases found in at least
  `MIN_SEGMENTS` segments the human coded with the theme and the rules did
  not, and mostly there (at least `MIN_PRECISION` of the read segments that
  hold them have the theme);
* **patterns to remove**: patterns of the theme that fired (and counted) in
  at least `MIN_SEGMENTS` read segments where the human did not apply it,
  and were right less than half the time.

`codebook_edit` writes them into the codebook's YAML as text (phrases added
under the theme's patterns, with a comment; patterns removed), so that the
edit is a plain diff the researcher reads, applies or not, and measures
with `qualcode diff CORPUS --codebook OLD --codebook NEW`.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections import Counter
from dataclasses import dataclass

import pandas as pd

from qualcode.codebook.model import Codebook
from qualcode.coding.kinds import THEME
from qualcode.learning.features import NUMBER, SegmentText

MIN_SEGMENTS = 3
MIN_PRECISION = 0.6
MAX_PER_CODE = 5
SUGGESTION_COLUMNS = ("code", "action", "language", "pattern", "human_yes", "human_no", "rules_missed")


def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS as EN
    from spacy.lang.fr.stop_words import STOP_WORDS as FR

    from qualcode.base.text import fold

    return frozenset(fold(w) for w in (*FR, *EN))


def _grams(tokens: tuple[str, ...], stop: frozenset[str]) -> set[str]:
    words = [t for t in tokens if t != NUMBER]
    found = {w for w in words if len(w) > 3 and w not in stop and w.isalpha()}
    found |= {f"{a} {b}" for a, b in itertools.pairwise(words)
              if (a not in stop or b not in stop) and a.isalpha() and b.isalpha() and len(a + b) > 6}
    return found


@dataclass
class Suggestions:
    """The suggestions as a table, and the codebook edit that applies them."""

    table: pd.DataFrame
    original: str
    edited: str
    path: str

    def diff(self) -> str:
        """A unified diff of the codebook: what `--out` would write."""
        return "".join(difflib.unified_diff(self.original.splitlines(keepends=True),
                                            self.edited.splitlines(keepends=True),
                                            fromfile=f"a/{self.path}", tofile=f"b/{self.path}"))


def suggest_patterns(codebook: Codebook, texts: dict[str, SegmentText], read: set[str],
                     human: set[tuple[str, str]], evidence: pd.DataFrame, language_of: dict[str, str]
                     ) -> pd.DataFrame:
    """The table of suggestions (`SUGGESTION_COLUMNS`), theme by theme in codebook order."""
    stop = _stop_words()
    segments = sorted(s for s in read if s in texts)
    grams = {s: _grams(texts[s].tokens, stop) for s in segments}
    counted = evidence[(evidence["kind"] == THEME) & (evidence["counts_for"] != "")]
    rule_pairs = set(zip(counted["segment_id"], counted["counts_for"]))
    rows: list[tuple[str, str, str, str, int, int, int]] = []
    for code in codebook.theme_ids:
        yes = [s for s in segments if (s, code) in human]
        if len(yes) < MIN_SEGMENTS:
            continue
        missed = [s for s in yes if (s, code) not in rule_pairs]
        in_missed: Counter[str] = Counter(g for s in missed for g in grams[s])
        everywhere: Counter[str] = Counter(g for s in segments for g in grams[s])
        in_yes: Counter[str] = Counter(g for s in yes for g in grams[s])
        candidates = []
        for gram, n in in_missed.items():
            precision = in_yes[gram] / everywhere[gram]
            if n >= MIN_SEGMENTS and precision >= MIN_PRECISION:
                languages = Counter(language_of.get(s.split("#")[0], "") for s in missed if gram in grams[s])
                candidates.append((-n, -precision, gram, languages.most_common(1)[0][0],
                                   in_yes[gram], everywhere[gram] - in_yes[gram], n))
        candidates.sort()
        kept: list[str] = []
        for _, _, gram, language, n_yes, n_no, n_missed in candidates:
            if any(gram in k.split(" ") or k in gram.split(" ") for k in kept):
                continue  # a word and a phrase that holds it: keep the stronger
            kept.append(gram)
            rows.append((code, "add", language, gram, n_yes, n_no, n_missed))
            if len(kept) >= MAX_PER_CODE:
                break
        mine = counted[(counted["counts_for"] == code) & counted["segment_id"].isin(read)]
        for pattern, hits in mine.groupby("pattern_id", sort=True):
            where = set(hits["segment_id"])
            right = sum((s, code) in human for s in where)
            wrong = len(where) - right
            if wrong >= MIN_SEGMENTS and right < wrong:
                rows.append((code, "remove", "", str(pattern), right, wrong, 0))
    return pd.DataFrame(rows, columns=list(SUGGESTION_COLUMNS))


_ID_LINE = re.compile(r"^(?P<indent>\s*)- id:\s*(?P<id>[A-Za-z0-9_./-]+)\s*$")


def codebook_edit(text: str, table: pd.DataFrame) -> str:
    """The codebook's YAML with the suggestions applied as text (comments and layout kept)."""
    lines = text.splitlines(keepends=True)
    for row in table[table["action"] == "remove"].itertuples(index=False):
        lines = _remove_pattern(lines, str(row.code), str(row.pattern))
    for (code, language), rows in table[table["action"] == "add"].groupby(["code", "language"], sort=False):
        lines = _add_phrases(lines, str(code), str(language), [str(p) for p in rows["pattern"]])
    return "".join(lines)


def _code_block(lines: list[str], code: str) -> tuple[int, int] | None:
    start = None
    for n, line in enumerate(lines):
        found = _ID_LINE.match(line.rstrip("\n"))
        if start is None and found and found["id"] == code:
            start, indent = n, len(found["indent"])
        elif (start is not None and found and len(found["indent"]) <= indent) or (start is not None and line.strip() and not line.startswith(" ") and not line.startswith("#")):
            return start, n
    return (start, len(lines)) if start is not None else None


def _add_phrases(lines: list[str], code: str, language: str, phrases: list[str]) -> list[str]:
    block = _code_block(lines, code)
    if block is None:
        return lines
    start, end = block
    patterns = next((n for n in range(start, end) if lines[n].strip() == "patterns:"), None)
    if patterns is None:
        return lines
    base = len(lines[patterns]) - len(lines[patterns].lstrip())
    for n in range(patterns + 1, end):
        stripped = lines[n].strip()
        indent = len(lines[n]) - len(lines[n].lstrip())
        if stripped and indent <= base:
            break
        if stripped == f"{language}:":
            item = " " * (indent + 2)
            added = [f"{item}# suggested by qualcode suggest: review before keeping\n"]
            added += [f'{item}- "{p}"\n' for p in phrases]
            return lines[:n + 1] + added + lines[n + 1:]
    return lines


def _remove_pattern(lines: list[str], code: str, pattern: str) -> list[str]:
    block = _code_block(lines, code)
    if block is None:
        return lines
    start, end = block
    for n in range(start + 1, end):
        found = _ID_LINE.match(lines[n].rstrip("\n"))
        if found and found["id"] == pattern:
            indent = len(found["indent"])
            stop = n + 1
            while stop < end and (not lines[stop].strip() or
                                  len(lines[stop]) - len(lines[stop].lstrip()) > indent):
                stop += 1
            return lines[:n] + lines[stop:]
    return lines

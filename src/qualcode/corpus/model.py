"""The corpus as values: interviews, their speaker turns and their metadata.

Offsets (`start`, `end`) of a turn are character (code point) offsets into its
interview's normalised `text` (NFC, `\\n` line ends), end exclusive, so that
`interview.text[turn.start:turn.end] == turn.text` always holds. Exports write
that same text as the plain-text source.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from qualcode.base.text import count_words

Role = Literal["interviewer", "respondent"]
INTERVIEWER: Role = "interviewer"
RESPONDENT: Role = "respondent"

#: attributes with a meaning (docs/corpus.md, "Attributes")
KNOWN_ATTRIBUTES = ("id", "area", "region", "provider", "role", "language", "date", "interviewers", "read_as")
#: the language of an interview that is in neither French nor English (docs/corpus.md, "Language")
UNKNOWN_LANGUAGE = "unknown"


@dataclass(frozen=True, slots=True)
class Turn:
    """One speaker turn: the label's speaker, its role and its text span."""

    n: int
    speaker: str
    role: Role
    start: int
    end: int
    text: str
    timestamp: str | None = None

    @property
    def words(self) -> int:
        return count_words(self.text)

    @property
    def is_respondent(self) -> bool:
        return self.role == RESPONDENT


@dataclass(slots=True)
class Interview:
    """One transcript file, read, decoded, split into turns, with its metadata."""

    id: str
    file: str
    format: str
    text: str
    turns: list[Turn]
    metadata: dict[str, Any]
    language: str
    warnings: list[str] = field(default_factory=list)
    path: Path | None = None
    sha256: str = ""
    #: where the text after the front matter starts (0 without one): exports leave the block out
    body_start: int = 0
    #: True when `language` was detected rather than given (exports do not write it)
    language_detected: bool = False

    @property
    def body(self) -> str:
        """The text without its front matter: what a source holds in another program."""
        return self.text[self.body_start:]

    def get(self, attribute: str, default: Any = None) -> Any:
        value = self.metadata.get(attribute, default)
        return default if value is None or value == "" else value

    @property
    def area(self) -> str | None:
        return self.get("area")

    @property
    def region(self) -> str | None:
        return self.get("region")

    @property
    def provider(self) -> str | None:
        return self.get("provider")

    @property
    def respondent_turns(self) -> list[Turn]:
        return [t for t in self.turns if t.is_respondent]

    @property
    def respondent_words(self) -> int:
        return sum(t.words for t in self.respondent_turns)

    def segment_id(self, turn: int) -> str:
        return f"{self.id}#t{turn}"


@dataclass(frozen=True, slots=True)
class SkippedFile:
    """A file under the corpus root that qualcode did not read, and why."""

    file: str
    reason: str


@dataclass(slots=True)
class Corpus:
    """Interviews sorted by id, with the files that were skipped."""

    root: Path
    interviews: list[Interview]
    skipped: list[SkippedFile] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: rows of a master metadata table for files not in this run (`table:line: file`), ignored
    ignored_rows: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[Interview]:
        return iter(self.interviews)

    def __len__(self) -> int:
        return len(self.interviews)

    def __getitem__(self, interview_id: str) -> Interview:
        for interview in self.interviews:
            if interview.id == interview_id:
                return interview
        raise KeyError(interview_id)

    @property
    def languages(self) -> list[str]:
        return sorted({i.language for i in self.interviews})

    def attribute_values(self, attribute: str) -> list[str]:
        return sorted({str(v) for i in self.interviews if (v := i.get(attribute)) is not None})

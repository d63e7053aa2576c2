"""Where the personal data of an interview sits: front matter, body, speaker labels, metadata.

An interview's text is its front matter (a `.md`/`.txt` file's YAML block,
which stays in `Interview.text`), then its body. A speaker label line
(`Mme Garnier : ...`) holds a label region, up to where the turn's text
starts; a name there is written in label form (`Mme PERSON 1`) so that the
line still reads as a label. Metadata values are kept (`KEPT_ATTRIBUTES`),
pseudonymised as labels (`interviewers`), or pseudonymised as text (every
other attribute: free text such as `role` or `notes`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from qualcode.corpus.frontmatter import FrontMatter, split_front_matter
from qualcode.corpus.labels import label_key, match_label
from qualcode.corpus.metadata import canonical_name
from qualcode.corpus.model import Interview

#: attributes copied as they are: identifiers and the case structure of the study
KEPT_ATTRIBUTES = ("id", "area", "region", "provider", "language", "date")
#: the attribute whose values are speaker labels
LABEL_ATTRIBUTE = "interviewers"
_TEXT_FORMATS = ("md", "txt")


@dataclass(slots=True)
class MetaValue:
    """A metadata value to pseudonymise: where it comes from and how it is written."""

    attribute: str
    value: str | list[str]
    in_front: bool
    is_label: bool

    @property
    def strings(self) -> list[str]:
        return self.value if isinstance(self.value, list) else [self.value]


@dataclass(slots=True)
class Layout:
    """The parts of one interview that anonymisation reads and rewrites."""

    interview: Interview
    front: FrontMatter | None
    body_start: int
    #: (start, end) of each speaker label region, absolute offsets, in order
    labels: list[tuple[int, int]] = field(default_factory=list)
    #: the labels as read (bold markers, timestamp and colon off), in order
    label_texts: list[str] = field(default_factory=list)
    speaker_keys: frozenset[str] = frozenset()
    #: canonical attribute name -> key as written in the front matter
    front_keys: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.interview.text

    @property
    def bounds(self) -> list[int]:
        """Where turns start and end: no name is matched across them."""
        return sorted({p for t in self.interview.turns for p in (t.start, t.end)})

    def meta_values(self) -> list[MetaValue]:
        """Values to pseudonymise: front matter ones in their line order, then the others sorted."""
        metadata = self.interview.metadata
        lines = self.front.lines if self.front else {}
        in_front = sorted(self.front_keys, key=lambda name: (lines.get(self.front_keys[name], 0), name))
        others = sorted(name for name in metadata if name not in self.front_keys)
        found = []
        for name in [*in_front, *others]:
            value = metadata.get(name)
            if name in KEPT_ATTRIBUTES or not _is_text(value):
                continue
            assert isinstance(value, (str, list))  # `_is_text` said so
            found.append(MetaValue(name, value, name in self.front_keys, name == LABEL_ATTRIBUTE))
        return found


def _is_text(value: Any) -> bool:
    if isinstance(value, list):
        return bool(value) and all(isinstance(v, str) for v in value)
    return isinstance(value, str) and bool(value)


def layout(interview: Interview) -> Layout:
    """Split an interview into front matter, body and label regions."""
    front = None
    body_start = 0
    if interview.format in _TEXT_FORMATS:
        front = split_front_matter(interview.text, interview.file)
        body_start = front.body_start
        if not front.values and body_start == 0:
            front = None
    keys = frozenset(label_key(t.speaker) for t in interview.turns if t.speaker)
    found = Layout(interview, front, body_start, speaker_keys=keys)
    if front is not None:
        found.front_keys = {canonical_name(k): k for k in front.values}
    if keys:
        text = interview.text
        pos = body_start
        while pos <= len(text):
            nl = text.find("\n", pos)
            end = len(text) if nl < 0 else nl
            candidate = match_label(text, pos, end)
            if candidate is not None and candidate.key in keys:
                found.labels.append((pos, candidate.content))
                found.label_texts.append(candidate.label)
            if nl < 0:
                break
            pos = nl + 1
    return found

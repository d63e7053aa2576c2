"""The corpus as plain records: what `qualcode corpus --json` prints (docs/corpus.md).

Kept in the library, not the CLI, so that a script gets the same objects as
the command, with exactly the keys of `CORPUS_JSON_KEYS`.
"""

from __future__ import annotations

from typing import Any

from qualcode.corpus.model import Corpus, Interview, Turn

#: the keys of `qualcode corpus --json`: add at the end if you must, never rename
CORPUS_JSON_KEYS = (
    "id", "file", "format", "area", "region", "provider", "language",
    "metadata", "turns", "respondent_words", "warnings",
)
TURN_JSON_KEYS = ("n", "speaker", "role", "start", "end", "text")


def turn_record(turn: Turn) -> dict[str, Any]:
    """One turn with the keys of `TURN_JSON_KEYS`."""
    values = {"n": turn.n, "speaker": turn.speaker, "role": turn.role,
              "start": turn.start, "end": turn.end, "text": turn.text}
    return {key: values[key] for key in TURN_JSON_KEYS}


def interview_record(interview: Interview, *, turns: bool = False) -> dict[str, Any]:
    """One interview with the keys of `CORPUS_JSON_KEYS`; `turns` as a count or as records."""
    values = {
        "id": interview.id,
        "file": interview.file,
        "format": interview.format,
        "area": interview.area,
        "region": interview.region,
        "provider": interview.provider,
        "language": interview.language,
        "metadata": dict(interview.metadata),
        "turns": [turn_record(t) for t in interview.turns] if turns else len(interview.turns),
        "respondent_words": interview.respondent_words,
        "warnings": list(interview.warnings),
    }
    return {key: values[key] for key in CORPUS_JSON_KEYS}


def corpus_records(corpus: Corpus, *, turns: bool = False) -> list[dict[str, Any]]:
    """Every interview of the corpus as a record, in the corpus' order (by id)."""
    return [interview_record(i, turns=turns) for i in corpus]

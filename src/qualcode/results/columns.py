"""Column names and JSON keys fixed by DESIGN.md ("Outputs").

Scripts and other tools read these: add at the end if you must, never rename.
"""

CORPUS_JSON_KEYS = (
    "id", "file", "format", "area", "region", "provider", "language",
    "metadata", "turns", "respondent_words", "warnings",
)
TURN_JSON_KEYS = ("n", "speaker", "role", "start", "end", "text")

SEGMENTS = (
    "segment_id", "interview_id", "case", "turn", "unit", "speaker", "role",
    "start", "end", "words", "text",
)
#: the DESIGN.md columns first; `status` (present, negated, historical) and
#: `counts_for` (the code this row counts for, empty when it counts for none)
#: are appended.
CODINGS = (
    "segment_id", "code", "kind", "negated", "start", "end", "matched_text",
    "pattern_id", "matches", "negation_cue", "status", "counts_for",
)
#: every match, not only the first per code and segment (evidence.csv)
EVIDENCE = (
    "segment_id", "code", "kind", "status", "start", "end", "matched_text",
    "pattern_id", "negation_cue", "counts_for",
)
CASE_MATRIX = ("case", "code", "segments", "interviews", "interview_share", "word_share")
CLASSIFICATION_HEAD = ("case", "interviews", "verdict", "runner_up")
CLASSIFICATION_TAIL = ("margin", "stability")

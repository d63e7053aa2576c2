"""Write the anonymised copy of a corpus, check it reads back alike, and write the map apart.

Formats (`formats.py`): `.md` and `.txt` keep their front matter and layout,
only the names change; `.vtt` and `.srt` are rewritten cue by cue with the
same times and speakers; `.docx` and `.odt` become `.md` holding exactly the
text qualcode reads (a word-processor file also carries comments, tracked
changes, headers and its author's name, which a copy would share). Metadata
that does not live in a file's front matter goes to one `metadata.csv` at
the root of the copy.

The copy is staged beside its place (`base.atomic.staged_folder`) and read
back from there with `read_corpus`: the same interviews, turns, turn
numbers, roles and kept metadata, each turn's text the pseudonymised
original, or nothing is written (E710). Then the map (`mapfile.py`, mode
600) is written and the copy swapped in, signals held between the two: the
map is never older than the copy it belongs to. The copy's `.qualcode.json`
and the map record the same binding.
"""

from __future__ import annotations

import json
import os
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
from qualcode.anonymise.mapfile import Binding, MapRow, bind, files_digest, map_csv, map_rows
from qualcode.anonymise.matching import PSEUDONYM, text_form
from qualcode.base.guard import Input
from qualcode.base.paths import is_within
from qualcode.corpus.labels import label_key
from qualcode.corpus.model import Corpus, Interview
from qualcode.errors import AnonymiseError, Errors

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
    binding: Binding | None = None

    @property
    def replacements(self) -> int:
        return sum(r.occurrences for r in self.rows)


# --- paths ---------------------------------------------------------------------------

def check_paths(corpus_root: Path, out: Path | None, map_path: Path | None, force: bool, *,
                inside_ok: bool = False, inputs: Iterable[Input] = ()) -> list[str]:
    """Refuse what would leak or destroy data, before any slow work: the output guard of the copy and the map.

    Args:
        corpus_root: the corpus folder.
        inside_ok: the corpus was given as files, not as a folder: the copy may be
            written in a folder below theirs (it will not be read with them);
            `inputs` then names the files.
        inputs: the other files the run reads (name lists, a metadata table).

    Returns:
        The warnings of the sweep (a staged map left by a killed run was removed).

    Raises:
        OutputError: --out or --map is a link (E442); --out is, holds or is inside
            the corpus or another input (E433); --map is inside --out (E701), inside
            the corpus or is an input (E716); --out is not a copy qualcode wrote (E439).
        ResultsError: --out or --map exists without --force (E402, E437).
    """
    from qualcode.base.guard import COPY, MAP, guard_output

    given = [*inputs] + ([] if inside_ok else [("corpus", corpus_root)])
    notes: list[str] = []
    if out is not None and map_path is not None and is_within(map_path, out):
        raise AnonymiseError(Errors.E701.format(map=map_path, out=out))
    if out is not None:
        notes += guard_output(out, COPY, force=force, inputs=given)
    if map_path is not None:
        if Path(map_path).is_file() and not Path(map_path).is_symlink() and not force:
            raise AnonymiseError(Errors.E702, path=map_path)
        notes += guard_output(map_path, MAP, force=force, inputs=[*given, ("corpus", corpus_root)])
    return notes


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

def verify(corpus: Corpus, anonymiser: Anonymiser, folder: Path | str) -> None:
    """Read the copy back from `folder`: same ids, turns, turn numbers, roles, kept metadata and texts (E710)."""
    from qualcode.corpus import read_corpus

    again = {i.id: i for i in read_corpus(folder)}
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

def marker(binding: Binding) -> str:
    """The copy's `.qualcode.json`: who wrote it, and its binding to the map."""
    return json.dumps({"written_by": "qualcode anonymise", "copy_id": binding.id,
                       "copy_sha256": binding.copy_sha256}, indent=2) + "\n"


def anonymise_corpus(corpus: Corpus, out: str | os.PathLike[str], *, anonymiser: Anonymiser | None = None,
                     keep: Iterable[str] = (), replace: Iterable[Any] = (),
                     map_path: str | os.PathLike[str] | None = None, force: bool = False,
                     inside_ok: bool = False, inputs: Iterable[Input] = (),
                     on_progress: Callable[[int, int], None] | None = None) -> AnonymiseResult:
    """Write a pseudonymised copy of `corpus` to `out`, and the map to `map_path` (never inside `out`).

    The copy is staged beside `out` and read back from there; then the map is
    written (mode 600 when new) and the copy swapped in, together: an
    interruption leaves both as they were, or both new. Both record the same
    binding (`mapfile.bind`), so that `--restore` refuses another run's map.

    Args:
        corpus: the corpus to copy.
        out: the folder of the copy, written atomically.
        anonymiser: the mapping to use; built from `corpus`, `keep` and `replace` if not given.
        keep, replace: see `Anonymiser.from_corpus`.
        map_path: where to write the map (CSV); without it the copy cannot be traced back.
        force: replace an existing `out` and `map_path` (qualcode's own only).
        inside_ok, inputs: see `check_paths` (the corpus was given as files; the other inputs).

    Raises:
        AnonymiseError, OutputError, ResultsError: see `check_paths`; E710 when the copy
            would not read back like the original (then nothing is written).
    """
    from qualcode.base.atomic import staged_folder, write_file
    from qualcode.base.guard import MARKER

    out = Path(out)
    target_map = Path(map_path) if map_path is not None else None
    if inside_ok:  # the corpus was given as files: each of them is an input
        inputs = [*inputs, *(("transcript", i.path) for i in corpus if i.path is not None)]
    notes = check_paths(corpus.root, out, target_map, force, inside_ok=inside_ok, inputs=inputs)
    if anonymiser is None:
        anonymiser = Anonymiser.from_corpus(corpus, keep=keep, replace=replace, on_progress=on_progress)
    outputs = build_outputs(corpus, anonymiser)
    rows = map_rows(outputs.records)
    binding = bind(rows, files_digest(outputs.files))
    with staged_folder(out, force=force) as stage:
        for name in sorted(outputs.files):
            stage.write(name, outputs.files[name])
        verify(corpus, anonymiser, stage.path)
        stage.write(MARKER, marker(binding))
        if target_map is not None:
            content, new = map_csv(rows, binding), not target_map.exists()
            stage.before_commit = lambda: write_file(target_map, content, force=True, parents=True,
                                                     mode=0o600 if new else None)
            stage.written = f"{out} and its map {target_map} were written in full"
    return AnonymiseResult(out, target_map, sorted(outputs.files), anonymiser.names, rows,
                           [*notes, *anonymiser.warnings], binding)

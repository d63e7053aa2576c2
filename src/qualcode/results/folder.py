"""A results folder read back: its manifest, its tables, its codebook and its corpus, checked once.

Every command that starts from a results folder (`classify`, `segments`,
`report`, the exports) opens it here: `ResultsFolder.open` reads the
manifest, `frame` each table on demand, `codebook` resolves the codebook
that coded it, and `read_corpus` reads the coded corpus again and says which
files changed or went missing since (offsets, quotes and metadata depend on
them; each command decides what that means for it). `check_output_folder`
is the output guard for a results folder (`qualcode.base.guard`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from qualcode.base.guard import RESULTS, Input, guard_output
from qualcode.defaults import CASE_ATTRIBUTE
from qualcode.errors import CodingError, Errors
from qualcode.results.layout import SEGMENTS_CSV
from qualcode.results.manifest import Manifest, read_manifest

if TYPE_CHECKING:
    import pandas as pd

    from qualcode.codebook.model import Codebook
    from qualcode.corpus.model import Corpus


@dataclass(frozen=True)
class CorpusCheck:
    """The corpus read again, and the coded files that changed or are missing since coding."""

    corpus: Corpus
    path: Path
    changed: tuple[str, ...]
    missing: tuple[str, ...]


@dataclass
class ResultsFolder:
    """A results folder written by `code`, `classify` or `analyze`; each file is read when first needed."""

    path: Path
    _manifest: Manifest | None = field(default=None, repr=False)
    _frames: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    @classmethod
    def open(cls, path: Path | str) -> ResultsFolder:
        """Open a results folder (E305 when it is not a folder)."""
        path = Path(path)
        if not path.is_dir():
            raise CodingError(Errors.E305.format(name=SEGMENTS_CSV), path=path)
        return cls(path)

    @property
    def manifest(self) -> Manifest:
        """manifest.json (E305 when there is none, E306 when it is unreadable)."""
        if self._manifest is None:
            self._manifest = read_manifest(self.path)
        return self._manifest

    def frame(self, name: str) -> pd.DataFrame:
        """One table of the folder, with the types qualcode wrote (E305/E306), read once."""
        if name not in self._frames:
            from qualcode.results.frames import read_frame

            self._frames[name] = read_frame(self.path, name)
        return self._frames[name]

    def require_columns(self, name: str, needed: Sequence[str]) -> pd.DataFrame:
        """A table that must have these columns (E306 naming the missing ones)."""
        frame = self.frame(name)
        lacking = [c for c in needed if c not in frame.columns]
        if lacking:
            raise CodingError(Errors.E306.format(name=name, reason="no column " + ", ".join(lacking)),
                              path=self.path / name)
        return frame

    @property
    def options(self) -> dict[str, object]:
        return dict(self.manifest.get("options") or {})

    @property
    def by(self) -> str:
        """The case attribute the segments were grouped by when coding."""
        return str(self.options.get("by") or CASE_ATTRIBUTE)

    @property
    def created(self) -> str:
        return str(self.manifest.get("created") or "")

    def codebook(self, path: Path | str | None = None, *, changed: str = Errors.W410
                 ) -> tuple[Codebook, list[str]]:
        """The codebook given, else the one recorded in the manifest, else the bundled one.

        Warns (the returned notes) when the recorded file is gone, or when the
        codebook is not the one recorded (by SHA-256): `changed` is the message
        for that, which says what it means for the command at hand.
        """
        from qualcode.codebook.load import load_codebook

        notes: list[str] = []
        recorded = dict(self.manifest.get("codebook") or {})
        if path is not None:
            book = load_codebook(path)
        else:
            where = str(recorded.get("path") or "")
            if where and Path(where).is_file():
                book = load_codebook(where)
            else:
                if where:
                    notes.append(Errors.W411.format(path=where, fallback="the bundled codebook"))
                book = load_codebook(None)
        then = str(recorded.get("sha256") or "")
        if then and book.sha256 and then != book.sha256:
            notes.append(changed.format(now=book.sha256[:12], then=then[:12]))
        return book, notes

    @property
    def corpus_path(self) -> str:
        """The corpus path recorded when coding, as the user typed it ("" when none)."""
        return str(dict(self.manifest.get("corpus") or {}).get("path") or "")

    @property
    def corpus_files(self) -> dict[str, str]:
        """Coded file -> its SHA-256 when coded."""
        recorded = self.manifest.get("corpus")
        files = recorded.get("files") if isinstance(recorded, dict) else None
        return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}

    def read_corpus(self, path: Path | str, metadata: Path | str | None = None, *,
                    required: Sequence[str] = ()) -> CorpusCheck:
        """Read the coded corpus again from `path` and compare it with what was coded."""
        from qualcode.corpus import read_corpus

        read_as = self.options.get("read_as")  # as the corpus was read when coded
        corpus = read_corpus(Path(path), metadata, required=tuple(required),
                             read_as=str(read_as) if read_as else None)
        files = self.corpus_files
        found = {i.file: i.sha256 for i in corpus}
        changed = tuple(sorted(f for f, digest in files.items()
                               if f in found and digest and found[f] != digest))
        missing = tuple(sorted(f for f in files if f not in found))
        return CorpusCheck(corpus, Path(path), changed, missing)


def results_inputs(folder: Path | str, *, corpus: Path | str | None = None, metadata: Path | str | None = None,
                   codebook: Path | str | None = None, **more: Path | str | None) -> list[Input]:
    """What a command that reads a results folder reads: the folder, and the corpus and codebook
    given or recorded in its manifest; `more` are other inputs (`name_list=...`), for the output guard."""
    results = ResultsFolder.open(folder)  # not a results folder: E305, before anything else
    recorded_corpus = results.corpus_path or None
    recorded_codebook = str(dict(results.manifest.get("codebook") or {}).get("path") or "") or None
    found: list[Input] = [("results folder", folder),
                          ("corpus", corpus if corpus is not None else recorded_corpus),
                          ("metadata table", metadata),
                          ("codebook", codebook if codebook is not None else recorded_codebook)]
    return found + [(name.replace("_", " "), path) for name, path in more.items()]


def check_output_folder(out: Path | str, *, force: bool, corpus: Path | str | None = None,
                        inputs: Iterable[Input] = ()) -> list[str]:
    """Fail before the long work, not after it: the output guard for a results folder.

    Refused: a link, a file in the way, an existing folder without --force, a
    folder that --force would replace but that qualcode did not write
    (someone's documents), and an --out that is, holds or lies in the corpus
    or another input (replacing it would delete the transcripts; inside it,
    the next run would read the reports as transcripts). Returns the warnings
    of the sweep (`qualcode.base.guard.guard_output`).
    """
    return guard_output(out, RESULTS, force=force, inputs=[("corpus", corpus), *inputs])

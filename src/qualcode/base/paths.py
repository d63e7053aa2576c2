"""Where one path lies with respect to another, symbolic links followed.

The one place that answers "is this inside that?": the corpus reader asks it
to keep links from pulling in files outside the corpus, the writers to refuse
an output that would replace or sit in the transcripts. And "did qualcode
write this folder?" (`folder_is_ours`), which the output guard and the
folder writer ask before `--force` replaces it.
"""

from __future__ import annotations

import os
from pathlib import Path


def resolved(path: Path | str) -> Path:
    """`path` with links and `..` resolved, as far as it exists (a path to create is fine)."""
    return Path(os.path.realpath(path))


def is_within(path: Path | str, folder: Path | str, *, strict: bool = False) -> bool:
    """Whether `path` is `folder` or lies below it, both resolved.

    `strict`: `path` must exist; a broken link or a link loop is then outside.
    """
    try:
        target = Path(path).resolve(strict=strict)
    except (OSError, RuntimeError):  # broken, or a link loop
        return False
    base = resolved(folder)
    return target == base or base in target.parents


#: the file that marks a folder qualcode wrote that is not a results folder (a copy, an import)
MARKER = ".qualcode.json"
#: the file that marks a results folder (`qualcode.results.layout.MANIFEST_JSON`)
MANIFEST = "manifest.json"


def folder_is_ours(path: Path) -> bool:
    """Whether `--force` may replace this folder: empty, a results folder (manifest.json), or one
    qualcode marked (.qualcode.json: an anonymised copy, a restored copy, an imported corpus)."""
    try:
        if not any(path.iterdir()):
            return True
    except OSError:
        return False
    return (path / MANIFEST).is_file() or (path / MARKER).is_file()


def relation(out: Path | str, corpus: Path | str) -> str:
    """How an output path stands to a corpus: "is", "contains", "is inside", or "" (apart).

    "is inside" only counts for a corpus folder: an output beside a single
    transcript file is fine.
    """
    out_path, corpus_path = resolved(out), resolved(corpus)
    if out_path == corpus_path:
        return "is"
    if out_path in corpus_path.parents:
        return "contains"
    if corpus_path in out_path.parents and Path(corpus).is_dir():
        return "is inside"
    return ""

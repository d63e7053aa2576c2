"""The files of a coding run: segments, codings, evidence and the manifest."""

from __future__ import annotations

from typing import Any, Mapping

from qualcode.coding.engine import Codings
from qualcode.corpus.model import Corpus
from qualcode.results.folder import (CODINGS_CSV, EVIDENCE_CSV, MANIFEST_JSON, SEGMENTS_CSV,
                              frame_to_csv, run_time, to_json, versions)


def build_manifest(corpus: Corpus, codebook: Any, codings: Codings, options: Mapping[str, Any],
                   *, corpus_arg: str = "", outputs: Mapping[str, str] | None = None) -> dict[str, Any]:
    """What a reader needs to reproduce the run: versions, input hashes, options, time."""
    import hashlib

    from qualcode.codebook import codebook_reference

    digests = {}
    for name, content in sorted((outputs or {}).items()):
        data = content.encode("utf-8") if isinstance(content, str) else content
        digests[name] = hashlib.sha256(data).hexdigest()
    return {
        "created": run_time(),
        "versions": versions(codings.pipelines),
        "codebook": {
            "name": codings.codebook_name,
            "version": codings.codebook_version,
            "sha256": codings.codebook_sha256,
            **codebook_reference(codebook),
        },
        "corpus": {
            "path": corpus_arg,
            "interviews": len(corpus),
            "files": {i.file: i.sha256 for i in sorted(corpus, key=lambda i: i.file)},
        },
        "options": dict(sorted(options.items())),
        "outputs": digests,
    }


def coding_files(corpus: Corpus, codebook: Any, codings: Codings, options: Mapping[str, Any],
                 *, corpus_arg: str = "") -> dict[str, str]:
    """The four files of `qualcode code --out`, as text."""
    files = {
        SEGMENTS_CSV: frame_to_csv(codings.segments),
        CODINGS_CSV: frame_to_csv(codings.codings),
        EVIDENCE_CSV: frame_to_csv(codings.evidence),
    }
    files[MANIFEST_JSON] = to_json(build_manifest(corpus, codebook, codings, options,
                                                  corpus_arg=corpus_arg, outputs=files))
    return files

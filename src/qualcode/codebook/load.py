"""Load a codebook file: read with a bound, parsed once, then remembered.

`load_codebook` reads the file's bytes. A codebook with these exact bytes
that validated before (under the same qualcode, pydantic and PyYAML
versions) is reloaded from its memo in the user cache folder, which needs
neither PyYAML nor the parser; any other is parsed by
`qualcode.codebook.parse` (every problem with its line) and remembered if
it is valid. This module imports only the models, so that `qualcode codebook
validate` on an unchanged codebook starts quickly.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path
from typing import Any

from qualcode.base.limits import FileTooLarge, NotRegularFile, read_limited
from qualcode.codebook.model import MAX_CODEBOOK_BYTES, Codebook
from qualcode.errors import CodebookError, Errors

BUNDLED_CODEBOOK = "cep_cooperation.yaml"


def bundled_codebook_path() -> Path:
    """The codebook installed with the package (`qualcode/codebooks/cep_cooperation.yaml`)."""
    return Path(str(resources.files("qualcode") / "codebooks" / BUNDLED_CODEBOOK))


def codebook_reference(codebook: Codebook) -> dict[str, Any]:
    """How a results folder names its codebook: the path as given, or `bundled`.

    The bundled codebook's installed path differs from machine to machine; it is
    recorded as `path: ""`, `bundled: true` so that manifests stay byte-identical.
    """
    path = codebook.source_path or ""
    bundled = False
    if path:
        try:
            bundled = Path(path).resolve() == bundled_codebook_path().resolve()
        except OSError:
            bundled = False
    return {"path": "" if bundled else path, "bundled": bundled}


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Read, validate and normalise a codebook file (the bundled one if `path` is None).

    Raises:
        CodebookError: the file cannot be read, or has problems; `problems`
            lists every one as `file:line: where: [E2xx] message`.
    """
    if path is None:
        path = bundled_codebook_path()
        if not path.is_file():
            raise CodebookError(Errors.E233, path=path)
    path = Path(path)
    try:
        data = read_limited(path, MAX_CODEBOOK_BYTES)
    except NotRegularFile as exc:
        reason = "a folder, not a file" if exc.kind == "a folder" else f"{exc.kind}, not a file"
        raise CodebookError(Errors.E203.format(reason=reason), path=path) from None
    except FileTooLarge as exc:
        raise CodebookError(Errors.E202.format(size=exc.size, limit=MAX_CODEBOOK_BYTES), path=path) from None
    except FileNotFoundError:
        raise CodebookError(Errors.E203.format(reason="no such file"), path=path) from None
    except OSError as exc:
        raise CodebookError(Errors.E203.format(reason=exc.strerror or exc), path=path) from None
    remembered = _remembered(data, path)
    if remembered is not None:
        return remembered
    from qualcode.codebook.parse import parse_codebook  # PyYAML and the checks: only for a new codebook

    codebook = parse_codebook(data, source=path)
    _remember(data, codebook)
    return codebook


def _memo_path(data: bytes) -> Path:
    """Where a codebook that validated is remembered: its bytes and the validating versions."""
    import importlib.metadata as md

    from pydantic.version import VERSION as PYDANTIC_VERSION

    from qualcode import __version__
    from qualcode.base.userdirs import default_cache_dir

    # PyYAML's version from its metadata: importing it would cost more than reading the memo
    versions = f"{__version__}|{PYDANTIC_VERSION}|{md.version('pyyaml')}"
    key = hashlib.sha256(versions.encode() + b"\0" + data).hexdigest()
    return default_cache_dir() / "codebooks" / f"{key}.json"


def _remembered(data: bytes, path: Path) -> Codebook | None:
    """A codebook with these exact bytes validated before: reload it in milliseconds.

    Parsing YAML in pure Python takes over a second for the bundled codebook;
    the same bytes under the same versions validate the same way, so the
    normalised model is kept as JSON (never pickle) and re-validated by
    pydantic, without folding its token patterns again (they were folded when
    it was first parsed). Only codebooks that passed are remembered; a missing
    or damaged entry only costs the full parse.
    """
    try:
        text = _memo_path(data).read_text(encoding="utf-8")
        codebook = Codebook.model_validate_json(text, context={"folded": True})
    except Exception:  # absent, unreadable or stale: parse
        return None
    old = f"{codebook.source_path}:"
    warnings = [f"{path}:{w[len(old):]}" if w.startswith(old) else w for w in codebook.warnings]
    return codebook.model_copy(update={"source_path": str(path), "warnings": warnings})


def _remember(data: bytes, codebook: Codebook) -> None:
    from qualcode.base.atomic import write_file_atomic

    target = _memo_path(data)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_file_atomic(target, codebook.model_dump_json(exclude_defaults=True))  # defaults left out: a third smaller
    except OSError:
        pass

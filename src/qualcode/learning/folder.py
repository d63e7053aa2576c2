"""The model folder: plain, safe files that say what they hold and refuse to be edited.

    manifest.json     what was learnt from what: codebook (name, version, SHA-256),
                      the human files' SHA-256, learner and feature settings, the
                      grouped cross-validation figures per code, and every other
                      file's SHA-256
    vocabulary.json   the feature names, in column order
    weights.npz       idf weights, one row of coefficients per learnt code, intercepts
                      (NumPy arrays, read with allow_pickle=False)
    human.json        the human's decisions and the segments read, so that coding
                      with the model keeps them

Nothing is pickled. The NPZ is written with a fixed time stamp, so that the
same training gives the same bytes. Loading checks every digest (a folder
changed by hand is refused, E353) and the codebook (another codebook or
version is refused, E354, unless forced).
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from qualcode.codebook.model import Codebook
from qualcode.errors import Errors, LearningError
from qualcode.learning.features import FeatureSettings, Vectoriser
from qualcode.learning.learners import LearnerSettings, Platt
from qualcode.learning.model import CodeModel, Figures, TrainedModel
from qualcode.version import __version__

MANIFEST, VOCABULARY, WEIGHTS, HUMAN = "manifest.json", "vocabulary.json", "weights.npz", "human.json"
FORMAT = "qualcode-model/1"
_EPOCH = (1980, 1, 1, 0, 0, 0)


def _sha256(data: str | bytes) -> str:
    import hashlib

    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def _json(data: Any) -> str:
    from qualcode.results.frames import json_ready

    return json.dumps(json_ready(data), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """An NPZ archive with a fixed time stamp: the same arrays give the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            member = io.BytesIO()
            np.lib.format.write_array(member, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, member.getvalue())
    return buffer.getvalue()


def _figures(value: Any) -> Figures | None:
    if not isinstance(value, dict):
        return None
    return Figures(precision=value.get("precision"), recall=value.get("recall"), f1=value.get("f1"),
                   human=int(value.get("human", 0)), coded=int(value.get("coded", 0)),
                   agreed=int(value.get("agreed", 0)))


def manifest_data(model: TrainedModel) -> dict[str, Any]:
    """The manifest without its `files` and `digest`."""
    codes = {}
    for c in model.codes:
        codes[c.code] = {"kind": c.kind, "learnt": c.learnt, "positives": c.positives, "negatives": c.negatives,
                         "threshold": c.threshold if c.learnt else None,
                         "platt": [c.platt.a, c.platt.b] if c.learnt else None,
                         "cv": c.cv, "cv_rules": c.cv_rules, "note": c.note}
    return {"format": FORMAT, "qualcode": __version__, "codebook": model.codebook, "human": model.human,
            "learner": model.learner.to_dict(), "features": model.features.to_dict(),
            "vector_size": model.vectoriser.vector_size, "unit": model.unit,
            "training": {"segments": model.segments, "interviews": model.interviews, "examples": model.examples,
                         "folds": model.folds, "grouped_by": "interview"},
            "cv": model.cv, "codes": codes,
            # JSON objects are written with sorted keys: the order of the rows of weights.npz
            "order": [c.code for c in model.codes]}


def model_files(model: TrainedModel) -> dict[str, str | bytes]:
    """The folder's files, as text and bytes, manifest.json last (it holds the others' digests)."""
    learnt = model.learnt
    size = len(model.vectoriser.names)
    coef = np.vstack([c.coef for c in learnt if c.coef is not None]) if learnt else np.zeros((0, size))
    files: dict[str, str | bytes] = {
        VOCABULARY: _json({"features": model.vectoriser.vocabulary}),
        WEIGHTS: npz_bytes({"idf": model.vectoriser.idf, "coef": coef,
                            "intercept": np.array([c.intercept for c in learnt], dtype=np.float64)}),
        HUMAN: _json({"decisions": [list(p) for p in model.human_pairs],
                      "read": {k: sorted(v) for k, v in model.human_scope.items()}}),
    }
    data = manifest_data(model)
    data["files"] = {name: _sha256(content) for name, content in sorted(files.items())}
    data["digest"] = _sha256(_json(data))
    files[MANIFEST] = _json(data)
    return files


def _read(folder: Path, name: str) -> bytes:
    path = folder / name
    if not path.is_file():
        raise LearningError(Errors.E353.format(detail=f"{name} is missing"), path=folder)
    return path.read_bytes()


def read_manifest(folder: Path | str) -> dict[str, Any]:
    """manifest.json of a model folder, checked against its own digest.

    Raises:
        LearningError: not a model folder (E351), unreadable (E352), edited (E353).
    """
    folder = Path(folder)
    if not (folder / MANIFEST).is_file():
        raise LearningError(Errors.E351.format(name=MANIFEST), path=folder)
    try:
        data = json.loads((folder / MANIFEST).read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LearningError(Errors.E352.format(reason=exc), path=folder / MANIFEST) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise LearningError(Errors.E352.format(reason=f"format {found!r}, expected {FORMAT!r}"),
                            path=folder / MANIFEST)
    claimed = data.pop("digest", None)
    if claimed != _sha256(_json(data)):
        raise LearningError(Errors.E353.format(detail="manifest.json does not match its digest"), path=folder)
    return data


def codebook_label(record: dict[str, Any]) -> str:
    return f"{record.get('name')} {record.get('version')} (sha256 {str(record.get('sha256', ''))[:12]}…)"


def load_model(folder: Path | str, codebook: Codebook, *, force: bool = False,
               warnings: list[str] | None = None) -> TrainedModel:
    """Read a model folder made by `qualcode learn`, for this codebook.

    Raises:
        LearningError: E351, E352, E353 (a file missing or changed), E354 (another
            codebook or version; a warning instead with `force`).
    """
    folder = Path(folder)
    data = read_manifest(folder)
    files = data.get("files") or {}
    contents = {}
    for name in (VOCABULARY, WEIGHTS, HUMAN):
        content = _read(folder, name)
        if files.get(name) != _sha256(content):
            raise LearningError(Errors.E353.format(detail=f"{name} does not match its SHA-256 in {MANIFEST}"),
                                path=folder)
        contents[name] = content
    then, now = data.get("codebook") or {}, {"name": codebook.name, "version": str(codebook.version),
                                               "sha256": codebook.sha256}
    if then.get("sha256") != now["sha256"]:
        message = {"then": codebook_label(then), "now": codebook_label(now)}
        if not force:
            raise LearningError(Errors.E354.format(**message), path=folder)
        if warnings is not None:
            warnings.append(Errors.W351.format(**message))
    try:
        vocabulary = json.loads(contents[VOCABULARY])["features"]
        human = json.loads(contents[HUMAN])
        with np.load(io.BytesIO(contents[WEIGHTS]), allow_pickle=False) as arrays:
            idf, coef, intercept = arrays["idf"], arrays["coef"], arrays["intercept"]
        features = FeatureSettings(**data["features"])
        learner = LearnerSettings(**data["learner"])
        vector_size = int(data.get("vector_size", 0))
        vectoriser = Vectoriser(list(vocabulary), np.asarray(idf, dtype=np.float64), features, vector_size)
        known = set(codebook.theme_ids) | set(codebook.actor_ids)
        codes: list[CodeModel] = []
        row = 0
        for code in data["order"]:
            info = data["codes"][code]
            weights = None
            if info["learnt"]:
                weights, bias = np.asarray(coef[row], dtype=np.float64), float(intercept[row])
                row += 1
            if code not in known:
                continue
            if weights is None:
                codes.append(CodeModel(code, info["kind"], None, positives=info["positives"],
                                       negatives=info["negatives"], cv=_figures(info["cv"]),
                                       cv_rules=_figures(info["cv_rules"]), note=info.get("note", "")))
                continue
            a, b = info["platt"]
            codes.append(CodeModel(code, info["kind"], weights, bias, Platt(float(a), float(b)),
                                   float(info["threshold"]), info["positives"], info["negatives"],
                                   _figures(info["cv"]), _figures(info["cv_rules"]), info.get("note", "")))
        if len(idf) != len(vocabulary) or coef.shape != (row, len(vocabulary) + vector_size):
            raise ValueError(f"weights of shape {coef.shape} for {len(vocabulary)} features")
        training = data.get("training", {})
        return TrainedModel(
            vectoriser, codes, learner, features, str(data["unit"]), dict(then), list(data.get("human", [])),
            [(str(s), str(c), str(k)) for s, c, k in human["decisions"]],
            {str(k): list(v) for k, v in human["read"].items()},
            {k: f for k, v in (data.get("cv") or {}).items() if (f := _figures(v)) is not None},
            int(training.get("folds", 0)), int(training.get("segments", 0)),
            int(training.get("interviews", 0)), int(training.get("examples", 0)))
    except LearningError:
        raise
    except (KeyError, TypeError, ValueError, IndexError, json.JSONDecodeError, zipfile.BadZipFile, OSError) as exc:
        raise LearningError(Errors.E352.format(reason=f"{type(exc).__name__}: {exc}"), path=folder) from exc

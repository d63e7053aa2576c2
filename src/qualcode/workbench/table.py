"""A results folder opened for queries: each segment with its attributes, and the codes found in it.

Every tool of the workbench starts here. `open_workbench` reads
segments.csv and evidence.csv, the codebook that coded them, the verdicts
of classification.csv when there are some, and the corpus again (from the
path recorded in the manifest, or `corpus`) for the metadata of each
interview: area, region, provider, date... When the corpus cannot be found,
the attributes that the manifest records (case, region, provider, language)
are used, with a warning (W461).

Attribute names: every metadata attribute of the interviews (`id`
excepted), and `case` (the case the segments were grouped in), `interview`
(its id), `speaker` (the label), `speaker_role` (respondent or interviewer),
`unit` and, after a classification, `configuration` (the verdict of the
segment's case). A list value (several interviewers) is one value per item.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from qualcode.base.text import did_you_mean
from qualcode.errors import CodingError, Errors, UsageError
from qualcode.results.folder import ResultsFolder
from qualcode.results.layout import CLASSIFICATION_CSV, EVIDENCE_CSV, SEGMENTS_CSV

if TYPE_CHECKING:
    from qualcode.codebook.model import Codebook

#: attributes every segment has, besides its interview's metadata
SEGMENT_ATTRIBUTES = ("case", "interview", "speaker", "speaker_role", "unit")
CONFIGURATION = "configuration"
#: the separator of the values of a list attribute (several interviewers) in one cell
LIST_SEPARATOR = "; "
#: the columns of `Workbench.mentions`
MENTIONS = ("segment_id", "code", "kind", "status", "start", "end", "matched_text")


def hint(value: str, choices: Iterable[str]) -> str:
    """A did-you-mean in brackets when a choice is close to `value`, else an empty string."""
    return did_you_mean(value, choices)


def listed(values: Iterable[str], limit: int = 12) -> str:
    items = list(values)
    shown = ", ".join(items[:limit])
    return shown + (f" (and {len(items) - limit} more)" if len(items) > limit else "")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return str(value)


@dataclass
class Workbench:
    """A results folder ready for queries (see the module's docstring).

    `segments` is segments.csv; `attributes` one column per attribute name,
    aligned with `segments` (text; "" when an interview has no value);
    `evidence` is evidence.csv; `verdicts` maps a case to its verdict.
    """

    folder: Path
    segments: pd.DataFrame
    attributes: pd.DataFrame
    evidence: pd.DataFrame
    codebook: Codebook
    verdicts: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        """Attribute names, sorted."""
        return sorted(self.attributes.columns)

    @property
    def themes(self) -> list[str]:
        return list(self.codebook.theme_ids)

    @property
    def actors(self) -> list[str]:
        return list(self.codebook.actor_ids)

    def check_attribute(self, name: str) -> str:
        """`name` if it is an attribute (E460 with a did-you-mean otherwise)."""
        if name not in self.attributes.columns:
            raise UsageError(Errors.E460.format(name=name, hint=hint(name, self.names),
                                                available=listed(self.names, 30)))
        return name

    def values(self, name: str) -> list[str]:
        """The values an attribute takes, sorted (each item of a list value on its own)."""
        column = self.attributes[self.check_attribute(name)]
        found: set[str] = set()
        for value in column.unique():
            found.update(split_values(str(value)))
        return sorted(found)

    def check_value(self, name: str, value: str) -> str:
        """`value` if the attribute takes it (E461 with a did-you-mean otherwise)."""
        values = self.values(name)
        if value not in values:
            raise UsageError(Errors.E461.format(attribute=name, value=value, hint=hint(value, values),
                                                values=listed(values)))
        return value

    def segments_where(self, name: str, wanted: Iterable[str]) -> set[str]:
        """Segment ids whose attribute takes one of `wanted`."""
        keep = set(wanted)
        column = self.attributes[self.check_attribute(name)]
        hits = column.map(lambda v: bool(keep & set(split_values(str(v)))))
        return set(self.segments.loc[hits.to_numpy(), "segment_id"])

    def check_code(self, code: str, kinds: Sequence[str] = ("theme", "actor")) -> str:
        known = [c for kind in kinds for c in (self.themes if kind == "theme" else self.actors)]
        if code not in known:
            raise UsageError(Errors.E463.format(code=code, hint=hint(code, known), codebook=self.codebook.name))
        return code

    def mentions(self, statuses: Sequence[str] | None = None, kinds: Sequence[str] = ("theme", "actor")
                 ) -> pd.DataFrame:
        """The codes found in each segment (`MENTIONS`).

        With `statuses` None: the codes that count (`counts_for`, as the case
        matrix counts them); else every match whose status is one of them
        (present, negated, historical...), under the code it matched.
        """
        ev = self.evidence[self.evidence["kind"].isin(list(kinds))]
        if statuses is None:
            rows = ev[ev["counts_for"] != ""].assign(code=lambda f: f["counts_for"])
        else:
            rows = ev[ev["status"].isin(list(statuses))]
        return rows[list(MENTIONS)].reset_index(drop=True)


def split_values(value: str) -> list[str]:
    return value.split(LIST_SEPARATOR) if LIST_SEPARATOR in value else [value]


def _metadata(results: ResultsFolder, corpus: Path | str | None, metadata: Path | str | None,
              warnings: list[str]) -> dict[str, dict[str, str]]:
    """Interview id -> {attribute: value}, from the corpus read again, else from the manifest."""
    where = Path(corpus) if corpus is not None else (Path(results.corpus_path) if results.corpus_path else None)
    if where is not None and where.exists():
        table = metadata if metadata is not None else results.options.get("metadata")
        check = results.read_corpus(where, str(table) if table else None)
        return {i.id: {str(k): _text(v) for k, v in i.metadata.items() if k != "id"} for i in check.corpus}
    warnings.append(Errors.W461.format(path=where if where is not None else "(none recorded)"))
    facts = dict(results.manifest.get("report") or {})
    found: dict[str, dict[str, str]] = {}
    for item in facts.get("interviews") or []:
        values = {k: _text(item.get(k)) for k in ("region", "provider", "language") if item.get(k)}
        if item.get("case"):
            values[results.by] = _text(item.get("case"))
        found[str(item.get("id"))] = values
    return found


def open_workbench(folder: Path | str, *, corpus: Path | str | None = None, metadata: Path | str | None = None,
                   codebook: Path | str | None = None) -> Workbench:
    """Open a results folder of `qualcode code` or `analyze` for queries (see the module's docstring).

    Raises:
        CodingError: not a results folder, or a table that cannot be read (E305, E306).
    """
    results = ResultsFolder.open(folder)
    segments = results.frame(SEGMENTS_CSV)
    evidence = results.frame(EVIDENCE_CSV)
    book, warnings = results.codebook(codebook)
    meta = _metadata(results, corpus, metadata, warnings)
    verdicts: dict[str, str] = {}
    if (results.path / CLASSIFICATION_CSV).is_file():
        table = results.frame(CLASSIFICATION_CSV)
        if {"case", "verdict"} <= set(table.columns):
            verdicts = dict(zip(table["case"].astype(str), table["verdict"].astype(str)))
    for name in ("start", "end"):
        if name not in evidence.columns:
            raise CodingError(Errors.E306.format(name=EVIDENCE_CSV, reason=f"no column {name}"),
                              path=results.path / EVIDENCE_CSV)
    return workbench_from_frames(segments, evidence, book, folder=results.path, metadata=meta, verdicts=verdicts,
                                 warnings=warnings)


def workbench_from_frames(segments: pd.DataFrame, evidence: pd.DataFrame, codebook: Codebook, *,
                          folder: Path | str = ".", metadata: dict[str, dict[str, str]] | None = None,
                          verdicts: dict[str, str] | None = None, warnings: list[str] | None = None) -> Workbench:
    """A `Workbench` from tables in memory (segments.csv and evidence.csv as read, or as just computed).

    `metadata` maps an interview id to its attributes (text values).
    """
    meta = metadata or {}
    verdicts = dict(verdicts or {})
    columns: dict[str, list[str]] = {
        "case": segments["case"].astype(str).tolist(),
        "interview": segments["interview_id"].astype(str).tolist(),
        "speaker": segments["speaker"].astype(str).tolist(),
        "speaker_role": segments["role"].astype(str).tolist(),
        "unit": segments["unit"].astype(str).tolist(),
    }
    if verdicts:
        columns[CONFIGURATION] = [verdicts.get(c, "") for c in columns["case"]]
    names = sorted({k for values in meta.values() for k in values} - set(columns))
    ids = columns["interview"]
    for name in names:
        columns[name] = [meta.get(i, {}).get(name, "") for i in ids]
    attributes = pd.DataFrame(columns, index=segments.index, dtype=object)
    return Workbench(Path(folder), segments, attributes, evidence, codebook, verdicts, list(warnings or []))


__all__ = ["CONFIGURATION", "MENTIONS", "SEGMENT_ATTRIBUTES", "Workbench", "hint", "listed", "open_workbench",
           "split_values", "workbench_from_frames"]

"""`qualcode export qca` as functions: memberships per case for R's QCA package and fs/QCA, a truth table.

    import qualcode

    q = qualcode.qca_table("results/demo")        # QcaData: .data (a DataFrame), .calibration
    qualcode.truth_table(q.data, "C1", ["LOCAL_GUIDANCE_SERVICE", "SHARED_TOOLS"])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from qualcode.errors import Errors, UsageError
from qualcode.results.folder import ResultsFolder
from qualcode.results.layout import CASE_MATRIX_CSV, CLASSIFICATION_CSV, CLASSIFICATION_JSON
from qualcode.workbench.qca import QcaData, qca_data, truth_table, variable_name
from qualcode.workbench.table import hint, listed

#: what the sidecars of FILE.csv are called
CALIBRATION_SUFFIX = ".calibration.csv"
TRUTH_SUFFIX = ".truth_table.csv"


def qca_table(results: Path | str, *, codebook: Path | str | None = None) -> QcaData:
    """The memberships of a classified results folder (E473 when it has no classification)."""
    from qualcode.base.limits import read_limited
    from qualcode.results.classification import read_classification

    folder = ResultsFolder.open(results)
    if not (folder.path / CLASSIFICATION_JSON).is_file():
        raise UsageError(Errors.E473.format(what="export to QCA", folder=folder.path), path=folder.path)
    document = read_classification(read_limited(folder.path / CLASSIFICATION_JSON))
    book, _ = folder.codebook(codebook)
    matrix = folder.frame(CASE_MATRIX_CSV)
    table = folder.frame(CLASSIFICATION_CSV)
    configurations = document["configurations"] or list(book.configuration_ids)
    return qca_data(matrix, table, document["rule"], themes=list(book.theme_ids), configurations=configurations)


def indicators(results: Path | str, outcome: str, *, codebook: Path | str | None = None) -> list[str]:
    """The conditions a configuration weighs, as QCA variable names, in the codebook's order."""
    book, _ = ResultsFolder.open(results).codebook(codebook)
    for config in book.configurations:
        if variable_name(str(config.id)) == outcome:
            weighed = set(dict(config.indicators))
            return [variable_name(c) for c in book.theme_ids if c in weighed]
    return []


@dataclass
class QcaExport:
    """What `export_qca` wrote: the memberships, the sidecar, the truth table if asked."""

    qca: QcaData
    paths: list[Path] = field(default_factory=list)
    truth: pd.DataFrame | None = None
    warnings: list[str] = field(default_factory=list)


def _csv(frame: pd.DataFrame) -> str:
    from qualcode.results.frames import frame_to_csv

    return frame_to_csv(frame)


def export_qca(results: Path | str, out: Path | str, *, truth: bool = False, outcome: str | None = None,
               conditions: Sequence[str] | None = None, incl_cut: float = 0.8, n_cut: int = 1,
               negate: bool = False, codebook: Path | str | None = None, force: bool = False) -> QcaExport:
    """Write FILE.csv (memberships), FILE.calibration.csv (anchors) and, with `truth`, FILE.truth_table.csv.

    `outcome` is a configuration's variable (default: the first); `conditions`
    the condition variables of the truth table (default: the outcome's
    indicators). Every output goes through the guard first; each is written
    whole.
    """
    from qualcode.base.atomic import write_file
    from qualcode.base.guard import QCA, guard_output
    from qualcode.results.folder import results_inputs

    out = Path(out)
    if out.suffix.lower() != ".csv":
        raise UsageError(Errors.E472.format(suffix=out.suffix, what="QCA table", choices=".csv"))
    stem = out.with_suffix("")
    targets = [out, Path(f"{stem}{CALIBRATION_SUFFIX}")] + ([Path(f"{stem}{TRUTH_SUFFIX}")] if truth else [])
    inputs = results_inputs(results, codebook=codebook)
    notes = [n for target in targets for n in guard_output(target, QCA, force=force, inputs=inputs)]
    qca = qca_table(results, codebook=codebook)
    done = QcaExport(qca, warnings=notes)
    files = [(targets[0], _csv(qca.data)), (targets[1], _csv(qca.calibration))]
    if truth:
        chosen = outcome or qca.outcomes[0]
        if chosen not in qca.outcomes:
            raise UsageError(Errors.E474.format(name=chosen, hint=hint(chosen, qca.outcomes),
                                                choices=listed(qca.outcomes)))
        wanted = list(conditions) if conditions else indicators(results, chosen, codebook=codebook)
        for name in wanted:
            if name not in qca.conditions:
                raise UsageError(Errors.E460.format(name=name, hint=hint(name, qca.conditions),
                                                    available=listed(qca.conditions, 40)))
        done.truth = truth_table(qca.data, chosen, wanted, incl_cut=incl_cut, n_cut=n_cut, negate=negate)
        unplaced = done.truth.attrs.get("unplaced") or []
        if unplaced:
            done.warnings.append(Errors.W465.format(count=len(unplaced), cases=", ".join(unplaced)))
        files.append((targets[2], _csv(done.truth.reset_index())))
    for path, text in files:
        done.paths.append(write_file(path, text, force=force, parents=True))
    return done


__all__ = ["QcaExport", "export_qca", "indicators", "qca_table"]

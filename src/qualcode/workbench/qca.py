"""Calibrated memberships for QCA tools, and Ragin's truth table with consistency and coverage.

`qca_data` gives one row per case: its membership in each condition (each
theme of the codebook, calibrated from the case matrix by the direct method
with the anchors the classification used, `qualcode.classification.rule`)
and in each outcome (each configuration: the case's score, a weighted
membership in the configuration's profile). Column names are upper-case
(`SHARED_TOOLS`, `C1`), as R's QCA package advises; the first column,
`case`, holds the case names (`read.csv(file, row.names = 1)` in R; fs/QCA
reads it as a string variable). `calibration_table` says where each column
comes from: its id, the measure and the three anchors (the sidecar file).

`truth_table` follows Ragin (2008, *Redesigning Social Inquiry*, ch. 7) as
R's QCA package does (`truthTable`): each case is placed in the corner of
the property space where its membership exceeds 0.5 (the minimum over the
conditions of x or 1 − x); for each observed row, with X the row's
membership over all cases and Y the outcome::

    incl (consistency) = Σ min(X, Y) / Σ X
    PRI                = (Σ min(X, Y) − Σ min(X, Y, 1 − Y)) / (Σ X − Σ min(X, Y, 1 − Y))
    cov (coverage)     = Σ min(X, Y) / Σ Y

`fit` gives the same parameters for sufficient terms such as `A*~B` and
their union (`inclS`, `PRI`, `covS`, and `covU`, the coverage only that
term gives), as R's `pof` and `minimize(details = TRUE)` print them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from qualcode.errors import Errors, UsageError
from qualcode.workbench.table import hint, listed

CASE = "case"
#: the columns of the calibration sidecar
CALIBRATION_COLUMNS = ("variable", "id", "kind", "source", "measure", "exclusion", "crossover", "inclusion")
#: the truth table's columns after the conditions
TRUTH_COLUMNS = ("OUT", "n", "incl", "PRI", "cov", "cases")
FIT_COLUMNS = ("term", "inclS", "PRI", "covS", "covU", "cases")


def variable_name(ident: str) -> str:
    """A code or configuration id as a QCA variable: upper case, letters, digits and '_' only."""
    name = "".join(ch if ch.isalnum() else "_" for ch in ident.upper())
    return name if name[:1].isalpha() else "V_" + name


@dataclass
class QcaData:
    """Memberships per case (`data`), and where each column comes from (`calibration`)."""

    data: pd.DataFrame
    calibration: pd.DataFrame
    conditions: list[str]
    outcomes: list[str]


def qca_data(matrix: pd.DataFrame, table: pd.DataFrame, rule: Mapping[str, object], *,
             themes: Sequence[str], configurations: Sequence[str]) -> QcaData:
    """Memberships from case_matrix.csv, classification.csv and the classification's rule.

    `themes` and `configurations` are the codebook's ids, in its order.
    """
    from qualcode.classification.rule import MEASURES, calibrate

    measure = str(rule.get("measure") or "interviews")
    given = rule.get("anchors")
    named = dict(given) if isinstance(given, Mapping) else {}
    anchors = (float(str(named.get("exclusion"))), float(str(named.get("crossover"))),
               float(str(named.get("inclusion"))))
    share = MEASURES[measure]
    values = matrix.assign(value=pd.to_numeric(matrix[share], errors="coerce").fillna(0.0))
    cases = sorted(values["case"].astype(str).unique())
    rows: dict[str, list[object]] = {CASE: list(cases)}
    found = {(str(c), str(k)): float(v) for c, k, v in zip(values["case"], values["code"], values["value"])}
    conditions, outcomes, sidecar = [], [], []
    for code in themes:
        name = variable_name(code)
        conditions.append(name)
        rows[name] = [round(calibrate(found.get((case, code), 0.0), anchors), 6) for case in cases]
        sidecar.append((name, code, "condition", f"case_matrix.csv {share}", measure, *anchors))
    scores = {str(r[CASE]): r for r in table.to_dict("records")}
    for config in configurations:
        name = variable_name(config)
        outcomes.append(name)
        rows[name] = [round(float(str(scores.get(case, {}).get(f"score_{config}", 0.0))), 6) for case in cases]
        sidecar.append((name, config, "outcome", f"classification.csv score_{config}", "score",
                        float("nan"), float("nan"), float("nan")))
    calibration = pd.DataFrame(sidecar, columns=list(CALIBRATION_COLUMNS))
    return QcaData(pd.DataFrame(rows), calibration, conditions, outcomes)


def _check(data: pd.DataFrame, names: Sequence[str], what: str) -> None:
    known = [c for c in data.columns if c != CASE]
    for name in names:
        if name not in known:
            raise UsageError(Errors.E460.format(name=name, hint=hint(name, known), available=listed(known, 40))
                             if what == "condition" else
                             Errors.E474.format(name=name, hint=hint(name, known), choices=listed(known)))


def truth_table(data: pd.DataFrame, outcome: str, conditions: Sequence[str], *, incl_cut: float = 0.8,
                n_cut: int = 1, negate: bool = False, cases: str = CASE) -> pd.DataFrame:
    """The observed rows of the truth table (see the module's docstring), in row-number order.

    `outcome` and `conditions` are column names of `data`; `negate` explains
    the outcome's absence (1 − Y). `OUT` is 1 when `incl` reaches
    `incl_cut`, 0 otherwise, `?` for a row with fewer than `n_cut` cases.
    The index is R's row number (first condition most significant, from 1).
    A case at exactly 0.5 in a condition belongs to no row (as in Ragin's
    method): `frame.attrs["unplaced"]` lists such cases.
    """
    _check(data, [outcome], "outcome")
    _check(data, list(conditions), "condition")
    x = data[list(conditions)].to_numpy(dtype=float)
    y = data[outcome].to_numpy(dtype=float)
    if negate:
        y = 1 - y
    names = data[cases].astype(str).tolist() if cases in data.columns else [str(i) for i in data.index]
    k = len(conditions)
    placed: dict[int, list[int]] = {}
    for i in range(len(data)):
        bits = (x[i] > 0.5).astype(int)
        row = int("".join(map(str, bits)), 2) if k else 0
        if np.min(np.where(bits == 1, x[i], 1 - x[i])) > 0.5:
            placed.setdefault(row, []).append(i)
    found = []
    for row in sorted(placed):
        bits = [int(b) for b in format(row, f"0{k}b")] if k else []
        membership = np.min(np.where(np.array(bits) == 1, x, 1 - x), axis=1) if k else np.ones(len(y))
        incl, pri, cov = _parameters(membership, y)
        members = placed[row]
        out = "?" if len(members) < n_cut else ("1" if incl + 1e-12 >= incl_cut else "0")
        found.append((row + 1, *bits, out, len(members), incl, pri, cov, ",".join(names[i] for i in members)))
    frame = pd.DataFrame(found, columns=["row", *conditions, *TRUTH_COLUMNS]).set_index("row")
    placed_cases = {i for members in placed.values() for i in members}
    frame.attrs["unplaced"] = [names[i] for i in range(len(data)) if i not in placed_cases]
    return frame.astype({**dict.fromkeys(conditions, "int64"), "n": "int64", "incl": "float64", "PRI": "float64",
                         "cov": "float64"})


def _parameters(membership: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    both = np.minimum(membership, y)
    overlap = np.minimum(both, 1 - y)
    total, covered = float(membership.sum()), float(y.sum())
    incl = float(both.sum()) / total if total else float("nan")
    denominator = total - float(overlap.sum())
    pri = (float(both.sum()) - float(overlap.sum())) / denominator if denominator else float("nan")
    cov = float(both.sum()) / covered if covered else float("nan")
    return incl, pri, cov


def _term(data: pd.DataFrame, term: str) -> np.ndarray:
    """Membership in a conjunction such as `DEV*~URB*LIT` (`~` negates: 1 − x)."""
    parts = [p.strip() for p in term.split("*") if p.strip()]
    names = [p.lstrip("~") for p in parts]
    _check(data, names, "condition")
    columns = [(1 - data[n].to_numpy(dtype=float)) if p.startswith("~") else data[n].to_numpy(dtype=float)
               for p, n in zip(parts, names)]
    return np.min(np.vstack(columns), axis=0)


def fit(data: pd.DataFrame, terms: Sequence[str], outcome: str, *, negate: bool = False,
        cases: str = CASE) -> pd.DataFrame:
    """Sufficiency of each term and of their union (the last row, `term` joined by ' + ').

    `covU` is the coverage a term adds to the others (Σ min(union, Y) less
    that of the union without the term, over Σ Y); `cases` the cases whose
    membership in the term exceeds 0.5 and which are in the outcome (> 0.5).
    """
    _check(data, [outcome], "outcome")
    y = data[outcome].to_numpy(dtype=float)
    if negate:
        y = 1 - y
    names = data[cases].astype(str).tolist() if cases in data.columns else [str(i) for i in data.index]
    members = [_term(data, t) for t in terms]
    union = np.max(np.vstack(members), axis=0)
    total = float(np.minimum(union, y).sum())
    rows = []
    for n, (term, m) in enumerate(zip(terms, members)):
        incl, pri, cov = _parameters(m, y)
        others = [o for i, o in enumerate(members) if i != n]
        rest = float(np.minimum(np.max(np.vstack(others), axis=0), y).sum()) if others else 0.0
        unique = (total - rest) / float(y.sum()) if y.sum() else float("nan")
        rows.append((term, incl, pri, cov, unique, ",".join(names[i] for i in range(len(y))
                                                             if m[i] > 0.5 and y[i] > 0.5)))
    incl, pri, cov = _parameters(union, y)
    rows.append((" + ".join(terms), incl, pri, cov, float("nan"),
                 ",".join(names[i] for i in range(len(y)) if union[i] > 0.5 and y[i] > 0.5)))
    return pd.DataFrame(rows, columns=list(FIT_COLUMNS))


__all__ = ["CALIBRATION_COLUMNS", "FIT_COLUMNS", "TRUTH_COLUMNS", "QcaData", "fit", "qca_data", "truth_table",
           "variable_name"]

"""`export qca`: memberships per case, and a truth table with Ragin's consistency, PRI and coverage.

The published worked example is the QCA package's own documentation of
`truthTable` (Dusa, QCA for R, version 3.15, `?truthTable`, first example:
`truthTable(LC, "SURV")` on Lipset's binary crisp data, as used by Rihoux and
De Meur 2009 in Rihoux & Ragin, *Configurational Comparative Methods*). The
data below are read back from that printed table (each case's row, and its
outcome from the row's inclusion of 1 or 0); the rows, case counts,
inclusion, PRI and cases must come out as printed there. Coverage, which
that print leaves out, and every fuzzy parameter are computed again here,
case by case, from Ragin's (2008) definitions.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

import qualcode
from support.workbench import run

#: `truthTable(LC, "SURV", show.cases = TRUE)` as the QCA package's documentation prints it
PUBLISHED = [  # row, DEV URB LIT IND STB, OUT, n, incl, PRI, cases
    (1, (0, 0, 0, 0, 0), "0", 3, 0.0, 0.0, "GR,PT,ES"),
    (2, (0, 0, 0, 0, 1), "0", 2, 0.0, 0.0, "IT,RO"),
    (5, (0, 0, 1, 0, 0), "0", 2, 0.0, 0.0, "HU,PL"),
    (6, (0, 0, 1, 0, 1), "0", 1, 0.0, 0.0, "EE"),
    (22, (1, 0, 1, 0, 1), "1", 2, 1.0, 1.0, "FI,IE"),
    (23, (1, 0, 1, 1, 0), "0", 1, 0.0, 0.0, "AU"),
    (24, (1, 0, 1, 1, 1), "1", 2, 1.0, 1.0, "FR,SE"),
    (31, (1, 1, 1, 1, 0), "0", 1, 0.0, 0.0, "DE"),
    (32, (1, 1, 1, 1, 1), "1", 4, 1.0, 1.0, "BE,CZ,NL,UK"),
]
CONDITIONS = ["DEV", "URB", "LIT", "IND", "STB"]


def _lipset() -> pd.DataFrame:
    rows = []
    for _, bits, out, _, _, _, cases in PUBLISHED:
        for case in cases.split(","):
            rows.append((case, *bits, 1 if out == "1" else 0))
    return pd.DataFrame(rows, columns=["case", *CONDITIONS, "SURV"])


def test_the_truth_table_of_lipsets_crisp_data_is_the_published_one():
    data = _lipset()
    table = qualcode.truth_table(data, "SURV", CONDITIONS, incl_cut=1.0)
    assert list(table.index) == [p[0] for p in PUBLISHED]
    for (_row, bits, out, n, incl, pri, cases), (_index, got) in zip(PUBLISHED, table.iterrows()):
        assert tuple(int(got[c]) for c in CONDITIONS) == bits
        assert (got["OUT"], got["n"], got["incl"], got["PRI"]) == (out, n, incl, pri)
        assert sorted(got["cases"].split(",")) == sorted(cases.split(","))
        survivors = int(data["SURV"].sum())  # coverage: the row's share of the outcome, Σ min(X, Y) / Σ Y
        assert got["cov"] == pytest.approx(n / survivors if out == "1" else 0.0)


def _by_hand(data: pd.DataFrame, outcome: str, conditions: list[str], bits: tuple[int, ...]) -> tuple[float, ...]:
    """Ragin's consistency, PRI and coverage of one truth-table row, one case at a time."""
    both = overlap = row = total_y = 0.0
    for _, case in data.iterrows():
        x = min(case[c] if b else 1 - case[c] for c, b in zip(conditions, bits))
        y = case[outcome]
        both += min(x, y)
        overlap += min(x, y, 1 - y)
        row += x
        total_y += y
    return both / row, (both - overlap) / (row - overlap), both / total_y


def test_fuzzy_consistency_pri_and_coverage_of_the_sample_equal_a_computation_by_hand(sample_results):
    q = qualcode.qca_table(sample_results)
    conditions = ["LOCAL_GUIDANCE_SERVICE", "SHARED_TOOLS", "SEASONAL_ECONOMY"]
    assert set(q.conditions) >= set(conditions) and "C1" in q.outcomes
    table = qualcode.truth_table(q.data, "C1", conditions)
    assert len(table) >= 2 and 0 < table["incl"].min() < 1
    for index, got in table.iterrows():
        bits = tuple(int(got[c]) for c in conditions)
        assert int("".join(map(str, bits)), 2) + 1 == index
        incl, pri, cov = _by_hand(q.data, "C1", conditions, bits)
        assert (got["incl"], got["PRI"], got["cov"]) == (pytest.approx(incl), pytest.approx(pri),
                                                          pytest.approx(cov))
        members = q.data[q.data["case"].isin(got["cases"].split(","))]
        for _, case in members.iterrows():  # each case sits in the corner where its membership exceeds 0.5
            assert all((case[c] > 0.5) == bool(b) for c, b in zip(conditions, bits))
    negated = qualcode.truth_table(q.data, "C1", conditions, negate=True)
    flipped = q.data.assign(C1=1 - q.data["C1"])
    for _, got in negated.iterrows():
        bits = tuple(int(got[c]) for c in conditions)
        assert got["incl"] == pytest.approx(_by_hand(flipped, "C1", conditions, bits)[0])


def test_fit_of_a_term_and_the_union():
    data = pd.DataFrame({"case": list("abcd"), "A": [0.9, 0.8, 0.2, 0.1], "B": [0.3, 0.9, 0.8, 0.2],
                         "Y": [0.8, 0.9, 0.6, 0.1]})
    fitted = qualcode.fit(data, ["A*~B", "B"], "Y")
    a_not_b = [min(a, 1 - b) for a, b in zip(data["A"], data["B"])]
    both = sum(min(x, y) for x, y in zip(a_not_b, data["Y"]))
    assert fitted.loc[0, "inclS"] == pytest.approx(both / sum(a_not_b))
    assert fitted.loc[0, "covS"] == pytest.approx(both / data["Y"].sum())
    union = [max(x, b) for x, b in zip(a_not_b, data["B"])]
    assert fitted.loc[2, "inclS"] == pytest.approx(sum(min(u, y) for u, y in zip(union, data["Y"])) / sum(union))
    assert math.isnan(fitted.loc[2, "covU"])


def test_export_qca_writes_memberships_anchors_and_the_truth_table(sample_results, tmp_path):
    out = tmp_path / "qca" / "cep.csv"
    code, shown, err = run("export", "qca", sample_results, "--out", out, "--truth-table", "--outcome", "C1",
                           "--conditions", "LOCAL_GUIDANCE_SERVICE,SHARED_TOOLS,SEASONAL_ECONOMY")
    assert code == 0, err
    data = pd.read_csv(out)
    q = qualcode.qca_table(sample_results)
    assert list(data.columns) == ["case", *q.conditions, *q.outcomes]
    assert data["case"].tolist() == sorted(data["case"]) and len(data) == len(q.data)
    assert ((data.drop(columns="case") >= 0) & (data.drop(columns="case") <= 1)).all().all()
    anchors = pd.read_csv(tmp_path / "qca" / "cep.calibration.csv")
    assert set(anchors["variable"]) == set(q.conditions) | set(q.outcomes)
    conditions = anchors[anchors["kind"] == "condition"]
    assert (conditions["exclusion"] < conditions["crossover"]).all()
    assert (conditions["crossover"] < conditions["inclusion"]).all()
    truth = pd.read_csv(tmp_path / "qca" / "cep.truth_table.csv")
    expected = qualcode.truth_table(q.data, "C1", ["LOCAL_GUIDANCE_SERVICE", "SHARED_TOOLS", "SEASONAL_ECONOMY"])
    assert truth["row"].tolist() == list(expected.index)
    assert truth["incl"].tolist() == pytest.approx(expected["incl"].tolist(), abs=1e-6)
    assert "truth table of C1" in shown


@pytest.mark.parametrize("args, expected", [
    (["--truth-table", "--outcome", "C9"], "[E474] unknown outcome 'C9'"),
    (["--truth-table", "--conditions", "SHARED_TOOL"], "[E460] unknown attribute 'SHARED_TOOL' (did you mean "
                                                       "'SHARED_TOOLS'?)"),
], ids=["outcome", "condition"])
def test_bad_outcomes_and_conditions_exit_2_and_write_nothing(sample_results, tmp_path, args, expected):
    out = tmp_path / "q.csv"
    code, _, err = run("export", "qca", sample_results, "--out", out, *args)
    assert code == 2 and expected in err and len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_a_results_folder_without_classification_is_refused(tmp_path):
    from support.corpora import REPORT_CODEBOOK, write_report_corpus

    corpus = write_report_corpus(tmp_path / "corpus")
    code, _, err = run("code", corpus, "--codebook", REPORT_CODEBOOK, "--no-cache", "-q", "--out", tmp_path / "r")
    assert code == 0, err
    code, _, err = run("export", "qca", tmp_path / "r", "--out", tmp_path / "q.csv")
    assert code == 2 and "[E473]" in err and not (tmp_path / "q.csv").exists()

"""The case matrix and the provider network, on real codings and on hand-built frames."""

from __future__ import annotations

import pandas as pd
import pytest

from qualcode.classification.cases import (
    CASE_MATRIX,
    CASE_MATRIX_COLUMNS,
    case_data,
    case_matrix,
    interview_cases,
)
from qualcode.classification.network import (
    ACTOR_COLUMNS,
    PAIR_COLUMNS,
    provider_network,
)
from qualcode.coding.frames import CODINGS, SEGMENTS
from qualcode.errors import CodingError
from support.corpora import CASES_CODEBOOK
from support.corpora import write_cases_corpus as write_corpus

CODES = ("local_hub", "shared_tools", "silos", "withdrawal")


@pytest.fixture(scope="module")
def codebook():
    from qualcode.codebook import load_codebook

    return load_codebook(CASES_CODEBOOK)


@pytest.fixture(scope="module")
def codings(tmp_path_factory, codebook):
    from qualcode.coding.engine import code_corpus
    from qualcode.corpus import read_corpus

    folder = write_corpus(tmp_path_factory.mktemp("cases") / "corpus")
    return code_corpus(read_corpus(folder), codebook, "turn", cache_dir=False)


def _row(matrix: pd.DataFrame, case: str, code: str) -> pd.Series:
    rows = matrix[(matrix["case"] == case) & (matrix["code"] == code)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_cases_matrix_has_every_case_and_code_in_order(codings, codebook):
    matrix = case_matrix(codings, codes=codebook)
    assert tuple(matrix.columns) == CASE_MATRIX_COLUMNS
    assert tuple(matrix.columns[:6]) == CASE_MATRIX
    assert list(matrix["case"]) == ["north"] * 4 + ["south"] * 4
    assert list(matrix["code"]) == list(CODES) * 2  # zero rows included, codebook order
    assert (matrix["case_interviews"] == 3).all()


def test_cases_matrix_counts_segments_interviews_and_shares(codings, codebook):
    matrix = case_matrix(codings, codes=codebook)
    hub = _row(matrix, "north", "local_hub")
    # north_3 denies the hub ("no local hub"): it does not count
    assert (hub["segments"], hub["interviews"]) == (2, 2)
    assert hub["interview_share"] == pytest.approx(2 / 3)
    tools = _row(matrix, "north", "shared_tools")
    assert (tools["segments"], tools["interviews"]) == (2, 2)
    silos = _row(matrix, "south", "silos")
    assert (silos["segments"], silos["interviews"], silos["interview_share"]) == (3, 3, 1.0)
    assert _row(matrix, "south", "withdrawal")["interviews"] == 1
    zero = _row(matrix, "north", "silos")
    assert (zero["segments"], zero["interviews"], zero["interview_share"], zero["word_share"]) == (0, 0, 0, 0)

    segs = codings.segments[codings.segments["case"] == "north"]
    coded = set(codings.applied().query("code == 'local_hub'")["segment_id"])
    expected = segs.loc[segs["segment_id"].isin(coded), "words"].sum() / segs["words"].sum()
    assert hub["word_share"] == pytest.approx(expected)
    assert hub["segment_share"] == pytest.approx(2 / len(segs))
    assert hub["case_segments"] == len(segs) and hub["case_words"] == segs["words"].sum()


def test_cases_matrix_from_results_frames_equals_matrix_from_codings(codings, codebook, tmp_path):
    from qualcode.results.frames import frame_to_csv, read_frame

    (tmp_path / "segments.csv").write_text(frame_to_csv(codings.segments), encoding="utf-8")
    (tmp_path / "evidence.csv").write_text(frame_to_csv(codings.evidence), encoding="utf-8")
    segments = read_frame(tmp_path, "segments.csv")
    evidence = read_frame(tmp_path, "evidence.csv")
    from_files = case_matrix(evidence, segments, codes=codebook)
    pd.testing.assert_frame_equal(from_files, case_matrix(codings, codes=codebook))
    # applied pairs work too
    from_pairs = case_matrix(codings.applied(), codings.segments, codes=codebook)
    pd.testing.assert_frame_equal(from_pairs, from_files)


def test_cases_matrix_without_codes_lists_the_codes_found_sorted(codings):
    matrix = case_matrix(codings)
    assert list(dict.fromkeys(matrix["code"])) == ["local_hub", "shared_tools", "silos", "withdrawal"]


def test_cases_matrix_regroups_by_another_attribute_with_a_case_map(codings, codebook, tmp_path):
    from qualcode.corpus import read_corpus

    corpus = read_corpus(write_corpus(tmp_path / "corpus"))
    regions = interview_cases(corpus, "region")
    matrix = case_matrix(codings, codes=codebook, by="region", cases=regions)
    assert sorted(matrix["case"].unique()) == ["r1", "r2"]
    table = pd.DataFrame({"id": list(regions), "region": list(regions.values())})
    assert interview_cases(table, "region") == regions


def test_cases_another_attribute_without_a_case_map_is_refused(codings, codebook):
    with pytest.raises(CodingError, match="E411"):
        case_matrix(codings, codes=codebook, by="region")


def test_cases_interview_without_a_case_is_refused(codings, codebook):
    with pytest.raises(CodingError, match=r"E410.*'region'"):
        case_matrix(codings, codes=codebook, by="region", cases={"north_1": "r1"})


def test_cases_interviewer_segments_do_not_count(tmp_path, codebook):
    from qualcode.coding.engine import code_corpus
    from qualcode.corpus import read_corpus

    folder = write_corpus(tmp_path / "corpus", question="Is there a local hub in silos?")
    codings = code_corpus(read_corpus(folder), codebook, include_interviewer=True, cache_dir=False)
    assert (codings.segments["role"] == "interviewer").any()
    matrix = case_matrix(codings, codes=codebook)
    assert _row(matrix, "south", "local_hub")["interviews"] == 0
    assert _row(matrix, "north", "silos")["interviews"] == 0
    assert (matrix["case_interviews"] == 3).all()


def test_cases_data_leaves_one_interview_out(codings, codebook):
    data = case_data(codings, codes=codebook)
    assert data.cases == ["north", "south"]
    assert data.interviews("north") == ["north_1", "north_2", "north_3"]
    rest = data.only("north", without="north_2")
    matrix = rest.matrix()
    assert list(matrix["case"].unique()) == ["north"]
    assert _row(matrix, "north", "local_hub")["interviews"] == 1
    assert (matrix["case_interviews"] == 2).all()


# --- the provider network --------------------------------------------------------

def _segments(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame([{"segment_id": s, "interview_id": i, "case": c, "turn": 1, "unit": "turn",
                          "speaker": "R", "role": "respondent", "start": 0, "end": 10, "words": 10,
                          "text": "x"} for s, i, c in rows], columns=list(SEGMENTS))


def _codings(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """(segment_id, code, kind, counts_for) rows of a codings frame."""
    data = [{"segment_id": s, "code": code, "kind": kind, "negated": not counts, "start": 0,
             "end": 1, "matched_text": code, "pattern_id": code, "matches": 1, "negation_cue": "",
             "status": "present" if counts else "negated", "counts_for": counts}
            for s, code, kind, counts in rows]
    return pd.DataFrame(data, columns=list(CODINGS))


def test_network_counts_co_mentions_per_case():
    segments = _segments([("a1#t2", "a1", "A"), ("a1#t4", "a1", "A"), ("a2#t2", "a2", "A"),
                          ("b1#t2", "b1", "B")])
    codings = _codings([
        ("a1#t2", "pole_emploi", "actor", "pole_emploi"), ("a1#t2", "apec", "actor", "apec"),
        ("a1#t2", "cap_emploi", "actor", "cap_emploi"), ("a1#t2", "silos", "theme", "silos"),
        ("a1#t4", "pole_emploi", "actor", "pole_emploi"), ("a1#t4", "apec", "actor", "apec"),
        ("a2#t2", "apec", "actor", "apec"),
        ("a2#t2", "cap_emploi", "actor", ""),  # a denied mention does not count
        ("b1#t2", "apec", "actor", "apec"),
    ])
    order = ["pole_emploi", "apec", "mission_locale", "cap_emploi", "cep_employees"]
    pairs, actors = provider_network(codings, segments, order=order)
    assert tuple(pairs.columns) == PAIR_COLUMNS and tuple(actors.columns) == ACTOR_COLUMNS
    assert [tuple(r) for r in pairs.itertuples(index=False)] == [
        ("A", "pole_emploi", "apec", 2), ("A", "pole_emploi", "cap_emploi", 1),
        ("A", "apec", "cap_emploi", 1)]
    assert [tuple(r) for r in actors.itertuples(index=False)] == [
        ("A", "pole_emploi", 2, 1), ("A", "apec", 3, 2), ("A", "cap_emploi", 1, 1), ("B", "apec", 1, 1)]


def test_network_without_an_order_sorts_actors_by_id():
    segments = _segments([("a1#t2", "a1", "A")])
    codings = _codings([("a1#t2", "pole_emploi", "actor", "pole_emploi"),
                        ("a1#t2", "apec", "actor", "apec")])
    pairs, _ = provider_network(codings, segments)
    assert [tuple(r) for r in pairs.itertuples(index=False)] == [("A", "apec", "pole_emploi", 1)]


def test_network_on_real_codings(codings, codebook):
    pairs, actors = provider_network(codings, order=codebook.actor_ids)
    assert ("north", "pole_emploi", "mission_locale", 1) in [tuple(r) for r in pairs.itertuples(index=False)]
    assert ("south", "pole_emploi", "cap_emploi", 1) in [tuple(r) for r in pairs.itertuples(index=False)]
    south_pe = actors[(actors["case"] == "south") & (actors["actor"] == "pole_emploi")].iloc[0]
    assert (south_pe["segments"], south_pe["interviews"]) == (2, 2)


def test_cases_classify_real_codings(codings, codebook):
    from qualcode.classification.classify import classify

    result = classify(codings, codebook)
    table = result.table.set_index("case")
    assert table.loc["north", "verdict"] == "C1" and table.loc["south", "verdict"] == "C2"
    assert table.loc["north", "score_C1"] == pytest.approx(1.0)
    assert table.loc["north", "stability"] == 1.0
    top = result.evidence[result.evidence["case"] == "north"].iloc[0]
    assert top["codes"].split(";")[0] == "local_hub"
    assert "local hub" in top["quote"] or "coordination cell" in top["quote"]
    assert result.by == "area" and result.codebook["name"] == "cases_test"

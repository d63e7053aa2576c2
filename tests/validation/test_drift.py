"""`codebook_drift`: segments gained and lost per code between two codings of one corpus."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from qualcode.coding import frames as columns
from qualcode.coding.engine import Codings
from qualcode.validation.drift import CHANGES, SUMMARY, codebook_drift


class _Book:
    def __init__(self, name, version, themes):
        self.name, self.version, self.theme_ids, self.actor_ids, self.sha256 = \
            name, version, themes, [], f"sha-{version}"


def _segments() -> pd.DataFrame:
    rows = [(f"i1#t{n}", "i1", "north", n, "turn", "R", "respondent", 10 * n, 10 * n + 9, 2,
             f"turn {n} text") for n in (2, 4, 6, 8)]
    return pd.DataFrame(rows, columns=list(columns.SEGMENTS))


def _codings(evidence: list[tuple], version: str) -> Codings:
    frame = pd.DataFrame(evidence, columns=list(columns.EVIDENCE))
    return Codings(segments=_segments(), codings=pd.DataFrame(columns=list(columns.CODINGS)),
                   evidence=frame, unit="turn", by="area", pipeline="fast",
                   codebook_name="book", codebook_version=version)


def _ev(segment, code, text, status="present", counts_for=None, cue=""):
    counts = code if counts_for is None else counts_for
    return (segment, code, "theme", status, 0, 4, text, f"{code}/en/1", cue, counts, "rule", float("nan"))


@pytest.fixture
def drift():
    old = _codings([
        _ev("i1#t2", "hub", "hub"),
        _ev("i1#t4", "tools", "platform"),
        _ev("i1#t6", "tools", "directory"),
        _ev("i1#t8", "gone", "pulled out"),
    ], "1")
    new = _codings([
        _ev("i1#t2", "hub", "hub"),
        _ev("i1#t6", "hub", "network meeting"),
        _ev("i1#t4", "tools", "platform", status="negated", counts_for="", cue="no"),
        _ev("i1#t6", "tools", "directory"),
        _ev("i1#t8", "fresh", "harvest"),
    ], "2")
    return codebook_drift(old, new, _Book("book", "1", ["hub", "tools", "gone", "quiet"]),
                          _Book("book", "2", ["hub", "tools", "fresh", "quiet"]))


def test_summary_per_code(drift):
    assert list(drift.summary.columns) == list(SUMMARY)
    assert drift.summary.values.tolist() == [
        ["hub", "changed", 1, 2, 1, 0],
        ["tools", "changed", 2, 1, 0, 1],
        ["fresh", "added", 0, 1, 1, 0],
        ["quiet", "unchanged", 0, 0, 0, 0],
        ["gone", "removed", 1, 0, 0, 1],
    ]
    assert drift.unit == "turn" and drift.segments == 4
    assert drift.old["version"] == "1" and drift.new["version"] == "2"


def test_changes_carry_both_versions_evidence_and_text(drift):
    changes = drift.changes
    assert list(changes.columns) == list(CHANGES)
    assert changes[["code", "change", "segment_id"]].values.tolist() == [
        ["hub", "gained", "i1#t6"], ["tools", "lost", "i1#t4"],
        ["fresh", "gained", "i1#t8"], ["gone", "lost", "i1#t8"],
    ]
    lost = changes[changes["code"] == "tools"].iloc[0]
    assert lost["old_evidence"] == "«platform» tools/en/1"
    assert lost["new_evidence"] == "«platform» tools/en/1 negated by 'no', does not count"
    assert lost["text"] == "turn 4 text"
    assert lost["start"] == 40


def test_drift_json_is_plain(drift):
    data = json.loads(json.dumps(drift.to_dict()))
    assert data["codes"]["tools"]["lost"] == 1
    assert data["codes"]["tools"]["changes"][0]["segment_id"] == "i1#t4"
    assert data["codes"]["quiet"]["changes"] == []


def test_without_codebooks_codes_come_from_the_codings():
    old = _codings([_ev("i1#t2", "hub", "hub")], "1")
    new = _codings([_ev("i1#t4", "hub", "hub")], "2")
    drift = codebook_drift(old, new)
    assert drift.summary.values.tolist() == [["hub", "changed", 1, 1, 1, 1]]
    assert drift.old["name"] == "book"


def test_different_units_are_refused():
    old = _codings([], "1")
    new = _codings([], "2")
    new.unit = "sentence"
    with pytest.raises(ValueError):
        codebook_drift(old, new)

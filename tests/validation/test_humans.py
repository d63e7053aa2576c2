"""Reading human codings, and choosing the sides and the segments they are compared on."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from qualcode.codebook import load_codebook
from qualcode.coding import frames as columns
from qualcode.coding.engine import Codings
from qualcode.corpus.model import Corpus, Interview, Turn
from qualcode.errors import AgreementError, QualcodeError
from qualcode.validation.agreement import (
    MACHINE,
    agreement_report,
    align,
    disagreements,
)
from qualcode.validation.humans import read_human_codings
from support.paths import TESTS_DATA

CODEBOOK = TESTS_DATA / "codebooks" / "agreement_v1.yaml"


@pytest.fixture(scope="module")
def codebook():
    return load_codebook(CODEBOOK)


def _interview(iid: str, area: str, turns: int) -> Interview:
    """Turns alternate interviewer (odd) and respondent (even), as in the sample data."""
    made = [Turn(n, "Q" if n % 2 else "R", "interviewer" if n % 2 else "respondent", 0, 0, f"text {n}")
            for n in range(1, turns + 1)]
    return Interview(id=iid, file=f"{iid}.md", format="md", text="", turns=made,
                     metadata={"id": iid, "area": area}, language="en")


@pytest.fixture
def corpus() -> Corpus:
    return Corpus(root=Path("."), interviews=[_interview("i1", "north", 6), _interview("i2", "north", 4),
                                              _interview("i3", "south", 4)])


def _segments(corpus: Corpus) -> pd.DataFrame:
    rows = []
    for interview in corpus:
        for turn in interview.respondent_turns:
            rows.append((interview.segment_id(turn.n), interview.id, interview.area, turn.n, "turn",
                         turn.speaker, turn.role, 0, 0, 2, f"{interview.id} says {turn.n}"))
    return pd.DataFrame(rows, columns=list(columns.SEGMENTS))


@pytest.fixture
def segments(corpus) -> pd.DataFrame:
    return _segments(corpus)


def _codings(segments: pd.DataFrame, applied: list[tuple[str, str]]) -> Codings:
    evidence = pd.DataFrame(
        [(s, c, "theme", "present", 0, 4, "word", f"{c}/en/1", "", c, "rule", float("nan")) for s, c in applied],
        columns=list(columns.EVIDENCE))
    return Codings(segments=segments, codings=pd.DataFrame(columns=list(columns.CODINGS)),
                   evidence=evidence, unit="turn", by="area", pipeline="fast")


def _csv(tmp_path: Path, text: str, name: str = "human.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_reads_coders_lines_and_files(tmp_path, segments, codebook, corpus):
    path = _csv(tmp_path, "segment,code,coder\ni1#t2,local_hub,ann\ni1#t4,shared_tools,bob\n")
    frame = read_human_codings(path, segments, codebook, corpus=corpus)
    assert list(frame.columns) == ["segment", "code", "coder", "file", "line"]
    assert frame[["segment", "code", "coder", "line"]].values.tolist() == [
        ["i1#t2", "local_hub", "ann", 2], ["i1#t4", "shared_tools", "bob", 3]]
    assert frame.attrs["warnings"] == []


def test_coder_defaults_to_the_file_stem_and_files_combine(tmp_path, segments, codebook):
    a = _csv(tmp_path, "segment,code\ni1#t2,local_hub\n", "A.csv")
    b = _csv(tmp_path, "segment_id;code\ni1#t2;local_hub\ni2#t2;social_barriers\n", "B.csv")
    frame = read_human_codings([a, b], segments, codebook)
    assert frame["coder"].tolist() == ["A", "B", "B"]


def test_bom_duplicates_and_cp1252(tmp_path, segments, codebook):
    path = _csv(tmp_path, "\ufeffsegment,code,coder,note\ni1#t2,local_hub,ann,x\n\ni1#t2,local_hub,ann,y\n")
    frame = read_human_codings(path, segments, codebook)
    assert len(frame) == 1
    assert any("[W503]" in w for w in frame.attrs["warnings"])
    legacy = _csv(tmp_path, "segment,code,coder\ni1#t2,local_hub,Zoé\n", "legacy.csv", "cp1252")
    frame = read_human_codings(legacy, segments, codebook)
    assert frame["coder"].tolist() == ["Zoé"]
    assert any("[W101]" in w for w in frame.attrs["warnings"])


def test_unknown_segment_names_file_and_line(tmp_path, segments, codebook, corpus):
    path = _csv(tmp_path, "segment,code\ni1#t2,local_hub\ni1#t9,local_hub\n")
    with pytest.raises(AgreementError) as caught:
        read_human_codings(path, segments, codebook, corpus=corpus)
    message = str(caught.value)
    assert message.startswith(f"{path}:3: [E503]")
    assert "'i1#t9'" in message and "has 6 turns" in message
    assert caught.value.exit_code == 2
    assert isinstance(caught.value, QualcodeError)


def test_unknown_code_names_file_and_line_and_suggests(tmp_path, segments, codebook):
    path = _csv(tmp_path, "segment,code\ni1#t2,local_hubs\n")
    with pytest.raises(AgreementError) as caught:
        read_human_codings(path, segments, codebook)
    assert str(caught.value).startswith(f"{path}:2: [E504] unknown code 'local_hubs'")
    assert "did you mean 'local_hub'" in str(caught.value)


def test_every_problem_is_listed_at_once(tmp_path, segments, codebook, corpus):
    path = _csv(tmp_path, "segment,code\n"
                          "i1#t2,pole_emploi\n"      # an actor
                          "i1#t2.s1,local_hub\n"     # a sentence id at the turn unit
                          "zz#t2,local_hub\n"        # no such interview
                          "i1#t2,\n"                 # empty code
                          "nonsense,local_hub\n")
    with pytest.raises(AgreementError) as caught:
        read_human_codings(path, segments, codebook, corpus=corpus)
    text = str(caught.value)
    assert "[E507] 5 problem(s)" in text
    assert f"{path}:2: [E505]" in text
    assert f"{path}:3: [E503]" in text and "--unit sentence" in text
    assert f"{path}:4: [E503]" in text and "no interview 'zz'" in text
    assert f"{path}:5: [E506]" in text
    assert f"{path}:6: [E503]" in text and "#t<turn>" in text


def test_missing_column_and_missing_file(tmp_path, segments, codebook):
    with pytest.raises(AgreementError, match=r"human.csv:1: \[E502\] no column 'code'"):
        read_human_codings(_csv(tmp_path, "segment,theme\ni1#t2,local_hub\n"), segments, codebook)
    with pytest.raises(AgreementError, match=r"\[E501\]"):
        read_human_codings(tmp_path / "absent.csv", segments, codebook)


def test_interviewer_turns_are_left_out_with_a_warning(tmp_path, segments, codebook, corpus):
    path = _csv(tmp_path, "segment,code\ni1#t1,local_hub\ni1#t2,local_hub\n")
    frame = read_human_codings(path, segments, codebook, corpus=corpus)
    assert frame["segment"].tolist() == ["i1#t2"]
    [warning] = frame.attrs["warnings"]
    assert "[W501]" in warning and "line 2: i1#t1" in warning and "--include-interviewer" in warning
    # without the corpus an interviewer turn cannot be told from an unknown id
    with pytest.raises(AgreementError, match=r"\[E503\]"):
        read_human_codings(path, segments, codebook)


# --- align: the sides and the scope ----------------------------------------------


def _human(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame([(s, c, who, "h.csv", n + 2) for n, (s, c, who) in enumerate(rows)],
                        columns=["segment", "code", "coder", "file", "line"])


def test_one_coder_is_compared_with_qualcode_on_the_interviews_they_coded(segments):
    codings = _codings(segments, [("i1#t2", "local_hub"), ("i3#t2", "local_hub")])
    sides = align(codings, _human([("i1#t2", "local_hub", "ann"), ("i2#t4", "shared_tools", "ann")]))
    assert sides.coders == ("ann", MACHINE)
    assert sides.interviews == ("i1", "i2")
    assert sides.segments == ("i1#t2", "i1#t4", "i1#t6", "i2#t2", "i2#t4")
    assert sides.pairs[MACHINE] == {("i1#t2", "local_hub"), ("i3#t2", "local_hub")}
    whole = align(codings, _human([("i1#t2", "local_hub", "ann")]), whole_corpus=True)
    assert whole.interviews == ("i1", "i2", "i3")


def test_two_coders_are_compared_on_the_interviews_both_coded(segments):
    human = _human([("i1#t2", "local_hub", "ann"), ("i2#t2", "local_hub", "ann"),
                    ("i1#t2", "local_hub", "bob")])
    codings = _codings(segments, [])
    sides = align(codings, human)
    assert sides.coders == ("ann", "bob")
    assert sides.interviews == ("i1",)
    assert align(codings, human, coders=["bob"]).coders == ("bob", MACHINE)
    assert align(codings, human, coders=["bob", "ann"]).coders == ("bob", "ann")


def test_align_errors(segments):
    codings = _codings(segments, [])
    human = _human([("i1#t2", "local_hub", "ann"), ("i2#t2", "local_hub", "bob")])
    with pytest.raises(AgreementError, match=r"\[E510\]"):
        align(codings, human)
    with pytest.raises(AgreementError, match=r"\[E508\] no coder 'eve'"):
        align(codings, human, coders=["eve"])
    with pytest.raises(AgreementError, match=r"\[E511\]"):
        align(codings, _human([("i1#t2", "local_hub", MACHINE)]))
    with pytest.raises(AgreementError, match=r"\[E509\]"):
        align(codings, _human([]))


def test_report_and_disagreements_from_codings(segments, codebook):
    codings = _codings(segments, [("i1#t2", "local_hub"), ("i1#t4", "shared_tools")])
    human = _human([("i1#t2", "local_hub", "ann"), ("i1#t6", "local_hub", "ann")])
    human.attrs["warnings"] = ["a warning"]
    result = agreement_report(codings, human, codebook, resamples=50)
    assert result.unit == "turn"
    assert list(result.codes) == codebook.theme_ids
    assert result.codes["local_hub"].coded == {"ann": 2, MACHINE: 1}
    assert result.warnings == ("a warning",)
    assert result.to_dict()["codebook"]["name"] == "agreement_test"
    rows = disagreements(codings, human, codebook)
    assert rows[["code", "segment_id", "coded_by", "not_coded_by"]].values.tolist() == [
        ["local_hub", "i1#t6", "ann", MACHINE],
        ["shared_tools", "i1#t4", MACHINE, "ann"],
    ]
    assert rows.loc[1, "evidence"] == "«word» shared_tools/en/1"
    assert rows.loc[0, "evidence"] == ""
    assert rows.loc[0, "text"] == "i1 says 6"

"""`qualcode agree` and `qualcode diff` on a tiny English corpus, through Typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qualcode.cli import app
from support.paths import TESTS_DATA

V1 = str(TESTS_DATA / "codebooks" / "agreement_v1.yaml")
V2 = str(TESTS_DATA / "codebooks" / "agreement_v2.yaml")

INTERVIEWS = {
    "en_a": ("north", [
        ("Interviewer", "How do you work with the other providers?"),
        ("Adviser", "The coordination cell brings us together every month, and we keep a shared "
                    "directory of contacts."),
        ("Interviewer", "And the people you see?"),
        ("Adviser", "Housing comes first for many of them. The Region stopped funding the network "
                    "in 2022."),
        ("Interviewer", "Anything else?"),
        ("Adviser", "We have a network meeting twice a year with Pôle emploi."),
    ]),
    "en_b": ("north", [
        ("Interviewer", "How do you work with the other providers?"),
        ("Consultant", "There is no local hub here, each of us works alone."),
        ("Interviewer", "What helps?"),
        ("Consultant", "The phone platform helps, and transport is a real problem in the valley."),
        ("Interviewer", "And the economy?"),
        ("Consultant", "The harvest brings seasonal workers every autumn."),
    ]),
    "en_c": ("south", [
        ("Interviewer", "How do you work together?"),
        ("Respondent", "We share a phone platform and the coordination cell meets often."),
    ]),
}

# h1 and h2 code en_a and en_b; nobody codes en_c.
HUMAN = """segment,code,coder
en_a#t2,local_hub,h1
en_a#t2,shared_tools,h1
en_a#t4,social_barriers,h1
en_a#t4,regional_withdrawal,h1
en_a#t6,local_hub,h1
en_b#t4,shared_tools,h1
en_b#t4,social_barriers,h1
en_a#t2,local_hub,h2
en_a#t4,social_barriers,h2
en_b#t4,social_barriers,h2
en_b#t6,social_barriers,h2
"""


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for iid, (area, turns) in INTERVIEWS.items():
        body = "\n\n".join(f"{speaker}: {text}" for speaker, text in turns)
        front = f"---\nid: {iid}\narea: {area}\nlanguage: en\ninterviewers: [Interviewer]\n---\n\n"
        (folder / f"{iid}.md").write_text(front + body + "\n", encoding="utf-8")
    return folder


@pytest.fixture
def human(tmp_path: Path) -> Path:
    path = tmp_path / "human.csv"
    path.write_text(HUMAN, encoding="utf-8")
    return path


def _agree(runner, corpus, *args):
    return runner.invoke(app, ["agree", str(corpus), "--codebook", V1, "--no-cache", *args])


def test_agree_one_coder_against_qualcode(runner, corpus, human):
    result = _agree(runner, corpus, "--human", str(human), "--coder", "h1")
    assert result.exit_code == 0, result.output
    out = result.output
    flat = " ".join(out.split())
    assert "Agreement per code, turn unit: qualcode against h1 (reference)" in flat
    assert "6 segments in 2 interview(s)" in flat
    assert "pooled over codes: each segment × code decision is one item" in flat
    for code in ("local_hub", "shared_tools", "social_barriers", "regional_withdrawal",
                 "overall, pooled", "macro, 4 codes"):
        assert code in out
    assert "P, R, F1: precision, recall and F1 of qualcode against h1" in flat
    assert max(len(line) for line in out.splitlines()) <= 100


def test_agree_json_keys(runner, corpus, human):
    result = _agree(runner, corpus, "--human", str(human), "--coder", "h1", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"overall", "codes", "unit", "coders", "macro", "bootstrap"} <= set(data)
    assert data["unit"] == "turn"
    assert data["coders"] == ["h1", "qualcode"]
    assert data["interviews"] == ["en_a", "en_b"]
    keys = {"a_segments", "b_segments", "agreement", "kappa", "alpha", "precision", "recall", "f1",
            "ac1", "alpha_ci"}
    assert list(data["codes"]) == ["local_hub", "shared_tools", "social_barriers",
                                   "regional_withdrawal"]
    for code in data["codes"].values():
        assert keys <= set(code)
    hub = data["codes"]["local_hub"]
    # h1: en_a#t2 and en_a#t6; qualcode finds "coordination cell" in en_a#t2 only
    # (the "no local hub" of en_b#t2 is negated)
    assert (hub["a_segments"], hub["b_segments"]) == (2, 1)
    assert hub["precision"] == 1 and hub["recall"] == 0.5
    assert data["overall"]["a_segments"] == 7
    assert data["overall"]["pooled"].startswith("pooled over codes")


def test_agree_disagreements_and_csv(runner, corpus, human, tmp_path):
    target = tmp_path / "out" / "disagreements.csv"
    target.parent.mkdir()
    result = _agree(runner, corpus, "--human", str(human), "--coder", "h1", "--disagreements",
                    "--csv", str(target))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Disagreements, turn unit" in out
    assert "en_a#t6  coded by h1, not by qualcode" in out
    assert "evidence: none (no pattern of the code matched)" in out
    assert "We have a network meeting twice a year" in out
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "code,segment_id,interview_id,case,turn,start,end,coded_by,not_coded_by,evidence,text"
    assert lines[1].startswith("local_hub,en_a#t6,en_a,north,6,")


def test_agree_disagreements_show_the_evidence_that_fired(runner, corpus, tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("segment,code\nen_a#t2,local_hub\n", encoding="utf-8")
    result = _agree(runner, corpus, "--human", str(path), "--disagreements", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["disagreements"]
    shared = [r for r in rows if r["code"] == "shared_tools"]
    assert shared[0]["segment_id"] == "en_a#t2"
    assert shared[0]["coded_by"] == "qualcode" and shared[0]["not_coded_by"] == "h"
    assert "«shared directory» shared_tools/en/1" in shared[0]["evidence"]


def test_agree_two_human_coders(runner, corpus, human):
    result = _agree(runner, corpus, "--human", str(human), "--coder", "h1", "--coder", "h2", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["coders"] == ["h1", "h2"] and data["kappa_kind"] == "cohen"
    barriers = data["codes"]["social_barriers"]
    assert (barriers["a_segments"], barriers["b_segments"]) == (2, 3)
    assert data["codes"]["regional_withdrawal"]["b_segments"] == 0
    assert data["codes"]["regional_withdrawal"]["precision"] is None


def test_agree_two_files_and_three_coders(runner, corpus, human, tmp_path):
    extra = tmp_path / "carla.csv"
    extra.write_text("segment;code\nen_a#t2;local_hub\nen_b#t4;social_barriers\n", encoding="utf-8")
    result = _agree(runner, corpus, "--human", str(human), "--human", str(extra), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["coders"] == ["h1", "h2", "carla"]
    assert data["kappa_kind"] == "fleiss"
    assert data["codes"]["local_hub"]["coded"] == {"h1": 2, "h2": 1, "carla": 1}
    assert data["codes"]["local_hub"]["a_segments"] is None
    table = _agree(runner, corpus, "--human", str(human), "--human", str(extra))
    assert "3 coders: h1, h2, carla" in " ".join(table.output.split())
    assert "Fleiss" in table.output


def test_agree_whole_corpus_counts_uncoded_interviews_as_absences(runner, corpus, human):
    result = _agree(runner, corpus, "--human", str(human), "--coder", "h1", "--json", "--whole-corpus")
    data = json.loads(result.output)
    assert data["segments"] == 7 and data["interviews"] == ["en_a", "en_b", "en_c"]
    # qualcode codes en_c#t2 (coordination cell, phone platform): more for qualcode alone
    assert data["codes"]["local_hub"]["b_segments"] == 2


def test_agree_unknown_segment_exits_2_with_file_and_line(runner, corpus, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("segment,code\nen_a#t2,local_hub\nen_a#t99,local_hub\n", encoding="utf-8")
    result = _agree(runner, corpus, "--human", str(path))
    assert result.exit_code == 2
    assert f"{path}:3: [E503] unknown segment id 'en_a#t99'" in result.output


def test_agree_unknown_code_exits_2_with_file_and_line(runner, corpus, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("segment,code\nen_a#t2,local_hubs\n", encoding="utf-8")
    result = _agree(runner, corpus, "--human", str(path))
    assert result.exit_code == 2
    assert f"{path}:2: [E504] unknown code 'local_hubs'" in result.output


def test_agree_turn_ids_at_the_sentence_unit_say_which_unit(runner, corpus, human):
    result = _agree(runner, corpus, "--human", str(human), "--unit", "sentence")
    assert result.exit_code == 2
    assert "it is a turn id but the coding unit is sentence" in result.output


def test_agree_interviewer_turn_is_a_warning(runner, corpus, tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("segment,code\nen_a#t1,local_hub\nen_a#t2,local_hub\n", encoding="utf-8")
    result = _agree(runner, corpus, "--human", str(path), "--json")
    assert result.exit_code == 0, result.output
    assert "qualcode: warning:" in result.output and "[W501]" in result.output
    data = json.loads(result.output[result.output.index("{"):])
    assert data["codes"]["local_hub"]["a_segments"] == 1
    assert "line 2: en_a#t1" in data["warnings"][0]
    both = _agree(runner, corpus, "--human", str(path), "--include-interviewer", "--json")
    assert both.exit_code == 0, both.output
    assert json.loads(both.output[both.output.index("{"):])["codes"]["local_hub"]["a_segments"] == 2


def test_agree_unknown_coder_and_missing_file(runner, corpus, human, tmp_path):
    result = _agree(runner, corpus, "--human", str(human), "--coder", "zoe")
    assert result.exit_code == 2 and "[E508] no coder 'zoe'" in result.output
    result = _agree(runner, corpus, "--human", str(tmp_path / "absent.csv"))
    assert result.exit_code == 2


def test_diff_two_codebook_versions(runner, corpus, tmp_path):
    target = tmp_path / "drift.csv"
    result = runner.invoke(app, ["diff", str(corpus), "-c", V1, "-c", V2, "--no-cache",
                                 "--csv", str(target)])
    assert result.exit_code == 0, result.output
    out = result.output
    flat = " ".join(out.split())
    assert "Coding drift, turn unit, 7 segments: agreement_test 1.0 → agreement_test 2.0" in flat
    assert "local_hub: 1 gained, 0 lost" in out
    assert "+ en_a#t6" in out and "new: «network meeting» local_hub/en/3" in out
    assert "- en_b#t4" in out and "old: «phone platform» shared_tools/en/2" in out
    assert "seasonal_work" in out and "added" in out
    assert "regional_withdrawal" in out and "removed" in out
    rows = target.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("code,change,segment_id,interview_id,case,turn,start,end,old_evidence,")
    assert len(rows) == 1 + 5


def test_diff_json_and_usage(runner, corpus):
    result = runner.invoke(app, ["diff", str(corpus), "-c", V1, "-c", V2, "--no-cache", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["unit"] == "turn"
    assert data["codes"]["shared_tools"]["lost"] == 2
    assert {c["segment_id"] for c in data["codes"]["shared_tools"]["changes"]} == {"en_b#t4", "en_c#t2"}
    one = runner.invoke(app, ["diff", str(corpus), "-c", V1, "--no-cache"])
    assert one.exit_code == 2 and "[E512]" in one.output


def test_commands_have_help(runner):
    for command in ("agree", "diff"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0
        assert "Example" in result.output


def test_agree_csv_into_a_missing_folder_exits_2(runner, corpus, human, tmp_path):
    result = _agree(runner, corpus, "--human", str(human), "--coder", "h1",
                    "--csv", str(tmp_path / "no" / "such" / "folder.csv"))
    assert result.exit_code == 2
    assert "[E438] cannot write" in result.output

"""Learning from the researcher's coding: training, the model folder, coding with it, --next, suggest.

Real spaCy pipelines (the fast French one, to keep the suite quick), the
sample study and its human coding, the CLI through Typer's runner and as a
subprocess.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import qualcode
from qualcode.cli.app import app
from qualcode.errors import AgreementError, LearningError
from qualcode.learning.folder import MANIFEST, WEIGHTS, load_model, model_files
from qualcode.learning.learners import Platt
from qualcode.learning.select import NEXT_COLUMNS, pick, uncertainty
from qualcode.learning.training import OFF, best_threshold
from qualcode.workflows.code import CodingOptions, code
from qualcode.workflows.learn import PriorStudy, learn
from support.paths import BUNDLED_CODEBOOK, SAMPLE

CORPUS = SAMPLE / "cep_study"
HUMAN = SAMPLE / "human_coding.csv"
FAST = ["--pipeline", "fast"]


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("learn-cache")


@pytest.fixture(scope="module")
def options(cache) -> CodingOptions:
    return CodingOptions(pipeline="fast", cache_dir=cache)


#: a theme the researcher applies where no rule of the codebook would: wherever a turn speaks of
#: meetings ("réunion"), coder_a's coding gains `shared_local_issue`, so that the model has something
#: to carry to the interviews nobody coded, whatever the rules of the bundled codebook find
TAUGHT_WORD, TAUGHT_CODE = "réunion", "shared_local_issue"


@pytest.fixture(scope="module")
def taught(options, tmp_path_factory) -> Path:
    """coder_a's coding of the sample, and the taught theme in the turns of the interviews coder_a read."""
    rows = [r for r in csv.DictReader(HUMAN.open(encoding="utf-8")) if r["coder"] == "coder_a"]
    read = {r["segment"].split("#")[0] for r in rows}
    segments = code(CORPUS, options=options).codings.segments
    rows += [{"segment": s, "code": TAUGHT_CODE, "coder": "coder_a"}
             for s, interview, role, text in zip(segments["segment_id"], segments["interview_id"],
                                                 segments["role"], segments["text"])
             if interview in read and role == "respondent" and TAUGHT_WORD in text.lower()]
    path = tmp_path_factory.mktemp("taught") / "human.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["segment", "code", "coder"])
        writer.writeheader()
        writer.writerows({k: r[k] for k in ("segment", "code", "coder")} for r in rows)
    return path


@pytest.fixture(scope="module")
def run(options, taught):
    return learn(CORPUS, [taught], coder="coder_a", options=options, next_n=8)


@pytest.fixture(scope="module")
def model_dir(run, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("model") / "model"
    qualcode.write_folder(folder, run.files())
    return folder


def _copy(folder: Path, to: Path) -> Path:
    to.mkdir()
    for item in folder.iterdir():
        (to / item.name).write_bytes(item.read_bytes())
    return to


# --- small parts ----------------------------------------------------------------------

def test_best_threshold_leaves_a_useless_model_off():
    human = np.array([True, False, True, False])
    rules = human.copy()  # the rules are perfect: any model coding can only lose
    assert best_threshold(np.array([0.9, 0.8, 0.1, 0.7]), human, rules) == OFF
    assert best_threshold(np.array([0.9, 0.1, 0.8, 0.2]), human, np.zeros(4, dtype=bool)) < 1


def test_platt_is_monotone_and_finite_on_a_perfect_split():
    scores = np.array([-2.0, -1.0, 1.0, 2.0])
    platt = Platt.fit(scores, np.array([False, False, True, True]))
    p = platt(scores)
    assert np.all(np.diff(p) > 0) and np.all((p > 0) & (p < 1))


def test_next_spreads_over_cases_and_codes():
    u = uncertainty(np.array([[0.5], [0.49], [0.48], [0.9]]), np.array([0.5]))
    assert u[0, 0] == 1 and u[3, 0] < u[2, 0]
    chosen = pick(np.array([1.0, 0.99, 0.98, 0.6]), ["a", "a", "b", "c"], ["x", "x", "y", "z"], 2)
    assert chosen == [0, 2]  # the second of case a and code x counts a quarter


# --- training ---------------------------------------------------------------------------

def test_learn_reports_grouped_cross_validation_per_code(run):
    model = run.model
    assert model.folds >= 2 and model.interviews == 9
    assert set(model.cv) >= {"theme", "theme_rules"}
    learnt = [c for c in model.codes if c.learnt]
    assert learnt and all(c.cv is not None and c.cv_rules is not None for c in learnt)
    assert all(0.3 <= c.threshold <= OFF for c in learnt)
    # the sample's human coding has no actors: they stay with the rules
    assert not any(c.learnt for c in model.codes if c.kind == "actor")


def test_model_folder_is_plain_safe_and_reproducible(run, model_dir):
    assert sorted(p.name for p in model_dir.iterdir()) == ["human.json", MANIFEST, "vocabulary.json", WEIGHTS]
    manifest = json.loads((model_dir / MANIFEST).read_text(encoding="utf-8"))
    book = qualcode.load_codebook(None)
    assert manifest["codebook"] == {"name": book.name, "version": str(book.version), "sha256": book.sha256}
    assert manifest["human"][0]["sha256"] and manifest["learner"]["name"] == "logistic"
    assert manifest["training"]["grouped_by"] == "interview"
    assert manifest["codes"]["shared_tools"]["cv"]["f1"] is not None
    with np.load(model_dir / WEIGHTS, allow_pickle=False) as arrays:  # no object arrays
        assert arrays["coef"].dtype == np.float64
    assert model_files(run.model) == run.files()  # the same bytes twice
    loaded = load_model(model_dir, book)
    assert [c.code for c in loaded.learnt] == [c.code for c in run.model.learnt]
    assert loaded.vectoriser.vocabulary == run.model.vectoriser.vocabulary


def test_coding_with_the_model(model_dir, options, taught):
    plain = code(CORPUS, options=options)
    both = code(CORPUS, options=CodingOptions(pipeline="fast", cache_dir=options.cache_dir, model=model_dir))
    rows = both.codings.codings
    assert set(rows["source"]) <= {"rule", "model", "both", "human"}
    assert set(plain.codings.codings["source"]) == {"rule"}
    model_rows = rows[rows["source"] == "model"]
    assert TAUGHT_CODE in set(model_rows["code"]) and (model_rows["features"] != "").all()
    assert (model_rows["counts_for"] == model_rows["code"]).all()
    loaded = load_model(model_dir, both.codebook)
    for row in model_rows.itertuples(index=False):
        assert row.probability >= loaded.code(row.code).threshold
    # the human's segments keep the human's codes, and only them
    human = pd.read_csv(taught)
    mine = set(zip(human["segment"], human["code"]))
    read = {s.split("#")[0] for s in human["segment"]}
    applied = both.codings.applied("theme")
    in_read = {(s, c) for s, c in zip(applied["segment_id"], applied["code"]) if s.split("#")[0] in read}
    assert in_read == mine
    assert "model" in both.files()["manifest.json"]


def test_cli_code_and_analyze_with_the_model(runner, model_dir, cache, tmp_path):
    out = tmp_path / "coded"
    done = runner.invoke(app, ["code", str(CORPUS), *FAST, "--cache-dir", str(cache), "--model", str(model_dir),
                               "--out", str(out), "--quiet"])
    assert done.exit_code == 0, done.output
    with (out / "codings.csv").open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header[-3:] == ["source", "probability", "features"]
    done = runner.invoke(app, ["analyze", str(CORPUS / "brevanne"), *FAST, "--cache-dir", str(cache),
                               "--model", str(model_dir), "--out", str(tmp_path / "analysed"),
                               "--format", "csv"])
    assert done.exit_code == 0, done.output


def test_a_model_changed_by_hand_is_refused(runner, model_dir, cache, tmp_path):
    tampered = _copy(model_dir, tmp_path / "tampered")
    data = bytearray((tampered / WEIGHTS).read_bytes())
    data[-40] ^= 1
    (tampered / WEIGHTS).write_bytes(bytes(data))
    out = tmp_path / "out"
    done = runner.invoke(app, ["code", str(CORPUS / "brevanne"), *FAST, "--cache-dir", str(cache),
                               "--model", str(tampered), "--out", str(out)])
    assert done.exit_code == 2 and "E353" in done.output and not out.exists()
    edited = _copy(model_dir, tmp_path / "edited")
    manifest = json.loads((edited / MANIFEST).read_text(encoding="utf-8"))
    manifest["codes"]["shared_tools"]["threshold"] = 0.01
    (edited / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(LearningError, match="E353"):
        load_model(edited, qualcode.load_codebook(None))
    with pytest.raises(LearningError, match="E351"):
        load_model(tmp_path, qualcode.load_codebook(None))


def test_a_model_of_another_codebook_version_is_refused_unless_forced(runner, model_dir, cache, tmp_path):
    other = tmp_path / "book.yaml"
    text = BUNDLED_CODEBOOK.read_text(encoding="utf-8")
    bumped = re.sub(r'^version: "([^"]+)"', lambda m: f'version: "{m.group(1)}.1"', text, count=1, flags=re.M)
    assert bumped != text
    other.write_text(bumped, encoding="utf-8")
    args = ["code", str(CORPUS / "brevanne"), *FAST, "--cache-dir", str(cache), "--codebook", str(other),
            "--model", str(model_dir)]
    done = runner.invoke(app, [*args, "--out", str(tmp_path / "a")])
    assert done.exit_code == 2 and "E354" in done.output and not (tmp_path / "a").exists()
    done = runner.invoke(app, [*args, "--force-model", "--out", str(tmp_path / "b"), "--quiet"])
    assert done.exit_code == 0 and "W351" in done.output
    done = runner.invoke(app, ["code", str(CORPUS / "brevanne"), *FAST, "--cache-dir", str(cache),
                               "--model", str(model_dir), "--unit", "sentence"])
    assert done.exit_code == 2 and "E355" in done.output


# --- the command, --next and bad input ---------------------------------------------------

@pytest.mark.slow  # a whole learning session through the CLI: `make test-slow`
def test_cli_learn_writes_the_model_and_the_next_sheet_which_learn_reads_back(runner, cache, tmp_path):
    out = tmp_path / "model"
    sheet = tmp_path / "next.csv"
    done = runner.invoke(app, ["learn", str(CORPUS), "--human", str(HUMAN), "--coder", "coder_a", *FAST,
                               "--cache-dir", str(cache), "--out", str(out), "--next", "6", "--next-csv", str(sheet)])
    assert done.exit_code == 0, done.output
    assert "cross-validation grouped by interview" in done.output and (out / MANIFEST).is_file()
    rows = list(csv.DictReader(sheet.open(encoding="utf-8")))
    assert len(rows) == 6 and tuple(rows[0]) == NEXT_COLUMNS
    assert {r["scope"] for r in rows} == {"segment"}
    assert not {r["segment"].split("#")[0] for r in rows} & {"brevanne_animation", "sorlin_apec"}
    assert len({r["case"] for r in rows}) > 1
    rows[0]["code"], rows[0]["coder"] = "shared_tools;pole_emploi", "coder_a"
    for r in rows[1:]:
        r["coder"] = "coder_a"
    with sheet.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(NEXT_COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    again = learn(CORPUS, [HUMAN, sheet], coder="coder_a", options=CodingOptions(pipeline="fast", cache_dir=cache))
    assert again.model.segments == 78 + 6


def _human(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "human.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("content, code", [
    ("segment,code,coder\nbrevanne_apec#t99,shared_tools,a\n", "E503"),
    ("segment,code,coder\nbrevanne_apec#t2,shard_tools,a\n", "E515"),
    ("segment,code,coder\n", "E509"),
    ("", "E509"),
    ("segment,code,coder\nbrevanne_apec#t2,shared_tools,a\nbrevanne_apec#t4,shared_tools,b\n", "E516"),
    ("segment,code,coder\nbrevanne_apec#t2,shared_tools,a\n", "E350"),
    ("segment,code,coder,scope\nbrevanne_apec#t2,shared_tools,a,all\n", "E514"),
])
def test_bad_human_files_exit_2_and_write_nothing(runner, cache, tmp_path, content, code):
    out = tmp_path / "model"
    done = runner.invoke(app, ["learn", str(CORPUS / "brevanne"), "--human", str(_human(tmp_path, content)), *FAST,
                               "--cache-dir", str(cache), "--out", str(out)])
    assert done.exit_code == 2, done.output
    assert code in done.output and not out.exists()


def test_learn_from_python_names_the_problem(options, tmp_path):
    with pytest.raises(AgreementError, match="E515"):
        qualcode.learn(CORPUS / "brevanne", [_human(tmp_path, "segment,actor,coder\nbrevanne_apec#t2,apecc,a\n")],
                       options=options)


def test_suggest_writes_a_codebook_that_diff_reads(runner, cache, tmp_path):
    new, patch = tmp_path / "new.yaml", tmp_path / "edit.diff"
    done = runner.invoke(app, ["suggest", str(CORPUS), "--human", str(HUMAN), "--coder", "coder_a", *FAST,
                               "--cache-dir", str(cache), "--out", str(new), "--diff", str(patch), "--quiet"])
    assert done.exit_code == 0, done.output
    assert "suggestion(s) for the codebook" in done.output
    assert "suggested by qualcode suggest" in new.read_text(encoding="utf-8")
    assert patch.read_text(encoding="utf-8").startswith("--- a/cep_cooperation.yaml")
    qualcode.load_codebook(new)  # still a valid codebook
    done = runner.invoke(app, ["diff", str(CORPUS / "brevanne"), *FAST, "--cache-dir", str(cache),
                               "--codebook", str(BUNDLED_CODEBOOK), "--codebook", str(new), "--summary", "--quiet"])
    assert done.exit_code == 0, done.output


@pytest.mark.slow  # a whole learning session through the CLI: `make test-slow`
def test_subprocess_learn_then_code(tmp_path, cache):
    model = tmp_path / "model"
    base = [sys.executable, "-m", "qualcode"]
    done = subprocess.run([*base, "learn", str(CORPUS), "--human", str(HUMAN), "--coder", "coder_a", *FAST,
                           "--cache-dir", str(cache), "--out", str(model), "--quiet"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    done = subprocess.run([*base, "code", str(CORPUS / "sorlin"), *FAST, "--cache-dir", str(cache),
                           "--model", str(model), "--out", str(tmp_path / "out"), "--quiet"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "W352" in done.stderr  # Sorlin was coded by the human: its codes are kept


# --- a prior study ------------------------------------------------------------------------

def _area_coding(tmp_path: Path, area: str) -> Path:
    """coder_a's rows for one area of the sample, as a human file of its own."""
    rows = [r for r in csv.DictReader(HUMAN.open(encoding="utf-8"))
            if r["segment"].startswith(f"{area}_") and r["coder"] == "coder_a"]
    path = tmp_path / f"{area}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["segment", "code", "coder"])
        writer.writeheader()
        writer.writerows({k: r[k] for k in ("segment", "code", "coder")} for r in rows)
    return path


def test_a_prior_study_trains_the_model_but_is_never_scored(options, tmp_path, runner):
    own, other = "brevanne", "sorlin"
    alone = learn(CORPUS / own, [_area_coding(tmp_path, own)], coder="coder_a", options=options)
    prior = PriorStudy(CORPUS / other, [_area_coding(tmp_path, other)], "coder_a")
    helped = learn(CORPUS / own, [_area_coding(tmp_path, own)], coder="coder_a", options=options, prior=[prior])
    # the cross-validation still scores this corpus's segments only; the prior adds training rows
    assert helped.model.segments == alone.model.segments
    assert helped.model.examples > alone.model.examples
    assert [h.get("prior") for h in helped.model.human] == [None, other]
    assert helped.model.vectoriser.vocabulary != alone.model.vectoriser.vocabulary
    # the human decisions kept for coding are this corpus's only
    assert {s.split("#")[0].split("_")[0] for s, _, _ in helped.model.human_pairs} == {own}
    half = runner.invoke(app, ["learn", str(CORPUS / own), "--human", str(_area_coding(tmp_path, own)), *FAST,
                               "--prior", str(CORPUS / other), "--out", str(tmp_path / "m")])
    assert half.exit_code == 2 and "--prior-human" in half.output and not (tmp_path / "m").exists()

"""`qualcode classify` through Typer's CliRunner, on a results folder of `qualcode code`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from qualcode.cli import app
from support.corpora import write_cases_corpus as write_corpus
from support.paths import BUNDLED_CODEBOOK, TESTS_DATA

CASES_CODEBOOK = TESTS_DATA / "codebooks" / "cases.yaml"
CLASSIFICATION = ["case_matrix.csv", "classification.csv", "classification.json"]
CODING = ["codings.csv", "evidence.csv", "manifest.json", "segments.csv"]


@pytest.fixture(scope="module")
def coded(tmp_path_factory) -> Path:
    """`qualcode code` run once; each test gets a copy of its folder."""
    base = tmp_path_factory.mktemp("cli_classify")
    corpus = write_corpus(base / "corpus")
    out = base / "coded"
    result = CliRunner().invoke(app, ["code", str(corpus), "--out", str(out), "--codebook",
                                      str(CASES_CODEBOOK), "--no-cache", "--quiet"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def results(coded, tmp_path) -> Path:
    folder = tmp_path / "results"
    shutil.copytree(coded, folder)
    return folder


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_cli_classify_writes_the_three_files_into_the_results_folder(runner, results):
    before = _snapshot(results)
    result = runner.invoke(app, ["classify", str(results)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in results.iterdir()) == sorted(CLASSIFICATION + CODING)
    for name in ("segments.csv", "codings.csv", "evidence.csv"):
        assert (results / name).read_bytes() == before[name]
    table = pd.read_csv(results / "classification.csv", keep_default_na=False)
    assert list(table.columns) == ["case", "interviews", "verdict", "runner_up", "score_C1",
                                   "score_C2", "margin", "stability"]
    assert table[["case", "verdict", "runner_up"]].values.tolist() == [["north", "C1", "C2"],
                                                                       ["south", "C2", "C1"]]
    matrix = pd.read_csv(results / "case_matrix.csv")
    assert list(matrix.columns[:6]) == ["case", "code", "segments", "interviews", "interview_share",
                                        "word_share"]
    assert len(matrix) == 8
    # the table on standard output: plain (not a terminal) and narrow
    assert "north" in result.stdout and "C1" in result.stdout
    assert "\x1b[" not in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 100


def test_cli_classify_json_and_manifest(runner, results):
    coding_manifest = json.loads((results / "manifest.json").read_text(encoding="utf-8"))
    assert runner.invoke(app, ["classify", str(results)]).exit_code == 0
    text = (results / "classification.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    north = data["cases"][0]
    assert (north["case"], north["verdict"], north["stability"]) == ("north", "C1", 1.0)
    assert north["evidence"] and all(len(e["quote"]) <= 240 for e in north["evidence"])
    assert north["evidence"][0]["codes"][0] == "local_hub"
    assert {"actor_a": "pole_emploi", "actor_b": "mission_locale", "segments": 1} in north["network"]["pairs"]
    manifest = json.loads((results / "manifest.json").read_text(encoding="utf-8"))
    section = manifest.pop("classification")
    assert manifest == coding_manifest  # the coding part is untouched
    assert section["options"]["by"] == "area" and section["options"]["min_interviews"] == 2
    assert sorted(section["outputs"]) == CLASSIFICATION


def test_cli_classify_twice_gives_the_same_bytes(runner, results, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert runner.invoke(app, ["classify", str(results)]).exit_code == 0
    first = _snapshot(results)
    assert runner.invoke(app, ["classify", str(results)]).exit_code == 0
    assert _snapshot(results) == first


def test_cli_classify_options_override_the_codebook_rule(runner, results):
    result = runner.invoke(app, ["classify", str(results), "--min-interviews", "4", "--margin", "0.2",
                                 "--min-score", "0.5", "--measure", "segments"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(results / "classification.csv")
    assert set(table["verdict"]) == {"insufficient"}
    rule = json.loads((results / "classification.json").read_text(encoding="utf-8"))["rule"]
    assert (rule["measure"], rule["min_interviews"], rule["min_margin"], rule["min_score"]) == (
        "segments", 4, 0.2, 0.5)


def test_cli_classify_out_folder_needs_force_to_replace(runner, results, tmp_path):
    before = _snapshot(results)
    out = tmp_path / "elsewhere"
    assert runner.invoke(app, ["classify", str(results), "--out", str(out)]).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted([*CLASSIFICATION, "manifest.json"])
    assert _snapshot(results) == before
    again = runner.invoke(app, ["classify", str(results), "--out", str(out)])
    assert again.exit_code == 2 and "E402" in again.output
    assert runner.invoke(app, ["classify", str(results), "--out", str(out), "--force"]).exit_code == 0


def test_cli_classify_by_another_attribute_rereads_the_metadata(runner, results):
    result = runner.invoke(app, ["classify", str(results), "--by", "region"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(results / "classification.csv")
    assert list(table["case"]) == ["r1", "r2"]
    unknown = runner.invoke(app, ["classify", str(results), "--by", "team"])
    assert unknown.exit_code == 2 and "team" in unknown.output


def test_cli_classify_warns_when_the_codebook_changed(runner, results, tmp_path):
    changed = tmp_path / "changed.yaml"
    changed.write_text(CASES_CODEBOOK.read_text(encoding="utf-8").replace("min_margin: 0.1",
                                                                         "min_margin: 0.2"),
                       encoding="utf-8")
    result = runner.invoke(app, ["classify", str(results), "--codebook", str(changed)])
    assert result.exit_code == 0, result.output
    assert "W410" in result.output


@pytest.mark.skipif(not BUNDLED_CODEBOOK.is_file(), reason="the bundled codebook is not written yet")
def test_cli_classify_falls_back_to_the_bundled_codebook(runner, results):
    manifest = json.loads((results / "manifest.json").read_text(encoding="utf-8"))
    manifest["codebook"]["path"] = str(results / "gone.yaml")
    (results / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = runner.invoke(app, ["classify", str(results)])
    assert "W411" in result.output


@pytest.mark.parametrize("remove", ["segments.csv", "evidence.csv", "manifest.json"])
def test_cli_classify_bad_results_folder_exits_2(runner, results, remove):
    (results / remove).unlink()
    result = runner.invoke(app, ["classify", str(results)])
    assert result.exit_code == 2
    assert f"not a results folder (no {remove})" in result.output
    assert "Traceback" not in result.output
    assert not (results / "classification.csv").exists()


def test_cli_classify_missing_folder_and_bad_options_exit_2(runner, results, tmp_path):
    missing = runner.invoke(app, ["classify", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "E305" in missing.output
    assert runner.invoke(app, ["classify", str(results), "--measure", "turns"]).exit_code == 2
    assert runner.invoke(app, ["classify", str(results), "--margin", "2"]).exit_code == 2
    assert runner.invoke(app, ["classify", str(results), "--min-interviews", "0"]).exit_code == 2


def test_cli_classify_corrupt_csv_exits_2(runner, results):
    (results / "evidence.csv").write_text("nothing,useful\n1,2\n", encoding="utf-8")
    result = runner.invoke(app, ["classify", str(results)])
    assert result.exit_code == 2 and "evidence.csv" in result.output


def test_cli_classify_failure_leaves_the_folder_as_it_was(runner, results, monkeypatch):
    from qualcode.base import atomic

    before = _snapshot(results)

    def broken(step: str) -> None:
        if step == "folder:staged":
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic, "_hook", broken)
    result = runner.invoke(app, ["classify", str(results)])
    assert result.exit_code == 2 and "[E802]" in result.output  # a full disk is not a bug
    assert _snapshot(results) == before
    assert sorted(p.name for p in results.parent.iterdir()) == ["results"]  # no temporary folder left


def test_cli_classify_table_renders_within_100_columns():
    import io

    from rich.console import Console

    from qualcode.classification.classify import classify
    from qualcode.cli.views.classification import render_classification
    from support.classification import book, matrix

    cases = {f"a_rather_long_area_name_{n}": (5, {"x": n / 10, "y": 0.2}) for n in range(4)}
    result = classify(matrix(cases, ["x", "y", "z"]),
                      book({"C1": {"x": 1}, "C2": {"y": 1}, "C3": {"z": 1}, "C4": {"x": 1, "z": 1}}))
    for plain in (True, False):
        buffer = io.StringIO()
        Console(file=buffer, width=100, color_system=None, legacy_windows=False).print(
            render_classification(result, plain=plain))
        lines = buffer.getvalue().splitlines()
        assert max(len(line) for line in lines) <= 100
        assert any("a_rather_long_area_name_3" in line for line in lines)
        assert "rule: measure interviews" in buffer.getvalue()


def test_cli_classify_by_with_another_corpus(runner, results, coded, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(coded.parent / "corpus", corpus)
    changed = corpus / "north_1.md"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nRespondent: One more thing.\n",
                       encoding="utf-8")
    result = runner.invoke(app, ["classify", str(results), "--by", "region", "--corpus", str(corpus)])
    assert result.exit_code == 0, result.output
    assert "W412" in result.output and "north_1.md" in result.output
    (corpus / "south_3.md").unlink()
    missing = runner.invoke(app, ["classify", str(results), "--by", "region", "--corpus", str(corpus)])
    assert missing.exit_code == 2 and "E412" in missing.output and "south_3" in missing.output

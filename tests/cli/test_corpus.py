"""`qualcode corpus` through Typer's CliRunner, and one real subprocess run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from qualcode.cli import app
from qualcode.corpus.records import CORPUS_JSON_KEYS, TURN_JSON_KEYS

FR = ("---\nid: {id}\narea: {area}\nregion: {region}\nprovider: apec\nlanguage: fr\n---\n"
      "# Entretien\n\nEnquêtrice : Vous travaillez avec qui ?\n\n"
      "Conseillère : Avec la mission locale [inaudible] et Cap emploi.\n\n"
      "Enquêtrice : Merci.\n\nConseillère : Avec plaisir.\n")


def corpus_dir(root: Path) -> Path:
    (root / "nord").mkdir(parents=True)
    (root / "sud").mkdir()
    (root / "nord" / "a.md").write_text(FR.format(id="nord_a", area="lille", region="hauts"), "utf-8")
    (root / "sud" / "b.md").write_text(FR.format(id="sud_b", area="nice", region="paca"), "utf-8")
    (root / "README.md").write_text("# About\n", "utf-8")
    return root


def fails(runner, args: list[str], code: str, *names: str) -> str:
    result = runner.invoke(app, ["corpus", *args])
    assert result.exit_code == 2, result.output
    assert f"[{code}]" in result.output
    for name in names:
        assert name in result.output
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1
    return result.output


def test_table_summary_and_skipped(runner, tmp_path):
    root = corpus_dir(tmp_path / "c")
    result = runner.invoke(app, ["corpus", str(root)], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    for text in ("nord_a", "sud_b", "lille", "paca", "By region and area", "README.md", "skipped"):
        assert text in out
    assert max(len(line) for line in out.splitlines()) <= 100
    assert "\x1b[" not in out  # plain when not a terminal


def test_plain_turns_listing(runner, tmp_path):
    root = corpus_dir(tmp_path / "c")
    result = runner.invoke(app, ["corpus", str(root / "nord" / "a.md"), "--turns"])
    assert result.exit_code == 0, result.output
    assert "t2  Conseillère (respondent)" in result.stdout
    assert "[inaudible]" in result.stdout  # text, not rich markup


def test_json_keys_and_turns(runner, tmp_path):
    root = corpus_dir(tmp_path / "c")
    result = runner.invoke(app, ["corpus", str(root), "--json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert [tuple(r) for r in records] == [CORPUS_JSON_KEYS] * 2
    assert records[0]["id"] == "nord_a" and records[0]["file"] == "nord/a.md" and records[0]["turns"] == 4
    detailed = json.loads(runner.invoke(app, ["corpus", str(root), "--json", "--turns"]).stdout)
    turn = detailed[0]["turns"][1]
    assert tuple(turn) == TURN_JSON_KEYS
    assert (turn["n"], turn["speaker"], turn["role"]) == (2, "Conseillère", "respondent")
    text = (root / "nord" / "a.md").read_text("utf-8")
    assert text[turn["start"]:turn["end"]] == turn["text"]


def test_require_option_accepts_repeats_and_commas(runner, tmp_path):
    root = corpus_dir(tmp_path / "c")
    assert runner.invoke(app, ["corpus", str(root), "--require", "area,region",
                               "--require", "provider"]).exit_code == 0


def test_metadata_option(runner, tmp_path):
    root = corpus_dir(tmp_path / "c")
    table = tmp_path / "meta.csv"
    table.write_text("id,cohort\nnord_a,2024\nsud_b,2023\n", "utf-8")
    result = runner.invoke(app, ["corpus", str(root), "--metadata", str(table), "--json"])
    assert result.exit_code == 0, result.output
    assert [r["metadata"]["cohort"] for r in json.loads(result.stdout)] == ["2024", "2023"]


def test_strict_fails_on_a_warning(runner, tmp_path):
    (tmp_path / "notes.txt").write_text("Sans étiquette.\n", "utf-8")
    assert runner.invoke(app, ["corpus", str(tmp_path)]).exit_code == 0
    fails(runner, [str(tmp_path), "--strict"], "W102", "notes.txt")


# --- every bad input: one line naming the file, exit code 2, no traceback ------------

def test_missing_path(runner, tmp_path):
    fails(runner, [str(tmp_path / "absent")], "E101", "absent")


def test_empty_folder(runner, tmp_path):
    (tmp_path / "empty").mkdir()
    fails(runner, [str(tmp_path / "empty")], "E102", "empty")


def test_file_that_is_not_a_transcript(runner, tmp_path):
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    fails(runner, [str(tmp_path / "photo.png")], "E102", "photo.png")


def test_binary_txt(runner, tmp_path):
    (tmp_path / "scan.txt").write_bytes(b"%PDF-1.4\n\x00\x01\x02binary")
    fails(runner, [str(tmp_path)], "E103", "scan.txt")


def test_broken_docx(runner, tmp_path):
    (tmp_path / "report.docx").write_text("this is not a docx", "utf-8")
    fails(runner, [str(tmp_path)], "E104", "report.docx")


def test_metadata_row_for_a_missing_file(runner, tmp_path):
    root = corpus_dir(tmp_path / "c")
    (root / "metadata.csv").write_text("file,area\nnord/a.md,lille\nnord/ghost.md,x\n", "utf-8")
    fails(runner, [str(root)], "E105", "metadata.csv:3", "ghost.md")


def test_missing_required_area(runner, tmp_path):
    (tmp_path / "a.md").write_text("Q: Bonjour ?\nR: Oui.\n", "utf-8")
    fails(runner, [str(tmp_path), "--require", "area"], "E106", "a.md", "'area'")


def test_duplicate_ids(runner, tmp_path):
    root = corpus_dir(tmp_path / "c")
    (root / "sud" / "copy.md").write_text(FR.format(id="nord_a", area="x", region="y"), "utf-8")
    fails(runner, [str(root)], "E107", "nord/a.md", "sud/copy.md", "nord_a")


def test_conflicting_front_matter_and_table(runner, tmp_path):
    root = corpus_dir(tmp_path / "c")
    (root / "metadata.csv").write_text("file,area\nnord/a.md,roubaix\n", "utf-8")
    output = fails(runner, [str(root)], "E108", "a.md:3", "'lille'", "'roubaix'", "metadata.csv:2")
    assert "'area'" in output


def test_missing_metadata_file(runner, tmp_path):
    root = corpus_dir(tmp_path / "c")
    fails(runner, [str(root), "--metadata", str(tmp_path / "none.csv")], "E101", "none.csv")


def test_file_too_large(runner, tmp_path):
    with (tmp_path / "huge.md").open("wb") as handle:
        handle.truncate(20_000_001)
    fails(runner, [str(tmp_path)], "E114", "huge.md")


def test_help_has_an_example(runner):
    result = runner.invoke(app, ["corpus", "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output and "--require" in result.output


def test_sample_corpus_runs_when_present(runner, sample_corpus_dir):
    if not sample_corpus_dir.is_dir() or not any(sample_corpus_dir.rglob("*.md")):
        pytest.skip("sample_data/cep_study is not there yet")
    result = runner.invoke(app, ["corpus", str(sample_corpus_dir)])
    assert result.exit_code == 0, result.output


def test_subprocess_json(tmp_path):
    root = corpus_dir(tmp_path / "c")
    proc = subprocess.run([sys.executable, "-m", "qualcode", "corpus", str(root), "--json"],
                          capture_output=True, text=True, encoding="utf-8", check=False)
    assert proc.returncode == 0, proc.stderr
    records = json.loads(proc.stdout)
    assert [r["id"] for r in records] == ["nord_a", "sud_b"]
    assert records[1]["respondent_words"] > 0 and records[1]["warnings"] == []


def test_a_master_table_serves_a_subfolder_with_verbose_listing(runner, tmp_path):
    root = corpus_dir(tmp_path / "c")
    master = tmp_path / "c" / "master.csv"
    master.write_text("file,contact\nnord/a.md,cio\nsud/b.md,mission locale\n", "utf-8")
    result = runner.invoke(app, ["corpus", str(root / "nord"), "-m", str(master), "--json"])
    assert result.exit_code == 0, result.output
    [record] = json.loads(result.stdout)
    assert record["id"] == "nord_a" and "ignored" not in result.stderr
    result = runner.invoke(app, ["corpus", str(root / "nord"), "-m", str(master), "--verbose"])
    assert result.exit_code == 0, result.output
    assert f"{master}:3: sud/b.md: not in this run, ignored" in result.stderr
    # one file of the study, with the same table: its row is used, not ignored silently
    result = runner.invoke(app, ["corpus", str(root / "sud" / "b.md"), "-m", str(master), "--json"])
    assert json.loads(result.stdout)[0]["metadata"]["contact"] == "mission locale"

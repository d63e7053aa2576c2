"""`qualcode anonymise` through Typer's CliRunner, and one real subprocess run."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

from qualcode.anonymise import MAP_COLUMNS, REVIEW_COLUMNS
from qualcode.cli import app
from support.corpora import PERSONS, PLACES, plant, planted_names_in


def files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def fails(runner, args: list[str], code: str, *texts: str) -> str:
    result = runner.invoke(app, ["anonymise", *args])
    assert result.exit_code == 2, result.output
    assert f"[{code}]" in result.stderr
    for text in texts:
        assert text in " ".join(result.stderr.split())
    assert "Traceback" not in result.output
    return result.stderr


def test_writes_the_copy_and_says_where_the_map_went(runner, tmp_path):
    corpus = plant(tmp_path / "corpus")
    out, map_file = tmp_path / "shared", tmp_path / "private" / "map.csv"
    result = runner.invoke(app, ["anonymise", str(corpus), "--out", str(out), "--map", str(map_file)],
                           env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    assert files_under(out) == [".qualcode.json", "README.md", "en_a.md", "fr_a.md", "fr_b.txt", "metadata.csv"]
    for name in files_under(out):
        assert planted_names_in((out / name).read_text(encoding="utf-8")) == [], name
    assert planted_names_in(result.stdout) == []  # the summary names no one
    assert "PERSON" in result.stdout and "replacements" in result.stdout
    assert f"map written to {map_file}" in " ".join(result.stderr.split())
    with map_file.open(encoding="utf-8") as handle:
        assert tuple(next(csv.reader(handle))) == (*MAP_COLUMNS, "copy_id", "copy_sha256")
    assert map_file.stat().st_mode & 0o777 == 0o600


def test_without_map_the_command_says_it_is_irreversible(runner, tmp_path):
    corpus = plant(tmp_path / "corpus")
    result = runner.invoke(app, ["anonymise", str(corpus), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    said = " ".join(result.stderr.split())
    assert "no map was written" in said and "irreversible" in said
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "out"]


def test_a_map_inside_the_output_is_refused_and_nothing_is_written(runner, tmp_path):
    corpus = plant(tmp_path / "corpus")
    out = tmp_path / "out"
    fails(runner, [str(corpus), "--out", str(out), "--map", str(out / "map.csv")], "E701", "outside --out")
    fails(runner, [str(corpus), "--out", str(out), "--map", str(out / "sub" / "map.csv")], "E701")
    assert not out.exists()


def test_dry_run_lists_the_replacements_and_writes_nothing(runner, tmp_path):
    corpus = plant(tmp_path / "corpus")
    before = files_under(tmp_path)
    result = runner.invoke(app, ["anonymise", str(corpus), "--dry-run", "--out", str(tmp_path / "out"),
                                 "--map", str(tmp_path / "map.csv")], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert files_under(tmp_path) == before
    for name in ("Garnier", "Dunmore", "Saint-Aubin-de-Vaux", "[PERSON 3]", "fr_a.md (role)"):
        assert name in result.stdout
    said = " ".join(result.stderr.split())
    assert "nothing was written" in said and "no map either" in said


def test_dry_run_csv_for_scripts(runner, tmp_path):
    corpus = plant(tmp_path / "corpus")
    result = runner.invoke(app, ["anonymise", str(corpus), "--dry-run", "--csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert tuple(rows[0]) == REVIEW_COLUMNS
    originals = {r["original"] for r in rows}
    assert set(PERSONS) - {"Karim", "Benali"} <= originals and set(PLACES) <= originals
    garnier = next(r for r in rows if r["original"] == "Garnier")
    assert garnier["pseudonym"] == "[PERSON 3]" and garnier["occurrences"] == "6"


def test_usage_errors(runner, tmp_path):
    corpus = plant(tmp_path / "corpus")
    fails(runner, [str(corpus)], "E714", "--dry-run")
    fails(runner, [str(corpus), "--out", str(tmp_path / "o"), "--csv"], "E901", "--csv goes with --dry-run")
    fails(runner, [str(corpus), "--out", str(corpus / "anon")], "E433", "is inside the corpus")
    fails(runner, [str(corpus), "--dry-run", "--keep", str(tmp_path / "nope.txt")], "E703")
    (tmp_path / "replace.txt").write_text("Karim\tPERSONNAGE\n", encoding="utf-8")
    fails(runner, [str(corpus), "--dry-run", "--replace", str(tmp_path / "replace.txt")], "E704", "replace.txt:1")


def test_existing_output_and_map_need_force(runner, tmp_path):
    corpus = plant(tmp_path / "corpus")
    out, map_file = tmp_path / "out", tmp_path / "map.csv"
    args = [str(corpus), "--out", str(out), "--map", str(map_file)]
    assert runner.invoke(app, ["anonymise", *args]).exit_code == 0
    fails(runner, args, "E402")
    fails(runner, [str(corpus), "--out", str(tmp_path / "other"), "--map", str(map_file)], "E702", "--force")
    assert not (tmp_path / "other").exists()
    result = runner.invoke(app, ["anonymise", *args, "--force"])
    assert result.exit_code == 0, result.output


def test_keep_and_replace_files(runner, tmp_path):
    corpus = plant(tmp_path / "corpus")
    (tmp_path / "keep.txt").write_text("Dorvesnes\n", encoding="utf-8")
    (tmp_path / "replace.txt").write_text("caristes\tORG\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["anonymise", str(corpus), "--out", str(out), "--keep", str(tmp_path / "keep.txt"),
                                 "--replace", str(tmp_path / "replace.txt")])
    assert result.exit_code == 0, result.output
    fr_b = (out / "fr_b.txt").read_text(encoding="utf-8")
    assert "à Dorvesnes" in fr_b
    assert "recrute des [ORG " in (out / "fr_a.md").read_text(encoding="utf-8")


def test_restore_puts_the_names_back(runner, tmp_path):
    corpus = plant(tmp_path / "corpus")
    out, map_file, back = tmp_path / "out", tmp_path / "map.csv", tmp_path / "back"
    assert runner.invoke(app, ["anonymise", str(corpus), "--out", str(out), "--map", str(map_file)]).exit_code == 0
    result = runner.invoke(app, ["anonymise", str(out), "--restore", str(map_file), "--out", str(back)])
    assert result.exit_code == 0, result.output
    assert "personal data again" in " ".join(result.stderr.split())
    for name in ("fr_a.md", "fr_b.txt", "en_a.md"):
        assert (back / name).read_text(encoding="utf-8") == (corpus / name).read_text(encoding="utf-8")
    fails(runner, [str(out), "--restore", str(map_file)], "E901", "--out")


def test_subprocess_run(tmp_path):
    corpus = plant(tmp_path / "corpus")
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "qualcode", "anonymise", str(corpus), "--out", str(out),
                           "--map", str(tmp_path / "map.csv"), "--quiet"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "map written to" in done.stderr
    assert planted_names_in((out / "fr_a.md").read_text(encoding="utf-8")) == []
    refused = subprocess.run([sys.executable, "-m", "qualcode", "anonymise", str(corpus), "--out", str(out),
                              "--map", str(out / "map.csv"), "--force"], capture_output=True, text=True, timeout=600)
    assert refused.returncode == 2 and "[E701]" in refused.stderr


def test_one_file_may_be_copied_below_its_folder(runner, tmp_path):
    corpus = plant(tmp_path / "corpus")
    out = corpus / "shared"
    result = runner.invoke(app, ["anonymise", str(corpus / "fr_b.txt"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert files_under(out) == [".qualcode.json", "README.md", "fr_b.txt", "metadata.csv"]
    fails(runner, [str(corpus / "fr_b.txt"), "--out", str(corpus), "--force"], "E433", "contains the transcript")


def test_dry_run_shows_text_that_looks_like_markup_as_it_is(runner, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text("Enquêteur : Bonjour.\n\nR : Mme Garnier [/x] [bold]vient[/bold] demain.\n",
                                 encoding="utf-8")
    result = runner.invoke(app, ["anonymise", str(corpus), "--dry-run"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "[/x] [bold]vient[/bold]" in result.stdout

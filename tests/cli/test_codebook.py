"""`qualcode codebook validate | show | export` through Typer's CliRunner."""

from __future__ import annotations

import csv
import io

import pytest

from qualcode.cli import app
from qualcode.codebook import load as load_module
from support.paths import BUNDLED_CODEBOOK, TESTS_DATA

MINIMAL = TESTS_DATA / "codebooks" / "minimal.yaml"
SEVERAL = TESTS_DATA / "codebooks" / "invalid_several.yaml"


def test_cli_codebook_help(runner):
    result = runner.invoke(app, ["codebook", "--help"])
    assert result.exit_code == 0
    for command in ("validate", "show", "export"):
        assert command in result.output


def test_cli_codebook_validate_ok(runner):
    result = runner.invoke(app, ["codebook", "validate", str(MINIMAL)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "valid: 3 codes, 1 actors, 2 configurations, languages fr, en"
    assert result.stderr == ""


def test_cli_codebook_validate_reports_every_problem(runner):
    result = runner.invoke(app, ["codebook", "validate", str(SEVERAL)])
    assert result.exit_code == 2
    assert result.stdout == ""
    err = result.stderr
    assert err.startswith(f"qualcode: error: {SEVERAL}: [E201] invalid codebook (8 problem(s))")
    assert f"  {SEVERAL}:13: code 'shared_tools': group: [E214] unknown group 'infra'" in err
    assert f"  {SEVERAL}:38: configuration 'C1': indicator 'regional_support': [E212]" in err
    assert len(err.splitlines()) == 9
    assert "Traceback" not in result.output


def test_cli_codebook_validate_prints_warnings(runner, tmp_path):
    text = MINIMAL.read_text(encoding="utf-8").replace('"chacun de son côté"', '"ne ... que"')
    path = tmp_path / "cb.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["codebook", "validate", str(path)])
    assert result.exit_code == 0
    assert "qualcode: warning: " in result.stderr and "[W203]" in result.stderr
    assert result.stdout.startswith("valid: ")


def test_cli_codebook_validate_missing_file(runner, tmp_path):
    result = runner.invoke(app, ["codebook", "validate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "[E203] cannot read the codebook (no such file)" in result.stderr
    assert "Traceback" not in result.output


def test_cli_codebook_validate_defaults_to_bundled(runner, monkeypatch, tmp_path):
    monkeypatch.setattr(load_module, "bundled_codebook_path", lambda: MINIMAL)
    result = runner.invoke(app, ["codebook", "validate"])
    assert result.exit_code == 0
    assert result.stdout.startswith("valid: 3 codes")
    monkeypatch.setattr(load_module, "bundled_codebook_path", lambda: tmp_path / "cep_cooperation.yaml")
    result = runner.invoke(app, ["codebook", "validate"])
    assert result.exit_code == 2
    assert "[E233]" in result.stderr


def test_cli_codebook_show(runner):
    result = runner.invoke(app, ["codebook", "show", str(MINIMAL), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "local_coordination  Local coordination" in result.stdout
    assert "Coordination locale" not in result.stdout
    assert "+1.5  cooperation" in result.stdout


def test_cli_codebook_show_unknown_language(runner):
    result = runner.invoke(app, ["codebook", "show", str(MINIMAL), "--lang", "de"])
    assert result.exit_code == 2
    assert "[E232] 'de' is not a language of this codebook (fr, en)" in result.stderr


def test_cli_codebook_export_markdown_to_stdout(runner):
    result = runner.invoke(app, ["codebook", "export", str(MINIMAL), "--format", "md"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Codebook minimal / Minimal codebook\n")
    assert "#### `cooperation`: Coopération / Cooperation" in result.stdout


def test_cli_codebook_export_csv_to_file(runner, tmp_path):
    target = tmp_path / "codebook.csv"
    result = runner.invoke(app, ["codebook", "export", str(MINIMAL), "--format", "csv", "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"wrote {target}" in result.stderr
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == 8
    assert [p.name for p in tmp_path.iterdir()] == ["codebook.csv"]  # no temporary file left
    first = target.read_bytes()
    runner.invoke(app, ["codebook", "export", str(MINIMAL), "--format", "csv", "--out", str(target)])
    assert target.read_bytes() == first


def test_cli_codebook_export_unwritable(runner, tmp_path):
    result = runner.invoke(app, ["codebook", "export", str(MINIMAL), "--out", str(tmp_path / "no" / "x.md")])
    assert result.exit_code == 2
    assert "[E438] cannot write" in result.stderr


def test_cli_codebook_export_bad_format(runner):
    result = runner.invoke(app, ["codebook", "export", str(MINIMAL), "--format", "pdf"])
    assert result.exit_code == 2


def test_cli_codebook_bad_codebook_for_show_and_export(runner):
    for command in ("show", "export"):
        result = runner.invoke(app, ["codebook", command, str(SEVERAL)])
        assert result.exit_code == 2
        assert f"{SEVERAL}:13: " in result.stderr
        assert "Traceback" not in result.output


@pytest.mark.skipif(not BUNDLED_CODEBOOK.exists(), reason="the bundled codebook is being written")
def test_cli_codebook_validate_bundled(runner):
    result = runner.invoke(app, ["codebook", "validate"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("valid: ")

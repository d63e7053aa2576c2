"""What a newcomer trips on (issue 17's "smaller things"), each through the real CLI.

* `qualcode analyse` (British, like `anonymise`) runs `analyze`.
* `segments --code`/`--actor`/`--case` with a typo is an error with a
  did-you-mean (E420), never "no segment matches" and exit 0; a provider's
  label ("Pôle emploi", "France Travail") finds its id.
* Usage errors are one line (E902): tested in test_errors.py.
* `--help` names types plainly: no `<bool>`, no `<list[Path]>`.
* `qualcode report DIR` without `--out` shows the terminal report, not
  118 KB of HTML; `--format html` to a terminal is refused (E446) and
  redirected it is the file's text.
"""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qualcode.cli import app
from support.corpora import REPORT_CODEBOOK, write_report_corpus
from support.paths import ROOT


@pytest.fixture(scope="module")
def analysed(tmp_path_factory) -> Path:
    """The tiny report corpus through `qualcode analyse` (the British spelling)."""
    base = tmp_path_factory.mktemp("newcomer")
    corpus = write_report_corpus(base / "corpus")
    out = base / "results"
    result = CliRunner().invoke(app, ["analyse", str(corpus), "--codebook", str(REPORT_CODEBOOK), "--no-cache",
                                      "--quiet", "--quotes", "verbatim", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_analyse_is_analyze(analysed):
    assert (analysed / "report.html").is_file() and (analysed / "manifest.json").is_file()


@pytest.mark.parametrize("option, value, expected", [
    ("--code", "shared_tols", "did you mean 'shared_tools'?"),
    ("--actor", "mision_locale", "did you mean 'mission_locale'?"),
    ("--case", "norht", "did you mean"),
])
def test_a_typo_in_a_filter_is_an_error_with_a_suggestion(analysed, option, value, expected):
    result = CliRunner().invoke(app, ["segments", str(analysed), option, value])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "[E420]" in lines[0] and expected in lines[0], result.stderr
    assert "no segment matches" not in result.output


@pytest.mark.parametrize("value", ["France Travail", "france-travail", "Mission locale"])
def test_a_provider_is_found_by_its_label(analysed, value):
    result = CliRunner().invoke(app, ["segments", str(analysed), "--actor", value, "--csv"])
    assert result.exit_code == 0, result.output
    rows = result.stdout.splitlines()
    assert len(rows) > 1 and rows[0].startswith("segment_id,")


def _commands(group, path=()):
    from typer.main import get_command

    command = get_command(group) if not path else group
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield (*path, name), sub
        yield from _commands(sub, (*path, name))


def test_help_names_types_plainly(runner):
    seen = 0
    for path, _ in _commands(app):
        result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "160"})
        assert result.exit_code == 0, (path, result.output)
        for raw in ("<bool>", "<list[", "<path>", "<str>", "<int>"):
            assert raw not in result.output, (path, raw)
        seen += 1
    assert seen > 15


def test_report_without_out_is_the_terminal_report(analysed):
    result = CliRunner().invoke(app, ["report", str(analysed)], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    assert "<html" not in result.stdout and "<!DOCTYPE" not in result.stdout
    assert 0 < len(result.stdout) < 40_000
    assert "north" in result.stdout


def test_report_format_redirected_is_the_file_text(analysed, tmp_path):
    target = tmp_path / "report.md"
    done = subprocess.run([sys.executable, "-m", "qualcode", "report", str(analysed), "--format", "md"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    result = CliRunner().invoke(app, ["report", str(analysed), "--out", str(target)])  # .md: markdown
    assert result.exit_code == 0, result.output
    assert done.stdout == target.read_text(encoding="utf-8")


def test_report_html_to_a_terminal_is_refused(analysed):
    """A real terminal (a pseudo-tty): one line, exit 2, no HTML dumped."""
    leader, follower = pty.openpty()
    try:
        done = subprocess.run([sys.executable, "-m", "qualcode", "report", str(analysed), "--format", "html"],
                              stdout=follower, stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(follower)
    shown = b""
    try:
        while chunk := os.read(leader, 65536):
            shown += chunk
    except OSError:
        pass
    os.close(leader)
    assert done.returncode == 2, done.stderr
    assert "[E446]" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert b"<html" not in shown


def test_markdown_tables_have_a_header(analysed):
    """No table opens on an empty `| | |` row: every column is named."""
    lines = (analysed / "report.md").read_text(encoding="utf-8").splitlines()
    heads = [lines[n] for n in range(1, len(lines)) if lines[n].startswith("|---") or lines[n].startswith("| ---")]
    assert heads, "no table"
    for n, line in enumerate(lines[1:], start=1):
        if set(line.replace("|", "").strip()) <= {"-", ":", " "} and line.startswith("|"):
            cells = [c.strip() for c in lines[n - 1].strip("|").split("|")]
            assert all(cells), lines[n - 1]


# --- the README ---------------------------------------------------------------------------------

def _section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(f"## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end]


def _blocks(section: str, kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", section, flags=re.S)


def test_readme_smallest_folder_works(tmp_path):
    """The folder of "Your own transcripts", built from the README's own blocks, analyses with a verdict."""
    section = _section("Your own transcripts")
    (table,) = _blocks(section, "csv")
    (transcript,) = _blocks(section, "text")[1:]
    study = tmp_path / "my_study"
    study.mkdir()
    (study / "metadata.csv").write_text(table, encoding="utf-8")
    files = re.findall(r"^(\S+\.txt),", table, flags=re.M)
    assert len(files) == 3 and all(name in _blocks(section, "text")[0] for name in files)
    for name in files:
        (study / name).write_text(transcript, encoding="utf-8")
    listed = CliRunner().invoke(app, ["corpus", str(study)])
    assert listed.exit_code == 0, listed.output
    out = tmp_path / "results"
    result = CliRunner().invoke(app, ["analyze", str(study), "--out", str(out), "--no-cache", "--quiet"])
    assert result.exit_code == 0, result.output
    rows = (out / "classification.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 2 and rows[1].startswith("nord,") and ",insufficient," not in rows[1]


def test_readme_says_what_reproducibility_and_time_need():
    quick = _section("Quick start")
    assert "2-core" in quick and "make demo" in quick and "make test" in quick
    assert not re.search(r"[A-Z]+_TIME", quick)
    assert re.search(r"make install.*?\d", quick, flags=re.S)
    first = _section("A first session")
    assert "SOURCE_DATE_EPOCH" in first and "--lang" in first

"""`qualcode segments ... | head`: output cut short by its reader ends the run quietly, exit 0."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from qualcode.cli import app
from support.corpora import REPORT_CODEBOOK, write_report_corpus


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """Enough segments for more output than a pipe holds (64 KB), so that the writer meets the closed end."""
    base = tmp_path_factory.mktemp("segments")
    corpus = write_report_corpus(base / "corpus")
    answers = "".join(f"Interviewer: And then?\n\nRespondent: The local hub meets, time {n}.\n\n" for n in range(400))
    for n in range(4):
        (corpus / f"long_{n}.md").write_text(
            f"---\nid: long_{n}\narea: west\nregion: r4\nlanguage: en\ninterviewers: [Interviewer]\n---\n\n{answers}",
            encoding="utf-8")
    out = base / "results"
    result = CliRunner().invoke(app, ["code", str(corpus), "--codebook", str(REPORT_CODEBOOK), "--no-cache", "-q",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("options", [[], ["--csv"]], ids=["kwic", "csv"])
def test_a_reader_that_stops_early_is_no_error(results, options):
    """The shell's `| head -1`: the pipe closes after the first line."""
    script = (f"{sys.executable} -m qualcode segments {results} {' '.join(options)} --width 400 | head -c 20; "
              "echo; echo \"status=${PIPESTATUS[0]}\"")
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120,
                          env={"COLUMNS": "400", "PATH": "/usr/bin:/bin"})
    assert done.stdout.strip().endswith("status=0"), (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and "error" not in done.stderr.lower(), done.stderr

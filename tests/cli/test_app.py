"""The command-line application itself: version, help, module entry point."""

from __future__ import annotations

import subprocess
import sys

from qualcode import __version__
from qualcode.cli import app


def test_cli_version(runner):
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"qualcode {__version__}"


def test_cli_help_lists_commands(runner):
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_python_dash_m_runs_as_subprocess():
    proc = subprocess.run([sys.executable, "-m", "qualcode", "--version"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"qualcode {__version__}"

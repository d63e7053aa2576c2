"""One analysis of the sample study for every workbench test (the real CLI, SOURCE_DATE_EPOCH fixed)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qualcode.cli import app
from support.paths import SAMPLE

EPOCH = "1700000000"


@pytest.fixture(scope="session")
def sample_results(tmp_path_factory) -> Path:
    """`qualcode analyze sample_data/cep_study --out DIR`, classified, with its report."""
    out = tmp_path_factory.mktemp("workbench") / "results"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        result = CliRunner().invoke(app, ["analyze", str(SAMPLE / "cep_study"), "--out", str(out), "--quiet",
                                          "--cache-dir", str(tmp_path_factory.mktemp("workbench-cache"))])
    assert result.exit_code == 0, result.output
    return out



@pytest.fixture
def folder(sample_results, tmp_path) -> Path:
    """A copy of the sample's results folder, for a test that writes into it."""
    copy = tmp_path / "results"
    shutil.copytree(sample_results, copy)
    return copy

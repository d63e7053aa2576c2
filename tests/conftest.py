"""Shared fixtures: paths, the CLI runner, and the real spaCy pipelines (session-scoped)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
BUNDLED_CODEBOOK = ROOT / "codebooks" / "cep_cooperation.yaml"
TESTS_DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def sample_corpus_dir() -> Path:
    return SAMPLE / "cep_study"


@pytest.fixture(autouse=True, scope="session")
def _isolated_user_cache(tmp_path_factory):
    """Tests never read or write the real user cache (~/.cache/qualcode)."""
    import os

    folder = tmp_path_factory.mktemp("user-cache")
    previous = os.environ.get("QUALCODE_CACHE_DIR")
    os.environ["QUALCODE_CACHE_DIR"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("QUALCODE_CACHE_DIR", None)
    else:
        os.environ["QUALCODE_CACHE_DIR"] = previous

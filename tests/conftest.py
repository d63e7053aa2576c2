"""Shared fixtures (the CLI runner, the sample corpus, an isolated user cache) and the hypothesis profiles.

The paths and helpers that tests import live in the `support` package (tests/support/).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from support.paths import SAMPLE

# Property-based tests: a bounded budget in CI (`ci`, the default), many more
# examples with `make fuzz` (HYPOTHESIS_PROFILE=fuzz). The deadline is per example:
# an input that makes a reader slow fails the test instead of hanging CI.
settings.register_profile("ci", max_examples=40, deadline=5000,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("fuzz", max_examples=3000, deadline=5000,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


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

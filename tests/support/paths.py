"""Where things are: the repository, the sample data, the tests' own data folders."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
ROOT = TESTS.parent
SAMPLE = ROOT / "sample_data"
BUNDLED_CODEBOOK = ROOT / "src" / "qualcode" / "codebooks" / "cep_cooperation.yaml"
TESTS_DATA = TESTS / "data"
#: the small hostile files of tests/adversarial/ (listed in its README.md)
ADVERSARIAL = TESTS / "adversarial"

"""The codebook's own tests through the real pipeline: `qualcode codebook check`."""

from __future__ import annotations

from pathlib import Path

from qualcode.cli import app
from qualcode.codebook import load_codebook
from qualcode.validation.examples import check_codebook
from support.paths import TESTS_DATA

ENGINE = TESTS_DATA / "codebooks" / "engine.yaml"


def test_check_passes_on_a_consistent_codebook():
    report = check_codebook(load_codebook(ENGINE))
    assert report.checked == 4
    assert report.ok, [f.describe() for f in report.failures]


def test_check_reports_what_fired(tmp_path: Path):
    text = ENGINE.read_text(encoding="utf-8")
    # a counter-example that is coded, and an example that nothing catches
    text = text.replace('en: ["There is no local hub any more."]',
                        'en: ["The local hub meets on Mondays."]')
    text = text.replace('fr: ["La cellule d\'animation nous réunit chaque mois."]',
                        'fr: ["Le comité de pilotage se réunit."]')
    broken = tmp_path / "broken.yaml"
    broken.write_text(text, encoding="utf-8")
    report = check_codebook(load_codebook(broken))
    described = sorted(f.describe() for f in report.failures)
    assert len(described) == 2
    assert "nothing fired" in described[1] or "nothing fired" in described[0]
    assert any("'local hub'" in d and "counter-example" in d for d in described)


def test_cli_codebook_check_exit_codes(runner, tmp_path: Path):
    ok = runner.invoke(app, ["codebook", "check", str(ENGINE)])
    assert ok.exit_code == 0, ok.output
    assert "4/4" in ok.output
    text = ENGINE.read_text(encoding="utf-8").replace(
        'en: ["There is no local hub any more."]', 'en: ["The local hub meets on Mondays."]')
    broken = tmp_path / "broken.yaml"
    broken.write_text(text, encoding="utf-8")
    bad = runner.invoke(app, ["codebook", "check", str(broken)])
    assert bad.exit_code == 1
    assert "FAIL" in bad.output and "local_guidance_service (en)" in bad.output

"""Results folders: refused where replacing them would lose someone's files; portable manifests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qualcode.cli import app
from qualcode.errors import QualcodeError
from qualcode.results.folder import check_output_folder
from support.paths import TESTS_DATA

TRANSCRIPT = """---
id: one
area: north
language: fr
---

Enquêtrice : Et la coordination ?

Conseillère : La cellule d'animation nous réunit chaque mois, et l'annuaire commun aide.
"""


def test_check_output_folder_refusals(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "one.md").write_text(TRANSCRIPT, encoding="utf-8")
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "thesis.docx").write_bytes(b"mine")
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    cases = [
        (corpus, "E433"),                  # the corpus itself
        (corpus / "results", "E433"),      # inside it: the next run would read reports
        (tmp_path, "E433"),                # holds it: --force would delete it
        (documents, "E439"),               # someone's folder, not a results folder
        (a_file, "E403"),
    ]
    for out, code in cases:
        with pytest.raises(QualcodeError, match=code):
            check_output_folder(out, force=True, corpus=corpus)
    with pytest.raises(QualcodeError, match="E402"):
        check_output_folder(documents, force=False, corpus=corpus)
    check_output_folder(tmp_path / "results", force=False, corpus=corpus)  # new: fine


def test_cli_code_refuses_to_replace_a_folder_that_is_not_results(runner, tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "one.md").write_text(TRANSCRIPT, encoding="utf-8")
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "notes.txt").write_text("keep me", encoding="utf-8")
    result = runner.invoke(app, ["code", str(corpus), "--codebook", str(TESTS_DATA / "codebooks" / "engine.yaml"),
                                 "--out", str(documents), "--force", "--no-cache", "-q"])
    assert result.exit_code == 2
    assert "E439" in result.output and "Traceback" not in result.output
    assert (documents / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_manifest_names_the_bundled_codebook_without_a_machine_path(runner, tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "one.md").write_text(TRANSCRIPT, encoding="utf-8")
    out = tmp_path / "results"
    result = runner.invoke(app, ["code", str(corpus), "--out", str(out), "--no-cache", "-q"])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["codebook"]["bundled"] is True
    assert manifest["codebook"]["path"] == ""
    classified = runner.invoke(app, ["classify", str(out)])
    assert classified.exit_code == 0, classified.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["classification"]["codebook"]["bundled"] is True

"""Exporting a codebook (Markdown, CSV) and showing it as a tree."""

from __future__ import annotations

import csv
import io

import pytest
from rich.console import Console

from qualcode.codebook import (
    codebook_tree,
    export_codebook,
    load_codebook,
    parse_codebook,
)
from qualcode.codebook.export import CSV_COLUMNS, codebook_to_csv, codebook_to_markdown
from qualcode.errors import UsageError
from support.paths import TESTS_DATA

MINIMAL = TESTS_DATA / "codebooks" / "minimal.yaml"


@pytest.fixture(scope="module")
def minimal():
    return load_codebook(MINIMAL)


def render(renderable) -> str:
    console = Console(file=io.StringIO(), width=100, color_system=None, legacy_windows=False)
    console.print(renderable)
    return console.file.getvalue()


def test_codebook_export_markdown_contents(minimal):
    md = codebook_to_markdown(minimal)
    assert md.startswith("# Codebook minimal / Minimal codebook\n")
    assert f"| SHA-256 | `{minimal.sha256}` |" in md
    assert "| Version | 0.1.0 |" in md
    assert "| File | `minimal.yaml` |" in md  # the name only: no machine-dependent path
    assert str(MINIMAL.parent) not in md
    for code in minimal.codes:
        assert f"#### `{code.id}`: " in md
        for lang in minimal.languages:
            assert code.definition[lang] in md
    assert "### Politique régionale / Regional policy (`policy`)" in md
    assert "- (fr) une cellule ou un comité local d'animation" in md
    assert "**Counter-examples (must not be coded)**" in md
    assert "| fr | `comite_local` | `comité local` |" in md
    assert "| fr | `local_coordination/fr/3` | `SPRO` *(case-sensitive)* |" in md
    assert 'tokens `[{"NORM": "coordination"}, {"OP": "?"}' in md
    assert "### `pole_emploi`: Pôle emploi / Pôle emploi" in md
    assert "| `supprime` | `être supprimé` | backward | 8 | historical |" in md
    assert "| `silos` | Cloisonnement / Compartmentalisation | -1 |" in md
    assert "- Minimum interviews per case: 3" in md
    assert "A negated match counts for `cooperation`" in md
    assert md.endswith("*indeterminate*.\n")


def test_codebook_export_markdown_is_deterministic(minimal, tmp_path):
    copy = tmp_path / "minimal.yaml"
    copy.write_bytes(MINIMAL.read_bytes())
    assert codebook_to_markdown(load_codebook(copy)) == codebook_to_markdown(minimal)


def test_codebook_export_markdown_one_language(minimal):
    md = export_codebook(minimal, "md", ["en"])
    assert md.startswith("# Minimal codebook\n")
    assert "Coordination locale" not in md and "(fr)" not in md
    assert "#### `local_coordination`: Local coordination" in md


def test_codebook_export_markdown_escapes_prose():
    text = MINIMAL.read_text(encoding="utf-8").replace(
        "en: Each provider works on its own.", "en: \"Each *provider* works | on its own <b>_x_</b>\"")
    md = codebook_to_markdown(parse_codebook(text, source="x.yaml"))
    assert r"- (en) Each \*provider\* works \| on its own \<b\>\_x\_\</b\>" in md


def test_codebook_export_csv(minimal):
    text = codebook_to_csv(minimal)
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == (*CSV_COLUMNS, "weight_C1", "weight_C2")
    body = [dict(zip(rows[0], row)) for row in rows[1:]]
    assert len(body) == (len(minimal.codes) + len(minimal.actors)) * len(minimal.languages)
    assert [(r["kind"], r["id"], r["language"]) for r in body[:2]] == [
        ("theme", "local_coordination", "fr"), ("theme", "local_coordination", "en")]
    first = body[0]
    assert first["label"] == "Coordination locale"
    assert first["patterns"].splitlines() == [
        "cellule d'animation", "comité local", "SPRO [case-sensitive]",
        '[{"NORM": "coordination"}, {"OP": "?"}, {"NORM": {"IN": ["local", "territorial"]}}]']
    assert (first["weight_C1"], first["weight_C2"]) == ("3", "")
    silos = next(r for r in body if r["id"] == "silos")
    assert (silos["negated"], silos["weight_C1"], silos["weight_C2"]) == ("cooperation", "-1", "2")
    actor = body[-1]
    assert (actor["kind"], actor["id"], actor["language"], actor["group"]) == ("actor", "pole_emploi", "en", "")
    assert "\r" not in text


def test_codebook_export_csv_one_language(minimal):
    rows = list(csv.DictReader(io.StringIO(export_codebook(minimal, "csv", ["fr"]))))
    assert {r["language"] for r in rows} == {"fr"}


def test_codebook_export_unknown_language_or_format(minimal):
    with pytest.raises(UsageError, match=r"\[E232\] 'de' is not a language of this codebook \(fr, en\)"):
        export_codebook(minimal, "md", ["de"])
    with pytest.raises(UsageError, match="unknown export format 'pdf'"):
        export_codebook(minimal, "pdf")


def test_codebook_tree(minimal):
    text = render(codebook_tree(minimal))
    assert text.splitlines()[0].startswith("Codebook minimal / Minimal codebook  minimal 0.1.0  sha256 ")
    for needle in ("Codes (3 codes in 2 groups)", "policy  Politique régionale / Regional policy",
                   "local_coordination  Coordination locale / Local coordination",
                   "patterns: fr 4, en 2; historical → count", "negated → cooperation",
                   "pole_emploi  Pôle emploi / Pôle emploi  aliases: fr 3, en 2",
                   "fr: 3 cues (1 historical, 2 negated), 2 pseudo cues, 2 terminators",
                   "C1  Coordination / Coordination", "+3  local_coordination", "-1  silos",
                   "Decision  measure interviews, min_score 0.3, min_margin 0.1, min_interviews 3"):
        assert needle in text, needle


def test_codebook_tree_one_language(minimal):
    text = render(codebook_tree(minimal, ["fr"]))
    assert "Regional policy" not in text and "en 2" not in text
    assert "patterns: fr 4; historical → count" in text

"""Codebook tables: Taguette's CSV in, a CSV Taguette imports out, and back."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from qualcode.cli import app
from qualcode.codebook import load_codebook
from qualcode.codebook.export import codebook_to_csv
from qualcode.errors import InteropError
from qualcode.interop.qdc import import_qdc
from support.interop import INTEROP_CODEBOOK
from support.paths import BUNDLED_CODEBOOK

TAGUETTE = Path(__file__).parents[1] / "data" / "interop" / "taguette_codebook.csv"


def taguette_reads(text: str) -> list[dict[str, str]]:
    """Taguette's own rules for a codebook CSV (taguette/import_codebook.py, `list_tags_csv`), pinned here.

    The header is lower-cased; exactly one of `tag`, `name`, `path` names the
    tag; `description` and `parent` are optional; an empty row is skipped; a
    row with an empty name is refused.
    """
    reader = csv.reader(io.StringIO(text))
    header = [cell.lower() for cell in next(reader)]
    named = [c for c in ("tag", "name", "path") if c in header]
    assert len(named) == 1, f"Taguette refuses this header: {header}"
    col_path = header.index(named[0])
    col_description = header.index("description") if "description" in header else None
    col_parent = header.index("parent") if "parent" in header else None
    tags = []
    for row in reader:
        if not any(row):
            continue
        path = row[col_path].strip()
        assert path, "Taguette refuses a row with an empty tag name"
        tags.append({"path": path,
                     "description": row[col_description].strip() if col_description is not None else "",
                     "parent": row[col_parent].strip() if col_parent is not None else ""})
    return tags


@pytest.mark.parametrize("path", [INTEROP_CODEBOOK, BUNDLED_CODEBOOK])
def test_codebook_export_csv_is_a_codebook_taguette_imports(path):
    book = load_codebook(path)
    tags = taguette_reads(codebook_to_csv(book, ["fr"]))
    themes = [t for t in tags if t["path"] in {c.label["fr"] for c in book.codes}]
    assert [t["path"] for t in themes] == [c.label["fr"] for c in book.codes]
    assert [t["description"] for t in themes] == [c.definition["fr"] for c in book.codes]
    assert all(t["parent"] == "" for t in tags)


def test_taguettes_own_csv_becomes_a_codebook_that_loads(tmp_path):
    done = import_qdc(TAGUETTE, tmp_path / "book.yaml", languages=["fr"])
    book = load_codebook(tmp_path / "book.yaml")
    labels = [c.label["fr"] for c in book.codes]
    assert labels == ["Partenariats", "Outils partagés", "Freins à la coopération", "Orientation des jeunes",
                      "Mobilité"]
    freins = book.codes[2]
    assert freins.definition["fr"] == ("Concurrence entre opérateurs, objectifs chiffrés, manque de temps ; "
                                       '"on se marche dessus".')
    assert book.codes[3].definition["fr"] == "Orientation des jeunes"  # no description: the name
    assert (done.codes, done.groups) == (5, 1)  # no parent column: all "Sans groupe"
    assert [g.label["fr"] for g in book.groups] == ["Sans groupe"]


def test_taguette_round_trip_keeps_names_and_descriptions(tmp_path):
    """Taguette → qualcode → CSV → what Taguette reads: the same tags and descriptions."""
    import_qdc(TAGUETTE, tmp_path / "book.yaml")
    before = taguette_reads(TAGUETTE.read_text(encoding="utf-8"))
    after = taguette_reads(codebook_to_csv(load_codebook(tmp_path / "book.yaml")))
    # a tag without description gets its name as definition (a qualcode code must have one)
    expected = [{**t, "description": t["description"] or t["path"]} for t in before]
    assert after == expected


def test_parents_become_groups_and_qualcodes_own_table_reads_back(tmp_path):
    (tmp_path / "tags.csv").write_text(
        "name,description,parent\nCoopération,Travailler ensemble,\nOutils partagés,Un annuaire commun,Coopération\n"
        "Réunions,Des réunions communes,Coopération\nMobilité,Se déplacer,\n", encoding="utf-8")
    import_qdc(tmp_path / "tags.csv", tmp_path / "book.yaml")
    book = load_codebook(tmp_path / "book.yaml")
    assert [(g.label["fr"], [c.label["fr"] for c in book.codes if c.group == g.id]) for g in book.groups] == [
        ("Coopération", ["Coopération", "Outils partagés", "Réunions"]), ("Sans groupe", ["Mobilité"])]
    # qualcode's own table, in two languages: one code per id, its label in each language, actors left out
    own = load_codebook(INTEROP_CODEBOOK)
    (tmp_path / "own.csv").write_text(codebook_to_csv(own), encoding="utf-8")
    done = import_qdc(tmp_path / "own.csv", tmp_path / "own.yaml")
    back = load_codebook(tmp_path / "own.yaml")
    assert done.languages == list(own.languages)
    assert [c.id for c in back.codes] == [c.id for c in own.codes]
    assert [c.label for c in back.codes] == [c.label for c in own.codes]
    assert [c.definition for c in back.codes] == [c.definition for c in own.codes]
    assert [c.group for c in back.codes] == [c.group for c in own.codes]


def test_a_table_that_is_not_a_codebook_is_refused_in_one_line(runner, tmp_path):
    (tmp_path / "x.csv").write_text("label,definition\nA,b\n", encoding="utf-8")
    with pytest.raises(InteropError, match=r"E626.*no 'tag', 'name' or 'path' column"):
        import_qdc(tmp_path / "x.csv", tmp_path / "x.yaml")
    (tmp_path / "y.csv").write_text("tag,name\nA,b\n", encoding="utf-8")
    result = runner.invoke(app, ["import", "codebook", str(tmp_path / "y.csv"), "--out", str(tmp_path / "y.yaml")])
    assert result.exit_code == 2 and "[E626]" in result.output and "several name columns" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "y.yaml").exists()


def test_import_codebook_command_as_a_subprocess(tmp_path):
    out = tmp_path / "book.yaml"
    run = subprocess.run([sys.executable, "-m", "qualcode", "import", "codebook", str(TAGUETTE), "--out", str(out)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert "5 codes" in run.stderr
    check = subprocess.run([sys.executable, "-m", "qualcode", "codebook", "validate", str(out)],
                           capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr

"""A copy and its map are bound: one id and one digest, written in both; --restore refuses another's map.

The id is keyed with the user's key (nothing about the names can be tested
against it from the copy alone) and the same run gives the same bytes. Maps
and copies of older versions, without a binding, restore with a warning;
a copy edited after it was written restores with a warning too.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from qualcode.anonymise import anonymise_corpus, restore_folder
from qualcode.anonymise.mapfile import BINDING_COLUMNS, MAP_COLUMNS, files_digest, read_map_file
from qualcode.corpus import read_corpus
from qualcode.errors import AnonymiseError

TEXT = "---\nid: a\nlanguage: en\n---\n\nInterviewer: Who hired you?\n\nRespondent: Mrs Garnier hired me, with {who}.\n"


def _copy(base: Path, who: str, name: str) -> tuple[Path, Path, Path]:
    corpus = base / f"corpus-{name}"
    corpus.mkdir()
    (corpus / "a.md").write_text(TEXT.format(who=who), encoding="utf-8")
    result = anonymise_corpus(read_corpus(corpus), base / f"copy-{name}", map_path=base / f"map-{name}.csv")
    return corpus, result.out, base / f"map-{name}.csv"


def test_copy_and_map_record_the_same_binding(tmp_path):
    _, copy, map_file = _copy(tmp_path, "Marc Dubreuil", "one")
    marker = json.loads((copy / ".qualcode.json").read_text(encoding="utf-8"))
    binding = read_map_file(map_file).binding
    assert binding is not None and marker["copy_id"] == binding.id and marker["copy_sha256"] == binding.copy_sha256
    shared = {p.name: p.read_bytes() for p in copy.iterdir() if not p.name.startswith(".")}
    assert binding.copy_sha256 == files_digest(shared)
    assert "Dubreuil" not in (copy / ".qualcode.json").read_text(encoding="utf-8")


def test_the_same_corpus_gives_the_same_copy_and_map(tmp_path):
    first = _copy(tmp_path, "Marc Dubreuil", "one")
    second = _copy(tmp_path, "Marc Dubreuil", "two")
    for a, b in ((first[1] / ".qualcode.json", second[1] / ".qualcode.json"), (first[2], second[2])):
        assert a.read_bytes() == b.read_bytes()


def test_another_runs_map_is_refused(tmp_path):
    """Two copies that read alike ("[PERSON 2] hired me"): the other's map would restore the wrong name."""
    _, copy_one, _ = _copy(tmp_path, "Marc Dubreuil", "one")
    _, copy_two, map_two = _copy(tmp_path, "Hélène Darcourt", "two")
    assert (copy_one / "a.md").read_bytes() == (copy_two / "a.md").read_bytes()
    with pytest.raises(AnonymiseError, match=r"\[E715\].*the map is of copy \w+, this copy is \w+"):
        restore_folder(copy_one, map_two, tmp_path / "back")
    assert not (tmp_path / "back").exists()


def test_a_copy_without_a_marker_and_a_map_with_a_binding_do_not_go_together(tmp_path):
    _, copy, map_file = _copy(tmp_path, "Marc Dubreuil", "one")
    (copy / ".qualcode.json").unlink()
    with pytest.raises(AnonymiseError, match=r"\[E715\].*the copy has no id"):
        restore_folder(copy, map_file, tmp_path / "back")


def test_an_older_copy_and_map_restore_with_a_warning(tmp_path):
    corpus, copy, map_file = _copy(tmp_path, "Marc Dubreuil", "one")
    (copy / ".qualcode.json").unlink()
    with map_file.open(encoding="utf-8", newline="") as handle:
        rows = [row[:len(MAP_COLUMNS)] for row in csv.reader(handle)]
    assert rows[0] == list(MAP_COLUMNS)
    with map_file.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    notes: list[str] = []
    restore_folder(copy, map_file, tmp_path / "back", on_warning=notes.append)
    assert len(notes) == 1 and "[W702]" in notes[0]
    assert (tmp_path / "back" / "a.md").read_text(encoding="utf-8") == (corpus / "a.md").read_text(encoding="utf-8")


def test_an_edited_copy_restores_with_a_warning(tmp_path):
    _, copy, map_file = _copy(tmp_path, "Marc Dubreuil", "one")
    edited = tmp_path / "edited"
    shutil.copytree(copy, edited)
    (edited / "a.md").write_text((edited / "a.md").read_text(encoding="utf-8") + "\nA note.\n", encoding="utf-8")
    notes: list[str] = []
    restore_folder(edited, map_file, tmp_path / "back", on_warning=notes.append)
    assert len(notes) == 1 and "[W703]" in notes[0]
    assert "Marc Dubreuil" in (tmp_path / "back" / "a.md").read_text(encoding="utf-8")


def test_a_map_without_names_still_holds_its_binding(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text("---\nid: a\nlanguage: en\n---\n\nInterviewer: Hello.\n\nRespondent: Fine.\n",
                                 encoding="utf-8")
    result = anonymise_corpus(read_corpus(corpus), tmp_path / "copy", map_path=tmp_path / "map.csv")
    mapped = read_map_file(tmp_path / "map.csv")
    assert mapped.rows == [] and mapped.binding == result.binding
    header = (tmp_path / "map.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[-2:] == list(BINDING_COLUMNS)
    restore_folder(tmp_path / "copy", tmp_path / "map.csv", tmp_path / "back")


def test_a_map_that_cannot_be_written_changes_nothing(tmp_path, monkeypatch):
    """A full disk while the map is written: the previous map and copy stay, and no partial map is left."""
    from qualcode.base import atomic
    from qualcode.errors import OutputError

    corpus, copy, map_file = _copy(tmp_path, "Marc Dubreuil", "one")
    before = {p.name: p.read_bytes() for p in (*copy.iterdir(), map_file)}
    (corpus / "a.md").write_text(TEXT.format(who="Hélène Darcourt"), encoding="utf-8")

    def full(step: str) -> None:
        if step == "file:written":
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic, "_hook", full)
    with pytest.raises(OutputError, match=r"\[E438\].*No space left on device"):
        anonymise_corpus(read_corpus(corpus), copy, map_path=map_file, force=True)
    assert {p.name: p.read_bytes() for p in (*copy.iterdir(), map_file)} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy-one", "corpus-one", "map-one.csv"]

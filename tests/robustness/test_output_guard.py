"""Nothing lost: no command that writes replaces, deletes or writes into what it reads.

Every writing command (code, analyze, classify, report, export qdpx|qdc|
iramuteq|table, import qdpx|qdc, anonymise, anonymise --restore, codebook
export, agree and diff --csv) runs through the CLI against one workspace of
real inputs: a corpus, a codebook, a results folder and an analysis, a
REFI-QDA project and codebook, an anonymised copy and its map. For each:

* `--out` (with `--force`) a folder that holds its inputs, `--out` an input
  itself or a path inside an input folder: refused with E433 (the map:
  E716), exit 2, one line, every file of the workspace untouched;
* `--out` a symbolic link: refused with E442, the link and what it points
  to untouched (before, a folder was written beside the link's target);
* `--force` on something qualcode did not write: refused (E439, E443);
* and the cases the issue found, one by one.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from support.workspace import COMMANDS, SUFFIX, forced, run, run_in, write_workspace


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file()
                                               else "link" if p.is_symlink() else "folder")
            for p in sorted(folder.rglob("*"))}


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    return write_workspace(tmp_path_factory.mktemp("guard"))


#: an input of each command that is a file, and one inside an input folder, for `--out`
AN_INPUT = {"code": "inputs/corpus/north_1.md", "analyze": "inputs/codebook.yaml", "classify": "inputs/codebook.yaml",
            "report": "inputs/analysis/report.md", "export qdpx": "inputs/results/segments.csv",
            "export qdc": "inputs/codebook.yaml", "export iramuteq": "inputs/corpus/north_1.md",
            "export table": "inputs/results/segments.csv", "import qdpx": "inputs/project.qdpx",
            "import qdc": "inputs/codebook.qdc", "anonymise": "inputs/corpus", "anonymise --restore": "inputs/copy",
            "codebook export": "inputs/codebook.yaml", "agree --csv": "inputs/human.csv",
            "diff --csv": "inputs/codebook.yaml"}
#: a path inside a folder each command reads (None: it reads no folder, only files)
INSIDE = {"code": "inputs/corpus/new", "analyze": "inputs/corpus/new", "classify": "inputs/corpus/new",
          "report": "inputs/analysis/again.md", "export qdpx": "inputs/results/new.qdpx",
          "export qdc": None, "export iramuteq": "inputs/corpus/new.txt", "export table": "inputs/results/new.csv",
          "import qdpx": None, "import qdc": None, "anonymise": "inputs/corpus/new",
          "anonymise --restore": "inputs/copy/new", "codebook export": None, "agree --csv": "inputs/corpus/new.csv",
          "diff --csv": "inputs/corpus/new.csv"}


def refused(ws: Path, args: list[str], code: str) -> str:
    before = snapshot(ws)
    exit_code, output = run_in(ws, args)
    assert exit_code == 2, output
    assert f"[{code}]" in output and "Traceback" not in output, output
    assert len([line for line in output.splitlines() if line.startswith("qualcode: error:")]) == 1
    assert snapshot(ws) == before
    return output


@pytest.mark.parametrize("command", sorted(c for c, (_, kind, _) in COMMANDS.items() if kind == "folder"))
def test_force_never_replaces_a_folder_holding_the_inputs(ws, command):
    output = refused(ws, forced(command, "inputs"), "E433")
    assert "contains" in output


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_the_output_is_never_an_input(ws, command):
    target = AN_INPUT[command]
    output = refused(ws, forced(command, target), "E433")
    assert any(f" {relation} the " in " ".join(output.split()) for relation in ("is", "is inside", "contains"))


@pytest.mark.parametrize("command", sorted(c for c, inside in INSIDE.items() if inside is not None))
def test_the_output_never_goes_inside_an_input_folder(ws, command):
    make = COMMANDS[command][0]
    refused(ws, make(str(INSIDE[command])), "E433")


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_output_that_is_a_link_is_refused(ws, tmp_path, command):
    kind = COMMANDS[command][1]
    target = tmp_path / "target"
    if kind == "folder":
        target.mkdir()
    else:
        target.write_text("", encoding="utf-8")
    link = tmp_path / ("link" if kind == "folder" else "link.csv")
    link.symlink_to(target)
    before = snapshot(tmp_path)
    refused(ws, forced(command, str(link)), "E442")
    assert snapshot(tmp_path) == before and link.is_symlink()


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_force_replaces_only_what_qualcode_wrote(ws, tmp_path, command):
    kind = COMMANDS[command][1]
    target = tmp_path / ("theirs" if kind == "folder" else "theirs.csv" if "csv" in command or "table" in command
                         else "theirs.md" if command in ("report", "codebook export") else "theirs.out")
    if kind == "folder":
        target.mkdir()
        (target / "notes.txt").write_text("someone's work", encoding="utf-8")
    else:
        target.write_text("someone's work", encoding="utf-8")
    before = snapshot(tmp_path)
    refused(ws, forced(command, str(target)),
            "E439" if kind == "folder" else "E443")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_force_replaces_what_qualcode_wrote(ws, tmp_path, command):
    make, kind, _ = COMMANDS[command]
    target = tmp_path / ("out" if kind == "folder" else f"out{SUFFIX.get(command, '.csv')}")
    code, output = run_in(ws, make(str(target)))
    assert code == 0, output
    code, output = run_in(ws, forced(command, str(target)))
    assert code == 0, output
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no sibling left


# --- the cases of the issue ---------------------------------------------------------------------

def test_import_into_the_folder_of_its_project(ws, tmp_path):
    folder = tmp_path / "study"
    folder.mkdir()
    shutil.copy(ws / "inputs" / "project.qdpx", folder / "P.qdpx")
    (folder / "interview.md").write_text("Q: a\n\nR: b\n", encoding="utf-8")
    before = snapshot(folder)
    code, output = run("import", "qdpx", folder / "P.qdpx", "--out", folder, "--force")
    assert code == 2 and "[E433]" in output and "contains the project" in " ".join(output.split())
    assert snapshot(folder) == before


def test_anonymise_into_a_folder_holding_the_corpus(ws, tmp_path):
    shutil.copytree(ws / "inputs" / "corpus", tmp_path / "work" / "corpus")
    before = snapshot(tmp_path)
    code, output = run("anonymise", tmp_path / "work" / "corpus", "--out", tmp_path / "work", "--force")
    assert code == 2 and "[E433]" in output
    assert snapshot(tmp_path) == before


def test_restore_into_the_folder_of_the_map(ws, tmp_path):
    """With --restore the map is the only way back to the names: --force must never delete it."""
    shutil.copytree(ws / "inputs" / "copy", tmp_path / "copy")
    (tmp_path / "private").mkdir()
    shutil.copy(ws / "inputs" / "map.csv", tmp_path / "private" / "map.csv")
    before = snapshot(tmp_path)
    code, output = run("anonymise", tmp_path / "copy", "--restore", tmp_path / "private" / "map.csv",
                       "--out", tmp_path / "private", "--force")
    assert code == 2 and "[E433]" in output and "contains the map" in " ".join(output.split())
    assert snapshot(tmp_path) == before


def test_the_map_never_replaces_a_transcript(ws, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(ws / "inputs" / "corpus", corpus)
    before = snapshot(tmp_path)
    code, output = run("anonymise", corpus, "--out", tmp_path / "X", "--map", corpus / "north_1.md", "--force")
    assert code == 2 and "[E716]" in output
    code, output = run("anonymise", corpus, "--out", tmp_path / "X", "--map", corpus / "private" / "m.csv")
    assert code == 2 and "[E716]" in output and "inside the corpus" in " ".join(output.split())
    code, output = run("anonymise", corpus, "--out", tmp_path / "X", "--map", tmp_path / "X" / "m.csv")
    assert code == 2 and "[E701]" in output
    assert snapshot(tmp_path) == before


def test_a_report_inside_its_results_folder_would_break_the_manifest(ws):
    refused(ws, ["report", "inputs/analysis", "--quotes", "verbatim", "--out", "inputs/analysis/report.html",
                 "--force"], "E433")


def test_a_results_folder_keeps_the_mode_its_owner_gave_it(ws, tmp_path):
    out = tmp_path / "shared"
    code, output = run_in(ws, COMMANDS["classify"][0](str(out)))
    assert code == 0, output
    out.chmod(0o2775)  # a team's folder: group-writable, setgid
    (out / "classification.csv").chmod(0o664)
    code, output = run_in(ws, forced("classify", str(out)))
    assert code == 0, output
    assert out.stat().st_mode & 0o7777 == 0o2775

"""Kills at every step of every writer: what was there, or the new output, complete; never half, never lost.

Real processes, real signals, sent at a step of the atomic writer through its
step hook (`tests/support/killer.py`: no sleep, the same place every time):

* the folder writer (replacing a folder, or writing a new one; the swap by
  `renameat2(RENAME_EXCHANGE)` and the portable two-rename swap) and the file
  writer, each at every step, with SIGKILL, SIGTERM, SIGHUP and SIGINT. After
  the kill the target is the previous one or the new one, complete; SIGKILL
  between the two renames of the portable swap leaves it aside, and the next
  run's sweep puts it back (W801). A handled signal says what is on disk
  ("nothing was written" or "was written in full") and exits 128 + its
  number. After the next run, no hidden sibling stays.
* every writing command killed at one step of its write (the four signals
  spread over them): its output is as a complete run writes it, its inputs
  are untouched, the next run replaces it and leaves nothing behind.
* the anonymised copy and its map: killed between the map and the copy,
  the new map no longer restores the old copy (E715) instead of putting the
  wrong names back, and the next run binds them again.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from qualcode.base import atomic
from support.paths import TESTS
from support.workspace import COMMANDS, SUFFIX, forced, run_in, write_workspace

KILLER = TESTS / "support" / "killer.py"
SIGNALS = ["SIGKILL", "SIGTERM", "SIGHUP", "SIGINT"]
FOLDER_STEPS = ["folder:file#1", "folder:file#2", "folder:staged", "folder:swapped", "folder:done"]
PORTABLE_STEPS = [*FOLDER_STEPS[:3], "folder:moved-aside", *FOLDER_STEPS[3:]]
FILE_STEPS = ["file:written", "file:replaced"]
#: steps after which the new output is in place
IN_PLACE = {"folder:swapped", "folder:done", "file:replaced"}
EPOCH = "1700000000"  # SOURCE_DATE_EPOCH: the same inputs give the same bytes, killed run or not


def kill(at: str, sig: str, *args: str, cwd: Path | None = None, portable: bool = False) -> subprocess.CompletedProcess:
    command = [sys.executable, str(KILLER), at, sig, *(["--portable"] if portable else []), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=cwd,
                          env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})


def contents(folder: Path) -> dict[str, str] | None:
    if not folder.exists():
        return None
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*")) if p.is_file()}


def siblings(target: Path) -> list[str]:
    return sorted(p.name for p in target.parent.iterdir() if p.name.startswith(f".{target.name}."))


def check_exit(done: subprocess.CompletedProcess, sig: str, written: bool) -> None:
    """SIGKILL: the process is gone; else one line that says what is on disk, and 128 + the signal."""
    if sig == "SIGKILL":
        assert done.returncode == -signal.SIGKILL, done.stderr
        return
    assert done.returncode == 128 + getattr(signal, sig), (done.returncode, done.stderr)
    assert f"interrupted by {sig}" in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert ("written in full" if written else "nothing was written") in done.stderr, done.stderr


# --- the writers, at every step -----------------------------------------------------------------

OLD = {"a.csv": "old a\n", "manifest.json": "{}\n"}
NEW = {"a.csv": "new a.csv\n", "manifest.json": "new manifest.json\n"}  # a results folder: --force may replace it


@pytest.mark.parametrize("sig", SIGNALS)
@pytest.mark.parametrize("portable, step", [(False, s) for s in FOLDER_STEPS] + [(True, s) for s in PORTABLE_STEPS],
                         ids=[f"exchange-{s}" for s in FOLDER_STEPS] + [f"portable-{s}" for s in PORTABLE_STEPS])
def test_a_folder_replaced_and_killed_at_any_step(tmp_path, monkeypatch, portable, step, sig):
    target = tmp_path / "results"
    atomic.write_folder(target, OLD)
    done = kill(step, sig, "folder", str(target), "a.csv", "manifest.json", portable=portable)
    aside = step == "folder:moved-aside" and sig == "SIGKILL"  # the one moment the folder is not in place
    written = step.split("#")[0] in IN_PLACE or (step == "folder:moved-aside" and sig != "SIGKILL")
    check_exit(done, sig, written)
    if aside:
        assert contents(target) is None and len(siblings(target)) == 2
        notes = atomic.sweep(target)  # what the next run's output guard does first
        assert any("[W801]" in n for n in notes)
        assert contents(target) == OLD
    else:
        assert contents(target) == (NEW if written else OLD)
    monkeypatch.setattr(atomic, "use_renameat2", not portable)
    atomic.sweep(target)
    atomic.write_folder(target, {"c.csv": "next\n", "manifest.json": "{}\n"}, force=True)  # the next run
    assert contents(target) == {"c.csv": "next\n", "manifest.json": "{}\n"} and siblings(target) == []


@pytest.mark.parametrize("sig", SIGNALS)
@pytest.mark.parametrize("step", ["folder:file#1", "folder:staged", "folder:swapped", "folder:done"])
def test_a_new_folder_killed_at_any_step(tmp_path, step, sig):
    target = tmp_path / "results"
    done = kill(step, sig, "folder", str(target), "a.csv", "manifest.json")
    written = step in IN_PLACE
    check_exit(done, sig, written)
    assert contents(target) == (NEW if written else None)
    atomic.sweep(target)
    atomic.write_folder(target, NEW, force=True)
    assert contents(target) == NEW and siblings(target) == []


@pytest.mark.parametrize("sig", SIGNALS)
@pytest.mark.parametrize("previous", [True, False], ids=["replaced", "new"])
@pytest.mark.parametrize("step", FILE_STEPS)
def test_a_file_killed_at_any_step(tmp_path, step, sig, previous):
    target = tmp_path / "export.csv"
    if previous:
        target.write_text("old\n", encoding="utf-8")
    done = kill(step, sig, "file", str(target))
    written = step in IN_PLACE
    check_exit(done, sig, written)
    if written:
        assert target.read_text(encoding="utf-8") == "new\n"
    else:
        assert target.read_text(encoding="utf-8") == "old\n" if previous else not target.exists()
    atomic.sweep(target)
    atomic.write_file(target, "next\n", force=True)
    assert target.read_text(encoding="utf-8") == "next\n" and siblings(target) == []


# --- every writing command ------------------------------------------------------------------------

#: command -> (step, signal): every signal, every kind of step, spread over the commands
KILLS = {
    "code": ("folder:file", "SIGTERM"), "analyze": ("folder:swapped", "SIGKILL"),
    "classify": ("folder:staged", "SIGHUP"), "import qdpx": ("folder:done", "SIGINT"),
    "anonymise": ("folder:file#2", "SIGKILL"), "anonymise --restore": ("folder:swapped", "SIGTERM"),
    "report": ("file:written", "SIGKILL"), "export qdpx": ("file:replaced", "SIGHUP"),
    "export qdc": ("file:written", "SIGINT"), "export iramuteq": ("file:replaced", "SIGKILL"),
    "export table": ("file:written", "SIGTERM"), "import qdc": ("file:replaced", "SIGINT"),
    "codebook export": ("file:written", "SIGHUP"), "agree --csv": ("file:replaced", "SIGTERM"),
    "diff --csv": ("file:written", "SIGKILL"),
}


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    return write_workspace(tmp_path_factory.mktemp("kills"))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def output_of(path: Path) -> dict[str, bytes]:
    return snapshot(path) if path.is_dir() else {path.name: path.read_bytes()}


@pytest.mark.parametrize("command", sorted(KILLS))
def test_every_command_killed_while_writing_keeps_a_complete_output(ws, tmp_path, monkeypatch, command):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    _, kind, _ = COMMANDS[command]
    target = tmp_path / ("out" if kind == "folder" else f"out{SUFFIX.get(command, '.csv')}")
    code, output = run_in(ws, COMMANDS[command][0](str(target)))  # the previous output, complete
    assert code == 0, output
    complete = output_of(target)
    inputs = snapshot(ws / "inputs")
    step, sig = KILLS[command]
    done = kill(step, sig, "cli", *forced(command, str(target)), cwd=ws)
    check_exit(done, sig, step.split("#")[0] in IN_PLACE)
    assert output_of(target) == complete  # the previous one or the new one: the same bytes, all of them
    assert snapshot(ws / "inputs") == inputs
    code, output = run_in(ws, forced(command, str(target)))  # the next run
    assert code == 0, output
    assert output_of(target) == complete and siblings(target) == []
    pid = int(done.stderr.split("\n", 1)[0].removeprefix("pid "))
    assert list(Path(tempfile.gettempdir()).glob(f"qualcode-*-{pid}-*")) == []  # no scratch folder either


# --- the copy and its map ----------------------------------------------------------------------------

def test_a_copy_and_its_map_killed_between_them_are_never_mixed_up(ws, tmp_path):
    """The map is written first, with the copy: killed in between, the new map refuses the old copy."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    first = "Interviewer: Who hired you?\n\nRespondent: Mrs Garnier hired me, with Marc Dubreuil.\n"
    (corpus / "a.md").write_text(f"---\nid: a\nlanguage: en\n---\n\n{first}", encoding="utf-8")
    copy, map_file, back = tmp_path / "copy", tmp_path / "map.csv", tmp_path / "back"
    code, output = run_in(tmp_path, ["anonymise", str(corpus), "--out", str(copy), "--map", str(map_file)])
    assert code == 0, output
    old_copy = snapshot(copy)
    renamed = (corpus / "a.md").read_text(encoding="utf-8").replace("Marc Dubreuil", "Hélène Darcourt")
    (corpus / "a.md").write_text(renamed, encoding="utf-8")
    done = kill("file:replaced", "SIGKILL", "cli", "anonymise", str(corpus), "--out", str(copy), "--map",
                str(map_file), "--force", cwd=tmp_path)
    assert done.returncode == -signal.SIGKILL
    assert snapshot(copy) == old_copy and "Hélène Darcourt" in map_file.read_text(encoding="utf-8")
    code, output = run_in(tmp_path, ["anonymise", str(copy), "--restore", str(map_file), "--out", str(back)])
    assert code == 2 and "[E715]" in output and "does not belong to this copy" in " ".join(output.split())
    assert not back.exists()
    code, output = run_in(tmp_path, ["anonymise", str(corpus), "--out", str(copy), "--map", str(map_file), "--force"])
    assert code == 0, output
    code, output = run_in(tmp_path, ["anonymise", str(copy), "--restore", str(map_file), "--out", str(back)])
    assert code == 0, output
    assert (back / "a.md").read_text(encoding="utf-8") == (corpus / "a.md").read_text(encoding="utf-8")
    assert siblings(copy) == [] and siblings(map_file) == []


@pytest.mark.parametrize("sig", SIGNALS)
def test_a_map_killed_while_staged_is_removed_and_said(ws, tmp_path, sig):
    corpus = ws / "inputs" / "corpus"
    copy, map_file = tmp_path / "copy", tmp_path / "map.csv"
    done = kill("file:written", sig, "cli", "anonymise", str(corpus), "--out", str(copy), "--map", str(map_file),
                cwd=ws)
    killed = sig == "SIGKILL"
    check_exit(done, sig, not killed)  # a signal is held while the map and the copy are committed
    assert copy.exists() == map_file.exists() == (not killed)
    if not killed:
        assert f"{copy} and its map {map_file} were written in full" in " ".join(done.stderr.split())
    assert (siblings(map_file) != []) == killed  # a staged map, with every name, after a SIGKILL
    code, output = run_in(ws, ["anonymise", str(corpus), "--out", str(copy), "--map", str(map_file), "--force"])
    assert code == 0, output
    assert ("[W802]" in output) == killed
    assert siblings(map_file) == [] and siblings(copy) == []

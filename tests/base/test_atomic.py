"""The atomic writer in one process: modes, links, races, signals, the portable swap, leftovers.

Kills of real processes are in tests/robustness/test_kills.py; here the
writer is driven through its step hook and `os.kill` on this very process.
"""

from __future__ import annotations

import os
import signal
import stat
import tempfile
from pathlib import Path

import pytest

from qualcode.base import atomic
from qualcode.errors import Interrupted, OutputError, ResultsError

#: a results folder (manifest.json): what --force may replace
OLD = {"a.csv": "old\n", "manifest.json": "{}"}


def files(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*"))
            if p.is_file()}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.fixture
def hook(monkeypatch):
    """Set the step hook for one test (and the portable swap when asked)."""
    def use(function, *, portable: bool = False):
        monkeypatch.setattr(atomic, "_hook", function)
        monkeypatch.setattr(atomic, "use_renameat2", not portable)
    return use


# --- modes ----------------------------------------------------------------------------------

def test_new_outputs_get_the_usual_modes_not_mkstemp_ones(tmp_path):
    atomic.write_file(tmp_path / "a.csv", "x\n")
    atomic.write_folder(tmp_path / "results", {"a.csv": "x\n", "sub/b.csv": "y\n"})
    assert mode(tmp_path / "a.csv") == 0o666 & ~umask()
    assert mode(tmp_path / "results") == 0o777 & ~umask()
    assert mode(tmp_path / "results" / "a.csv") == 0o666 & ~umask()
    assert mode(tmp_path / "results" / "sub") == 0o777 & ~umask()


def test_replaced_outputs_keep_the_modes_their_owner_gave_them(tmp_path):
    target, folder = tmp_path / "a.csv", tmp_path / "results"
    atomic.write_file(target, "x\n")
    atomic.write_folder(folder, {"a.csv": "x\n", "manifest.json": "{}"})
    target.chmod(0o640)
    folder.chmod(0o2770)
    atomic.write_file(target, "y\n", force=True)
    atomic.write_folder(folder, {"a.csv": "y\n"}, force=True)
    assert mode(target) == 0o640 and mode(folder) == 0o2770


def test_a_private_file_is_written_private(tmp_path):
    atomic.write_file(tmp_path / "map.csv", "names\n", mode=0o600)
    assert mode(tmp_path / "map.csv") == 0o600


# --- links --------------------------------------------------------------------------------------

def test_an_output_that_is_a_link_is_never_written_through(tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_text("theirs\n", encoding="utf-8")
    (tmp_path / "link.csv").symlink_to(outside)
    (tmp_path / "dir").mkdir()
    (tmp_path / "linkdir").symlink_to(tmp_path / "dir")
    with pytest.raises(OutputError, match=r"\[E442\]"):
        atomic.write_file(tmp_path / "link.csv", "ours\n", force=True)
    with pytest.raises(ResultsError, match=r"\[E442\]"):
        atomic.write_folder(tmp_path / "linkdir", {"a": "b"}, force=True)
    assert outside.read_text(encoding="utf-8") == "theirs\n" and list((tmp_path / "dir").iterdir()) == []


def test_planted_links_named_like_temporary_files_are_never_followed(tmp_path):
    """The old writers opened `.NAME.<pid>.tmp`: a link planted in a shared folder was written through."""
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    shared = tmp_path / "shared"
    shared.mkdir()
    for pid in range(os.getpid() - 3, os.getpid() + 4):
        (shared / f".export.csv.{pid}.tmp").symlink_to(victim)
        (shared / f".export.csv.tmp-{pid}-aaaaaaaa").symlink_to(victim)
    atomic.write_file(shared / "export.csv", "ours\n")
    atomic.write_folder(shared / "results", {"a.csv": "ours\n"})
    assert victim.read_text(encoding="utf-8") == "keep me\n"
    assert (shared / "export.csv").read_text(encoding="utf-8") == "ours\n"


# --- races -----------------------------------------------------------------------------------------

def test_force_replaces_only_a_folder_qualcode_wrote_even_from_a_script(tmp_path):
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "thesis.docx").write_bytes(b"years of work")
    with pytest.raises(ResultsError, match=r"\[E439\]"):
        atomic.write_folder(tmp_path / "documents", {"a.csv": "x"}, force=True)
    assert files(tmp_path / "documents") == {"thesis.docx": "years of work"}


def test_a_folder_another_run_wrote_meanwhile_is_not_replaced_without_force(tmp_path):
    out = tmp_path / "results"
    with pytest.raises(ResultsError, match=r"\[E444\]"), atomic.staged_folder(out) as stage:
        stage.write("mine.csv", "mine\n")
        out.mkdir()  # another run, faster
        (out / "theirs.csv").write_text("theirs\n", encoding="utf-8")
    assert files(out) == {"theirs.csv": "theirs\n"} and sorted(p.name for p in tmp_path.iterdir()) == ["results"]


@pytest.mark.parametrize("portable", [False, True], ids=["exchange", "portable"])
def test_with_force_the_last_run_wins_whole(tmp_path, hook, portable):
    hook(None, portable=portable)
    out = tmp_path / "results"
    with atomic.staged_folder(out, force=True) as stage:
        stage.write("mine.csv", "mine\n")
        out.mkdir()
        (out / "theirs.csv").write_text("theirs\n", encoding="utf-8")
    assert files(out) == {"mine.csv": "mine\n"} and sorted(p.name for p in tmp_path.iterdir()) == ["results"]


# --- signals --------------------------------------------------------------------------------------

@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_while_staging_rolls_back_and_says_so(tmp_path, hook, sig):
    out = tmp_path / "results"
    atomic.write_folder(out, OLD)
    before = signal.getsignal(signal.SIGTERM)
    hook(lambda step: os.kill(os.getpid(), sig) if step == "folder:file" else None)
    with pytest.raises(Interrupted) as caught:
        atomic.write_folder(out, {"a.csv": "new\n", "b.csv": "new\n"}, force=True)
    assert caught.value.signum == sig and caught.value.exit_code == 128 + sig
    assert caught.value.note == f"nothing was written: {out} is as it was"
    assert files(out) == OLD and sorted(p.name for p in tmp_path.iterdir()) == ["results"]
    assert signal.getsignal(signal.SIGTERM) == before  # the handlers are the process' again


@pytest.mark.parametrize("portable", [False, True], ids=["exchange", "portable"])
def test_a_signal_just_before_the_swap_rolls_back(tmp_path, hook, portable):
    out = tmp_path / "results"
    atomic.write_folder(out, OLD)
    hook(lambda step: os.kill(os.getpid(), signal.SIGTERM) if step == "folder:staged" else None, portable=portable)
    with pytest.raises(Interrupted) as caught:
        atomic.write_folder(out, {"a.csv": "new\n"}, force=True)
    assert caught.value.note.startswith("nothing was written")
    assert files(out) == OLD and sorted(p.name for p in tmp_path.iterdir()) == ["results"]


def test_a_signal_during_the_swap_is_delivered_after_it(tmp_path, hook):
    out = tmp_path / "results"
    atomic.write_folder(out, OLD)
    hook(lambda step: os.kill(os.getpid(), signal.SIGHUP) if step == "folder:swapped" else None)
    with pytest.raises(Interrupted) as caught:
        atomic.write_folder(out, {"a.csv": "new\n"}, force=True)
    assert caught.value.note == f"{out} was written in full"
    assert files(out) == {"a.csv": "new\n"} and sorted(p.name for p in tmp_path.iterdir()) == ["results"]


def test_a_file_interrupted_after_its_rename_says_it_was_written(tmp_path, hook):
    hook(lambda step: os.kill(os.getpid(), signal.SIGTERM) if step == "file:replaced" else None)
    with pytest.raises(Interrupted) as caught:
        atomic.write_file(tmp_path / "a.csv", "new\n")
    assert "was written in full" in caught.value.note and (tmp_path / "a.csv").read_text(encoding="utf-8") == "new\n"


# --- leftovers --------------------------------------------------------------------------------------

def _dead_pid() -> int:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(done.stdout)


def test_sweep_removes_what_dead_runs_left_and_leaves_live_ones(tmp_path):
    dead, live = _dead_pid(), os.getppid()
    target = tmp_path / "results"
    target.mkdir()
    (tmp_path / f".results.tmp-{dead}-abcdefgh").mkdir()
    (tmp_path / f".results.old-{dead}-abcdefgh").mkdir()
    (tmp_path / ".results.tmp-abcdefgh").mkdir()  # an older qualcode's name
    (tmp_path / f".results.tmp-{live}-abcdefgh").mkdir()  # another run, still writing
    (tmp_path / f".other.tmp-{dead}-abcdefgh").mkdir()  # another output's
    assert atomic.sweep(target) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f".other.tmp-{dead}-abcdefgh", f".results.tmp-{live}-abcdefgh", "results"])


def test_sweep_puts_a_folder_left_aside_back(tmp_path):
    dead = _dead_pid()
    aside = tmp_path / f".results.old-{dead}-abcdefgh"
    aside.mkdir()
    (aside / "a.csv").write_text("previous\n", encoding="utf-8")
    (tmp_path / f".results.tmp-{dead}-abcdefgh").mkdir()
    notes = atomic.sweep(tmp_path / "results")
    assert len(notes) == 1 and "[W801]" in notes[0]
    assert files(tmp_path / "results") == {"a.csv": "previous\n"}
    assert [p.name for p in tmp_path.iterdir()] == ["results"]


def test_sweep_says_when_it_removes_a_staged_map(tmp_path):
    dead = _dead_pid()
    (tmp_path / f".map.csv.tmp-{dead}-abcdefgh").write_text("names\n", encoding="utf-8")
    (tmp_path / ".map.csv.abcdefgh.tmp").write_text("names\n", encoding="utf-8")  # an older qualcode's
    notes = atomic.sweep(tmp_path / "map.csv", private=True)
    assert len(notes) == 2 and all("[W802]" in n for n in notes)
    assert list(tmp_path.iterdir()) == []


def test_scratch_folders_of_dead_runs_are_removed_by_the_next(tmp_path):
    dead = _dead_pid()
    base = Path(tempfile.gettempdir())
    left = base / f"qualcode-test-{dead}-abcdefgh"
    left.mkdir(exist_ok=True)
    live = base / f"qualcode-test-{os.getppid()}-abcdefgh"
    live.mkdir(exist_ok=True)
    try:
        with atomic.scratch_folder("test") as scratch:
            assert scratch.is_dir() and not left.exists() and live.exists()
        assert not scratch.exists()
    finally:
        for folder in (left, live):
            if folder.exists():
                folder.rmdir()

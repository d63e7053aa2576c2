"""Nothing is lost: inputs are never written, an interrupted write keeps the previous results, the cache heals.

* A full session over a copy of the sample corpus (corpus, code, classify,
  segments, every export, analyze) never opens a corpus file for writing:
  every open, rename and removal is watched, and every file's SHA-256 and
  mtime are the same afterwards.
* `base.atomic.write_folder` (which every folder qualcode writes goes
  through) is made to fail at each of its steps in turn, through its step
  hook, by an OSError or an interruption: before the swap the previous folder
  stays as it was, after it the new one is complete, and no temporary sibling
  is left. (Kills of real processes are in `test_kills.py`.)
* The cache survives two processes coding the same corpus into it at once,
  and entries that are truncated, random, empty, a folder or another text's.
"""

from __future__ import annotations

import builtins
import hashlib
import io
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.errors import ResultsError
from support.paths import BUNDLED_CODEBOOK, ROOT, SAMPLE

SUBSET = SAMPLE / "cep_study" / "brevanne"  # five Markdown interviews with their metadata


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under `folder`: SHA-256 and mtime (ns)."""
    return {p.relative_to(folder).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def siblings(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}."))


@contextmanager
def watch_writes(root: Path):
    """Record every open for writing, rename, removal or creation under `root`."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        yield from _watch(root.resolve(), monkeypatch)


def _watch(root: Path, monkeypatch):
    seen: list[str] = []

    def note(path, what: str) -> None:
        if isinstance(path, int):
            return
        resolved = Path(os.fsdecode(path)).resolve()
        if resolved == root or root in resolved.parents:
            seen.append(f"{what} {resolved}")

    real_open, real_os_open = builtins.open, os.open

    def checked_open(file, mode="r", *args, **kwargs):
        if any(flag in mode for flag in "wax+"):
            note(file, f"open({mode!r})")
        return real_open(file, mode, *args, **kwargs)

    def checked_os_open(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND):
            note(path, "os.open")
        return real_os_open(path, flags, *args, **kwargs)

    def wrap(name: str, module=os):
        real = getattr(module, name)

        def wrapped(path, *args, **kwargs):
            note(path, name)
            if args and name in ("replace", "rename"):
                note(args[0], name)
            return real(path, *args, **kwargs)

        monkeypatch.setattr(module, name, wrapped)

    monkeypatch.setattr(builtins, "open", checked_open)
    monkeypatch.setattr(io, "open", checked_open)
    monkeypatch.setattr(os, "open", checked_os_open)
    for name in ("replace", "rename", "remove", "unlink", "rmdir", "mkdir", "truncate", "utime", "chmod"):
        wrap(name)
    wrap("rmtree", shutil)
    yield seen


def test_a_full_session_never_writes_an_input(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"  # two areas of the sample: .docx, .vtt, .md, cp1252 .txt, metadata.csv
    for area in ("ambrieres", "castelmont"):
        shutil.copytree(SAMPLE / "cep_study" / area, corpus / area)
    table = (SAMPLE / "cep_study" / "metadata.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (corpus / "metadata.csv").write_text("".join(line for n, line in enumerate(table)
                                                 if n == 0 or line.startswith(("ambrieres/", "castelmont/"))),
                                         encoding="utf-8")
    codebook = tmp_path / "codebook" / "cep.yaml"
    codebook.parent.mkdir()
    shutil.copy(BUNDLED_CODEBOOK, codebook)
    before = snapshot(corpus), snapshot(codebook.parent)
    results, cache = tmp_path / "results", tmp_path / "cache"
    commands = [
        ["corpus", corpus, "--json", "--turns"],
        ["code", corpus, "--codebook", codebook, "--pipeline", "fast", "--cache-dir", cache, "--out", results],
        ["classify", results, "--codebook", codebook],
        ["segments", results, "--csv"],
        ["export", "table", results, "--out", tmp_path / "t.csv", "--corpus", corpus, "--codebook", codebook],
        ["export", "table", results, "--out", tmp_path / "t.xlsx", "--corpus", corpus, "--level", "case",
         "--codebook", codebook],
        ["export", "qdpx", results, "--out", tmp_path / "p.qdpx", "--corpus", corpus, "--codebook", codebook],
        ["export", "iramuteq", results, "--out", tmp_path / "i.txt", "--corpus", corpus],
        ["codebook", "validate", codebook],
        ["codebook", "export", codebook, "--format", "csv", "--out", tmp_path / "codebook.csv"],
        ["analyze", corpus, "--codebook", codebook, "--pipeline", "fast", "--cache-dir", cache,
         "--quotes", "verbatim", "--out", tmp_path / "analysis"],
    ]
    runner = CliRunner()
    with watch_writes(corpus) as corpus_writes, watch_writes(codebook.parent) as codebook_writes:
        for command in commands:
            result = runner.invoke(app, [str(a) for a in command])
            assert result.exit_code == 0, (command, result.output)
    assert corpus_writes == [] and codebook_writes == []
    assert (snapshot(corpus), snapshot(codebook.parent)) == before


# --- interrupted writes ----------------------------------------------------------------------

FILES = {"segments.csv": "a,b\n1,2\n", "codings.csv": "c\n", "sub/evidence.csv": "e\n", "manifest.json": b"{}\n"}


class _Failing:
    """The step hook of `qualcode.base.atomic`: raises `error` at the `at`-th step (0: never), counting them."""

    def __init__(self, at: int, error: BaseException) -> None:
        self.at, self.error, self.steps = at, error, []

    def __call__(self, step: str) -> None:
        self.steps.append(step)
        if len(self.steps) == self.at:
            raise self.error


def _steps() -> list[str]:
    from qualcode.base import atomic

    with __import__("tempfile").TemporaryDirectory() as scratch:
        out = Path(scratch) / "results"
        atomic.write_folder(out, {"old.csv": "x\n", "manifest.json": "{}\n"})
        counter = _Failing(0, OSError())
        previous = atomic.set_step_hook(counter)
        try:
            atomic.write_folder(out, FILES, force=True)
        finally:
            atomic.set_step_hook(previous)
        return counter.steps


STEPS = _steps()  # four files written, staged, swapped, done
#: the steps before the new folder is in place: a failure there keeps the previous one
BEFORE_SWAP = STEPS.index("folder:swapped")


def test_the_steps_of_a_folder_write():
    assert STEPS == ["folder:file"] * 4 + ["folder:staged", "folder:swapped", "folder:done"]


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), KeyboardInterrupt()],
                         ids=["disk-full", "interrupted"])
@pytest.mark.parametrize("at", range(1, BEFORE_SWAP + 1))
def test_a_write_that_fails_at_any_step_keeps_the_previous_results(tmp_path, monkeypatch, at, error):
    from qualcode.base import atomic

    out = tmp_path / "results"
    atomic.write_folder(out, {"segments.csv": "previous\n", "manifest.json": "{}\n"})
    before = snapshot(out)
    monkeypatch.setattr(atomic, "_hook", _Failing(at, error))
    with pytest.raises(ResultsError if isinstance(error, OSError) else KeyboardInterrupt) as caught:
        atomic.write_folder(out, FILES, force=True)
    if isinstance(error, OSError):
        assert "[E802]" in str(caught.value) and "No space left on device" in str(caught.value)
    assert snapshot(out) == before
    assert siblings(out) == []


@pytest.mark.parametrize("at", range(BEFORE_SWAP + 1, len(STEPS) + 1))
def test_an_interruption_after_the_swap_leaves_the_new_results(tmp_path, monkeypatch, at):
    from qualcode.base import atomic

    out = tmp_path / "results"
    atomic.write_folder(out, {"segments.csv": "previous\n", "manifest.json": "{}\n"})
    monkeypatch.setattr(atomic, "_hook", _Failing(at, KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        atomic.write_folder(out, FILES, force=True)
    assert sorted(snapshot(out)) == sorted(FILES)
    assert siblings(out) == []


@pytest.mark.parametrize("at", [1, BEFORE_SWAP - 1])  # without a previous folder
def test_a_first_write_that_fails_leaves_nothing(tmp_path, monkeypatch, at):
    from qualcode.base import atomic

    monkeypatch.setattr(atomic, "_hook", _Failing(at, OSError(13, "Permission denied")))
    with pytest.raises(ResultsError):
        atomic.write_folder(tmp_path / "results", FILES)
    assert list(tmp_path.iterdir()) == []


def test_cli_write_failure_is_one_clean_line_and_keeps_the_folder(tmp_path, monkeypatch):
    from qualcode.base import atomic

    runner = CliRunner()
    out, cache = tmp_path / "results", tmp_path / "cache"
    args = ["code", str(SUBSET), "--pipeline", "fast", "--cache-dir", str(cache), "--out", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    before = snapshot(out)

    def full(step: str) -> None:
        if step == "folder:staged":  # every file written, the swap next
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic, "_hook", full)
    result = runner.invoke(app, [*args, "--force"])
    assert result.exit_code == 2, result.output
    assert "[E802]" in result.stderr and "Traceback" not in result.output
    assert snapshot(out) == before and siblings(out) == []


# --- the cache ---------------------------------------------------------------------------------

def _code(corpus: Path, cache: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "qualcode", "code", str(corpus), "--pipeline", "fast",
                             "--cache-dir", str(cache), "--out", str(out), "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _data(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in ("segments.csv", "codings.csv", "evidence.csv")}


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory) -> tuple[Path, Path, dict[str, bytes]]:
    """Two processes code the same corpus into the same, empty, cache at the same time."""
    base = tmp_path_factory.mktemp("cache-race")
    cache = base / "cache"
    runs = [_code(SUBSET, cache, base / f"out{n}") for n in (1, 2)]
    for run in runs:
        _stdout, stderr = run.communicate(timeout=300)
        assert run.returncode == 0, stderr
        assert "Traceback" not in stderr
    first, second = _data(base / "out1"), _data(base / "out2")
    assert first == second
    return base, cache, first


def test_concurrent_runs_share_the_cache(shared_cache):
    _, cache, _ = shared_cache
    entries = sorted(cache.rglob("*.spacy"))
    assert len(entries) == 5  # one per interview, whichever process wrote it last
    assert not [p for p in cache.rglob("*") if p.name.startswith(".tmp-")]


def _damage(entries: list[Path], foreign: bytes) -> None:
    """Five cache entries damaged five ways: truncated, random bytes, empty, a folder in the way, foreign."""
    entries[0].write_bytes(entries[0].read_bytes()[: len(entries[0].read_bytes()) // 2])
    entries[1].write_bytes(os.urandom(4096))
    entries[2].write_bytes(b"")
    entries[3].unlink()
    entries[3].mkdir()
    entries[4].write_bytes(foreign)


def test_corrupt_cache_entries_are_rebuilt_not_trusted(shared_cache):
    from spacy.tokens import DocBin

    from qualcode.codebook import load_codebook
    from qualcode.coding.engine import code_corpus
    from qualcode.corpus import read_corpus
    from qualcode.nlp.cache import ATTRS
    from qualcode.nlp.pipelines import load_pipeline
    from qualcode.workflows.code import CodingOptions, CodingRun

    base, cache, expected = shared_cache
    damaged = base / "damaged"
    shutil.copytree(cache, damaged)
    entries = sorted(damaged.rglob("*.spacy"))
    nlp = load_pipeline("fr", "fast")
    _damage(entries, DocBin(attrs=list(ATTRS), docs=[nlp("un autre texte")]).to_bytes())  # another text's
    # the match cache's token tables and coded turns of the same interviews (same keys), damaged the same ways
    for kind in ("tables", "coded"):
        paths = [damaged / kind / e.parent.name / f"{e.stem}.json" for e in entries]
        _damage(paths, paths[0].read_bytes())  # the last one gets another interview's

    corpus, book = read_corpus(SUBSET), load_codebook(None)
    codings = code_corpus(corpus, book, "turn", pipeline="fast", cache_dir=damaged)
    assert (codings.cache_hits, codings.cache_misses) == (0, 5)
    files = CodingRun(corpus, book, codings, CodingOptions(pipeline="fast")).files()
    assert {name: files[name].encode() for name in expected} == expected
    again = code_corpus(corpus, book, "turn", pipeline="fast", cache_dir=damaged)
    assert (again.cache_hits, again.cache_misses) == (4, 1)  # rebuilt, but the folders stay in the way
    assert entries[3].is_dir() and (damaged / "coded" / entries[3].parent.name / f"{entries[3].stem}.json").is_dir()


@pytest.mark.parametrize("damage", ["truncated", "random", "empty", "folder", "other"])
def test_a_damaged_remembered_codebook_is_parsed_again(tmp_path, monkeypatch, damage):
    """A validated codebook is remembered in the cache folder; a damaged memo costs a parse, nothing else."""
    from qualcode.codebook import load, load_codebook

    monkeypatch.setenv("QUALCODE_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "codebook.yaml"
    shutil.copy(ROOT / "tests" / "data" / "codebooks" / "minimal.yaml", path)
    first = load_codebook(path)
    memo = load._memo_path(path.read_bytes())
    assert memo.is_file()
    if damage == "truncated":
        memo.write_bytes(memo.read_bytes()[:100])
    elif damage == "random":
        memo.write_bytes(os.urandom(2048))
    elif damage == "empty":
        memo.write_bytes(b"")
    elif damage == "folder":
        memo.unlink()
        memo.mkdir()
    else:
        memo.write_text('{"name": 3}', encoding="utf-8")
    again = load_codebook(path)
    assert again.model_dump() == first.model_dump()

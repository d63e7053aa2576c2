"""`qualcode cache info|clear`: the cache keeps interviews verbatim; clearing removes qualcode's files only."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from qualcode.base.userdirs import cache_contents, clear_cache
from qualcode.cli import app

ANSWER = "Nous partageons un annuaire avec la mission locale depuis des années."


def _words(entry: Path) -> set[str]:
    from spacy.tokens import DocBin

    return set(DocBin().from_bytes(entry.read_bytes()).strings)


def _coded(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text(f"---\nid: a\narea: nord\nlanguage: fr\n---\n\nQ : Et alors ?\n\nR : {ANSWER}\n",
                                 encoding="utf-8")
    cache = tmp_path / "cache"
    result = CliRunner().invoke(app, ["code", str(corpus), "--pipeline", "fast", "--cache-dir", str(cache)])
    assert result.exit_code == 0, result.output
    return cache


def test_the_cache_keeps_the_words_verbatim_until_cleared(tmp_path):
    cache = _coded(tmp_path)
    (cache / "notes.txt").write_text("mine", encoding="utf-8")  # someone's file: never removed
    (cache / "sub").mkdir()
    (cache / "sub" / "keep.spacy").write_bytes(b"not ours either")
    entries = sorted(cache.rglob("*.spacy"))
    assert any("partageons" in _words(p) for p in entries)  # what docs/anonymisation.md says
    runner = CliRunner()
    info = runner.invoke(app, ["cache", "info", "--cache-dir", str(cache)])
    assert info.exit_code == 0 and "1 parsed interview(s)" in info.stdout
    # its token tables, matches and coded turns, the item set they were matched for, the phrases' readings
    assert "5 match cache file(s)" in " ".join(info.stdout.split())
    cleared = runner.invoke(app, ["cache", "clear", "--cache-dir", str(cache)])
    assert cleared.exit_code == 0, cleared.output
    assert "left 2 file(s) that are not qualcode's" in " ".join(cleared.stderr.split())
    left = sorted(p.relative_to(cache).as_posix() for p in cache.rglob("*"))
    assert left == ["notes.txt", "sub", "sub/keep.spacy"]
    assert not list(cache.rglob("??/*.spacy"))


def test_clear_never_follows_a_link(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "ab").mkdir()
    victim = outside / "ab" / ("a" * 64 + ".spacy")
    victim.write_bytes(b"x")
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "ab").symlink_to(outside / "ab")
    found = clear_cache(cache)
    assert found.files == () and victim.exists()


def test_the_default_cache_folder_in_a_real_process(tmp_path):
    cache = _coded(tmp_path)
    done = subprocess.run([sys.executable, "-m", "qualcode", "cache", "clear"], capture_output=True, text=True,
                          env={**__import__("os").environ, "QUALCODE_CACHE_DIR": str(cache)}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert cache_contents(cache).files == ()


def test_cached_interviews_are_readable_by_their_owner_alone(tmp_path):
    cache = _coded(tmp_path)
    entries = sorted(cache.rglob("??/*.spacy"))
    assert entries and all(p.stat().st_mode & 0o777 == 0o600 for p in entries)

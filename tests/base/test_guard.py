"""The output guard alone: what is an input, what qualcode wrote, what the sweep says.

Every writing command through the CLI is in tests/robustness/test_output_guard.py.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from qualcode.base import guard
from qualcode.base.guard import COPY, MAP, QDPX, REPORT, RESULTS, TABLE, guard_output
from qualcode.errors import OutputError, QualcodeError, ResultsError
from qualcode.results.layout import MANIFEST_JSON


def test_the_guard_knows_the_manifest_by_its_name():
    assert guard.MANIFEST == MANIFEST_JSON


@pytest.mark.parametrize("content, ours", [
    ({}, True), ({"manifest.json": "{}"}, True), ({".qualcode.json": "{}"}, True),
    ({"notes.txt": "mine"}, False), ({"sub/manifest.json": "{}"}, False),
])
def test_force_replaces_a_folder_only_when_qualcode_wrote_it(tmp_path, content, ours):
    out = tmp_path / "out"
    out.mkdir()
    for name, text in content.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(text, encoding="utf-8")
    if ours:
        assert guard_output(out, RESULTS, force=True) == []
    else:
        with pytest.raises(ResultsError, match=r"\[E439\]"):
            guard_output(out, COPY, force=True)
    with pytest.raises(ResultsError, match=r"\[E402\]"):
        guard_output(out, RESULTS, force=False)


@pytest.mark.parametrize("output, theirs", [
    (QDPX, b"PK\x03\x04not a project"), (REPORT, b"# My notes\n"), (TABLE, b"name,phone\n"),
    (MAP, b"name,phone\n"),
])
def test_force_replaces_a_file_only_when_qualcode_wrote_it(tmp_path, output, theirs):
    out = tmp_path / "out.csv"
    out.write_bytes(theirs)
    with pytest.raises(OutputError, match=r"\[E443\]"):
        guard_output(out, output, force=True)
    out.write_bytes(b"")  # an empty file holds nothing to lose
    assert guard_output(out, output, force=True) == []


def test_inputs_are_compared_with_links_resolved(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text("x", encoding="utf-8")
    (tmp_path / "alias").symlink_to(corpus)
    with pytest.raises(QualcodeError, match=r"\[E433\].* is the corpus"):
        guard_output(corpus, RESULTS, force=True, inputs=[("corpus", tmp_path / "alias")])
    with pytest.raises(QualcodeError, match=r"\[E433\].* contains the corpus"):
        guard_output(tmp_path, RESULTS, force=True, inputs=[("corpus", tmp_path / "alias")])
    with pytest.raises(QualcodeError, match=r"\[E433\].* is inside the corpus"):
        guard_output(tmp_path / "alias" / "out", RESULTS, force=True, inputs=[("corpus", corpus)])
    # a missing or unnamed input is passed over; an output beside a file input is fine
    inputs = [("corpus", None), ("codebook", tmp_path / "gone.yaml"), ("file", corpus / "a.md")]
    assert guard_output(tmp_path / "out", RESULTS, force=False, inputs=inputs) == []


def test_the_map_never_goes_into_an_input(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with pytest.raises(OutputError, match=r"\[E716\].* is inside the corpus"):
        guard_output(corpus / "map.csv", MAP, force=True, inputs=[("corpus", corpus)])


def test_the_guard_says_what_its_sweep_did(tmp_path):
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    aside = tmp_path / f".results.old-{int(done.stdout)}-abcdefgh"
    aside.mkdir()
    (aside / MANIFEST_JSON).write_text("{}", encoding="utf-8")
    notes = guard_output(tmp_path / "results", RESULTS, force=True)
    assert len(notes) == 1 and "[W801]" in notes[0] and (tmp_path / "results" / MANIFEST_JSON).is_file()


def test_a_pipe_is_no_output(tmp_path):
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match=r"\[E445\]"):
        guard_output(fifo, TABLE, force=True)

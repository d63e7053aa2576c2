"""Every input is read with a bound: a device, a pipe or an outsized file is one clear line, exit 2, at once.

`import qdpx /dev/zero` used to read zeros until the memory ran out; maps,
name lists, codebooks, human codings, REFI-QDA codebooks and the files of a results
folder or of a copy were read whole without a limit. Each is given
`/dev/zero`, a pipe that nobody writes (opening it to read would wait for
ever) and, where a size limit applies, a sparse file of a terabyte.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support.corpora import write_report_corpus

ZERO = "/dev/zero"


@pytest.fixture(scope="module")
def place(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("devices")
    write_report_corpus(base / "corpus")
    os.mkfifo(base / "pipe.csv")
    os.mkfifo(base / "pipe.qdpx")
    with (base / "huge.qdpx").open("wb") as handle:
        handle.truncate(10**12)
    with (base / "huge.csv").open("wb") as handle:
        handle.truncate(10**12)
    return base


#: (arguments, error code): every place an input path is given
CASES = [
    (["import", "qdpx", ZERO, "--out", "{base}/i1"], "E601"),
    (["import", "qdpx", "{base}/pipe.qdpx", "--out", "{base}/i2"], "E601"),
    (["import", "qdpx", "{base}/huge.qdpx", "--out", "{base}/i3"], "E603"),
    (["import", "qdc", ZERO, "--out", "{base}/c.yaml"], "E604"),
    (["import", "qdc", "{base}/pipe.csv", "--out", "{base}/c.yaml"], "E626"),  # a .csv is a codebook table
    (["import", "codebook", "{base}/huge.csv", "--out", "{base}/c.yaml"], "E626"),
    (["codebook", "validate", "{base}/pipe.csv"], "E203"),
    (["codebook", "validate", ZERO], "E203"),
    (["codebook", "validate", "{base}/huge.csv"], "E202"),
    (["corpus", "{base}/corpus", "--metadata", "{base}/pipe.csv"], "E111"),
    (["corpus", "{base}/corpus", "--metadata", "{base}/huge.csv"], "E114"),
    (["anonymise", "{base}/corpus", "--dry-run", "--keep", ZERO], "E703"),
    (["anonymise", "{base}/corpus", "--dry-run", "--replace", "{base}/pipe.csv"], "E703"),
    (["anonymise", "{base}/corpus", "--restore", ZERO, "--out", "{base}/r1"], "E709"),
    (["anonymise", "{base}/corpus", "--restore", "{base}/pipe.csv", "--out", "{base}/r2"], "E709"),
    (["anonymise", "{base}/corpus", "--restore", "{base}/huge.csv", "--out", "{base}/r3"], "E709"),
]


@pytest.mark.parametrize("args, code", CASES, ids=[f"{c[0][0]} {c[0][1]} {c[0][-1 if c[0][0] == 'corpus' else 2]}"
                                                    for c in CASES])
def test_a_device_a_pipe_or_a_huge_file_is_refused_at_once(place, args, code):
    command = [sys.executable, "-m", "qualcode", *(a.format(base=place) for a in args)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)  # a hang fails the test
    assert done.returncode == 2, done.stderr
    lines = [line for line in done.stderr.splitlines() if not line.startswith("qualcode: warning:")]
    assert len(lines) == 1 and f"[{code}]" in lines[0] and "Traceback" not in done.stderr, done.stderr


def test_a_results_file_replaced_by_a_device_is_refused(place, tmp_path):
    from typer.testing import CliRunner

    from qualcode.cli import app

    results = tmp_path / "results"
    result = CliRunner().invoke(app, ["code", str(place / "corpus"), "--no-cache", "-q", "--out", str(results),
                                      "--codebook", str(Path(__file__).parents[1] / "data" / "codebooks" /
                                                        "report.yaml")])
    assert result.exit_code == 0, result.output
    for name, command in (("segments.csv", "segments"), ("evidence.csv", "segments"), ("manifest.json", "classify")):
        copy = tmp_path / f"copy-{name}"
        shutil.copytree(results, copy)
        (copy / name).unlink()
        (copy / name).symlink_to(ZERO)
        done = subprocess.run([sys.executable, "-m", "qualcode", command, str(copy)], capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 2 and ("[E306]" in done.stderr or "[E305]" in done.stderr), done.stderr


def test_a_metadata_table_too_large_says_what_a_table_is(place):
    done = subprocess.run([sys.executable, "-m", "qualcode", "corpus", str(place / "corpus"), "--metadata",
                           str(place / "huge.csv")], capture_output=True, text=True, timeout=60)
    assert "[E114]" in done.stderr and "a metadata table is a few hundred rows" in done.stderr
    assert "split the transcript" not in done.stderr

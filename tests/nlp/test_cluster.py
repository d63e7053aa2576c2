"""Parsing on a Dask cluster (`qualcode[dask]`): the same results folder as a local run, byte for byte.

A real `distributed.LocalCluster` of two worker processes runs for the
module; the CLI reaches it by its address, as it would a cluster's. CI
installs the extra and runs `make test-slow` (`.ci/run`), so these run there; without `distributed`
they are skipped, and the one test that needs it absent runs anyway.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from support.paths import SAMPLE

#: a cluster takes about 20 s to start and each run as long: `make test-slow`, which CI runs
pytestmark = pytest.mark.slow

CORPUS = SAMPLE / "cep_study"
EPOCH = "1700000000"


def qualcode(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "qualcode", *args], capture_output=True, text=True,
                          env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **(env or {})}, timeout=900)


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as found, distributed.Client(found) as client:
        yield found, client


@pytest.fixture(scope="module")
def local_analysis(tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("local") / "results"
    done = qualcode("analyze", str(CORPUS), "--out", str(out), "--no-cache", "--quiet")
    assert done.returncode == 0, done.stderr
    return folder_bytes(out)


def test_analyze_on_a_cluster_writes_the_local_results_byte_for_byte(cluster, local_analysis, tmp_path):
    found, _ = cluster
    out = tmp_path / "results"
    # the address from the environment, as a job script on a cluster would give it
    done = qualcode("analyze", str(CORPUS), "--out", str(out), "--no-cache", "--quiet",
                    env={"QUALCODE_SCHEDULER": found.scheduler_address})
    assert done.returncode == 0, done.stderr
    assert folder_bytes(out) == local_analysis
    assert set(local_analysis) >= {"codings.csv", "evidence.csv", "segments.csv", "report.html", "manifest.json"}


def test_a_worker_killed_mid_run_does_not_change_the_results(cluster, tmp_path, monkeypatch):
    from qualcode.workflows.code import CodingOptions, code

    found, client = cluster
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    local = code(CORPUS, None, options=CodingOptions(cache_dir=False)).files()
    pids = sorted(client.run(os.getpid).values())
    assert len(pids) == 2
    killed: list[int] = []

    def kill_one(done: int, total: int) -> None:
        if not killed and done < total:  # the first interview is back, the others are still parsing
            os.kill(pids[0], signal.SIGKILL)
            killed.append(pids[0])

    cache = tmp_path / "cache"
    remote = code(CORPUS, None, options=CodingOptions(cache_dir=cache, scheduler=found.scheduler_address),
                  on_progress=kill_one).files()
    assert killed
    assert remote == local
    # the client cached what the workers parsed: a warm run needs no cluster and gives the same
    assert code(CORPUS, None, options=CodingOptions(cache_dir=cache)).files() == local


def test_an_unreachable_scheduler_is_one_line_and_writes_nothing(tmp_path):
    pytest.importorskip("distributed")
    out = tmp_path / "results"
    done = qualcode("code", str(CORPUS), "--out", str(out), "--no-cache", "--quiet",
                    "--scheduler", "tcp://127.0.0.1:9")
    assert done.returncode == 2
    assert "[E805]" in done.stderr and "tcp://127.0.0.1:9" in done.stderr and "Traceback" not in done.stderr
    assert not out.exists()


def test_a_bad_local_cluster_size_is_refused():
    done = qualcode("code", str(CORPUS), "--no-cache", "--quiet", "--scheduler", "local:0")
    assert done.returncode == 2 and "[E804]" in done.stderr and "local:N" in done.stderr


def test_without_the_extra_the_error_says_what_to_install():
    script = ("import sys; sys.modules['distributed'] = None; from qualcode.cli import main; "
              f"sys.argv = ['qualcode', 'code', {str(CORPUS)!r}, '--no-cache', '--quiet', "
              "'--scheduler', 'local:2']; main()")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600)
    assert done.returncode == 2 and "[E803]" in done.stderr and "qualcode[dask]" in done.stderr

"""The names cache: a report made again finds the same names without loading a model."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from support.paths import SAMPLE

CORPUS = SAMPLE / "cep_study"

SCRIPT = """
import json, sys
from qualcode.anonymise import Anonymiser
from qualcode.corpus import read_corpus
found = Anonymiser.from_corpus(read_corpus(sys.argv[1]), cache_dir=sys.argv[2])
print(json.dumps({"names": [[n.category, n.number, sorted(map(list, n.forms))] for n in found.names],
                  "model": "spacy.lang.fr" in sys.modules}))
"""


def names(cache: Path) -> dict:
    import json

    done = subprocess.run([sys.executable, "-c", SCRIPT, str(CORPUS), str(cache)], capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.slow  # two whole name detections in subprocesses: `make test-slow`
def test_a_second_detection_reads_the_cache_and_finds_the_same_names(tmp_path):
    cache = tmp_path / "cache"
    cold = names(cache)
    assert cold["model"] and len(cold["names"]) > 20
    entries = sorted((cache / "names").rglob("*.json"))
    assert entries
    warm = names(cache)
    assert warm["names"] == cold["names"]
    assert not warm["model"]  # every text was in the cache: no French model loaded
    entries[0].write_bytes(b"{damaged")  # a damaged entry is parsed again, never trusted
    again = names(cache)
    assert again["names"] == cold["names"] and again["model"]

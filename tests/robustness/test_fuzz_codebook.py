"""A codebook or a human coding file, fuzzed: a result or qualcode's own error, never a crash.

Two levels. The structure of a valid codebook is edited (any value at any of
its paths, dumped back to YAML): loading it gives a Codebook or a
CodebookError whose problems name the file. Then the bytes themselves are
damaged (YAML syntax, anchors and aliases, tags, control characters, deep
nesting, encodings), and the human coding CSV that `qualcode agree` reads is
fuzzed the same way.
"""

from __future__ import annotations

import copy

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode.codebook import Codebook, load_codebook, parse_codebook
from qualcode.errors import CodebookError, QualcodeError
from qualcode.validation.humans import read_human_codings
from support.hostile import assert_clean, pieces_and_runs, quietly
from support.paths import TESTS_DATA

# --- the structure of a valid codebook, edited ------------------------------------------

MINIMAL_TREE = yaml.safe_load((TESTS_DATA / "codebooks" / "minimal.yaml").read_text(encoding="utf-8"))

scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=True),
                    st.text(max_size=8), st.sampled_from(["fr", "en", "C1", "silos", "policy", "NORM", "_"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.one_of(st.text(max_size=6), st.integers(0, 2)), inner,
                                                 max_size=3)), max_leaves=8)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


PATHS = [p for p in _paths(MINIMAL_TREE) if p]


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PATHS), values), min_size=1, max_size=3))
def test_codebook_fuzz_never_crashes(edits):
    data = copy.deepcopy(MINIMAL_TREE)
    for path, value in edits:
        node = data
        try:
            for part in path[:-1]:
                node = node[part]
            node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    text = yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, sort_keys=False)
    try:
        result = parse_codebook(text, source="fuzz.yaml")
    except CodebookError as exc:
        assert exc.problems, str(exc)
        assert all(p.startswith("fuzz.yaml:") for p in exc.problems)
    else:
        assert isinstance(result, Codebook)


# --- the bytes, damaged -------------------------------------------------------------

MINIMAL = (TESTS_DATA / "codebooks" / "minimal.yaml").read_bytes()
YAML_PIECES = [
    b"&a ", b"*a", b"&b [*a, *a, *a, *a, *a, *a, *a, *a, *a]", b"!!python/object/apply:os.system ['true']",
    b"!!python/name:os.system", b"!foo ", b"!!binary ", b"<<: ", b"{", b"}", b"[", b"]", b"\n", b"  ", b"- ",
    b": ", b"? ", b"'", b'"', b"\\", b"\t", b"%YAML 1.1\n", b"%TAG ! tag:x,2000:\n", b"---\n", b"...\n", b"|",
    b">", b"#", b"\xff", b"\x00", b"\x01", b"\xc2\x85", "\u2028".encode(), b"1e999", b".inf", b".nan", b"~",
    b"null", b"0x1F", b"=", b"tokens", b"phrase", b"LEMMA", b"OP", b"REGEX", b"(?", b'{"REGEX": "(a+)+$"}',
    b"id: ", b"codes:", b"patterns:", b"fr:", b"en:", b"weight: ", b"-1", b"\xef\xbb\xbf",
]


@pytest.fixture(scope="module", autouse=True)
def _warm():
    """Import spaCy's pattern validator once, outside the timed examples."""
    load_codebook(TESTS_DATA / "codebooks" / "minimal.yaml")


@st.composite
def damaged_codebook(draw) -> bytes:
    data = MINIMAL
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        if draw(st.booleans()):
            data = data[:at] + draw(pieces_and_runs(YAML_PIECES, max_chunks=3, max_run=200)) + data[at:]
        else:
            data = data[:at] + data[at + draw(st.integers(1, 60)):]
    return data


def check(data: bytes) -> None:
    try:
        result = quietly(lambda: parse_codebook(data, source="fuzz.yaml"))
    except CodebookError as exc:
        assert_clean(exc)
        assert exc.problems and all(p.startswith("fuzz.yaml:") for p in exc.problems), str(exc)
        assert all("\n" not in p for p in exc.problems)
    else:
        assert isinstance(result, Codebook)


@given(data=damaged_codebook())
def test_damaged_codebook_bytes(data):
    check(data)


@given(data=pieces_and_runs(YAML_PIECES, max_run=500))
def test_codebook_from_yaml_pieces(data):
    check(data)


SEGMENTS = pd.DataFrame({"segment_id": ["a#t2", "a#t4", "=b#t2"], "interview_id": ["a", "a", "=b"],
                         "turn": [2, 4, 2], "unit": ["turn"] * 3})
HUMAN_PIECES = [b"segment", b"segment_id", b"code", b"coder", b",", b";", b"\t", b'"', b"\n", b"\r\n",
                b"a#t2", b"a#t4", b"'=b#t2", b"=b#t2", b"a#t9", b"a#t2.s1", b"local_coordination", b"silos",
                b"pole_emploi", b"qualcode", b"coder_a", b"\xe9", b"\xff", b"\x00", b"\xef\xbb\xbf", b" ", b"#"]


@given(data=pieces_and_runs(HUMAN_PIECES, max_run=500))
def test_human_coding_bytes(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("human", numbered=True) / "coder.csv"
    path.write_bytes(data)
    book = load_codebook(TESTS_DATA / "codebooks" / "minimal.yaml")
    try:
        frame = quietly(lambda: read_human_codings(path, SEGMENTS, book))
    except QualcodeError as exc:
        assert_clean(exc)
        return
    assert set(frame["segment"]) <= set(SEGMENTS["segment_id"])
    assert set(frame["code"]) <= set(book.theme_ids)

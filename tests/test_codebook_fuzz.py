"""Whatever a codebook file holds, loading it gives a Codebook or a CodebookError, never a crash."""

from __future__ import annotations

import copy

import yaml
from conftest import TESTS_DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode.codebook import Codebook, parse_codebook
from qualcode.errors import CodebookError

MINIMAL = yaml.safe_load((TESTS_DATA / "codebooks" / "minimal.yaml").read_text(encoding="utf-8"))

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


PATHS = [p for p in _paths(MINIMAL) if p]


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PATHS), values), min_size=1, max_size=3))
def test_codebook_fuzz_never_crashes(edits):
    data = copy.deepcopy(MINIMAL)
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

"""What the tests share: paths, hostile inputs, small corpora and hand-built values.

`pyproject.toml` puts `tests/` on `sys.path` (pytest's `pythonpath`), so a
test imports these as `from support.paths import SAMPLE`. Fixtures stay in
`tests/conftest.py`; nothing here is a test, and no test imports another.
"""

# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
# the [dask] extra: mypy reads its types (qualcode.nlp.cluster) and the slow tests run a real cluster
DASK_STAMP := $(VENV)/.dask-stamp
DEMO_CORPUS := sample_data/cep_study

.PHONY: demo test test-slow check install fuzz bench clean browser-test images

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "qualcode needs Python 3.11 or newer (found " + sys.version.split()[0] + "); run: make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

$(DASK_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,dask]'
	@touch $(DASK_STAMP)

demo: $(STAMP)
	$(VENV)/bin/qualcode analyze $(DEMO_CORPUS) --out results/demo --force

test: $(STAMP)
	$(PY) -m pytest -q

# The long runs (a real Dask cluster: the target installs the [dask] extra); CI runs them too.
test-slow: $(DASK_STAMP)
	$(PY) -m pytest -q -m slow

# Lint and types: ruff and mypy (with the pydantic plugin), configured in pyproject.toml.
check: $(DASK_STAMP)
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/mypy

# Property-based fuzzing (hypothesis) of the readers, the turn parser, the metadata
# tables and the codebook loader, with many more examples than `make test` runs.
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest -q tests/robustness/test_fuzz_*.py

# Opens report.html in headless Chromium (Debian's `chromium`; installing it needs root), on screen
# and printed to PDF, with long area names: tests/report/test_browser.py.
browser-test: $(STAMP)
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" != 0 ]; then \
	    echo "browser-test needs Debian's chromium: run 'sudo apt-get install -y chromium', or make browser-test as root"; exit 1; \
	  fi; \
	  apt-get update && apt-get install -y chromium; }
	QUALCODE_BROWSER_TEST=1 $(PY) -m pytest -q tests/report/test_browser.py tests/cli/test_analyze.py -k 'chromium or screen or print'

# Regenerates the README's pictures (docs/images) from the sample corpus by territory (long
# names: docs/images/long_areas.csv); needs chromium.
images: $(STAMP)
	$(PY) docs/images/render_images.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache

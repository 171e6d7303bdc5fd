# The README's two commands: `make lab` and `make test`. Each creates .venv and
# installs what it needs; nothing else has to be on the machine but Python 3.11+,
# pip and (for the browser test) apt.

SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
ALLOW_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
export KERAS_BACKEND ?= jax

FLOOR ?= .venv-floor
# The engine's tests, run again against the lowest versions pyproject.toml declares.
FLOOR_TESTS := tests/space tests/strategies tests/study tests/storage tests/runner \
	tests/pruners tests/objectives tests/plots tests/widgets tests/test_tune.py \
	tests/test_setup.py tests/test_matrix.py tests/test_search_cv.py \
	tests/test_search_cv_checks.py tests/space/test_narrow.py

.PHONY: lab test test-fast test-floor lint format bench chromium clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps re-run the install when pyproject.toml changes.
$(VENV)/.installed-lab: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[all]"
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@

$(FLOOR)/.installed: pyproject.toml tests/lowest-versions.txt
	$(PYTHON) -m venv $(FLOOR)
	$(FLOOR)/bin/python -m pip install --quiet --upgrade pip
	$(FLOOR)/bin/python -m pip install --quiet -c tests/lowest-versions.txt -e ".[optuna]" \
		"pytest>=8,<10" pytest-timeout hypothesis numpydoc
	@touch $@

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	@touch $@

## lab: install and open JupyterLab on the quickstart notebook
lab: $(VENV)/.installed-lab
	$(BIN)/jupyter lab $(ALLOW_ROOT) notebooks/01_quickstart.ipynb

## chromium: the browser for the real-browser test (Debian's package)
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser test..."; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

## test: lint, the whole suite (unit, property, notebooks, real browser), then the
## engine's tests again on the lowest declared versions of numpy, scikit-learn, ...
test: $(VENV)/.installed-test chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest
	$(MAKE) test-floor

## test-fast: lint (ruff, mypy), then everything but the slow and browser tests (the inner loop)
test-fast: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -m "not slow and not browser" -q

## test-floor: the engine's tests against the lowest versions pyproject.toml declares
test-floor: $(FLOOR)/.installed
	$(FLOOR)/bin/python -m pytest -p no:cacheprovider -o addopts="-ra --strict-markers" \
		--ignore=tests/runner/parallel --ignore=tests/objectives/keras $(FLOOR_TESTS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## bench: the benchmarks of BENCHMARKS.md (long; see there for each command)
bench: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/bench_quality.py
	$(BIN)/python benchmarks/bench_overhead.py

clean:
	rm -rf $(VENV) $(FLOOR) .pytest_cache .ruff_cache .hypothesis

# The interpreter and its venv are variables: `make test PYTHON=/path/to/python3.13 VENV=.venv-3.13`
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# pytest-xdist workers (`make test WORKERS=0` runs serially). Six, on 2 cores too: the
# suite waits on subprocesses, sockets and the UI's frames, and more workers fill the cores
# (README, Tests). Each takes one or two tests at a time, the slow ones first (tests/conftest.py).
WORKERS ?= 6

.PHONY: demo test test-unit test-ui test-e2e test-faults lint typecheck layers screenshots bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/bnxt-wizard --demo

test: $(STAMP)
	$(BIN)/ruff check wizard tests $(wildcard bench)
	$(BIN)/ruff format --check --quiet wizard tests $(wildcard bench)
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest -q -n $(WORKERS) --maxschedchunk 2

# one tier only: make test-unit (or test-ui, test-e2e, test-faults)
test-unit test-ui test-e2e test-faults: $(STAMP)
	$(BIN)/python -m pytest -q -n $(WORKERS) --maxschedchunk 2 tests/$(@:test-%=%)

lint: $(STAMP)
	$(BIN)/ruff check wizard tests $(wildcard bench)
	$(BIN)/ruff format --check wizard tests $(wildcard bench)

typecheck: $(STAMP)
	$(BIN)/mypy

layers: $(STAMP)
	$(BIN)/lint-imports --no-cache

screenshots: $(STAMP)
	$(BIN)/python -m wizard.screenshots screenshots

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build *.egg-info

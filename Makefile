# The interpreter and its venv are variables: `make test PYTHON=/path/to/python3.13 VENV=.venv-3.13`
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# pytest-xdist workers (`make test WORKERS=0` runs serially). Six, on 2 cores too: the
# suite waits on subprocesses, sockets and the UI's frames, and more workers fill the cores
# (README, Tests). xdist's worksteal mode: each worker starts on its own run of the tests, its
# share of the slow ones first (tests/conftest.py), and a worker that runs out takes half of
# the longest queue left, so the workers finish together.
WORKERS ?= 6

.PHONY: demo test test-unit test-ui test-e2e test-faults lint typecheck layers screenshots bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/bnxt-wizard --demo

# The tests write bytecode even where the environment says not to (PYTHONDONTWRITEBYTECODE):
# without it every worker compiles and assertion-rewrites all test modules again (2 to 3 s of
# CPU each), and every `bnxt-wizard` child process compiles the wizard again. The bytecode goes
# to __pycache__ folders, which git ignores. WARM makes it once, beside mypy, before the
# workers start together.
test test-unit test-ui test-e2e test-faults: export PYTHONDONTWRITEBYTECODE :=
WARM = $(BIN)/python -m pytest -q --collect-only -p no:xdist $(1) >/dev/null 2>&1 || true

test: $(STAMP)
	$(BIN)/ruff check wizard tests $(wildcard bench)
	$(BIN)/ruff format --check --quiet wizard tests $(wildcard bench)
	$(BIN)/lint-imports --no-cache
	@$(call WARM) & $(BIN)/mypy; status=$$?; wait; exit $$status
	$(BIN)/python -m pytest -q -n $(WORKERS) --dist worksteal

# one tier only: make test-unit (or test-ui, test-e2e, test-faults)
test-unit test-ui test-e2e test-faults: $(STAMP)
	@$(call WARM,tests/$(@:test-%=%))
	$(BIN)/python -m pytest -q -n $(WORKERS) --dist worksteal tests/$(@:test-%=%)

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

# Parley: the two commands are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=

.PHONY: demo test test-sqlite test-postgres test-browser screenshots env bench clean

env: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@rm -f $(VENV)/.installed-*
	@touch $@

demo: $(STAMP)
	$(BIN)/parley migrate --noinput
	$(BIN)/parley demo --serve --port $(PORT)

test: $(STAMP)
	@scripts/ensure-system-deps
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: $(STAMP)
	@if $(BIN)/python scripts/pg_available.py "$(TEST_DATABASE_URL)"; then \
		DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL at $(TEST_DATABASE_URL) is required in CI and is not reachable" >&2; exit 1; \
	else \
		echo "PostgreSQL not reachable at $(TEST_DATABASE_URL): skipping the PostgreSQL run (set TEST_DATABASE_URL)"; \
	fi

test-browser: $(STAMP)
	@scripts/ensure-system-deps
	$(BIN)/python -m pytest -m browser $(PYTEST_ARGS)

screenshots: $(STAMP)
	@scripts/ensure-system-deps
	PARLEY_SCREENSHOT_DIR=$(CURDIR)/docs/screenshots $(BIN)/python -m pytest -m browser $(PYTEST_ARGS)

bench: $(STAMP)
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) var build *.egg-info

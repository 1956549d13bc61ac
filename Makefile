# `make demo` and `make test` do all their own set-up on a fresh machine.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench system-deps npm-deps clean

$(STAMP): requirements.txt requirements-dev.txt requirements-worker.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt
	$(BIN)/pip install -q --no-deps --ignore-requires-python -r requirements-worker.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $@

# LibreOffice (document tests), poppler (pdftotext), Chromium (card preview test), the npm renderer.
system-deps:
	@bash scripts/system-deps.sh

# The card renderer of the demo's Teams page (npm); without npm the page lists the cards as text.
npm-deps:
	@bash scripts/npm-deps.sh

lint: $(STAMP)
	$(BIN)/ruff check .

test: $(STAMP) system-deps lint
	$(BIN)/pytest $(PYTEST_ARGS)
	@echo "== coverage gate: rules/ at 100% branch coverage =="
	$(BIN)/pytest -q -p no:cacheprovider tests/rules tests/graph/test_slots.py \
		--cov=rules --cov-config=tests/rules/coverage.ini --cov-report=term-missing:skip-covered

demo: $(STAMP) npm-deps
	$(BIN)/iro demo $(DEMO_ARGS)

bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache .hypothesis

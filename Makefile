# The same commands locally and in CI (.ci/run calls `make test`).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STORE ?= dutygraph-store
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint bench clean

$(BIN)/dutygraph: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools wheel
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

## build the graph from the bundled seed documents and serve it
run: $(BIN)/dutygraph
	$(BIN)/dutygraph ingest samples/seeds --store $(STORE)
	$(BIN)/dutygraph serve --store $(STORE) --host $(HOST) --port $(PORT)

## lint and run the default test suite (what CI runs)
test: $(BIN)/dutygraph
	scripts/ensure-test-tools
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(BIN)/dutygraph
	$(BIN)/ruff check .

## benchmarks over the whole LawRefBook corpus (needs ../shared)
bench: $(BIN)/dutygraph
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) $(STORE) build *.egg-info .pytest_cache

# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup run test lint bench clean

setup: $(STAMP)

# Re-install only when the project's dependencies change; idempotent otherwise.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/vmtriage models --verify
	touch $(STAMP)

run: setup
	$(BIN)/vmtriage run

test: setup
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check pipeline tests tools models docs

bench: setup
	$(BIN)/vmtriage bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info

# The two set-up commands of the README: `make preview` and `make test`.
# Each creates .venv and installs the package with its test extras on first use.
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE := programs/examples/multi-container.yml

.PHONY: preview test lint

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

preview: $(VENV)/.installed
	$(BIN)/stacktape-pulumi preview $(EXAMPLE)

lint: $(VENV)/.installed
	$(BIN)/ruff check stacktape_pulumi tests programs
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

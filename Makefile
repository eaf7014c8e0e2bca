# The two set-up commands of the README: `make preview` and `make test`.
# Each creates .venv and installs the package with its test extras on first use.
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE := programs/examples/multi-container.yml

.PHONY: preview test lint

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	# uv resolves and installs the same versions as pip in a fraction of the time; pip is upgraded with
	# them because Python functions are packaged with `python -m pip`. --compile-bytecode writes the .pyc
	# files pip writes by default: without them, every process compiles pulumi_aws's modules anew
	# wherever PYTHONDONTWRITEBYTECODE is set (as on CI machines).
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/python -m uv pip install --quiet --compile-bytecode --python $(BIN)/python --upgrade pip -e ".[test]"
	$(MAKE) esbuild
	touch $@

# esbuild (the npm package) bundles JavaScript/TypeScript functions; installed next to the project, not globally.
ESBUILD := .stacktape/tools/node_modules/.bin/esbuild
.PHONY: esbuild
esbuild:
	@if [ -x $(ESBUILD) ]; then :; \
	elif command -v npm >/dev/null 2>&1; then npm install --no-save --no-audit --no-fund --prefix .stacktape/tools esbuild@0.24; \
	else echo "npm not found: JavaScript/TypeScript function bundling (and its tests) need esbuild from npm"; fi

preview: $(VENV)/.installed
	$(BIN)/stacktape-pulumi preview $(EXAMPLE)

# One strict mypy run over the package and tests/ (pyproject's [tool.mypy]; a bare `mypy` checks the same files),
# then the README's Python examples as a user's program: mypy --strict and pyright (strict) in a directory of
# their own, finding the package through its installation (tools/readme_examples.py). The second mypy run
# shares the first one's cache: mypy reuses a cached module only where its options are the same, so the
# package and pulumi_aws are not analysed twice (about 30 s on a fresh clone).
README_EXAMPLES := .stacktape/readme-examples
MYPY_CACHE := $(abspath .mypy_cache)
lint: $(VENV)/.installed
	$(BIN)/ruff check stacktape_pulumi tests programs bench tools
	$(BIN)/mypy --cache-dir $(MYPY_CACHE) stacktape_pulumi tests
	$(BIN)/python tools/readme_examples.py $(README_EXAMPLES) >/dev/null
	cd $(README_EXAMPLES) && $(abspath $(BIN))/mypy --python-executable $(abspath $(BIN))/python \
		--cache-dir $(MYPY_CACHE) . && $(abspath $(BIN))/pyright --pythonpath $(abspath $(BIN))/python .

# One pytest worker per core (pytest-xdist): every test builds its own offline engine, so none share state;
# --dist loadgroup keeps a module marked `xdist_group` on one worker (test_determinism shares its previews,
# test_layers its import graph).
# The package is byte-compiled first: many tests start the CLI or the provider as a process, and where
# PYTHONDONTWRITEBYTECODE is set each of them would compile the package's modules again (a .pyc whose
# source has changed since is ignored by Python, so this cannot run stale code).
test: lint
	$(BIN)/python -m compileall -q stacktape_pulumi
	$(BIN)/python -m pytest -n auto --dist loadgroup

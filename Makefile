# Hallway: `make run` serves an instance on http://127.0.0.1:8000, `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
E2E_LOG := $(CURDIR)/.test-e2e.log
LOCK := requirements.lock
export HALLWAY_DATA ?= $(CURDIR)/var

.PHONY: run test test-faults test-python test-pwa bench setup build lock clean

run: build
	$(BIN)/hallway run

# The browser tests mostly wait for Chromium: they run beside the API suite, each pytest with its own
# data directory and PostgreSQL database, and their report follows the API suite's.
test: build
	@$(BIN)/python -m pytest -q -m "not faults" tests/e2e > $(E2E_LOG) 2>&1 & browser=$$!; \
	$(BIN)/python -m pytest -q -m "not faults" --ignore=tests/e2e; api=$$?; \
	wait $$browser; e2e=$$?; echo "--- browser tests (tests/e2e)"; cat $(E2E_LOG); rm -f $(E2E_LOG); \
	test $$api -eq 0 && test $$e2e -eq 0
	node --test tests/pwa/

# Databases stopped and processes killed mid-work (tests/faults/, about a minute); .ci/run runs it after make test.
test-faults: setup
	$(BIN)/python -m pytest -q -m faults

test-python: setup
	$(BIN)/python -m pytest -q

test-pwa: setup
	node --test tests/pwa/

bench: build
	$(BIN)/python bench/feed.py
	$(BIN)/python bench/upload.py
	$(BIN)/python bench/transcode.py
	$(BIN)/python bench/push.py
	$(BIN)/python bench/pwa.py

setup: $(STAMP)

# The PWA as served (build/pwa, what `hallway serve` picks up): esbuild bundles the first load into one
# file, splits the screens, minifies. Under a second, so it always runs; the sources in pwa/ stay plain
# ES modules (the node tests import them; without a build the server serves them as they are).
build: setup
	node pwa/build.mjs

# Reinstall when the dependencies change. The Python packages come from $(LOCK), every one at its
# locked version and checked against its hashes (pip and the build backend, setuptools, included);
# Hallway itself is then installed editable on top, without its dependencies and without fetching
# a build backend of its own; `pip check` then fails if pyproject.toml asks for a package or version
# that the lock lacks (run `make lock`). node_modules holds esbuild and the test and benchmark tools
# (axe-core, Lighthouse).
$(STAMP): pyproject.toml $(LOCK) package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/pip check
	npm ci --no-audit --no-fund
	touch $@

# Rewrite $(LOCK) from pyproject.toml: its dependencies and test extras, its build-system requires
# and pip, for Linux x86_64 and Python 3.11, each with the hashes of all its files on the index.
# Packages already locked keep their versions unless a pin moved; `make lock LOCK_ARGS=--upgrade`
# takes the newest release allowed by every pin.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet 'uv~=0.13.9'
	$(BIN)/python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['build-system']['requires'], 'pip', sep='\n')" \
	  | $(BIN)/uv pip compile --quiet pyproject.toml --extra test - --python-version 3.11 \
	    --python-platform x86_64-manylinux_2_28 --generate-hashes --custom-compile-command 'make lock' \
	    $(LOCK_ARGS) -o $(LOCK)

clean:
	rm -rf $(VENV) var build

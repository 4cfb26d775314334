# Hallway: `make run` serves an instance on http://127.0.0.1:8000, `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HALLWAY_DATA ?= $(CURDIR)/var

.PHONY: run test test-python test-pwa bench setup build clean

run: build
	$(BIN)/hallway run

test: build
	$(BIN)/python -m pytest -q
	node --test tests/pwa/

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

# Reinstall when the dependencies change. node_modules holds esbuild and the test and benchmark tools
# (axe-core, Lighthouse).
$(STAMP): pyproject.toml package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	npm ci --no-audit --no-fund
	touch $@

clean:
	rm -rf $(VENV) var build

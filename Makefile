# Hallway: `make run` serves an instance on http://127.0.0.1:8000, `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HALLWAY_DATA ?= $(CURDIR)/var

.PHONY: run test test-python test-pwa bench setup clean

run: setup
	$(BIN)/hallway run

test: setup
	$(BIN)/python -m pytest -q
	node --test tests/pwa/

test-python: setup
	$(BIN)/python -m pytest -q

test-pwa:
	node --test tests/pwa/

bench: setup
	$(BIN)/python bench/feed.py
	$(BIN)/python bench/upload.py
	$(BIN)/python bench/transcode.py
	$(BIN)/python bench/push.py
	$(BIN)/python bench/pwa.py

setup: $(STAMP)

# Reinstall when the dependencies change. The PWA has no build step (plain ES modules); node_modules
# holds only the test and benchmark tools (axe-core, Lighthouse).
$(STAMP): pyproject.toml package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	npm ci --no-audit --no-fund
	touch $@

clean:
	rm -rf $(VENV) var

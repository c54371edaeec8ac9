# Passage: `make run` serves the API and web chat (and the bot when a token is set); `make test` runs everything.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install browser postgres ingest bench evals clean

# torch first, from the local CPU build: otherwise sentence-transformers pulls several GB of CUDA packages.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) -m api

ingest: install
	$(PY) -m retrieval.ingest

# Debian's Chromium drives the web chat test (no browser downloads here).
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; }

# PostgreSQL binaries for the case-store tests (the tests start and stop their own throwaway server).
postgres:
	@ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq postgresql >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq postgresql >/dev/null; fi; }

# The suite builds its own indexes in temporary directories; the quality gate runs over the default index.
test: install browser postgres
	$(PY) -m pytest -q
	$(PY) -m retrieval.ingest
	$(PY) -m evals check --fast

evals: install
	$(PY) -m evals run

bench: install
	$(PY) -m bench

clean:
	rm -rf data test-artifacts runs .pytest_cache

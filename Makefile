# The two commands a newcomer needs: `make run` (app + worker with demo data) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8501

.PHONY: run test install browser migrate worker lint

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium drives the browser tests (never a downloaded browser build).
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

migrate: install
	$(BIN)/python -m jobs migrate

# The demo, explicitly: demo data, demo accounts and the demo cookie key. A real deployment sets DEMO_MODE=false.
run: export DEMO_MODE = true
run: migrate
	$(BIN)/python -m jobs seed-demo
	@echo "Starting GlobalConnect on http://$(HOST):$(PORT) with the jobs worker (Ctrl-C stops both)"
	@$(BIN)/python -m jobs serve --host $(HOST) --port $(PORT)

worker: migrate
	$(BIN)/python -m jobs worker

# Style (ruff) and the layering rules of ARCHITECTURE.md (import-linter, contracts in pyproject.toml).
lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-logo

# One pytest worker per core; a file's tests stay on one worker, so module fixtures are built once.
test: install browser lint
	$(BIN)/python -m pytest -n auto --dist loadfile --no-loadscope-reorder --durations=15

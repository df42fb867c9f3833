# policykg — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test lint install browser

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

# Debian's Chromium and a CJK font for the end-to-end tests (only installs what is missing).
browser:
	bash scripts/install-browser

# The main job on a fresh machine: the API on the embedded store, no Neo4j needed.
run: install
	$(BIN)/policykg serve

# Every test, against a real Neo4j started here (and stopped even when tests fail).
test: install browser
	$(BIN)/policykg neo4j start
	$(BIN)/pytest; status=$$?; $(BIN)/policykg neo4j stop; exit $$status

lint: install
	$(BIN)/ruff check graph_loader api tests bench
	$(BIN)/mypy graph_loader api

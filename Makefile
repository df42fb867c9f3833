# policykg — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test lint install dev browser

# What running needs (about 140 MB), with pip's progress shown.
install: $(VENV)/.installed-run

$(VENV)/.installed-run: pyproject.toml
	@echo "policykg: installing what running needs into $(VENV)/ (first time: a minute or two)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip
	$(BIN)/pip install --progress-bar on -e .
	touch $@

# Plus what testing needs (pytest, playwright, schemathesis, ruff, mypy: about 300 MB more).
dev: $(VENV)/.installed-dev

$(VENV)/.installed-dev: $(VENV)/.installed-run
	@echo "policykg: installing the test tools into $(VENV)/"
	$(BIN)/pip install --progress-bar on -e '.[dev]'
	touch $@

# Debian's Chromium and a CJK font for the end-to-end tests (only installs what is missing).
browser:
	bash scripts/install-browser

# The main job on a fresh machine: the API on the embedded store, no Neo4j needed.
run: install
	$(BIN)/policykg serve

# Every test, against a real Neo4j started here (and stopped even when tests fail).
test: dev browser
	$(BIN)/policykg neo4j start
	$(BIN)/pytest; status=$$?; $(BIN)/policykg neo4j stop; exit $$status

lint: dev
	$(BIN)/ruff check graph_loader api local_neo4j tests bench
	$(BIN)/mypy graph_loader api local_neo4j

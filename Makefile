# orderpulse: every target bootstraps the environment it needs (uv, then the locked venv).
SHELL := /bin/bash
.DEFAULT_GOAL := help

DATA_DIR ?= data
VENV := .venv
PY := $(VENV)/bin/python
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
export UV_PYTHON_DOWNLOADS := never
export PYTHONWARNINGS := ignore

.PHONY: help demo test lint ui serve bench bench-forecast bench-ingest bench-site notebooks notebooks-sync mutation env clean

help:
	@echo "make demo   run the whole pipeline on the embedded Online Retail data and publish the dashboards"
	@echo "make test   run the whole test suite"
	@echo "make lint   ruff check, ruff format --check and sqlfluff lint assets/sql (what CI runs first)"
	@echo "make ui     Dagster UI on http://127.0.0.1:3000 (runs of make demo included)"
	@echo "make serve  the published dashboards on http://127.0.0.1:8000 (PORT=8000)"
	@echo "make bench  measure the pipeline on a synthetic store (SF=1; SF=\"1 10\", YEARS=3, STAGES=..., REPEATS=N)"
	@echo "make bench-forecast  forecast accuracy and time of every model, and the policy backtest, on the real Online Retail SKUs"
	@echo "make bench-ingest    raw-load throughput against DuckDB's read_csv on the real order files"
	@echo "make bench-site      page weight and render time of the demo dashboards in headless Chromium"
	@echo "make notebooks       JupyterLab on http://127.0.0.1:8888 over the analyst copy of DATA_DIR (JUPYTER_PORT=8888)"
	@echo "make notebooks-sync  bring each notebook's .ipynb and its .py script in line after editing either"
	@echo "make mutation        mutation testing of ingest, forecasting, quality and the SQL models into docs/mutation.md (ARGS=\"--modules quality --limit 10\")"

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv

# The venv is rebuilt whenever the lock changes; bytecode is compiled because this machine
# sets PYTHONDONTWRITEBYTECODE (imports are ~2x slower without it).
EXTRAS := --extra test --extra postgres
$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen $(EXTRAS) --compile-bytecode
	@touch $@

env: $(VENV)/.synced

demo: env
	$(VENV)/bin/orderpulse demo --data-dir $(DATA_DIR)

# One pytest worker per core (pytest-xdist): the suite took 1,270 s on one core of this 2-core
# machine and 725 s on two. Every test keeps to its own tmp_path, free ports and private
# PostgreSQL cluster (test-artifacts/ files have one writer each), so workers can interleave.
test: env
	@bash scripts/ensure-chromium.sh
	@bash scripts/ensure-postgres.sh
	@bash scripts/ensure-compose.sh
	$(PY) -m pytest -n auto

# Python style and lint rules are in pyproject.toml ([tool.ruff]), the SQL rules in .sqlfluff.
lint: env
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/sqlfluff lint assets/sql

# The UI's code location reads its folders and settings from ORDERPULSE_* (docs/operations.md);
# EXPORTS_DIR, SITE_DIR and SETTINGS left empty keep the defaults under DATA_DIR.
EXPORTS_DIR ?=
SITE_DIR ?=
SETTINGS ?=
ui: env
	@(umask 077 && mkdir -p $(DATA_DIR)/dagster_home)
	@test -f $(DATA_DIR)/dagster_home/dagster.yaml || cp dagster.yaml $(DATA_DIR)/dagster_home/dagster.yaml
	DAGSTER_HOME=$(abspath $(DATA_DIR))/dagster_home ORDERPULSE_DATA_DIR=$(abspath $(DATA_DIR)) \
	ORDERPULSE_EXPORTS_DIR=$(EXPORTS_DIR) ORDERPULSE_SITE_DIR=$(SITE_DIR) ORDERPULSE_SETTINGS=$(SETTINGS) \
	$(VENV)/bin/dagster dev -h 127.0.0.1 -p 3000 -w deploy/workspace.yaml

PORT ?= 8000
serve: env
	$(VENV)/bin/orderpulse serve --data-dir $(DATA_DIR) --port $(PORT)

SF ?= 1
STAGES ?= load,full,nightly,reference,text
REPEATS ?= 1
YEARS ?= 1
bench: env
	$(VENV)/bin/orderpulse-bench $(foreach s,$(SF),--scale $(s)) --years $(YEARS) --stages $(STAGES) --repeats $(REPEATS) --data-dir $(DATA_DIR)

bench-forecast: env
	$(PY) bench/forecast_accuracy.py
	$(PY) bench/policy_backtest.py

bench-ingest: env
	$(PY) bench/ingest_throughput.py

bench-site: env
	@bash scripts/ensure-chromium.sh
	$(PY) bench/site_render.py $(DATA_DIR)/site --screenshots test-artifacts/demo-site

# JupyterLab (the `notebooks` extra) on the notebooks folder. The notebooks read the analyst
# copy each run republishes (RunPaths.analyst_copy, passed as ORDERPULSE_ANALYST_DB), never the
# warehouse the pipeline writes, so they can stay open while a run works.
JUPYTER_PORT ?= 8888
$(VENV)/.synced-notebooks: $(VENV)/.synced
	$(UV) sync --frozen $(EXTRAS) --extra notebooks --compile-bytecode
	@touch $@

notebooks: $(VENV)/.synced-notebooks
	@copy="$$($(PY) -c 'from config.resources import RunPaths; print(RunPaths(data_dir="$(DATA_DIR)").analyst_copy)')"; \
	test -f "$$copy" || echo "note: no analyst copy at $$copy yet: run make demo (or orderpulse run) first"; \
	ORDERPULSE_ANALYST_DB="$$copy" $(VENV)/bin/jupyter lab --ip 127.0.0.1 --port $(JUPYTER_PORT) \
	  --no-browser --notebook-dir notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

# Each notebook is a pair (notebooks/jupytext.toml): jupytext copies the cells of whichever
# file of a pair was edited last into the other, keeping the notebook's outputs.
notebooks-sync: env
	$(VENV)/bin/jupytext --sync notebooks/*.ipynb

# Mutation testing (the `mutation` extra: cosmic-ray), not part of `make test`: it runs the
# covering tests once per mutant (docs/mutation.md). By default an evenly spread sample of 5
# mutants per file of every target, from which each package's score is estimated; the whole
# tree (about 3,900 mutants) takes many hours on 2 cores: `ARGS="--modules
# ingest,forecasting,quality,assets/sql"`.
ARGS ?= --limit 5
$(VENV)/.synced-mutation: $(VENV)/.synced
	$(UV) sync --frozen $(EXTRAS) --extra mutation --compile-bytecode
	@touch $@

mutation: $(VENV)/.synced-mutation
	$(PY) -m mutation $(ARGS)

clean:
	rm -rf $(DATA_DIR) .pytest_cache

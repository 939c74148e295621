# The README's commands. `make run` and `make test` set up everything they need.
PYTHON_BOOTSTRAP ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
REPLICAS ?= 2
CLUSTER_PORT ?= 8080

.PHONY: run test setup setup-dev browser deploy-tools oidc-provider lint sample sample-db docs \
	bench brief migrate load rollups check-db import undo-import templates serve-cluster \
	bench-load clean

# The warm-up (deploy/warmup.py) opens the app once as soon as it answers: the first user gets a
# warm page and never Streamlit's legacy pages/ handling (docs/navigation.md). `exec` keeps the
# shell's process id ($$$$) for Streamlit, so the warm-up stops waiting once it has gone; the
# subshell leaves the warm-up to init, which reaps it when it is done.
run: setup sample-db
	($(PY) -m deploy.warmup --port $(PORT) --pid $$$$ &) ; \
	exec $(PY) -m streamlit run app.py --server.port $(PORT) --server.headless true

test: setup-dev browser deploy-tools oidc-provider
	$(PY) -m ruff check .
	$(PY) -m pytest -n 2 --dist loadfile

$(VENV)/bin/python:
	$(PYTHON_BOOTSTRAP) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.runtime

setup-dev: $(VENV)/.dev

# Debian's Chromium and CJK fonts for the browser tests (no browser download from the internet).
browser:
	@bash .ci/install-browser

# Debian's nginx (with headers-more) and PostgreSQL server programs for the deployment tests.
deploy-tools:
	@bash .ci/install-deploy-tools

# The OpenID Connect provider the login test starts: npm's `oidc-provider`, pinned in
# tests/oidc/package-lock.json (Debian's Node.js and npm when missing; `npm ci` when it changed).
oidc-provider:
	@bash .ci/install-oidc-provider

lint: setup-dev
	$(PY) -m ruff check .

# Regenerate the fictitious sample CSVs (deterministic) and rebuild the SQLite sample database.
sample: setup
	$(PY) -m sample_data.generate
	rm -f var/bureau-sample.sqlite
	$(MAKE) sample-db

sample-db: setup
	$(PY) -c "from data_access.db import ensure_sample_database as e; print(e())"

docs: setup
	$(PY) -m data_access.describe > docs/data-model.md

bench: setup-dev sample-db
	$(PY) -m pip install --quiet -r bench/requirements.txt
	$(PY) bench/pages.py

# The weekly brief: out/weekly-brief-$(AS_OF).docx and .xlsx (AS_OF defaults to the latest data
# date; UNIT to the whole city). Chart images need Chromium (`make browser`).
brief: setup sample-db browser
	$(PY) -m ui.brief $(if $(AS_OF),--as-of $(AS_OF),) $(if $(UNIT),--unit $(UNIT),) --out-dir out

# Bring the schema of the database at DATABASE_URL (none set: the one the app uses, secrets.toml
# or else the embedded sample) to the code's revision; never drops data (docs/migrations.md).
migrate: setup
	$(PY) -m data_access.migrate upgrade

# Load the sample (or CSV_DIR) into the database at DATABASE_URL: the schema is upgraded, every
# file checked, then the dashboard's rows are replaced by the files' in one transaction (on any
# failure the previous data stays as it was).
load: setup
	$(PY) -m data_access.load --replace $(if $(CSV_DIR),--csv-dir $(CSV_DIR),)

# Rebuild the hidden-danger ledger's counts in the database at DATABASE_URL (default: the app's
# own), after its rows were changed other than by the import (docs/performance.md).
rollups: setup
	$(PY) -m data_access.recount

# Check the database at DATABASE_URL (default: the app's own) against the data model: tables or
# views, columns and types, and every data-quality rule. Exit 1 on errors, 2 when unreachable.
check-db: setup
	$(PY) -m data_access.check_db

# Import the bureau's Excel/CSV file(s) into the database at DATABASE_URL (default: the app's
# own): every row is checked and the changes previewed first; DRY_RUN=1 stops there, YES=1
# skips the question, COMPLETE="隐患台账=襄垣县" declares a complete table (docs/data-import.md).
import: setup sample-db
	@test -n "$(FILE)" || { echo "用法:make import FILE=文件.xlsx [DRY_RUN=1] [YES=1]"; exit 2; }
	$(PY) -m data_access.importing $(FILE) $(if $(DRY_RUN),--dry-run,) $(if $(YES),--yes,) \
		$(foreach c,$(COMPLETE),--complete $(c))

# Undo the latest import (asks first; YES=1 does not).
undo-import: setup sample-db
	$(PY) -m data_access.importing --undo $(if $(YES),--yes,)

# The import template: out/templates/数据导入模板.xlsx (lists from the app's database).
templates: setup sample-db
	$(PY) -m data_access.importing.templates

# The production layout on this machine (docs/deploy.md): nginx on CLUSTER_PORT in front of
# REPLICAS Streamlit processes on ports 8501, 8502, …; Ctrl-C stops everything.
serve-cluster: setup sample-db deploy-tools
	$(PY) -m deploy.cluster --replicas $(REPLICAS) --port $(CLUSTER_PORT)

# 100 sessions driven over Streamlit's WebSocket protocol for 5 minutes against REPLICAS
# processes behind nginx, one of them killed half-way (docs/performance.md).
bench-load: setup sample-db deploy-tools
	$(PY) bench/loadgen.py --start-cluster $(REPLICAS) --cluster-port $(CLUSTER_PORT) \
		--sessions 100 --minutes 5 --kill-after 150

clean:
	rm -rf var out .pytest_cache .ruff_cache

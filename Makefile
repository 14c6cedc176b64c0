# Everything a new machine needs starts here: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

PYTEST_LATEST ?= -q
# The suite runs in parallel, one process per core (pytest-xdist); each test has its
# own database, site folder and ports. PYTEST_JOBS=0 runs it in one process.
PYTEST_JOBS ?= auto

.PHONY: run test test-reference test-latest check setup db site schema migrations messages bench-site bench-build bench-api bench-abuse bench-import lighthouse clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

db: $(STAMP)
	$(BIN)/partners migrate
	$(BIN)/partners demo --if-empty

site: db
	$(BIN)/partners build-site var/site --base-url http://$(HOST):$(PORT)/

run: site
	SITE_URL=http://$(HOST):$(PORT)/ $(BIN)/partners serve --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/pytest -n $(PYTEST_JOBS) $(PYTEST_ARGS)

# The API's tests with the reference engine: Strawberry's own execution, Starlette's
# own request path, Tortoise's own queries (api/engine/README.md). The browser and
# the site build's tests are left to `make test`: they read the API through the same
# queries, and the answers are compared request by request in tests/test_engine.py.
REFERENCE_TESTS := $(addprefix tests/test_,$(addsuffix .py,access_log admission api \
	auth bounded cache change_log_reads columns engine exchange executor export_guards \
	health hsds http inputs_strict limits listing loaders memory mutations pagination \
	persisted properties rates serve sessions shape site_files statements support texts \
	hsds_schedules applications proposals))
test-reference: $(STAMP)
	PARTNERS_ENGINE=reference $(BIN)/pytest -n $(PYTEST_JOBS) $(REFERENCE_TESTS) $(PYTEST_ARGS)

# The suite against the newest releases each dependency's major version allows
# (.ci/latest.py widens the upper bounds): how far the pins could move.
test-latest:
	$(PYTHON) -m venv .venv-latest
	.venv-latest/bin/pip install --quiet --upgrade pip packaging
	.venv-latest/bin/python .ci/latest.py pyproject.toml > .venv-latest/requirements.txt
	.venv-latest/bin/pip install --quiet --upgrade -r .venv-latest/requirements.txt
	.venv-latest/bin/pip install --quiet --no-deps -e .
	.venv-latest/bin/pip list --format=freeze > .venv-latest/versions.txt
	.venv-latest/bin/pytest $(PYTEST_LATEST)

check: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

bench-site: $(STAMP)
	$(BIN)/python -m bench.site 1000 10000

bench-build: $(STAMP)
	$(BIN)/python -m bench.build 10000

bench-api: $(STAMP)
	$(BIN)/python -m bench.api

bench-abuse: $(STAMP)
	$(BIN)/python -m bench.abuse
	$(BIN)/python -m bench.applications

bench-import: $(STAMP)
	$(BIN)/python -m bench.importing

# Lighthouse (mobile) on the demo site's home, search, partner and school pages in
# every language: bench/results/lighthouse.txt. Lighthouse comes from the npm
# registry into .lighthouse/ (12.8 is the newest that runs on Debian's Node 20);
# PAGES="" a-z/ … measures other pages (bench/lighthouse.py).
LIGHTHOUSE_VERSION := 12.8.2
LIGHTHOUSE_STAMP := .lighthouse/.installed-$(LIGHTHOUSE_VERSION)

$(LIGHTHOUSE_STAMP):
	npm install --prefix .lighthouse --no-audit --no-fund --silent lighthouse@$(LIGHTHOUSE_VERSION)
	touch $(LIGHTHOUSE_STAMP)

lighthouse: $(STAMP) $(LIGHTHOUSE_STAMP)
	CHROME_PATH=/usr/bin/chromium $(BIN)/python -m bench.lighthouse $(PAGES)

schema: $(STAMP)
	$(BIN)/python -c 'from api.schema import schema; print(schema)' > schema.graphql

# After changing the site's words: the catalogs' template and each language's
# catalog follow; new words come in empty for translators (docs/directory.md).
messages: $(STAMP)
	$(BIN)/python -m directory_site.messages

migrations: $(STAMP)
	DATABASE_URL=sqlite://:memory: $(BIN)/tortoise -c models.db.TORTOISE_ORM makemigrations

clean:
	rm -rf $(VENV) var .lighthouse .pytest_cache .mypy_cache .ruff_cache

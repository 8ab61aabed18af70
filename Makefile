# Two commands matter: `make run` (service with demo data on SQLite) and `make test` (whole suite).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Two test processes (pytest-xdist): each has its own databases, so the suite halves on 2 cores.
TEST_WORKERS ?= 2

.PHONY: run test test-quick lint bench bench-workers bench-scale mutate install install-dev js-deps govuk-assets translations clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# Mozilla's ical.js validates every feed the tests produce (needs node and npm).
js-deps:
	@if command -v npm >/dev/null 2>&1; then \
		if [ ! -d tests/js/node_modules ] && [ -f tests/js/package.json ]; then \
			npm ci --prefix tests/js --no-audit --no-fund --silent; fi; \
	else echo "npm not found: feed tests that need ical.js will be skipped"; fi

# Refresh the committed GOV.UK Frontend files (api/static/govuk/) from the npm package pinned in
# tools/govuk/package.json; needs node and npm, and only when upgrading (docs/govuk-frontend.md).
govuk-assets:
	tools/govuk/refresh.sh

# Welsh (docs/welsh.md): extract every marked string from the templates and Python modules into
# api/translations/messages.pot, then merge new and changed ones into the Welsh catalogue for a
# translator. The app compiles the .po at start, so there is no compile step to forget.
translations: install-dev
	$(VENV)/bin/pybabel -q extract -F api/translations/babel.cfg -k N_ --sort-by-file \
		--project venue-hire --msgid-bugs-address "" -o api/translations/messages.pot .
	$(VENV)/bin/pybabel -q update -i api/translations/messages.pot -d api/translations -l cy \
		--init-missing --ignore-obsolete
	# The words of the messages sent to hirers: casework's own catalogue (casework/message_language.py).
	$(VENV)/bin/pybabel -q extract -F casework/translations/babel.cfg -k N_ --sort-by-file \
		--project venue-hire --msgid-bugs-address "" -o casework/translations/messages.pot .
	$(VENV)/bin/pybabel -q update -i casework/translations/messages.pot -d casework/translations -l cy \
		--init-missing --ignore-obsolete

run: install
	$(VENV)/bin/venue-hire db upgrade
	$(VENV)/bin/venue-hire demo load
	# The demo's invented register extract is consulted locally unless another backend is set.
	VENUE_HIRE_REGISTRY_BACKEND=$${VENUE_HIRE_REGISTRY_BACKEND:-local} $(VENV)/bin/venue-hire serve --host $(HOST) --port $(PORT)

test: install-dev js-deps
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# Everything but the slow tests (concurrency races, the state machine, schemathesis) and the browser.
test-quick: install-dev js-deps
	$(PY) -m pytest -n $(TEST_WORKERS) -m "not slow and not browser" $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy api casework venues vetting policies
	$(VENV)/bin/lint-imports

bench: install-dev
	$(PY) bench/run_all.py

# Several workers on PostgreSQL (issue 22 items 3 and 4): the booking POST with 1, 2 and 4 workers
# beside one worker's, its CPU per request beside a /health's, four workers' memory beside one's.
# Needs VENUE_HIRE_TEST_POSTGRES_URL and Redis (VENUE_HIRE_TEST_REDIS_URL); about 8 minutes.
bench-workers: install-dev
	$(PY) bench/run_all.py --workers

# How each cost grows with 1, 3 and 10 years of a large council's data (docs/performance.md);
# loads about 170,000 cases per engine, so it takes most of an hour. SCALE_ARGS: e.g. --years 1,3
SCALE_ARGS ?=
bench-scale: install-dev
	$(PY) bench/scale.py $(SCALE_ARGS)

# Mutation testing of the rule modules (docs/mutation.md); minutes, so not part of `make test`.
# MUTATE_ARGS: module paths, --stale (only what changed since the last run at the bar), --jobs N.
MUTATE_ARGS ?=
$(VENV)/.installed-mutate: tools/mutate-requirements.txt | $(VENV)/.installed-dev
	$(PY) -m pip install --quiet -r tools/mutate-requirements.txt
	touch $@

mutate: install-dev $(VENV)/.installed-mutate
	$(PY) tools/mutate.py $(MUTATE_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

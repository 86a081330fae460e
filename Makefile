# The two commands of the README's quick start, and the checks CI runs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test lint format check-deploy ci bench clean messages catalogs

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.run-installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.run-installed

## run: install, migrate SQLite, load the seed once, serve on http://127.0.0.1:$(PORT) with a background
## worker beside it (the admin's imports; it stops with the server)
run: $(VENV)/.run-installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_seed
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py db_worker --no-reload --no-startup-delay & trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

## .venv/parsers: recurring-ical-events, an independent expander of recurring events for tests/parsers,
## in a folder of its own (it needs python-dateutil 2, the site pins 4; see requirements-parsers.txt)
$(VENV)/parsers/.installed: requirements-parsers.txt | $(VENV)/bin/python
	rm -rf $(VENV)/parsers
	$(PY) -m pip install --quiet --disable-pip-version-check --target $(VENV)/parsers -r requirements-parsers.txt
	touch $@

## node_modules: test tools: Mozilla builder.js (an .ics parser), axe-core and the Nu HTML Checker (vnu-jar)
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the builder.js, accessibility and HTML-validity tests will be skipped"; fi

## test: install and run the whole suite (browser, builder.js, libical, axe and Nu checker tests skip, saying
## so, where Chromium, node, Java or libical's Python bindings are missing; under CI=true they fail instead)
test: $(VENV)/.dev-installed $(VENV)/parsers/.installed node_modules/.installed
	$(PY) -m pytest

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## bench: the benchmark of issue 7 (every page, docs/performance.md; e.g. BENCH_SIZES=1000,10000 for a
## quick run), then issue 16's targets, each printed beside its measure (bench/targets.py)
bench: $(VENV)/.dev-installed
	$(PY) bench/run.py
	$(PY) bench/targets.py

## messages: add every string marked for translation to the catalogs of the site's languages
## (locale/<language>/LC_MESSAGES/*.po; needs GNU gettext); then translate, and `make catalogs`
LANGUAGE_CODES := en fr de it ru es
MESSAGES_IGNORE := --ignore='.venv/*' --ignore='node_modules/*' --ignore='staticfiles/*' --ignore='media/*' \
	--ignore='bench/*' --ignore='tests/*'
messages: $(VENV)/.dev-installed
	for domain in django djangojs; do \
		$(PY) manage.py makemessages --domain $$domain $(LANGUAGE_CODES:%=--locale %) $(MESSAGES_IGNORE) \
			--add-location file --no-obsolete --verbosity 0 || exit 1; \
	done

## catalogs: compile the catalogs (.mo, committed) and check that none misses a translation
catalogs: $(VENV)/.dev-installed
	$(PY) manage.py catalogs --compile
	$(PY) manage.py catalogs --check

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles .pytest_cache .ruff_cache

# The two commands a newcomer needs: `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: venv run serve worker bench bench-matching bench-pages bench-dashboards bench-publik bench-coverage bench-field bench-etalase bench-ci test lint format messages clean

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed" if sys.version_info < (3, 11) else 0)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

venv: $(STAMP)

## Set up, migrate, load wilayah and demo data on SQLite, and serve http://127.0.0.1:8000
run: export DJANGO_DEBUG ?= true
run: venv
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

## Serve without re-seeding
serve: export DJANGO_DEBUG ?= true
serve: venv
	$(BIN)/python manage.py runserver 127.0.0.1:8000

## Run background tasks (registry uploads) from the database queue
worker: venv
	$(BIN)/python manage.py db_worker

## Import benchmark on the configured database (see README.md), e.g. make bench BENCH_ARGS="--rows 200000 --reset"
bench: venv
	$(BIN)/python bench/import_households.py $(BENCH_ARGS)

## Matching benchmark on a PostgreSQL database of its own (see bench/README.md)
bench-matching: venv
	$(BIN)/python bench/matching.py $(BENCH_ARGS)

## Registry pages (admin search, changelist, review, matching) served by gunicorn, on the matching benchmark's database
bench-pages: venv
	$(BIN)/python bench/pages.py $(BENCH_ARGS)

## Dashboards benchmark (p50/p95, throughput against a bare signed-in page, cost of fresh figures) on a PostgreSQL database of its own
bench-dashboards: venv
	$(BIN)/python bench/dashboards.py $(BENCH_ARGS)

## The public page, its downloads and the public API served by gunicorn (PostgreSQL; see bench/README.md)
bench-publik: venv
	$(BIN)/python bench/publik.py $(BENCH_ARGS)

## Register of obligated companies: import, a day's reminders, coverage page and public list (PostgreSQL)
bench-coverage: venv
	$(BIN)/python bench/coverage.py $(BENCH_ARGS)

## The field app: queued records and photos synced over an emulated 64 kbit/s link, opening offline (PostgreSQL)
bench-field: venv
	$(BIN)/python bench/field.py $(BENCH_ARGS)

## The etalase (20,000 needs): lists with filters, public list, adopting; on a PostgreSQL database of its own
bench-etalase: venv
	$(BIN)/python bench/etalase.py $(BENCH_ARGS)

## Every benchmark at a small size on the PostgreSQL database BENCH_DB (or DATABASE_URL); CI runs it
bench-ci: venv
	bench/ci.sh $(BENCH_DB)

## Set up and run the whole test suite (DATABASE_URL picks the database; SQLite by default)
test: venv
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: venv
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djlint templates --reformat

## Refresh and compile the translation catalogues (needs GNU gettext)
messages: venv
	$(BIN)/python manage.py makemessages -l id -l en --no-obsolete --ignore=.venv --ignore=staticfiles
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache test-artifacts

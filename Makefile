# e-SAR: the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
PORT ?= 8000
HOST ?= 127.0.0.1
UV_VERSION := 0.13.8
UV := .uv/bin/uv
PY := .venv/bin/python
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
# The test suite runs against the real PostgreSQL (and Redis where a test needs the broker).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/esar
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: run serve setup venv test test-sqlite lint format bench bench-http worker beat messages chromium clean

$(UV):
	$(PYTHON) -m venv .uv
	.uv/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# The environment, exactly as uv.lock pins it.
.venv/.synced: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --quiet
	touch $@

venv: .venv/.synced

setup: venv
	$(PY) manage.py migrate --no-input
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(PY) manage.py seed_demo

# Set up (SQLite in var/, demo data) and serve on http://$(HOST):$(PORT), printing the demo logins.
run: setup
	@$(PY) manage.py demo_accounts
	@echo "e-SAR is serving on http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	.venv/bin/granian --interface wsgi --host $(HOST) --port $(PORT) --workers 1 --blocking-threads 4 --no-access-log config.wsgi:application

serve: venv
	.venv/bin/granian --interface wsgi --host $(HOST) --port $(PORT) --workers 1 --blocking-threads 4 config.wsgi:application

chromium:
	@bash scripts/ensure-chromium

lint: venv
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports
	.venv/bin/mypy

format: venv
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

# Lint and the whole suite on PostgreSQL; DATABASE_URL overrides the database.
test: venv chromium lint
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} ESAR_TEST_REDIS_URL=$${ESAR_TEST_REDIS_URL:-$(TEST_REDIS_URL)} \
		.venv/bin/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

# The same suite on the embedded SQLite database.
test-sqlite: venv chromium
	DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 ESAR_TEST_REDIS_URL=$${ESAR_TEST_REDIS_URL:-$(TEST_REDIS_URL)} \
		.venv/bin/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

# Benchmarks on a national-scale world in PostgreSQL (see benchmarks/README.md).
bench: venv
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} .venv/bin/pytest benchmarks -p no:xdist -m benchmark_only --benchmark-only -s $(PYTEST_ARGS)

# Every page through a real server beside the framework's ceiling (see benchmarks/README.md):
# seeds the national world once into BENCH_DATABASE_URL, ANALYZEs it, serves it, prints the table.
bench-http: venv
	@bash scripts/ensure-wrk
	.venv/bin/python -m benchmarks.http.run $(BENCH_ARGS)

# A Celery worker for deployments with a broker (CELERY_BROKER_URL).
worker: venv
	.venv/bin/celery -A config worker --loglevel=INFO

# Celery beat: the periodic tasks of CELERY_BEAT_SCHEDULE (the daily reminders), beside a worker.
beat: venv
	mkdir -p var && .venv/bin/celery -A config beat --loglevel=INFO --schedule var/celerybeat-schedule

# Re-extract the translation catalogue after changing strings, then compile it.
messages: venv
	$(PY) manage.py makemessages --locale th --no-obsolete --ignore '.venv/*' --ignore '.uv/*' --ignore 'var/*' --ignore '*/tests/*' --ignore 'benchmarks/*'
	$(PY) manage.py compilemessages --locale th

clean:
	rm -rf .venv .uv var

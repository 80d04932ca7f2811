# The two commands a new user needs: `make run` and `make test`. Everything else is set up by them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py

.PHONY: run test test-postgres lint format setup demo bench bench-attempts clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo

run: demo
	$(MANAGE) runserver 127.0.0.1:8000

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=academy.settings.test $(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest

# The suite on PostgreSQL; with CELERY_TEST_BROKER_URL set, the worker tests then run in a pytest
# process of their own (Celery caches its broker connection for the process, and the rest of the
# suite runs tasks eagerly) against a real Celery worker on that broker. Example:
#   make test-postgres DATABASE_URL=postgres://postgres@127.0.0.1:5432/academy \
#                      CELERY_TEST_BROKER_URL=redis://127.0.0.1:6379/15
test-postgres: $(STAMP)
	@test -n "$(DATABASE_URL)" || (echo "Set DATABASE_URL=postgres://..." && exit 2)
	DATABASE_URL="$(DATABASE_URL)" $(BIN)/pytest -m "not celery_worker"
	@if [ -n "$(CELERY_TEST_BROKER_URL)" ]; then \
		DATABASE_URL="$(DATABASE_URL)" CELERY_TEST_BROKER_URL="$(CELERY_TEST_BROKER_URL)" \
		$(BIN)/pytest -m celery_worker; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	$(BIN)/python -m bench.run

# Taking an exam: autosave and submit under 50 clients, and a surge of 300 starts (several minutes).
bench-attempts: $(STAMP)
	$(BIN)/python -m bench.attempts

clean:
	rm -rf $(VENV) var

# The two commands a new user needs: `make run` and `make test`. Everything else is set up by them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py

.PHONY: run test test-postgres lint format setup demo bench bench-attempts clean

$(STAMP): pyproject.toml certificates/contexts.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/python -m certificates.contexts
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo

run: demo
	$(MANAGE) runserver 127.0.0.1:8000

# -n auto: the suite runs on every core (pytest-xdist); each worker has a database of its own.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest -n auto

# The suite on PostgreSQL, except the browser tests (they run in `make test`; what they check does
# not depend on the database). It includes the two-web-node test (tests/web_nodes, skipped on
# SQLite), which needs Redis at WEB_NODES_REDIS_URL (redis://127.0.0.1:6379/9 unless set) and
# starts its own S3 server. With CELERY_TEST_BROKER_URL set, the worker tests run too, in a pytest
# process of their own (Celery caches its broker connection for the process, and the rest of the
# suite runs tasks eagerly) against a real Celery worker on that broker. They spend most of their
# time waiting for workers and redeliveries, so they run alongside the rest, on a test database of
# their own, and their report follows the suite's. Example:
#   make test-postgres DATABASE_URL=postgres://postgres@127.0.0.1:5432/academy \
#                      CELERY_TEST_BROKER_URL=redis://127.0.0.1:6379/15
test-postgres: $(STAMP)
	@test -n "$(DATABASE_URL)" || (echo "Set DATABASE_URL=postgres://..." && exit 2)
	@export DATABASE_URL="$(DATABASE_URL)"; pid=""; worker_status=0; \
	if [ -n "$(CELERY_TEST_BROKER_URL)" ]; then \
		log=$$(mktemp); \
		echo "pytest -m celery_worker (in the background, with CELERY_TEST_BROKER_URL)"; \
		CELERY_TEST_BROKER_URL="$(CELERY_TEST_BROKER_URL)" $(BIN)/pytest -m celery_worker \
			> "$$log" 2>&1 & pid=$$!; \
	fi; \
	echo 'pytest -n auto -m "not celery_worker and not browser"'; \
	$(BIN)/pytest -n auto -m "not celery_worker and not browser"; suite_status=$$?; \
	if [ -n "$$pid" ]; then \
		wait $$pid; worker_status=$$?; \
		echo "== The worker tests, run alongside =="; cat "$$log"; rm -f "$$log"; \
	fi; \
	test $$suite_status -eq 0 -a $$worker_status -eq 0

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	$(BIN)/python -m bench.run

# Taking an exam: autosave and submit under 50 clients; exam day (issue 17): 1,000 learners
# arriving over a minute, each opening the course page, starting the exam and autosaving every
# 10 s (target: every step's p95 under 1 s, no error); then 300 starts at once (several minutes).
bench-attempts: $(STAMP)
	$(BIN)/python -m bench.attempts

# Certificates: one issue in-process, a bulk issue of 10,000 on two Celery workers on Redis
# (127.0.0.1:6379, database 12) and the verification URLs on gunicorn: about 7 minutes on two
# otherwise idle CPUs, far longer on a busy machine (`python -m bench.certificates --learners N`).
.PHONY: bench-certificates
bench-certificates: $(STAMP)
	$(BIN)/python -m bench.certificates

# The assessor's queue, the accreditation reports and the casework list over 5,000 candidates,
# 50,000 evidence files and 45,000 other learners, checked against Python, then timed against a
# bare count: about a minute (`python -m bench.accreditation --candidates N`).
.PHONY: bench-accreditation
bench-accreditation: $(STAMP)
	$(BIN)/python -m bench.accreditation

clean:
	rm -rf $(VENV) var

# The national view over create_random_data's data (50,000 learners, 500 organisations, about
# 500,000 enrolments), checked against the rows, then timed against a bare count of enrolments by
# month (`python -m bench.organisations --learners N`).
.PHONY: bench-organisations
bench-organisations: $(STAMP)
	$(BIN)/python -m bench.organisations

# A registration surge: 1,000 learners registering for a 500-place webinar session within a
# minute on two gunicorn workers, checked for over-booking, timed against a bare view under the
# same arrivals (`python -m bench.webinars --learners N --places N`).
.PHONY: bench-webinars
bench-webinars: $(STAMP)
	$(BIN)/python -m bench.webinars

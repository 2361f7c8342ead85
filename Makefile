# SmartHR: `make run` sets up and starts the app; `make test` sets up and runs the tests.
# Both work on a fresh machine with only Python 3.11 (SQLite, tasks in-process).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
# Extra pip arguments for the PyTorch install alone (e.g. a CPU-only wheel index).
TORCH_PIP_ARGS ?=
HOST   ?= 127.0.0.1
PORT   ?= 8000
# Links in e-mails (survey and self-ID) point at the server `make run` starts.
SITE_URL ?= http://$(HOST):$(PORT)

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test install install-test lint format worker beat web clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# PyTorch first and alone: a torch requirement resolved later by another package would
# pull a multi-GB CUDA build.
$(VENV)/.torch: | $(BIN)/python
	$(BIN)/pip install $(TORCH_PIP_ARGS) "torch==2.13.0"
	touch $@

$(VENV)/.installed: pyproject.toml $(VENV)/.torch
	$(BIN)/pip install -e ".[ml]"
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -e ".[ml,test]"
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 SITE_URL=$(SITE_URL) $(BIN)/python manage.py load_demo
	@echo "SmartHR is starting on http://$(HOST):$(PORT)/ (tasks run in-process; Ctrl-C stops it)"
	DEBUG=1 SITE_URL=$(SITE_URL) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The same checks as .pre-commit-config.yaml; mypy reads mypy.ini (strict for core/, mlcore/).
lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The test order is shuffled by TEST_SEED (pytest-randomly), and random, Faker, factory_boy and
# NumPy are reseeded from it before every test: one seed, one run, every time. Any other seed
# must pass too (`make test TEST_SEED=$$RANDOM`; docs/decisions.md "Deterministic tests").
TEST_SEED ?= 20261130

# pytest exits 5 when a selection holds no test; that is not a failure of the code.
test: lint
	$(BIN)/python -m pytest -p randomly --randomly-seed=$(TEST_SEED) \
		--cov --cov-report=term:skip-covered || [ $$? -eq 5 ]

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Scale-out pieces (need CELERY_BROKER_URL and, in production, DATABASE_URL and SECRET_KEY).
web: install
	$(BIN)/python manage.py collectstatic --noinput
	$(BIN)/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers 3 --access-logfile -
worker: install
	$(BIN)/celery -A config worker --loglevel=INFO
beat: install
	$(BIN)/celery -A config beat --loglevel=INFO

clean:
	rm -rf $(VENV) db.sqlite3* media staticfiles .pytest_cache .ruff_cache .mypy_cache .coverage

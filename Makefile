# Parallax: `make run` serves the app with the seed texts, `make test` runs ruff and the suite.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV := .venv
BIN := $(VENV)/bin
# Django 6.1 needs Python 3.12+: take the first such interpreter on PATH or under pyenv.
PYTHON ?= $(shell for p in python3.13 python3.12 python3 $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3; do \
	  "$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo "$$p"; break; }; \
	done)
export DJANGO_SETTINGS_MODULE := project.settings

.PHONY: help install run serve migrate seed test lint format bench loadtest chromium clean

help:
	@echo "make run    - install, migrate, import the seed texts, serve on http://127.0.0.1:8000"
	@echo "make test   - install dev extras, ruff check + format check, migrations check, pytest"
	@echo "make bench  - run the benchmarks in bench/"
	@echo "make loadtest - gunicorn + PostgreSQL + Redis under a fixed number of requests"

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is required" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,multilingual]'
	touch $@

install: $(VENV)/.installed

migrate: install
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py migrate --no-input

seed: migrate
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py loaddata fixtures/sources.json
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py import_statements fixtures/statements
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py rebuild_corpus_stats --pending
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py index_echoes

# The task worker runs beside the server; Ctrl-C stops both (the whole process group).
run: seed
	@trap 'kill 0' INT TERM EXIT; \
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py db_worker --queue-name '*' & \
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	@failed=""; for script in bench/[!_]*.py; do [ "$$script" = bench/loadtest.py ] && continue; \
	  echo "== $$script"; \
	  $(BIN)/python $$script || failed="$$failed $$script"; done; \
	  if [ -n "$$failed" ]; then echo "targets missed:$$failed"; exit 1; fi

# Needs the local PostgreSQL and Redis (the defaults below); not part of `make test`.
loadtest: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/parallax} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/15} $(BIN)/python bench/loadtest.py

# Browser tests need Debian's Chromium; CI installs it through this target.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache *.egg-info

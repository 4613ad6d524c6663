# LienKet — two commands do everything: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
LOCK := requirements/dev.lock.txt
STAMP := $(VENV)/.installed-$(shell sha1sum $(LOCK) | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo serve test test-fast lint typecheck check browser messages clean bench fuzz

$(STAMP): $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q -r $(LOCK)
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

## demo: venv + pinned install, migrate SQLite, load reference + sample data, serve on http://127.0.0.1:8000
demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_reference
	$(BIN)/python manage.py load_sample
	@echo "Serving LienKet on http://$(HOST):$(PORT)/  (health: http://$(HOST):$(PORT)/healthz)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## browser: Debian's chromium for the Playwright tests and LibreOffice Calc for the Excel round trip
## (each installed when missing and we are root; otherwise those tests are skipped with the reason)
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian chromium for browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing and not root: browser tests will be skipped"; fi; \
	fi
	@if ! command -v soffice >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing LibreOffice Calc (headless) for the Excel round-trip tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      libreoffice-calc-nogui >/dev/null; \
	  else echo "soffice missing and not root: LibreOffice round-trip tests will be skipped"; fi; \
	fi

## test: the whole suite on SQLite, or on PostgreSQL when DATABASE_URL=postgres://... is set
test: install browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## fuzz: the schemathesis API tests with many more, randomized examples (FUZZ_EXAMPLES per operation and role)
FUZZ_EXAMPLES ?= 200
fuzz: install
	LIENKET_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest tests/test_api_fuzz.py -q $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check . || true

typecheck: install
	$(BIN)/mypy lienket

check: install
	$(BIN)/python manage.py makemigrations --check --dry-run
	SECRET_KEY=ci-only-secret-key-that-is-long-and-random-enough-0123456789abcdef ALLOWED_HOSTS=lienket.example \
	  DJANGO_SETTINGS_MODULE=config.settings.production $(BIN)/python manage.py check --deploy --fail-level WARNING

messages: install
	$(BIN)/python manage.py makemessages -l vi --no-location --no-obsolete -i ".venv/*" -i "bench/*" -i "tests/*" -i "scripts/*"
	$(BIN)/python manage.py compile_messages_py

bench: install
	$(BIN)/python bench/import_xlsx.py

clean:
	rm -rf $(VENV) db.sqlite3 var staticfiles .pytest_cache .mypy_cache .ruff_cache

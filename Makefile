# Rapport: `make demo` runs the product on SQLite with demo data; `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
RUN := $(UV) run --frozen --no-sync
export UV_PYTHON_DOWNLOADS := never

.PHONY: catalogues demo test test-fast test-postgres test-browser test-api-fuzz lint check-deploy serve worker clean

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv

# PDFs (complaint letters, large print) are set in DejaVu Sans so Welsh and other text print as written.
FONT := /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(FONT):
	@echo "Installing Debian's fonts-dejavu-core (the font PDFs are printed in) …"
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-dejavu-core || \
	  { $(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-dejavu-core; }

.venv/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

# Translation catalogues, compiled with Babel (no GNU gettext needed); the .mo files are not committed.
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard src/rapport/locale/*/LC_MESSAGES/django.po))
catalogues: $(CATALOGUES)
%/LC_MESSAGES/django.mo: %/LC_MESSAGES/django.po .venv/.synced
	$(RUN) pybabel --quiet compile --domain django --input-file $< --output-file $@

demo: .venv/.synced $(CATALOGUES) | $(FONT)
	$(RUN) rapport demo

lint: .venv/.synced $(CATALOGUES)
	$(RUN) ruff check src tests bench
	$(RUN) lint-imports
	$(RUN) mypy
	RAPPORT_ENV=test $(RUN) python manage.py makemigrations --check --dry-run
	RAPPORT_ENV=production SECRET_KEY=$$($(RUN) python -c 'import secrets; print(secrets.token_urlsafe(50))') ALLOWED_HOSTS=desk.example.org \
	  $(RUN) python manage.py check --deploy --fail-level WARNING

test: lint | $(FONT)
	$(RUN) pytest -q -m "not browser and not fuzz"

test-fast: .venv/.synced $(CATALOGUES) | $(FONT)
	$(RUN) pytest -q -x -m "not browser and not fuzz"

# On PostgreSQL the suite runs in two processes (pytest-xdist: a test database each), which keeps
# CI within its time; the SQLite suite stays in one.
test-postgres: .venv/.synced $(CATALOGUES) | $(FONT)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(RUN) pytest -q -n 2 -m "not browser and not fuzz"

# schemathesis over the whole OpenAPI document: a throw-away test database seeded with the demo
# organisation, in a data folder of its own that is removed afterwards (SQLite unless DATABASE_URL).
test-api-fuzz: .venv/.synced $(CATALOGUES) | $(FONT)
	data=$$(mktemp -d) && trap 'rm -rf "$$data"' EXIT && \
	  RAPPORT_DATA_DIR=$$data $(RUN) pytest -q -m fuzz -p no:logging tests/fuzz

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

test-browser: .venv/.synced $(CATALOGUES) node_modules/.installed | $(FONT)
	$(RUN) pytest -q -m browser tests/browser

clean:
	rm -rf .venv .tools var

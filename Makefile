# Two entry points for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py

.PHONY: setup demo test db
setup: $(VENV)/.installed
	@scripts/system-packages.sh

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

db: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo

demo: db
	$(BIN)/flask run --host 127.0.0.1 --port $${PORT:-5000}

test: setup
	$(BIN)/pytest -q

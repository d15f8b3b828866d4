# Two entry points for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py

.PHONY: setup demo test db reset-demo
setup: $(VENV)/.installed
	@scripts/system-packages.sh

$(VENV)/.installed: requirements.txt requirements-console-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.txt -r requirements-console-dev.txt
	touch $@

db: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo

demo: db
	scripts/demo.sh

# The demo from scratch: its SQLite database and uploaded photos go, the next `make demo` seeds it anew.
reset-demo:
	rm -f instance/jiashu.db
	rm -rf instance/uploads

test: setup
	$(BIN)/pytest -q

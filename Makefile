# Two entry points for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP_INSTALL := $(BIN)/pip install -q --disable-pip-version-check --require-hashes
# pytest-xdist workers (`make test TEST_WORKERS=0` runs in one process); each has its own database.
TEST_WORKERS ?= auto
# pip-tools, in a venv of its own so that .venv holds exactly the locked packages.
LOCK_VENV := $(VENV)/pip-tools
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes \
	--strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_FLAGS)
export FLASK_APP := wsgi.py
# The residents' mini-program (miniprogram/; `make client`).
CLIENT := miniprogram
CLIENT_DEPS := $(CLIENT)/node_modules/.installed
CLIENT_H5 := $(CLIENT)/dist/build/h5/index.html
CLIENT_SOURCES := $(shell find $(CLIENT)/src -type f 2>/dev/null) $(CLIENT)/index.html $(CLIENT)/vite.config.ts

.PHONY: setup install demo test lint db lock reset-demo client client-test client-types
# Development, demo and tests: the runtime packages and the test tools (requirements-dev.txt holds both).
setup: $(VENV)/.dev
	@scripts/system-packages.sh

# Production: the runtime packages alone.
install: $(VENV)/.runtime
	@scripts/system-packages.sh

$(VENV)/.dev: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -r requirements-dev.txt
	touch $@

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -r requirements.txt
	touch $@

db: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo

demo: db $(CLIENT_H5)
	scripts/demo.sh

# The demo from scratch: its SQLite database and uploaded photos go, the next `make demo` seeds it anew.
reset-demo:
	rm -f instance/jiashu.db
	rm -rf instance/uploads

test: setup $(CLIENT_H5)
	$(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadgroup

# The gate .ci/run passes before the tests: ruff (lint, import order), then mypy (pyproject.toml says how strict).
lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

# Recompile both locks from requirements*.in: after editing them, or with LOCK_FLAGS=--upgrade (or
# --upgrade-package NAME) to move to newer releases. The runtime lock first: it constrains the dev lock.
lock:
	test -x $(LOCK_VENV)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_VENV) && \
		$(LOCK_VENV)/bin/pip install -q --disable-pip-version-check pip-tools==7.6.2; }
	$(PIP_COMPILE) -o requirements.txt requirements.in
	$(PIP_COMPILE) -o requirements-dev.txt requirements-dev.in

# Its npm packages exactly as locked, from the registry only.
$(CLIENT_DEPS): $(CLIENT)/package-lock.json
	@scripts/system-packages.sh
	cd $(CLIENT) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Both builds (WeChat's folder to open in DevTools, and the browser's), each one's time, the main package's size.
client: $(CLIENT_DEPS)
	$(CLIENT)/scripts/build.sh mp-weixin h5

# The browser build the app serves at /m/ (the demo, the browser tests): rebuilt only when a source is newer.
$(CLIENT_H5): $(CLIENT_DEPS) $(CLIENT_SOURCES)
	$(CLIENT)/scripts/build.sh h5

# The client's unit tests (vitest), once per platform.
client-test: $(CLIENT_DEPS)
	cd $(CLIENT) && npm test --silent

# The API's types for the client, from the spec the app serves (tests/client/test_api_types.py holds them equal).
client-types: setup $(CLIENT_DEPS)
	$(BIN)/flask openapi write $(CLIENT)/src/api/openapi.json
	cd $(CLIENT) && npx openapi-typescript src/api/openapi.json -o src/api/schema.d.ts

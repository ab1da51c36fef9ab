# Two commands do everything on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo test lint bench examples clean browser-deps

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Browser tests and the facilitator pack need Debian's Chromium (Playwright cannot download a
# browser here); the browser tests also need axe-core.
CHROMIUM := $(shell command -v chromium 2>/dev/null || echo /usr/bin/chromium)
AXE := node_modules/axe-core/axe.min.js

demo: install $(CHROMIUM)
	$(BIN)/ketenscan validate examples
	$(BIN)/ketenscan build examples --out public
	$(BIN)/ketenscan workshop pack examples rivierstede --out public/facilitatorpakket-rivierstede.pdf
	@echo "Facilitator pack: public/facilitatorpakket-rivierstede.pdf"
	@echo "Open http://$(HOST):$(PORT)/ in a browser (stop with Ctrl+C)."
	$(BIN)/ketenscan serve examples --out public --port $(PORT)

$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium

$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $(AXE)

browser-deps: $(CHROMIUM) $(AXE)

# The browser the tests ran with goes into the log. Debian's /usr/bin/chromium is a shell
# wrapper that prints a harmless `[: ...: unexpected operator` on some machines; the binary
# it starts prints only its version. (`=`, not `:=`: looked up after browser-deps ran.)
CHROMIUM_BINARY = $(firstword $(wildcard /usr/lib/chromium/chromium) $(CHROMIUM))

test: install lint browser-deps
	@echo "Browser tests with $$($(CHROMIUM_BINARY) --version 2>/dev/null | xargs)$$(dpkg-query -W -f=' (Debian package $${Version})' chromium 2>/dev/null)"
	$(BIN)/pytest -n 2 -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

examples: install
	$(BIN)/python scripts/make_examples.py examples

bench: install
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(VENV) public bench-data .pytest_cache .mypy_cache .ruff_cache

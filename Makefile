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

# Browser tests, the facilitator pack and the report need Debian's Chromium (Playwright
# cannot download a browser here); the browser tests also need axe-core.
CHROMIUM := $(shell command -v chromium 2>/dev/null || echo /usr/bin/chromium)
AXE := node_modules/axe-core/axe.min.js

# The whole loop on a copy of the demo workspace: build the sites, invite the one partner
# Lindeloo is missing, and serve sites and API together. Sending the form at the printed
# link adds an answer file, and the site is rebuilt to count the new partner.
DEMO := build/demo
DEMO_URL := http://$(HOST):$(PORT)

demo: install $(CHROMIUM)
	@rm -rf $(DEMO) && mkdir -p $(DEMO) && cp -R examples $(DEMO)/werkruimte
	@$(BIN)/ketenscan validate $(DEMO)/werkruimte
	@set -o pipefail; $(BIN)/ketenscan build $(DEMO)/werkruimte --out $(DEMO)/public | tail -n 1
	@$(BIN)/ketenscan workshop pack $(DEMO)/werkruimte rivierstede --out $(DEMO)/public/facilitatorpakket-rivierstede.pdf
	@$(BIN)/ketenscan report $(DEMO)/werkruimte lindeloo --audience public --out $(DEMO)/public/rapport-lindeloo.pdf
	@$(BIN)/ketenscan invite $(DEMO)/werkruimte lindeloo 2025-najaar --role jeugdbescherming \
	  --base-url $(DEMO_URL)/ --out $(DEMO)/uitnodigingen.csv > /dev/null 2>&1
	@echo
	@echo "Lindeloo mist in ronde 2025-najaar nog de jeugdbescherming. Doe alsof u die bent:"
	@echo "  1. open de uitnodiging:  $$($(BIN)/python -c "import csv; print(next(csv.DictReader(open('$(DEMO)/uitnodigingen.csv', encoding='utf-8-sig')))['link'])")"
	@echo "  2. vul de vragenlijst in en klik op Versturen;"
	@echo "  3. kijk een halve minuut later op $(DEMO_URL)/lindeloo/de-keten.html: 8 partners in plaats van 7."
	@echo "Facilitatorpakket van Rivierstede: $(DEMO_URL)/facilitatorpakket-rivierstede.pdf"
	@echo "Rapport voor de gemeenteraad van Lindeloo: $(DEMO_URL)/rapport-lindeloo.pdf"
	@echo "Beheerpagina: $(DEMO_URL)/beheer (gebruikersnaam beheer, wachtwoord demo)."
	@echo
	@KETENSCAN_ADMIN_TOKEN=demo $(BIN)/ketenscan collect $(DEMO)/werkruimte --out $(DEMO)/public \
	  --host $(HOST) --port $(PORT)

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

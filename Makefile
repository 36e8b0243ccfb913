# The two commands of the README: `make book` and `make test`. Each creates the virtual
# environment on first use and installs the pinned packages (constraints.txt) into it.
# `make test` builds the book first (the site tests read _build/html). `make pdf` builds the
# whole book as one PDF, _build/latex/book.pdf.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
BUILD := _build
# Files whose change must re-execute every page (the execution cache keys on page text only).
HASHED := code pyproject.toml constraints.txt
CODE_HASH_FILE := $(BUILD)/.code-hash
# Everything the book is made from: when none of it changed, `make book` has nothing to do.
SOURCES := book code scripts _config.yml _toc.yml CITATION.cff pyproject.toml constraints.txt
SOURCE_HASH_FILE := $(BUILD)/.source-hash
hash_of = find $(1) -type f -not -path '*/__pycache__/*' -not -path '*.egg-info/*' \
	-not -path '*/.ipynb_checkpoints/*' | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1
# Tiny tensors: one thread per process is faster than threads that compete for two cores, and
# it keeps floating-point sums in the same order from one build to the next.
export OMP_NUM_THREADS := 1
export MKL_NUM_THREADS := 1

# System packages: Debian's Chromium for the browser tests, TeX for the PDF. They are installed
# when missing if we are root (or under CI with sudo); otherwise a message says what to install.
CHROMIUM := /usr/bin/chromium
TEX_PACKAGES := texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended \
	tex-gyre latexmk
SUDO := $(shell [ "$$(id -u)" = 0 ] && echo "" || { [ "$$CI" = true ] && command -v sudo >/dev/null && echo sudo; } || echo none)

.PHONY: book test venv clean lint pdf chromium tex bench npm

venv: $(INSTALLED)

$(INSTALLED): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check pip==26.3
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		-c constraints.txt -e '.[book,test]'
	touch $@

# Build the HTML book. Warnings and cell errors fail the build. When code/ (or a pin) changed
# since the last successful build, or the last build failed, everything is rebuilt from clean.
# When no source changed at all since the last successful build, nothing is done. Pages are
# first executed two at a time into the execution cache (scripts/execute_pages.py); the build
# then finds them there, and re-executes (and reports) any page that failed. Every page is
# re-read (--all; a few seconds from the cache), so that an equation renumbered on one page is
# never left with a stale number in another page that cites it.
book: $(INSTALLED) npm
	@code_hash=$$($(call hash_of,$(HASHED))); source_hash=$$($(call hash_of,$(SOURCES))); \
	if [ "$$source_hash" = "$$(cat $(SOURCE_HASH_FILE) 2>/dev/null)" ] \
		&& [ -f $(BUILD)/html/index.html ]; then \
		echo "book: up to date ($(BUILD)/html/index.html)"; exit 0; \
	fi; \
	if [ "$$code_hash" != "$$(cat $(CODE_HASH_FILE) 2>/dev/null)" ]; then \
		echo "code/ changed or no successful build recorded: building from clean"; \
		rm -rf $(BUILD); \
	fi; \
	rm -f $(CODE_HASH_FILE) $(SOURCE_HASH_FILE); \
	$(BIN)/python scripts/execute_pages.py \
		&& $(BIN)/jupyter-book build . --all --warningiserror --nitpick --keep-going \
		&& echo "$$code_hash" > $(CODE_HASH_FILE) && echo "$$source_hash" > $(SOURCE_HASH_FILE) \
		&& echo "book: $(BUILD)/html/index.html"

test: book chromium
	$(BIN)/python -m pytest

# Pinned npm packages (scripts/fetch_npm.py: checksum verified, unpacked into .npm/ once).
# Without npm the book falls back where it can, and says so.
npm:
	@$(PYTHON) scripts/fetch_npm.py

# The browser tests drive Debian's Chromium; without it they are skipped (and fail under CI).
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$(SUDO)" = none ]; then \
			echo "Chromium is missing: the browser tests will be skipped." \
				"Install it with: sudo apt-get update && sudo apt-get install -y chromium"; \
		else \
			$(SUDO) apt-get update && $(SUDO) apt-get install -y chromium; \
		fi; \
	fi

# The whole book as one PDF (pdflatex), from the same executed pages as the website.
pdf: book tex
	rm -rf $(BUILD)/latex
	$(BIN)/jupyter-book build . --builder pdflatex --warningiserror --nitpick --keep-going
	cp $(BUILD)/latex/book.pdf $(BUILD)/html/book.pdf
	@echo "pdf: $(BUILD)/latex/book.pdf"

tex:
	@if ! command -v latexmk >/dev/null || ! kpsewhich tgtermes.sty >/dev/null 2>&1; then \
		if [ "$(SUDO)" = none ]; then \
			echo "TeX is missing. Install it with: sudo apt-get install -y" \
				"--no-install-recommends $(TEX_PACKAGES)"; exit 1; \
		fi; \
		$(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install \
			-y --no-install-recommends $(TEX_PACKAGES); \
	fi

# Build and training speed, measured in one run (medians and ratios; about ten minutes on 2
# cores); writes benchmarks/results/results.md and results.csv.
bench: $(INSTALLED)
	$(BIN)/python benchmarks/bench.py

lint: $(INSTALLED)
	$(BIN)/ruff check code tests
	$(BIN)/ruff format --check code tests

clean:
	rm -rf $(BUILD)

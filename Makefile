# The two commands of the README: `make book` and `make test`. Each creates the
# virtual environment on first use and installs the pinned packages
# (constraints.txt) into it. `make test` builds the book first (the site tests
# read _build/html); `make unit` runs the tests that need no built book.
# `make pdf` builds the whole book as one PDF, _build/latex/book.pdf.
# Every decision (what to execute, whether anything changed) is taken in
# Python (scripts/build_book.py), so GNU and BSD userlands behave alike.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
BUILD := _build
# Tiny tensors: one thread per process is faster than threads that compete
# for two cores, and it keeps floating-point sums in the same order from one
# build to the next.
export OMP_NUM_THREADS := 1
export MKL_NUM_THREADS := 1
# The folders `make lint` checks with ruff.
LINTED := code tests scripts benchmarks book/_ext

# System packages: Debian's Chromium for the browser tests, TeX for the PDF. They are installed
# when missing if we are root (or under CI with sudo); otherwise a message says what to install.
CHROMIUM := /usr/bin/chromium
TEX_PACKAGES := texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended \
	tex-gyre latexmk librsvg2-bin
SUDO := $(shell [ "$$(id -u)" = 0 ] && echo "" || { [ "$$CI" = true ] && command -v sudo >/dev/null && echo sudo; } || echo none)

.PHONY: book test unit venv clean lint pdf chromium tex bench npm

venv: $(INSTALLED)

$(INSTALLED): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check pip==26.3
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		-c constraints.txt -e '.[book,test]'
	touch $@

# Build the HTML book (scripts/build_book.py). Warnings and failing cells fail
# the build. A page is executed again only when its code, a file it read (a
# module of the package it imported, for example) or the pins changed, or
# when it failed last time; pages run one per core (jupyter-cache). Every page
# is re-read, so that equation numbers are never stale. When nothing changed
# since the last successful build, nothing is done.
book: $(INSTALLED) npm
	$(BIN)/python scripts/build_book.py

# Every test: the book is built first, then the unit tests and the tests of
# the built site (tests/site/, Chromium).
test: book chromium
	$(BIN)/python -m pytest

# The tests that need no built book: no browser (marker `site`), no build of
# a book (marker `build`), two processes (pytest-xdist); a process that runs
# out of tests takes some of the other's (worksteal), which beats sending
# them in chunks by 3 s. 20 to 33 s on 2 shared cores, 9 s of it starting and
# collecting in each process.
unit: $(INSTALLED)
	$(BIN)/python -m pytest -m "not site and not build" -q -n 2 \
		--dist worksteal

# Pinned npm packages (scripts/fetch_npm.py: checksum verified, unpacked into .npm/ once).
# Without npm the book falls back where it can, and says so.
# Run with the environment's Python: it starts faster than a `python3` shim,
# which matters to a `make book` that has nothing to do.
npm: $(INSTALLED)
	@$(BIN)/python scripts/fetch_npm.py
	@$(BIN)/python scripts/fetch_wheels.py

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

# The whole book as one PDF (pdflatex), from the same executed pages as the website, laid
# out by book/_ext/print_book.py: A4, the site's numbers, what the site hides left out.
pdf: book tex
	rm -rf $(BUILD)/latex
	$(BIN)/jupyter-book build . --builder pdflatex --warningiserror --nitpick --keep-going
	cp $(BUILD)/latex/book.pdf $(BUILD)/html/book.pdf
	@echo "pdf: $(BUILD)/latex/book.pdf"

# TeX for the PDF, and rsvg-convert (librsvg2-bin): the latex build turns the SVG figures
# into PDF with it (sphinxcontrib-svg2pdfconverter), so that figures print as vectors.
tex:
	@if ! command -v latexmk >/dev/null || ! kpsewhich tgtermes.sty >/dev/null 2>&1 \
		|| ! command -v rsvg-convert >/dev/null; then \
		if [ "$(SUDO)" = none ]; then \
			echo "TeX or rsvg-convert is missing. Install them with: sudo apt-get install -y" \
				"--no-install-recommends $(TEX_PACKAGES)"; exit 1; \
		fi; \
		$(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install \
			-y --no-install-recommends $(TEX_PACKAGES); \
	fi

# Build and training speed, measured in one run (medians and ratios; about ten minutes on 2
# cores); writes benchmarks/results/results.md and results.csv.
bench: $(INSTALLED)
	$(BIN)/python benchmarks/bench.py

# ruff over the Python files and the pages' code cells (scripts/lint_pages.py), mypy over
# the package.
lint: $(INSTALLED)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/python scripts/lint_pages.py
	$(BIN)/mypy code/nnintro

clean:
	rm -rf $(BUILD)

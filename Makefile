# The two commands of the README: `make book` and `make test`. Each creates the virtual
# environment on first use and installs the pinned packages (constraints.txt) into it.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
BUILD := _build
# Files whose change must re-execute every page (the execution cache keys on page text only).
HASHED := code pyproject.toml constraints.txt
CODE_HASH_FILE := $(BUILD)/.code-hash

.PHONY: book test venv clean lint

venv: $(INSTALLED)

$(INSTALLED): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check pip==26.3
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		-c constraints.txt -e '.[book,test]'
	touch $@

# Build the HTML book. Warnings and cell errors fail the build. When code/ (or a pin) changed
# since the last successful build, or the last build failed, everything is rebuilt from clean.
book: $(INSTALLED)
	@hash=$$(find $(HASHED) -type f -not -path '*/__pycache__/*' -not -path '*.egg-info/*' \
		| LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1); \
	if [ "$$hash" != "$$(cat $(CODE_HASH_FILE) 2>/dev/null)" ]; then \
		echo "code/ changed or no successful build recorded: building from clean"; \
		rm -rf $(BUILD); \
	fi; \
	rm -f $(CODE_HASH_FILE); \
	$(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going \
		&& echo "$$hash" > $(CODE_HASH_FILE)
	@echo "book: $(BUILD)/html/index.html"

test: $(INSTALLED)
	$(BIN)/python -m pytest

lint: $(INSTALLED)
	$(BIN)/ruff check code tests
	$(BIN)/ruff format --check code tests

clean:
	rm -rf $(BUILD)

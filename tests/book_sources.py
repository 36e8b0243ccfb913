"""The book's sources as the tests read them: its pages and their labels.

The table of contents is parsed by sphinx-external-toc, the library Jupyter
Book itself uses. ``NNINTRO_TOC`` names another table of contents.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from sphinx_external_toc.parsing import parse_toc_yaml

ROOT = Path(__file__).resolve().parents[1]
TOC_FILE = Path(os.environ.get("NNINTRO_TOC", ROOT / "_toc.yml"))
SITE_DIR = Path(os.environ.get("NNINTRO_SITE_DIR", ROOT / "_build" / "html"))
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
# Every Jupyter Book 1 page raises this one harmless error: sphinx-thebe writes
# its inline script twice.
ALLOWED_JS_ERRORS = ("Identifier 'THEBE_JS_URL' has already been declared",)


def unavailable(reason: str) -> None:
    """Fail under CI, skip elsewhere."""
    if IN_CI:
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def toc_docnames(toc_file: Path = TOC_FILE) -> list[str]:
    """Every page of the table of contents, root first, in reading order."""
    return list(parse_toc_yaml(str(toc_file)))


DIRECTIVE_OPEN = re.compile(r"^\s*(`{3,}|:{3,})\{([\w:-]+)\}")
LABEL_LINE = re.compile(r"^\s*:label:\s*(\S+)\s*$")
DOLLAR_LABEL = re.compile(r"^\s*\$\$\s*\(([^)\s]+)\)\s*$")


def equation_labels(source: Path) -> list[str]:
    """Labels of the display equations of a MyST page: ``:label:`` of a
    math directive and ``$$ ... $$ (label)``."""
    labels, directive = [], None
    for line in source.read_text(encoding="utf-8").splitlines():
        opened = DIRECTIVE_OPEN.match(line)
        if opened:
            directive = opened.group(2)
            continue
        label = LABEL_LINE.match(line)
        if label and directive == "math":
            labels.append(label.group(1))
            continue
        dollar = DOLLAR_LABEL.match(line)
        if dollar:
            labels.append(dollar.group(1))
    return labels


def source_of(docname: str) -> Path:
    """The MyST source of a page."""
    return ROOT / f"{docname}.md"

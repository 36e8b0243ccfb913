"""The whole book as one PDF (``make pdf`` writes _build/latex/book.pdf).

Skipped with a message when the PDF has not been built (``NNINTRO_REQUIRE_PDF=1`` makes that
a failure, as CI does after ``make pdf``); ``NNINTRO_PDF`` names another file.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from book_sources import ROOT, equation_labels, source_of, toc_docnames

PDF = Path(os.environ.get("NNINTRO_PDF", ROOT / "_build" / "latex" / "book.pdf"))
REQUIRED = os.environ.get("NNINTRO_REQUIRE_PDF", "") not in ("", "0")


@pytest.fixture(scope="module")
def pdf():
    if not PDF.is_file():
        message = f"no PDF at {PDF}: run `make pdf` to build it (needs TeX, see the README)"
        if REQUIRED:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from pypdf import PdfReader

    return PdfReader(PDF)


@pytest.fixture(scope="module")
def text(pdf) -> str:
    return "\n".join(page.extract_text() or "" for page in pdf.pages)


def expected_questions() -> list[int]:
    """The questions whose heading anchor (qK)= is in a page of the table of contents."""
    found = set()
    for docname in toc_docnames():
        source = source_of(docname)
        if source.is_file():
            found |= {int(k) for k in re.findall(r"^\(q(\d+)\)=\s*$", source.read_text(), re.M)}
    return sorted(found)


def test_pdf_has_every_question(text):
    missing = [k for k in range(1, 18) if not re.search(rf"\bQ{k}\.", text)]
    assert not missing, f"questions missing from the PDF: {[f'Q{k}' for k in missing]}"


def test_pdf_has_the_questions_of_the_sources(text):
    """Every question heading of the pages in the table of contents made it into the PDF."""
    missing = [k for k in expected_questions() if not re.search(rf"\bQ{k}\.", text)]
    assert not missing, missing


def test_pdf_has_numbered_equations(text):
    """As many distinct chapter-prefixed numbers such as (3.2) as labelled equations."""
    labels = [
        label
        for d in toc_docnames()
        if source_of(d).is_file()
        for label in equation_labels(source_of(d))
    ]
    numbers = set(re.findall(r"\((\d+\.\d+)\)", text))
    assert len(numbers) >= len(labels), f"{len(numbers)} numbers for {len(labels)} equations"


def test_pdf_has_the_figures(pdf):
    figures = sum(
        source_of(d).read_text().count("{glue:figure}")
        for d in toc_docnames()
        if source_of(d).is_file()
    )
    images = sum(len(page.images) for page in pdf.pages)
    assert images >= figures, f"{images} images in the PDF for {figures} figures in the book"

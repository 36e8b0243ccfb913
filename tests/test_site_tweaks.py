"""book/_ext/citation.py and book_addresses.py: the BibTeX entry made from
CITATION.cff, the repository's address, the site's addresses."""

import sys

from book_sources import ROOT

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import book_addresses  # noqa: E402
import citation  # noqa: E402

REPO = "https://github.com/o/nnintro"


def entry() -> str:
    return citation.bibtex_entry(
        book_addresses.read_citation(ROOT),
        book_addresses.site_url(),
        book_addresses.repo_url(ROOT),
    )


def test_readme_bibtex_is_the_generated_one(monkeypatch):
    """README.md shows the entry the book generates from CITATION.cff."""
    monkeypatch.delenv("NNINTRO_SITE_URL", raising=False)
    monkeypatch.delenv("NNINTRO_REPO_URL", raising=False)
    assert entry() in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_repository_has_a_default_and_can_be_overridden(monkeypatch):
    monkeypatch.delenv("NNINTRO_REPO_URL", raising=False)
    default = book_addresses.read_citation(ROOT)["repository-code"]
    assert default.startswith("https://")
    assert book_addresses.repo_url(ROOT) == default.rstrip("/")
    monkeypatch.setenv("NNINTRO_REPO_URL", REPO + "/")
    assert book_addresses.repo_url(ROOT) == REPO


def test_bibtex_names_the_site_when_published_else_the_repository(
    monkeypatch,
):
    monkeypatch.setenv("NNINTRO_REPO_URL", REPO)
    monkeypatch.delenv("NNINTRO_SITE_URL", raising=False)
    assert f"url          = {{{REPO}}}" in entry()
    monkeypatch.setenv("NNINTRO_SITE_URL", "https://example.github.io/nn")
    published = entry()
    assert "url          = {https://example.github.io/nn/}" in published
    assert f"source: {REPO}" in published


def test_site_address_relative_and_absolute(monkeypatch):
    monkeypatch.delenv("NNINTRO_SITE_URL", raising=False)
    text, href = citation.site_address("book/cite", "book/backprop.html#q14")
    assert text == href == "backprop.html#q14"
    monkeypatch.setenv("NNINTRO_SITE_URL", "https://example.org/nn")
    text, href = citation.site_address("book/cite", "book/backprop.html#q14")
    assert text == "https://example.org/nn/book/backprop.html#q14"
    assert href == "backprop.html#q14"

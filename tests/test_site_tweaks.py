"""book/_ext/site_tweaks.py: the BibTeX entry made from CITATION.cff."""

import importlib.util

from book_sources import ROOT


def load_site_tweaks():
    path = ROOT / "book" / "_ext" / "site_tweaks.py"
    spec = importlib.util.spec_from_file_location("site_tweaks", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_bibtex_is_the_generated_one():
    """README.md shows the entry the book generates from CITATION.cff."""
    tweaks = load_site_tweaks()
    entry = tweaks.bibtex_entry(
        tweaks.read_citation(ROOT), tweaks.UNKNOWN_SITE
    )
    assert entry in (ROOT / "README.md").read_text(encoding="utf-8")


def test_bibtex_names_the_site_when_published(monkeypatch):
    tweaks = load_site_tweaks()
    monkeypatch.setenv("NNINTRO_SITE_URL", "https://example.github.io/nnintro")
    entry = tweaks.bibtex_entry(tweaks.read_citation(ROOT), tweaks.site_url())
    assert "url          = {https://example.github.io/nnintro/}" in entry
    monkeypatch.delenv("NNINTRO_SITE_URL")
    assert "url" not in tweaks.bibtex_entry(
        tweaks.read_citation(ROOT), tweaks.site_url()
    )

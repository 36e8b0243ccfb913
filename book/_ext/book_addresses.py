"""Sphinx extension: where the book lives, for every page and module.

- The published site's address comes from ``NNINTRO_SITE_URL`` (set by the
  publishing workflow); without it links stay relative to the page. When it
  is known, every page names it as its canonical address.
- The repository's address is ``NNINTRO_REPO_URL`` when set, else the
  ``repository-code`` of ``CITATION.cff``. Every page's header links it
  (the theme's repository button), with a Binder launch button.

The other extensions of the book import these functions from here.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from sphinx.application import Sphinx

ROOT = Path(__file__).resolve().parents[2]
UNKNOWN_SITE = "https://<site>/"


def read_citation(confdir: str | Path = ROOT) -> dict:
    """The fields of ``CITATION.cff``."""
    path = Path(confdir) / "CITATION.cff"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def site_url() -> str:
    """The published site's address with a trailing slash, or a placeholder."""
    url = os.environ.get("NNINTRO_SITE_URL", "").strip()
    if not url:
        return UNKNOWN_SITE
    return url if url.endswith("/") else url + "/"


def repo_url(confdir: str | Path = ROOT) -> str:
    """The repository's address (no trailing slash): ``NNINTRO_REPO_URL``,
    else ``repository-code`` of ``CITATION.cff``, else ``""``."""
    url = os.environ.get("NNINTRO_REPO_URL", "").strip()
    if not url:
        url = str(read_citation(confdir).get("repository-code", "")).strip()
    return url.rstrip("/")


def configure(app: Sphinx, config) -> None:
    """The canonical address, the repository and Binder buttons."""
    url = site_url()
    if url != UNKNOWN_SITE and not config.html_baseurl:
        config.html_baseurl = url  # <link rel="canonical"> on every page
    repo = repo_url(app.confdir)
    if not repo:
        return
    options = config.html_theme_options
    options["repository_url"] = repo
    options["repository_branch"] = "main"
    options["use_repository_button"] = True
    # Binder opens the page's MyST source as a notebook (with jupytext in
    # its environment). Colab opens only .ipynb files of the repository, and
    # the pages are .md: no Colab button.
    options["launch_buttons"] = {
        "notebook_interface": "classic",
        "binderhub_url": "https://mybinder.org",
    }


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", configure)
    return {
        "version": "1.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }

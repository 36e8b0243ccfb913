"""Sphinx extension: the website as its readers use it (offline, citable, downloadable).

- Continuous chapter numbers across the parts of the table of contents (so that equation
  numbers such as (3.2) are unique in the whole book) with only chapters numbered
  (``numbered: 1`` in ``_toc.yml``; Jupyter Book loads ``sphinx_multitoc_numbering`` only for
  ``numbered: true``).
- No reference to another host: the sphinx-thebe scripts (Thebe is off in this book) are
  dropped from every page, so no page names unpkg.com.
- A small style sheet (static/nnintro.css) keeps long titles within a phone's width.
- Each notebook page offers its executed ``.ipynb`` for download next to its ``.md`` source
  (the theme does so only when a launch service is configured).
- ``{citation-bibtex}`` renders the BibTeX entry of the book from ``CITATION.cff``;
  ``{site-urls}`` writes addresses on the published site (a code block). Both take the
  site's address from the environment variable ``NNINTRO_SITE_URL`` (set by the publishing
  workflow); without it the BibTeX entry has no url and addresses start ``https://<site>/``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import yaml
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

UNKNOWN_SITE = "https://<site>/"


def site_url() -> str:
    """The published site's address with a trailing slash, or a placeholder."""
    url = os.environ.get("NNINTRO_SITE_URL", "").strip()
    if not url:
        return UNKNOWN_SITE
    return url if url.endswith("/") else url + "/"


def add_static_path(app: Sphinx) -> None:
    """Our style sheet (static/nnintro.css) lives next to this file."""
    app.config.html_static_path.append(str(Path(__file__).parent / "static"))


def drop_thebe_scripts(app: Sphinx, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return

    def is_thebe(script) -> bool:
        body = getattr(script, "attributes", {}).get("body", "") or ""
        name = getattr(script, "filename", None) or str(script)
        return "THEBE_JS_URL" in body or str(name).endswith("sphinx-thebe.js")

    context["script_files"] = [s for s in scripts if not is_thebe(s)]


def offer_notebook(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Copy the executed notebook next to the page's source and tell the theme about it."""
    if doctree is None or context.get("ipynb_source"):
        return
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if not executed.is_file():
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(executed, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def read_citation(confdir: str) -> dict:
    path = Path(confdir) / "CITATION.cff"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def bibtex_entry(cff: dict, url: str) -> str:
    """A BibTeX ``@misc`` entry from the fields of CITATION.cff."""
    authors = " and ".join(
        "{" + a["name"] + "}" if "name" in a else f"{a['family-names']}, {a['given-names']}"
        for a in cff["authors"]
    )
    fields = [
        ("title", "{" + cff["title"] + "}"),
        ("author", authors),
        ("year", str(cff["date-released"])[:4]),
        ("version", str(cff["version"])),
        ("howpublished", "Jupyter Book website"),
        ("note", "Every derivation verified by code at build time"),
    ]
    if url != UNKNOWN_SITE:
        fields.append(("url", url))
    body = ",\n".join(f"  {key:<12} = {{{value}}}" for key, value in fields)
    return "@misc{nnintro_backprop_by_hand,\n" + body + "\n}"


class CitationBibtex(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        path = Path(self.env.app.confdir) / "CITATION.cff"
        self.env.note_dependency(str(path))
        text = bibtex_entry(read_citation(self.env.app.confdir), site_url())
        block = nodes.literal_block(text, text, language="bibtex")
        return [block]


class SiteUrls(SphinxDirective):
    """A code block of addresses on the published site, one per line of content."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        text = "\n".join(
            site_url() + line.strip().lstrip("/") for line in self.content if line.strip()
        )
        return [nodes.literal_block(text, text, language="text")]


def setup(app: Sphinx) -> dict:
    app.setup_extension("sphinx_multitoc_numbering")
    app.connect("builder-inited", add_static_path)
    app.add_css_file("nnintro.css")
    app.connect("html-page-context", drop_thebe_scripts)
    app.connect("html-page-context", offer_notebook, priority=400)
    app.add_directive("citation-bibtex", CitationBibtex)
    app.add_directive("site-urls", SiteUrls)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}

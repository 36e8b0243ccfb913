"""Sphinx extension: the style sheet and script readers meet on every page.

``static/nnintro.css`` and ``static/nnintro.js`` (described in their heads):
menus and the "On this page" drawer that work on phones, figures that open
full screen, a citation button next to each equation number, solutions
that open from their title, and more. This module adds them, the favicon,
and the facts the citation button cites (title, version, the page's
published address when known).
"""

from __future__ import annotations

import json
from pathlib import Path

from book_addresses import UNKNOWN_SITE, read_citation, site_url
from sphinx.application import Sphinx

STATIC = Path(__file__).resolve().parent / "static"


def add_static_files(app: Sphinx, config) -> None:
    config.html_static_path.append(str(STATIC))
    config.html_favicon = str(STATIC / "favicon.svg")


def book_facts(app: Sphinx, config) -> None:
    """Title and version for the equations' citations."""
    cff = read_citation(app.confdir)
    facts = {"title": cff["title"], "version": str(cff["version"])}
    body = "window.NNINTRO_BOOK = " + json.dumps(facts) + ";"
    app.add_js_file(None, body=body)


def page_url(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """The page's published address, for the citations, when it is known."""
    url = site_url()
    if url == UNKNOWN_SITE:
        return
    address = json.dumps(url + pagename + ".html")
    context.setdefault("metatags", "")
    context["metatags"] += (
        f"\n<script>(window.NNINTRO_BOOK = window.NNINTRO_BOOK || {{}})"
        f".pageUrl = {address};</script>"
    )


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", add_static_files)
    app.connect("config-inited", book_facts)
    app.add_css_file("nnintro.css")
    app.add_js_file("nnintro.js", defer="defer")
    app.connect("html-page-context", page_url)
    return {
        "version": "1.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }

"""Sphinx extension: no page loads sphinx-thebe's scripts.

Jupyter Book always adds sphinx-thebe, whose inline script names another
host (and is written twice). Thebe is off in this book, so its scripts are
dropped from every page.
"""

from __future__ import annotations

from sphinx.application import Sphinx


def is_thebe(script) -> bool:
    body = getattr(script, "attributes", {}).get("body", "") or ""
    name = getattr(script, "filename", None) or str(script)
    return "THEBE_JS_URL" in body or str(name).endswith("sphinx-thebe.js")


def drop_thebe_scripts(
    app: Sphinx, pagename, templatename, context, doctree
) -> None:
    scripts = context.get("script_files")
    if scripts:
        context["script_files"] = [s for s in scripts if not is_thebe(s)]


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", drop_thebe_scripts)
    return {
        "version": "1.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }

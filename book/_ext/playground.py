"""Sphinx extension: the playground of book/playground.md.

```{playground}
```

renders the element that the playground's script fills in
(static/playground/, served under ``_static/playground/``), with a sentence
for readers without JavaScript. Only a page with the directive loads the
script (a JavaScript module) and its style sheet. The data the script reads
is an output of the page's code (``nnintro.experiments.playground``).

The role ``{playground}`with eta = 10 <eta=10&run=20>``` links to the
playground with settings, as a query (``playground.html?eta=10&run=20``):
the site's link checker requires a ``#fragment`` to be an id of its page.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

STATIC = Path(__file__).resolve().parent / "static"
# Shown until the script replaces it: without JavaScript, or when the site
# is opened as files (browsers load no JavaScript module from file://).
NO_SCRIPT = (
    '<div class="nnintro-playground" id="playground"><p>The playground '
    "trains the network in your browser. It needs JavaScript, and the site "
    "served by a web server rather than opened as files. A local one will "
    "do: in the folder that holds this site's <code>index.html</code>, run "
    "<code>python -m http.server</code> and open "
    "<code>http://localhost:8000/</code>.</p></div>"
)


PAGE = "book/playground"  # the playground's docname
ROLE = re.compile(r"^(?P<text>.+?)\s*<(?P<query>[^<>]*)>$", re.DOTALL)


def playground_role(
    name, rawtext, text, lineno, inliner, options=None, content=None
):
    """A link to the playground with the settings in its query."""
    match = ROLE.match(text)
    if not match:
        message = inliner.reporter.error(
            f"playground link {text!r}: "
            "write {playground}`text <key=value&...>`",
            line=lineno,
        )
        return [inliner.problematic(rawtext, rawtext, message)], [message]
    env = inliner.document.settings.env
    here = posixpath.dirname(env.docname)
    target = posixpath.relpath(PAGE, here or ".") + ".html"
    uri = f"{target}?{match['query']}" if match["query"] else target
    node = nodes.reference(
        rawtext, match["text"], refuri=uri, classes=["playground-link"]
    )
    return [node], []


class PlainLinksInPrint(SphinxPostTransform):
    """In the PDF a playground link is its text: the page needs a browser."""

    default_priority = 400
    builders = ("latex",)

    def run(self, **kwargs) -> None:
        for node in list(self.document.findall(nodes.reference)):
            if "playground-link" in node.get("classes", []):
                node.replace_self(nodes.inline("", "", *node.children))


class Playground(SphinxDirective):
    """The playground's element; HTML only (the PDF leaves it out)."""

    def run(self) -> list[nodes.Node]:
        docs = getattr(self.env, "playground_docs", set())
        docs.add(self.env.docname)
        self.env.playground_docs = docs
        return [nodes.raw("", NO_SCRIPT, format="html")]


def purge(app, env, docname) -> None:
    getattr(env, "playground_docs", set()).discard(docname)


def merge(app, env, docnames, other) -> None:
    docs = getattr(env, "playground_docs", set())
    env.playground_docs = docs | getattr(other, "playground_docs", set())


def add_static_path(app: Sphinx) -> None:
    paths = {Path(p).resolve() for p in app.config.html_static_path}
    if STATIC.resolve() not in paths:
        app.config.html_static_path.append(str(STATIC))


def page_assets(app, pagename, templatename, context, doctree) -> None:
    """The module and the style sheet, on the playground's page only."""
    if pagename in getattr(app.env, "playground_docs", set()):
        app.add_js_file("playground/playground.mjs", type="module")
        app.add_css_file("playground/playground.css")


def setup(app: Sphinx) -> dict:
    app.add_directive("playground", Playground)
    app.add_role("playground", playground_role)
    app.add_post_transform(PlainLinksInPrint)
    app.connect("builder-inited", add_static_path)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    # before drop_thebe rewrites the page's list of scripts (priority 500)
    app.connect("html-page-context", page_assets, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

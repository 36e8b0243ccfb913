"""Sphinx extension: a question's section answers to its short anchor.

Each question's heading carries a label ``(q16)=``; the book promises the
address ``#q16``. docutils gives the section its title's slug as first id
(``#q16-the-gradients-with-respect-to-...``), which the page's contents,
the "On this page" list and the heading's link sign would use. Here the
short label comes first, so that all of them link ``#q16``; the slug stays
an anchor too (old links keep working).
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx

SHORT_ANCHOR = re.compile(r"q\d+")


def short_anchors_first(app: Sphinx, doctree: nodes.document) -> None:
    for section in doctree.findall(nodes.section):
        ids = section["ids"]
        short = [i for i in ids if SHORT_ANCHOR.fullmatch(i)]
        if short and ids[0] != short[0]:
            section["ids"] = short + [i for i in ids if i not in short]


def setup(app: Sphinx) -> dict:
    # before the table-of-contents collector reads the sections (priority 500)
    app.connect("doctree-read", short_anchors_first, priority=400)
    return {
        "version": "1.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }

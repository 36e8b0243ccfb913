"""Sphinx extension: a figure's image takes its caption as alternative text.

myst-nb names an output image by its file path, which a screen reader would
spell out; a figure's caption says what it shows.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

NO_CAPTION = "A figure computed by the code above"


def describe_images(app: Sphinx, doctree, docname: str) -> None:
    for image in doctree.findall(nodes.image):
        uri = image.get("uri", "")
        alt = image.get("alt", "")
        if alt and Path(alt).name != Path(uri).name:
            continue
        figure = image.parent
        while figure is not None and not isinstance(figure, nodes.figure):
            figure = figure.parent
        captions = list(figure.findall(nodes.caption)) if figure else []
        text = captions[0].astext().strip() if captions else ""
        image["alt"] = text or NO_CAPTION


def setup(app: Sphinx) -> dict:
    app.connect("doctree-resolved", describe_images)
    return {
        "version": "1.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }

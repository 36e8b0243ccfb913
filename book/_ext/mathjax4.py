"""Sphinx extension: MathJax 4 served with the site, long equations broken.

MathJax 4 and its font are the npm packages that ``scripts/fetch_npm.py``
fetches; after an HTML build the files the site needs are copied into
``_static/mathjax4`` and MathJax is configured to break long displays into
lines. Without them the site keeps sphinx-mathjax-offline's MathJax 3.2.2
(which cannot break lines) and the build says so.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
MATHJAX_DIR = "mathjax4"  # under _static/ in the built site

# What the site needs of the two packages: the combined TeX-to-HTML component,
# the components it loads on demand (TeX extensions, accessibility, menu) and
# the font's files. Paths are relative to each package.
MATHJAX_FILES = ["tex-chtml.js", "input", "a11y", "sre", "ui", "LICENSE"]
FONT_FILES = ["chtml.js", "chtml", "package.json"]


def npm_package(name: str) -> Path | None:
    """The unpacked npm package NAME (scripts/fetch_npm.py), if fetched."""
    spec = importlib.util.spec_from_file_location(
        "fetch_npm", ROOT / "scripts" / "fetch_npm.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    folder = module.package_dir(name)
    return folder if folder.is_dir() else None


def mathjax_config() -> dict:
    """MathJax 4 options: local files only, long equations broken in lines.

    (myst-parser adds the classes of the elements to typeset.)
    """
    return {
        "loader": {"paths": {"fonts": "[mathjax]/fonts"}},
        "output": {
            "displayOverflow": "linebreak",
            "linebreaks": {"inline": True, "width": "95%"},
        },
    }


def use_mathjax4(app: Sphinx, config) -> None:
    """Serve MathJax 4 when fetched, else keep sphinx-mathjax-offline's."""
    if npm_package("mathjax") and npm_package("@mathjax/mathjax-newcm-font"):
        config.mathjax_path = f"{MATHJAX_DIR}/tex-chtml.js"
        config.mathjax3_config = mathjax_config()
        app.nnintro_mathjax4 = True
        # sphinx-mathjax-offline would still copy its MathJax 3 into _static
        for listener in list(app.events.listeners.get("build-finished", [])):
            module = getattr(listener.handler, "__module__", "")
            if "mathjax-offline" in module:
                app.disconnect(listener.id)
    else:
        logger.info(
            "MathJax 4 not fetched (python3 scripts/fetch_npm.py): "
            "the site uses MathJax 3.2.2, which cannot break long equations"
        )
        app.nnintro_mathjax4 = False


def copy_tree(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target, dirs_exist_ok=True)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)


def copy_mathjax(app: Sphinx, exception) -> None:
    if exception or app.builder.format != "html":
        return
    if not getattr(app, "nnintro_mathjax4", False):
        return
    target = Path(app.outdir) / "_static" / MATHJAX_DIR
    mathjax = npm_package("mathjax")
    for name in MATHJAX_FILES:
        copy_tree(mathjax / name, target / name)
    font = npm_package("@mathjax/mathjax-newcm-font")
    for name in FONT_FILES:
        copy_tree(font / name, target / "fonts" / "mathjax-newcm-font" / name)


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", use_mathjax4, priority=900)
    app.connect("build-finished", copy_mathjax)
    return {
        "version": "1.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }

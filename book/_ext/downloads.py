"""Sphinx extension: what a reader can download from every page.

- The page as its executed notebook (``.ipynb``, with its outputs), whose
  first cell installs the book's package when it is missing: from a wheel
  next to the notebook, else the wheel published with the site, else the
  repository; if none can be reached it says in one line what to run.
- The package itself, a wheel built into the site (``_downloads/``).
- The whole book as a PDF (``book.pdf`` at the root of the site, copied
  there by ``make pdf``).
"""

from __future__ import annotations

import json
import posixpath
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from book_addresses import ROOT, UNKNOWN_SITE, repo_url, site_url
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

PDF_NAME = "book.pdf"  # at the root of the built site (make pdf)
WHEEL_DIR = "_downloads"
INSTALL_TAG = "nnintro-install"


def executed_notebook(app: Sphinx, pagename: str):
    """The page as a notebook with the outputs of its last execution.

    myst-nb writes the page's notebook to ``jupyter_execute/`` without its
    outputs when they come from the execution cache; they are merged back
    from that cache (the one ``scripts/build_book.py`` fills).
    """
    import nbformat

    build = Path(app.outdir).parent
    path = build / "jupyter_execute" / f"{pagename}.ipynb"
    if not path.is_file():
        return None
    notebook = nbformat.read(path, as_version=4)
    if any(cell.get("outputs") for cell in notebook.cells):
        return notebook
    config = getattr(app.env, "mystnb_config", None)
    cache_path = getattr(config, "execution_cache_path", "") or (
        build / ".jupyter_cache"
    )
    if not Path(cache_path).is_dir():
        return notebook
    from jupyter_cache import get_cache

    try:
        _, notebook = get_cache(str(cache_path)).merge_match_into_notebook(
            notebook
        )
    except KeyError:
        logger.warning(f"{pagename}: no cached outputs for its notebook")
    return notebook


def offer_notebook(app: Sphinx, pagename, templatename, context, doctree):
    """Tell the theme that the page has a notebook (written at the end)."""
    executed = Path(app.outdir).parent / "jupyter_execute" / pagename
    if doctree is not None and executed.with_suffix(".ipynb").is_file():
        context["ipynb_source"] = f"{pagename}.ipynb"


def write_notebooks(app: Sphinx, source: str) -> None:
    """Every page's executed notebook, install cell first, into _sources/.

    (The theme's launch buttons copy the notebooks without their outputs
    while the pages are written: these copies replace theirs.)
    """
    import nbformat

    outdir = Path(app.outdir)
    for docname in sorted(app.env.found_docs):
        notebook = executed_notebook(app, docname)
        if notebook is None:
            continue
        target = outdir / "_sources" / f"{docname}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, target)
        add_install_cell(target, source)


def project_version() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("version"):
            return line.split("=", 1)[1].strip().strip('"')
    raise ValueError("pyproject.toml has no version")


def wheel_name() -> str:
    return f"nnintro-{project_version()}-py3-none-any.whl"


def install_cell_source(site: str, repo: str) -> str:
    """The first cell of every downloaded notebook: install nnintro if missing.

    Sources, in order: a wheel next to the notebook, the wheel published with
    the site (when its address is known), the repository (when known).
    """
    book = site if site != UNKNOWN_SITE else None
    return f"""\
# This notebook is a page of the book "Backprop by hand, verified".
# Its code imports the book's package, nnintro: this cell installs it when
# it is missing, from the wheel in this folder (the book's download menu
# offers it), else from the published book, else from its repository.
import importlib.util
import subprocess
import sys
from pathlib import Path

WHEEL = {wheel_name()!r}
BOOK = {book!r}
REPOSITORY = {(repo or None)!r}

if importlib.util.find_spec("nnintro") is None:
    sources = [str(w) for w in sorted(Path.cwd().glob("nnintro-*.whl"))]
    sources += [BOOK + "{WHEEL_DIR}/" + WHEEL] if BOOK else []
    sources += ["nnintro @ git+" + REPOSITORY] if REPOSITORY else []
    for source in sources:
        pip = [sys.executable, "-m", "pip", "install", "--quiet", source]
        if subprocess.run(pip).returncode == 0:
            break
    else:
        raise RuntimeError(
            f"nnintro is missing: save {{WHEEL}} from the book's download "
            "menu next to this notebook, then run this cell again"
        )
    importlib.invalidate_caches()"""


def add_install_cell(path: Path, source: str) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = notebook.setdefault("cells", [])
    if cells and INSTALL_TAG in cells[0].get("metadata", {}).get("tags", []):
        cells.pop(0)
    cell = {
        "cell_type": "code",
        "execution_count": None,
        "id": INSTALL_TAG,
        "metadata": {"tags": [INSTALL_TAG]},
        "outputs": [],
        "source": source.splitlines(keepends=True),
    }
    cells.insert(0, cell)
    path.write_text(json.dumps(notebook, indent=1) + "\n", encoding="utf-8")


def build_wheel(outdir: Path) -> Path | None:
    """``pip wheel --no-deps`` of the book's package into the site.

    The package is built from a copy of its sources, so that setuptools
    leaves no ``build/`` folder in the repository.
    """
    target = outdir / WHEEL_DIR
    target.mkdir(parents=True, exist_ok=True)
    skip = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "source"
        shutil.copytree(ROOT / "code", source / "code", ignore=skip)
        for name in ("pyproject.toml", "README.md"):
            shutil.copy2(ROOT / name, source / name)
        wheels = Path(tmp) / "wheels"
        for isolation in (["--no-build-isolation"], []):
            command = [sys.executable, "-m", "pip", "wheel", "--no-deps"]
            command += [*isolation, "--quiet", "-w", str(wheels), str(source)]
            done = subprocess.run(command, capture_output=True, text=True)
            if done.returncode == 0:
                break
        else:
            logger.warning(f"the nnintro wheel was not built: {done.stderr}")
            return None
        (wheel,) = wheels.glob("nnintro-*.whl")
        shutil.copy2(wheel, target / wheel.name)
    return target / wheel.name


def finish_downloads(app: Sphinx, exception) -> None:
    """Wheel into the site, install cell into each notebook, PDF if built."""
    if exception or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    build_wheel(outdir)
    write_notebooks(
        app, install_cell_source(site_url(), repo_url(app.confdir))
    )
    pdf = outdir.parent / "latex" / PDF_NAME
    if pdf.is_file():
        shutil.copy2(pdf, outdir / PDF_NAME)


def download_menu(app: Sphinx, pagename, templatename, context, doctree):
    """The download menu: the whole book (PDF) and the package (wheel)."""
    groups = [
        b
        for b in context.get("header_buttons", [])
        if b.get("label") == "download-buttons"
    ]
    if not groups:
        return
    to_root = posixpath.relpath(".", posixpath.dirname(pagename) or ".")
    buttons = [
        b
        for b in groups[0]["buttons"]
        if b.get("label") != "download-pdf-button"
    ]
    buttons.append(
        {
            "type": "link",
            "url": posixpath.join(to_root, PDF_NAME),
            "text": "book .pdf",
            "tooltip": "Download the whole book as one PDF",
            "icon": "fas fa-file-pdf",
            "label": "download-book-pdf-button",
        }
    )
    buttons.append(
        {
            "type": "link",
            "url": posixpath.join(to_root, WHEEL_DIR, wheel_name()),
            "text": "package .whl",
            "tooltip": "Download the book's package (pip install it)",
            "icon": "fas fa-box",
            "label": "download-wheel-button",
        }
    )
    groups[0]["buttons"] = buttons


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", offer_notebook, priority=400)
    app.connect("html-page-context", download_menu, priority=900)
    app.connect("build-finished", finish_downloads)
    return {
        "version": "1.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }

"""Sphinx extension: the website as its readers use it (offline, citable).

- Continuous chapter numbers across the parts of the table of contents (so
  that equation numbers such as (3.2) are unique in the whole book) with only
  chapters numbered (``numbered: 1`` in ``_toc.yml``; Jupyter Book loads
  ``sphinx_multitoc_numbering`` only for ``numbered: true``).
- No reference to another host: the sphinx-thebe scripts (Thebe is off) are
  dropped from every page. MathJax 4 and its font (npm packages fetched by
  ``scripts/fetch_npm.py``) are copied into the site after the build and
  configured to break long equations into lines; without them the MathJax
  3.2.2 bundle of sphinx-mathjax-offline is used.
- A style sheet and a script (static/nnintro.css, static/nnintro.js): menu
  buttons that work on phones, figures that open full screen, a citation
  button next to each equation number, link signs on touch screens.
- Downloads: each notebook page offers its executed ``.ipynb``, whose first
  cell installs the book's package (a wheel built into the site) when it is
  missing; the download menu links the whole book as a PDF (``book.pdf`` at
  the root of the site, copied there by ``make pdf``) and the wheel.
- ``{citation-bibtex}`` renders the BibTeX entry of the book from
  ``CITATION.cff``; ``{site-urls}`` lists addresses on the site as links.
  The site's address comes from ``NNINTRO_SITE_URL`` (set by the publishing
  workflow); without it the links are relative to the page. The repository's
  address, ``NNINTRO_REPO_URL``, adds a repository button and a Binder
  launch button.
"""

from __future__ import annotations

import importlib.util
import json
import os
import posixpath
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
UNKNOWN_SITE = "https://<site>/"
MATHJAX_DIR = "mathjax4"  # under _static/ in the built site
PDF_NAME = "book.pdf"  # at the root of the built site (make pdf)
WHEEL_DIR = "_downloads"


def site_url() -> str:
    """The published site's address with a trailing slash, or a placeholder."""
    url = os.environ.get("NNINTRO_SITE_URL", "").strip()
    if not url:
        return UNKNOWN_SITE
    return url if url.endswith("/") else url + "/"


def repo_url() -> str:
    """The repository's address (no trailing slash), or an empty string."""
    return os.environ.get("NNINTRO_REPO_URL", "").strip().rstrip("/")


def read_citation(confdir: str | Path) -> dict:
    path = Path(confdir) / "CITATION.cff"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# --- MathJax 4 -------------------------------------------------------------


def npm_package(name: str) -> Path | None:
    """The unpacked npm package NAME (scripts/fetch_npm.py), if fetched."""
    spec = importlib.util.spec_from_file_location(
        "fetch_npm", ROOT / "scripts" / "fetch_npm.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    folder = module.package_dir(name)
    return folder if folder.is_dir() else None


# What the site needs of the two packages: the combined TeX-to-HTML component,
# the components it loads on demand (TeX extensions, accessibility, menu) and
# the font's files. Paths are relative to each package.
MATHJAX_FILES = ["tex-chtml.js", "input", "a11y", "sre", "ui", "LICENSE"]
FONT_FILES = ["chtml.js", "chtml", "package.json"]


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


# --- style sheet, script, favicon, book facts -----------------------------


def configure(app: Sphinx, config) -> None:
    config.html_static_path.append(str(HERE / "static"))
    config.html_favicon = str(HERE / "static" / "favicon.svg")
    url = site_url()
    if url != UNKNOWN_SITE and not config.html_baseurl:
        config.html_baseurl = url  # <link rel="canonical"> on every page
    options = config.html_theme_options
    repo = repo_url()
    if repo:
        options["repository_url"] = repo
        options["repository_branch"] = "main"
        options["use_repository_button"] = True
        # Binder opens the page's MyST source as a notebook (with jupytext
        # in its environment). Colab opens only .ipynb files of the
        # repository, and the pages are .md: no Colab button.
        options["launch_buttons"] = {
            "notebook_interface": "classic",
            "binderhub_url": "https://mybinder.org",
        }


def book_facts(app: Sphinx, config) -> None:
    """Title and version for the equations' citations (static/nnintro.js)."""
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


def drop_thebe_scripts(
    app: Sphinx, pagename, templatename, context, doctree
) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return

    def is_thebe(script) -> bool:
        body = getattr(script, "attributes", {}).get("body", "") or ""
        name = getattr(script, "filename", None) or str(script)
        return "THEBE_JS_URL" in body or str(name).endswith("sphinx-thebe.js")

    context["script_files"] = [s for s in scripts if not is_thebe(s)]


def describe_images(app: Sphinx, doctree, docname: str) -> None:
    """Give a figure's image its caption as alternative text.

    myst-nb names an output image by its file path, which a screen reader
    would spell out; a figure's caption says what it shows.
    """
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
        image["alt"] = text or "A figure computed by the code above"


# --- downloads: notebook, wheel, PDF ---------------------------------------


def offer_notebook(app: Sphinx, pagename, templatename, context, doctree):
    """Copy the executed notebook next to the page's source; tell the theme."""
    if doctree is None or context.get("ipynb_source"):
        return
    executed = (
        Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    )
    if not executed.is_file():
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(executed, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


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
# offers it) or else from the published book or its repository.
import importlib.util
import subprocess
import sys
from pathlib import Path

WHEEL = {wheel_name()!r}
BOOK = {book!r}
REPOSITORY = {(repo or None)!r}

if importlib.util.find_spec("nnintro") is None:
    wheels = sorted(Path.cwd().glob("nnintro-*.whl"))
    if wheels:
        source = str(wheels[-1])
    elif BOOK:
        source = BOOK + "{WHEEL_DIR}/" + WHEEL
    elif REPOSITORY:
        source = "nnintro @ git+" + REPOSITORY
    else:
        raise RuntimeError(f"put {{WHEEL}} next to this notebook")
    pip = [sys.executable, "-m", "pip", "install", "--quiet", source]
    subprocess.run(pip, check=True)
    importlib.invalidate_caches()"""


def add_install_cell(path: Path, source: str) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = notebook.setdefault("cells", [])
    tag = "nnintro-install"
    if cells and tag in cells[0].get("metadata", {}).get("tags", []):
        cells.pop(0)
    cell = {
        "cell_type": "code",
        "execution_count": None,
        "id": "nnintro-install",
        "metadata": {"tags": [tag]},
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
    source = install_cell_source(site_url(), repo_url())
    for notebook in sorted((outdir / "_sources").rglob("*.ipynb")):
        add_install_cell(notebook, source)
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


# --- citing -----------------------------------------------------------------


def bibtex_entry(cff: dict, url: str) -> str:
    """A BibTeX ``@misc`` entry from the fields of CITATION.cff."""
    authors = " and ".join(
        "{" + a["name"] + "}"
        if "name" in a
        else f"{a['family-names']}, {a['given-names']}"
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
        cff = read_citation(self.env.app.confdir)
        text = bibtex_entry(cff, site_url())
        return [nodes.literal_block(text, text, language="bibtex")]


def site_address(docname: str, target: str) -> tuple[str, str]:
    """(text, href) of TARGET (a path from the site's root) seen from DOCNAME.

    The text is the full address when the site's address is known, otherwise
    the address relative to the page (which is also the link).
    """
    path, _, fragment = target.strip().lstrip("/").partition("#")
    relative = posixpath.relpath(path, posixpath.dirname(docname) or ".")
    href = relative + (f"#{fragment}" if fragment else "")
    url = site_url()
    text = url + target.strip().lstrip("/") if url != UNKNOWN_SITE else href
    return text, href


class SiteUrls(SphinxDirective):
    """Addresses on the site, one per line of content, each a link."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        items = nodes.bullet_list(classes=["nnintro-site-urls"])
        for line in self.content:
            if not line.strip():
                continue
            text, href = site_address(self.env.docname, line)
            link = nodes.reference(text, "", refuri=href)
            link += nodes.literal(text, text)
            items += nodes.list_item("", nodes.paragraph("", "", link))
        return [items]


def setup(app: Sphinx) -> dict:
    app.setup_extension("sphinx_multitoc_numbering")
    app.connect("config-inited", configure)
    app.connect("config-inited", use_mathjax4, priority=900)
    app.connect("config-inited", book_facts)
    app.add_css_file("nnintro.css")
    app.add_js_file("nnintro.js", defer="defer")
    app.connect("doctree-resolved", describe_images)
    app.connect("html-page-context", drop_thebe_scripts)
    app.connect("html-page-context", page_url)
    app.connect("html-page-context", offer_notebook, priority=400)
    app.connect("html-page-context", download_menu, priority=900)
    app.connect("build-finished", copy_mathjax)
    app.connect("build-finished", finish_downloads)
    app.add_directive("citation-bibtex", CitationBibtex)
    app.add_directive("site-urls", SiteUrls)
    return {
        "version": "2.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }

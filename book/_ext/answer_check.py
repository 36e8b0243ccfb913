"""Sphinx extension: a box under an answer where readers check their formula.

```{answer-check} q16-Wy
```

renders an element with ``data-answer-check="q16-Wy"`` holding a text
input and a button. The page's script (static/answer-check/) runs the
package's own checker, ``nnintro.answers``, in the reader's browser: in a
Web Worker, Pyodide (npm ``pyodide``, pinned in scripts/fetch_npm.py) with
the SymPy and mpmath wheels (scripts/fetch_wheels.py). Pyodide is loaded
on the first click only, and kept for the later checks of the page.
Offline: every file is copied into the built site, under
``_static/answer-check/``, and addressed relative to the page.

Without Pyodide or the wheels at build time the box still renders, says
that the checker is not available in this build, and names the command
line (``python -m nnintro.answers``). Only pages with a box load the
script and its style sheet.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import shutil
import zipfile
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from nnintro.answers import SHARED_MODULES, TARGETS

LOG = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
OUT = "answer-check"  # folder under _static/ in the built site
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)


def _script(name: str):
    """A module of scripts/ (the fetchers know where their files are)."""
    path = Path(__file__).resolve().parents[2] / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"_answer_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def assets() -> dict | None:
    """The Pyodide folder and the Python archives, or None if missing.

    The archives are SymPy and mpmath compiled to bytecode in one zip when
    scripts/fetch_wheels.py could make it, else the two wheels.
    """
    pyodide = _script("fetch_npm").package_dir("pyodide")
    wheels = _script("fetch_wheels")
    if not all((pyodide / f).is_file() for f in PYODIDE_FILES):
        return None
    if wheels.bundle_path().is_file():
        return {"pyodide": pyodide, "archives": [wheels.bundle_path()]}
    if all(w.is_file() for w in wheels.wheel_paths()):
        return {"pyodide": pyodide, "archives": wheels.wheel_paths()}
    return None


def checker_zip() -> bytes:
    """nnintro/answers/*.py and the modules it shares with the package
    (``SHARED_MODULES``) under a stub nnintro/__init__.py (the package's
    own __init__ imports torch, which the browser does not have)."""
    package = Path(importlib.util.find_spec("nnintro.answers").origin).parent
    shared = [
        Path(importlib.util.find_spec(name).origin) for name in SHARED_MODULES
    ]
    buffer = io.BytesIO()
    stamp = (2020, 1, 1, 0, 0, 0)  # the same bytes at every build
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        stub = b'"""nnintro, only its answer checker (in the browser)."""\n'
        files = (
            [("nnintro/__init__.py", stub)]
            + [
                (f"nnintro/answers/{path.name}", path.read_bytes())
                for path in sorted(package.glob("*.py"))
            ]
            + [(f"nnintro/{path.name}", path.read_bytes()) for path in shared]
        )
        for name, data in files:
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def download_bytes(found: dict) -> int:
    """What the first check downloads: Pyodide's files, the archives and
    the checker's zip, as the build copies them."""
    pyodide = sum((found["pyodide"] / f).stat().st_size for f in PYODIDE_FILES)
    archives = sum(a.stat().st_size for a in found["archives"])
    return pyodide + archives + len(checker_zip())


SYNTAX_ANCHOR = "answer-check-syntax"  # the page's paragraph on the syntax


class answer_check(nodes.General, nodes.Element):
    """The box; rendered as HTML, or as nothing in other formats."""


class AnswerCheck(SphinxDirective):
    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        key = self.arguments[0]
        if key not in TARGETS:
            raise self.error(
                f"unknown answer-check label {key!r}; the labels are "
                + ", ".join(TARGETS)
            )
        env = self.env
        if not hasattr(env, "answer_check_docs"):
            env.answer_check_docs = set()
        env.answer_check_docs.add(env.docname)
        count = env.temp_data.setdefault("answer_check_count", 0) + 1
        env.temp_data["answer_check_count"] = count
        node = answer_check()
        node["key"] = key
        node["uid"] = f"answer-check-{count}"
        if not hasattr(env, "answer_check_available"):
            env.answer_check_available = assets() is not None
        node["available"] = env.answer_check_available
        found = assets() if node["available"] else None
        node["bytes"] = download_bytes(found) if found else 0
        return [node]


def visit_html(self, node: answer_check) -> None:
    target = TARGETS[node["key"]]
    key, uid = target.key, node["uid"]
    form = {
        "column": "column form, one example",
        "batch": "batch form, rows are examples",
        "loss": "in terms of ytilde and y",
    }[target.form]
    available = node["available"]
    esc = self.encode
    self.body.append(
        f'<div class="answer-check" data-answer-check="{esc(key)}" '
        f'data-available="{str(available).lower()}">'
        f'<label class="answer-check-label" for="{uid}">'
        f"Check your own {esc(target.what)} "
        f'<span class="answer-check-form">({esc(form)})</span></label>'
        '<div class="answer-check-row">'
        f'<input id="{uid}" class="answer-check-input" type="text" '
        'autocomplete="off" autocapitalize="off" autocorrect="off" '
        'spellcheck="false" enterkeyhint="done" '
        'placeholder="your formula"'
        f"{'' if available else ' disabled'}>"
        '<button type="button" class="answer-check-button"'
        f"{'' if available else ' disabled'}>Check</button></div>"
        '<p class="answer-check-help">NumPy with the book\'s names: '
        "<code>@</code> matrix product, <code>*</code> entrywise, "
        "<code>.T</code>, <code>**</code>, <code>sum(A, axis=0)</code>; "
        f'see <a href="#{SYNTAX_ANCHOR}">how to type a formula</a>.'
    )
    if available:
        megabytes = node["bytes"] / 1e6
        self.body.append(
            f" The first check downloads the checker ({megabytes:.1f} MB), "
            "once; nothing is sent anywhere."
        )
    self.body.append(
        '</p><div class="answer-check-status" role="status" '
        'aria-live="polite">'
    )
    if not available:
        self.body.append(
            "The checker is not available in this build (Pyodide or the "
            "SymPy wheels were not fetched). On the command line: "
            f'<code>python -m nnintro.answers {esc(key)} "formula"</code>'
        )
    self.body.append('</div><div class="answer-check-result"></div></div>')
    raise nodes.SkipNode


def skip(self, node) -> None:
    raise nodes.SkipNode


def purge(app, env, docname) -> None:
    getattr(env, "answer_check_docs", set()).discard(docname)


def merge(app, env, docnames, other) -> None:
    if not hasattr(env, "answer_check_docs"):
        env.answer_check_docs = set()
    env.answer_check_docs |= getattr(other, "answer_check_docs", set())


def outdated(app, env, added, changed, removed) -> list[str]:
    """Re-read the pages with a box when the engine appeared or vanished."""
    available = assets() is not None
    before = getattr(env, "answer_check_available", available)
    env.answer_check_available = available
    if before == available:
        return []
    return sorted(getattr(env, "answer_check_docs", set()))


def add_static_path(app: Sphinx) -> None:
    """Our script and style sheet live in static/answer-check/."""
    paths = {Path(p).resolve() for p in app.config.html_static_path}
    if STATIC.resolve() not in paths:
        app.config.html_static_path.append(str(STATIC))


def page_assets(app, pagename, templatename, context, doctree) -> None:
    """The script and the style sheet, on pages with a box only."""
    if pagename in getattr(app.env, "answer_check_docs", set()):
        app.add_js_file(f"{OUT}/answer-check.js", loading_method="defer")
        app.add_css_file(f"{OUT}/answer-check.css")


def copy_engine(app: Sphinx, exception) -> None:
    """Pyodide, SymPy and the checker into _static/answer-check/."""
    if exception or app.builder.format != "html":
        return
    if not getattr(app.env, "answer_check_docs", None):
        return
    found = assets()
    if found is None:
        LOG.info("answer-check: no Pyodide or no SymPy; nothing copied")
        return
    out = Path(app.outdir) / "_static" / OUT
    (out / "pyodide").mkdir(parents=True, exist_ok=True)
    for source in (STATIC / OUT).iterdir():  # also when no page was rebuilt
        _copy(source, out / source.name)
    (out / "python").mkdir(exist_ok=True)
    for name in PYODIDE_FILES:
        _copy(found["pyodide"] / name, out / "pyodide" / name)
    names = {a.name for a in found["archives"]}
    for old in (out / "python").iterdir():
        if old.name not in names:
            old.unlink()
    for archive in found["archives"]:
        _copy(archive, out / "python" / archive.name)
    data = checker_zip()
    name = f"nnintro-answers-{hashlib.sha256(data).hexdigest()[:12]}.zip"
    for old in out.glob("nnintro-answers-*.zip"):
        if old.name != name:
            old.unlink()
    (out / name).write_bytes(data)
    manifest = {
        "pyodide": "pyodide/",
        "archives": [
            {
                "path": f"python/{a.name}",
                "format": "wheel" if a.suffix == ".whl" else "zip",
                "size": a.stat().st_size,
            }
            for a in found["archives"]
        ],
        "checker": name,
        "pyodide_size": sum(
            (found["pyodide"] / f).stat().st_size for f in PYODIDE_FILES
        ),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1))


def _copy(source: Path, target: Path) -> None:
    """Copy unless the same file (size and time) is already there."""
    if target.is_file():
        a, b = source.stat(), target.stat()
        if a.st_size == b.st_size and int(a.st_mtime) == int(b.st_mtime):
            return
    shutil.copy2(source, target)


def setup(app: Sphinx) -> dict:
    app.add_node(
        answer_check,
        html=(visit_html, None),
        latex=(skip, None),
        text=(skip, None),
        man=(skip, None),
        texinfo=(skip, None),
    )
    app.add_directive("answer-check", AnswerCheck)
    app.connect("builder-inited", add_static_path)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("env-get-outdated", outdated)
    app.connect("html-page-context", page_assets, priority=400)
    app.connect("build-finished", copy_engine)
    return {
        "version": "1.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }

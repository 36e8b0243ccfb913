"""Build the book: execute the pages that need it, then run Jupyter Book.

    python scripts/build_book.py          # what `make book` runs

A page is executed again when its code changed, when it failed last time,
when the pins changed, or when anything it read changed: a module of the
package it imported, another file of the project it opened, a file in a
folder named by an ``NNINTRO_*`` variable, or the value of such a variable.
What each page read is recorded by its own kernel while it runs
(``page_recorder.py``, an IPython start-up file), and kept with the
execution cache. Pages are executed by jupyter-cache's ``local-parallel``
executor, one per core; a page that fails is not cached, so the build that
follows executes it again and reports its error.

Jupyter Book then re-reads every page (``--all``: equation numbers are never
stale) with warnings as errors. When no source and no recorded input changed
since the last successful build, nothing is done. Decisions use ``hashlib``
only: no shell tool is needed, so this script is also what a reader on
Windows runs, with the virtual environment's Python.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
CACHE = BUILD / ".jupyter_cache"
INPUTS = BUILD / ".page-inputs.json"
STAMP = BUILD / ".source-hash"
RECORDS = BUILD / ".page-records"
IPYTHONDIR = BUILD / ".ipython"
RECORDER = Path(__file__).with_name("page_recorder.py")
# Everything the book is made from: when none of it changed (and no page's
# recorded input), a build has nothing to do.
SOURCES = (
    "book",
    "code",
    "scripts",
    "_config.yml",
    "_toc.yml",
    "CITATION.cff",
    "pyproject.toml",
    "constraints.txt",
)
SKIPPED = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache"}
TIMEOUT = 600
JUPYTER_BOOK_ARGS = [
    "build",
    ".",
    "--all",
    "--warningiserror",
    "--nitpick",
    "--keep-going",
]


# --- fingerprints ------------------------------------------------------------


def file_hash(path: Path) -> str | None:
    """The SHA-256 of a file, or None when it is not a file."""
    try:
        with path.open("rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return None


def tree_files(root: Path, names=SOURCES) -> list[Path]:
    """The files of the named files and folders, sorted, caches left out."""
    files = []
    for name in names:
        top = root / name
        if top.is_file():
            files.append(top)
        for folder, subfolders, filenames in os.walk(top):
            subfolders[:] = [
                s
                for s in subfolders
                if s not in SKIPPED and not s.endswith(".egg-info")
            ]
            files += [Path(folder) / f for f in filenames]
    return sorted(files)


def sources_hash(root: Path = ROOT) -> str:
    """One SHA-256 over the names and contents of the sources."""
    digest = hashlib.sha256()
    for path in tree_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update((file_hash(path) or "").encode() + b"\n")
    return digest.hexdigest()


def pins_hash(root: Path = ROOT) -> str:
    """The pins: constraints.txt, pyproject's [project] table, Python."""
    project = tomllib.loads((root / "pyproject.toml").read_text())
    digest = hashlib.sha256()
    digest.update((root / "constraints.txt").read_bytes())
    digest.update(json.dumps(project["project"], sort_keys=True).encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def input_path(name: str, root: Path = ROOT) -> Path:
    """A recorded file name: relative to the project, or absolute."""
    return Path(name) if Path(name).is_absolute() else root / name


def changed_inputs(inputs: dict, root: Path = ROOT) -> list[str]:
    """What changed among a page's recorded inputs, or [] when nothing."""
    changes = []
    if inputs.get("pins") != pins_hash(root):
        changes.append("the pins")
    for name, digest in inputs.get("files", {}).items():
        if file_hash(input_path(name, root)) != digest:
            changes.append(name)
    for key, value in inputs.get("environ", {}).items():
        if os.environ.get(key) != value:
            changes.append(f"${key}")
    return changes


def load_inputs(path: Path = INPUTS) -> dict:
    """Recorded inputs by cache key: {hashkey: {"uri": ..., ...}}."""
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def up_to_date(root: Path = ROOT) -> bool:
    """True when the last build succeeded and nothing it used changed."""
    build = root / "_build"
    stamp = build / STAMP.name
    if not (build / "html" / "index.html").is_file() or not stamp.is_file():
        return False
    if stamp.read_text().strip() != sources_hash(root):
        return False
    inputs = load_inputs(build / INPUTS.name)
    return all(not changed_inputs(i, root) for i in inputs.values())


# --- pages -------------------------------------------------------------------


def toc_pages(root: Path = ROOT) -> list[Path]:
    """The pages of the table of contents that have code cells."""
    from myst_nb.core.read import is_myst_markdown_notebook
    from sphinx_external_toc.parsing import parse_toc_yaml

    pages = []
    for docname in parse_toc_yaml(str(root / "_toc.yml")):
        path = root / f"{docname}.md"
        text = path.read_text(encoding="utf-8")
        if is_myst_markdown_notebook(text) and "```{code-cell}" in text:
            pages.append(path)
    return pages


def executed_cells(notebook) -> list[str]:
    """SHA-256 of each cell a kernel runs for this notebook, in order."""
    return [
        hashlib.sha256(cell.source.encode()).hexdigest()
        for cell in notebook.cells
        if cell.cell_type == "code"
        and cell.source.strip()
        and "skip-execution" not in cell.metadata.get("tags", [])
    ]


def kernel_records(folder: Path = RECORDS) -> list[dict]:
    """The records the kernels wrote (page_recorder.py)."""
    records = []
    for path in sorted(folder.glob("*.json")):
        try:
            records.append(json.loads(path.read_text()))
        except json.JSONDecodeError:
            continue
    return records


class Book:
    """The execution cache of the book and the recorded inputs of pages."""

    def __init__(self, root: Path = ROOT) -> None:
        from jupyter_cache import get_cache

        self.root = root
        self.build = root / "_build"
        self.cache = get_cache(str(self.build / CACHE.name))
        self.inputs_file = self.build / INPUTS.name
        self.inputs = load_inputs(self.inputs_file)
        self.pages = toc_pages(root)
        self.notebooks: dict = {}
        for page in self.pages:
            self.cache.add_nb_to_project(
                str(page), read_data={"name": "myst_nb_md", "type": "plugin"}
            )

    def notebook(self, page: Path):
        """The page as the executor reads it (read once per build)."""
        if page not in self.notebooks:
            self.notebooks[page] = self.cache.get_project_notebook(
                str(page)
            ).nb
        return self.notebooks[page]

    def cached(self, page: Path):
        """The cache record of the page as it is now, or None."""
        try:
            return self.cache.match_cache_notebook(self.notebook(page))
        except KeyError:
            return None

    def invalidate(self) -> None:
        """Drop from the cache every page whose recorded inputs changed."""
        for page in self.pages:
            record = self.cached(page)
            if record is None:
                continue
            inputs = self.inputs.get(record.hashkey)
            if inputs is None:
                changes = ["nothing recorded"]
            else:
                changes = changed_inputs(inputs, self.root)
            if changes:
                print(f"  {self.name(page)}: {', '.join(changes[:3])} changed")
                self.cache.remove_cache(record.pk)

    def name(self, page: Path) -> str:
        return page.relative_to(self.root).as_posix()

    def execute(self) -> list[Path]:
        """Execute the pages not in the cache, one per core; the failed."""
        from jupyter_cache.executors import load_executor

        todo = [p for p in self.pages if self.cached(p) is None]
        if not todo:
            return []
        workers = min(len(todo), os.cpu_count() or 1)
        print(f"executing {len(todo)} page(s), {workers} at a time")
        start = time.perf_counter()
        executor = load_executor("local-parallel", self.cache)
        result = executor.run_and_cache(
            filter_uris=[str(p) for p in todo],
            timeout=TIMEOUT,
            allow_errors=False,
        )
        failed = [Path(uri) for uri in result.excepted + result.errored]
        for page in todo:
            # a page the executor lost (a worker that died) is not cached
            # either: it fails here too, and the build executes it again
            record = None if page in failed else self.cached(page)
            if record is None:
                if page not in failed:
                    failed.append(page)
                print(f"  {self.name(page)}: failed (the build reports it)")
            else:
                seconds = record.data.get("execution_seconds", 0)
                print(f"  {self.name(page)}: {seconds:.1f} s")
        elapsed = time.perf_counter() - start
        print(f"executed {len(todo)} page(s) in {elapsed:.1f} s")
        return failed

    def attach_records(self, records: list[dict]) -> None:
        """Keep, for each cached page, what its kernel read; drop the rest."""
        pins = pins_hash(self.root)
        kept = {}
        for page in self.pages:
            record = self.cached(page)
            if record is None:
                continue
            cells = executed_cells(self.notebook(page))
            found = [r for r in records if r["cells"] == cells]
            if found:  # several runs of the page: all that any of them read
                kept[record.hashkey] = {
                    "uri": self.name(page),
                    "pins": pins,
                    "files": {
                        k: v for r in found for k, v in r["files"].items()
                    },
                    "environ": {
                        k: v for r in found for k, v in r["environ"].items()
                    },
                }
            elif record.hashkey in self.inputs:
                kept[record.hashkey] = self.inputs[record.hashkey]
        self.inputs = kept
        self.inputs_file.write_text(json.dumps(kept, indent=1, sort_keys=True))


# --- the build ---------------------------------------------------------------


def kernel_environment(root: Path = ROOT) -> None:
    """Set, for every kernel started from now on, the recording profile."""
    ipython = root / "_build" / IPYTHONDIR.name
    startup = ipython / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(RECORDER, startup / "50-page-recorder.py")
    records = root / "_build" / RECORDS.name
    shutil.rmtree(records, ignore_errors=True)
    records.mkdir(parents=True)
    code = str(root / "code")
    path = os.environ.get("PYTHONPATH")
    os.environ.update(
        IPYTHONDIR=str(ipython),
        NNINTRO_BUILD_RECORDS=str(records),
        NNINTRO_BUILD_ROOT=str(root),
        # this tree's package, even if the environment installed another
        PYTHONPATH=code + (os.pathsep + path if path else ""),
    )


def jupyter_book() -> str:
    """The jupyter-book command of this Python's environment."""
    scripts = sysconfig.get_path("scripts")
    found = shutil.which("jupyter-book", path=scripts)
    if found is None:
        sys.exit(
            f"jupyter-book is not installed in {scripts}: run `make venv`"
        )
    return found


def build(root: Path = ROOT, force: bool = False) -> int:
    """Build the book in ``root``; return the exit status."""
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    if not force and up_to_date(root):
        print(f"book: up to date ({root / '_build' / 'html' / 'index.html'})")
        return 0
    sources = sources_hash(root)
    stamp = root / "_build" / STAMP.name
    stamp.unlink(missing_ok=True)
    (root / "_build").mkdir(exist_ok=True)
    kernel_environment(root)
    book = Book(root)
    book.invalidate()
    failed = book.execute()
    book.attach_records(kernel_records(root / "_build" / RECORDS.name))
    status = subprocess.run(
        [jupyter_book(), *JUPYTER_BOOK_ARGS], cwd=root
    ).returncode
    # pages that failed above were executed again by the build
    book.attach_records(kernel_records(root / "_build" / RECORDS.name))
    if failed:
        names = ", ".join(book.name(p) for p in failed)
        print(f"book: pages that failed to execute: {names}")
    if status != 0:
        print("book: the build failed (see above)")
        return status
    stamp.write_text(sources + "\n")
    print(f"book: {root / '_build' / 'html' / 'index.html'}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--force",
        action="store_true",
        help="build even when nothing changed (pages are still cached)",
    )
    args = parser.parse_args()
    return build(ROOT, force=args.force)


if __name__ == "__main__":
    sys.exit(main())

"""scripts/build_book.py and scripts/page_recorder.py: rebuilds that follow
what each page read, decided in Python alone.

The tests marked ``build`` build a book of three small pages in a temporary
copy of the project, with a PATH that holds no tool at all.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from book_sources import ROOT


def load(name: str):
    path = ROOT / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_book = load("build_book")
page_recorder = load("page_recorder")

HEADER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

"""
PAGES = {
    "index": "# A small book\n\nTwo pages that import the package.\n",
    "svm_page": HEADER
    + "# Uses the SVM\n\n```{code-cell} ipython3\n"
    + "from nnintro.experiments.svm import SVMConfig\n\nSVMConfig()\n```\n",
    "data_page": HEADER
    + "# Uses the data\n\n```{code-cell} ipython3\nimport os\n\n"
    + "from nnintro.circles import make_circles\n\n"
    + 'os.environ.get("NNINTRO_MNIST_DIR")\n'
    + "make_circles(0).Xtrain.shape\n```\n",
}
TOC = """format: jb-book
root: book/index
chapters:
  - file: book/svm_page
  - file: book/data_page
"""
COPIED = (
    "code",
    "scripts",
    "book/_ext",
    "_config.yml",
    "CITATION.cff",
    "pyproject.toml",
    "README.md",
    "LICENSE",
    "constraints.txt",
)


def small_book(folder: Path) -> Path:
    """A copy of the project whose table of contents has three pages."""
    for name in COPIED:
        source, target = ROOT / name, folder / name
        if source.is_dir():
            shutil.copytree(
                source,
                target,
                ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
            )
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    for name, text in PAGES.items():
        (folder / "book" / f"{name}.md").write_text(text)
    (folder / "_toc.yml").write_text(TOC)
    return folder


# --- the decision, without building ------------------------------------------


def test_sources_hash_follows_content_not_dates(tmp_path: Path):
    tree = small_book(tmp_path)
    before = build_book.sources_hash(tree)
    module = tree / "code" / "nnintro" / "experiments" / "svm" / "studies.py"
    os.utime(module, (time.time() + 60, time.time() + 60))
    cache = module.parent / "__pycache__"
    cache.mkdir()
    (cache / "studies.cpython-311.pyc").write_bytes(b"compiled")
    assert build_book.sources_hash(tree) == before
    module.write_text(module.read_text() + "\n# an edit\n")
    assert build_book.sources_hash(tree) != before


def test_changed_inputs_names_files_variables_and_pins(
    tmp_path: Path, monkeypatch
):
    tree = small_book(tmp_path)
    module = tree / "code" / "nnintro" / "experiments" / "svm" / "studies.py"
    monkeypatch.delenv("NNINTRO_MNIST_DIR", raising=False)
    inputs = {
        "pins": build_book.pins_hash(tree),
        "files": {
            "code/nnintro/experiments/svm/studies.py": build_book.file_hash(
                module
            )
        },
        "environ": {"NNINTRO_MNIST_DIR": None},
    }
    assert build_book.changed_inputs(inputs, tree) == []
    module.write_text(module.read_text() + "\n# an edit\n")
    monkeypatch.setenv("NNINTRO_MNIST_DIR", str(tmp_path))
    with (tree / "constraints.txt").open("a") as f:
        f.write("another-package==1.0\n")
    assert build_book.changed_inputs(inputs, tree) == [
        "the pins",
        "code/nnintro/experiments/svm/studies.py",
        "$NNINTRO_MNIST_DIR",
    ]
    module.unlink()
    assert (
        "code/nnintro/experiments/svm/studies.py"
        in build_book.changed_inputs(inputs, tree)
    )


def test_a_failed_build_is_never_up_to_date(tmp_path: Path):
    tree = small_book(tmp_path)
    html = tree / "_build" / "html"
    html.mkdir(parents=True)
    (html / "index.html").write_text("<html></html>")
    assert not build_book.up_to_date(tree)  # no stamp: the last build failed
    stamp = tree / "_build" / build_book.STAMP.name
    stamp.write_text(build_book.sources_hash(tree))
    assert build_book.up_to_date(tree)
    (tree / "book" / "index.md").write_text("# Another title\n")
    assert not build_book.up_to_date(tree)


SPAWNING_EVENTS = {
    "subprocess.Popen",
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "os.spawn",
    "os.startfile",
}
_spawned: list[tuple] | None = None


def _note_spawns(event: str, args: tuple) -> None:
    if _spawned is not None and event in SPAWNING_EVENTS:
        _spawned.append((event, args))


sys.addaudithook(_note_spawns)


def test_the_decision_runs_no_program(tmp_path: Path):
    """Hashing, the up-to-date check and the choice of pages start no
    process: no sha256sum, find or xargs, whatever the machine has."""
    global _spawned
    tree = small_book(tmp_path)
    (tree / "_build").mkdir()
    _spawned = []
    try:
        build_book.sources_hash(tree)
        build_book.up_to_date(tree)
        book = build_book.Book(tree)
        book.invalidate()
        assert [p.name for p in book.pages] == ["svm_page.md", "data_page.md"]
        assert all(book.cached(p) is None for p in book.pages)
    finally:
        spawned, _spawned = _spawned, None
    assert spawned == []


def test_recorder_notes_project_files_and_variables(
    tmp_path: Path, monkeypatch
):
    root, outside = tmp_path / "project", tmp_path / "elsewhere"
    (root / "data").mkdir(parents=True)
    outside.mkdir()
    inside = root / "data" / "table.csv"
    inside.write_text("x\n1\n")
    (outside / "other.csv").write_text("y\n")
    (root / "_build").mkdir()
    (root / "_build" / "cached.txt").write_text("z\n")
    recorder = page_recorder.Recorder(str(root), str(tmp_path))
    environ = page_recorder.recording_environ(recorder)
    monkeypatch.setattr(os.environ, "__class__", environ)
    monkeypatch.setenv("NNINTRO_MNIST_DIR", str(outside))
    assert os.environ.get("NNINTRO_MNIST_DIR") == str(outside)
    os.environ.get("HOME")
    read = (inside, root / "absent.csv", outside / "other.csv")
    for path in (*read, root / "_build" / "cached.txt"):
        recorder.audit("open", (str(path), "r", 0))
    recorder.audit("open", (str(root / "written.txt"), "w", 0))
    cell = SimpleNamespace(info=SimpleNamespace(raw_cell="x = 1"))
    recorder.after_cell(cell)
    record = json.loads(recorder.path.read_text())
    assert record["cells"] == [hashlib.sha256(b"x = 1").hexdigest()]
    assert record["environ"] == {"NNINTRO_MNIST_DIR": str(outside)}
    digest = hashlib.sha256(inside.read_bytes()).hexdigest()
    assert record["files"] == {
        "data/table.csv": digest,
        "absent.csv": None,  # its arrival will count as a change
        str((outside / "other.csv").resolve()): hashlib.sha256(
            b"y\n"
        ).hexdigest(),
    }


# --- building a small book ---------------------------------------------------


def run_build(tree: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(tree / "scripts" / "build_book.py")],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def executed_pages(tree: Path) -> list[str]:
    """The pages whose kernel ran in the last build (from their records)."""
    book_pages = {}
    for name in ("svm_page", "data_page"):
        from jupyter_cache.readers import get_reader

        reader = get_reader({"name": "myst_nb_md", "type": "plugin"})
        notebook = reader(str(tree / "book" / f"{name}.md"))
        book_pages[tuple(build_book.executed_cells(notebook))] = name
    records = build_book.kernel_records(
        tree / "_build" / build_book.RECORDS.name
    )
    return sorted(book_pages[tuple(r["cells"])] for r in records)


@pytest.mark.build
def test_rebuilds_follow_imports_and_a_broken_module_always_fails(
    tmp_path: Path,
):
    tree = small_book(tmp_path)
    no_tools = tmp_path / "empty-bin"
    no_tools.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "NNINTRO_MNIST_DIR"}
    env["PATH"] = str(no_tools)  # no sha256sum, no find, nothing
    assert shutil.which("sha256sum", path=env["PATH"]) is None

    first = run_build(tree, env)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert executed_pages(tree) == ["data_page", "svm_page"]

    again = run_build(tree, env)
    assert again.returncode == 0 and "book: up to date" in again.stdout

    module = tree / "code" / "nnintro" / "experiments" / "svm" / "studies.py"
    original = module.read_text()
    module.write_text(original + "\n# an edit of the SVM module\n")
    edited = run_build(tree, env)
    assert edited.returncode == 0, edited.stdout[-3000:]
    assert (
        "book/svm_page.md: code/nnintro/experiments/svm/studies.py changed"
        in edited.stdout
    )
    assert executed_pages(tree) == ["svm_page"]

    module.write_text(original + '\nraise RuntimeError("broken on purpose")\n')
    for _ in range(2):  # every time, not only the first
        broken = run_build(tree, env)
        assert broken.returncode != 0
        assert "broken on purpose" in broken.stdout + broken.stderr
        assert "book: pages that failed to execute: book/svm_page.md" in (
            broken.stdout
        )
        assert set(executed_pages(tree)) == {"svm_page"}

    module.write_text(original)
    fixed = run_build(tree, env)
    assert fixed.returncode == 0, fixed.stdout[-3000:]
    assert executed_pages(tree) == ["svm_page"]

    env["NNINTRO_MNIST_DIR"] = str(tmp_path)
    pointed = run_build(tree, env)
    assert pointed.returncode == 0, pointed.stdout[-3000:]
    assert executed_pages(tree) == ["data_page"]

"""Lint the code cells of the book's pages: ruff check and ruff format --check.

Each page of ``book/`` (a MyST Markdown notebook) is converted by jupytext into
a notebook in a temporary folder, and ruff, which reads notebooks cell by cell,
checks it with the project's settings (``pyproject.toml``). Nothing is written
back: a page is fixed by editing its ``.md``.

    python scripts/lint_pages.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ruff = (
        shutil.which("ruff", path=str(Path(sys.executable).parent)) or "ruff"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for page in sorted((ROOT / "book").glob("*.md")):
            notebook = jupytext.read(page)
            if any(cell.cell_type == "code" for cell in notebook.cells):
                jupytext.write(notebook, Path(tmp) / f"{page.stem}.ipynb")
        settings = ["--config", str(ROOT / "pyproject.toml")]
        checks = [
            [ruff, "check", *settings, tmp],
            [ruff, "format", "--check", "--diff", *settings, tmp],
        ]
        failed = False
        for command in checks:
            result = subprocess.run(command, capture_output=True, text=True)
            if result.returncode != 0:
                failed = True
                output = (result.stdout + result.stderr).replace(
                    tmp + "/", "book/"
                )
                print(output.replace(".ipynb", ".md (code cells)"))
        if not failed:
            print("pages: code cells lint clean")
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

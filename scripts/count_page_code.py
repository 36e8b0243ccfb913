"""Count the code lines a reader sees on each page, by what they do.

A code cell is visible unless it is tagged ``remove-cell`` or
``remove-input``. Each of its statements is counted as

- **imports**: ``import`` and ``from ... import`` lines;
- **study calls**: a call of a function imported from
  ``nnintro.experiments`` or ``nnintro.plots`` (a study or its figure);
- **display**: ``display``, ``print``, ``Markdown``, ``book.*`` and glue;
- **method**: everything else, the code a student would write (formulas,
  loops, a training step, a SymPy check).

Blank lines and comments are not counted; a statement counts all its lines.

    .venv/bin/python scripts/count_page_code.py [BOOK_FOLDER]

``BOOK_FOLDER`` defaults to this repository's ``book/`` (give another
checkout's to compare two versions).
"""

from __future__ import annotations

import ast
import sys
from collections import Counter
from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("method", "imports", "study calls", "display")
HOMES = ("nnintro.experiments", "nnintro.plots")
DISPLAY = {"display", "print", "Markdown", "glue"}


def visible(cell) -> bool:
    tags = set(cell.metadata.get("tags", []))
    return cell.cell_type == "code" and not tags & {
        "remove-cell",
        "remove-input",
    }


def study_names(tree: ast.Module) -> set[str]:
    """Names imported from nnintro.experiments or nnintro.plots."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith(HOMES):
                names |= {a.asname or a.name for a in node.names}
    return names


def called(node: ast.AST) -> set[str]:
    """The names (or ``x`` of ``x.f``) of the functions a statement calls."""
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            f = sub.func
            while isinstance(f, ast.Attribute):
                f = f.value
            if isinstance(f, ast.Name):
                names.add(f.id)
    return names


def kind(node: ast.stmt, studies: set[str]) -> str:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return "imports"
    names = called(node)
    if names & studies:
        return "study calls"
    if names and names <= DISPLAY | {"book"}:
        return "display"
    return "method"


def code_lines(node: ast.stmt, lines: list[str]) -> int:
    span = lines[node.lineno - 1 : node.end_lineno]
    return sum(1 for s in span if s.strip() and not s.strip().startswith("#"))


def count(page: Path) -> Counter:
    cells = [c for c in jupytext.read(page).cells if visible(c)]
    sources = [
        "\n".join(
            "" if s.lstrip().startswith(("%", "!")) else s
            for s in c.source.splitlines()
        )
        for c in cells
    ]
    all_code = ast.parse("\n".join(sources))
    studies = study_names(all_code)
    counts: Counter = Counter()
    for source in sources:
        tree, lines = ast.parse(source), source.splitlines()
        for node in tree.body:
            counts[kind(node, studies)] += code_lines(node, lines)
    return counts


def main() -> int:
    book = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "book"
    total: Counter = Counter()
    print("| page | " + " | ".join(KINDS) + " | all |")
    print("|:--|" + "--:|" * (len(KINDS) + 1))
    for page in sorted(book.glob("*.md")):
        counts = count(page)
        if not counts:
            continue
        total += counts
        row = [str(counts[k]) for k in KINDS]
        print(f"| {page.stem} | " + " | ".join(row) + f" | {counts.total()} |")
    row = [str(total[k]) for k in KINDS]
    print("| **all** | " + " | ".join(row) + f" | {total.total()} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

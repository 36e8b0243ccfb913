"""The entry form: one entry of a gradient, with indices and explicit sums.

For the one-example answers a student may type the entry (i, j) of the
gradient, ``delta_y[i] * h[j]``, or the entry i of a vector,
``sum_k(Wy[k, i] * delta_y[k]) * (1 - h[i]**2)``: ``i`` is the row,
``j`` the column, and ``sum_k(...)`` adds over every value of ``k`` (any
other letter works too, as ``sum_l``). The formula is read once for every
entry, and the entries make the whole array, which is then compared as
any other answer. Indices start where the reader's do: they are letters,
never numbers.
"""

from __future__ import annotations

import ast
import itertools
import re

import sympy as sp

from nnintro.answers import arrays
from nnintro.answers.arrays import Array
from nnintro.answers.expression import (
    FormulaError,
    FormulaShapeError,
    Interpreter,
)

FREE = ("i", "j")  # the row and the column of the entry
SUM = re.compile(r"sum_([a-z])$")


def is_entry_form(tree: ast.AST) -> bool:
    """True when the formula indexes an array or sums over an index."""
    return any(
        isinstance(n, ast.Subscript)
        or (isinstance(n, ast.Call) and _sum_letter(n.func))
        for n in ast.walk(tree)
    )


def _sum_letter(func: ast.AST) -> str | None:
    if isinstance(func, ast.Name):
        found = SUM.match(func.id)
        if found and found.group(1) not in FREE:
            return found.group(1)
    return None


def _indices(node: ast.Subscript) -> list[ast.AST]:
    index = node.slice
    return list(index.elts) if isinstance(index, ast.Tuple) else [index]


class EntryInterpreter(Interpreter):
    """Reads one entry: the indices in ``bound`` have values (0-based)."""

    bound: dict[str, int]
    what: str

    def visit_Subscript(self, node: ast.Subscript) -> Array:
        array = self.visit(node.value)
        parts = _indices(node)
        positions = []
        for part in parts:
            if not isinstance(part, ast.Name) or part.id not in self.bound:
                raise FormulaError(
                    f"`{self.part(node)}`: index with the letters i (row), "
                    "j (column) or the letter of a sum_k(...), as "
                    "delta_y[i] * h[j]"
                )
            positions.append(self.bound[part.id])
        shape = array.shape
        if len(shape) == 2 and shape[1] == 1 and len(parts) == 1:
            positions.append(0)  # a column vector takes one index
        if len(positions) != len(shape):
            raise FormulaError(
                f"`{self.part(node)}`: {len(parts)} indices for an array "
                f"of {len(shape)} dimensions"
            )
        letters = [getattr(part, "id", "?") for part in parts]
        for letter, position, size in zip(letters, positions, shape):
            if position >= size:
                raise FormulaShapeError(
                    self.part(node),
                    f"{letter} runs over more values than "
                    f"`{self.part(node.value)}` has along this index",
                )
        return arrays.scalar(array.at(tuple(positions)))

    def visit_Call(self, node: ast.Call) -> Array:
        letter = _sum_letter(node.func)
        if letter is None:
            return super().visit_Call(node)
        if len(node.args) != 1 or node.keywords:
            raise FormulaError(
                f"sum_{letter} takes one term: sum_{letter}(...)"
            )
        if letter in self.bound:
            raise FormulaError(f"two sums over {letter}: use another letter")
        total = sp.Integer(0)
        for value in range(self.extent(node.args[0], letter)):
            self.bound[letter] = value
            term = self.visit(node.args[0])
            if term.ndim and len(term.entries) != 1:
                raise FormulaError(
                    f"the term of sum_{letter}(...) must be one number: "
                    "index every array in it"
                )
            total += term.entries[0]
        del self.bound[letter]
        return arrays.scalar(total)

    def extent(self, term: ast.AST, letter: str) -> int:
        """How many values ``letter`` takes: the size of the arrays'
        axes it indexes (they must agree)."""
        sizes, where = set(), []
        for node in ast.walk(term):
            if not isinstance(node, ast.Subscript):
                continue
            parts = _indices(node)
            for axis, part in enumerate(parts):
                if isinstance(part, ast.Name) and part.id == letter:
                    shape = self._shape_of(node.value)
                    if shape is not None and axis < len(shape):
                        sizes.add(shape[axis])
                        size = self.dims.get(shape[axis], str(shape[axis]))
                        where.append(f"`{self.part(node)}` has {size}")
        if not sizes:
            raise FormulaError(
                f"sum_{letter}(...): no array is indexed with {letter}"
            )
        if len(sizes) != 1:
            raise FormulaShapeError(
                f"sum_{letter}(...)",
                f"{letter} runs along axes of different sizes ("
                + ", ".join(where)
                + ")",
            )
        return sizes.pop()

    def _shape_of(self, node: ast.AST):
        if isinstance(node, ast.Name) and node.id in self.names:
            return self.names[node.id].shape
        return None


def read_entries(make, shape: tuple[int, ...], tree: ast.AST, vector: bool):
    """The array of entries (shape ``shape``) of an entry formula, for a
    gradient that is a ``vector`` (index i only) or a matrix (i, j).

    ``make()`` returns an EntryInterpreter for the formula."""
    rows, cols = shape
    used = ("i",) if vector else ("i", "j")
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    if vector and "j" in names:
        raise FormulaError(
            "this gradient is a vector: its entry i needs only the index i"
        )
    entries, seen = [], set()
    for i, j in itertools.product(range(rows), range(cols)):
        interpreter = make()
        interpreter.bound = dict(zip(used, (i, j)))
        value = interpreter.evaluate()
        if len(value.entries) != 1:
            raise FormulaError(
                "an entry is one number: index every array (h[j], not h)"
            )
        entries.append(value.entries[0])
        seen |= interpreter.used
    return Array(shape, tuple(entries)), seen

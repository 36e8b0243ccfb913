"""Arrays of SymPy expressions that follow NumPy's rules for shapes.

A student types NumPy: ``*`` is entrywise with broadcasting, ``@`` is the
matrix product (with NumPy's rules for 1-D operands), ``.T`` transposes,
``sum`` adds all entries or along an axis. :class:`Array` does the same on
SymPy expressions, so a formula means here what it means in NumPy. A
product of mismatched shapes raises :class:`ShapeError`.

An :class:`Array` also takes Python's operators (``+``, ``-``, ``*``, ``/``,
``**``, ``@``, ``.T``) and the few methods of torch (``.mT``, ``.tanh()``,
``.softmax(dim)``, ``.reshape(-1, 1)``) that :mod:`nnintro.forward_pass`
and :mod:`nnintro.chain_rule` use, so that the checker's network runs the
very forward pass that trains and computes its ``Delta_y`` and ``Delta_h``
with the very functions ``backward`` calls. (A student's formula reaches
none of these methods: the interpreter allows only ``.T``.)
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp


class ShapeError(ValueError):
    """Two shapes that NumPy would refuse to combine."""


@dataclass(frozen=True)
class Array:
    """``shape`` is (), (n,) or (rows, cols); ``entries`` are row-major."""

    shape: tuple[int, ...]
    entries: tuple[sp.Expr, ...]

    def __post_init__(self):
        if len(self.shape) > 2:
            raise ShapeError("arrays of more than two dimensions")
        if len(self.entries) != _size(self.shape):
            raise ValueError(f"{len(self.entries)} entries for {self.shape}")

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def at(self, index: tuple[int, ...]) -> sp.Expr:
        """The entry at a multi-index (row-major)."""
        flat = 0
        for i, n in zip(index, self.shape):
            flat = flat * n + i
        return self.entries[flat]

    def map(self, f: Callable[[sp.Expr], sp.Expr]) -> Array:
        """f applied to every entry."""
        return Array(self.shape, tuple(f(e) for e in self.entries))

    def matrix(self) -> sp.Matrix:
        """The entries as a SymPy matrix (a 1-D array as a column)."""
        if self.ndim == 2:
            return sp.Matrix(*self.shape, list(self.entries))
        return sp.Matrix(list(self.entries))

    # --- the operators of nnintro.chain_rule, with NumPy's broadcasting ---

    def __add__(self, other) -> Array:
        return entrywise(operator.add, self, as_array(other))

    def __sub__(self, other) -> Array:
        return entrywise(operator.sub, self, as_array(other))

    def __rsub__(self, other) -> Array:
        return entrywise(operator.sub, as_array(other), self)

    def __mul__(self, other) -> Array:
        return entrywise(operator.mul, self, as_array(other))

    def __truediv__(self, other) -> Array:
        return entrywise(operator.truediv, self, as_array(other))

    def __pow__(self, k: int) -> Array:
        return self.map(lambda e: e**k)

    def __matmul__(self, other: Array) -> Array:
        return matmul(self, other)

    @property
    def T(self) -> Array:  # noqa: N802 (NumPy's name)
        return transpose(self)

    # --- the methods of torch that nnintro.forward_pass uses ---

    @property
    def mT(self) -> Array:  # noqa: N802 (torch's name)
        """The transpose of a 2-D array (torch: of the last two axes)."""
        if self.ndim != 2:
            raise ShapeError(f".mT of a {self.ndim}-D array")
        return transpose(self)

    def tanh(self) -> Array:
        return self.map(sp.tanh)

    def softmax(self, dim: int) -> Array:
        """exp of each entry over the sum of the exps along ``dim``: each
        row for ``dim`` -1 or 1, each column for 0 or -2 (2-D only)."""
        if self.ndim != 2:
            raise ShapeError(f"softmax of a {self.ndim}-D array")
        if dim % 2 == 0:
            return self.T.softmax(dim=-1).T
        cols = self.shape[1]
        out: list[sp.Expr] = []
        for start in range(0, len(self.entries), cols):
            exps = [sp.exp(e) for e in self.entries[start : start + cols]]
            total = sp.Add(*exps)
            out.extend(e / total for e in exps)
        return Array(self.shape, tuple(out))

    def reshape(self, *shape: int) -> Array:
        """``reshape(-1, 1)``: the entries as one column."""
        if shape != (-1, 1):
            raise ShapeError(f"Array reshapes to (-1, 1) only, not {shape}")
        return Array((len(self.entries), 1), self.entries)


def _size(shape: tuple[int, ...]) -> int:
    size = 1
    for n in shape:
        size *= n
    return size


def scalar(value) -> Array:
    """A 0-D array."""
    return Array((), (sp.sympify(value),))


def as_array(value) -> Array:
    """``value`` if an :class:`Array`, else a number as a 0-D one."""
    return value if isinstance(value, Array) else scalar(value)


def from_matrix(m: sp.MatrixBase) -> Array:
    """A 2-D array with the entries of a SymPy matrix."""
    return Array(tuple(m.shape), tuple(m))


def vector(entries) -> Array:
    """A 1-D array."""
    entries = tuple(entries)
    return Array((len(entries),), entries)


def ones(shape: tuple[int, ...]) -> Array:
    """An array of ones, as NumPy's ``ones``."""
    return Array(shape, (sp.Integer(1),) * _size(shape))


def broadcast_shape(a: tuple, b: tuple) -> tuple[int, ...] | None:
    """NumPy's broadcast of two shapes, or None if they do not broadcast."""
    out = []
    for m, n in itertools.zip_longest(reversed(a), reversed(b), fillvalue=1):
        if m != n and 1 not in (m, n):
            return None
        out.append(max(m, n))
    return tuple(reversed(out))


def _expand_index(index: tuple, shape: tuple) -> tuple:
    """The index into an operand of ``shape`` broadcast to len(index) dims."""
    index = index[len(index) - len(shape) :]
    return tuple(0 if n == 1 else i for i, n in zip(index, shape))


def entrywise(
    op: Callable[[sp.Expr, sp.Expr], sp.Expr], a: Array, b: Array
) -> Array:
    """op(a, b) entry by entry after broadcasting; ShapeError if impossible."""
    shape = broadcast_shape(a.shape, b.shape)
    if shape is None:
        raise ShapeError("shapes do not broadcast")
    out = []
    for index in itertools.product(*(range(n) for n in shape)):
        out.append(
            op(
                a.at(_expand_index(index, a.shape)),
                b.at(_expand_index(index, b.shape)),
            )
        )
    return Array(shape, tuple(out))


def transpose(a: Array) -> Array:
    """``a.T``: reverses the axes (a 0-D or 1-D array is unchanged)."""
    if a.ndim < 2:
        return a
    rows, cols = a.shape
    entries = tuple(a.at((i, j)) for j in range(cols) for i in range(rows))
    return Array((cols, rows), entries)


def matmul(a: Array, b: Array) -> Array:
    """``a @ b`` with NumPy's rules for 1-D operands; no 0-D operand."""
    if a.ndim == 0 or b.ndim == 0:
        raise ShapeError("@ does not take a number (use * to scale)")
    left = a if a.ndim == 2 else Array((1, a.shape[0]), a.entries)
    right = b if b.ndim == 2 else Array((b.shape[0], 1), b.entries)
    if left.shape[1] != right.shape[0]:
        raise ShapeError("inner sizes differ")
    rows, inner, cols = left.shape[0], left.shape[1], right.shape[1]
    entries = tuple(
        sp.Add(*(left.at((i, k)) * right.at((k, j)) for k in range(inner)))
        for i in range(rows)
        for j in range(cols)
    )
    product = Array((rows, cols), entries)
    if a.ndim == 1 and b.ndim == 1:
        return Array((), entries)
    if a.ndim == 1:
        return Array((cols,), entries)
    if b.ndim == 1:
        return Array((rows,), entries)
    return product


def total(a: Array, axis: int | None = None, keepdims: bool = False) -> Array:
    """NumPy's ``sum(a, axis=..., keepdims=...)``."""
    if axis is None:
        s = sp.Add(*a.entries)
        shape = (1,) * a.ndim if keepdims else ()
        return Array(shape, (s,))
    if a.ndim == 0 and axis in (0, -1):  # as NumPy does
        return a
    if a.ndim == 0 or not -a.ndim <= axis < a.ndim:
        raise ShapeError(f"axis {axis} does not exist for this array")
    axis %= a.ndim
    if a.ndim == 1:
        return Array((1,) if keepdims else (), (sp.Add(*a.entries),))
    rows, cols = a.shape
    if axis == 0:
        sums = [
            sp.Add(*(a.at((i, j)) for i in range(rows))) for j in range(cols)
        ]
        shape = (1, cols) if keepdims else (cols,)
    else:
        sums = [
            sp.Add(*(a.at((i, j)) for j in range(cols))) for i in range(rows)
        ]
        shape = (rows, 1) if keepdims else (rows,)
    return Array(shape, tuple(sums))

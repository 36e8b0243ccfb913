"""The functions of a formula: tanh, exp, log, sum, ones, NumPy's dot,
matmul, transpose and outer, with or without np. (a part of
:class:`~.expression.Interpreter`)."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import Any

import sympy as sp

from nnintro.answers import arrays
from nnintro.answers.arrays import Array, ShapeError
from nnintro.answers.messages import (
    HINTS,
    FormulaError,
    FormulaShapeError,
    shape_message,
)

MAX_EXPONENT = 8  # |p| in a ** p
FUNCTIONS = ("tanh", "exp", "log", "sum", "ones")
# NumPy's names for the same operations, accepted too (np.dot(a, b)).
PRODUCTS = ("dot", "matmul")
NUMPY = ("np", "numpy")
ELEMENTWISE = {"tanh": sp.tanh, "exp": sp.exp, "log": sp.log}


class Calls:
    """Calls of functions, for the interpreter (which has visit, part,
    names, known, size_names, used and dims)."""

    names: Mapping[str, Array]
    known: tuple[str, ...]
    size_names: tuple[str, ...]
    used: set[str]
    dims: dict[int, str]

    def visit(self, node: ast.AST) -> Array:
        raise NotImplementedError  # the interpreter's

    def part(self, node: ast.AST) -> str:
        raise NotImplementedError  # the interpreter's

    def visit_Call(self, node: ast.Call) -> Array:
        func = node.func
        if any(isinstance(a, ast.Starred) for a in node.args) or any(
            k.arg is None for k in node.keywords
        ):
            raise FormulaError(f"`{self.part(node)}`: no * or ** arguments")
        if isinstance(func, ast.Attribute):
            return self.attribute_call(node, func)
        if isinstance(func, ast.Constant):
            raise FormulaError(
                f"`{self.part(node)}`: an operator is missing before the "
                f"bracket: write `{self.part(func)} * (...)`"
            )
        if not isinstance(func, ast.Name):
            raise FormulaError(
                f"`{self.part(node)}`: an operator is missing before the "
                f"bracket: write `{self.part(func)} * (...)` or "
                f"`{self.part(func)} @ (...)`"
            )
        return self.call(node, func.id)

    def attribute_call(self, node: ast.Call, func: ast.Attribute) -> Array:
        """np.tanh(...), np.dot(a, b), A.transpose(), a.dot(b)."""
        owner = func.value
        if isinstance(owner, ast.Name) and owner.id in NUMPY:
            return self.call(node, func.attr, prefix=f"{owner.id}.")
        if func.attr == "transpose" and not node.args and not node.keywords:
            return arrays.transpose(self.visit(owner))
        if func.attr == "dot" and len(node.args) == 1 and not node.keywords:
            return self.product(node, owner, node.args[0])
        if isinstance(owner, ast.Name) and owner.id in HINTS:
            raise FormulaError(
                f"`{self.part(func)}`: {HINTS.get(func.attr, HINTS[owner.id])}"
            )
        if func.attr in FUNCTIONS:
            raise FormulaError(
                f"`{self.part(node)}`: write {func.attr}("
                f"{self.part(owner)}) instead of the method"
            )
        raise FormulaError(
            f"`{self.part(node)}`: methods are not accepted; the "
            "functions are tanh, exp, log, sum, ones"
        )

    def call(self, node: ast.Call, name: str, prefix: str = "") -> Array:
        if name in PRODUCTS:
            if len(node.args) != 2 or node.keywords:
                raise FormulaError(f"{prefix}{name} takes two arrays")
            return self.product(node, *node.args)
        if name == "transpose":
            if len(node.args) != 1 or node.keywords:
                raise FormulaError(f"{prefix}transpose takes one array")
            return arrays.transpose(self.visit(node.args[0]))
        if name == "outer" and prefix:
            if len(node.args) != 2 or node.keywords:
                raise FormulaError(f"{prefix}outer takes two arrays")
            u, v = (self.visit(a) for a in node.args)
            column = Array((len(u.entries), 1), u.entries)
            row = Array((1, len(v.entries)), v.entries)
            return arrays.matmul(column, row)
        if name not in FUNCTIONS:
            if name in self.names or name in self.known:
                raise FormulaError(
                    f"`{self.part(node)}`: an operator is missing after "
                    f"`{name}`: write `{name} @ (...)` or `{name} * (...)`"
                )
            suggestion = HINTS.get(name)
            known = "tanh, exp, log, sum and ones"
            raise FormulaError(
                f"unknown function `{prefix}{name}`"
                + (
                    f": {suggestion}"
                    if suggestion
                    else f"; the functions are {known}"
                )
            )
        if name in ELEMENTWISE:
            return self.elementwise(node, name)
        if name == "sum":
            return self.sum(node)
        return self.ones(node)

    def product(self, node: ast.Call, a: ast.AST, b: ast.AST) -> Array:
        """NumPy's dot: the matrix product, or a scaling by a number."""
        left, right = self.visit(a), self.visit(b)
        try:
            if left.ndim == 0 or right.ndim == 0:
                return arrays.entrywise(lambda x, y: x * y, left, right)
            return arrays.matmul(left, right)
        except ShapeError as error:
            raise FormulaShapeError(
                self.part(node),
                shape_message(ast.MatMult, left, right, error, self.dims),
            ) from None

    def elementwise(self, node: ast.Call, name: str) -> Array:
        if len(node.args) != 1 or node.keywords:
            raise FormulaError(f"{name} takes one argument: {name}(...)")
        return self.visit(node.args[0]).map(ELEMENTWISE[name])

    def sum(self, node: ast.Call) -> Array:
        if len(node.args) not in (1, 2):
            raise FormulaError(
                "sum takes one array: sum(A), sum(A, axis=0) or sum(A, axis=1)"
            )
        options: dict[str, Any] = {"axis": None, "keepdims": False}
        keywords = list(node.keywords)
        if len(node.args) == 2:  # NumPy's positional axis, sum(A, 0)
            if any(k.arg == "axis" for k in keywords):
                raise FormulaError("sum: the axis is given twice")
            keywords.append(ast.keyword(arg="axis", value=node.args[1]))
        for keyword in keywords:
            if keyword.arg not in options:
                raise FormulaError(
                    f"sum accepts axis= and keepdims=, not {keyword.arg}="
                )
            value = keyword.value
            if keyword.arg == "axis":
                axis = small_integer(value)
                if axis not in (0, 1, -1, -2) and not _is_none(value):
                    raise FormulaError("axis must be 0 or 1 (or -1)")
                options["axis"] = axis
            elif isinstance(value, ast.Constant) and isinstance(
                value.value, bool
            ):
                options["keepdims"] = value.value
            else:
                raise FormulaError("keepdims must be True or False")
        array = self.visit(node.args[0])
        try:
            return arrays.total(array, options["axis"], options["keepdims"])
        except ShapeError as error:
            raise FormulaShapeError(self.part(node), str(error)) from None

    def ones(self, node: ast.Call) -> Array:
        usage = self.ones_usage()
        if len(node.args) != 1 or node.keywords:
            raise FormulaError(f"ones takes one size: {usage}")
        arg = node.args[0]
        parts = arg.elts if isinstance(arg, ast.Tuple) else [arg]
        if isinstance(arg, ast.Tuple) and len(parts) not in (1, 2):
            raise FormulaError(f"ones takes one or two sizes: {usage}")
        shape = []
        for part in parts:
            if isinstance(part, ast.Name) and part.id in self.size_names:
                self.used.add(part.id)
                shape.append(int(self.names[part.id].entries[0]))
            elif isinstance(part, ast.Constant) and part.value == 1:
                shape.append(1)
            else:
                raise FormulaError(
                    f"`{self.part(part)}` is not a size ones accepts: {usage}"
                )
        return arrays.ones(tuple(shape))

    def ones_usage(self) -> str:
        if not self.size_names:
            return "ones is not needed in this form (a number broadcasts)"
        n = self.size_names[0]
        return f"ones({n}), ones(({n}, 1)) or ones((1, {n}))"


def small_integer(node: ast.AST) -> int | None:
    """The value of a literal whole number |p| <= MAX_EXPONENT, or None."""
    sign = 1
    if isinstance(node, ast.UnaryOp) and isinstance(
        node.op, ast.USub | ast.UAdd
    ):
        sign = -1 if isinstance(node.op, ast.USub) else 1
        node = node.operand
    if not isinstance(node, ast.Constant) or isinstance(node.value, bool):
        return None
    value = node.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or abs(value) > MAX_EXPONENT:
        return None
    return sign * value


def _is_none(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is None

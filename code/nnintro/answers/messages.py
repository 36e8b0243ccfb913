"""The messages of :mod:`.expression`: refused constructs, ^, shapes, and
what students type from other habits."""

from __future__ import annotations

import ast
from collections.abc import Mapping

from nnintro.answers.arrays import Array

_SYMBOL = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}

# What students type from other habits, and what to write instead.
HINTS = {
    "np": "NumPy's tanh, exp, log, sum, ones, dot, matmul, transpose "
    "and outer are accepted",
    "numpy": "NumPy's tanh, exp, log, sum, ones, dot, matmul, transpose "
    "and outer are accepted",
    "torch": "write the formula with NumPy's operators, without torch.",
    "outer": "write the outer product u v^T as u @ v.T",
    "mean": "write the mean as sum(...) / N",
    "softmax": "write the SoftMax output as yhat (or Yhat)",
    "sigma": "the hidden layer is tanh",
    "sqrt": "write a power with **",
}


def caret(part: str, node: ast.BinOp) -> str:
    """What ^ was meant for, and how to write it."""
    right = node.right
    if isinstance(right, ast.Name) and right.id == "T":
        base = ast.unparse(node.left)
        return (
            f"`{part}`: ^ is not a power or a transpose here; write the "
            f"transpose as {base}.T"
        )
    if isinstance(right, ast.Constant):
        base = ast.unparse(node.left)
        return (
            f"`{part}`: ^ is not a power in Python; write {base}**"
            f"{ast.unparse(right)}"
        )
    return (
        f"`{part}`: ^ is not accepted; write a power with ** and a "
        "transpose with .T"
    )


def refusal(node: ast.AST, part: str) -> str:
    """Why a construct is refused, in the student's words."""
    kind = {
        ast.Lambda: "a lambda",
        ast.ListComp: "a comprehension",
        ast.SetComp: "a comprehension",
        ast.DictComp: "a comprehension",
        ast.GeneratorExp: "a comprehension",
        ast.Subscript: "indexing",
        ast.Compare: "a comparison",
        ast.BoolOp: "and/or",
        ast.IfExp: "if/else",
        ast.List: "a list",
        ast.Tuple: "a tuple",
        ast.Dict: "a dictionary",
        ast.Set: "a set",
        ast.NamedExpr: "an assignment",
        ast.JoinedStr: "a string",
        ast.Starred: "unpacking",
        ast.Await: "await",
        ast.Yield: "yield",
        ast.YieldFrom: "yield",
    }.get(type(node))
    if kind is None and isinstance(node, ast.BinOp | ast.UnaryOp):
        op = type(node.op).__name__
        kind = f"the operator {op}"
    kind = kind or type(node).__name__
    extra = ""
    if isinstance(node, ast.Subscript):
        extra = (
            "; only the one-example answers of Q16 and Q17 accept an "
            "entry with letters as indices, delta_y[i] * h[j]; here write "
            "the whole vector or matrix"
        )
    return (
        f"`{part}`: {kind} is not accepted{extra}. A formula uses names, "
        "numbers, + - * / ** @, .T and tanh, exp, log, sum, ones"
    )


def shape_text(shape: tuple[int, ...], dims: Mapping[int, str]) -> str:
    """A shape in the book's size names, e.g. 'n_y x n_h' or 'a number'."""
    if not shape:
        return "a number"
    words = [dims.get(n, str(n)) for n in shape]
    if len(words) == 1:
        return f"a 1-D vector of {words[0]}"
    return " x ".join(words)


def shape_message(op, left: Array, right: Array, error, dims) -> str:
    a, b = shape_text(left.shape, dims), shape_text(right.shape, dims)
    if op is ast.MatMult:
        if "number" in str(error):
            return f"@ multiplies arrays, not numbers ({a} @ {b}); use *"
        return (
            f"{a} @ {b}: the inner sizes differ, so the matrix product "
            "is not defined"
        )
    return (
        f"{a} {_SYMBOL[op]} {b}: these shapes do not broadcast "
        "(NumPy would raise an error)"
    )


class FormulaError(ValueError):
    """A formula that cannot be read: syntax, unknown name, construct."""


class FormulaShapeError(ValueError):
    """A part of the formula whose shapes NumPy would refuse."""

    def __init__(self, part: str, message: str):
        super().__init__(f"`{part}`: {message}")
        self.part = part
        self.message = message

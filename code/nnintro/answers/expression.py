"""Read a student's formula: parse it with ``ast``, allow a small language.

Nothing is ever evaluated as Python. The text is parsed into a syntax
tree, every node is checked against the accepted language (names,
numbers, ``+ - * / ** @``, ``.T`` and the functions ``tanh exp log sum
ones``), and the tree is then interpreted on :class:`~.arrays.Array`
values. What is not accepted raises :class:`FormulaError` with a message
for the student; a product of mismatched shapes raises
:class:`~.arrays.ShapeError` naming the part of the formula at fault.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Mapping

import sympy as sp

from nnintro.answers import arrays, syntax
from nnintro.answers.arrays import Array, ShapeError
from nnintro.answers.calls import (
    FUNCTIONS,
    MAX_EXPONENT,
    NUMPY,
    PRODUCTS,
    Calls,
    small_integer,
)
from nnintro.answers.messages import (
    HINTS,
    FormulaError,
    FormulaShapeError,
    caret,
    refusal,
    shape_message,
    shape_text,
)

MAX_LENGTH = 300  # characters
MAX_NODES = 200  # nodes of the syntax tree
MAX_NUMBER = 10**6  # largest number written in a formula


def where_in(text: str, error: SyntaxError) -> str:
    """Where Python's parser stopped: the character and the text before it.

    Past the last character (offset 0 in ``eval`` mode), the formula ends
    too early, and the words say so.
    """
    lines = text.splitlines() or [""]
    number = min(max(error.lineno or 1, 1), len(lines))
    line = lines[number - 1].rstrip()
    of_line = f" of line {number}" if len(lines) > 1 else ""
    column = error.offset or 0
    if not line.strip():
        return ""
    if not 1 <= column <= len(line):
        return f" at the end{of_line}, after `{line.strip()}`"
    before = line[: column - 1].strip()
    after = f", after `{before}`" if before else ""
    return f" at character {column}{of_line} (`{line[column - 1]}`){after}"


def parse(text: str) -> ast.Expression:
    """The syntax tree of a formula, or FormulaError."""
    text = text.replace("\u2212", "-").strip()
    if not text:
        raise FormulaError("the formula is empty")
    if len(text) > MAX_LENGTH:
        raise FormulaError(
            f"the formula is {len(text)} characters long; "
            f"at most {MAX_LENGTH} are accepted"
        )
    message = syntax.before_parsing(text)
    if message:
        raise FormulaError(message)
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        if "=" in text.split("(")[0]:
            raise FormulaError(
                "write only the right-hand side, without `=` "
                "(for example `delta_y @ h.T`)"
            ) from None
        missing = syntax.missing_operator(text)
        if missing:
            raise FormulaError(missing) from None
        raise FormulaError(
            f"syntax error{where_in(text, error)}: {error.msg}"
        ) from None
    except (ValueError, RecursionError, MemoryError) as error:
        raise FormulaError(f"the formula cannot be read ({error})") from None
    if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
        raise FormulaError("the formula is too long")
    return tree


class Interpreter(Calls):
    """Evaluate a parsed formula on named arrays, allowing only the language.

    ``names`` maps each accepted name to its value; ``refused`` maps names
    that exist but are not allowed here to the reason; ``size_names`` are
    the names that ``ones`` accepts as a size.
    """

    def __init__(
        self,
        text: str,
        names: Mapping[str, Array],
        refused: Mapping[str, str] | None = None,
        size_names: tuple[str, ...] = (),
        known: tuple[str, ...] = (),
        dims: Mapping[int, str] | None = None,
    ):
        self.text = text.replace("\u2212", "-").strip()
        self.names = names
        self.refused = dict(refused or {})
        self.size_names = size_names
        self.known = known or tuple(names)
        self.dims = dict(dims or {})
        self.used: set[str] = set()

    def part(self, node: ast.AST) -> str:
        """The source text of a node, as the student typed it."""
        return ast.get_source_segment(self.text, node) or ast.unparse(node)

    def evaluate(self) -> Array:
        tree = parse(self.text)
        return self.visit(tree.body)

    def visit(self, node: ast.AST) -> Array:
        handler = getattr(self, f"visit_{type(node).__name__}", None)
        if handler is None:
            raise FormulaError(refusal(node, self.part(node)))
        return handler(node)

    # --- leaves ---------------------------------------------------------

    def visit_Constant(self, node: ast.Constant) -> Array:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise FormulaError(
                f"`{self.part(node)}` is not a number; only numbers, names, "
                "operators and the functions tanh, exp, log, sum, ones are "
                "accepted"
            )
        if abs(value) > MAX_NUMBER:
            raise FormulaError(f"the number {self.part(node)} is too large")
        return arrays.scalar(sp.nsimplify(value, rational=True))

    def visit_Name(self, node: ast.Name) -> Array:
        name = node.id
        if name in self.names:
            self.used.add(name)
            return self.names[name]
        if name in self.refused:
            raise FormulaError(self.refused[name])
        if name in FUNCTIONS:
            raise FormulaError(f"`{name}` is a function: write {name}(...)")
        raise FormulaError(self.unknown(name))

    def unknown(self, name: str) -> str:
        message = f"unknown name `{name}`"
        if name in HINTS:
            return f"{message}: {HINTS[name]}"
        squashed = {k.replace("_", "").lower(): k for k in self.known}
        key = name.replace("_", "").lower()
        guess = squashed.get(key) or next(
            iter(difflib.get_close_matches(name, self.known, n=1)), None
        )
        if guess:
            return f"{message}; did you mean `{guess}`?"
        return f"{message}; the names here are {', '.join(self.known)}"

    # --- operators ------------------------------------------------------

    def visit_UnaryOp(self, node: ast.UnaryOp) -> Array:
        operand = self.visit(node.operand)
        if isinstance(node.op, ast.USub):
            return operand.map(lambda e: -e)
        if isinstance(node.op, ast.UAdd):
            return operand
        raise FormulaError(refusal(node, self.part(node)))

    def visit_BinOp(self, node: ast.BinOp) -> Array:
        op = type(node.op)
        if op is ast.Pow:
            return self.power(node)
        if op is ast.BitXor:
            raise FormulaError(caret(self.part(node), node))
        if op not in _BINARY and op is not ast.MatMult:
            raise FormulaError(refusal(node, self.part(node)))
        left, right = self.visit(node.left), self.visit(node.right)
        try:
            if op is ast.MatMult:
                return arrays.matmul(left, right)
            return arrays.entrywise(_BINARY[op], left, right)
        except ShapeError as error:
            raise FormulaShapeError(
                self.part(node),
                shape_message(op, left, right, error, self.dims),
            ) from None

    def power(self, node: ast.BinOp) -> Array:
        exponent = small_integer(node.right)
        if exponent is None:
            raise FormulaError(
                f"in `{self.part(node)}` the exponent must be a whole number "
                f"between -{MAX_EXPONENT} and {MAX_EXPONENT}, written as a "
                "number (for example h**2)"
            )
        base = self.visit(node.left)
        for entry in base.entries:
            _check_growth(entry, exponent, self.part(node))
        return base.map(lambda e: e**exponent)

    def visit_Attribute(self, node: ast.Attribute) -> Array:
        if node.attr != "T":
            if isinstance(node.value, ast.Name) and node.value.id in HINTS:
                raise FormulaError(
                    f"`{self.part(node)}`: {HINTS[node.value.id]}"
                )
            raise FormulaError(
                f"`{self.part(node)}`: the only attribute accepted is .T "
                "(the transpose)"
            )
        return arrays.transpose(self.visit(node.value))


_BINARY = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


def _check_growth(entry: sp.Expr, exponent: int, part: str) -> None:
    """Refuse powers that would make SymPy compute enormous numbers."""
    powers = [p.exp for p in entry.atoms(sp.Pow) if p.exp.is_Integer]
    highest = max([1, *(abs(int(p)) for p in powers)])
    numbers = [abs(n) for n in entry.atoms(sp.Rational)]
    big = any(n.p > MAX_NUMBER or n.q > MAX_NUMBER for n in numbers)
    if highest * abs(exponent) > MAX_EXPONENT**2 or (big and exponent != 1):
        raise FormulaError(
            f"`{part}`: the powers in the formula grow too large"
        )


__all__ = [
    "FUNCTIONS",
    "MAX_EXPONENT",
    "NUMPY",
    "PRODUCTS",
    "FormulaError",
    "FormulaShapeError",
    "Interpreter",
    "parse",
    "shape_text",
]

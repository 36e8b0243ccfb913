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
from typing import Any

import sympy as sp

from nnintro.answers import arrays, syntax
from nnintro.answers.arrays import Array, ShapeError

MAX_LENGTH = 300  # characters
MAX_NODES = 200  # nodes of the syntax tree
MAX_EXPONENT = 8  # |p| in a ** p
MAX_NUMBER = 10**6  # largest number written in a formula

FUNCTIONS = ("tanh", "exp", "log", "sum", "ones")
# NumPy's names for the same operations, accepted too (np.dot(a, b)).
PRODUCTS = ("dot", "matmul")
NUMPY = ("np", "numpy")
ELEMENTWISE = {"tanh": sp.tanh, "exp": sp.exp, "log": sp.log}
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


class FormulaError(ValueError):
    """A formula that cannot be read: syntax, unknown name, construct."""


class FormulaShapeError(ValueError):
    """A part of the formula whose shapes NumPy would refuse."""

    def __init__(self, part: str, message: str):
        super().__init__(f"`{part}`: {message}")
        self.part = part
        self.message = message


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
        where = f" at character {error.offset}" if error.offset else ""
        raise FormulaError(f"syntax error{where}: {error.msg}") from None
    except (ValueError, RecursionError, MemoryError) as error:
        raise FormulaError(f"the formula cannot be read ({error})") from None
    if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
        raise FormulaError("the formula is too long")
    return tree


class Interpreter:
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
            raise FormulaError(_refusal(node, self.part(node)))
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
        raise FormulaError(_refusal(node, self.part(node)))

    def visit_BinOp(self, node: ast.BinOp) -> Array:
        op = type(node.op)
        if op is ast.Pow:
            return self.power(node)
        if op is ast.BitXor:
            raise FormulaError(_caret(self.part(node), node))
        if op not in _BINARY and op is not ast.MatMult:
            raise FormulaError(_refusal(node, self.part(node)))
        left, right = self.visit(node.left), self.visit(node.right)
        try:
            if op is ast.MatMult:
                return arrays.matmul(left, right)
            return arrays.entrywise(_BINARY[op], left, right)
        except ShapeError as error:
            raise FormulaShapeError(
                self.part(node),
                _shape_message(op, left, right, error, self.dims),
            ) from None

    def power(self, node: ast.BinOp) -> Array:
        exponent = _small_integer(node.right)
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

    # --- functions ------------------------------------------------------

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
                _shape_message(ast.MatMult, left, right, error, self.dims),
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
                axis = _small_integer(value)
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


_BINARY = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}
_SYMBOL = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


def _small_integer(node: ast.AST) -> int | None:
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


def _caret(part: str, node: ast.BinOp) -> str:
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


def _is_none(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _refusal(node: ast.AST, part: str) -> str:
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


def _shape_message(op, left: Array, right: Array, error, dims) -> str:
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

"""The formula as the checker read it, in LaTeX with the book's symbols.

Shown under the box before the verdict, so that the reading of
``-h**2`` or ``a @ b * c`` is visible: the matrix product is written as
juxtaposition, ``*`` as the entrywise product ⊙, ``.T`` as ⊤, and a
product of both kinds is bracketed as Python groups it.
"""

from __future__ import annotations

import ast

SYMBOLS = {
    "x": "x", "h": "h", "y": "y", "X": "X", "H": "H", "Y": "Y", "N": "N",
    "htilde": r"\tilde h", "Htilde": r"\tilde H",
    "ytilde": r"\tilde y", "yhat": r"\hat y", "Yhat": r"\hat Y",
    "Wh": "W_h", "Wy": "W_y", "bh": "b_h", "by": "b_y",
    "delta_y": r"\delta_y", "delta_h": r"\delta_h",
    "Delta_y": r"\Delta_y", "Delta_h": r"\Delta_h",
}  # fmt: skip
FUNCTIONS = {"tanh": r"\tanh", "exp": r"\exp", "log": r"\log"}

# Binding strength: higher binds tighter (Python's grouping).
_ADD, _MUL, _UNARY, _POW, _ATOM = 1, 2, 3, 4, 5


def _name(text: str) -> str:
    if text in SYMBOLS:
        return SYMBOLS[text]
    if len(text) == 1 and text.isalpha():
        return text
    safe = "".join(c if c.isalnum() else " " for c in text).split()
    word = r"\_".join(safe) or "?"
    return rf"\mathrm{{{word}}}"


def latex(node: ast.AST) -> str:
    """LaTeX of a parsed formula (an expression node)."""
    return _Echo().show(node)[0]


def _is_number(node: ast.AST) -> bool:
    return (isinstance(node, ast.Constant)) or (
        isinstance(node, ast.Name) and node.id == "N"
    )


def _is_entry(node: ast.AST) -> bool:
    """An entry a[i] or a sum_k(...) (a number of the entry form)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        return _is_entry(node.left) or _is_entry(node.right)
    return isinstance(node, ast.Subscript) or (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id.startswith("sum_")
    )


class _Echo:
    def show(self, node: ast.AST) -> tuple[str, int]:
        handler = getattr(self, type(node).__name__, None)
        if handler is None:
            return r"\text{?}", _ATOM
        return handler(node)

    def wrapped(self, node: ast.AST, strength: int) -> str:
        text, own = self.show(node)
        return rf"\left({text}\right)" if own < strength else text

    def Name(self, node: ast.Name):  # noqa: N802
        return _name(node.id), _ATOM

    def Constant(self, node: ast.Constant):  # noqa: N802
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            return r"\text{?}", _ATOM
        text = repr(value)
        if "e" in text:
            mantissa, power = text.split("e")
            text = rf"{mantissa} \times 10^{{{int(power)}}}"
        return text, _ATOM

    def UnaryOp(self, node: ast.UnaryOp):  # noqa: N802
        sign = "-" if isinstance(node.op, ast.USub) else "+"
        return sign + self.wrapped(node.operand, _UNARY), _UNARY

    def BinOp(self, node: ast.BinOp):  # noqa: N802
        op = node.op
        if isinstance(op, ast.Pow):
            base = self.wrapped(node.left, _POW + 1)
            return f"{base}^{{{self.show(node.right)[0]}}}", _POW
        if isinstance(op, ast.Div):
            top, bottom = self.show(node.left)[0], self.show(node.right)[0]
            return rf"\frac{{{top}}}{{{bottom}}}", _ATOM
        if isinstance(op, ast.Add | ast.Sub):
            sign = "+" if isinstance(op, ast.Add) else "-"
            left = self.wrapped(node.left, _ADD)
            right = self.wrapped(node.right, _ADD + 1)
            return f"{left} {sign} {right}", _ADD
        if isinstance(op, ast.MatMult | ast.Mult):
            left = self.factor(node.left, op)
            right = self.factor(node.right, op, right=True)
            joint = r"\," if isinstance(op, ast.MatMult) else r" \odot "
            if isinstance(op, ast.Mult) and any(
                _is_number(n) for n in (node.left, node.right)
            ):
                joint = r" \cdot "
            if isinstance(op, ast.Mult) and any(
                _is_entry(n) for n in (node.left, node.right)
            ):
                joint = r"\,"  # numbers: a product of entries
            return f"{left}{joint}{right}", _MUL
        return r"\text{?}", _ATOM

    def factor(self, node: ast.AST, op, right: bool = False) -> str:
        """An operand of a product; a product of the other kind (or one to
        the right) is bracketed, so the grouping is visible."""
        if isinstance(node, ast.BinOp) and isinstance(
            node.op, ast.MatMult | ast.Mult
        ):
            if right or type(node.op) is not type(op):
                return rf"\left({self.show(node)[0]}\right)"
        return self.wrapped(node, _MUL)

    def Attribute(self, node: ast.Attribute):  # noqa: N802
        if node.attr == "T":
            return self.wrapped(node.value, _ATOM) + r"^\top", _POW
        return r"\mathrm{" + node.attr + "}", _ATOM

    def Call(self, node: ast.Call):  # noqa: N802
        name = node.func.id if isinstance(node.func, ast.Name) else ""
        args = [self.show(a)[0] for a in node.args]
        keywords = {k.arg: k.value for k in node.keywords}
        inner = args[0] if args else ""
        if name in FUNCTIONS:
            return rf"{FUNCTIONS[name]}\left({inner}\right)", _ATOM
        if name == "sum":
            axis = keywords.get(
                "axis", node.args[1] if len(args) > 1 else None
            )
            below = ""
            if isinstance(axis, ast.Constant) and axis.value is not None:
                below = r"_{\text{axis }" + str(axis.value) + "}"
            return (
                rf"\operatorname{{sum}}{below}\left({inner}\right)",
                _ATOM,
            )
        if name.startswith("sum_") and len(name) == 5:
            body = self.wrapped(node.args[0], _MUL) if node.args else ""
            return rf"\sum_{{{name[4]}}} {body}", _ADD
        if name == "ones":
            return rf"\mathbf{{1}}_{{{inner}}}", _ATOM
        return rf"{_name(name)}\left({', '.join(args)}\right)", _ATOM

    def Tuple(self, node: ast.Tuple):  # noqa: N802
        return r" \times ".join(self.show(e)[0] for e in node.elts), _ATOM

    def Subscript(self, node: ast.Subscript):  # noqa: N802
        index = node.slice
        parts = index.elts if isinstance(index, ast.Tuple) else [index]
        below = ",".join(self.show(p)[0] for p in parts)
        return f"{{{self.wrapped(node.value, _ATOM)}}}_{{{below}}}", _ATOM

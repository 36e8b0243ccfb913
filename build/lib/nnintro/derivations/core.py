"""The building blocks of every derivation: the Identity verdict and small SymPy helpers."""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp


@dataclass(frozen=True)
class Identity:
    """One verified statement: ``lhs == rhs`` as decided by ``method``; ``holds`` is the verdict."""

    name: str
    label: str  # the equation label in the book
    statement: str  # LaTeX
    method: str
    lhs: sp.Basic
    rhs: sp.Basic
    residual: sp.Basic
    holds: bool

    def require(self) -> Identity:
        """Return self, or raise ``AssertionError`` saying which identity failed and why."""
        if not self.holds:
            raise AssertionError(
                f"identity {self.name!r} (eq. {self.label}) does not hold: "
                f"lhs - rhs simplifies to {self.residual}, not to what the book claims"
            )
        return self


def symbol_vector(name: str, n: int, **assumptions) -> list[sp.Symbol]:
    """Symbols name_1 ... name_n (1-based, as in the book)."""
    return list(sp.symbols(f"{name}_1:{n + 1}", **assumptions))


def softmax_exprs(ytilde: list[sp.Expr]) -> list[sp.Expr]:
    """yhat_i = exp(ytilde_i) / sum_j exp(ytilde_j) as SymPy expressions."""
    total = sum(sp.exp(t) for t in ytilde)
    return [sp.exp(t) / total for t in ytilde]


def cross_entropy_of_softmax(ytilde, y) -> sp.Expr:
    """l = -sum_i y_i log SoftMax(ytilde)_i, with each log expanded."""
    return -sum(
        y_i * sp.expand_log(sp.log(p), force=True) for y_i, p in zip(y, softmax_exprs(ytilde))
    )

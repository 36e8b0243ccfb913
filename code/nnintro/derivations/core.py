"""The proof machinery of every derivation: the Identity verdict, one test of a
residual for zero, and the helpers that differentiate a scalar loss entry by
entry and reduce the difference with a claimed closed form to lowest terms."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp


def is_zero(residual) -> bool:
    """True when a scalar residual is 0,
    or every entry of a matrix residual is."""
    if isinstance(residual, sp.MatrixBase):
        return residual.is_zero_matrix is True
    return residual == 0


@dataclass(frozen=True)
class Identity:
    """One verified statement: ``lhs == rhs`` as decided by ``method``;
    ``holds`` is the verdict."""

    name: str
    label: str  # the equation label in the book
    statement: str  # LaTeX
    method: str
    lhs: sp.Basic
    rhs: sp.Basic
    residual: sp.Basic
    holds: bool

    def verdict(self) -> str:
        """One sentence: what was checked, and the outcome."""
        size = ""
        if isinstance(self.residual, sp.MatrixBase):
            rows, cols = self.residual.shape
            size = f" in every entry ({rows} × {cols})"
        if self.holds:
            return f"holds: lhs − rhs = 0{size}; decided by {self.method}"
        return f"FAILS: lhs − rhs = {self.residual}; decided by {self.method}"

    def _repr_markdown_(self) -> str:
        mark = "✓" if self.holds else "✗"
        return f"{mark} **{self.name}** {self.verdict()}"

    def require(self) -> Identity:
        """Return self, or raise ``AssertionError`` saying which identity
        failed and why."""
        if not self.holds:
            raise AssertionError(
                f"identity {self.name!r} (eq. {self.label}) does not hold: "
                f"lhs - rhs simplifies to {self.residual}, "
                "not to what the book claims"
            )
        return self


def prove(
    name: str,
    label: str,
    statement: str,
    method: str,
    lhs,
    rhs,
    reduce: Callable[[sp.Expr], sp.Expr] = sp.simplify,
) -> Identity:
    """The one way to decide an identity: reduce lhs - rhs
    (entry by entry for matrices) and ask whether the residual is zero."""
    difference = lhs - rhs
    if isinstance(difference, sp.MatrixBase):
        residual = difference.applyfunc(reduce)
    else:
        residual = reduce(difference)
    return Identity(
        name, label, statement, method, lhs, rhs, residual, is_zero(residual)
    )


def symbol_vector(name: str, n: int, **assumptions) -> list[sp.Symbol]:
    """Symbols name_1 ... name_n (1-based, as in the book)."""
    return list(sp.symbols(f"{name}_1:{n + 1}", **assumptions))


def matrix_symbols(name: str, rows: int, cols: int) -> sp.Matrix:
    """A rows x cols matrix of real symbols name_ij (1-based)."""
    return sp.Matrix(
        rows, cols, lambda i, j: sp.Symbol(f"{name}_{i + 1}{j + 1}", real=True)
    )


def gradient_matrix(loss: sp.Expr, wrt: sp.Matrix) -> sp.Matrix:
    """SymPy's derivative of the scalar ``loss`` with respect to each
    entry of ``wrt``."""
    return wrt.applyfunc(lambda v: sp.diff(loss, v))


def atoms_as_symbols(expr: sp.Expr) -> sp.Expr:
    """``expr`` with each tanh(...) and then each exp(...) replaced by
    a fresh symbol.

    An expression that becomes identically 0 after the replacement was
    identically 0 before (substituting the functions back into 0 gives 0); the
    replacement only makes ``cancel`` fast.
    """
    tanhs = sorted(expr.atoms(sp.tanh), key=sp.default_sort_key)
    expr = expr.xreplace({a: sp.Dummy(f"t{i}") for i, a in enumerate(tanhs)})
    exps = sorted(expr.atoms(sp.exp), key=sp.default_sort_key)
    return expr.xreplace(
        {a: sp.Dummy(f"e{i}", positive=True) for i, a in enumerate(exps)}
    )


def entrywise_residual(
    derivative: sp.Matrix, claimed, on_simplex: dict
) -> sp.Matrix:
    """derivative - claimed, entry by entry, on the simplex,
    reduced to lowest terms.

    Each entry is a rational function of the symbols, the exponentials and the
    tanh's; ``cancel`` brings it to lowest terms, so an entry that comes out 0
    is identically 0 (a proof, not a sample). ``on_simplex`` maps symbols to
    expressions free of them, so ``xreplace`` is ``subs``, only faster.
    """
    return (derivative - sp.Matrix(claimed)).applyfunc(
        lambda e: sp.cancel(
            atoms_as_symbols(sp.expand_log(e.xreplace(on_simplex), force=True))
        )
    )


def gradient_identity(
    name, label, statement, derivative, claimed, on_simplex, method
):
    claimed = sp.Matrix(claimed)
    if (
        claimed.shape != derivative.shape
    ):  # a gradient has the shape of its variable
        mismatch = sp.Symbol(
            f"shape_{claimed.shape}_instead_of_{derivative.shape}"
        )
        return Identity(
            name,
            label,
            statement,
            method,
            derivative,
            claimed,
            mismatch,
            False,
        )
    residual = entrywise_residual(derivative, claimed, on_simplex)
    return Identity(
        name=name,
        label=label,
        statement=statement,
        method=method,
        lhs=derivative,
        rhs=claimed,
        residual=residual,
        holds=is_zero(residual),
    )

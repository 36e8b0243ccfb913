"""Question 14-17 identities: the SoftMax + cross-entropy simplification and the gradients.

The closed forms claimed by the book are module-level functions (``*_closed_form``), so a test can
replace one with a wrong formula and watch the verdict turn.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from nnintro.derivations.core import (
    Identity,
    cross_entropy_of_softmax,
    softmax_exprs,
    symbol_vector,
)

# --- closed forms the book claims -------------------------------------------------------------


def simplified_cross_entropy_closed_form(ytilde, y) -> sp.Expr:
    """Eq. q14-simplified: l = -sum_i y_i ytilde_i + log sum_j exp(ytilde_j)."""
    return -sum(y_i * t for y_i, t in zip(y, ytilde)) + sp.log(sum(sp.exp(t) for t in ytilde))


def simplification_residual_closed_form(ytilde, y) -> sp.Expr:
    """Eq. q14-residual: CE(SoftMax) - simplified form = (sum_i y_i - 1) log sum_j exp(ytilde_j)."""
    return (sum(y) - 1) * sp.log(sum(sp.exp(t) for t in ytilde))


def grad_ytilde_closed_form(yhat, y) -> list[sp.Expr]:
    """Eq. q15-grad: dl/dytilde = yhat - y (targets summing to 1)."""
    return [p - t for p, t in zip(yhat, y)]


def tanh_derivative_closed_form(x) -> sp.Expr:
    """Eq. tanh-derivative: tanh'(x) = 1 - tanh(x)^2."""
    return 1 - sp.tanh(x) ** 2


# --- identities --------------------------------------------------------------------------------


def softmax_ce_simplification(ny: int = 3) -> Identity:
    """The CE of the SoftMax minus the simplified form equals the claimed residual, exactly."""
    ytilde = symbol_vector("ytilde", ny, real=True)
    y = symbol_vector("y", ny, real=True)
    lhs = cross_entropy_of_softmax(ytilde, y) - simplified_cross_entropy_closed_form(ytilde, y)
    rhs = simplification_residual_closed_form(ytilde, y)
    residual = sp.simplify(lhs - rhs)
    return Identity(
        name=f"softmax-ce-simplification-ny{ny}",
        label="q14-residual",
        statement=r"-\sum_i y_i\log\hat y_i - \Big(-\sum_i y_i\tilde y_i + \log\sum_j e^{\tilde y_j}\Big)"
        r" = \Big(\sum_i y_i - 1\Big)\log\sum_j e^{\tilde y_j}",
        method=f"SymPy simplify(lhs - rhs) == 0, n_y = {ny}, y and ytilde free real symbols",
        lhs=lhs,
        rhs=rhs,
        residual=residual,
        holds=residual == 0,
    )


def softmax_ce_simplification_one_hot(ny: int = 3) -> Identity:
    """For every one-hot target the simplified form equals the CE of the SoftMax exactly."""
    ytilde = symbol_vector("ytilde", ny, real=True)
    residuals = []
    for k in range(ny):
        y = [sp.Integer(int(i == k)) for i in range(ny)]
        diff = cross_entropy_of_softmax(ytilde, y) - simplified_cross_entropy_closed_form(ytilde, y)
        residuals.append(sp.simplify(diff))
    residual = sp.Matrix(residuals)
    return Identity(
        name=f"softmax-ce-one-hot-ny{ny}",
        label="q14-simplified",
        statement=r"-\sum_i y_i\log\hat y_i = -\sum_i y_i\tilde y_i + \log\sum_j e^{\tilde y_j}",
        method=f"SymPy simplify for each of the {ny} one-hot targets",
        lhs=sp.Matrix([0] * ny),
        rhs=sp.Matrix([0] * ny),
        residual=residual,
        holds=all(r == 0 for r in residuals),
    )


def softmax_ce_gradient(ny: int = 3) -> Identity:
    """dl/dytilde_j of CE(SoftMax) equals yhat_j - y_j once the targets sum to 1."""
    ytilde = symbol_vector("ytilde", ny, real=True)
    y = symbol_vector("y", ny, real=True)
    loss = cross_entropy_of_softmax(ytilde, y)
    yhat = softmax_exprs(ytilde)
    derivative = sp.Matrix([sp.diff(loss, t) for t in ytilde])
    claimed = sp.Matrix(grad_ytilde_closed_form(yhat, y))
    # impose sum_i y_i = 1 by eliminating the last target
    on_simplex = {y[-1]: 1 - sum(y[:-1])}
    residual = sp.simplify((derivative - claimed).subs(on_simplex))
    return Identity(
        name=f"softmax-ce-gradient-ny{ny}",
        label="q15-grad",
        statement=r"\frac{\partial \ell}{\partial \tilde y_j} = \hat y_j - y_j",
        method=f"SymPy diff of the scalar loss, n_y = {ny}, targets constrained to sum to 1",
        lhs=derivative,
        rhs=claimed,
        residual=residual,
        holds=residual == sp.zeros(ny, 1),
    )


def tanh_derivative() -> Identity:
    """d tanh(x)/dx = 1 - tanh(x)^2."""
    x = sp.Symbol("x", real=True)
    lhs = sp.diff(sp.tanh(x), x)
    rhs = tanh_derivative_closed_form(x)
    residual = sp.simplify(lhs - rhs)
    return Identity(
        name="tanh-derivative",
        label="tanh-derivative",
        statement=r"\tanh'(x) = 1 - \tanh^2(x)",
        method="SymPy simplify(diff(tanh(x), x) - (1 - tanh(x)**2)) == 0",
        lhs=lhs,
        rhs=rhs,
        residual=residual,
        holds=residual == 0,
    )


#: The identities of this module, in the order of the ledger.
IDENTITIES: dict[str, Callable[[], Identity]] = {
    "softmax-ce-simplification": softmax_ce_simplification,
    "softmax-ce-one-hot": softmax_ce_simplification_one_hot,
    "softmax-ce-gradient": softmax_ce_gradient,
    "tanh-derivative": tanh_derivative,
}

"""Question 14: the cross-entropy of a SoftMax output, simplified to
-sum_i y_i ytilde_i + log sum_j exp(ytilde_j), and what is left over when
the target does not sum to 1.

As in every topic module, each closed form the book claims is a function
``*_closed_form``, and each identity names the ones it needs as keyword
parameters: a test passes a wrong formula there to see the identity fail.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, partial

import sympy as sp

from nnintro.derivations.core import Identity, prove, symbol_vector
from nnintro.derivations.symbolic import cross_entropy_of_softmax

# --- closed forms the book claims --------------------------------------------


def simplified_cross_entropy_closed_form(ytilde, y) -> sp.Expr:
    """Eq. q14-simplified:
    l = -sum_i y_i ytilde_i + log sum_j exp(ytilde_j)."""
    return -sum(y_i * t for y_i, t in zip(y, ytilde)) + sp.log(
        sum(sp.exp(t) for t in ytilde)
    )


def simplification_residual_closed_form(ytilde, y) -> sp.Expr:
    """Eq. q14-residual: CE(SoftMax) - simplified form = (sum_i y_i - 1) log
    sum_j exp(ytilde_j)."""
    return (sum(y) - 1) * sp.log(sum(sp.exp(t) for t in ytilde))


# --- identities --------------------------------------------------------------


@cache
def softmax_ce_simplification(
    ny: int = 3,
    *,
    simplification_residual_closed_form=simplification_residual_closed_form,
    simplified_cross_entropy_closed_form=simplified_cross_entropy_closed_form,
) -> Identity:
    """The CE of the SoftMax minus the simplified form equals the claimed
    residual, exactly."""
    ytilde = symbol_vector("ytilde", ny, real=True)
    y = symbol_vector("y", ny, real=True)
    lhs = cross_entropy_of_softmax(
        ytilde, y
    ) - simplified_cross_entropy_closed_form(ytilde, y)
    rhs = simplification_residual_closed_form(ytilde, y)
    return prove(
        name=f"softmax-ce-simplification-ny{ny}",
        label="q14-residual",
        statement=r"-\sum_i y_i\log\hat y_i - \Big(-\sum_i y_i\tilde y_i + "
        r"\log\sum_j e^{\tilde y_j}\Big)"
        r" = \Big(\sum_i y_i - 1\Big)\log\sum_j e^{\tilde y_j}",
        method=f"SymPy simplify(lhs - rhs) == 0, n_y = {ny}, "
        "y and ytilde free real symbols",
        lhs=lhs,
        rhs=rhs,
    )


@cache
def softmax_ce_simplification_any_ny() -> Identity:
    """Eq. q14-residual for a symbolic number of classes n
    (sums as SymPy ``Sum`` objects).

    S stands for sum_j exp(ytilde_j) > 0;
    log(exp(ytilde_i)/S) = ytilde_i - log S for real ytilde_i.
    """
    n = sp.Symbol("n_y", integer=True, positive=True)
    i = sp.Symbol("i", integer=True, positive=True)
    t, y = sp.IndexedBase("ytilde", real=True), sp.IndexedBase("y", real=True)
    S = sp.Symbol("S", positive=True)
    ce = -sp.Sum(y[i] * sp.log(sp.exp(t[i]) / S), (i, 1, n))
    simplified = -sp.Sum(y[i] * t[i], (i, 1, n)) + sp.log(S)
    lhs = ce - simplified
    rhs = (sp.Sum(y[i], (i, 1, n)) - 1) * sp.log(S)
    return prove(
        name="softmax-ce-simplification-any-ny",
        label="q14-residual",
        statement=r"\text{as above, for a symbolic number of classes } n_y",
        method="SymPy Sum over i = 1..n_y with n_y a symbol: expand_log, "
        "expand, simplify == 0",
        lhs=lhs,
        rhs=rhs,
        reduce=lambda d: sp.simplify(sp.expand(sp.expand_log(d, force=True))),
    )


@cache
def softmax_ce_simplification_one_hot(
    ny: int = 3,
    *,
    simplified_cross_entropy_closed_form=simplified_cross_entropy_closed_form,
) -> Identity:
    """For every one-hot target the simplified form equals the CE of the
    SoftMax exactly."""
    ytilde = symbol_vector("ytilde", ny, real=True)
    residuals = []
    for k in range(ny):
        y = [sp.Integer(int(i == k)) for i in range(ny)]
        diff = cross_entropy_of_softmax(
            ytilde, y
        ) - simplified_cross_entropy_closed_form(ytilde, y)
        residuals.append(sp.simplify(diff))
    residual = sp.Matrix(residuals)
    return Identity(
        name=f"softmax-ce-one-hot-ny{ny}",
        label="q14-simplified",
        statement=r"-\sum_i y_i\log\hat y_i = -\sum_i y_i\tilde y_i + "
        r"\log\sum_j e^{\tilde y_j}",
        method=f"SymPy simplify for each of the {ny} one-hot targets",
        lhs=sp.Matrix([0] * ny),
        rhs=sp.Matrix([0] * ny),
        residual=residual,
        holds=all(r == 0 for r in residuals),
    )


@cache
def softmax_ce_simplification_probability_vector(
    ny: int = 3,
    *,
    simplified_cross_entropy_closed_form=simplified_cross_entropy_closed_form,
) -> Identity:
    """Eq. q14-simplified for any target vector summing to 1
    (e.g. smoothed labels), exactly."""
    ytilde = symbol_vector("ytilde", ny, real=True)
    y = symbol_vector("y", ny, real=True)
    on_simplex = {y[-1]: 1 - sum(y[:-1])}
    lhs = cross_entropy_of_softmax(ytilde, y).subs(on_simplex)
    rhs = simplified_cross_entropy_closed_form(ytilde, y).subs(on_simplex)
    return prove(
        name=f"softmax-ce-probability-targets-ny{ny}",
        label="q14-simplified",
        statement=r"\sum_i y_i = 1 \implies -\sum_i y_i\log\hat y_i"
        r" = -\sum_i y_i\tilde y_i + \log\sum_j e^{\tilde y_j}",
        method=f"SymPy simplify with y_{ny} = 1 - (y_1 + ... + "
        f"y_{ny - 1}), n_y = {ny}",
        lhs=lhs,
        rhs=rhs,
    )


#: Numbers of classes for which eq. q14-residual is proved with
#: explicit symbols.
Q14_CLASS_COUNTS = (2, 3, 4, 5)

#: The identities of this module, in the order of the ledger.
IDENTITIES: dict[str, Callable[[], Identity]] = {
    **{
        f"softmax-ce-simplification-ny{ny}": partial(
            softmax_ce_simplification, ny
        )
        for ny in Q14_CLASS_COUNTS
    },
    "softmax-ce-simplification-any-ny": softmax_ce_simplification_any_ny,
    "softmax-ce-one-hot": softmax_ce_simplification_one_hot,
    "softmax-ce-probability-targets": (
        softmax_ce_simplification_probability_vector
    ),
}

"""Questions 8, 9 and 14: how each loss pushes yhat, its gradient through
SoftMax, and the simplified cross-entropy of a SoftMax output.

Every closed form the book claims is a function ``*_closed_form``, and each
identity below names the ones it needs as keyword parameters: a test passes a
wrong formula there to see the identity fail.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, partial

import numpy as np
import sympy as sp

from nnintro.derivations.core import Identity, prove, symbol_vector
from nnintro.derivations.symbolic import (
    cross_entropy_of_softmax,
    softmax_exprs,
)

# --- the two losses (one example) --------------------------------------------


def cross_entropy(yhat, y) -> sp.Expr:
    """Eq. ce-loss: l = -sum_i y_i log yhat_i."""
    return -sum(y_i * sp.log(p) for y_i, p in zip(y, yhat))


def squared_error(yhat, y) -> sp.Expr:
    """Eq. mse-loss: l = sum_i (yhat_i - y_i)^2."""
    return sum((p - y_i) ** 2 for y_i, p in zip(y, yhat))


# --- closed forms the book claims --------------------------------------------


def ce_grad_yhat_closed_form(yhat, y) -> list[sp.Expr]:
    """Eq. ce-grad-yhat: dl/dyhat_i = -y_i / yhat_i."""
    return [-y_i / p for y_i, p in zip(y, yhat)]


def mse_grad_yhat_closed_form(yhat, y) -> list[sp.Expr]:
    """Eq. mse-grad-yhat: dl/dyhat_i = 2 (yhat_i - y_i)."""
    return [2 * (p - y_i) for y_i, p in zip(y, yhat)]


def mse_grad_logit_closed_form(yhat, y) -> list[sp.Expr]:
    """Eq. mse-grad-logit:
    dl/dytilde_j = 2 yhat_j [(yhat_j - y_j) - sum_i yhat_i (yhat_i - y_i)]."""
    mean_error = sum(p * (p - y_i) for y_i, p in zip(y, yhat))
    return [2 * p * ((p - y_j) - mean_error) for y_j, p in zip(y, yhat)]


def two_class_true_logit_grads_closed_form(z) -> tuple[sp.Expr, sp.Expr]:
    """Eq. loss-two-class-grads: with s = sigma(z),
    CE gives s - 1 and MSE gives -4 s (1 - s)^2."""
    s = 1 / (1 + sp.exp(-z))
    return s - 1, -4 * s * (1 - s) ** 2


def confidently_wrong_limits_closed_form() -> tuple[sp.Expr, sp.Expr]:
    """Eq. loss-confidently-wrong: as z -> -oo the CE gradient tends to -1,
    the MSE one to 0."""
    return sp.Integer(-1), sp.Integer(0)


def gaussian_nll_closed_form(t, mu, sigma) -> sp.Expr:
    """Eq. loss-gaussian-nll:
    -log N(t; mu, sigma^2) = (t - mu)^2 / (2 sigma^2) + log(2 pi sigma^2) / 2.
    """
    return (t - mu) ** 2 / (2 * sigma**2) + sp.log(2 * sp.pi * sigma**2) / 2


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
def ce_grad_yhat(
    ny: int = 3, *, ce_grad_yhat_closed_form=ce_grad_yhat_closed_form
) -> Identity:
    """dl/dyhat_i of the cross-entropy is -y_i / yhat_i
    (yhat free, positive)."""
    yhat = symbol_vector("yhat", ny, positive=True)
    y = symbol_vector("y", ny, real=True)
    loss = cross_entropy(yhat, y)
    lhs = sp.Matrix([sp.diff(loss, p) for p in yhat])
    rhs = sp.Matrix(ce_grad_yhat_closed_form(yhat, y))
    return prove(
        name=f"ce-grad-yhat-ny{ny}",
        label="ce-grad-yhat",
        statement=r"\frac{\partial \ell}{\partial \hat y_i} = "
        r"-\frac{y_i}{\hat y_i}",
        method=f"SymPy diff of the scalar loss, n_y = {ny}, "
        "yhat positive symbols",
        lhs=lhs,
        rhs=rhs,
        reduce=sp.simplify,
    )


@cache
def mse_grad_yhat(
    ny: int = 3, *, mse_grad_yhat_closed_form=mse_grad_yhat_closed_form
) -> Identity:
    """dl/dyhat_i of the squared error is 2 (yhat_i - y_i)."""
    yhat = symbol_vector("yhat", ny, real=True)
    y = symbol_vector("y", ny, real=True)
    loss = squared_error(yhat, y)
    lhs = sp.Matrix([sp.diff(loss, p) for p in yhat])
    rhs = sp.Matrix(mse_grad_yhat_closed_form(yhat, y))
    return prove(
        name=f"mse-grad-yhat-ny{ny}",
        label="mse-grad-yhat",
        statement=r"\frac{\partial \ell}{\partial \hat y_i} = "
        r"2(\hat y_i - y_i)",
        method=f"SymPy diff of the scalar loss, n_y = {ny}",
        lhs=lhs,
        rhs=rhs,
        reduce=sp.simplify,
    )


@cache
def mse_grad_logit(
    ny: int = 3, *, mse_grad_logit_closed_form=mse_grad_logit_closed_form
) -> Identity:
    """The gradient of the squared error of SoftMax(ytilde) with respect
    to the logits."""
    ytilde = symbol_vector("ytilde", ny, real=True)
    y = symbol_vector("y", ny, real=True)
    yhat = softmax_exprs(ytilde)
    loss = squared_error(yhat, y)
    lhs = sp.Matrix([sp.diff(loss, t) for t in ytilde])
    rhs = sp.Matrix(mse_grad_logit_closed_form(yhat, y))
    # both sides are rational in exp(ytilde_i) and y_i:
    # cancel decides zero exactly, and fast
    return prove(
        name=f"mse-grad-logit-ny{ny}",
        label="mse-grad-logit",
        statement=r"\frac{\partial \ell}{\partial \tilde y_j} = "
        r"2\hat y_j\Big[(\hat y_j - y_j)"
        r" - \sum_i \hat y_i(\hat y_i - y_i)\Big]",
        method="SymPy diff of the squared error of the SoftMax, "
        f"then cancel, n_y = {ny}, y free",
        lhs=lhs,
        rhs=rhs,
        reduce=sp.cancel,
    )


def two_class_true_logit(z: sp.Symbol | None = None):
    """Two classes, true class 1, logits (z, 0):
    returns z and the two losses as functions of z."""
    z = sp.Symbol("z", real=True) if z is None else z
    yhat = softmax_exprs([z, sp.Integer(0)])
    y = [sp.Integer(1), sp.Integer(0)]
    return z, cross_entropy(yhat, y), squared_error(yhat, y)


@cache
def two_class_true_logit_grads(
    *,
    two_class_true_logit_grads_closed_form=two_class_true_logit_grads_closed_form,
) -> Identity:
    """d l / d ytilde_1 for the true class (logits (z, 0)) in closed form,
    for CE and for MSE."""
    z, ce, mse = two_class_true_logit()
    lhs = sp.Matrix([sp.diff(ce, z), sp.diff(mse, z)])
    rhs = sp.Matrix(two_class_true_logit_grads_closed_form(z))
    return prove(
        name="two-class-true-logit-grads",
        label="loss-two-class-grads",
        statement=r"\frac{\partial \ell_{CE}}{\partial \tilde y_1} "
        r"= \sigma(z) - 1,\quad"
        r"\frac{\partial \ell_{MSE}}{\partial \tilde y_1} = "
        r"-4\sigma(z)(1-\sigma(z))^2",
        method="SymPy diff, two classes, target (1, 0), logits (z, 0)",
        lhs=lhs,
        rhs=rhs,
        reduce=sp.simplify,
    )


@cache
def confidently_wrong_limits(
    *,
    confidently_wrong_limits_closed_form=confidently_wrong_limits_closed_form,
) -> Identity:
    """As z -> -oo (confidently wrong),
    CE's gradient tends to -1 and the squared error's to 0."""
    z, ce, mse = two_class_true_logit()
    lhs = sp.Matrix(
        [
            sp.limit(sp.diff(ce, z), z, -sp.oo),
            sp.limit(sp.diff(mse, z), z, -sp.oo),
        ]
    )
    rhs = sp.Matrix(confidently_wrong_limits_closed_form())
    return prove(
        name="confidently-wrong-limits",
        label="loss-confidently-wrong",
        statement=r"\lim_{z\to-\infty}"
        r"\frac{\partial \ell_{CE}}{\partial \tilde y_1} = -1,\quad"
        r"\lim_{z\to-\infty}"
        r"\frac{\partial \ell_{MSE}}{\partial \tilde y_1} = 0",
        method="SymPy limit of the derivatives, two classes, "
        "target (1, 0), logits (z, 0)",
        lhs=lhs,
        rhs=rhs,
        reduce=sp.simplify,
    )


def true_logit_gradient_functions() -> dict[
    str, Callable[[np.ndarray], np.ndarray]
]:
    """NumPy functions of z for the two derivatives SymPy computes
    (for the figure)."""
    z, ce, mse = two_class_true_logit()
    return {
        "cross-entropy": sp.lambdify(z, sp.diff(ce, z), "numpy"),
        "squared error": sp.lambdify(z, sp.diff(mse, z), "numpy"),
    }


@cache
def gaussian_nll_is_squared_error(
    *, gaussian_nll_closed_form=gaussian_nll_closed_form
) -> Identity:
    """The negative log-likelihood of a Gaussian is a scaled squared error
    plus a constant."""
    t, mu = sp.symbols("t mu", real=True)
    sigma = sp.Symbol("sigma", positive=True)
    density = sp.exp(-((t - mu) ** 2) / (2 * sigma**2)) / sp.sqrt(
        2 * sp.pi * sigma**2
    )
    lhs = -sp.log(density)
    rhs = gaussian_nll_closed_form(t, mu, sigma)
    return prove(
        name="gaussian-nll-is-squared-error",
        label="loss-gaussian-nll",
        statement=r"-\log \mathcal N(t;\mu,\sigma^2) = "
        r"\frac{(t-\mu)^2}{2\sigma^2}"
        r" + \tfrac12\log(2\pi\sigma^2)",
        method="SymPy expand_log and simplify, t and mu real, sigma > 0",
        lhs=lhs,
        rhs=rhs,
        reduce=lambda d: sp.simplify(sp.expand_log(d, force=True)),
    )


# --- question 14 -------------------------------------------------------------


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
    "ce-grad-yhat": ce_grad_yhat,
    "mse-grad-yhat": mse_grad_yhat,
    "mse-grad-logit": mse_grad_logit,
    "two-class-true-logit-grads": two_class_true_logit_grads,
    "confidently-wrong-limits": confidently_wrong_limits,
    "gaussian-nll-is-squared-error": gaussian_nll_is_squared_error,
}

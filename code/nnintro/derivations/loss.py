"""Questions 8 and 9: how each loss pushes yhat, its gradient through
SoftMax, and the Gaussian likelihood behind the squared error. The
simplified cross-entropy of a SoftMax output (question 14) is
:mod:`nnintro.derivations.simplified_loss`.

Every closed form the book claims is a function ``*_closed_form``, and each
identity below names the ones it needs as keyword parameters: a test passes a
wrong formula there to see the identity fail.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import numpy as np
import sympy as sp

from nnintro.derivations.core import Identity, prove, symbol_vector
from nnintro.derivations.symbolic import (
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


#: The identities of this module, in the order of the ledger.
IDENTITIES: dict[str, Callable[[], Identity]] = {
    "ce-grad-yhat": ce_grad_yhat,
    "mse-grad-yhat": mse_grad_yhat,
    "mse-grad-logit": mse_grad_logit,
    "two-class-true-logit-grads": two_class_true_logit_grads,
    "confidently-wrong-limits": confidently_wrong_limits,
    "gaussian-nll-is-squared-error": gaussian_nll_is_squared_error,
}

"""The svm page's equations, checked on the page's fitted machines.

Eqs. svm-decision-linear, svm-soft-margin and svm-decision-kernel are
statements about what scikit-learn's ``SVC`` computes, so SymPy cannot
prove them; each is checked in float64 on the machines the page fits
(circles of the page's seed, the page's settings), against a stated
absolute tolerance: the decision values that libsvm returns are recomputed
from the page's formulas, the weights from the support vectors, and the
minimum of the soft-margin objective is certified by its dual.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
import sympy as sp
from numpy.typing import ArrayLike

from nnintro.derivations.core import Identity

ROUNDING = 1e-10  # |lhs - rhs| allowed for the same sum in another order
DUALITY_GAP = 1e-4  # relative: the objective within this of its minimum


@dataclass(frozen=True)
class NumericalIdentity(Identity):
    """``lhs == rhs`` in floating point, to an absolute ``tolerance``;
    ``residual`` is the largest |lhs - rhs|, and ``condition`` a side
    condition that must hold too (e.g. on the signs of coefficients)."""

    tolerance: float = 0.0
    condition: str = ""
    condition_holds: bool = True

    def verdict(self) -> str:
        gap = f"max |lhs − rhs| = {float(self.residual):.1e}"
        side = ""
        if self.condition:
            state = "holds" if self.condition_holds else "FAILS"
            side = f"; {self.condition}: {state}"
        if self.holds:
            return (
                f"holds: {gap} <= {self.tolerance:.1e}{side}; "
                f"decided by {self.method}"
            )
        return (
            f"FAILS: {gap}, tolerance {self.tolerance:.1e}{side}; "
            f"decided by {self.method}"
        )


def numerical_identity(
    name: str,
    label: str,
    statement: str,
    method: str,
    lhs: ArrayLike,
    rhs: ArrayLike,
    tolerance: float,
    condition: str = "",
    condition_holds: bool = True,
) -> NumericalIdentity:
    """Compare two arrays entry by entry: the largest gap decides."""
    a, b = np.atleast_1d(np.asarray(lhs, float)), np.atleast_1d(rhs)
    b = np.asarray(b, float)
    gap = np.inf if a.shape != b.shape else float(np.max(np.abs(a - b)))
    holds = bool(np.isfinite(gap) and gap <= tolerance and condition_holds)
    method += f"; max |lhs - rhs| <= {tolerance:.1e}"
    if condition:
        method += f", and {condition}"
    return NumericalIdentity(
        name,
        label,
        statement,
        method,
        sp.Matrix(a.ravel()),
        sp.Matrix(b.ravel()),
        sp.Float(gap),
        holds,
        tolerance,
        condition,
        bool(condition_holds),
    )


@cache
def page_machines():
    """The page's circles, and its three SVCs fitted on the training set."""
    from nnintro.circles import make_circles
    from nnintro.experiments.svm.machines import labels, svc
    from nnintro.experiments.svm.studies import SVMStudyConfig

    config = SVMStudyConfig()
    data = make_circles(seed=config.data_seed)
    X, y = data.Xtrain.numpy(), labels(data.Ytrain)
    models = {
        key: svc(getattr(config, key)).fit(X, y)
        for key in ("linear", "poly", "rbf")
    }
    return data, models


def dual_terms(model, t: np.ndarray):
    """alpha_n and t_n of each support vector: t_n from the training
    labels, alpha_n = |dual_coef_|; and whether 0 < alpha_n <= C with
    dual_coef_ = alpha_n t_n."""
    t_sv = t[model.support_]
    dual = model.dual_coef_[0]
    alpha = np.abs(dual)
    ok = bool(
        np.all(alpha > 0)
        and np.all(alpha <= model.C * (1 + ROUNDING))
        and np.array_equal(np.sign(dual), t_sv)
    )
    return alpha, t_sv, ok


def training_signs(data) -> np.ndarray:
    """t_n = +1 for class 1 (the disc), -1 for class 0, on the training
    set."""
    from nnintro.experiments.svm.machines import labels

    return 2 * labels(data.Ytrain) - 1


@cache
def linear_decision() -> NumericalIdentity:
    """Eq. svm-decision-linear: the linear SVM's decision value is
    f(x) = w^T x + b, with w = coef_ and b = intercept_."""
    data, models = page_machines()
    model, X = models["linear"], data.Xtest.numpy()
    return numerical_identity(
        "svm-linear-decision",
        "svm-decision-linear",
        r"f(x) = w^\top x + b",
        "float64, scikit-learn's decision_function (libsvm, a sum over "
        "the support vectors) against w^T x + b from coef_ and intercept_, "
        f"on the {len(X)} test points of the svm page",
        model.decision_function(X),
        X @ model.coef_[0] + model.intercept_[0],
        ROUNDING,
    )


@cache
def linear_weights() -> NumericalIdentity:
    """Eq. svm-soft-margin: its minimiser has w = sum over the support
    vectors of alpha_n t_n x_n, with 0 < alpha_n <= C."""
    data, models = page_machines()
    model = models["linear"]
    t = training_signs(data)
    alpha, t_sv, ok = dual_terms(model, t)
    return numerical_identity(
        "svm-weights-from-support-vectors",
        "svm-soft-margin",
        r"w = \sum_{n \in \mathrm{SV}} \alpha_n t_n x_n,"
        r"\quad 0 < \alpha_n \le C",
        "float64, the linear SVM of the svm page: coef_ against the sum "
        "over its support vectors, t_n from the training labels, "
        "alpha_n = |dual_coef_|",
        model.coef_[0],
        (alpha * t_sv) @ model.support_vectors_,
        ROUNDING,
        "0 < alpha_n <= C and sign(dual_coef_) = t_n",
        ok,
    )


def hinge_objective(w, b, X, t, C) -> float:
    """The objective of eq. svm-soft-margin at (w, b)."""
    return float(0.5 * w @ w + C * np.maximum(0, 1 - t * (X @ w + b)).sum())


@cache
def soft_margin_minimum() -> NumericalIdentity:
    """Eq. svm-soft-margin: scikit-learn's (w, b) minimises it, certified
    by the dual: for any alpha with 0 <= alpha_n <= C and
    sum alpha_n t_n = 0, D(alpha) <= min P <= P(w, b)."""
    data, models = page_machines()
    model, X = models["linear"], data.Xtrain.numpy()
    t = training_signs(data)
    alpha = np.zeros(len(X))
    alpha[model.support_] = np.abs(model.dual_coef_[0])
    feasible = bool(
        np.all(alpha <= model.C * (1 + ROUNDING))
        and abs(alpha @ t) <= ROUNDING * len(X) * model.C
    )
    v = (alpha * t) @ X
    dual = float(alpha.sum() - 0.5 * v @ v)
    primal = hinge_objective(
        model.coef_[0], model.intercept_[0], X, t, model.C
    )
    return numerical_identity(
        "svm-soft-margin-duality-gap",
        "svm-soft-margin",
        r"P(w, b) = \min P = \max D",
        "float64, the linear SVM of the svm page: the objective P at "
        "scikit-learn's (w, b) against the dual objective "
        "D = sum alpha_n - |sum alpha_n t_n x_n|^2 / 2 at its alpha; "
        f"tolerance {DUALITY_GAP:g} x P",
        primal,
        dual,
        DUALITY_GAP * primal,
        "0 <= alpha_n <= C and sum alpha_n t_n = 0 (alpha is dual feasible)",
        feasible,
    )


def gamma_scale(X: np.ndarray) -> float:
    """scikit-learn's gamma = "scale": 1 / (n_x Var(X))."""
    return 1.0 / (X.shape[1] * X.var())


def polynomial_kernel(U, V, gamma):
    """K(u, v) = (gamma u^T v + 1)^2, the page's degree-2 kernel."""
    return (gamma * U @ V.T + 1) ** 2


def gaussian_kernel(U, V, gamma):
    """K(u, v) = exp(-gamma |u - v|^2)."""
    return np.exp(-gamma * ((U[:, None, :] - V[None, :, :]) ** 2).sum(-1))


KERNELS: dict[str, Callable] = {
    "poly": polynomial_kernel,
    "rbf": gaussian_kernel,
}


def kernel_decision(key: str, kernel: Callable | None = None) -> Identity:
    """Eq. svm-decision-kernel for the polynomial or Gaussian SVM:
    f(x) = sum over SV of alpha_n t_n K(x_n, x) + b, alpha_n > 0."""
    kernel = KERNELS[key] if kernel is None else kernel
    data, models = page_machines()
    model = models[key]
    Xtrain, Xtest = data.Xtrain.numpy(), data.Xtest.numpy()
    t = training_signs(data)
    alpha, t_sv, ok = dual_terms(model, t)
    K = kernel(model.support_vectors_, Xtest, gamma_scale(Xtrain))
    name = {"poly": "polynomial", "rbf": "Gaussian"}[key]
    return numerical_identity(
        f"svm-kernel-decision-{key}",
        "svm-decision-kernel",
        r"f(x) = \sum_{n \in \mathrm{SV}} \alpha_n t_n K(x_n, x) + b",
        f"float64, the {name} SVM of the svm page: decision_function "
        "against the sum over its support vectors with the page's K "
        "and gamma = 1 / (n_x Var X), t_n from the training labels, "
        f"alpha_n = |dual_coef_|, on the {len(Xtest)} test points",
        model.decision_function(Xtest),
        (alpha * t_sv) @ K + model.intercept_[0],
        ROUNDING,
        "0 < alpha_n <= C and sign(dual_coef_) = t_n",
        ok,
    )


IDENTITIES: dict[str, Callable[[], Identity]] = {
    "svm-linear-decision": linear_decision,
    "svm-weights-from-support-vectors": linear_weights,
    "svm-soft-margin-duality-gap": soft_margin_minimum,
    "svm-kernel-decision-poly": cache(lambda: kernel_decision("poly")),
    "svm-kernel-decision-rbf": cache(lambda: kernel_decision("rbf")),
}

"""The support vector machines of the svm page: settings, fit, and a paired
test of two classifiers on the same test points (McNemar's exact test)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import torch

from nnintro.circles import CirclesData

KERNELS = ("linear", "poly", "rbf", "sigmoid")


@dataclass(frozen=True)
class SVMConfig:
    """The arguments of ``sklearn.svm.SVC`` that the book varies."""

    kernel: str = "rbf"
    C: float = 1.0
    degree: int = 3
    gamma: str | float = "scale"
    coef0: float = 0.0
    tol: float = 1e-3  # the solver's stopping tolerance (SVC's default)

    def __post_init__(self):
        if self.kernel not in KERNELS:
            raise ValueError(
                f"kernel must be one of {KERNELS}, got {self.kernel!r}"
            )
        finite = isinstance(self.C, int | float) and math.isfinite(self.C)
        if not (finite and self.C > 0):
            raise ValueError(
                f"C must be a positive finite number, got {self.C!r}"
            )
        if self.kernel == "poly" and not (
            isinstance(self.degree, int) and self.degree >= 1
        ):
            raise ValueError(
                f"degree must be a positive integer, got {self.degree!r}"
            )

    @property
    def name(self) -> str:
        extra = f", degree {self.degree}" if self.kernel == "poly" else ""
        return f"{self.kernel}{extra}, C = {self.C:g}"


LINEAR_SVM = SVMConfig(kernel="linear", C=1.0)
POLY_SVM = SVMConfig(kernel="poly", degree=2, coef0=1.0, C=1.0)
RBF_SVM = SVMConfig(kernel="rbf", C=1.0)


@dataclass(frozen=True, eq=False)
class SVMResult:
    """A fitted SVC: accuracies, support vectors, decision values."""

    config: SVMConfig
    train_acc: float
    test_acc: float
    n_support: int
    grid_decision: np.ndarray = field(repr=False)  # square grid, rows x2
    support_vectors: np.ndarray = field(repr=False)  # n_support x 2
    test_correct: np.ndarray = field(repr=False)  # bool per test point
    # t_n f(x_n) of the training points, t_n = +-1: support vectors, others
    support_margin: np.ndarray = field(repr=False)
    other_margin: np.ndarray = field(repr=False)

    @property
    def grid_probability_like(self) -> np.ndarray:
        """The logistic sigmoid of the decision value: one half on the line.

        Not a probability (SVC is not calibrated); only its 0.5 contour,
        decision value 0, matters.
        """
        return 1.0 / (1.0 + np.exp(-self.grid_decision))


def labels(Y: torch.Tensor) -> np.ndarray:
    """Class labels 0, 1, ... from one-hot rows."""
    return Y.argmax(dim=1).numpy()


def svc(config: SVMConfig):
    """An unfitted ``sklearn.svm.SVC`` with the settings of ``config``."""
    from sklearn.svm import SVC  # here: only the svm page pays its import

    return SVC(
        kernel=config.kernel,
        C=config.C,
        degree=config.degree,
        gamma=config.gamma,
        coef0=config.coef0,
        tol=config.tol,
    )


def fit_svm(config: SVMConfig, data: CirclesData) -> SVMResult:
    """Fit ``SVC`` on the training points; score it; evaluate the grid."""
    model = svc(config)
    Xtrain, ytrain = data.Xtrain.numpy(), labels(data.Ytrain)
    Xtest, ytest = data.Xtest.numpy(), labels(data.Ytest)
    model.fit(Xtrain, ytrain)
    size = int(round(np.sqrt(data.Xgrid.shape[0])))
    # decision_function > 0 means class 1 (model.classes_ is [0, 1])
    decision = model.decision_function(data.Xgrid.numpy())
    test_correct = model.predict(Xtest) == ytest
    margin = (2 * ytrain - 1) * model.decision_function(Xtrain)
    is_support = np.zeros(margin.shape, bool)
    is_support[model.support_] = True
    return SVMResult(
        config,
        train_acc=float(model.score(Xtrain, ytrain)),
        test_acc=float(test_correct.mean()),
        n_support=int(model.n_support_.sum()),
        grid_decision=decision.reshape(size, size),
        support_vectors=model.support_vectors_,
        test_correct=test_correct,
        support_margin=margin[is_support],
        other_margin=margin[~is_support],
    )


def fit_all(configs: list[SVMConfig], data: CirclesData) -> list[SVMResult]:
    return [fit_svm(config, data) for config in configs]


@dataclass(frozen=True)
class PairedComparison:
    """McNemar's exact test: two classifiers on the same test points.

    Only the points where exactly one of them is right count: ``a_only``
    (A right, B wrong) and ``b_only``. If A and B were equally good, each
    such point would be A's with probability one half.
    """

    a_only: int
    b_only: int
    n: int  # test points

    @property
    def discordant(self) -> int:
        return self.a_only + self.b_only

    @property
    def p_value(self) -> float:
        """Two-sided exact binomial test of a_only among the discordant."""
        m, k = self.discordant, min(self.a_only, self.b_only)
        if m == 0:
            return 1.0
        tail = sum(math.comb(m, i) for i in range(k + 1)) / 2**m
        return min(1.0, 2 * tail)


def paired_comparison(a_correct, b_correct) -> PairedComparison:
    """Count the test points where exactly one classifier is right."""
    a, b = np.asarray(a_correct, bool), np.asarray(b_correct, bool)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError(f"need two equal vectors, got {a.shape}, {b.shape}")
    return PairedComparison(int((a & ~b).sum()), int((~a & b).sum()), a.size)


def encloses_centre(class1: np.ndarray) -> bool:
    """Class 1 at the grid's centre (0, 0) and class 0 on its border."""
    size = class1.shape[0]
    border = np.concatenate(
        [class1[0], class1[-1], class1[:, 0], class1[:, -1]]
    )
    return bool(class1[size // 2, size // 2]) and not border.any()

"""Support vector machines on the circles (the practical's bonus), with scikit-learn's ``SVC``.

The network's data come as tensors with one-hot targets; ``SVC`` wants arrays and class labels.
A fitted machine is summarised by its accuracies, its number of support vectors, and its decision
values on the drawing grid.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import torch
from sklearn.svm import SVC

from nnintro.data import CirclesData

KERNELS = ("linear", "poly", "rbf", "sigmoid")


@dataclass(frozen=True)
class SVMConfig:
    """The arguments of ``sklearn.svm.SVC`` that the book varies."""

    kernel: str = "rbf"
    C: float = 1.0
    degree: int = 3
    gamma: str | float = "scale"
    coef0: float = 0.0

    def __post_init__(self):
        if self.kernel not in KERNELS:
            raise ValueError(f"kernel must be one of {KERNELS}, got {self.kernel!r}")
        if not (isinstance(self.C, int | float) and math.isfinite(self.C) and self.C > 0):
            raise ValueError(f"C must be a positive finite number, got {self.C!r}")
        if self.kernel == "poly" and not (isinstance(self.degree, int) and self.degree >= 1):
            raise ValueError(f"degree must be a positive integer, got {self.degree!r}")

    @property
    def name(self) -> str:
        extra = f", degree {self.degree}" if self.kernel == "poly" else ""
        return f"{self.kernel}{extra}, C = {self.C:g}"


@dataclass(frozen=True)
class SVMResult:
    config: SVMConfig
    train_acc: float
    test_acc: float
    n_support: int
    grid_decision: np.ndarray = field(repr=False)  # square grid of decision values, rows x2
    support_vectors: np.ndarray = field(repr=False)  # n_support x 2, training points

    @property
    def grid_probability_like(self) -> np.ndarray:
        """The logistic sigmoid of the decision value: shading in [0, 1], one half on the boundary.

        Not a probability (SVC is not calibrated); only its 0.5 contour, decision value 0, matters.
        """
        return 1.0 / (1.0 + np.exp(-self.grid_decision))


def labels(Y: torch.Tensor) -> np.ndarray:
    """Class labels 0, 1, ... from one-hot rows."""
    return Y.argmax(dim=1).numpy()


def fit_svm(config: SVMConfig, data: CirclesData) -> SVMResult:
    """Fit ``SVC`` on the training points; score it on both sets; evaluate it on the grid."""
    model = SVC(
        kernel=config.kernel,
        C=config.C,
        degree=config.degree,
        gamma=config.gamma,
        coef0=config.coef0,
    )
    Xtrain, ytrain = data.Xtrain.numpy(), labels(data.Ytrain)
    model.fit(Xtrain, ytrain)
    size = int(round(np.sqrt(data.Xgrid.shape[0])))
    # decision_function > 0 means class 1 (model.classes_ is [0, 1])
    decision = model.decision_function(data.Xgrid.numpy()).reshape(size, size)
    return SVMResult(
        config,
        train_acc=float(model.score(Xtrain, ytrain)),
        test_acc=float(model.score(data.Xtest.numpy(), labels(data.Ytest))),
        n_support=int(model.n_support_.sum()),
        grid_decision=decision,
        support_vectors=model.support_vectors_,
    )


def fit_all(configs: list[SVMConfig], data: CirclesData) -> list[SVMResult]:
    return [fit_svm(config, data) for config in configs]

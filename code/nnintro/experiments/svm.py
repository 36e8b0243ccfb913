"""The practical's bonus: support vector machines on the circles.

scikit-learn's ``SVC`` is fitted to the circles: linear, then a polynomial
and a Gaussian kernel, then the Gaussian kernel for several C. The network
of the manual-network page is trained on the same data. The kernel SVMs
and the network are compared on the same test points with a paired test
(McNemar's exact test on the points where the two disagree).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
import torch
from sklearn.svm import SVC

from nnintro.data import CirclesData, make_circles
from nnintro.findings import Finding, above, claim, each, ordered
from nnintro.network import forward
from nnintro.training import History, TrainConfig, train

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


def fit_svm(config: SVMConfig, data: CirclesData) -> SVMResult:
    """Fit ``SVC`` on the training points; score it; evaluate the grid."""
    model = SVC(
        kernel=config.kernel,
        C=config.C,
        degree=config.degree,
        gamma=config.gamma,
        coef0=config.coef0,
    )
    Xtrain, ytrain = data.Xtrain.numpy(), labels(data.Ytrain)
    Xtest, ytest = data.Xtest.numpy(), labels(data.Ytest)
    model.fit(Xtrain, ytrain)
    size = int(round(np.sqrt(data.Xgrid.shape[0])))
    # decision_function > 0 means class 1 (model.classes_ is [0, 1])
    decision = model.decision_function(data.Xgrid.numpy())
    test_correct = model.predict(Xtest) == ytest
    return SVMResult(
        config,
        train_acc=float(model.score(Xtrain, ytrain)),
        test_acc=float(test_correct.mean()),
        n_support=int(model.n_support_.sum()),
        grid_decision=decision.reshape(size, size),
        support_vectors=model.support_vectors_,
        test_correct=test_correct,
    )


def fit_all(configs: list[SVMConfig], data: CirclesData) -> list[SVMResult]:
    return [fit_svm(config, data) for config in configs]


# --- a paired comparison on the same test points -----------------------------


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


# --- the study ---------------------------------------------------------------


@dataclass(frozen=True)
class SVMStudyConfig:
    """Data seed, the three machines and the network; C for the sweep."""

    data_seed: int = 0
    linear: SVMConfig = LINEAR_SVM
    poly: SVMConfig = POLY_SVM
    rbf: SVMConfig = RBF_SVM
    network: TrainConfig = TrainConfig(
        nh=10, eta=0.1, batch_size=10, epochs=150, seed=0
    )
    C_values: tuple[float, float, float] = (0.01, 1.0, 1000.0)
    alpha: float = 0.05  # level of the paired tests


@dataclass(frozen=True, eq=False)
class SVMFinding(Finding):
    """The linear, polynomial and Gaussian SVMs, and the network."""

    page = "svm"
    name = "svm-circles"

    config: SVMStudyConfig
    data: CirclesData
    linear: SVMResult
    poly: SVMResult
    rbf: SVMResult
    network: History
    network_grid: np.ndarray  # P(class 1) on the grid at the end
    network_correct: np.ndarray  # bool per test point

    @property
    def n_train(self) -> int:
        return self.data.Xtrain.shape[0]

    @property
    def n_test(self) -> int:
        return self.data.Xtest.shape[0]

    def versus_network(self, result: SVMResult) -> PairedComparison:
        return paired_comparison(result.test_correct, self.network_correct)

    def numbers(self):
        net = self.network
        numbers = {
            "svm-n-train": self.n_train,
            "svm-n-test": self.n_test,
            "svm-net-nh": self.config.network.nh,
            "svm-net-epochs": self.config.network.epochs,
            "svm-net-train": 100 * net.final("train_acc"),
            "svm-net-test": 100 * net.final("test_acc"),
            "svm-alpha": 100 * self.config.alpha,
        }
        for key in ("linear", "poly", "rbf"):
            result = getattr(self, key)
            numbers[f"svm-{key}-train"] = 100 * result.train_acc
            numbers[f"svm-{key}-test"] = 100 * result.test_acc
            numbers[f"svm-{key}-nsv"] = result.n_support
            pair = self.versus_network(result)
            numbers[f"svm-{key}-only"] = pair.a_only
            numbers[f"svm-{key}-net-only"] = pair.b_only
            numbers[f"svm-{key}-p"] = pair.p_value
        return numbers

    def claims(self):
        linear, poly, rbf = self.linear, self.poly, self.rbf
        net = self.network.final("test_acc")
        kernels = {"polynomial": poly, "Gaussian": rbf}
        pairs = {k: self.versus_network(r) for k, r in kernels.items()}
        tests = {f"{k} SVM": r.test_acc for k, r in kernels.items()}
        tests["network"] = net
        enclosed = {
            "polynomial SVM": poly.grid_decision > 0,
            "Gaussian SVM": rbf.grid_decision > 0,
            "network": self.network_grid > 0.5,
        }
        linear_acc = ("linear SVM's test accuracy", linear.test_acc)
        return (
            claim(
                "svm-linear-far-below",
                "The linear SVM scores more than 20 points below the"
                " Gaussian SVM and the network",
                above(
                    ("Gaussian SVM's - 0.20", rbf.test_acc - 0.2), linear_acc
                )
                & above(("network's - 0.20", net - 0.2), linear_acc),
            ),
            claim(
                "svm-linear-mostly-support",
                "Almost every training point is a support vector of the"
                " linear SVM",
                above(
                    ("support vectors", linear.n_support),
                    ("0.9 x training points", 0.9 * self.n_train),
                ),
            ),
            claim(
                "svm-kernels-above-90",
                "Both kernel SVMs and the network score above 90 % but"
                " below 100 % on the test set",
                each("test accuracy", tests, ">", 0.9, of="classifiers")
                & each("test accuracy", tests, "<", 1.0, of="classifiers"),
            ),
            claim(
                "svm-closed-boundaries",
                "The kernel SVMs and the network predict the disc at the"
                " centre and the ring all along the grid's border",
                each(
                    "encloses the centre (1) or not (0)",
                    {k: int(encloses_centre(g)) for k, g in enclosed.items()},
                    "==",
                    1,
                    of="classifiers",
                ),
            ),
            claim(
                "svm-disagreements-favour-svms",
                "Where a kernel SVM and the network disagree, the SVM is"
                " right more often",
                above(
                    (
                        "only the polynomial SVM right",
                        pairs["polynomial"].a_only,
                    ),
                    ("only the network right", pairs["polynomial"].b_only),
                )
                & above(
                    ("only the Gaussian SVM right", pairs["Gaussian"].a_only),
                    ("only the network right ", pairs["Gaussian"].b_only),
                ),
            ),
            claim(
                "svm-kernels-network-not-significant",
                "McNemar's exact test finds no significant difference"
                " between either kernel SVM and the network at 5 %",
                each(
                    "p against the network",
                    {k: p.p_value for k, p in pairs.items()},
                    ">",
                    self.config.alpha,
                    of="kernels",
                ),
            ),
        )


def svm_study(config: SVMStudyConfig = SVMStudyConfig()) -> SVMFinding:
    """Fit the SVMs and train the network on the circles of one seed."""
    data = make_circles(seed=config.data_seed)
    linear, poly, rbf = fit_all([config.linear, config.poly, config.rbf], data)
    net_config = config.network
    if net_config.epochs not in net_config.snapshot_epochs:
        net_config = replace(net_config, snapshot_epochs=(net_config.epochs,))
    network = train(net_config, data)
    Yhat, _ = forward(network.params, data.Xtest)
    network_correct = (Yhat.argmax(dim=1) == data.Ytest.argmax(dim=1)).numpy()
    return SVMFinding(
        config,
        data,
        linear,
        poly,
        rbf,
        network,
        network.snapshots[net_config.epochs],
        network_correct,
    )


@dataclass(frozen=True, eq=False)
class CSweepFinding(Finding):
    """The Gaussian SVM for a small, a middle and a large C."""

    page = "svm"
    name = "svm-C"

    config: SVMStudyConfig
    data: CirclesData
    by_C: tuple[SVMResult, ...]

    def numbers(self):
        numbers: dict[str, object] = {}
        for name, C, result in zip(
            ("small", "one", "large"), self.config.C_values, self.by_C
        ):
            numbers[f"svm-C-{name}"] = C
            numbers[f"svm-C-{name}-train"] = 100 * result.train_acc
            numbers[f"svm-C-{name}-test"] = 100 * result.test_acc
            numbers[f"svm-C-{name}-nsv"] = result.n_support
        return numbers

    def claims(self):
        _, one, _ = self.by_C

        def row(key, name):
            return [
                (f"{name} at C = {r.config.C:g}", getattr(r, key))
                for r in self.by_C
            ]

        test = {f"C = {r.config.C:g}": r.test_acc for r in self.by_C}
        middle = f"C = {one.config.C:g}"
        peak = (f"test accuracy at {middle}", test.pop(middle))
        return (
            claim(
                "svm-C-fewer-support-vectors",
                "The number of support vectors falls at each larger C",
                ordered(row("n_support", "support vectors"), ">"),
            ),
            claim(
                "svm-C-training-rises",
                "The training accuracy rises at each larger C",
                ordered(row("train_acc", "training accuracy"), "<"),
            ),
            claim(
                "svm-C-test-peaks",
                "The test accuracy is highest at the middle value of C",
                each("test accuracy", test, "<", peak, of="other values of C"),
            ),
        )


def C_study(config: SVMStudyConfig = SVMStudyConfig()) -> CSweepFinding:
    """The Gaussian SVM for each of ``config.C_values``."""
    data = make_circles(seed=config.data_seed)
    configs = [replace(config.rbf, C=C) for C in config.C_values]
    return CSweepFinding(config, data, tuple(fit_all(configs, data)))

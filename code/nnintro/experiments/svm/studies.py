"""The svm page's studies: three SVMs and the network on the circles, and
the Gaussian SVM for several C. The kernel SVMs and the network are compared
on the same test points with a paired test."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from nnintro.circles import CirclesData, make_circles
from nnintro.experiments.svm.machines import (
    LINEAR_SVM,
    POLY_SVM,
    RBF_SVM,
    PairedComparison,
    SVMConfig,
    SVMResult,
    encloses_centre,
    fit_all,
    paired_comparison,
)
from nnintro.findings import (
    Finding,
    above,
    at_least,
    at_most,
    claim,
    each,
    ordered,
)
from nnintro.network import forward
from nnintro.training import History, TrainConfig, train


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

    def kernels_paired(self) -> PairedComparison:
        """The polynomial SVM (A) against the Gaussian SVM (B)."""
        return paired_comparison(self.poly.test_correct, self.rbf.test_correct)

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
            "svm-tol": self.config.linear.tol,
            "svm-poly-degree": self.config.poly.degree,
        }
        for key in ("linear", "poly", "rbf"):
            result = getattr(self, key)
            numbers[f"svm-{key}-train"] = 100 * result.train_acc
            numbers[f"svm-{key}-test"] = 100 * result.test_acc
            numbers[f"svm-{key}-nsv"] = result.n_support
            numbers[f"svm-{key}-C"] = result.config.C
            pair = self.versus_network(result)
            numbers[f"svm-{key}-only"] = pair.a_only
            numbers[f"svm-{key}-net-only"] = pair.b_only
            numbers[f"svm-{key}-p"] = pair.p_value
        kernels = self.kernels_paired()
        numbers["svm-poly-not-rbf"] = kernels.a_only
        numbers["svm-rbf-not-poly"] = kernels.b_only
        numbers["svm-poly-rbf-p"] = kernels.p_value
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
        rbf_less = ("Gaussian SVM's - 0.20", rbf.test_acc - 0.2)
        net_less = ("network's - 0.20", net - 0.2)
        support = ("support vectors", linear.n_support)
        most = ("0.9 x training points", 0.9 * self.n_train)
        encloses = {k: int(encloses_centre(g)) for k, g in enclosed.items()}
        centre = "encloses the centre (1) or not (0)"
        poly_pair, rbf_pair = pairs["polynomial"], pairs["Gaussian"]
        poly_only = ("only the polynomial SVM right", poly_pair.a_only)
        rbf_only = ("only the Gaussian SVM right", rbf_pair.a_only)
        # the trailing space keeps the two counts apart in the claim's values
        net_not_poly = ("only the network right", poly_pair.b_only)
        net_not_rbf = ("only the network right ", rbf_pair.b_only)
        p_values = {k: p.p_value for k, p in pairs.items()}
        alpha = self.config.alpha
        tol = linear.config.tol
        inside = at_most(
            (
                "largest t_n f(x_n) of a support vector",
                linear.support_margin.max(),
            ),
            1 + tol,
        )
        if linear.other_margin.size:  # else no other point to test
            inside &= at_least(
                (
                    "smallest t_n f(x_n) of the other points",
                    linear.other_margin.min(),
                ),
                1 - tol,
            )
        poly_rbf = self.kernels_paired().p_value
        kernels_p = ("p, polynomial against Gaussian", poly_rbf)
        return (
            claim(
                "svm-linear-far-below",
                "The linear SVM scores more than 20 points below the"
                " Gaussian SVM and the network",
                above(rbf_less, linear_acc) & above(net_less, linear_acc),
            ),
            claim(
                "svm-linear-mostly-support",
                "Almost every training point is a support vector of the"
                " linear SVM",
                above(support, most),
            ),
            claim(
                "svm-support-within-margin",
                "Every support vector of the linear SVM has t_n f(x_n) <= 1"
                " and every other training point t_n f(x_n) >= 1, to the"
                " solver's tolerance",
                inside,
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
                each(centre, encloses, "==", 1, of="classifiers"),
            ),
            claim(
                "svm-disagreements-favour-svms",
                "Where a kernel SVM and the network disagree, the SVM is"
                " right more often",
                above(poly_only, net_not_poly) & above(rbf_only, net_not_rbf),
            ),
            claim(
                "svm-kernels-network-not-significant",
                "McNemar's exact test finds no significant difference"
                " between either kernel SVM and the network at 5 %",
                each(
                    "p against the network", p_values, ">", alpha, of="kernels"
                ),
            ),
            claim(
                "svm-kernels-not-significant",
                "McNemar's exact test finds no significant difference"
                " between the polynomial and the Gaussian SVM at 5 %",
                above(kernels_p, alpha),
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

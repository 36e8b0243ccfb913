"""Common wrong answers, each refuted by a computed counterexample.

Four are answers to questions 14 to 17, one is about the initial weights
of the implementation, one about what backpropagation needs (question 13).
Each function returns a finding whose claims say that the counterexample
really contradicts the wrong answer, computed from the finding's data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import sympy as sp
import torch

from nnintro.data import make_circles
from nnintro.derivations.loss import (
    simplification_residual_closed_form,
    simplified_cross_entropy_closed_form,
)
from nnintro.derivations.symbolic import (
    cross_entropy_of_softmax,
    softmax_exprs,
)
from nnintro.experiments.backprop_checks import factor_n_mismatch
from nnintro.findings import Claim, Finding, claim
from nnintro.gradcheck import (
    autograd_gradients,
    central_differences,
    relative_error,
)
from nnintro.network import (
    INIT_STD,
    cross_entropy_from_logits,
    forward,
    init_params,
    softmax,
)
from nnintro.training import History, TrainConfig, train

PAGE = "wrong_answers"

# --- "the simplification holds because yhat sums to 1" ---------------------


@dataclass(frozen=True)
class SimplexCounterexample(Finding):
    """CE of the SoftMax and its simplified form, targets not summing to 1."""

    page = PAGE
    name = "wrong-simplex"

    ytilde: tuple
    y: tuple
    sum_yhat: sp.Expr  # exactly 1, whatever y is
    sum_y: sp.Expr
    cross_entropy: float
    simplified: float
    residual: float  # cross_entropy - simplified
    predicted_residual: float  # (sum y - 1) log sum exp(ytilde)

    def numbers(self) -> dict[str, object]:
        return {
            "wrong-simplex-sum-yhat": str(self.sum_yhat),
            "wrong-simplex-sum-y": str(self.sum_y),
            "wrong-simplex-ce": f"{self.cross_entropy:.4f}",
            "wrong-simplex-simplified": f"{self.simplified:.4f}",
            "wrong-simplex-residual": f"{self.residual:.4f}",
            "wrong-simplex-predicted": f"{self.predicted_residual:.4f}",
        }

    def claims(self) -> tuple[Claim, ...]:
        return (
            claim(
                "wrong-simplex-forms-differ",
                "yhat sums to 1, y does not, and the two forms differ by"
                " the predicted residual",
                self.sum_yhat == 1
                and self.sum_y != 1
                and abs(self.residual) > 1e-3
                and math.isclose(
                    self.residual, self.predicted_residual, rel_tol=1e-12
                ),
                "sum yhat = 1, sum y != 1, gap = predicted gap != 0",
                sum_yhat=float(self.sum_yhat),
                sum_y=float(self.sum_y),
                gap=self.residual,
                predicted=self.predicted_residual,
            ),
        )


def simplification_without_simplex_targets(
    ytilde=(2, -1, 0.5), y=(1, 1, 0)
) -> SimplexCounterexample:
    """Exact SymPy values: yhat sums to 1, y does not, the forms differ.

    The default target ticks two classes (a multi-label target).
    """
    ytilde, y = [sp.nsimplify(v) for v in ytilde], [sp.nsimplify(v) for v in y]
    ce = cross_entropy_of_softmax(ytilde, y)
    simplified = simplified_cross_entropy_closed_form(ytilde, y)
    return SimplexCounterexample(
        ytilde=tuple(ytilde),
        y=tuple(y),
        sum_yhat=sp.simplify(sum(softmax_exprs(ytilde))),
        sum_y=sum(y),
        cross_entropy=float(ce),
        simplified=float(simplified),
        residual=float(sp.N(ce - simplified, 30)),
        predicted_residual=float(
            simplification_residual_closed_form(ytilde, y)
        ),
    )


# --- one random example, the exact gradient of its loss --------------------


def random_example(nx=2, nh=3, ny=3, *, seed=0, label=0):
    """Parameters, one input row x and a one-hot target of class ``label``."""
    params = init_params(nx, nh, ny, seed=seed)
    generator = torch.Generator().manual_seed(seed + 1)
    x = torch.randn(1, nx, generator=generator, dtype=torch.float64)
    Y = torch.zeros(1, ny, dtype=torch.float64)
    Y[0, label] = 1.0
    return params, x, Y


@dataclass(frozen=True, eq=False)
class SummedErrorCounterexample(Finding):
    """dl/dW_y,ij = h_j sum_k (yhat_k - y_k) against autograd."""

    page = PAGE
    name = "wrong-summed-error"

    wrong: torch.Tensor
    correct: torch.Tensor  # autograd
    summed: float  # sum_k (yhat_k - y_k)

    @property
    def relative_error(self) -> float:
        return relative_error(self.wrong, self.correct)

    def numbers(self) -> dict[str, object]:
        return {
            "wrong-sum-note": f"{self.summed:.1e}",
            "wrong-sum-wrong": f"{float(self.wrong.abs().max()):.1e}",
            "wrong-sum-correct": f"{float(self.correct.abs().max()):.3f}",
            "wrong-sum-error": f"{self.relative_error:.2f}",
        }

    def claims(self) -> tuple[Claim, ...]:
        largest_wrong = float(self.wrong.abs().max())
        largest_correct = float(self.correct.abs().max())
        return (
            claim(
                "wrong-summed-error-vanishes",
                "The summed-error formula gives a zero gradient, autograd"
                " does not",
                abs(self.summed) < 1e-12
                and largest_wrong < 1e-12
                and largest_correct > 0.01,
                "|sum| and max|wrong| < 1e-12, max|autograd| > 0.01",
                summed=self.summed,
                max_wrong=largest_wrong,
                max_autograd=largest_correct,
            ),
            claim(
                "wrong-summed-error-nothing-left",
                "The relative error of the summed-error formula is 1 up to"
                " rounding",
                abs(self.relative_error - 1) < 1e-9,
                "|relative error - 1| < 1e-9",
                relative_error=self.relative_error,
            ),
        )


def output_gradient_with_summed_error(
    seed: int = 0,
) -> SummedErrorCounterexample:
    """Wrong: dl/dW_y,ij = h_j sum_k (yhat_k - y_k); the sum is 0."""
    params, x, Y = random_example(seed=seed)
    _, out = forward(params, x)
    summed = (out["yhat"] - Y).sum()
    # entry ij: h_j * sum_k (yhat_k - y_k)
    wrong = summed * out["h"].expand(params["Wy"].shape[0], -1)
    correct = autograd_gradients(params, x, Y)["Wy"]
    return SummedErrorCounterexample(wrong, correct, float(summed))


@dataclass(frozen=True, eq=False)
class UpstreamCounterexample(Finding):
    """dl/dW_h = (1 - h^2) x^T, the local derivative alone, vs autograd."""

    page = PAGE
    name = "wrong-upstream"

    wrong: torch.Tensor
    correct: torch.Tensor  # autograd, target class 0
    wrong_change: float  # |change of the wrong formula|, class 0 -> 1
    true_change: float  # |change of autograd's gradient|, class 0 -> 1

    @property
    def relative_error(self) -> float:
        return relative_error(self.wrong, self.correct)

    def numbers(self) -> dict[str, object]:
        return {
            "wrong-upstream-error": f"{self.relative_error:.2f}",
            "wrong-upstream-change": f"{self.wrong_change:.1f}",
            "wrong-upstream-true-change": f"{self.true_change:.2f}",
        }

    def claims(self) -> tuple[Claim, ...]:
        return (
            claim(
                "wrong-upstream-far-from-autograd",
                "The local derivative alone is far from autograd's gradient",
                self.relative_error > 0.1,
                "relative error > 0.1",
                relative_error=self.relative_error,
            ),
            claim(
                "wrong-upstream-blind-to-target",
                "Changing the target class leaves the wrong gradient"
                " unchanged but changes the true one",
                self.wrong_change == 0.0 and self.true_change > 0.1,
                "change(wrong) = 0 and change(autograd) > 0.1",
                wrong_change=self.wrong_change,
                true_change=self.true_change,
            ),
        )


def hidden_gradient_without_upstream(seed: int = 0) -> UpstreamCounterexample:
    """Wrong: dl/dhtilde = 1 - h^2, so dl/dW_h = (1 - h^2) x^T."""
    wrong, correct = [], []
    for label in (0, 1):
        params, x, Y = random_example(seed=seed, label=label)
        _, out = forward(params, x)
        wrong.append((1 - out["h"] ** 2).T @ x)
        correct.append(autograd_gradients(params, x, Y)["Wh"])

    def change(pair):
        return float(torch.linalg.vector_norm(pair[0] - pair[1]))

    return UpstreamCounterexample(
        wrong[0], correct[0], change(wrong), change(correct)
    )


# --- the factor-B mismatch -------------------------------------------------


@dataclass(frozen=True, eq=False)
class ScaleMismatch(Finding):
    """sum_n (yhat_n - y_n) h_n^T without 1/B, against the mean loss."""

    page = PAGE
    name = "wrong-scale"

    B: int
    ratios: torch.Tensor  # entrywise wrong / autograd
    relative_error_without_1_over_B: float
    relative_error_backward: float  # backward (with 1/B) against autograd

    def numbers(self) -> dict[str, object]:
        return {
            "wrong-scale-B": self.B,
            "wrong-scale-min": f"{float(self.ratios.min()):.12g}",
            "wrong-scale-max": f"{float(self.ratios.max()):.12g}",
            "wrong-scale-error": f"{self.relative_error_without_1_over_B:.3f}",
            "wrong-scale-ok": f"{self.relative_error_backward:.1e}",
        }

    def claims(self) -> tuple[Claim, ...]:
        B = float(self.B)
        error = self.relative_error_without_1_over_B
        return (
            claim(
                "wrong-scale-factor-b",
                "Every entry of the sum without 1/B is B times autograd's",
                torch.allclose(
                    self.ratios, torch.full_like(self.ratios, B), rtol=1e-9
                )
                and abs(error - (1 - 1 / B)) < 1e-9,
                "ratio = B (rtol 1e-9), relative error = 1 - 1/B",
                B=self.B,
                min_ratio=float(self.ratios.min()),
                max_ratio=float(self.ratios.max()),
                relative_error=error,
            ),
            claim(
                "wrong-scale-backward-agrees",
                "With the 1/B, backward agrees with autograd",
                self.relative_error_backward < 1e-12,
                "relative error < 1e-12",
                relative_error=self.relative_error_backward,
            ),
        )


def factor_b_mismatch(B: int = 8, seed: int = 0) -> ScaleMismatch:
    """Summed per-example gradients against the mean loss's: B times.

    The computation is question 15's (``backprop_checks.factor_n_mismatch``) on
    a mini-batch of B examples.
    """
    found = factor_n_mismatch(N=B, seed=seed)
    return ScaleMismatch(
        B, found.ratios, found.sum_error, found.backward_error
    )


# --- weights drawn with variance 0.3 instead of standard deviation 0.3 -----

WRONG_INIT_STD = math.sqrt(0.3)  # variance 0.3, the usual misreading
SATURATION = 0.99
INIT_COMPARISON = TrainConfig(nh=10, eta=0.1, batch_size=10, epochs=20, seed=0)


@dataclass(frozen=True, eq=False)
class InitScaleComparison:
    """tanh saturation at initialisation and a short run, per std."""

    stds: tuple[float, ...]
    saturated_fraction: tuple[float, ...]  # share of |h| > SATURATION
    mean_tanh_slope: tuple[float, ...]  # mean of 1 - h^2
    initial_loss: tuple[float, ...]
    histories: tuple[History, ...]
    hidden: tuple[np.ndarray, ...]  # every h on the training inputs

    @property
    def final_test_acc(self) -> tuple[float, ...]:
        return tuple(h.final("test_acc") for h in self.histories)

    @property
    def final_train_loss(self) -> tuple[float, ...]:
        return tuple(h.final("train_loss") for h in self.histories)


def init_scale_comparison(
    data=None,
    config: TrainConfig = INIT_COMPARISON,
    stds: tuple[float, ...] = (INIT_STD, WRONG_INIT_STD),
) -> InitScaleComparison:
    """Draw the weights with each std, measure saturation, train briefly.

    ``data`` is the circles of ``config.seed`` by default, or any data set
    ``train`` takes (e.g. :func:`nnintro.digits.load_sklearn_digits`).
    """
    data = make_circles(seed=config.seed) if data is None else data
    nx, ny = data.Xtrain.shape[1], data.Ytrain.shape[1]
    saturated, slope, initial, histories, hidden = [], [], [], [], []
    for std in stds:
        params = init_params(nx, config.nh, ny, seed=config.seed, std=std)
        _, out = forward(params, data.Xtrain)
        h = out["h"]
        hidden.append(h.flatten().numpy())
        saturated.append(float((h.abs() > SATURATION).double().mean()))
        slope.append(float((1 - h**2).mean()))
        initial.append(
            float(cross_entropy_from_logits(out["ytilde"], data.Ytrain))
        )
        histories.append(train(config, data, params=params))
    return InitScaleComparison(
        tuple(stds),
        tuple(saturated),
        tuple(slope),
        tuple(initial),
        tuple(histories),
        tuple(hidden),
    )


@dataclass(frozen=True, eq=False)
class InitVariance(Finding):
    """The variance of the course's weights, and what variance 0.3 does."""

    page = PAGE
    name = "wrong-init"

    sample_std: float  # of a large matrix drawn by init_params
    sample_size: int
    circles: InitScaleComparison
    digits: InitScaleComparison
    digits_nx: int
    digits_n: int

    def numbers(self) -> dict[str, object]:
        right, wrong = self.circles.stds
        numbers = {
            "wrong-init-std": f"{wrong:.3f}",
            "wrong-init-right-std": f"{right:g}",
            "wrong-init-factor": f"{wrong / right:.2f}",
            "wrong-init-sample-size": f"{self.sample_size:,}",
            "wrong-init-sample-std": f"{self.sample_std:.4f}",
            "wrong-init-sample-var": f"{self.sample_std**2:.4f}",
            "wrong-init-threshold": f"{SATURATION}",
            "wrong-init-eta": self.circles.histories[0].config.eta,
            "wrong-init-batch": self.circles.histories[0].config.batch_size,
            "wrong-init-circles-nh": self.circles.histories[0].config.nh,
            "wrong-init-digits-nh": self.digits.histories[0].config.nh,
            "wrong-init-digits-nx": self.digits_nx,
            "wrong-init-digits-n": self.digits_n,
            "wrong-init-circles-epochs": self.circles.histories[
                0
            ].config.epochs,
            "wrong-init-digits-epochs": self.digits.histories[0].config.epochs,
            "wrong-init-circles-gap": f"{100 * self.circles_gap:.1f}",
        }
        for name, run in (("circles", self.circles), ("digits", self.digits)):
            for tag, i in (("right", 0), ("wrong", 1)):
                values = {
                    "sat": f"{100 * run.saturated_fraction[i]:.0f} %",
                    "slope": f"{run.mean_tanh_slope[i]:.2f}",
                    "loss0": f"{run.initial_loss[i]:.2f}",
                    "acc": f"{100 * run.final_test_acc[i]:.1f} %",
                    "loss": f"{run.final_train_loss[i]:.3f}",
                }
                for key, value in values.items():
                    numbers[f"wrong-init-{name}-{tag}-{key}"] = value
        return numbers

    @property
    def circles_gap(self) -> float:
        right, wrong = self.circles.final_test_acc
        return abs(wrong - right)

    def claims(self) -> tuple[Claim, ...]:
        var = self.sample_std**2
        c, d = self.circles, self.digits
        return (
            claim(
                "wrong-init-variance",
                "Weights drawn as 0.3 randn have standard deviation 0.3"
                " and variance 0.09, not 0.3",
                abs(self.sample_std - 0.3) < 0.003 and abs(var - 0.09) < 0.002,
                "|sample std - 0.3| < 0.003, |sample variance - 0.09| < 0.002",
                sample_std=self.sample_std,
                sample_variance=var,
                weights=self.sample_size,
            ),
            claim(
                "wrong-init-slope-lower",
                "With variance 0.3 the mean slope of tanh at the start is"
                " lower on both data sets",
                c.mean_tanh_slope[1] < c.mean_tanh_slope[0]
                and d.mean_tanh_slope[1] < d.mean_tanh_slope[0],
                "slope(wrong) < slope(right), circles and digits",
                circles_right=c.mean_tanh_slope[0],
                circles_wrong=c.mean_tanh_slope[1],
                digits_right=d.mean_tanh_slope[0],
                digits_wrong=d.mean_tanh_slope[1],
            ),
            claim(
                "wrong-init-digits-saturate",
                "On the digits variance 0.3 leaves more hidden units"
                " saturated at the start",
                d.saturated_fraction[1] > d.saturated_fraction[0],
                f"share of |h| > {SATURATION}: wrong > right",
                right=d.saturated_fraction[0],
                wrong=d.saturated_fraction[1],
            ),
            claim(
                "wrong-init-loss-higher",
                "With variance 0.3 the initial loss is higher on both data"
                " sets",
                c.initial_loss[1] > c.initial_loss[0]
                and d.initial_loss[1] > d.initial_loss[0],
                "loss0(wrong) > loss0(right), circles and digits",
                circles_right=c.initial_loss[0],
                circles_wrong=c.initial_loss[1],
                digits_right=d.initial_loss[0],
                digits_wrong=d.initial_loss[1],
            ),
            claim(
                "wrong-init-circles-harmless",
                "On the circles both scales end within 2 points of test"
                " accuracy",
                self.circles_gap < 0.02,
                "|acc(wrong) - acc(right)| < 0.02",
                right=c.final_test_acc[0],
                wrong=c.final_test_acc[1],
            ),
            claim(
                "wrong-init-digits-behind",
                "On the digits variance 0.3 ends behind, in test accuracy"
                " and in training loss",
                d.final_test_acc[1] < d.final_test_acc[0]
                and d.final_train_loss[1] > d.final_train_loss[0],
                "acc(wrong) < acc(right), loss(wrong) > loss(right)",
                acc_right=d.final_test_acc[0],
                acc_wrong=d.final_test_acc[1],
                loss_right=d.final_train_loss[0],
                loss_wrong=d.final_train_loss[1],
            ),
        )


CIRCLES_INIT = TrainConfig(nh=10, eta=0.1, batch_size=10, epochs=60, seed=0)
DIGITS_INIT = TrainConfig(nh=20, eta=0.1, batch_size=10, epochs=10, seed=0)


def init_variance_study(
    digits,
    circles_config: TrainConfig = CIRCLES_INIT,
    digits_config: TrainConfig = DIGITS_INIT,
    *,
    sample_shape: tuple[int, int] = (1000, 784),
) -> InitVariance:
    """Sample the course's weights; compare std 0.3 with sqrt(0.3)."""
    rows, columns = sample_shape
    weights = init_params(columns, rows, 10, seed=0)["Wh"]
    return InitVariance(
        sample_std=float(weights.std()),
        sample_size=weights.numel(),
        circles=init_scale_comparison(config=circles_config),
        digits=init_scale_comparison(digits, digits_config),
        digits_nx=digits.Xtrain.shape[1],
        digits_n=digits.Xtrain.shape[0],
    )


# --- "backprop needs a sequential network" ---------------------------------


def skip_forward(p: dict[str, torch.Tensor], X: torch.Tensor):
    """A DAG, not a chain: h feeds the second layer g and, by a skip, ytilde.

    H = tanh(X W_h^T + b_h), G = tanh(H W_g^T + b_g),
    Ytilde = G W_y^T + H W_s^T + b_y.
    """
    H = torch.tanh(X @ p["Wh"].T + p["bh"])
    G = torch.tanh(H @ p["Wg"].T + p["bg"])
    Ytilde = G @ p["Wy"].T + H @ p["Ws"].T + p["by"]
    return H, G, Ytilde


def skip_loss(p, X, Y) -> torch.Tensor:
    return cross_entropy_from_logits(skip_forward(p, X)[2], Y)


def skip_backward(p, X, Y, *, both_paths: bool = True):
    """Backprop by hand through the DAG: H sums its two consumers' gradients.

    ``both_paths=False`` keeps only the path through G (a chain).
    """
    H, G, Ytilde = skip_forward(p, X)
    delta_y = (softmax(Ytilde) - Y) / X.shape[0]  # B x ny
    delta_g = (delta_y @ p["Wy"]) * (1 - G**2)  # B x ng
    grad_H = delta_g @ p["Wg"]  # B x nh: the path through G
    if both_paths:
        grad_H = grad_H + delta_y @ p["Ws"]  # plus the skip path
    delta_h = grad_H * (1 - H**2)  # B x nh
    return {
        "Wh": delta_h.T @ X,
        "bh": delta_h.sum(0),
        "Wg": delta_g.T @ H,
        "bg": delta_g.sum(0),
        "Wy": delta_y.T @ G,
        "Ws": delta_y.T @ H,
        "by": delta_y.sum(0),
    }


def skip_params(nx=2, nh=4, ng=3, ny=2, *, seed=0) -> dict[str, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    shapes = {"Wh": (nh, nx), "bh": (nh,), "Wg": (ng, nh), "bg": (ng,)}
    shapes |= {"Wy": (ny, ng), "Ws": (ny, nh), "by": (ny,)}
    return {
        k: 0.5 * torch.randn(s, generator=g, dtype=torch.float64)
        for k, s in shapes.items()
    }


@dataclass(frozen=True)
class DagCheck(Finding):
    """Worst relative errors between the skip network's gradients."""

    page = PAGE
    name = "wrong-dag"

    autograd_vs_central: float
    hand_vs_autograd: float
    one_path_vs_autograd: float  # hand backprop without the skip path

    def numbers(self) -> dict[str, object]:
        return {
            "wrong-dag-auto-cd": f"{self.autograd_vs_central:.1e}",
            "wrong-dag-hand": f"{self.hand_vs_autograd:.1e}",
            "wrong-dag-one-path": f"{self.one_path_vs_autograd:.2f}",
        }

    def claims(self) -> tuple[Claim, ...]:
        return (
            claim(
                "wrong-dag-both-paths-agree",
                "On the skip network autograd matches central differences"
                " and the two-path backward matches autograd",
                self.autograd_vs_central < 1e-7
                and self.hand_vs_autograd < 1e-12,
                "autograd vs central < 1e-7, hand vs autograd < 1e-12",
                autograd_vs_central=self.autograd_vs_central,
                hand_vs_autograd=self.hand_vs_autograd,
            ),
            claim(
                "wrong-dag-one-path-fails",
                "The backward that follows only the chain misses the gradient",
                self.one_path_vs_autograd > 1e-2,
                "one path vs autograd > 0.01",
                one_path_vs_autograd=self.one_path_vs_autograd,
            ),
        )


def skip_connection_check(B: int = 10, seed: int = 0) -> DagCheck:
    """Autograd and two-path backprop agree with central differences."""
    data = make_circles(seed=seed)
    X, Y = data.Xtrain[:B], data.Ytrain[:B]
    p = skip_params(seed=seed)
    leaves = {k: v.clone().requires_grad_(True) for k, v in p.items()}
    grads = torch.autograd.grad(skip_loss(leaves, X, Y), list(leaves.values()))
    auto = dict(zip(p, grads))
    numeric = central_differences(lambda q: skip_loss(q, X, Y), p)
    hand = skip_backward(p, X, Y)
    one_path = skip_backward(p, X, Y, both_paths=False)

    def worst(a, b):
        return max(relative_error(a[k], b[k]) for k in p)

    return DagCheck(
        worst(auto, numeric), worst(hand, auto), worst(one_path, auto)
    )

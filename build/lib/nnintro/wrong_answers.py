"""Common wrong answers to questions 14-17, each refuted by a computed counterexample.

Each function returns a small frozen dataclass of the numbers the book glues; its ``refuted``
property says whether the counterexample really contradicts the wrong answer, and the page and
the tests assert it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy as sp
import torch

from nnintro.data import make_circles
from nnintro.derivations.backprop import (
    simplification_residual_closed_form,
    simplified_cross_entropy_closed_form,
)
from nnintro.derivations.core import cross_entropy_of_softmax, softmax_exprs
from nnintro.gradcheck import autograd_gradients, central_differences, relative_error
from nnintro.network import (
    INIT_STD,
    backward,
    cross_entropy_from_logits,
    forward,
    init_params,
    softmax,
)
from nnintro.training import TrainConfig, train

# --- "the simplification holds because yhat sums to 1" -----------------------------------------


@dataclass(frozen=True)
class SimplexCounterexample:
    """CE of the SoftMax and the simplified form (eq. q14-simplified) for targets not summing to 1."""

    ytilde: tuple
    y: tuple
    sum_yhat: sp.Expr  # exactly 1, whatever y is
    sum_y: sp.Expr
    cross_entropy: float
    simplified: float
    residual: float  # cross_entropy - simplified
    predicted_residual: float  # (sum y - 1) log sum exp(ytilde), eq. q14-residual

    @property
    def refuted(self) -> bool:
        return (
            self.sum_yhat == 1
            and self.sum_y != 1
            and abs(self.residual) > 1e-3
            and math.isclose(self.residual, self.predicted_residual, rel_tol=1e-12)
        )


def simplification_without_simplex_targets(
    ytilde=(2, -1, 0.5), y=(1, 1, 0)
) -> SimplexCounterexample:
    """Exact SymPy values: yhat sums to 1, y does not, and the two forms of the loss differ.

    The default target ticks two classes (a multi-label target), so it sums to 2.
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
        predicted_residual=float(simplification_residual_closed_form(ytilde, y)),
    )


# --- helpers: one random example, the exact gradient of its loss -------------------------------


def random_example(nx=2, nh=3, ny=3, *, seed=0, label=0):
    """Parameters from ``init_params``, one input row x and a one-hot target of class ``label``."""
    params = init_params(nx, nh, ny, seed=seed)
    x = torch.randn(1, nx, generator=torch.Generator().manual_seed(seed + 1), dtype=torch.float64)
    Y = torch.zeros(1, ny, dtype=torch.float64)
    Y[0, label] = 1.0
    return params, x, Y


@dataclass(frozen=True)
class GradientCounterexample:
    """A wrong gradient formula against autograd (the relative error of the whole tensor)."""

    wrong: torch.Tensor
    correct: torch.Tensor  # autograd
    relative_error: float
    note: float  # a number that explains the failure (see each function)

    @property
    def refuted(self) -> bool:
        return self.relative_error > 0.1


def output_gradient_with_summed_error(seed: int = 0) -> GradientCounterexample:
    """Wrong: dl/dW_y,ij = h_j sum_k (yhat_k - y_k). The sum is 0, so the 'gradient' vanishes.

    ``note`` is sum_k (yhat_k - y_k), which is 0 (up to rounding) because both vectors sum to 1.
    """
    params, x, Y = random_example(seed=seed)
    _, out = forward(params, x)
    summed = (out["yhat"] - Y).sum()
    wrong = summed * out["h"].expand(params["Wy"].shape[0], -1)  # entry ij: h_j * sum_k (...)
    correct = autograd_gradients(params, x, Y)["Wy"]
    return GradientCounterexample(wrong, correct, relative_error(wrong, correct), float(summed))


def hidden_gradient_without_upstream(seed: int = 0) -> GradientCounterexample:
    """Wrong: dl/dhtilde = 1 - h^2 (the local derivative alone), hence dl/dW_h = (1 - h^2) x^T.

    ``note`` is how much the wrong gradient changes when the target class changes: 0, since it
    never looks at the target, while the true gradient does change.
    """
    grads = []
    for label in (0, 1):
        params, x, Y = random_example(seed=seed, label=label)
        _, out = forward(params, x)
        grads.append(((1 - out["h"] ** 2).T @ x, autograd_gradients(params, x, Y)["Wh"]))
    (wrong, correct), (wrong_other, _) = grads
    change = float(torch.linalg.vector_norm(wrong - wrong_other))
    return GradientCounterexample(wrong, correct, relative_error(wrong, correct), change)


def target_dependence_of_true_hidden_gradient(seed: int = 0) -> float:
    """Norm of the change of the true dl/dW_h when the target class changes from 0 to 1."""
    grads = []
    for label in (0, 1):
        params, x, Y = random_example(seed=seed, label=label)
        grads.append(autograd_gradients(params, x, Y)["Wh"])
    return float(torch.linalg.vector_norm(grads[0] - grads[1]))


# --- the factor-N mismatch ----------------------------------------------------------------------


@dataclass(frozen=True)
class ScaleMismatch:
    """Gradient of W_y written per example and summed, without 1/N, against autograd's mean loss."""

    N: int
    ratios: torch.Tensor  # entrywise wrong / autograd
    relative_error_without_1_over_N: float
    relative_error_backward: float  # the package's backward (with 1/N) against autograd

    @property
    def refuted(self) -> bool:
        return (
            torch.allclose(self.ratios, torch.full_like(self.ratios, float(self.N)), rtol=1e-9)
            and self.relative_error_backward < 1e-12
        )


def factor_n_mismatch(N: int = 8, seed: int = 0) -> ScaleMismatch:
    """Sum_n (yhat_n - y_n) h_n^T versus the gradient of the mean loss: every entry N times too big."""
    data = make_circles(seed=seed)
    X, Y = data.Xtrain[:N], data.Ytrain[:N]
    params = init_params(2, 3, 2, seed=seed)
    _, out = forward(params, X)
    wrong = (out["yhat"] - Y).T @ out["h"]
    correct = autograd_gradients(params, X, Y)
    mine = backward(params, out, Y)
    return ScaleMismatch(
        N=N,
        ratios=wrong / correct["Wy"],
        relative_error_without_1_over_N=relative_error(wrong, correct["Wy"]),
        relative_error_backward=max(relative_error(mine[k], correct[k]) for k in correct),
    )


# --- weights drawn with the wrong standard deviation --------------------------------------------

WRONG_INIT_STD = 1 / math.sqrt(0.3)


@dataclass(frozen=True)
class InitScaleComparison:
    """Hidden-unit saturation at initialisation and a short training run, per standard deviation."""

    stds: tuple[float, ...]
    saturated_fraction: tuple[float, ...]  # share of |h| > SATURATION on the training inputs
    mean_tanh_slope: tuple[float, ...]  # mean of 1 - h^2 on the training inputs
    initial_loss: tuple[float, ...]
    histories: tuple  # training History per std

    @property
    def final_test_acc(self) -> tuple[float, ...]:
        return tuple(h.final("test_acc") for h in self.histories)

    @property
    def final_train_loss(self) -> tuple[float, ...]:
        return tuple(h.final("train_loss") for h in self.histories)

    @property
    def saturates_more(self) -> bool:
        """The wrong (larger) std leaves more units saturated and a smaller mean slope tanh'."""
        (s0, s1), (d0, d1) = self.saturated_fraction, self.mean_tanh_slope
        return s1 > s0 and d1 < d0

    @property
    def trains_worse(self) -> bool:
        """The wrong std ends with a lower test accuracy and a higher training loss."""
        (a0, a1), (l0, l1) = self.final_test_acc, self.final_train_loss
        return a1 < a0 and l1 > l0


SATURATION = 0.99


INIT_COMPARISON = TrainConfig(nh=10, eta=0.1, batch_size=10, epochs=20, seed=0)


def init_scale_comparison(
    data=None,
    config: TrainConfig = INIT_COMPARISON,
    stds: tuple[float, ...] = (INIT_STD, WRONG_INIT_STD),
) -> InitScaleComparison:
    """Draw the weights with each std, measure tanh saturation, then train briefly from there.

    ``data`` is the circles data of ``config.seed`` by default, or any data set ``train`` takes
    (e.g. :func:`nnintro.digits.load_sklearn_digits`).
    """
    data = make_circles(seed=config.seed) if data is None else data
    nx, ny = data.Xtrain.shape[1], data.Ytrain.shape[1]
    saturated, slope, initial, histories = [], [], [], []
    for std in stds:
        params = init_params(nx, config.nh, ny, seed=config.seed, std=std)
        _, out = forward(params, data.Xtrain)
        saturated.append(float((out["h"].abs() > SATURATION).double().mean()))
        slope.append(float((1 - out["h"] ** 2).mean()))
        initial.append(float(cross_entropy_from_logits(out["ytilde"], data.Ytrain)))
        histories.append(train(config, data, params=params))
    return InitScaleComparison(
        tuple(stds), tuple(saturated), tuple(slope), tuple(initial), tuple(histories)
    )


# --- "backprop needs a sequential network" ------------------------------------------------------


def skip_forward(p: dict[str, torch.Tensor], X: torch.Tensor):
    """A DAG, not a chain: h feeds both the second hidden layer g and, by a skip, the output.

    H = tanh(X W_h^T + b_h), G = tanh(H W_g^T + b_g), Ytilde = G W_y^T + H W_s^T + b_y.
    """
    H = torch.tanh(X @ p["Wh"].T + p["bh"])
    G = torch.tanh(H @ p["Wg"].T + p["bg"])
    Ytilde = G @ p["Wy"].T + H @ p["Ws"].T + p["by"]
    return H, G, Ytilde


def skip_loss(p, X, Y) -> torch.Tensor:
    return cross_entropy_from_logits(skip_forward(p, X)[2], Y)


def skip_backward(p, X, Y, *, both_paths: bool = True) -> dict[str, torch.Tensor]:
    """Backprop by hand through the DAG: H gets the sum of the gradients of its two consumers.

    ``both_paths=False`` keeps only the path through G (treating the net as a chain).
    """
    H, G, Ytilde = skip_forward(p, X)
    delta_y = (softmax(Ytilde) - Y) / X.shape[0]  # N x ny
    delta_g = (delta_y @ p["Wy"]) * (1 - G**2)  # N x ng
    grad_H = delta_g @ p["Wg"]  # N x nh: the path through G
    if both_paths:
        grad_H = grad_H + delta_y @ p["Ws"]  # plus the skip path
    delta_h = grad_H * (1 - H**2)  # N x nh
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
    return {k: 0.5 * torch.randn(s, generator=g, dtype=torch.float64) for k, s in shapes.items()}


@dataclass(frozen=True)
class DagCheck:
    """Worst relative errors between the gradients of the skip-connection network."""

    autograd_vs_central: float
    hand_vs_autograd: float
    one_path_vs_autograd: float  # hand backprop that forgets the skip path into H

    @property
    def refuted(self) -> bool:
        return (
            self.autograd_vs_central < 1e-7
            and self.hand_vs_autograd < 1e-12
            and self.one_path_vs_autograd > 1e-2
        )


def skip_connection_check(N: int = 10, seed: int = 0) -> DagCheck:
    """Autograd and hand backprop on the DAG agree with central differences; a chain-only one fails."""
    data = make_circles(seed=seed)
    X, Y = data.Xtrain[:N], data.Ytrain[:N]
    p = skip_params(seed=seed)
    leaves = {k: v.clone().requires_grad_(True) for k, v in p.items()}
    auto = dict(zip(p, torch.autograd.grad(skip_loss(leaves, X, Y), list(leaves.values()))))
    numeric = central_differences(lambda q: skip_loss(q, X, Y), p)
    hand = skip_backward(p, X, Y)
    one_path = skip_backward(p, X, Y, both_paths=False)

    def worst(a, b):
        return max(relative_error(a[k], b[k]) for k in p)

    return DagCheck(worst(auto, numeric), worst(hand, auto), worst(one_path, auto))

"""The forward page, question 3: the same network trained with and without
its activation, and what a line can do.

Two lines are fitted for comparison: the best half-plane chosen on the test
set itself (an upper bound for every linear classifier on these points) and
the best one chosen on the training set. The interval of the hidden outputs is
measured with and without tanh.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from nnintro.circles import CirclesData
from nnintro.findings import Claim, Finding, above, below, claim, each
from nnintro.forward_pass import softmax
from nnintro.network import accuracy, cross_entropy_from_logits, init_params

ACTIVATIONS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "tanh": torch.tanh,
    "identity": lambda t: t,
}


def activation_forward(params, X, activation: Callable = torch.tanh):
    """(yhat, ytilde, h) of SoftMax(Wy act(Wh x + bh) + by), batch form."""
    htilde = X @ params["Wh"].T + params["bh"]  # N x nh
    h = activation(htilde)  # N x nh
    ytilde = h @ params["Wy"].T + params["by"]  # N x ny
    return softmax(ytilde), ytilde, h


@dataclass(frozen=True)
class ActivationRunConfig:
    """Full-batch gradient descent with autograd on the circles."""

    nh: int = 10
    eta: float = 0.5
    epochs: int = 400
    seed: int = 0


def activation_gradients(params, X, Y, activation: Callable) -> dict:
    """Autograd's gradient of the mean cross-entropy, per parameter."""
    leaves = {k: p.detach().requires_grad_(True) for k, p in params.items()}
    _, ytilde, _ = activation_forward(leaves, X, activation)
    loss = cross_entropy_from_logits(ytilde, Y)
    grads = torch.autograd.grad(loss, list(leaves.values()))
    return dict(zip(leaves, grads))


def train_with_activation(
    data: CirclesData, activation: Callable, config: ActivationRunConfig
) -> dict[str, torch.Tensor]:
    """Full-batch gradient descent (autograd); returns the trained params."""
    nx, ny = data.Xtrain.shape[1], data.Ytrain.shape[1]
    params = init_params(nx, config.nh, ny, seed=config.seed)
    for _ in range(config.epochs):
        grads = activation_gradients(
            params, data.Xtrain, data.Ytrain, activation
        )
        params = {k: p - config.eta * grads[k] for k, p in params.items()}
    return params


@dataclass(frozen=True)
class HalfPlane:
    """The rule "class 1 when direction . x > offset"."""

    direction: np.ndarray  # 2
    offset: float

    def accuracy(self, X: torch.Tensor, Y: torch.Tensor) -> float:
        predicted = X.numpy() @ self.direction > self.offset
        return float(np.mean(predicted == (Y[:, 1].numpy() == 1)))


LINE_DIRECTIONS = 3600  # the directions best_half_plane tries, 0.1 deg apart


def best_half_plane(
    X: torch.Tensor, Y: torch.Tensor, angles: int = LINE_DIRECTIONS
) -> HalfPlane:
    """The half-plane with the best accuracy on (X, Y),
    over ``angles`` directions.

    For each direction every threshold between two sorted projections is tried,
    so the result is the best line up to the angular resolution.
    """
    points, is_one = X.numpy(), Y[:, 1].numpy() == 1
    best, best_rule = -1, HalfPlane(np.array([1.0, 0.0]), 0.0)
    for theta in np.linspace(0, 2 * np.pi, angles, endpoint=False):
        direction = np.array([np.cos(theta), np.sin(theta)])
        projection = points @ direction
        order = np.argsort(projection)
        ones = is_one[order]
        # first k sorted points predicted 0, the rest 1
        correct = np.concatenate([[0], np.cumsum(~ones)]) + (
            ones.sum() - np.concatenate([[0], np.cumsum(ones)])
        )
        k = int(correct.argmax())
        if correct[k] > best:
            p = np.concatenate([[projection.min() - 2], np.sort(projection)])
            p = np.append(p, p[-1] + 2)
            best = correct[k]
            best_rule = HalfPlane(direction, float((p[k] + p[k + 1]) / 2))
    return best_rule


@dataclass(frozen=True)
class ActivationFinding(Finding):
    """Q3: tanh against no activation, and the best lines for comparison."""

    page = "forward"
    name = "q3-activation"

    config: ActivationRunConfig
    params: dict  # "identity" and "tanh" -> trained params
    test_acc: dict  # "identity" and "tanh" -> test accuracy
    hidden_max: dict  # "identity" and "tanh" -> max |h| on the test points
    line_on_test: float  # best half-plane chosen on the test set
    line_from_train: float  # best half-plane of the training set, on test
    linear_p1: np.ndarray  # P(class 1) of the linear network, test points

    def predict(self, activation: str) -> Callable:
        act = ACTIVATIONS[activation]
        return lambda X: activation_forward(self.params[activation], X, act)[0]

    def numbers(self) -> dict[str, object]:
        return {
            "fwd-act-epochs": self.config.epochs,
            "fwd-act-eta": self.config.eta,
            "fwd-linear-acc": 100 * self.test_acc["identity"],
            "fwd-tanh-acc": 100 * self.test_acc["tanh"],
            "fwd-line-test": 100 * self.line_on_test,
            "fwd-line-train": 100 * self.line_from_train,
            "fwd-line-directions": LINE_DIRECTIONS,
            "fwd-linear-pmin": float(self.linear_p1.min()),
            "fwd-linear-pmax": float(self.linear_p1.max()),
            "fwd-tanh-margin": 1 - self.hidden_max["tanh"],
            "fwd-linear-hmax": self.hidden_max["identity"],
        }

    def claims(self) -> tuple[Claim, ...]:
        tanh = ("tanh network", self.test_acc["tanh"])
        linear = ("linear network", self.test_acc["identity"])
        on_test = ("best line on test", self.line_on_test)
        ahead = ("tanh - best line on test", tanh[1] - on_test[1])
        from_train = ("line from training", self.line_from_train)
        p1 = {f"point {i}": abs(p - 0.5) for i, p in enumerate(self.linear_p1)}
        margin = ("1 - max |h| with tanh", 1 - self.hidden_max["tanh"])
        unbounded = ("max |h| without activation", self.hidden_max["identity"])
        return (
            claim(
                "q3-tanh-separates",
                "With tanh the network classifies the test points well",
                above(tanh, 0.85),
            ),
            claim(
                "q3-no-line-comes-close",
                "Even the best line chosen on the test set itself stays"
                " more than 15 points below the tanh network",
                above(ahead, 0.15),
            ),
            claim(
                "q3-linear-net-near-constant",
                "Without activation the trained network ends near a constant"
                " predictor: every test probability is within 0.1 of one half",
                each("|P(class 1) - 0.5|", p1, "<", 0.1, of="test points"),
            ),
            claim(
                "q3-linear-net-below-lines",
                "The network without activation scores below the line "
                "fitted on the training set",
                below(linear, from_train),
            ),
            claim(
                "q3-tanh-bounds-hidden",
                "With tanh every hidden output on the test points lies"
                " strictly between -1 and 1; without an activation the"
                " hidden values leave that interval",
                above(margin, 0) & above(unbounded, 1),
            ),
        )


def activation_study(
    data: CirclesData, config: ActivationRunConfig = ActivationRunConfig()
) -> ActivationFinding:
    """Train with and without tanh; find the best lines on test and train."""
    params, test_acc, hidden_max = {}, {}, {}
    for name in ("identity", "tanh"):
        params[name] = train_with_activation(data, ACTIVATIONS[name], config)
        Yhat, _, h = activation_forward(
            params[name], data.Xtest, ACTIVATIONS[name]
        )
        test_acc[name] = accuracy(Yhat, data.Ytest)
        hidden_max[name] = float(h.abs().max())
        if name == "identity":
            linear_p1 = Yhat[:, 1].numpy()
    from_train = best_half_plane(data.Xtrain, data.Ytrain)
    on_test = best_half_plane(data.Xtest, data.Ytest)
    return ActivationFinding(
        config,
        params,
        test_acc,
        hidden_max,
        on_test.accuracy(data.Xtest, data.Ytest),
        from_train.accuracy(data.Xtest, data.Ytest),
        linear_p1,
    )

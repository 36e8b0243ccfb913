"""Question 3: the same network with and without its activation,
and what a line can do.

The network without activation computes logits that are affine in x, so its
decision boundary is a straight line. How well can a line do on a ring around a
disc? Three lines answer: the best half-plane chosen on the test set itself (an
upper bound for every linear classifier on these points), the best half-plane
chosen on the training set, and the network without activation trained by
cross-entropy, which ends near a constant predictor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from nnintro.data import CirclesData
from nnintro.findings import Claim, Finding, claim
from nnintro.network import accuracy, init_params, softmax


def step(t: torch.Tensor) -> torch.Tensor:
    """The unit step as 0.5 (sign(t) + 1): autograd knows the rule of sign."""
    return 0.5 * (torch.sign(t) + 1)  # torch.heaviside has no derivative


ACTIVATIONS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "tanh": torch.tanh,
    "identity": lambda t: t,
    "relu": torch.relu,
    "step": step,
}


def activation_forward(params, X, activation: str = "tanh"):
    """yhat = SoftMax(Wy act(Wh x + bh) + by), batch form, any activation."""
    htilde = X @ params["Wh"].T + params["bh"]  # N x nh
    h = ACTIVATIONS[activation](htilde)  # N x nh
    ytilde = h @ params["Wy"].T + params["by"]  # N x ny
    return softmax(ytilde), ytilde


@dataclass(frozen=True)
class ActivationRunConfig:
    """Full-batch gradient descent with autograd on the circles."""

    nh: int = 10
    eta: float = 0.5
    epochs: int = 400
    seed: int = 0


@dataclass(frozen=True)
class ActivationRun:
    activation: str
    params: dict
    train_acc: float
    test_acc: float
    loss: np.ndarray  # training loss per epoch (index 0 before any step)

    def predict(self, X: torch.Tensor) -> torch.Tensor:
        return activation_forward(self.params, X, self.activation)[0]


def train_with_activation(
    data: CirclesData,
    activation: str,
    config: ActivationRunConfig = ActivationRunConfig(),
) -> ActivationRun:
    """Train the network with ``activation`` by full-batch GD (autograd)."""
    if activation not in ACTIVATIONS:
        raise KeyError(
            f"unknown activation {activation!r}; "
            f"choose from {sorted(ACTIVATIONS)}"
        )
    nx, ny = data.Xtrain.shape[1], data.Ytrain.shape[1]
    params = init_params(nx, config.nh, ny, seed=config.seed)
    params = {k: v.clone().requires_grad_(True) for k, v in params.items()}
    labels = data.Ytrain.argmax(dim=1)
    losses = []
    for epoch in range(config.epochs + 1):
        _, ytilde = activation_forward(params, data.Xtrain, activation)
        L = torch.nn.functional.cross_entropy(ytilde, labels)
        losses.append(float(L.detach()))
        if epoch == config.epochs:
            break
        grads = torch.autograd.grad(L, list(params.values()))
        with torch.no_grad():
            for p, g in zip(params.values(), grads, strict=True):
                p -= config.eta * g
    params = {k: v.detach() for k, v in params.items()}
    with torch.no_grad():
        train_acc = accuracy(
            activation_forward(params, data.Xtrain, activation)[0], data.Ytrain
        )
        test_acc = accuracy(
            activation_forward(params, data.Xtest, activation)[0], data.Ytest
        )
    return ActivationRun(
        activation, params, train_acc, test_acc, np.array(losses)
    )


@dataclass(frozen=True)
class HalfPlane:
    """The rule "class 1 when direction . x > offset"."""

    direction: np.ndarray  # 2
    offset: float

    def accuracy(self, X: torch.Tensor, Y: torch.Tensor) -> float:
        predicted = X.numpy() @ self.direction > self.offset
        return float(np.mean(predicted == (Y[:, 1].numpy() == 1)))


def best_half_plane(
    X: torch.Tensor, Y: torch.Tensor, angles: int = 3600
) -> HalfPlane:
    """The half-plane with the best accuracy on (X, Y),
    over ``angles`` directions.

    For each direction every threshold between two sorted projections is tried,
    so the result is the best line up to the angular resolution.
    """
    points, is_one = X.numpy(), Y[:, 1].numpy() == 1
    best, best_rule = -1, None
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
            p = projection[order]
            if k == 0:
                offset = p[0] - 1.0
            elif k == len(p):
                offset = p[-1] + 1.0
            else:
                offset = (p[k - 1] + p[k]) / 2
            best, best_rule = correct[k], HalfPlane(direction, float(offset))
    assert best_rule is not None
    return best_rule


@dataclass(frozen=True)
class ActivationFinding(Finding):
    """Q3: tanh against no activation, and the best lines for comparison."""

    page = "forward"
    name = "q3-activation"

    config: ActivationRunConfig
    runs: dict  # "identity" and "tanh" -> ActivationRun
    line_on_test: float  # best half-plane chosen on the test set
    line_from_train: float  # best half-plane of the training set, on test
    linear_prob_range: tuple[float, float]  # min, max P(class 1), test

    def numbers(self) -> dict[str, object]:
        pct = lambda a: f"{100 * a:.1f}"  # noqa: E731
        low, high = self.linear_prob_range
        return {
            "fwd-act-epochs": self.config.epochs,
            "fwd-act-eta": self.config.eta,
            "fwd-linear-acc": pct(self.runs["identity"].test_acc),
            "fwd-tanh-acc": pct(self.runs["tanh"].test_acc),
            "fwd-line-test": pct(self.line_on_test),
            "fwd-line-train": pct(self.line_from_train),
            "fwd-linear-pmin": f"{low:.3f}",
            "fwd-linear-pmax": f"{high:.3f}",
        }

    def claims(self) -> tuple[Claim, ...]:
        linear = self.runs["identity"].test_acc
        tanh = self.runs["tanh"].test_acc
        low, high = self.linear_prob_range
        return (
            claim(
                "q3-tanh-separates",
                "With tanh the network classifies the test points well",
                tanh > 0.85,
                "test accuracy with tanh > 0.85",
                tanh=tanh,
            ),
            claim(
                "q3-no-line-comes-close",
                "Even the best line chosen on the test set itself stays far "
                "below the tanh network",
                tanh - self.line_on_test > 0.15,
                "tanh - best line on test > 0.15",
                tanh=tanh,
                best_line=self.line_on_test,
            ),
            claim(
                "q3-trained-line-below-best",
                "A line fitted on the training set does worse on the test"
                " set than the best line chosen there",
                self.line_from_train <= self.line_on_test,
                "line from training <= best line on test",
                from_train=self.line_from_train,
                best_line=self.line_on_test,
            ),
            claim(
                "q3-linear-net-near-constant",
                "Without activation the trained network ends near a constant"
                " predictor: every test probability is within 0.1 of one half",
                max(abs(low - 0.5), abs(high - 0.5)) < 0.1,
                "max |P(class 1) - 0.5| < 0.1 on the test points",
                p_min=low,
                p_max=high,
            ),
            claim(
                "q3-linear-net-below-lines",
                "The network without activation scores below the line "
                "fitted on the training set",
                linear < self.line_from_train,
                "linear network < line from training",
                linear=linear,
                from_train=self.line_from_train,
            ),
        )


def activation_study(
    data: CirclesData, config: ActivationRunConfig = ActivationRunConfig()
) -> ActivationFinding:
    """Train with and without tanh; find the best lines on test and train."""
    runs = {
        name: train_with_activation(data, name, config)
        for name in ("identity", "tanh")
    }
    with torch.no_grad():
        p1 = runs["identity"].predict(data.Xtest)[:, 1]
    from_train = best_half_plane(data.Xtrain, data.Ytrain)
    on_test = best_half_plane(data.Xtest, data.Ytest)
    return ActivationFinding(
        config,
        runs,
        on_test.accuracy(data.Xtest, data.Ytest),
        from_train.accuracy(data.Xtest, data.Ytest),
        (float(p1.min()), float(p1.max())),
    )

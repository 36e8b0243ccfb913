"""Small, seeded experiments of Part I: sample size (q2), with and without tanh (q3), batch size
and learning rate (q10, q11), a step activation (q13), and the two losses' logit gradients (q9).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch

from nnintro.data import CirclesData, make_circles
from nnintro.network import init_params, softmax
from nnintro.training import History, TrainConfig, train

# --- q2: test accuracy against the number of training examples ------------------------------


@dataclass(frozen=True)
class SampleSizeConfig:
    """Training-set sizes N (even: half per class), seeds, and a fixed budget of SGD updates."""

    sizes: tuple[int, ...] = (10, 30, 100, 300, 600)
    seeds: tuple[int, ...] = (0, 1, 2)
    test_per_class: int = 250
    test_seed: int = 12345
    nh: int = 10
    eta: float = 0.5
    batch_size: int = 10
    updates: int = 800

    def __post_init__(self):
        if any(n < 2 or n % 2 for n in self.sizes):
            raise ValueError(f"every N must be even and at least 2, got {self.sizes}")


@dataclass(frozen=True)
class SampleSizeResult:
    config: SampleSizeConfig
    test_acc: np.ndarray  # len(sizes) x len(seeds)
    train_acc: np.ndarray  # len(sizes) x len(seeds)
    epochs: tuple[
        int, ...
    ]  # epochs used for each N (so that every run takes about `updates` steps)

    @property
    def mean(self) -> np.ndarray:
        return self.test_acc.mean(axis=1)

    @property
    def spread(self) -> np.ndarray:
        """Standard deviation over seeds (ddof=1)."""
        return self.test_acc.std(axis=1, ddof=1)


def with_fixed_test_set(train_data: CirclesData, test_data: CirclesData) -> CirclesData:
    """The training set of one draw with the (large, shared) test set of another."""
    return CirclesData(
        train_data.Xtrain,
        train_data.Ytrain,
        test_data.Xtest,
        test_data.Ytest,
        train_data.Xgrid,
        train_data.seed,
    )


def sample_size_study(config: SampleSizeConfig = SampleSizeConfig()) -> SampleSizeResult:
    """Train on N = sizes[k] examples for each seed; score on one large test set drawn once."""
    test = make_circles(config.test_seed, n_per_class=config.test_per_class)
    test_acc = np.zeros((len(config.sizes), len(config.seeds)))
    train_acc = np.zeros_like(test_acc)
    epochs_used = []
    for i, n in enumerate(config.sizes):
        batches_per_epoch = math.ceil(n / config.batch_size)
        epochs = max(1, round(config.updates / batches_per_epoch))
        epochs_used.append(epochs)
        for j, seed in enumerate(config.seeds):
            data = with_fixed_test_set(make_circles(seed, n_per_class=n // 2), test)
            run = TrainConfig(
                nh=config.nh, eta=config.eta, batch_size=config.batch_size, epochs=epochs, seed=seed
            )
            history = train(run, data)
            test_acc[i, j] = history.final("test_acc")
            train_acc[i, j] = history.final("train_acc")
    return SampleSizeResult(config, test_acc, train_acc, tuple(epochs_used))


# --- q3: the same network with and without the activation (torch autograd) ----------------


ACTIVATIONS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "tanh": torch.tanh,
    "identity": lambda t: t,
    "relu": torch.relu,
    # the unit step written as 0.5 (sign(t) + 1): torch.heaviside has no derivative rule at all
    "step": lambda t: 0.5 * (torch.sign(t) + 1),
}


def activation_forward(params, X, activation: str = "tanh"):
    """yhat = SoftMax(Wy act(Wh x + bh) + by), batch form, any activation of :data:`ACTIVATIONS`."""
    htilde = X @ params["Wh"].T + params["bh"]  # N x nh
    h = ACTIVATIONS[activation](htilde)  # N x nh
    ytilde = h @ params["Wy"].T + params["by"]  # N x ny
    return softmax(ytilde), ytilde


@dataclass(frozen=True)
class ActivationRunConfig:
    """Full-batch gradient descent with autograd on the circles, for one activation."""

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


def accuracy(Yhat: torch.Tensor, Y: torch.Tensor) -> float:
    return float((Yhat.argmax(dim=1) == Y.argmax(dim=1)).double().mean())


def train_with_activation(
    data: CirclesData, activation: str, config: ActivationRunConfig = ActivationRunConfig()
) -> ActivationRun:
    """Train the one-hidden-layer network with ``activation`` by full-batch GD (autograd)."""
    if activation not in ACTIVATIONS:
        raise KeyError(f"unknown activation {activation!r}; choose from {sorted(ACTIVATIONS)}")
    params = init_params(data.Xtrain.shape[1], config.nh, data.Ytrain.shape[1], seed=config.seed)
    params = {k: v.clone().requires_grad_(True) for k, v in params.items()}
    losses = []
    for _ in range(config.epochs + 1):
        _, ytilde = activation_forward(params, data.Xtrain, activation)
        L = torch.nn.functional.cross_entropy(ytilde, data.Ytrain.argmax(dim=1))
        losses.append(float(L.detach()))
        if len(losses) > config.epochs:
            break
        grads = torch.autograd.grad(L, list(params.values()))
        with torch.no_grad():
            for p, g in zip(params.values(), grads):
                p -= config.eta * g
    params = {k: v.detach() for k, v in params.items()}
    with torch.no_grad():
        train_acc = accuracy(activation_forward(params, data.Xtrain, activation)[0], data.Ytrain)
        test_acc = accuracy(activation_forward(params, data.Xtest, activation)[0], data.Ytest)
    return ActivationRun(activation, params, train_acc, test_acc, np.array(losses))


# --- q13: a step activation has zero gradient ------------------------------------------------


def activation_gradients(data: CirclesData, activation: str, *, nh: int = 10, seed: int = 0):
    """Autograd's gradient of the mean CE for every parameter, for the given activation."""
    params = init_params(data.Xtrain.shape[1], nh, data.Ytrain.shape[1], seed=seed)
    params = {k: v.clone().requires_grad_(True) for k, v in params.items()}
    _, ytilde = activation_forward(params, data.Xtrain, activation)
    L = torch.nn.functional.cross_entropy(ytilde, data.Ytrain.argmax(dim=1))
    return dict(zip(params, torch.autograd.grad(L, list(params.values()))))


def step_gradient_from_autograd(t: torch.Tensor) -> torch.Tensor:
    """d step(t) / dt as autograd computes it, with the step written as a differentiable graph.

    torch.heaviside has no derivative rule, so the step is written 0.5 * (sign(t) + 1): the same
    function (step(0) = 1/2), and sign's derivative rule is zero.
    """
    t = t.detach().clone().requires_grad_(True)
    (0.5 * (torch.sign(t) + 1)).sum().backward()
    return t.grad


# --- q10, q11: batch size and learning rate --------------------------------------------------


@dataclass(frozen=True)
class BatchSizeStudy:
    """Full batch, mini-batch and online gradient descent, with one learning rate."""

    batch_sizes: tuple[int, ...] = (200, 10, 1)
    eta: float = 0.1
    epochs: int = 20
    nh: int = 10
    seed: int = 0


def batch_size_runs(data: CirclesData, study: BatchSizeStudy = BatchSizeStudy()) -> dict:
    """Batch size -> History of one run (same initial weights: same seed)."""
    return {
        bs: train(
            TrainConfig(
                nh=study.nh, eta=study.eta, batch_size=bs, epochs=study.epochs, seed=study.seed
            ),
            data,
        )
        for bs in study.batch_sizes
    }


@dataclass(frozen=True)
class LearningRateStudy:
    """A sweep of learning rates at one batch size, from too small to diverging."""

    etas: tuple[float, ...] = (0.01, 0.1, 1.0, 10.0)
    batch_size: int = 10
    epochs: int = 30
    nh: int = 10
    seed: int = 0


def learning_rate_runs(
    data: CirclesData, study: LearningRateStudy = LearningRateStudy()
) -> dict[float, History]:
    """Learning rate -> History; a run that diverges stops and says so (``History.status``)."""
    return {
        eta: train(
            TrainConfig(
                nh=study.nh,
                eta=eta,
                batch_size=study.batch_size,
                epochs=study.epochs,
                seed=study.seed,
            ),
            data,
        )
        for eta in study.etas
    }


# --- q9: the logit gradients of the two losses by autograd -------------------------------------


def autograd_true_logit_gradients(z: Sequence[float]) -> dict[str, np.ndarray]:
    """dl/dytilde_1 at logits (z, 0), target (1, 0), for CE and squared error, by autograd."""
    zt = torch.tensor(np.asarray(z, dtype=float), requires_grad=True)
    ytilde = torch.stack([zt, torch.zeros_like(zt)], dim=1)  # N x 2
    yhat = torch.softmax(ytilde, dim=1)
    target = torch.tensor([1.0, 0.0], dtype=torch.float64)
    ce = -(target * torch.log_softmax(ytilde, dim=1)).sum()
    mse = ((yhat - target) ** 2).sum()
    (g_ce,) = torch.autograd.grad(ce, zt)
    (g_mse,) = torch.autograd.grad(mse, zt)
    return {"cross-entropy": g_ce.numpy(), "squared error": g_mse.numpy()}

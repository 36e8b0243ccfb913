"""Small, seeded experiments of Part I (being moved into one module per page: see
``nnintro.experiments.sample_size`` for the pattern): with and without tanh (q3), batch size
and learning rate (q10, q11), a step activation (q13), and the two losses' logit gradients (q9).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch

from nnintro.data import CirclesData
from nnintro.network import init_params, softmax
from nnintro.training import History, TrainConfig, train

# --- q3: moved to nnintro.experiments.activations (re-exported for the pages still using them)

from nnintro.experiments.activations import (  # noqa: E402, F401
    ACTIVATIONS,
    ActivationRun,
    ActivationRunConfig,
    activation_forward,
    train_with_activation,
)
from nnintro.network import accuracy  # noqa: E402, F401


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


from nnintro.experiments.losses import autograd_true_logit_gradients  # noqa: E402, F401



"""One network trained four ways: by hand, with autograd, nn and optim.

Each trainer takes the same starting parameters and the same schedule of
mini-batches (a list of epochs, each a list of index tensors) and returns a
:class:`Trajectory`, so the four can be compared update by update.
``nn.Linear`` stores its weight as out x in, like ``Wh`` and ``Wy``, so the
``nn`` model can be built around the very same tensors.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from nnintro.network import (
    backward,
    cross_entropy_from_logits,
    forward,
    init_params,
    sgd,
)
from nnintro.training import TrainConfig, epoch_batches
from nnintro.validation import PARAM_KEYS


@dataclass(frozen=True)
class Trajectory:
    """The loss before each update, the parameters after each epoch."""

    losses: np.ndarray  # one entry per update
    params: list[dict[str, torch.Tensor]]  # one dict per epoch

    @property
    def final(self) -> dict[str, torch.Tensor]:
        return self.params[-1]


def training_schedule(config: TrainConfig, nx: int, ny: int, n: int):
    """The start and every epoch's mini-batches, drawn as ``train`` does."""
    generator = torch.Generator().manual_seed(config.seed)
    params = init_params(nx, config.nh, ny, generator=generator)
    schedule = [
        epoch_batches(n, config.batch_size, generator)
        for _ in range(config.epochs)
    ]
    return params, schedule


def snapshot(params) -> dict[str, torch.Tensor]:
    return {k: params[k].detach().clone() for k in PARAM_KEYS}


def train_manual(params, X, Y, schedule, eta: float) -> Trajectory:
    """Our own ``forward``, ``backward`` and ``sgd``."""
    params, losses, epochs = snapshot(params), [], []
    for batches in schedule:
        for batch in batches:
            _, outputs = forward(params, X[batch], check=False)
            loss = cross_entropy_from_logits(outputs["ytilde"], Y[batch])
            losses.append(loss.item())
            grads = backward(params, outputs, Y[batch], check=False)
            params = sgd(params, grads, eta, check=False)
        epochs.append(snapshot(params))
    return Trajectory(np.array(losses), epochs)


def train_autograd(params, X, Y, schedule, eta: float) -> Trajectory:
    """Autograd computes the gradients of our loss; the update is ours."""
    leaves = {
        k: v.detach().clone().requires_grad_(True) for k, v in params.items()
    }
    losses, epochs = [], []
    for batches in schedule:
        for batch in batches:
            _, outputs = forward(leaves, X[batch], check=False)
            loss = cross_entropy_from_logits(outputs["ytilde"], Y[batch])
            losses.append(loss.item())
            loss.backward()  # adds dL/dp to p.grad for every leaf p
            with torch.no_grad():
                for p in leaves.values():
                    p -= eta * p.grad
                    p.grad = None
        epochs.append(snapshot(leaves))
    return Trajectory(np.array(losses), epochs)


def nn_model(params) -> nn.Sequential:
    """Linear, Tanh, Linear around the given tensors (no copy); logits out."""
    nh, nx = params["Wh"].shape
    ny = params["Wy"].shape[0]
    # on the "meta" device: no random weights drawn only to be replaced
    model = nn.Sequential(
        nn.Linear(nx, nh, device="meta"),
        nn.Tanh(),
        nn.Linear(nh, ny, device="meta"),
    )
    model[0].weight = nn.Parameter(params["Wh"].detach())  # nh x nx
    model[0].bias = nn.Parameter(params["bh"].detach())
    model[2].weight = nn.Parameter(params["Wy"].detach())  # ny x nh
    model[2].bias = nn.Parameter(params["by"].detach())
    return model


def model_params(model: nn.Sequential) -> dict[str, torch.Tensor]:
    """The model's parameters under the book's names."""
    first, last = model[0], model[2]
    return snapshot(
        {
            "Wh": first.weight,
            "bh": first.bias,
            "Wy": last.weight,
            "by": last.bias,
        }
    )


def predict_proba(model: nn.Sequential, X: torch.Tensor) -> torch.Tensor:
    """Class probabilities for display: SoftMax of the model's logits."""
    with torch.no_grad():
        return torch.softmax(model(X), dim=1)


def train_nn(params, X, Y, schedule, eta: float) -> Trajectory:
    """``nn`` layers and ``CrossEntropyLoss``; the update is still ours."""
    model = nn_model(snapshot(params))
    loss_fn = nn.CrossEntropyLoss()  # mean of -log SoftMax(ytilde)[class]
    losses, epochs = [], []
    for batches in schedule:
        for batch in batches:
            loss = loss_fn(model(X[batch]), Y[batch])
            losses.append(loss.item())
            model.zero_grad()
            loss.backward()
            with torch.no_grad():
                for p in model.parameters():
                    if p.grad is not None:  # every parameter has one here
                        p.sub_(eta * p.grad)  # p <- p - eta dL/dp, in place
        epochs.append(model_params(model))
    return Trajectory(np.array(losses), epochs)


def train_nn_optim(params, X, Y, schedule, eta: float) -> Trajectory:
    """As :func:`train_nn`, with ``torch.optim.SGD`` doing the update."""
    model = nn_model(snapshot(params))
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=eta)
    losses, epochs = [], []
    for batches in schedule:
        for batch in batches:
            optimizer.zero_grad()
            loss = loss_fn(model(X[batch]), Y[batch])
            losses.append(loss.item())
            loss.backward()
            optimizer.step()
        epochs.append(model_params(model))
    return Trajectory(np.array(losses), epochs)


TRAINERS = {
    "manual": train_manual,
    "autograd": train_autograd,
    "nn": train_nn,
    "nn + optim": train_nn_optim,
}


def max_parameter_difference(a, b) -> float:
    """The largest absolute difference between two parameter dicts."""
    return max(float((a[k] - b[k]).abs().max()) for k in PARAM_KEYS)


def compare_trajectories(trajectories, reference: str = "manual"):
    """Per trainer: the largest parameter difference to ``reference`` after
    each epoch. Trajectories of different lengths raise ``ValueError``."""
    if reference not in trajectories:
        raise KeyError(
            f"no trajectory named {reference!r}; have {sorted(trajectories)}"
        )
    ref = trajectories[reference]
    for name, t in trajectories.items():
        if len(t.params) != len(ref.params):
            raise ValueError(
                f"{name!r} has {len(t.params)} epochs, "
                f"{reference!r} has {len(ref.params)}"
            )
    return {
        name: np.array(
            [
                max_parameter_difference(p, q)
                for p, q in zip(t.params, ref.params)
            ]
        )
        for name, t in trajectories.items()
        if name != reference
    }

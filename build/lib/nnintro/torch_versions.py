"""The same network trained four ways: by hand, with ``torch.autograd``, ``torch.nn``, ``torch.optim``.

Each trainer takes the same starting parameters and the same schedule of mini-batches (a list of
epochs, each a list of index tensors) and returns a :class:`Trajectory`, so the four can be
compared update by update. ``nn.Linear`` stores its weight as out x in, like ``Wh`` and ``Wy``, so
the ``nn`` model can be built around the very same tensors.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from nnintro.network import backward, cross_entropy_from_logits, forward, sgd
from nnintro.study import initial_state
from nnintro.training import TrainConfig
from nnintro.validation import PARAM_KEYS


@dataclass(frozen=True)
class Trajectory:
    """The mini-batch loss before each update, and the parameters at the end of each epoch."""

    losses: np.ndarray  # one entry per update
    params: list[dict[str, torch.Tensor]]  # one dict per epoch

    @property
    def final(self) -> dict[str, torch.Tensor]:
        return self.params[-1]


def training_schedule(config: TrainConfig, nx: int, ny: int, n: int):
    """The initial parameters and the mini-batches of every epoch, exactly as ``train`` draws them."""
    params, orders = initial_state(config, nx, ny, n)
    return params, [list(torch.split(order, config.batch_size)) for order in orders]


def snapshot(params) -> dict[str, torch.Tensor]:
    return {k: params[k].detach().clone() for k in PARAM_KEYS}


def train_manual(params, X, Y, schedule, eta: float) -> Trajectory:
    """The hand-written version: ``forward``, ``backward``, ``sgd`` from :mod:`nnintro.network`."""
    params, losses, epochs = snapshot(params), [], []
    for batches in schedule:
        for batch in batches:
            _, outputs = forward(params, X[batch], check=False)
            losses.append(float(cross_entropy_from_logits(outputs["ytilde"], Y[batch])))
            grads = backward(params, outputs, Y[batch], check=False)
            params = sgd(params, grads, eta, check=False)
        epochs.append(snapshot(params))
    return Trajectory(np.array(losses), epochs)


def train_autograd(params, X, Y, schedule, eta: float) -> Trajectory:
    """``torch.autograd`` computes the gradients of the same forward pass and loss; the update is ours."""
    leaves = {k: params[k].detach().clone().requires_grad_(True) for k in PARAM_KEYS}
    losses, epochs = [], []
    for batches in schedule:
        for batch in batches:
            _, outputs = forward(leaves, X[batch], check=False)
            loss = cross_entropy_from_logits(outputs["ytilde"], Y[batch])
            losses.append(float(loss.detach()))
            loss.backward()  # fills leaves[k].grad with dL/dk
            with torch.no_grad():
                for p in leaves.values():
                    p -= eta * p.grad
                    p.grad = None
        epochs.append(snapshot(leaves))
    return Trajectory(np.array(losses), epochs)


def nn_model(params) -> nn.Sequential:
    """``Linear(nx, nh)``, ``Tanh``, ``Linear(nh, ny)``, wrapping the given tensors (no copy).

    The model outputs the logits ytilde; SoftMax is left to the loss (``CrossEntropyLoss``).
    """
    nh, nx = params["Wh"].shape
    ny = params["Wy"].shape[0]
    # built on the "meta" device, so no random initial weights are drawn only to be replaced
    model = nn.Sequential(
        nn.Linear(nx, nh, device="meta"), nn.Tanh(), nn.Linear(nh, ny, device="meta")
    )
    model[0].weight = nn.Parameter(params["Wh"].detach())  # nh x nx, out x in
    model[0].bias = nn.Parameter(params["bh"].detach())
    model[2].weight = nn.Parameter(params["Wy"].detach())  # ny x nh, out x in
    model[2].bias = nn.Parameter(params["by"].detach())
    return model


def model_params(model: nn.Sequential) -> dict[str, torch.Tensor]:
    """The model's parameters under the book's names."""
    return snapshot(
        {"Wh": model[0].weight, "bh": model[0].bias, "Wy": model[2].weight, "by": model[2].bias}
    )


def predict_proba(model: nn.Sequential, X: torch.Tensor) -> torch.Tensor:
    """Class probabilities for display: the SoftMax of the model's logits."""
    with torch.no_grad():
        return torch.softmax(model(X), dim=1)


def train_nn(params, X, Y, schedule, eta: float) -> Trajectory:
    """``torch.nn`` layers and ``nn.CrossEntropyLoss`` on the logits; the update is still ours."""
    model = nn_model(snapshot(params))
    loss_fn = nn.CrossEntropyLoss()  # mean over the batch of -log SoftMax(ytilde)[class]
    labels = Y.argmax(dim=1)
    losses, epochs = [], []
    for batches in schedule:
        for batch in batches:
            loss = loss_fn(model(X[batch]), labels[batch])
            losses.append(float(loss.detach()))
            model.zero_grad()
            loss.backward()
            with torch.no_grad():
                for p in model.parameters():
                    p -= eta * p.grad
        epochs.append(model_params(model))
    return Trajectory(np.array(losses), epochs)


def train_nn_optim(params, X, Y, schedule, eta: float) -> Trajectory:
    """As :func:`train_nn`, with ``torch.optim.SGD`` doing the update."""
    model = nn_model(snapshot(params))
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=eta)
    labels = Y.argmax(dim=1)
    losses, epochs = [], []
    for batches in schedule:
        for batch in batches:
            optimizer.zero_grad()
            loss = loss_fn(model(X[batch]), labels[batch])
            losses.append(float(loss.detach()))
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


def max_parameter_difference(a: dict[str, torch.Tensor], b: dict[str, torch.Tensor]) -> float:
    """The largest absolute difference between two parameter dicts, over every entry."""
    return max(float((a[k] - b[k]).abs().max()) for k in PARAM_KEYS)


def compare_trajectories(trajectories: dict[str, Trajectory], reference: str = "manual"):
    """Per trainer: the largest parameter difference to ``reference`` at the end of each epoch.

    Trajectories of different lengths (a different number of epochs) raise ``ValueError``.
    """
    if reference not in trajectories:
        raise KeyError(f"no trajectory named {reference!r}; have {sorted(trajectories)}")
    ref = trajectories[reference]
    for name, t in trajectories.items():
        if len(t.params) != len(ref.params):
            raise ValueError(
                f"{name!r} has {len(t.params)} epochs, {reference!r} has {len(ref.params)}"
            )
    return {
        name: np.array([max_parameter_difference(p, q) for p, q in zip(t.params, ref.params)])
        for name, t in trajectories.items()
        if name != reference
    }

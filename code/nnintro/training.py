"""The training loop of the manual network,
with a per-epoch history and divergence reporting."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
import torch

from nnintro.circles import CirclesData, Dataset
from nnintro.network import backward, forward, init_params, loss_accuracy, sgd
from nnintro.validation import (
    as_matrix,
    check_learning_rate,
    check_params,
    check_targets,
)

DIVERGENCE_LOSS_FACTOR = (
    10.0  # a training loss above 10x its initial value counts as diverged
)


@dataclass(frozen=True)
class TrainConfig:
    """Settings of one run:
    hidden size, learning rate, batch size, epochs, seed."""

    nh: int = 10
    eta: float = 0.1
    batch_size: int = 10
    epochs: int = 150
    seed: int = 0
    snapshot_epochs: tuple[int, ...] = ()

    def __post_init__(self):
        if self.nh < 1 or self.batch_size < 1 or self.epochs < 0:
            raise ValueError(
                f"nh and batch_size must be >= 1 and epochs >= 0: {self}"
            )
        check_learning_rate(self.eta)

    @classmethod
    def from_config(cls, config, **changes) -> TrainConfig:
        """The run of a study's ``config``: its ``nh``, ``eta``,
        ``batch_size``, ``epochs`` and ``seed`` (those it has; the others
        keep their defaults), then ``changes``."""
        shared = {
            name: getattr(config, name)
            for name in ("nh", "eta", "batch_size", "epochs", "seed")
            if hasattr(config, name)
        }
        return cls(**{**shared, **changes})


@dataclass
class History:
    """Per-epoch record of a run; index 0 is before any update,
    index k after epoch k.

    A run that diverges stops there: ``diverged_at`` is the first epoch after
    which the weights were non-finite or the training loss was non-finite or
    above ``DIVERGENCE_LOSS_FACTOR`` times its initial value; that epoch's
    entry is still recorded, and later entries are NaN.
    """

    config: TrainConfig
    train_loss: np.ndarray
    train_acc: np.ndarray
    test_loss: np.ndarray
    test_acc: np.ndarray
    updates: np.ndarray  # number of SGD steps taken by the end of each epoch
    seconds: np.ndarray  # wall time since the start, at the end of each epoch
    diverged_at: int | None = None
    params: dict[str, torch.Tensor] = field(default_factory=dict)
    snapshots: dict[int, np.ndarray] = field(
        default_factory=dict
    )  # epoch -> P(class 1) on grid

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None

    @property
    def status(self) -> str:
        return (
            f"diverged at epoch {self.diverged_at}"
            if self.diverged
            else "did not diverge"
        )

    def final(self, name: str) -> float:
        """The last recorded value of ``name`` (e.g. ``"test_acc"``),
        NaN after a divergence."""
        return float(getattr(self, name)[-1])


def epoch_batches(
    n: int, batch_size: int, generator: torch.Generator
) -> list[torch.Tensor]:
    """A fresh random order of the ``n`` examples,
    cut into consecutive mini-batches."""
    order = torch.randperm(n, generator=generator)
    return list(torch.split(order, batch_size))


def evaluate(params, X, Y, *, check: bool = True) -> tuple[float, float]:
    """Mean loss (exact for large logits) and accuracy of params on X, Y."""
    Yhat, outputs = forward(params, X, check=check)
    L, acc = loss_accuracy(Yhat, Y, ytilde=outputs["ytilde"], check=check)
    return float(L), acc


def grid_probabilities(params, data: CirclesData) -> np.ndarray:
    """The probability of class 1 on the data's grid,
    as a square array (rows: x2, columns: x1)."""
    Yhat, _ = forward(params, data.Xgrid, check=False)
    size = int(round(math.sqrt(data.Xgrid.shape[0])))
    return Yhat[:, 1].reshape(size, size).numpy()


def params_finite(params) -> bool:
    return all(bool(torch.isfinite(p).all()) for p in params.values())


def train(config: TrainConfig, data: Dataset, params=None) -> History:
    """Train the manual network with mini-batch SGD on the mean loss;
    return its history.

    ``data`` is any object with ``Xtrain, Ytrain, Xtest, Ytest`` (and ``Xgrid``
    for snapshots), such as :class:`~nnintro.circles.CirclesData` or the digits
    data of :mod:`nnintro.digits_data`.
    """
    generator = torch.Generator().manual_seed(config.seed)
    nx, ny = data.Xtrain.shape[1], data.Ytrain.shape[1]
    if params is None:
        params = init_params(nx, config.nh, ny, generator=generator)
    check_params(params)
    for name in ("Xtrain", "Xtest"):
        as_matrix(name, getattr(data, name), columns=params["Wh"].shape[1])
    for name, X in (("Ytrain", data.Xtrain), ("Ytest", data.Xtest)):
        check_targets(
            getattr(data, name),
            rows=X.shape[0],
            classes=params["by"].shape[0],
            name=name,
        )
    n = data.Xtrain.shape[0]
    rows: dict[str, list[float]] = {
        k: []
        for k in (
            "train_loss",
            "train_acc",
            "test_loss",
            "test_acc",
            "updates",
            "seconds",
        )
    }
    snapshots = {}
    start, updates, diverged_at = time.perf_counter(), 0, None

    def record(epoch):
        train_loss, train_acc = evaluate(
            params, data.Xtrain, data.Ytrain, check=False
        )
        test_loss, test_acc = evaluate(
            params, data.Xtest, data.Ytest, check=False
        )
        for key, value in zip(
            rows, (train_loss, train_acc, test_loss, test_acc)
        ):
            rows[key].append(value)
        rows["updates"].append(updates)
        rows["seconds"].append(time.perf_counter() - start)
        if epoch in config.snapshot_epochs:
            snapshots[epoch] = grid_probabilities(params, data)
        return train_loss

    initial_loss = record(0)
    for epoch in range(1, config.epochs + 1):
        for batch in epoch_batches(n, config.batch_size, generator):
            X, Y = data.Xtrain[batch], data.Ytrain[batch]
            _, outputs = forward(params, X, check=False)
            grads = backward(params, outputs, Y, check=False)
            params = sgd(params, grads, config.eta, check=False)
            updates += 1
        loss = record(epoch)
        if (
            not params_finite(params)
            or not math.isfinite(loss)
            or loss > DIVERGENCE_LOSS_FACTOR * initial_loss
        ):
            diverged_at = epoch
            break
    history = {
        key: np.array(values, dtype=float) for key, values in rows.items()
    }
    missing = config.epochs + 1 - len(history["train_loss"])
    if missing:
        history = {
            key: np.concatenate([v, np.full(missing, np.nan)])
            for key, v in history.items()
        }
    return History(
        config,
        **history,
        diverged_at=diverged_at,
        params=params,
        snapshots=snapshots,
    )

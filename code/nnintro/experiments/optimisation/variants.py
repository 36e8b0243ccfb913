"""The optimisation page, question 10: full-batch, mini-batch and online
gradient descent from the same initial weights, with the same learning rate
and number of epochs, and the noise of each batch size's gradient."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from nnintro.circles import CirclesData
from nnintro.findings import Claim, Finding, below, claim, ordered
from nnintro.network import backward, forward, init_params
from nnintro.training import History, TrainConfig, train
from nnintro.validation import PARAM_KEYS


@dataclass(frozen=True)
class VariantsConfig:
    """Batch sizes B (largest first), one learning rate, epochs, seed."""

    batch_sizes: tuple[int, ...] = (200, 10, 1)
    eta: float = 0.1
    epochs: int = 20
    nh: int = 10
    seed: int = 0

    def __post_init__(self):
        if list(self.batch_sizes) != sorted(self.batch_sizes, reverse=True):
            raise ValueError(f"batch sizes must decrease: {self.batch_sizes}")


def variant_name(batch_size: int, n_train: int) -> str:
    """'batch' for B = N, 'online' for B = 1, otherwise 'mini-batch'."""
    if batch_size >= n_train:
        return "batch"
    return "online" if batch_size == 1 else "mini-batch"


def flat_gradient(params, X, Y) -> torch.Tensor:
    """The gradient of the mean loss on (X, Y), all parameters in a row."""
    _, outputs = forward(params, X)
    grads = backward(params, outputs, Y)
    return torch.cat([grads[k].flatten() for k in PARAM_KEYS])


def gradient_deviation(params, X, Y, batch_size: int, seed: int) -> float:
    """Mean of |g_B - g| / |g| over the mini-batches of one shuffled epoch.

    g is the gradient on all N examples, g_B the one on a mini-batch.
    """
    full = flat_gradient(params, X, Y)
    order = torch.randperm(
        X.shape[0], generator=torch.Generator().manual_seed(seed)
    )
    deviations = [
        float(
            torch.linalg.vector_norm(flat_gradient(params, X[b], Y[b]) - full)
        )
        / float(torch.linalg.vector_norm(full))
        for b in torch.split(order, batch_size)
    ]
    return float(np.mean(deviations))


@dataclass(frozen=True)
class VariantsFinding(Finding):
    """One training history per batch size, and the gradients' noise."""

    page = "optimisation"
    name = "q10-gd-variants"

    config: VariantsConfig
    n_train: int
    runs: dict[int, History]  # batch size -> history
    deviation: dict[int, float]  # batch size -> mean relative deviation

    def loss_after_updates(self, batch_size: int, updates: int) -> float:
        """Training loss of a run when it had made ``updates`` updates.

        NaN when no epoch ended after exactly that many updates.
        """
        h = self.runs[batch_size]
        hits = np.flatnonzero(h.updates == updates)
        return float(h.train_loss[hits[0]]) if hits.size else math.nan

    def same_update_pairs(self):
        """(larger B, smaller B, updates, loss of larger, loss of smaller):
        each batch size against the next smaller one, at the larger one's
        total number of updates."""
        sizes = self.config.batch_sizes
        pairs = []
        for big, small in zip(sizes, sizes[1:]):
            count = int(self.runs[big].updates[-1])
            big_loss = self.runs[big].final("train_loss")
            small_loss = self.loss_after_updates(small, count)
            pairs.append((big, small, count, big_loss, small_loss))
        return pairs

    def numbers(self) -> dict[str, object]:
        c = self.config
        out = {
            "q10-epochs": c.epochs,
            "q10-eta": c.eta,
            "q10-n-train": self.n_train,
            "q10-initial-loss": self.runs[c.batch_sizes[0]].train_loss[0],
        }
        for b in c.batch_sizes:
            name = variant_name(b, self.n_train)
            out[f"q10-{name}-b"] = b
            out[f"q10-{name}-loss"] = self.runs[b].final("train_loss")
            out[f"q10-{name}-updates"] = int(self.runs[b].updates[-1])
            out[f"q10-{name}-deviation"] = self.deviation[b]
        for i, (_, _, count, big, small) in enumerate(
            self.same_update_pairs()
        ):
            out[f"q10-pair{i}-updates"] = count
            out[f"q10-pair{i}-larger"] = big
            out[f"q10-pair{i}-smaller"] = small
        return out

    def claims(self) -> tuple[Claim, ...]:
        c, n = self.config, self.n_train
        names = {b: f"{variant_name(b, n)} (B={b})" for b in c.batch_sizes}
        finals = [
            (f"loss of {names[b]}", self.runs[b].final("train_loss"))
            for b in c.batch_sizes
        ]
        devs = [
            (f"deviation of {names[b]}", self.deviation[b])
            for b in c.batch_sizes
        ]
        pairs = [
            below(
                (f"{names[big]} at {count} updates", loss_big),
                (f"{names[small]} at {count} updates", loss_small),
            )
            for big, small, count, loss_big, loss_small in (
                self.same_update_pairs()
            )
        ]
        per_update = pairs[0]
        for pair in pairs[1:]:
            per_update = per_update & pair
        middle = len(c.batch_sizes) // 2
        return (
            claim(
                "q10-per-epoch-smaller-wins",
                f"After {c.epochs} epochs, the smaller the batch the lower"
                " the training loss",
                ordered(finals, ">"),
            ),
            claim(
                "q10-per-update-larger-wins",
                "After the same number of updates (the larger batch's total),"
                " the larger batch has the lower training loss",
                per_update,
            ),
            claim(
                "q10-noise-shrinks",
                "At the initial weights, the smaller the batch the further"
                " its gradient from the full one",
                ordered(devs, "<"),
            ),
            claim(
                "q10-mini-batch-compromise",
                f"Mini-batches beat the full batch after {c.epochs} epochs,"
                " beat online descent at the same number of updates, and"
                " have a less noisy gradient than single examples",
                below(finals[middle], finals[0])
                & pairs[middle]
                & below(devs[middle], devs[-1]),
            ),
        )


def gradient_descent_variants(
    data: CirclesData, config: VariantsConfig | None = None
) -> VariantsFinding:
    """Train once per batch size from the same initial weights."""
    config = VariantsConfig() if config is None else config
    runs = {
        b: train(TrainConfig.from_config(config, batch_size=b), data)
        for b in config.batch_sizes
    }
    X, Y = data.Xtrain, data.Ytrain
    params = init_params(X.shape[1], config.nh, Y.shape[1], seed=config.seed)
    deviation = {
        b: gradient_deviation(params, X, Y, b, config.seed)
        for b in config.batch_sizes
    }
    return VariantsFinding(config, X.shape[0], runs, deviation)

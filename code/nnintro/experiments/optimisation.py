"""Questions 10 and 11: batch size and learning rate.

- q10: full-batch, mini-batch and online gradient descent from the same
  initial weights, with the same learning rate and number of epochs;
- q11: a sweep of learning rates, from too small to diverging.
(Question 13, the step activation, is in ``nnintro.experiments.architecture``.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from nnintro.data import CirclesData
from nnintro.findings import Claim, Finding, claim, markdown_table
from nnintro.network import (
    backward,
    forward,
    init_params,
)
from nnintro.training import (
    DIVERGENCE_LOSS_FACTOR,
    History,
    TrainConfig,
    train,
)
from nnintro.validation import PARAM_KEYS

# --- q10: batch, mini-batch and online gradient descent ------------------


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


VARIANT_NAMES = ("batch", "mini-batch", "online")


def variant_name(batch_size: int, n_train: int) -> str:
    """'batch' for B = N, 'online' for B = 1, otherwise 'mini-batch'."""
    if batch_size >= n_train:
        return "batch"
    return "online" if batch_size == 1 else "mini-batch"


def flat_gradient(params, X, Y) -> torch.Tensor:
    """The gradient of the mean loss on (X, Y), all parameters in a row."""
    _, outputs = forward(params, X, check=False)
    grads = backward(params, outputs, Y, check=False)
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
        """(larger B, smaller B, updates, loss of larger, loss of smaller).

        Each larger batch is compared with the next smaller one at the
        larger one's total number of updates.
        """
        sizes = self.config.batch_sizes
        pairs = []
        for big, small in zip(sizes, sizes[1:]):
            count = int(self.runs[big].updates[-1])
            pairs.append(
                (
                    big,
                    small,
                    count,
                    self.runs[big].final("train_loss"),
                    self.loss_after_updates(small, count),
                )
            )
        return pairs

    def numbers(self) -> dict[str, object]:
        c = self.config
        out = {
            "q10-epochs": c.epochs,
            "q10-eta": f"{c.eta:g}",
            "q10-n-train": self.n_train,
            "q10-initial-loss": f"{self.first_run.train_loss[0]:.3f}",
        }
        for b in c.batch_sizes:
            name = variant_name(b, self.n_train)
            h = self.runs[b]
            out[f"q10-{name}-b"] = b
            out[f"q10-{name}-loss"] = f"{h.final('train_loss'):.3f}"
            out[f"q10-{name}-updates"] = int(h.updates[-1])
            out[f"q10-{name}-per-epoch"] = math.ceil(self.n_train / b)
            out[f"q10-{name}-deviation"] = f"{self.deviation[b]:.2f}"
        for i, (_, _, count, big, small) in enumerate(
            self.same_update_pairs()
        ):
            out[f"q10-pair{i}-updates"] = count
            out[f"q10-pair{i}-larger"] = f"{big:.3f}"
            out[f"q10-pair{i}-smaller"] = f"{small:.3f}"
        return out

    @property
    def first_run(self) -> History:
        return self.runs[self.config.batch_sizes[0]]

    def claims(self) -> tuple[Claim, ...]:
        c = self.config
        expected = [
            c.epochs * math.ceil(self.n_train / b) for b in c.batch_sizes
        ]
        counted = [int(self.runs[b].updates[-1]) for b in c.batch_sizes]
        finals = [self.runs[b].final("train_loss") for b in c.batch_sizes]
        pairs = self.same_update_pairs()
        devs = [self.deviation[b] for b in c.batch_sizes]
        return (
            claim(
                "q10-updates-counted",
                "Each run made epochs times the ceiling of N/B updates",
                counted == expected,
                "updates == epochs * ceil(N / B) for every B",
                runs=len(counted),
                mismatches=sum(a != b for a, b in zip(counted, expected)),
            ),
            claim(
                "q10-per-epoch-smaller-wins",
                "After the same number of epochs, the smaller the batch"
                " the lower the training loss",
                all(a > b for a, b in zip(finals, finals[1:])),
                "loss(largest B) > ... > loss(smallest B)",
                **{f"loss_B{b}": f for b, f in zip(c.batch_sizes, finals)},
            ),
            claim(
                "q10-per-update-larger-wins",
                "After the same number of updates, "
                "the larger batch has the lower training loss",
                all(big < small for *_, big, small in pairs),
                "loss(larger B) < loss(smaller B) at the larger's updates",
                **{
                    key: value
                    for b, s, n, big, small in pairs
                    for key, value in (
                        (f"B{b}_at_{n}", big),
                        (f"B{s}_at_{n}", small),
                    )
                },
            ),
            claim(
                "q10-noise-shrinks",
                "At the start, the smaller the batch the further its "
                "gradient from the full one",
                all(a < b for a, b in zip(devs, devs[1:])),
                "deviation(largest B) < ... < deviation(smallest B)",
                **{f"dev_B{b}": d for b, d in zip(c.batch_sizes, devs)},
            ),
        )

    def table(self) -> str:
        """Markdown: one column per batch size (wall time not tested)."""
        sizes = self.config.batch_sizes
        runs = [self.runs[b] for b in sizes]
        head = [f"{variant_name(b, self.n_train)}, $B$ = {b}" for b in sizes]
        rows = {
            "updates": [f"{int(h.updates[-1])}" for h in runs],
            "training loss": [f"{h.final('train_loss'):.3f}" for h in runs],
            "test accuracy": [
                f"{100 * h.final('test_acc'):.1f} %" for h in runs
            ],
            "gradient deviation": [f"{self.deviation[b]:.2f}" for b in sizes],
            "wall time (s)": [f"{h.seconds[-1]:.2f}" for h in runs],
        }
        return markdown_table(head, rows)


def gradient_descent_variants(
    data: CirclesData, config: VariantsConfig = VariantsConfig()
) -> VariantsFinding:
    """Train once per batch size from the same initial weights."""
    runs = {
        b: train(
            TrainConfig(
                nh=config.nh,
                eta=config.eta,
                batch_size=b,
                epochs=config.epochs,
                seed=config.seed,
            ),
            data,
        )
        for b in config.batch_sizes
    }
    X, Y = data.Xtrain, data.Ytrain
    params = init_params(X.shape[1], config.nh, Y.shape[1], seed=config.seed)
    deviation = {
        b: gradient_deviation(params, X, Y, b, config.seed)
        for b in config.batch_sizes
    }
    return VariantsFinding(config, X.shape[0], runs, deviation)


# --- q11: the learning rate ----------------------------------------------


@dataclass(frozen=True)
class LearningRateConfig:
    """Learning rates (increasing), one batch size, epochs, seed.

    ``jump``: a rise of the training loss by more than this fraction
    from one epoch to the next counts as a jump; ``smooth_max``: the
    rates up to this one are expected never to jump.
    """

    etas: tuple[float, ...] = (0.01, 0.1, 1.0, 3.0, 10.0)
    batch_size: int = 10
    epochs: int = 30
    nh: int = 10
    seed: int = 0
    jump: float = 0.10
    smooth_max: float = 0.1

    def __post_init__(self):
        if list(self.etas) != sorted(set(self.etas)) or len(self.etas) < 3:
            raise ValueError(f"need three increasing rates: {self.etas}")


@dataclass(frozen=True)
class LearningRateFinding(Finding):
    """One history per learning rate; a diverged run says so."""

    page = "optimisation"
    name = "q11-learning-rate"

    config: LearningRateConfig
    runs: dict[float, History]  # eta -> history

    @property
    def stable(self) -> list[float]:
        return [e for e, h in self.runs.items() if not h.diverged]

    @property
    def diverged(self) -> list[float]:
        return [e for e, h in self.runs.items() if h.diverged]

    def jumps(self, eta: float) -> int:
        """Epochs after which the loss rose by more than ``jump``."""
        loss = self.runs[eta].train_loss
        loss = loss[np.isfinite(loss)]
        return int(np.sum(loss[1:] > (1 + self.config.jump) * loss[:-1]))

    def lowest(self, eta: float) -> float:
        """The lowest training loss recorded (finite entries)."""
        return float(np.nanmin(self.runs[eta].train_loss))

    def numbers(self) -> dict[str, object]:
        c = self.config
        small, top = c.etas[0], self.stable[-1] if self.stable else c.etas[-1]
        h_small = self.runs[small]
        out = {
            "q11-epochs": c.epochs,
            "q11-batch": c.batch_size,
            "q11-etas": ", ".join(f"{e:g}" for e in c.etas),
            "q11-factor": f"{DIVERGENCE_LOSS_FACTOR:g}",
            "q11-jump": f"{100 * c.jump:g}",
            "q11-smooth-max": f"{c.smooth_max:g}",
            "q11-small": f"{small:g}",
            "q11-small-initial": f"{h_small.train_loss[0]:.3f}",
            "q11-small-final": f"{h_small.final('train_loss'):.3f}",
            "q11-top": f"{top:g}",
            "q11-top-jumps": self.jumps(top),
            "q11-top-lowest": f"{self.lowest(top):.3f}",
            "q11-diverged": ", ".join(f"{e:g}" for e in self.diverged),
        }
        if self.diverged:
            h = self.runs[self.diverged[0]]
            out["q11-diverged-status"] = h.status
            out["q11-diverged-loss"] = f"{h.train_loss[h.diverged_at]:.2f}"
        return out

    def claims(self) -> tuple[Claim, ...]:
        c = self.config
        small = self.runs[c.etas[0]]
        drop = 1 - small.final("train_loss") / small.train_loss[0]
        lows = [self.lowest(e) for e in self.stable]
        smooth = [e for e in self.stable if e <= c.smooth_max]
        top = self.stable[-1] if self.stable else c.etas[-1]
        largest = self.runs[c.etas[-1]]
        stop_loss, initial = math.nan, float(largest.train_loss[0])
        stopped = False
        if largest.diverged_at is not None:
            stop_loss = float(largest.train_loss[largest.diverged_at])
            after = largest.train_loss[largest.diverged_at + 1 :]
            too_high = not math.isfinite(stop_loss) or (
                stop_loss > DIVERGENCE_LOSS_FACTOR * initial
            )
            stopped = too_high and bool(np.all(np.isnan(after)))
        return (
            claim(
                "q11-too-small-stalls",
                "With the smallest rate the training loss falls by less"
                " than 5 % of its initial value",
                0 <= drop < 0.05,
                "0 <= 1 - final / initial < 0.05",
                eta=c.etas[0],
                drop=float(drop),
            ),
            claim(
                "q11-larger-lower",
                "Among the rates that do not diverge, each larger one"
                " reaches a lower training loss",
                len(lows) >= 2 and all(a > b for a, b in zip(lows, lows[1:])),
                "lowest loss decreases with eta over the stable rates",
                **{f"eta_{e:g}": v for e, v in zip(self.stable, lows)},
            ),
            claim(
                "q11-large-jumps",
                "The loss never jumps up at the small rates, and does in"
                " at least a quarter of the epochs at the largest stable"
                " rate",
                sum(self.jumps(e) for e in smooth) == 0
                and bool(smooth)
                and self.jumps(top) >= c.epochs / 4,
                f"jumps (rises > {c.jump:g}): 0 for eta <= "
                f"{c.smooth_max:g}, >= epochs / 4 at the largest stable",
                small_rates=sum(self.jumps(e) for e in smooth),
                largest_stable=self.jumps(top),
                epochs=c.epochs,
            ),
            claim(
                "q11-largest-diverges",
                "Exactly the largest rate diverges; "
                "the loop reports it and stops",
                self.diverged == [c.etas[-1]] and stopped,
                "diverged == [largest eta]; its last loss > "
                f"{DIVERGENCE_LOSS_FACTOR:g} x initial, NaN after",
                diverged=len(self.diverged),
                at_epoch=-1
                if largest.diverged_at is None
                else largest.diverged_at,
                last_loss=stop_loss,
                initial=initial,
            ),
        )

    def table(self) -> str:
        """Markdown: status, lowest and final training loss, jumps."""
        rows = [
            "| $\\eta$ | status | lowest loss | final loss | jumps |",
            "|--:|:--|--:|--:|--:|",
        ]
        for e, h in self.runs.items():
            final = "—" if h.diverged else f"{h.final('train_loss'):.3f}"
            rows.append(
                f"| {e:g} | {h.status} | {self.lowest(e):.3f} | "
                f"{final} | {self.jumps(e)} |"
            )
        return "\n".join(rows)


def learning_rate_sweep(
    data: CirclesData, config: LearningRateConfig = LearningRateConfig()
) -> LearningRateFinding:
    """Train once per learning rate; a diverging run stops and says so."""
    runs = {
        eta: train(
            TrainConfig(
                nh=config.nh,
                eta=eta,
                batch_size=config.batch_size,
                epochs=config.epochs,
                seed=config.seed,
            ),
            data,
        )
        for eta in config.etas
    }
    return LearningRateFinding(config, runs)

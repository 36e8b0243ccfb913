"""The optimisation page, question 11: a sweep of learning rates, from too
small to diverging, with mini-batches and the same initial weights."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnintro.circles import CirclesData
from nnintro.comparisons import above, at_least, below, each, equal, ordered
from nnintro.findings import Claim, Finding, claim
from nnintro.training import (
    DIVERGENCE_LOSS_FACTOR,
    History,
    TrainConfig,
    train,
)


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
        small, top = c.etas[0], self.top
        out = {
            "q11-epochs": c.epochs,
            "q11-batch": c.batch_size,
            "q11-etas": ", ".join(f"{e:g}" for e in c.etas),
            "q11-factor": DIVERGENCE_LOSS_FACTOR,
            "q11-jump": 100 * c.jump,
            "q11-smooth-max": c.smooth_max,
            "q11-small": small,
            "q11-small-initial": self.runs[small].train_loss[0],
            "q11-small-final": self.runs[small].final("train_loss"),
            "q11-top": top,
            "q11-top-jumps": self.jumps(top),
            "q11-top-lowest": self.lowest(top),
            "q11-diverged": ", ".join(f"{e:g}" for e in self.diverged),
        }
        if self.diverged:
            h = self.runs[self.diverged[0]]
            out["q11-diverged-status"] = h.status
            out["q11-diverged-loss"] = h.train_loss[h.diverged_at]
        return out

    @property
    def top(self) -> float:
        """The largest rate that does not diverge."""
        return self.stable[-1] if self.stable else self.config.etas[-1]

    def claims(self) -> tuple[Claim, ...]:
        c = self.config
        small = self.runs[c.etas[0]]
        drop = 1 - small.final("train_loss") / small.train_loss[0]
        lows = [
            (f"lowest loss at eta={e:g}", self.lowest(e)) for e in self.stable
        ]
        smooth = {
            f"eta={e:g}": self.jumps(e)
            for e in self.stable
            if e <= c.smooth_max
        }
        largest = self.runs[c.etas[-1]]
        stop = largest.diverged_at if largest.diverged_at is not None else -1
        initial = float(largest.train_loss[0])
        after = largest.train_loss[stop + 1 :] if stop >= 0 else [0.0]
        stopped = ("loss where it stopped", largest.train_loss[stop])
        factor = DIVERGENCE_LOSS_FACTOR
        limit = (f"{factor:g} x initial loss", factor * initial)
        recorded = int(np.isfinite(after).sum())
        top_jumps = (f"jumps at eta={self.top:g}", self.jumps(self.top))
        quarter = ("epochs / 4", c.epochs / 4)
        return (
            claim(
                "q11-too-small-stalls",
                "With the smallest rate the training loss falls, by less"
                " than 5 % of its initial value",
                above(("relative drop", drop), 0)
                & below(("relative drop", drop), 0.05),
            ),
            claim(
                "q11-larger-lower",
                "Among the rates that do not diverge, each larger one"
                f" reaches a lower training loss within {c.epochs} epochs",
                ordered(lows, ">"),
            ),
            claim(
                "q11-large-jumps",
                f"The loss never jumps up at the rates up to {c.smooth_max:g},"
                " and does in at least a quarter of the epochs at the"
                " largest rate that does not diverge",
                each("jumps", smooth, "==", 0, of="small rates")
                & at_least(top_jumps, quarter),
            ),
            claim(
                "q11-largest-diverges",
                "Exactly the largest rate diverges: its loss exceeds"
                f" {DIVERGENCE_LOSS_FACTOR:g} times its initial value, and the"
                " loop stops it there",
                equal(("runs that diverged", len(self.diverged)), 1)
                & equal(("largest rate diverged", int(largest.diverged)), 1)
                & above(stopped, limit)
                & equal(("losses recorded after the stop", recorded), 0),
            ),
        )


def learning_rate_sweep(
    data: CirclesData, config: LearningRateConfig | None = None
) -> LearningRateFinding:
    """Train once per learning rate; a diverging run stops and says so."""
    config = LearningRateConfig() if config is None else config
    runs = {
        eta: train(TrainConfig.from_config(config, eta=eta), data)
        for eta in config.etas
    }
    return LearningRateFinding(config, runs)

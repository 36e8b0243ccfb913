"""The PyTorch page: the manual network and its autograd, nn, optim versions.

The four trainers of :mod:`nnintro.torch_versions`, fed the same start and
the same mini-batches, follow one trajectory. (That the ``nn`` model built
around our tensors computes our forward pass and loss, and that the manual
version is ``train``, are tests: ``tests/test_experiments_pytorch.py``.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnintro.findings import Finding, above, at_most, claim, each
from nnintro.torch_versions import (
    Trajectory,
    compare_trajectories,
    max_parameter_difference,
)
from nnintro.training import History, TrainConfig

TOLERANCE = 1e-10  # the versions differ only in the order of operations


@dataclass(frozen=True)
class TrajectoriesFinding(Finding):
    """The four versions' losses and parameter distances to the manual one."""

    page = "pytorch"
    name = "pytorch-trajectories"

    config: TrainConfig
    losses: dict[str, np.ndarray]  # per version: loss before each update
    differences: dict[str, np.ndarray]  # per PyTorch version, per epoch
    moved: float  # largest change of a parameter over the run

    @property
    def loss_gap(self) -> dict[str, float]:
        manual = self.losses["manual"]
        return {
            name: float(np.abs(losses - manual).max())
            for name, losses in self.losses.items()
            if name != "manual"
        }

    @property
    def worst(self) -> float:
        return max(float(d.max()) for d in self.differences.values())

    def table(self) -> str:
        """Markdown: each version's largest distance to the manual one."""
        lines = [
            "| version | largest parameter difference | largest loss"
            " difference |",
            "| --- | ---: | ---: |",
        ]
        for name, d in self.differences.items():
            lines.append(
                f"| {name} | {d.max():.1e} | {self.loss_gap[name]:.1e} |"
            )
        return "\n".join(lines)

    def numbers(self):
        c = self.config
        return {
            "pytorch-nh": c.nh,
            "pytorch-eta": c.eta,
            "pytorch-batch": c.batch_size,
            "pytorch-epochs": c.epochs,
            "pytorch-updates": len(self.losses["manual"]),
            "pytorch-tolerance": TOLERANCE,
            "pytorch-worst": self.worst,
            "pytorch-loss-gap": max(self.loss_gap.values()),
            "pytorch-moved": self.moved,
        }

    def claims(self):
        largest = {k: float(d.max()) for k, d in self.differences.items()}
        worst = ("largest parameter difference", self.worst)
        moved = ("largest change of a parameter", self.moved)
        far = ("1e6 x largest difference", 1e6 * self.worst)
        return (
            claim(
                "pytorch-versions-follow",
                "Each PyTorch version follows the manual trajectory, at"
                " every epoch",
                each(
                    "largest parameter difference over the epochs",
                    largest,
                    "<=",
                    TOLERANCE,
                    of="PyTorch versions",
                ),
            ),
            claim(
                "pytorch-losses-agree",
                "The mini-batch losses of all versions agree",
                each(
                    "largest loss difference",
                    self.loss_gap,
                    "<=",
                    TOLERANCE,
                    of="PyTorch versions",
                ),
            ),
            claim(
                "pytorch-far-below-tolerance",
                "Every difference is at least four orders of magnitude"
                " below the tolerance",
                at_most(worst, 1e-4 * TOLERANCE)
                & at_most(
                    ("largest loss difference", max(self.loss_gap.values())),
                    1e-4 * TOLERANCE,
                ),
            ),
            claim(
                "pytorch-parameters-moved",
                "Training moves the parameters far more than that",
                above(moved, far),
            ),
        )


def trajectories_finding(
    runs: dict[str, Trajectory], start, reference: History
) -> TrajectoriesFinding:
    """Compare the versions' runs from ``start``; ``reference`` is ``train``'s
    history of the same configuration (its settings are shown)."""
    return TrajectoriesFinding(
        config=reference.config,
        losses={name: run.losses for name, run in runs.items()},
        differences=compare_trajectories(runs),
        moved=max_parameter_difference(runs["manual"].final, start),
    )

"""The manual network against its autograd, nn and optim versions.

Two findings: the ``nn`` model built around our tensors computes our
forward pass and our loss (with class indices or one-hot targets), and the
four trainers of :mod:`nnintro.torch_versions`, fed the same start and the
same mini-batches, follow one trajectory.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from nnintro.findings import Claim, Finding, claim
from nnintro.network import cross_entropy_from_logits, forward
from nnintro.torch_versions import (
    Trajectory,
    compare_trajectories,
    max_parameter_difference,
    model_params,
    nn_model,
    predict_proba,
)
from nnintro.training import History, TrainConfig

TOLERANCE = 1e-10  # the versions differ only in the order of operations
EXACT = 1e-14  # a few float64 roundings


def relative(a, b) -> float:
    return abs(float(a) - float(b)) / abs(float(b))


@dataclass(frozen=True)
class NnModelFinding(Finding):
    """The ``nn`` model around our tensors against our forward and loss."""

    page = "pytorch"
    name = "pytorch-nn-model"

    shares_memory: bool
    shapes: tuple[tuple[int, ...], tuple[int, ...]]  # model weights
    expected: tuple[tuple[int, ...], tuple[int, ...]]  # Wh, Wy
    params_gap: float  # model_params(model) vs the tensors given
    logits_gap: float  # model(X) vs our ytilde
    proba_gap: float  # predict_proba vs our yhat
    ce_index_gap: float  # CrossEntropyLoss(logits, c), relative to ours
    ce_one_hot_gap: float  # CrossEntropyLoss(logits, y), relative to ours

    def claims(self) -> tuple[Claim, ...]:
        return (
            claim(
                "pytorch-nn-shares-tensors",
                "The layers hold our very tensors, out x in",
                self.shares_memory
                and self.shapes == self.expected
                and self.params_gap == 0.0,
                "same memory, shapes of Wh and Wy, no difference",
                difference=self.params_gap,
            ),
            claim(
                "pytorch-nn-logits",
                "The model outputs our logits, and their SoftMax our yhat",
                max(self.logits_gap, self.proba_gap) <= EXACT,
                f"largest differences <= {EXACT:g}",
                logits=self.logits_gap,
                probabilities=self.proba_gap,
            ),
            claim(
                "pytorch-ce-index",
                "CrossEntropyLoss with class indices equals our mean loss",
                self.ce_index_gap <= EXACT,
                f"relative difference <= {EXACT:g}",
                relative_difference=self.ce_index_gap,
            ),
            claim(
                "pytorch-ce-one-hot",
                "CrossEntropyLoss with one-hot targets equals it too",
                self.ce_one_hot_gap <= EXACT,
                f"relative difference <= {EXACT:g}",
                relative_difference=self.ce_one_hot_gap,
            ),
        )


def nn_model_check(params, X, Y) -> NnModelFinding:
    """Build the model around a copy of ``params``; compare it with ours."""
    shared = {k: v.clone() for k, v in params.items()}
    model = nn_model(shared)
    Yhat, outputs = forward(shared, X)
    with torch.no_grad():
        logits = model(X)
        loss_fn = torch.nn.CrossEntropyLoss()
        by_index = loss_fn(logits, Y.argmax(dim=1))
        by_one_hot = loss_fn(logits, Y)
    ours = cross_entropy_from_logits(outputs["ytilde"], Y)
    hidden, output = model[0], model[2]
    assert isinstance(hidden, torch.nn.Linear)
    assert isinstance(output, torch.nn.Linear)
    return NnModelFinding(
        shares_memory=hidden.weight.data_ptr() == shared["Wh"].data_ptr(),
        shapes=(tuple(hidden.weight.shape), tuple(output.weight.shape)),
        expected=(tuple(params["Wh"].shape), tuple(params["Wy"].shape)),
        params_gap=max_parameter_difference(model_params(model), params),
        logits_gap=float((logits - outputs["ytilde"]).abs().max()),
        proba_gap=float((predict_proba(model, X) - Yhat).abs().max()),
        ce_index_gap=relative(by_index, ours),
        ce_one_hot_gap=relative(by_one_hot, ours),
    )


@dataclass(frozen=True)
class TrajectoriesFinding(Finding):
    """The four versions' losses and parameter distances to the manual one."""

    page = "pytorch"
    name = "pytorch-trajectories"

    config: TrainConfig
    losses: dict[str, np.ndarray]  # per version: loss before each update
    differences: dict[str, np.ndarray]  # per PyTorch version, per epoch
    train_gap: float  # manual version vs the package's train
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
            "pytorch-eta": f"{c.eta:g}",
            "pytorch-batch": c.batch_size,
            "pytorch-epochs": c.epochs,
            "pytorch-updates": len(self.losses["manual"]),
            "pytorch-tolerance": f"{TOLERANCE:.0e}",
            "pytorch-worst": f"{self.worst:.1e}",
            "pytorch-loss-gap": f"{max(self.loss_gap.values()):.1e}",
            "pytorch-moved": f"{self.moved:.2f}",
        }

    def claims(self) -> tuple[Claim, ...]:
        follows = {
            name: claim(
                f"pytorch-{name.replace(' + ', '-')}-follows",
                f"The {name} version follows the manual trajectory",
                float(d.max()) <= TOLERANCE,
                f"largest parameter difference, every epoch <= {TOLERANCE:g}",
                largest=float(d.max()),
            )
            for name, d in self.differences.items()
        }
        return (
            claim(
                "pytorch-manual-is-train",
                "The manual version is the package's train, bit for bit",
                self.train_gap == 0.0,
                "largest parameter difference == 0",
                difference=self.train_gap,
            ),
            *follows.values(),
            claim(
                "pytorch-losses-agree",
                "The mini-batch losses of all versions agree",
                max(self.loss_gap.values()) <= TOLERANCE,
                f"largest loss difference <= {TOLERANCE:g}",
                largest=max(self.loss_gap.values()),
            ),
            claim(
                "pytorch-far-below-tolerance",
                "Every difference is at least four orders of magnitude"
                " below the tolerance",
                self.worst <= 1e-4 * TOLERANCE,
                f"largest parameter difference <= {1e-4 * TOLERANCE:g}",
                largest=self.worst,
            ),
            claim(
                "pytorch-parameters-moved",
                "Training moves the parameters far more than that",
                self.moved > 1e6 * self.worst,
                "largest change of a parameter > 1e6 x largest difference",
                moved=self.moved,
            ),
        )


def trajectories_finding(
    runs: dict[str, Trajectory], start, reference: History
) -> TrajectoriesFinding:
    """Compare the versions' runs from ``start``; ``reference`` is ``train``'s
    history of the same configuration."""
    manual = runs["manual"]
    return TrajectoriesFinding(
        config=reference.config,
        losses={name: run.losses for name, run in runs.items()},
        differences=compare_trajectories(runs),
        train_gap=max_parameter_difference(manual.final, reference.params),
        moved=max_parameter_difference(manual.final, start),
    )

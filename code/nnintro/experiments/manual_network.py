"""The manual-network page: the spread of the initial parameters, a network
so confident that the log form of the loss breaks, one step, a training run.
(That each function computes its equation is a test of the package.)"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

from nnintro.circles import CirclesData
from nnintro.comparisons import above, at_least, below, close, equal
from nnintro.findings import Finding, claim
from nnintro.network import (
    INIT_STD,
    backward,
    forward,
    init_params,
    loss_accuracy,
    sgd,
)
from nnintro.training import History, TrainConfig, train

LOUD_SCALE = 10_000  # the output layer of the over-confident network


@dataclass(frozen=True)
class InitFinding(Finding):
    """The spread of a large draw of ``init_params``."""

    page = "manual_network"
    name = "manual-init"

    weights: np.ndarray  # every entry of a large W_h
    biases: np.ndarray  # every entry of its b_h

    def numbers(self):
        return {
            "manual-init-target": INIT_STD,
            "manual-init-count": self.weights.size,
            "manual-init-bias-count": self.biases.size,
            "manual-init-std": self.weights.std(),
            "manual-init-bias-std": self.biases.std(),
        }

    def claims(self):
        weights = ("weights' sample sd", self.weights.std())
        biases = ("biases' sample sd", self.biases.std())
        return (
            claim(
                "manual-init-spread",
                f"Over a large draw the weights and the biases both have a"
                f" standard deviation of {INIT_STD:g}",
                close(weights, INIT_STD, tol=0.005)
                & close(biases, INIT_STD, tol=0.005),
            ),
        )


def init_spread(nx=10, nh=20_000, ny=2, *, seed=1) -> InitFinding:
    """Draw a large network once: its W_h and b_h."""
    params = init_params(nx, nh, ny, seed=seed)
    return InitFinding(params["Wh"].numpy().ravel(), params["bh"].numpy())


@dataclass(frozen=True)
class LossFinding(Finding):
    """The output layer scaled up: both forms of the loss on every point."""

    page = "manual_network"
    name = "manual-loss"

    rows: int
    top_probability: float  # smallest over rows of the larger probability
    zero_rows: int  # rows with a probability of exactly 0
    target_zero_rows: int  # ... where it is the target's
    other_zero_rows: int  # ... where it is the other class's
    gap_zero: float  # smallest logit gap among the rows with a 0
    gap_other: float  # largest logit gap among the other rows
    smallest_gap: float
    log_form: float  # +inf: a target's probability underflowed
    warned: bool  # loss_accuracy warned, naming the logits path
    logit_form: float

    def numbers(self):
        return {
            "manual-loud-scale": LOUD_SCALE,
            "manual-loud-rows": self.rows,
            "manual-loud-top": self.top_probability,
            "manual-loud-smallest-gap": self.smallest_gap,
            "manual-loud-zero-rows": self.zero_rows,
            "manual-loud-target-zero": self.target_zero_rows,
            "manual-loud-other-zero": self.other_zero_rows,
            "manual-loud-gap-zero": self.gap_zero,
            "manual-loud-gap-other": self.gap_other,
            "manual-loud-loss": self.logit_form,
        }

    def claims(self):
        zeros = ("rows with a probability of 0", self.zero_rows)
        top = ("smallest larger probability", self.top_probability)
        infinite = ("log-form loss is +inf", int(self.log_form == math.inf))
        target = ("rows where the target's is 0", self.target_zero_rows)
        other = ("rows where the other's is 0", self.other_zero_rows)
        gap_zero = ("smallest gap with a 0", self.gap_zero)
        gap_other = ("largest gap without", self.gap_other)
        return (
            claim(
                "manual-loud-confident",
                "The scaled-up network is confident on every point",
                above(top, 0.999),
            ),
            claim(
                "manual-loud-exact-zeros",
                "A probability is exactly 0 on some points but not all, those"
                " whose logits lie furthest apart",
                above(zeros, 0)
                & below(zeros, ("rows", self.rows))
                & above(gap_zero, gap_other),
            ),
            claim(
                "manual-loud-log-form-inf",
                "The log form is +inf, never NaN, and loss_accuracy warns;"
                " both kinds of 0 occur",
                equal(infinite, 1)
                & equal(("loss_accuracy warned", int(self.warned)), 1)
                & at_least(target, 1)
                & at_least(other, 1),
            ),
            claim(
                "manual-loud-logit-form",
                "The logit form stays finite",
                below(("logit-form loss", self.logit_form), 1e308),
            ),
        )


def loud_network(params, data: CirclesData) -> LossFinding:
    """The output layer scaled by ``LOUD_SCALE``, on the training set."""
    X, Y = data.Xtrain, data.Ytrain
    loud = {
        k: v * LOUD_SCALE if k in ("Wy", "by") else v
        for k, v in params.items()
    }
    Yhat, outputs = forward(loud, X)
    ytilde, zero = outputs["ytilde"], Yhat == 0
    logit_gap = (ytilde.max(dim=1).values - ytilde.min(dim=1).values).numpy()
    has_zero = zero.any(dim=1).numpy()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        naive, _ = loss_accuracy(Yhat, Y)
    stable, _ = loss_accuracy(Yhat, Y, ytilde=ytilde)
    return LossFinding(
        rows=len(Y),
        top_probability=float(Yhat.max(dim=1).values.min()),
        zero_rows=int(has_zero.sum()),
        target_zero_rows=int((zero & (Y == 1)).any(dim=1).sum()),
        other_zero_rows=int((zero & (Y == 0)).any(dim=1).sum()),
        gap_zero=float(logit_gap[has_zero].min(initial=np.inf)),
        gap_other=float(logit_gap[~has_zero].max(initial=0.0)),
        smallest_gap=float(logit_gap.min()),
        log_form=float(naive),
        warned=any("ytilde=" in str(w.message) for w in caught),
        logit_form=float(stable),
    )


@dataclass(frozen=True)
class StepFinding(Finding):
    """The loss of a batch before and after one step of ``sgd``."""

    page = "manual_network"
    name = "manual-step"

    eta: float
    loss_before: float
    loss_after: float

    def numbers(self):
        return {
            "manual-step-eta": self.eta,
            "manual-step-before": self.loss_before,
            "manual-step-after": self.loss_after,
        }

    def claims(self):
        after = ("loss after", self.loss_after)
        before = ("loss before", self.loss_before)
        return (
            claim(
                "manual-step-lowers-loss",
                "A small step lowers the loss of its batch",
                below(after, before),
            ),
        )


def one_step(params, X, Y, eta: float = 0.01) -> StepFinding:
    """One step of ``sgd`` on a batch, and the batch loss before and after."""
    _, outputs = forward(params, X)
    stepped = sgd(params, backward(params, outputs, Y), eta)
    before, _ = loss_accuracy(forward(params, X)[0], Y)
    after, _ = loss_accuracy(forward(stepped, X)[0], Y)
    return StepFinding(eta, float(before), float(after))


@dataclass(frozen=True)
class TrainingFinding(Finding):
    """One training run of the manual network."""

    page = "manual_network"
    name = "manual-training"

    history: History
    n_train: int

    @property
    def config(self) -> TrainConfig:
        return self.history.config

    @property
    def middle(self) -> int:
        """The second snapshot epoch (0 without one)."""
        epochs = self.config.snapshot_epochs
        return epochs[1] if len(epochs) > 1 else 0

    def numbers(self):
        h, c = self.history, self.config
        return {
            "manual-nh": c.nh,
            "manual-eta": c.eta,
            "manual-batch": c.batch_size,
            "manual-epochs": c.epochs,
            "manual-updates": int(h.updates[-1]),
            "manual-loss-start": h.train_loss[0],
            "manual-loss-end": h.final("train_loss"),
            "manual-acc-start": 100 * h.test_acc[0],
            "manual-test-acc": 100 * h.final("test_acc"),
            "manual-train-acc": 100 * h.final("train_acc"),
            "manual-middle-epoch": self.middle,
            "manual-middle-acc": 100 * h.test_acc[self.middle],
        }

    def claims(self):
        h, middle = self.history, self.middle
        final = ("final test accuracy", h.final("test_acc"))
        at_middle = (f"test accuracy at epoch {middle}", h.test_acc[middle])
        end_loss = ("final training loss", h.final("train_loss"))
        half = ("half the initial loss", h.train_loss[0] / 2)
        return (
            claim(
                "manual-train-loss-falls",
                "The training loss falls below half its start",
                below(end_loss, half),
            ),
            claim(
                "manual-train-accuracy",
                "Test accuracy rises from near chance to above 90 %",
                below(("untrained test accuracy", h.test_acc[0]), 0.6)
                & above(final, 0.9),
            ),
            claim(
                "manual-train-boundary-late",
                "At the second snapshot the test accuracy is still below"
                " the final one",
                below(at_middle, final),
            ),
        )


def training_run(config: TrainConfig, data: CirclesData) -> TrainingFinding:
    """Train the manual network with ``train`` and keep its history."""
    return TrainingFinding(train(config, data), data.Xtrain.shape[0])

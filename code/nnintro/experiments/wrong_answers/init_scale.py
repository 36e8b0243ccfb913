"""Weights drawn with variance 0.3 instead of standard deviation 0.3."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nnintro.circles import make_circles
from nnintro.findings import Finding, above, below, claim, close, each
from nnintro.network import (
    INIT_STD,
    cross_entropy_from_logits,
    forward,
    init_params,
)
from nnintro.training import History, TrainConfig, train

WRONG_INIT_STD = math.sqrt(0.3)  # variance 0.3, the usual misreading
SATURATION = 0.99
CIRCLES_INIT = TrainConfig(nh=10, eta=0.1, batch_size=10, epochs=60, seed=0)
DIGITS_INIT = TrainConfig(nh=20, eta=0.1, batch_size=10, epochs=10, seed=0)
EARLY_EPOCHS = (10, 15, 20)  # where the circles runs are compared early


@dataclass(frozen=True, eq=False)
class InitScaleComparison:
    """tanh saturation at initialisation and a short run, per std."""

    stds: tuple[float, ...]
    saturated_fraction: tuple[float, ...]  # share of |h| > SATURATION
    mean_tanh_slope: tuple[float, ...]  # mean of 1 - h^2
    initial_loss: tuple[float, ...]
    histories: tuple[History, ...]
    hidden: tuple[np.ndarray, ...]  # every h on the training inputs

    @property
    def config(self) -> TrainConfig:
        return self.histories[0].config

    def final(self, key: str) -> tuple[float, ...]:
        return tuple(h.final(key) for h in self.histories)


def init_scale_comparison(
    data=None,
    config: TrainConfig = CIRCLES_INIT,
    stds: tuple[float, ...] = (INIT_STD, WRONG_INIT_STD),
) -> InitScaleComparison:
    """Draw the weights with each std, measure saturation, train briefly.

    ``data`` is the circles of ``config.seed`` by default, or any data set
    ``train`` takes (e.g. :func:`nnintro.digits_data.load_sklearn_digits`).
    """
    data = make_circles(seed=config.seed) if data is None else data
    nx, ny = data.Xtrain.shape[1], data.Ytrain.shape[1]
    saturated, slope, initial, histories, hidden = [], [], [], [], []
    for std in stds:
        params = init_params(nx, config.nh, ny, seed=config.seed, std=std)
        _, out = forward(params, data.Xtrain)
        h = out["h"]
        hidden.append(h.flatten().numpy())
        saturated.append(float((h.abs() > SATURATION).double().mean()))
        slope.append(float((1 - h**2).mean()))
        initial.append(
            float(cross_entropy_from_logits(out["ytilde"], data.Ytrain))
        )
        histories.append(train(config, data, params=params))
    return InitScaleComparison(
        tuple(stds),
        tuple(saturated),
        tuple(slope),
        tuple(initial),
        tuple(histories),
        tuple(hidden),
    )


@dataclass(frozen=True, eq=False)
class InitVariance(Finding):
    """The variance of the course's weights, and what variance 0.3 does."""

    page = "wrong_answers"
    name = "wrong-init"

    sample_std: float  # of a large matrix drawn by init_params
    sample_size: int
    circles: InitScaleComparison
    digits: InitScaleComparison
    digits_nx: int
    digits_n: int
    early_epochs: tuple[int, ...] = EARLY_EPOCHS

    def lead(self, epoch: int) -> float:
        """Test accuracy of the wrong scale minus the right one's, circles."""
        right, wrong = (h.test_acc[epoch] for h in self.circles.histories)
        return float(wrong - right)

    def numbers(self):
        right, wrong = self.circles.stds
        c, d = self.circles.config, self.digits.config
        numbers = {
            "wrong-init-std": wrong,
            "wrong-init-factor": wrong / right,
            "wrong-init-sample-size": self.sample_size,
            "wrong-init-sample-std": self.sample_std,
            "wrong-init-sample-var": self.sample_std**2,
            "wrong-init-threshold": SATURATION,
            "wrong-init-eta": c.eta,
            "wrong-init-batch": c.batch_size,
            "wrong-init-circles-nh": c.nh,
            "wrong-init-digits-nh": d.nh,
            "wrong-init-digits-nx": self.digits_nx,
            "wrong-init-digits-n": self.digits_n,
            "wrong-init-circles-epochs": c.epochs,
            "wrong-init-digits-epochs": d.epochs,
            "wrong-init-circles-gap": 100 * abs(self.circles_gap),
        }
        for k, epoch in enumerate(self.early_epochs):
            numbers[f"wrong-init-early-{k}"] = epoch
            numbers[f"wrong-init-lead-{k}"] = 100 * self.lead(epoch)
        for name, run in (("circles", self.circles), ("digits", self.digits)):
            for tag, i in (("right", 0), ("wrong", 1)):
                values = {
                    "sat": 100 * run.saturated_fraction[i],
                    "slope": run.mean_tanh_slope[i],
                    "loss0": run.initial_loss[i],
                    "acc": 100 * run.final("test_acc")[i],
                    "loss": run.final("train_loss")[i],
                }
                for key, value in values.items():
                    numbers[f"wrong-init-{name}-{tag}-{key}"] = value
        return numbers

    @property
    def circles_gap(self) -> float:
        right, wrong = self.circles.final("test_acc")
        return wrong - right

    def claims(self):
        c, d = self.circles, self.digits
        right, wrong = f"std {INIT_STD:g}", f"std {WRONG_INIT_STD:.3f}"

        def pair(name, values):
            """(name, value) of the wrong scale, then of the right one."""
            first = (f"{name}, {wrong}", values[1])
            return first, (f"{name}, {right}", values[0])

        acc, loss = d.final("test_acc"), d.final("train_loss")
        epochs_c, epochs_d = c.config.epochs, d.config.epochs
        at_end = f"test accuracy at epoch {epochs_c}"
        sample_var = ("sample variance", self.sample_std**2)
        lead = f"test accuracy, {wrong} minus {right}"
        leads = {f"epoch {e}": self.lead(e) for e in self.early_epochs}
        return (
            claim(
                "wrong-init-variance",
                "Weights drawn as 0.3 randn have standard deviation 0.3"
                " and variance 0.09, not 0.3",
                close(("sample std", self.sample_std), 0.3, tol=0.003)
                & close(sample_var, 0.09, tol=0.002),
            ),
            claim(
                "wrong-init-slope-lower",
                "With variance 0.3 the mean slope of tanh at the start is"
                " lower on both data sets",
                below(*pair("circles slope", c.mean_tanh_slope))
                & below(*pair("digits slope", d.mean_tanh_slope)),
            ),
            claim(
                "wrong-init-loss-higher",
                "With variance 0.3 the initial loss is higher on both data"
                " sets",
                above(*pair("circles initial loss", c.initial_loss))
                & above(*pair("digits initial loss", d.initial_loss)),
            ),
            claim(
                "wrong-init-digits-saturate",
                "On the digits variance 0.3 leaves more hidden units"
                " saturated at the start",
                above(*pair("digits saturated share", d.saturated_fraction)),
            ),
            claim(
                "wrong-init-circles-ahead-early",
                "On the circles the network started with variance 0.3 is"
                " ahead in test accuracy at each of the early epochs named",
                each(lead, leads, ">", 0, of="epochs"),
            ),
            claim(
                "wrong-init-circles-close-at-end",
                f"On the circles, after {epochs_c} epochs, the two scales"
                " are within 2 points of test accuracy",
                close(*pair(at_end, c.final("test_acc")), tol=0.02),
            ),
            claim(
                "wrong-init-digits-behind",
                f"On the digits, after {epochs_d} epochs, variance 0.3 is"
                " behind in test accuracy and has a higher training loss",
                below(*pair("digits test accuracy", acc))
                & above(*pair("digits training loss", loss)),
            ),
        )


def init_variance_study(
    digits,
    circles_config: TrainConfig = CIRCLES_INIT,
    digits_config: TrainConfig = DIGITS_INIT,
    *,
    sample_shape: tuple[int, int] = (1000, 784),
) -> InitVariance:
    """Sample the course's weights; compare std 0.3 with sqrt(0.3)."""
    rows, columns = sample_shape
    weights = init_params(columns, rows, 10, seed=0)["Wh"]
    return InitVariance(
        sample_std=float(weights.std()),
        sample_size=weights.numel(),
        circles=init_scale_comparison(config=circles_config),
        digits=init_scale_comparison(digits, digits_config),
        digits_nx=digits.Xtrain.shape[1],
        digits_n=digits.Xtrain.shape[0],
    )

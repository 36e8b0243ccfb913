"""Question 2: test accuracy against the number N of training examples.

The network is trained on growing training sets (several seeds each) with one
fixed recipe, and scored on one large test set that no run sees. Two references
show what the recipe, not the data, costs at the largest N: the same network
trained longer with a smaller learning rate, and the rule "class 1 when
|x| < t" with t fitted on the training set.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nnintro.data import (
    CirclesData,
    best_radius_threshold_accuracy,
    make_circles,
    radius_rule_accuracy,
)
from nnintro.findings import Claim, Finding, claim
from nnintro.training import TrainConfig, train


@dataclass(frozen=True)
class SampleSizeConfig:
    """Sizes N (even), seeds, the fixed recipe,
    and the longer recipe at the largest N."""

    sizes: tuple[int, ...] = (10, 30, 100, 300, 600)
    seeds: tuple[int, ...] = (0, 1, 2)
    test_per_class: int = 250
    test_seed: int = 12345
    nh: int = 10
    eta: float = 0.5
    batch_size: int = 10
    updates: int = 800
    long_eta: float = 0.1
    long_epochs: int = 300

    def __post_init__(self):
        if any(n < 2 or n % 2 for n in self.sizes):
            raise ValueError(
                f"every N must be even and at least 2, got {self.sizes}"
            )

    def epochs_for(self, n: int) -> int:
        """Epochs that give about ``updates`` mini-batch steps
        on N examples."""
        batches_per_epoch = math.ceil(n / self.batch_size)
        return max(1, round(self.updates / batches_per_epoch))


def with_fixed_test_set(
    train_data: CirclesData, test_data: CirclesData
) -> CirclesData:
    """The training set of one draw with the (large, shared) test
    set of another."""
    return CirclesData(
        train_data.Xtrain,
        train_data.Ytrain,
        test_data.Xtest,
        test_data.Ytest,
        train_data.Xgrid,
        train_data.seed,
    )


@dataclass(frozen=True)
class SampleSizeFinding(Finding):
    """Accuracies per size and seed,
    and the two references at the largest N."""

    page = "data"
    name = "q2-sample-size"

    config: SampleSizeConfig
    test_acc: np.ndarray  # len(sizes) x len(seeds), fixed recipe
    train_acc: np.ndarray  # len(sizes) x len(seeds), fixed recipe
    epochs: tuple[int, ...]  # epochs of the fixed recipe for each N
    long_test_acc: np.ndarray  # len(seeds): longer recipe at the largest N
    rule_test_acc: (
        np.ndarray
    )  # len(seeds): radius rule fitted on the training set

    @property
    def mean(self) -> np.ndarray:
        return self.test_acc.mean(axis=1)

    @property
    def spread(self) -> np.ndarray:
        """Standard deviation over seeds (ddof=1)."""
        return self.test_acc.std(axis=1, ddof=1)

    def numbers(self) -> dict[str, object]:
        c = self.config
        pct = lambda a: f"{100 * float(a):.1f}"  # noqa: E731
        train_mean = self.train_acc.mean(axis=1)
        return {
            "data-sizes": ", ".join(str(n) for n in c.sizes),
            "data-seeds": len(c.seeds),
            "data-updates": c.updates,
            "data-eta": c.eta,
            "data-batch": c.batch_size,
            "data-test-size": 2 * c.test_per_class,
            "data-n-small": c.sizes[0],
            "data-n-large": c.sizes[-1],
            "data-epochs-small": self.epochs[0],
            "data-epochs-large": self.epochs[-1],
            "data-acc-small": pct(self.mean[0]),
            "data-acc-large": pct(self.mean[-1]),
            "data-sd-small": pct(self.spread[0]),
            "data-sd-large": pct(self.spread[-1]),
            "data-train-small": pct(train_mean[0]),
            "data-long-eta": c.long_eta,
            "data-long-epochs": c.long_epochs,
            "data-acc-long": pct(self.long_test_acc.mean()),
            "data-acc-rule": pct(self.rule_test_acc.mean()),
        }

    def claims(self) -> tuple[Claim, ...]:
        mean, spread = self.mean, self.spread
        train_mean = self.train_acc.mean(axis=1)
        gap = train_mean - mean
        return (
            claim(
                "q2-more-data-better-test",
                "Test accuracy at the largest N exceeds "
                "that at the smallest by"
                " more than 10 points",
                mean[-1] - mean[0] > 0.10,
                "mean(N max) - mean(N min) > 0.10",
                mean_small=float(mean[0]),
                mean_large=float(mean[-1]),
            ),
            claim(
                "q2-small-sets-fitted",
                "The smallest training sets are fitted almost perfectly",
                train_mean[0] > 0.95,
                "mean training accuracy at N min > 0.95",
                train_small=float(train_mean[0]),
            ),
            claim(
                "q2-gap-closes",
                "The gap between training and test accuracy shrinks from the"
                " smallest to the largest N",
                gap[-1] < gap[0],
                "gap(N max) < gap(N min)",
                gap_small=float(gap[0]),
                gap_large=float(gap[-1]),
            ),
            claim(
                "q2-spread-shrinks",
                "The spread over seeds is smaller at the largest N "
                "than at the smallest",
                spread[-1] < spread[0],
                "sd(N max) < sd(N min)",
                sd_small=float(spread[0]),
                sd_large=float(spread[-1]),
            ),
            claim(
                "q2-fixed-recipe-levels-off",
                "With the fixed recipe, the two largest sizes differ by less"
                " than their spreads over seeds",
                abs(mean[-1] - mean[-2]) < spread[-1] + spread[-2],
                "|mean(N max) - mean(previous N)| < sd + sd",
                difference=float(abs(mean[-1] - mean[-2])),
                spreads=float(spread[-1] + spread[-2]),
            ),
            claim(
                "q2-plateau-is-the-recipe",
                "At the largest N the longer recipe beats the "
                "fixed one on every seed",
                bool(self.long_test_acc.min() > self.test_acc[-1].max()),
                "min(longer recipe) > max(fixed recipe), over seeds",
                longer_min=float(self.long_test_acc.min()),
                fixed_max=float(self.test_acc[-1].max()),
            ),
            claim(
                "q2-rule-above-network",
                "The radius rule fitted on the training set scores above the"
                " network trained with either recipe",
                self.rule_test_acc.mean()
                > max(self.long_test_acc.mean(), mean[-1]),
                "mean(rule) > mean(longer recipe) and > mean(fixed recipe)",
                rule=float(self.rule_test_acc.mean()),
                longer=float(self.long_test_acc.mean()),
                fixed=float(mean[-1]),
            ),
        )


def sample_size_study(
    config: SampleSizeConfig = SampleSizeConfig(),
) -> SampleSizeFinding:
    """Train on N = sizes[k] examples per seed; score on one large test set."""
    test = make_circles(config.test_seed, n_per_class=config.test_per_class)
    shape = (len(config.sizes), len(config.seeds))
    test_acc, train_acc = np.zeros(shape), np.zeros(shape)
    long_acc, rule_acc = np.zeros(shape[1]), np.zeros(shape[1])
    for i, n in enumerate(config.sizes):
        for j, seed in enumerate(config.seeds):
            data = with_fixed_test_set(
                make_circles(seed, n_per_class=n // 2), test
            )
            run = TrainConfig(
                nh=config.nh,
                eta=config.eta,
                batch_size=config.batch_size,
                epochs=config.epochs_for(n),
                seed=seed,
            )
            history = train(run, data)
            test_acc[i, j] = history.final("test_acc")
            train_acc[i, j] = history.final("train_acc")
            if n == config.sizes[-1]:
                longer = TrainConfig(
                    nh=config.nh,
                    eta=config.long_eta,
                    batch_size=config.batch_size,
                    epochs=config.long_epochs,
                    seed=seed,
                )
                long_acc[j] = train(longer, data).final("test_acc")
                _, t = best_radius_threshold_accuracy(data.Xtrain, data.Ytrain)
                rule_acc[j] = radius_rule_accuracy(data.Xtest, data.Ytest, t)
    epochs = tuple(config.epochs_for(n) for n in config.sizes)
    return SampleSizeFinding(
        config, test_acc, train_acc, epochs, long_acc, rule_acc
    )

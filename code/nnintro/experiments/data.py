"""The data page, question 2: test accuracy against the number N of examples.

The network is trained on growing training sets (several seeds each) with one
fixed recipe, and scored on one large test set that no run sees. Two references
show what the recipe, not the data, costs at the largest N: the same network
trained longer with a smaller learning rate, and the rule "class 1 when
|x| < t" with t fitted on the training set.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from nnintro.circles import (
    CirclesData,
    best_radius_threshold_accuracy,
    make_circles,
    radius_rule_accuracy,
)
from nnintro.findings import Claim, Finding, above, below, claim, each, ordered
from nnintro.training import TrainConfig, train


@dataclass(frozen=True)
class SampleSizeConfig:
    """Sizes N (even, increasing), seeds, the fixed recipe,
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
        if list(self.sizes) != sorted(set(self.sizes)) or len(self.sizes) < 3:
            raise ValueError(f"need three increasing sizes, got {self.sizes}")

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
    return replace(train_data, Xtest=test_data.Xtest, Ytest=test_data.Ytest)


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
    rule_test_acc: np.ndarray  # len(seeds): radius rule, fitted on train

    @property
    def mean(self) -> np.ndarray:
        return self.test_acc.mean(axis=1)

    @property
    def train_mean(self) -> np.ndarray:
        return self.train_acc.mean(axis=1)

    @property
    def spread(self) -> np.ndarray:
        """Standard deviation over seeds (ddof=1)."""
        return self.test_acc.std(axis=1, ddof=1)

    def per_size(self, what: str, values) -> list[tuple[str, float]]:
        """``[(f"{what} at N={n}", value), ...]`` for an ordered claim."""
        sizes = self.config.sizes
        return [(f"{what} at N={n}", float(v)) for n, v in zip(sizes, values)]

    def numbers(self) -> dict[str, object]:
        c, k = self.config, -2  # the second-largest N
        return {
            "data-sizes": ", ".join(str(n) for n in c.sizes),
            "data-seeds": len(c.seeds),
            "data-updates": c.updates,
            "data-eta": c.eta,
            "data-batch": c.batch_size,
            "data-test-size": 2 * c.test_per_class,
            "data-n-small": c.sizes[0],
            "data-n-peak": c.sizes[k],
            "data-n-large": c.sizes[-1],
            "data-epochs-small": self.epochs[0],
            "data-epochs-large": self.epochs[-1],
            "data-acc-small": 100 * self.mean[0],
            "data-acc-peak": 100 * self.mean[k],
            "data-acc-large": 100 * self.mean[-1],
            "data-sd-small": 100 * self.spread[0],
            "data-sd-large": 100 * self.spread[-1],
            "data-train-small": 100 * self.train_mean[0],
            "data-gap-peak": 100 * (self.train_mean[k] - self.mean[k]),
            "data-gap-large": 100 * (self.train_mean[-1] - self.mean[-1]),
            "data-long-eta": c.long_eta,
            "data-long-epochs": c.long_epochs,
            "data-acc-long": 100 * self.long_test_acc.mean(),
            "data-acc-rule": 100 * self.rule_test_acc.mean(),
        }

    def claims(self) -> tuple[Claim, ...]:
        test = self.per_size("test", self.mean)
        train = self.per_size("train", self.train_mean)
        gap = self.per_size("gap", self.train_mean - self.mean)
        sd = self.per_size("sd", self.spread)
        drop = ("drop", test[-2][1] - test[-1][1])
        sds = (f"{sd[-2][0]} + {sd[-1][0]}", sd[-2][1] + sd[-1][1])
        longer = dict(
            zip((f"seed {s}" for s in self.config.seeds), self.long_test_acc)
        )
        best_fixed = ("best seed, fixed recipe", self.test_acc[-1].max())
        rule = ("rule", self.rule_test_acc.mean())
        return (
            claim(
                "q2-test-rises-then-dips",
                "The mean test accuracy rises at every step of N up to the"
                " second-largest size, then falls at the largest, by less"
                " than the sum of the two sizes' spreads over seeds",
                ordered(test[:-1], "<")
                & below(test[-1], test[-2])
                & below(drop, sds),
            ),
            claim(
                "q2-small-sets-fitted",
                "The smallest training set is fitted almost perfectly",
                above(train[0], 0.95),
            ),
            claim(
                "q2-train-falls",
                "The mean training accuracy falls at every step of N",
                ordered(train, ">"),
            ),
            claim(
                "q2-gap-closes-then-widens",
                "The gap between training and test accuracy shrinks at every"
                " step up to the second-largest N and widens at the largest",
                ordered(gap[:-1], ">") & above(gap[-1], gap[-2]),
            ),
            claim(
                "q2-spread-shrinks",
                "The spread over seeds shrinks at every step of N",
                ordered(sd, ">"),
            ),
            claim(
                "q2-plateau-is-the-recipe",
                "At the largest N the longer recipe beats the "
                "fixed one on every seed",
                each("longer recipe", longer, ">", best_fixed, of="seeds"),
            ),
            claim(
                "q2-recipe-beats-more-data",
                "On the largest set the longer recipe beats the fixed one at"
                " every N",
                above(
                    ("longer recipe, mean", self.long_test_acc.mean()),
                    ("fixed recipe, best mean over N", self.mean.max()),
                ),
            ),
            claim(
                "q2-rule-above-network",
                "The radius rule fitted on the training set scores above the"
                " network trained with either recipe",
                above(rule, ("longer recipe", self.long_test_acc.mean()))
                & above(rule, ("fixed recipe", self.mean[-1])),
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
            run = TrainConfig.from_config(
                config, epochs=config.epochs_for(n), seed=seed
            )
            history = train(run, data)
            test_acc[i, j] = history.final("test_acc")
            train_acc[i, j] = history.final("train_acc")
            if n == config.sizes[-1]:
                longer = replace(
                    run, eta=config.long_eta, epochs=config.long_epochs
                )
                long_acc[j] = train(longer, data).final("test_acc")
                _, t = best_radius_threshold_accuracy(data.Xtrain, data.Ytrain)
                rule_acc[j] = radius_rule_accuracy(data.Xtest, data.Ytest, t)
    epochs = tuple(config.epochs_for(n) for n in config.sizes)
    return SampleSizeFinding(
        config, test_acc, train_acc, epochs, long_acc, rule_acc
    )

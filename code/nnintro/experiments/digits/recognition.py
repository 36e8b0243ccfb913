"""The digits page: the network trained on handwritten digits.

The same network as for the circles, with n_x = 784 inputs (28 x 28
pixels) and n_y = 10 classes, is trained by hand (``nnintro.training``)
and, on the very same mini-batches, as a ``torch.nn`` model
(``nnintro.torch_versions``). The finding holds both runs, the untrained
network's numbers and the test predictions; from them follow the confusion
matrix and the misclassified images (and, in :mod:`.calibration`, the
calibration of the confidences).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from nnintro.digits_data import DigitsData, confusion_matrix
from nnintro.findings import Finding, above, at_most, below, claim, each, equal
from nnintro.network import accuracy, forward
from nnintro.torch_versions import (
    max_parameter_difference,
    train_nn,
    training_schedule,
)
from nnintro.training import History, TrainConfig, train

CONFIDENT = 0.9  # "misread with more than 90 % confidence"


@dataclass(frozen=True)
class DigitsConfig:
    """The recipe: hidden size, learning rate, batch size, epochs, seed."""

    nh: int = 30
    eta: float = 0.1
    batch_size: int = 10
    epochs: int = 15
    seed: int = 0
    n_shown: int = 8  # misclassified images in the figure

    @property
    def train_config(self) -> TrainConfig:
        return TrainConfig.from_config(self)


@dataclass(frozen=True, eq=False)
class DigitsFinding(Finding):
    """Both runs, the untrained network, and the test predictions."""

    page = "digits"
    name = "digits-training"

    config: DigitsConfig
    data: DigitsData
    history: History  # the manual network, per epoch
    nn_train_acc: float
    nn_test_acc: float
    nn_max_difference: float  # final parameters, nn against manual
    p_true_untrained: np.ndarray  # probability of the true class, epoch 0
    probabilities: np.ndarray  # n_test x 10, the trained manual network

    @property
    def truth(self) -> np.ndarray:
        return self.data.Ytest.argmax(dim=1).numpy()

    @property
    def predicted(self) -> np.ndarray:
        return self.probabilities.argmax(axis=1)

    @property
    def confidence(self) -> np.ndarray:
        """The probability the network gives to its own answer."""
        return self.probabilities.max(axis=1)

    @property
    def wrong(self) -> np.ndarray:
        """Indices of the misclassified test images, in test-set order."""
        return np.flatnonzero(self.predicted != self.truth)

    @property
    def confusion(self) -> np.ndarray:
        return confusion_matrix(
            torch.from_numpy(self.predicted), self.data.Ytest
        )

    @property
    def worst_confusion(self) -> tuple[int, int, int]:
        """(true digit, predicted digit, count) of the largest error cell."""
        off = self.confusion - np.diag(np.diag(self.confusion))
        i, j = np.unravel_index(np.argmax(off), off.shape)
        return int(i), int(j), int(off[i, j])

    @property
    def n_params(self) -> int:
        return sum(p.numel() for p in self.history.params.values())

    def numbers(self):
        c, h, d = self.config, self.history, self.data
        height, width = d.image_shape
        true, predicted, count = self.worst_confusion
        n_wrong, nx = len(self.wrong), d.Xtrain.shape[1]
        p_true = self.p_true_untrained
        return {
            "digits-source": d.source,
            "digits-n-train": d.Xtrain.shape[0],
            "digits-n-test": d.Xtest.shape[0],
            "digits-shape": f"{height} × {width}",
            "digits-nx": nx,
            "digits-nh": c.nh,
            "digits-eta": c.eta,
            "digits-batch": c.batch_size,
            "digits-epochs": c.epochs,
            "digits-updates": int(h.updates[-1]),
            "digits-train-acc": 100 * h.final("train_acc"),
            "digits-test-acc": 100 * h.final("test_acc"),
            "digits-nn-test-acc": 100 * self.nn_test_acc,
            "digits-nn-difference": self.nn_max_difference,
            "digits-n-wrong": n_wrong,
            "digits-worst-true": true,
            "digits-worst-predicted": predicted,
            "digits-worst-count": count,
            "digits-worst-share": 100 * count / max(n_wrong, 1),
            "digits-min-recall": 100 * self.recall.min(),
            "digits-min-recall-digit": int(self.recall.argmin()),
            "digits-n-shown": min(self.config.n_shown, n_wrong),
            "digits-max-wrong-confidence": 100 * self.max_wrong_confidence,
            "digits-loss-start": h.train_loss[0],
            "digits-acc-start": 100 * h.test_acc[0],
            "digits-p-true": p_true.mean(),
            "digits-p-true-min": p_true.min(),
            "digits-p-true-max": p_true.max(),
            "digits-n-params": self.n_params,
            "digits-n-params-wh": c.nh * nx,
            "digits-share-wh": 100 * c.nh * nx / self.n_params,
        }

    @property
    def recall(self) -> np.ndarray:
        """Per true digit, the share of its test images read correctly."""
        counts = self.confusion
        return np.diag(counts) / counts.sum(axis=1)

    @property
    def max_wrong_confidence(self) -> float:
        wrong = self.wrong
        return float(self.confidence[wrong].max()) if len(wrong) else 0.0

    def claims(self):
        h = self.history
        loss0 = ("untrained loss", float(h.train_loss[0]))
        p_mean = float(self.p_true_untrained.mean())
        test = ("final test accuracy", h.final("test_acc"))
        n_wrong, (_, _, worst) = len(self.wrong), self.worst_confusion
        recall = {f"digit {k}": r for k, r in enumerate(self.recall)}
        share = ("largest confusion / errors", worst / max(n_wrong, 1))
        top_wrong = ("top error confidence", self.max_wrong_confidence)
        return (
            claim(
                "digits-untrained-near-chance",
                "The untrained network classifies fewer than 20 % of the"
                " test images correctly",
                below(("test accuracy at epoch 0", h.test_acc[0]), 0.2),
            ),
            claim(
                "digits-untrained-loss-above-uniform",
                "The untrained loss exceeds log 10 and minus the log of the"
                " mean probability of the true class",
                above(loss0, ("log 10", math.log(10)))
                & above(loss0, ("-log mean p(true class)", -math.log(p_mean))),
            ),
            claim(
                "digits-test-above-90",
                "The manual network reads more than 90 % of the test"
                " images correctly",
                above(test, 0.9),
            ),
            claim(
                "digits-train-above-test",
                "The training accuracy ends above the test accuracy",
                above(("final training accuracy", h.final("train_acc")), test),
            ),
            claim(
                "digits-nn-same-accuracy",
                "The nn version ends with the same test accuracy",
                equal(("nn version's test accuracy", self.nn_test_acc), test),
            ),
            claim(
                "digits-nn-same-parameters",
                "The nn version's final parameters differ from the manual"
                " ones by at most 1e-10",
                at_most(
                    ("largest parameter difference", self.nn_max_difference),
                    1e-10,
                ),
            ),
            claim(
                "digits-every-digit-read",
                "Every digit is read correctly on more than three quarters"
                " of its test images",
                each("share read correctly", recall, ">", 0.75, of="digits"),
            ),
            claim(
                "digits-errors-spread",
                "No single confusion accounts for more than a third of the"
                " errors",
                above(("errors", n_wrong), 0) & at_most(share, 1 / 3),
            ),
            claim(
                "digits-confident-mistakes",
                "Some test images are misread with more than 90 % confidence",
                above(top_wrong, CONFIDENT),
            ),
        )


def train_digits(
    data: DigitsData, config: DigitsConfig = DigitsConfig()
) -> DigitsFinding:
    """Train by hand, then as ``torch.nn`` on the same batches; evaluate."""
    run = config.train_config
    nx, ny = data.Xtrain.shape[1], data.Ytrain.shape[1]
    history = train(run, data)  # the manual network
    # the same initial parameters and mini-batches as ``train`` drew
    start, batches = training_schedule(run, nx, ny, data.Xtrain.shape[0])
    nn_run = train_nn(start, data.Xtrain, data.Ytrain, batches, run.eta)
    nn_params = nn_run.final
    with torch.no_grad():
        Yhat0, _ = forward(start, data.Xtrain)
        Yhat, _ = forward(history.params, data.Xtest)
        nn_train = accuracy(forward(nn_params, data.Xtrain)[0], data.Ytrain)
        nn_test = accuracy(forward(nn_params, data.Xtest)[0], data.Ytest)
    return DigitsFinding(
        config,
        data,
        history,
        nn_train,
        nn_test,
        max_parameter_difference(nn_params, history.params),
        (Yhat0 * data.Ytrain).sum(dim=1).numpy(),
        Yhat.numpy(),
    )

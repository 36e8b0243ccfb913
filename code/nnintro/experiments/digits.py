"""Section 2.5: the one-hidden-layer network on handwritten digits.

The same network as for the circles, with n_x = 784 inputs (28 x 28
pixels) and n_y = 10 classes, is trained by hand (``nnintro.training``)
and, on the very same mini-batches, as a ``torch.nn`` model
(``nnintro.torch_versions``). The finding holds both runs, the untrained
network's numbers, the test predictions, and what follows from them: the
confusion matrix and the misclassified images.
"""

from __future__ import annotations

import gzip
import math
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from nnintro.digits_data import DigitsData, confusion_matrix, read_idx
from nnintro.findings import Claim, Finding, claim
from nnintro.gradcheck import (
    AUTOGRAD_TOLERANCE,
    CENTRAL_DIFFERENCE_TOLERANCE,
    check_gradients,
)
from nnintro.network import accuracy, forward, init_params
from nnintro.torch_versions import (
    max_parameter_difference,
    train_nn,
    training_schedule,
)
from nnintro.training import History, TrainConfig, train

pct = "{:.1f}".format


def percent(value: float) -> str:
    """0.9234 -> '92.3'."""
    return pct(100 * float(value))


# --- reading an IDX file written by hand ------------------------------------


@dataclass(frozen=True)
class IdxRoundTrip(Finding):
    """An array written as an IDX file, plain and gzipped, and read back."""

    page = "digits"
    name = "digits-idx"

    images: np.ndarray
    plain: np.ndarray  # read_idx of the plain file
    gzipped: np.ndarray  # read_idx of the gzipped file

    def numbers(self) -> dict[str, object]:
        return {"digits-idx-shape": " × ".join(map(str, self.images.shape))}

    def claims(self) -> tuple[Claim, ...]:
        same = [
            back.shape == self.images.shape
            and bool(np.array_equal(back, self.images))
            for back in (self.plain, self.gzipped)
        ]
        return (
            claim(
                "digits-idx-round-trip",
                "An IDX file written byte by byte reads back as its array,"
                " plain and gzipped",
                all(same),
                "read_idx(file) equals the array, for both files",
                values=int(self.images.size),
                plain_equal=same[0],
                gzipped_equal=same[1],
            ),
        )


def idx_round_trip(raw: bytes, images: np.ndarray) -> IdxRoundTrip:
    """Write ``raw`` plain and gzipped, read both with ``read_idx``."""
    with tempfile.TemporaryDirectory() as folder:
        plain, zipped = Path(folder) / "plain", Path(folder) / "zipped.gz"
        plain.write_bytes(raw)
        zipped.write_bytes(gzip.compress(raw))
        return IdxRoundTrip(
            np.asarray(images), read_idx(plain), read_idx(zipped)
        )


# --- the gradient check with ten classes -------------------------------------


@dataclass(frozen=True)
class DigitsGradientCheck(Finding):
    """``backward`` against autograd and central differences, n_y = 10."""

    page = "digits"
    name = "digits-gradients"

    nx: int
    nh: int
    ny: int
    rows: int
    vs_autograd: float
    vs_central: float

    def numbers(self) -> dict[str, object]:
        return {
            "digits-grad-nh": self.nh,
            "digits-grad-rows": self.rows,
            "digits-grad-autograd": f"{self.vs_autograd:.1e}",
            "digits-grad-central": f"{self.vs_central:.1e}",
        }

    def claims(self) -> tuple[Claim, ...]:
        return (
            claim(
                "digits-gradients-agree",
                "With ten classes backward agrees with autograd and with"
                " central differences",
                self.vs_autograd <= AUTOGRAD_TOLERANCE
                and self.vs_central <= CENTRAL_DIFFERENCE_TOLERANCE,
                f"autograd <= {AUTOGRAD_TOLERANCE:g},"
                f" central <= {CENTRAL_DIFFERENCE_TOLERANCE:g}",
                autograd=self.vs_autograd,
                central=self.vs_central,
            ),
        )


def digits_gradient_check(
    data: DigitsData, *, nh: int = 5, rows: int = 16, seed: int = 0
) -> DigitsGradientCheck:
    """Check ``backward`` on the first ``rows`` training images."""
    nx, ny = data.Xtrain.shape[1], data.Ytrain.shape[1]
    params = init_params(nx, nh, ny, seed=seed)
    report = check_gradients(params, data.Xtrain[:rows], data.Ytrain[:rows])
    return DigitsGradientCheck(
        nx,
        nh,
        ny,
        rows,
        report.worst_autograd,
        report.worst_central_difference,
    )


# --- training: by hand, and as a torch.nn model on the same batches ---------


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
        return TrainConfig(
            nh=self.nh,
            eta=self.eta,
            batch_size=self.batch_size,
            epochs=self.epochs,
            seed=self.seed,
        )


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

    def numbers(self) -> dict[str, object]:
        c, h, d = self.config, self.history, self.data
        height, width = d.image_shape
        true, predicted, count = self.worst_confusion
        n_wrong = len(self.wrong)
        return {
            "digits-source": d.source,
            "digits-n-train": d.Xtrain.shape[0],
            "digits-n-test": d.Xtest.shape[0],
            "digits-n-all": d.Xtrain.shape[0] + d.Xtest.shape[0],
            "digits-shape": f"{height} × {width}",
            "digits-nx": d.Xtrain.shape[1],
            "digits-nh": c.nh,
            "digits-eta": c.eta,
            "digits-batch": c.batch_size,
            "digits-epochs": c.epochs,
            "digits-updates": int(h.updates[-1]),
            "digits-train-acc": percent(h.final("train_acc")),
            "digits-test-acc": percent(h.final("test_acc")),
            "digits-nn-test-acc": percent(self.nn_test_acc),
            "digits-nn-train-acc": percent(self.nn_train_acc),
            "digits-nn-difference": f"{self.nn_max_difference:.1e}",
            "digits-n-wrong": n_wrong,
            "digits-worst-true": true,
            "digits-worst-predicted": predicted,
            "digits-worst-count": count,
            "digits-worst-share": percent(count / max(n_wrong, 1)),
            "digits-min-recall": percent(self.recall.min()),
            "digits-min-recall-digit": int(self.recall.argmin()),
            "digits-n-shown": min(self.config.n_shown, n_wrong),
            "digits-max-wrong-confidence": percent(self.max_wrong_confidence),
            "digits-loss-start": f"{h.train_loss[0]:.2f}",
            "digits-acc-start": percent(h.test_acc[0]),
            "digits-p-true": f"{self.p_true_untrained.mean():.3f}",
            "digits-p-true-min": f"{self.p_true_untrained.min():.4f}",
            "digits-p-true-max": f"{self.p_true_untrained.max():.2f}",
            "digits-n-params": self.n_params,
            "digits-n-params-wh": c.nh * d.Xtrain.shape[1],
            "digits-share-wh": percent(
                c.nh * d.Xtrain.shape[1] / self.n_params
            ),
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

    def claims(self) -> tuple[Claim, ...]:
        h = self.history
        loss0, p_mean = (
            float(h.train_loss[0]),
            float(self.p_true_untrained.mean()),
        )
        test_acc, train_acc = h.final("test_acc"), h.final("train_acc")
        counts = self.confusion
        n_wrong = len(self.wrong)
        _, _, worst = self.worst_confusion
        return (
            claim(
                "digits-untrained-near-chance",
                "The untrained network classifies fewer than 20 % of the"
                " test images correctly",
                h.test_acc[0] < 0.2,
                "test accuracy at epoch 0 < 0.2",
                acc_start=float(h.test_acc[0]),
            ),
            claim(
                "digits-untrained-loss-above-uniform",
                "The untrained loss exceeds log 10 and minus the log of the"
                " mean probability of the true class",
                loss0 > math.log(10) and loss0 > -math.log(p_mean),
                "loss(0) > log 10 and loss(0) > -log mean p",
                loss_start=loss0,
                log_10=math.log(10),
                minus_log_mean_p=-math.log(p_mean),
            ),
            claim(
                "digits-test-above-90",
                "The manual network reads more than 90 % of the test"
                " images correctly",
                test_acc > 0.9,
                "final test accuracy > 0.9",
                test_acc=test_acc,
            ),
            claim(
                "digits-train-above-test",
                "The training accuracy ends above the test accuracy",
                train_acc > test_acc,
                "final training accuracy > final test accuracy",
                train_acc=train_acc,
                test_acc=test_acc,
            ),
            claim(
                "digits-nn-follows-manual",
                "The nn version ends with the manual parameters up to"
                " rounding and the same test accuracy",
                self.nn_max_difference < 1e-9 and self.nn_test_acc == test_acc,
                "max |difference| < 1e-9 and equal test accuracies",
                max_difference=self.nn_max_difference,
                nn_test_acc=self.nn_test_acc,
                manual_test_acc=test_acc,
            ),
            claim(
                "digits-confusion-diagonal",
                "The diagonal of the confusion matrix counts exactly the"
                " correctly read test images",
                int(np.trace(counts)) == round(test_acc * counts.sum())
                and int(counts.sum()) == len(self.truth),
                "trace = accuracy x test images, sum = test images",
                trace=int(np.trace(counts)),
                total=int(counts.sum()),
            ),
            claim(
                "digits-every-digit-read",
                "Every digit is read correctly on more than three quarters"
                " of its test images",
                self.recall.min() > 0.75,
                "min over digits of the row's diagonal share > 0.75",
                min_recall=float(self.recall.min()),
            ),
            claim(
                "digits-errors-spread",
                "No single confusion accounts for more than a third of the"
                " errors",
                n_wrong > 0 and worst <= n_wrong / 3,
                "largest off-diagonal count <= errors / 3",
                largest=worst,
                errors=n_wrong,
                pairs=int(np.count_nonzero(counts - np.diag(np.diag(counts)))),
            ),
            claim(
                "digits-confident-mistakes",
                "Some test images are misread with more than 90 % confidence",
                self.max_wrong_confidence > 0.9,
                "max confidence over the errors > 0.9",
                max_confidence=self.max_wrong_confidence,
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

"""The digits page: how far the network's confidence can be trusted."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnintro.experiments.digits.recognition import CONFIDENT, DigitsFinding
from nnintro.findings import Finding, above, below, claim, each

BINS = 10  # of the reliability diagram: confidences in [0, 0.1), ...
OVERCONFIDENT = (
    "overconfident: its mean confidence is above its accuracy, and in each"
    " occupied bin the fraction right is below the mean confidence"
)
UNDERCONFIDENT = (
    "on these 8 × 8 digits, underconfident: its mean confidence is below its"
    " accuracy"
)


@dataclass(frozen=True)
class Calibration(Finding):
    """Confidence against accuracy on the test images, in ten bins."""

    page = "digits"
    name = "digits-calibration"

    confidence: np.ndarray  # per test image: the probability of its answer
    correct: np.ndarray  # per test image: is the answer right?
    mnist: bool = True  # False: the 8 x 8 fallback, which errs the other way

    @property
    def bins(self) -> list[np.ndarray]:
        """Per bin [k/10, (k+1)/10) (the last one closed): its images."""
        index = np.minimum((self.confidence * BINS).astype(int), BINS - 1)
        return [np.flatnonzero(index == k) for k in range(BINS)]

    def table(self) -> list[tuple[int, int, float, float]]:
        """(bin, images, mean confidence, accuracy) of each occupied bin."""
        return [
            (k, len(i), self.confidence[i].mean(), self.correct[i].mean())
            for k, i in enumerate(self.bins)
            if len(i)
        ]

    @property
    def expected_calibration_error(self) -> float:
        """Sum over bins of (share of images) x |confidence - accuracy|."""
        n = len(self.confidence)
        return float(sum(m / n * abs(c - a) for _, m, c, a in self.table()))

    @property
    def confident(self) -> np.ndarray:
        return self.confidence > CONFIDENT

    @property
    def confident_accuracy(self) -> float:
        """The fraction right where the confidence exceeds CONFIDENT."""
        return self.correct[self.confident].mean()

    def numbers(self):
        from IPython.display import Markdown

        return {
            "digits-direction": Markdown(
                OVERCONFIDENT if self.mnist else UNDERCONFIDENT
            ),
            "digits-mean-confidence": self.confidence.mean(),
            "digits-accuracy": self.correct.mean(),
            "digits-ece": self.expected_calibration_error,
            "digits-bins": BINS,
            "digits-occupied-bins": len(self.table()),
            "digits-confident": CONFIDENT,
            "digits-confident-share": 100 * self.confident.mean(),
            "digits-confident-acc": 100 * self.confident_accuracy,
        }

    def claims(self):
        gaps = {
            f"bin {k / BINS:g}-{(k + 1) / BINS:g}": c - a
            for k, _, c, a in self.table()
        }
        accuracy = ("accuracy", self.correct.mean())
        mean = ("mean confidence", self.confidence.mean())
        ece = ("expected calibration error", self.expected_calibration_error)
        right = ("accuracy where confidence > 0.9", self.confident_accuracy)
        share = float(self.confident.mean())
        if self.mnist:
            direction = claim(
                "digits-overconfident",
                "The mean confidence exceeds the accuracy, and so it does in"
                " each occupied bin",
                above(mean, accuracy)
                & each("mean confidence - accuracy", gaps, ">", 0, of="bins"),
            )
        else:
            direction = claim(
                "digits-underconfident-8x8",
                "On the 8 x 8 digits the mean confidence is below the"
                " accuracy",
                below(mean, accuracy),
            )
        return (
            direction,
            claim(
                "digits-mildly-miscalibrated",
                "The expected calibration error over ten bins is below 0.05",
                below(ece, 0.05),
            ),
            claim(
                "digits-confident-right",
                "The images read with a confidence above 0.9 are right more"
                " than 90 % of the time",
                above(right, CONFIDENT),
            ),
            claim(
                "digits-mostly-confident",
                "Most test images are read with a confidence above 0.9",
                above(("share read with confidence > 0.9", share), 0.5),
            ),
        )


def calibration(finding: DigitsFinding) -> Calibration:
    """The calibration of the trained manual network on the test images."""
    right = finding.predicted == finding.truth
    mnist = finding.data.image_shape == (28, 28)
    return Calibration(finding.confidence, right, mnist)

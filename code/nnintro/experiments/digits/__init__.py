"""The digits page: the network trained on handwritten digits
(:mod:`.recognition`), and how far its confidences can be trusted
(:mod:`.calibration`)."""

from nnintro.experiments.digits.calibration import (
    BINS,
    Calibration,
    calibration,
)
from nnintro.experiments.digits.recognition import (
    DigitsConfig,
    DigitsFinding,
    train_digits,
)

__all__ = [
    "BINS",
    "Calibration",
    "DigitsConfig",
    "DigitsFinding",
    "calibration",
    "train_digits",
]

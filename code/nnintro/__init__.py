"""nnintro: a one-hidden-layer network, its loss and backpropagation,
derived and verified.

The package behind the book. Importing it has no side effects.
"""

from nnintro.data import CirclesData, make_circles
from nnintro.network import (
    PARAM_KEYS,
    backward,
    cross_entropy_from_logits,
    forward,
    init_params,
    loss_accuracy,
    sgd,
    softmax,
)
from nnintro.training import History, TrainConfig, train

__all__ = [
    "PARAM_KEYS",
    "CirclesData",
    "History",
    "TrainConfig",
    "backward",
    "cross_entropy_from_logits",
    "forward",
    "init_params",
    "loss_accuracy",
    "make_circles",
    "sgd",
    "softmax",
    "train",
]

"""nnintro: a one-hidden-layer network, its loss and backpropagation,
derived and verified.

The package behind the book. Importing it has no side effects, and loads
nothing until a name is used: ``from nnintro import forward`` imports torch,
while ``python -m nnintro.answers`` (SymPy only) does not.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# where each public name lives
_HOME = {
    "CirclesData": "nnintro.circles",
    "make_circles": "nnintro.circles",
    "PARAM_KEYS": "nnintro.network",
    "backward": "nnintro.network",
    "cross_entropy_from_logits": "nnintro.network",
    "forward": "nnintro.network",
    "init_params": "nnintro.network",
    "loss_accuracy": "nnintro.network",
    "sgd": "nnintro.network",
    "softmax": "nnintro.forward_pass",
    "History": "nnintro.training",
    "TrainConfig": "nnintro.training",
    "train": "nnintro.training",
}

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


def __getattr__(name: str):
    if name in _HOME:
        return getattr(importlib.import_module(_HOME[name]), name)
    raise AttributeError(f"module 'nnintro' has no attribute {name!r}")


if TYPE_CHECKING:
    from nnintro.circles import CirclesData, make_circles
    from nnintro.forward_pass import softmax
    from nnintro.network import (
        PARAM_KEYS,
        backward,
        cross_entropy_from_logits,
        forward,
        init_params,
        loss_accuracy,
        sgd,
    )
    from nnintro.training import History, TrainConfig, train

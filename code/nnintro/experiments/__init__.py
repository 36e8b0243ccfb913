"""Small, seeded experiments of Part I (being moved into one module per page: see
``nnintro.experiments.sample_size`` for the pattern): with and without tanh (q3), batch size
and learning rate (q10, q11), a step activation (q13), and the two losses' logit gradients (q9).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch

from nnintro.data import CirclesData
from nnintro.network import init_params, softmax

# --- q3: moved to nnintro.experiments.activations (re-exported for the pages still using them)

from nnintro.experiments.activations import (  # noqa: E402, F401
    ACTIVATIONS,
    ActivationRun,
    ActivationRunConfig,
    activation_forward,
    train_with_activation,
)
from nnintro.network import accuracy  # noqa: E402, F401


# --- q9: the logit gradients of the two losses by autograd -------------------------------------


from nnintro.experiments.losses import autograd_true_logit_gradients  # noqa: E402, F401



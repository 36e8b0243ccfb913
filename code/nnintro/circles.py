"""The circles data: an outer ring (class 0) around an inner disc (class 1),
generated from a seed.

Statistics chosen to match the course's data: 2-D points, 2 classes, 200
training and 200 test points with 100 of each class; ring radii about 0.5 to
1.75 (mean about 1.0), disc radii up to 0.8 (mean about 0.4). The two overlap a
little, so no classifier is perfect.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import torch

RING_RADIUS_MEAN = 1.0
RING_RADIUS_STD = 0.17
RING_RADIUS_RANGE = (0.5, 1.75)
DISC_RADIUS_MAX = 0.8
GRID_SIZE = 40
GRID_LIMITS = (-2.0, 2.0)


class Dataset(Protocol):
    """What the training loop needs of a data set:
    train and test inputs and one-hot targets."""

    @property
    def Xtrain(self) -> torch.Tensor: ...
    @property
    def Ytrain(self) -> torch.Tensor: ...
    @property
    def Xtest(self) -> torch.Tensor: ...
    @property
    def Ytest(self) -> torch.Tensor: ...


@dataclass(frozen=True)
class CirclesData:
    """Train and test sets (``X`` N x 2, one-hot ``Y`` N x 2) and a grid for
    decision regions."""

    Xtrain: torch.Tensor
    Ytrain: torch.Tensor
    Xtest: torch.Tensor
    Ytest: torch.Tensor
    Xgrid: torch.Tensor  # GRID_SIZE**2 x 2, row-major over (x2, x1)
    seed: int


def grid_axis(
    size: int = GRID_SIZE, limits: tuple[float, float] = GRID_LIMITS
) -> np.ndarray:
    """``size`` evenly spaced points of [low, high),
    e.g. -2, -1.9, ..., 1.9."""
    low, high = limits
    return low + (high - low) * np.arange(size) / size


def make_grid(
    size: int = GRID_SIZE, limits: tuple[float, float] = GRID_LIMITS
) -> torch.Tensor:
    """A size x size grid over [low, high)^2 as a (size**2) x 2
    batch of points."""
    axis = grid_axis(size, limits)
    x1, x2 = np.meshgrid(axis, axis)
    return torch.from_numpy(np.column_stack([x1.ravel(), x2.ravel()]))


def sample_circles(n_per_class: int, rng: np.random.Generator):
    """Draw ``n_per_class`` ring points and as many disc points;
    return ``(X, Y)`` with one-hot Y."""
    low, high = RING_RADIUS_RANGE
    r_ring = np.clip(
        rng.normal(RING_RADIUS_MEAN, RING_RADIUS_STD, n_per_class), low, high
    )
    r_disc = DISC_RADIUS_MAX * rng.beta(2.0, 2.0, n_per_class)
    radius = np.concatenate([r_ring, r_disc])
    angle = rng.uniform(0.0, 2 * np.pi, 2 * n_per_class)
    X = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    labels = np.repeat([0, 1], n_per_class)
    order = rng.permutation(2 * n_per_class)
    X, labels = X[order], labels[order]
    Y = np.eye(2)[labels]
    return torch.from_numpy(X), torch.from_numpy(Y)


def make_circles(seed: int = 0, n_per_class: int = 100) -> CirclesData:
    """The circles data set,
    deterministic for a given seed (train and test are independent draws)."""
    if n_per_class < 1:
        raise ValueError(f"n_per_class must be at least 1, got {n_per_class}")
    train_rng, test_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2)
    )
    Xtrain, Ytrain = sample_circles(n_per_class, train_rng)
    Xtest, Ytest = sample_circles(n_per_class, test_rng)
    return CirclesData(Xtrain, Ytrain, Xtest, Ytest, make_grid(), seed)


def best_radius_threshold_accuracy(
    X: torch.Tensor, Y: torch.Tensor
) -> tuple[float, float]:
    """The best accuracy of the rule "class 1 when |x| < t" over all t,
    and that t."""
    radius = torch.linalg.vector_norm(X, dim=1).numpy()
    is_disc = Y[:, 1].numpy() == 1
    order = np.argsort(radius)
    r_sorted, disc_sorted = radius[order], is_disc[order]
    # threshold just above the k-th smallest radius:
    # first k points predicted "disc"
    correct = np.concatenate([[0], np.cumsum(disc_sorted)]) + (
        (~disc_sorted).sum() - np.concatenate([[0], np.cumsum(~disc_sorted)])
    )
    k = int(np.argmax(correct))
    threshold = float(r_sorted[k - 1]) if k > 0 else 0.0
    return float(correct[k] / len(radius)), threshold


def radius_rule_accuracy(
    X: torch.Tensor, Y: torch.Tensor, threshold: float
) -> float:
    """Accuracy of the rule "class 1 when |x| <= threshold" on the points X."""
    radius = torch.linalg.vector_norm(X, dim=1)
    predicted_disc = radius <= threshold
    return float((predicted_disc == (Y[:, 1] == 1)).double().mean())

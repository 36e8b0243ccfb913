"""Plotting primitives shared by the pages: data points, decision regions,
training curves.

Colours are the Okabe-Ito palette, readable by colour-blind readers; markers
differ per class too. Every function draws on a given (or new) Axes and returns
it; nothing is shown or saved here.
"""

from __future__ import annotations

from collections.abc import Callable

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.colors import LinearSegmentedColormap

from nnintro.circles import GRID_LIMITS, CirclesData, grid_axis

CLASS_COLOURS = (
    "#E69F00",
    "#0072B2",
)  # orange: class 0 (ring), blue: class 1 (disc)
CLASS_MARKERS = ("o", "^")
CLASS_NAMES = ("class 0 (ring)", "class 1 (disc)")
SERIES_COLOURS = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#E69F00",
    "#000000",
)
REGION_CMAP = LinearSegmentedColormap.from_list(
    "ring_disc", ["#F5C56B", "#FFFFFF", "#7FB3D9"]
)


def axes_or_new(ax=None, size=(4, 4)):
    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def plot_points(
    X: torch.Tensor, Y: torch.Tensor, ax=None, *, size: float = 14, legend=True
):
    """Scatter 2-D points coloured and shaped by their one-hot class."""
    ax = axes_or_new(ax)
    labels = Y.argmax(dim=1).numpy()
    for k in range(Y.shape[1]):
        pts = X[labels == k].numpy()
        ax.scatter(
            pts[:, 0],
            pts[:, 1],
            s=size,
            c=CLASS_COLOURS[k % 2],
            marker=CLASS_MARKERS[k % 2],
            edgecolors="black",
            linewidths=0.3,
            label=CLASS_NAMES[k] if k < 2 else f"class {k}",
        )
    ax.set_xlim(*GRID_LIMITS)
    ax.set_ylim(*GRID_LIMITS)
    ax.set_aspect("equal")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if legend:
        ax.legend(loc="upper right", fontsize="small", framealpha=0.9)
    return ax


def plot_region_probabilities(
    prob_class1: np.ndarray, ax=None, *, boundary=True
):
    """Shade a square grid of P(class 1) over [-2, 2)^2 and draw the
    0.5 contour."""
    ax = axes_or_new(ax)
    axis = grid_axis(prob_class1.shape[0])
    step = axis[1] - axis[0]
    centres = axis + step / 2
    ax.imshow(
        prob_class1,
        origin="lower",
        extent=(axis[0], axis[-1] + step, axis[0], axis[-1] + step),
        cmap=REGION_CMAP,
        vmin=0,
        vmax=1,
        interpolation="bilinear",
    )
    if boundary and prob_class1.min() < 0.5 < prob_class1.max():
        ax.contour(
            centres,
            centres,
            prob_class1,
            levels=[0.5],
            colors="black",
            linewidths=1.2,
        )
    return ax


def plot_decision_regions(
    predict: Callable[[torch.Tensor], torch.Tensor],
    data: CirclesData,
    ax=None,
    *,
    test=True,
):
    """Decision regions of any model mapping an N x 2 batch to N x 2 class
    probabilities."""
    ax = axes_or_new(ax)
    with torch.no_grad():
        probs = predict(data.Xgrid)
    size = int(round(np.sqrt(data.Xgrid.shape[0])))
    plot_region_probabilities(
        np.asarray(probs[:, 1].detach()).reshape(size, size), ax
    )
    X, Y = (data.Xtest, data.Ytest) if test else (data.Xtrain, data.Ytrain)
    plot_points(X, Y, ax)
    return ax


def plot_history(history, axes=None, *, label=None, colour=None):
    """Train and test loss (left) and accuracy (right) against epochs
    for one run."""
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(8, 3.2))
    epochs = np.arange(len(history.train_loss))
    for split, style in (("train", "-"), ("test", "--")):
        name = f"{label} {split}" if label else split
        axes[0].plot(
            epochs,
            getattr(history, f"{split}_loss"),
            style,
            color=colour,
            label=name,
        )
        axes[1].plot(
            epochs,
            getattr(history, f"{split}_acc"),
            style,
            color=colour,
            label=name,
        )
    axes[0].set_xlabel("epoch")
    axes[0].set_ylabel("mean cross-entropy")
    axes[1].set_xlabel("epoch")
    axes[1].set_ylabel("accuracy")
    for ax in axes:
        ax.grid(alpha=0.3)
        ax.legend(fontsize="small")
    return axes

"""Figures and tables of the manual-network page."""

from __future__ import annotations

import matplotlib.pyplot as plt
import torch
from IPython.display import Markdown

from nnintro.circles import CirclesData
from nnintro.plots import plot_history, plot_points, plot_region_probabilities
from nnintro.training import History


def training_curves_figure(history: History):
    """Loss (left) and accuracy (right) per epoch, training and test."""
    fig, axes = plt.subplots(1, 2, figsize=(6.4, 3.0), layout="constrained")
    plot_history(history, axes)
    axes[0].set_title("mean cross-entropy")
    axes[1].set_title("accuracy")
    return fig


def decision_regions_figure(history: History, data: CirclesData):
    """P(class 1) and the boundary at each snapshot epoch, test points."""
    epochs = sorted(history.snapshots)
    fig, axes = plt.subplots(
        2,
        2,
        figsize=(6.4, 6.6),
        sharex=True,
        sharey=True,
        layout="constrained",
    )
    for ax, epoch in zip(axes.flat, epochs):
        plot_region_probabilities(history.snapshots[epoch], ax)
        plot_points(data.Xtest, data.Ytest, ax, size=10, legend=False)
        acc = 100 * history.test_acc[epoch]
        # short: two titles share a row of the figure's width
        ax.set_title(f"epoch {epoch}: {acc:.1f} %")
        ax.label_outer()
    fig.suptitle("test accuracy at four epochs of training")
    return fig


def shape_table(tensors: dict[str, torch.Tensor]) -> Markdown:
    """Name and shape of each tensor."""
    lines = ["| tensor | shape |", "| --- | --- |"]
    for name, value in tensors.items():
        shape = " × ".join(str(n) for n in value.shape)
        lines.append(f"| `{name}` | {shape} |")
    return Markdown("\n".join(lines))


def probability_table(X: torch.Tensor, Yhat: torch.Tensor) -> Markdown:
    """Each example's inputs and predicted probabilities."""
    lines = [
        "| example | $x_1$ | $x_2$ | $\\hat y_1$ (ring) | $\\hat y_2$ (disc) "
        "| sum |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for n, (x, yhat) in enumerate(zip(X.tolist(), Yhat.tolist())):
        cells = [f"{v:.3f}" for v in (*x, *yhat, sum(yhat))]
        lines.append(f"| {n + 1} | " + " | ".join(cells) + " |")
    return Markdown("\n".join(lines))

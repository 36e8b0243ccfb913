"""Figures of the manual-network page: training curves, decision regions."""

from __future__ import annotations

import matplotlib.pyplot as plt

from nnintro.data import CirclesData
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
        ax.set_title(f"epoch {epoch}: test accuracy {acc:.1f} %")
        ax.label_outer()
    return fig

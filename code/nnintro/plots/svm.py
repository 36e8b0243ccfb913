"""Figures of the SVM page (the practical's bonus)."""

from __future__ import annotations

import matplotlib.pyplot as plt

from nnintro.experiments.svm import CSweepFinding, SVMFinding, SVMResult
from nnintro.plots import plot_points, plot_region_probabilities


def draw_svm(ax, result: SVMResult, data, title: str, fontsize=10):
    """Decision regions, support vectors as outlines under the points."""
    plot_region_probabilities(result.grid_probability_like, ax)
    sv = result.support_vectors
    # drawn first and a little larger: a dark ring shows around each
    # support vector while its class marker stays visible on top
    ax.scatter(
        sv[:, 0],
        sv[:, 1],
        s=38,
        facecolors="none",
        edgecolors="black",
        linewidths=0.8,
    )
    plot_points(data.Xtrain, data.Ytrain, ax, size=10, legend=False)
    ax.set_title(
        f"{title}\ntest {100 * result.test_acc:.1f} %,"
        f" {result.n_support} support vectors",
        fontsize=fontsize,
    )


def regions_figure(finding: SVMFinding):
    """The linear, polynomial and Gaussian SVMs, and the network."""
    fig, axes = plt.subplots(
        2,
        2,
        figsize=(6.4, 6.9),
        layout="constrained",
        sharex=True,
        sharey=True,
    )
    data = finding.data
    panels = (
        ("linear SVM", finding.linear),
        ("polynomial SVM, degree 2", finding.poly),
        ("Gaussian SVM", finding.rbf),
    )
    for ax, (title, result) in zip(axes.flat, panels):
        draw_svm(ax, result, data, title)
    ax = axes[1, 1]
    plot_region_probabilities(finding.network_grid, ax)
    plot_points(data.Xtrain, data.Ytrain, ax, size=10, legend=False)
    ax.set_title(
        f"network, $n_h = {finding.config.network.nh}$\n"
        f"test {100 * finding.network.final('test_acc'):.1f} %",
        fontsize=10,
    )
    for ax in axes[0]:
        ax.set_xlabel("")
    for ax in axes[:, 1]:
        ax.set_ylabel("")
    return fig


def C_figure(finding: CSweepFinding):
    """The Gaussian SVM for each value of C."""
    values = finding.config.C_values
    fig, axes = plt.subplots(
        1,
        len(values),
        figsize=(6.4, 3.3),
        layout="constrained",
        sharey=True,
    )
    fig.suptitle("Gaussian SVM; SV: support vectors", fontsize=10)
    for ax, C, result in zip(axes, values, finding.by_C):
        draw_svm(ax, result, finding.data, f"C = {C:g}")
        # short lines: three titles side by side must fit a phone's width
        ax.set_title(
            f"C = {C:g}: {result.n_support} SV\n"
            f"train {100 * result.train_acc:.1f} %\n"
            f"test {100 * result.test_acc:.1f} %",
            fontsize=9,
        )
    for ax in axes[1:]:
        ax.set_ylabel("")
    return fig

"""Figures of the data page (questions 1 and 2)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from nnintro.circles import CirclesData
from nnintro.experiments.data import SampleSizeFinding
from nnintro.plots import SERIES_COLOURS, plot_points


def splits_figure(data: CirclesData):
    """The training and the test points side by side."""
    fig, axes = plt.subplots(1, 2, figsize=(8, 4), layout="constrained")
    plot_points(data.Xtrain, data.Ytrain, axes[0], legend=False)
    axes[0].set_title(f"training set ({data.Xtrain.shape[0]} points)")
    plot_points(data.Xtest, data.Ytest, axes[1], legend=False)
    axes[1].set_title(f"test set ({data.Xtest.shape[0]} points)")
    # below the panels: inside, a narrow (phone) drawing covers points
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=2)
    return fig


def sample_size_figure(finding: SampleSizeFinding):
    """Test accuracy against N: seeds, mean +- sd, training mean,
    references."""
    sizes = np.array(finding.config.sizes)
    mean, spread = 100 * finding.mean, 100 * finding.spread
    blue, red, green = SERIES_COLOURS[0], SERIES_COLOURS[1], SERIES_COLOURS[2]
    fig, ax = plt.subplots(figsize=(6.4, 4.2), layout="constrained")
    for j in range(finding.test_acc.shape[1]):
        ax.scatter(
            sizes,
            100 * finding.test_acc[:, j],
            s=16,
            color=blue,
            alpha=0.6,
            label="test, one seed" if j == 0 else None,
            zorder=3,
        )
    ax.plot(sizes, mean, "-o", color=blue, label="test, mean over seeds")
    ax.fill_between(
        sizes,
        mean - spread,
        mean + spread,
        color=blue,
        alpha=0.2,
        label="test, mean ± 1 sd",
    )
    ax.plot(
        sizes,
        100 * finding.train_mean,
        "--s",
        color=red,
        label="training, mean over seeds",
    )
    n_max = sizes[-1]
    ax.errorbar(
        [n_max * 1.08],
        [100 * finding.long_test_acc.mean()],
        yerr=[100 * finding.long_test_acc.std(ddof=1)],
        fmt="D",
        color=green,
        label="test, longer training (N max)",
    )
    ax.axhline(
        100 * finding.rule_test_acc.mean(),
        color="black",
        ls=":",
        lw=1.2,
        label="radius rule fitted on training set",
    )
    ax.set_xscale("log")
    ax.set_xticks(sizes, [str(n) for n in sizes])
    ax.set_xlabel("number of training examples $N$ (log scale)")
    ax.set_ylabel("accuracy (%)")
    ax.legend(loc="lower right")
    return fig

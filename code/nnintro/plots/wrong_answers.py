"""Figures of the appendix of common wrong answers."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from nnintro.experiments.wrong_answers import InitVariance
from nnintro.plots import SERIES_COLOURS


def init_figure(finding: InitVariance):
    """Hidden activations at the start (digits); test accuracy per epoch."""
    fig = plt.figure(figsize=(6.4, 5.2), layout="constrained")
    top, bottom = fig.subfigures(2, 1, height_ratios=(1, 1.1))  # type: ignore[misc]
    ax = top.subplots()
    bins = np.linspace(-1, 1, 41)
    digits, circles = finding.digits, finding.circles
    for i, (std, h) in enumerate(zip(digits.stds, digits.hidden)):
        ax.hist(
            h,
            bins=bins,
            color=SERIES_COLOURS[i],
            alpha=0.55,
            density=True,
            label=f"std {std:.3f}",
        )
    ax.set_xlabel(r"hidden activation $h$ at the start (digits)")
    ax.set_ylabel("density")
    ax.legend(loc="upper center")
    axes = bottom.subplots(1, 2, sharey=True)
    for ax, run, title in zip(axes, (circles, digits), ("circles", "digits")):
        for i, (std, history) in enumerate(zip(run.stds, run.histories)):
            ax.plot(
                history.test_acc,
                color=SERIES_COLOURS[i],
                ls=("-", "--")[i],
                lw=2,
                label=f"std {std:.3f}",
            )
        ax.set_xlabel("epoch")
        ax.set_title(title)
        ax.set_ylim(0, 1)
        ax.legend(loc="lower right", fontsize="small")
    axes[0].set_ylabel("test accuracy")
    return fig

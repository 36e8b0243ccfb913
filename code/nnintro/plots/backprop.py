"""Figures of the backpropagation page (question 14)."""

from __future__ import annotations

import matplotlib.pyplot as plt

from nnintro.experiments.backprop import OverflowFinding
from nnintro.plots import SERIES_COLOURS


def underflow_figure(finding: OverflowFinding):
    """The loss from the logits and through the probabilities,
    against the gap."""
    gaps, k = finding.gaps, finding.first_infinite
    fig, ax = plt.subplots(figsize=(6.4, 3.6), layout="constrained")
    ax.plot(
        gaps,
        finding.simplified,
        color=SERIES_COLOURS[0],
        lw=2.5,
        label="simplified form (logits)",
    )
    ax.plot(
        gaps,
        finding.naive,
        "--",
        color=SERIES_COLOURS[1],
        lw=2,
        label=r"naive form, $-\sum_i y_i \log \hat y_i$",
    )
    ax.axvline(gaps[k], color="black", lw=0.8, ls=":")
    # right of the dotted line and low, under the curve: no line crosses it
    span = gaps[-1] - gaps[0]
    low = 0.2 * max(finding.simplified)
    ax.annotate(
        "naive loss\nis inf from\nhere on",
        (gaps[k], low),
        xytext=(gaps[k] + 0.05 * span, low),
        ha="left",
        va="center",
        arrowprops={"arrowstyle": "->"},
    )
    ax.set_xlabel(r"logit gap $g = \tilde y_1 - \tilde y_2$ (true class 2)")
    ax.set_ylabel("loss (float64)")
    ax.legend(loc="upper left")
    return fig

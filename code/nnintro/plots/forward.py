"""Figures of the forward page (questions 3 and 4)."""

from __future__ import annotations

import matplotlib.pyplot as plt

from nnintro.data import CirclesData
from nnintro.diagrams import draw_network
from nnintro.experiments.forward.activation import ActivationFinding
from nnintro.plots import plot_decision_regions

TITLES = {
    "identity": "no activation: $h = \\tilde h$",
    "tanh": "$h = \\tanh(\\tilde h)$",
}


def linear_vs_tanh_figure(finding: ActivationFinding, data: CirclesData):
    """Decision regions without and with tanh, side by side."""
    fig, axes = plt.subplots(1, 2, figsize=(8, 4.3), layout="constrained")
    for ax, name in zip(axes, ("identity", "tanh"), strict=True):
        plot_decision_regions(finding.predict(name), data, ax)
        accuracy = 100 * finding.test_acc[name]
        ax.set_title(f"{TITLES[name]}\ntest accuracy {accuracy:.1f} %")
        if name == "tanh":
            ax.get_legend().remove()
    return fig


def network_figure(sizes: tuple[int, int, int]):
    fig, ax = plt.subplots(figsize=(6, 4.2), layout="constrained")
    draw_network(sizes, ax)
    return fig

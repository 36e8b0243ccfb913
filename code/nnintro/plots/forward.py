"""Figures and tables of the forward page (questions 3 to 6)."""

from __future__ import annotations

import matplotlib.pyplot as plt

from nnintro.circles import CirclesData
from nnintro.diagrams import draw_network
from nnintro.experiments.forward.activation import ActivationFinding
from nnintro.experiments.forward.outputs import (
    PredictionsFinding,
    SoftmaxFinding,
)
from nnintro.findings import markdown_table
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
    # one legend for both panels, below them: inside, a boundary crosses it
    handles, labels = axes[0].get_legend_handles_labels()
    for ax in axes:
        ax.get_legend().remove()
    fig.legend(handles, labels, loc="outside lower center", ncols=2)
    return fig


def network_figure(sizes: tuple[int, int, int]):
    fig, ax = plt.subplots(figsize=(6, 4.2), layout="constrained")
    draw_network(sizes, ax)
    return fig


def predictions_table(finding: PredictionsFinding) -> str:
    """A Markdown table: one row per example, targets then predictions."""
    ny = finding.Y.shape[1]
    head = [f"$y_{i + 1}$" for i in range(ny)]
    head += [f"$\\hat y_{i + 1}$" for i in range(ny)]
    rows = {
        f"example {n + 1}": [f"{int(v)}" for v in finding.Y[n]]
        + [f"{float(v):.3f}" for v in finding.Yhat[n]]
        for n in range(finding.Y.shape[0])
    }
    return markdown_table(head, rows)


def softmax_table(finding: SoftmaxFinding) -> str:
    """A Markdown table: each row's logits, then its SoftMax."""
    n = finding.ytilde.shape[1]
    head = [f"$\\tilde y_{i + 1}$" for i in range(n)]
    head += [f"$\\hat y_{i + 1}$" for i in range(n)]
    rows = {
        f"row {r + 1}": [f"{float(v):g}" for v in finding.ytilde[r]]
        + [f"{float(v):.4f}" for v in finding.yhat[r]]
        for r in range(finding.ytilde.shape[0])
    }
    return markdown_table(head, rows)

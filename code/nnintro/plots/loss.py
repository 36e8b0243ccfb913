"""Figures and tables of the loss page (questions 8 and 9)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import sympy as sp

from nnintro.experiments.loss import LogitGradientsFinding, SignsFinding
from nnintro.findings import markdown_table
from nnintro.plots import SERIES_COLOURS


def logit_gradients_figure(finding: LogitGradientsFinding):
    """|dl/dytilde_1| of both losses against the logit difference z."""
    z = finding.z
    fig, ax = plt.subplots(figsize=(6.4, 3.8), layout="constrained")
    styles = (("cross-entropy", 0, "-"), ("squared error", 1, "--"))
    for name, colour, style in styles:
        ax.plot(
            z,
            np.abs(finding.sympy[name]),
            style,
            color=SERIES_COLOURS[colour],
            lw=2,
            label=name,
        )
    ax.axvspan(z[0], finding.z_wrong, color="0.85", zorder=0)  # the claim's
    ax.text(-9.6, 0.55, "confidently\nwrong")
    ax.text(5.0, 0.55, "confidently\nright")
    ax.set_xlabel(r"$z = \tilde y_1 - \tilde y_2$ (true class minus other)")
    ax.set_ylabel(r"$|\partial \ell / \partial \tilde y_1|$")
    ax.set_xlim(z[0], z[-1])
    ax.legend(loc="upper right")
    return fig


def signs_table(finding: SignsFinding) -> str:
    """A Markdown table: one row per loss, one column per output."""
    head = [
        f"$\\partial\\ell/\\partial\\hat y_{i + 1}$"
        for i in range(len(finding.yhat))
    ]
    rows = {
        name: [f"${sp.latex(v)}$" for v in values]
        for name, values in (
            ("cross-entropy", finding.ce),
            ("squared error", finding.mse),
        )
    }
    return markdown_table(head, rows)

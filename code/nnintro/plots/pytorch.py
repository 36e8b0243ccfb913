"""Figure of the PyTorch page: four versions, one trajectory."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from nnintro.experiments.pytorch import (
    TOLERANCE,
    TrajectoriesFinding,
)
from nnintro.plots import SERIES_COLOURS

STYLES = {"manual": "-", "autograd": "--", "nn": "-.", "nn + optim": ":"}
FLOOR = 1e-18  # a difference of exactly 0 is drawn here, on the log scale


def trajectories_figure(finding: TrajectoriesFinding):
    """Top: the loss before each update. Bottom: distance to manual."""
    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(6.4, 6.0), layout="constrained"
    )
    for (name, losses), colour in zip(finding.losses.items(), SERIES_COLOURS):
        updates = np.arange(1, len(losses) + 1)
        top.plot(updates, losses, STYLES[name], color=colour, label=name)
    top.set_xlabel("update")
    top.set_ylabel("batch loss")
    # legends above the axes: inside, they cover the curves and the ticks
    top.legend(ncols=4, loc="lower center", bbox_to_anchor=(0.5, 1.0))
    epochs = np.arange(1, finding.config.epochs + 1)
    pairs = zip(finding.differences.items(), SERIES_COLOURS[1:])
    for (name, d), colour in pairs:
        bottom.semilogy(
            epochs,
            np.maximum(d, FLOOR),
            "o" + STYLES[name],
            color=colour,
            label=name,
        )
    bottom.axhline(TOLERANCE, color="black", lw=1, label="tolerance")
    bottom.set_ylim(FLOOR / 10, 1e-6)
    bottom.set_xlabel("epoch")
    bottom.set_ylabel("max |parameter − manual|")
    bottom.legend(ncols=3, loc="lower center", bbox_to_anchor=(0.5, 1.0))
    return fig

"""Figures (and the table) of the batch size x learning rate study."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Markdown
from matplotlib.colors import LinearSegmentedColormap

from nnintro.experiments.batch_lr_study import StudyFinding
from nnintro.findings import markdown_table
from nnintro.plots import SERIES_COLOURS

BLUES = LinearSegmentedColormap.from_list("blues", ["#FFFFFF", "#0072B2"])


def accuracy_heatmap(finding: StudyFinding):
    """Final test accuracy (%) of every run, batch size x learning rate."""
    c = finding.config
    acc = 100 * finding.grid("test_acc")
    fig, ax = plt.subplots(figsize=(6.4, 4.2), layout="constrained")
    ax.imshow(
        np.ma.masked_invalid(acc),
        cmap=BLUES.with_extremes(bad="#BDBDBD"),
        vmin=50,
        vmax=100,
        aspect="auto",
    )
    for (r, k), value in np.ndenumerate(acc):
        h = finding.run(c.batch_sizes[r], c.learning_rates[k])
        text = f"div. ({h.diverged_at})" if h.diverged else f"{value:.1f}"
        text += "*" if finding.moved[r, k] else ""
        dark = not h.diverged and value > 80
        ax.text(
            k,
            r,
            text,
            ha="center",
            va="center",
            fontsize=12,
            color="white" if dark else "black",
        )
    ax.set_xticks(
        range(len(c.learning_rates)), [f"{eta:g}" for eta in c.learning_rates]
    )
    ax.set_yticks(range(len(c.batch_sizes)), [str(B) for B in c.batch_sizes])
    ax.set_xlabel(r"learning rate $\eta$")
    ax.set_ylabel("batch size $B$")
    ax.grid(False)
    ax.set_title("final test accuracy (%)")
    ax.tick_params(labelsize=12)
    return fig


def loss_curves_figure(finding: StudyFinding, cells):
    """Top: training loss of the runs ``cells`` ((B, eta) pairs). Bottom:
    the online run at the largest rate it survives, and its nudged twin."""
    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(6.4, 6.4), sharex=True, layout="constrained"
    )
    for (B, eta), colour in zip(cells, SERIES_COLOURS):
        h = finding.run(B, eta)
        top.plot(h.train_loss, color=colour, label=f"B = {B}, η = {eta:g}")
    B, eta = min(finding.config.batch_sizes), finding.restless_rate()
    h = finding.run(B, eta)
    twin = finding.twin(B, eta)
    bottom.plot(h.train_loss, color=SERIES_COLOURS[3], label="start")
    bottom.plot(
        twin.train_loss,
        "--",
        color=SERIES_COLOURS[6],
        lw=1,
        label="start with one weight nudged",
    )
    top.set_title("batch size and learning rate together")
    bottom.set_title(f"online, η = {eta:g}: two starts one bit apart")
    bottom.set_xlabel("epoch")
    for ax in (top, bottom):
        ax.set_ylabel("training loss")
        ax.set_ylim(bottom=0)
    # legends where no curve runs: right of the middle once the losses
    # fell; above the restless curves, in room made for it
    top.legend(loc="center right")
    highest = max(np.nanmax(h.train_loss), np.nanmax(twin.train_loss))
    bottom.set_ylim(top=1.35 * highest)
    bottom.legend(loc="upper center", ncols=2)
    return fig


def accuracy_table(finding: StudyFinding) -> Markdown:
    """Final training / test accuracy (%) of every run, as a table."""
    c = finding.config
    rows = {}
    for r, B in enumerate(c.batch_sizes):
        cells = []
        for k, eta in enumerate(c.learning_rates):
            h = finding.run(B, eta)
            text = (
                f"div. ({h.diverged_at})"
                if h.diverged
                else f"{100 * h.final('train_acc'):.1f}/"
                f"{100 * h.final('test_acc'):.1f}"
            )
            cells.append(text + ("*" if finding.moved[r, k] else ""))
        rows[f"B = {B}"] = cells
    head = [f"η = {eta:g}" for eta in c.learning_rates]
    return Markdown(markdown_table(head, rows))

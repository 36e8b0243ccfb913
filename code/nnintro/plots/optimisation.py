"""Figures and tables of the optimisation page (questions 10 to 13)."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import NullFormatter

from nnintro.experiments.optimisation.cost import CostFinding
from nnintro.experiments.optimisation.cost_methods import METHOD_NAMES, METHODS
from nnintro.experiments.optimisation.learning_rate import LearningRateFinding
from nnintro.experiments.optimisation.step_activation import (
    HIDDEN,
    StepFinding,
)
from nnintro.experiments.optimisation.variants import (
    VariantsFinding,
    variant_name,
)
from nnintro.findings import markdown_table
from nnintro.plots import SERIES_COLOURS

MARKERS = ("o", "s", "^", "D", "v", "P")
# Okabe-Ito without its two closest pairs (blue/sky, vermillion/orange)
RATE_COLOURS = tuple(SERIES_COLOURS[i] for i in (0, 1, 2, 3, 6))


def variants_figure(finding: VariantsFinding):
    """Training loss against epochs (left) and against updates (right)."""
    fig, (by_epoch, by_update) = plt.subplots(
        1, 2, figsize=(6.4, 4.4), sharey=True, layout="constrained"
    )
    for i, (b, h) in enumerate(finding.runs.items()):
        style = dict(color=SERIES_COLOURS[i], marker=MARKERS[i], ms=3)
        label = f"{variant_name(b, finding.n_train)} ($B$ = {b})"
        epochs = np.arange(len(h.train_loss))
        by_epoch.plot(epochs, h.train_loss, label=label, **style)
        # the log axis cannot show 0 updates: from the first epoch on
        by_update.plot(h.updates[1:], h.train_loss[1:], label=label, **style)
    by_epoch.set_xlabel("epoch")
    by_epoch.set_ylabel("training loss")
    by_update.set_xscale("log")
    by_update.set_xlabel("updates (log scale)")
    handles, labels = by_epoch.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=2)
    return fig


def learning_rate_figure(finding: LearningRateFinding):
    """Training loss against epochs, one curve per rate; log scale."""
    fig, ax = plt.subplots(figsize=(6.4, 3.8), layout="constrained")
    finite = [
        v
        for h in finding.runs.values()
        for v in h.train_loss
        if math.isfinite(v)
    ]
    top = 2 * max(finite)
    for i, (eta, h) in enumerate(finding.runs.items()):
        colour = RATE_COLOURS[i % len(RATE_COLOURS)]
        epochs = np.arange(len(h.train_loss))
        label = f"$\\eta$ = {eta:g}"
        if h.diverged:
            label += f" ({h.status})"
        ax.plot(
            epochs,
            h.train_loss,
            "-",
            marker=MARKERS[i % 6],
            ms=3,
            color=colour,
            label=label,
        )
        if h.diverged_at is not None:  # where it stopped; on the axis if inf
            last = h.train_loss[h.diverged_at]
            y = last if math.isfinite(last) else top
            ax.plot(
                h.diverged_at,
                y,
                "x",
                ms=11,
                mew=2.5,
                color=colour,
                clip_on=False,
            )
            ax.annotate(
                "stopped: diverged",
                (h.diverged_at, y),
                xytext=(8, -4),
                textcoords="offset points",
                color=colour,
                va="top",
            )
    ax.set_yscale("log")
    ax.set_ylim(top=top)
    ax.set_xlabel("epoch")
    ax.set_ylabel("training loss (log scale)")
    fig.legend(loc="outside lower center", ncols=2)
    return fig


def cost_figure(finding: CostFinding):
    """Counted matrix products against depth, log-log, with slopes."""
    depths = np.array(finding.depths)
    # tall: the legend goes below the axes, where it covers no curve
    fig, ax = plt.subplots(figsize=(6.4, 6.4), layout="constrained")
    for i, m in enumerate(METHODS):
        k = finding.exponent(m)
        ax.loglog(
            depths,
            finding.products(m),
            "-",
            marker=MARKERS[i],
            color=SERIES_COLOURS[i],
            label=f"{METHOD_NAMES[m]}: slope {k:.2f}",
        )
    for power, style in ((1, ":"), (2, "--")):
        base = finding.products("backprop" if power == 1 else "per-layer")
        ref = base[-1] * (depths / depths[-1]) ** power
        ax.loglog(
            depths,
            ref,
            style,
            color="0.45",
            lw=1,
            label=f"slope {power} (reference)",
        )
    ax.set_xticks(depths, [str(d) for d in depths])
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("depth $D$ (log scale)")
    ax.set_ylabel(r"matrix products of $N w^2$ multiply-adds")
    fig.legend(loc="outside lower center", ncols=1)
    return fig


def variants_table(finding: VariantsFinding) -> str:
    """Markdown: one column per batch size (wall time not tested)."""
    sizes = finding.config.batch_sizes
    runs = [finding.runs[b] for b in sizes]
    head = [f"{variant_name(b, finding.n_train)}, $B$ = {b}" for b in sizes]
    rows = {
        "updates": [f"{int(h.updates[-1])}" for h in runs],
        "training loss": [f"{h.final('train_loss'):.3f}" for h in runs],
        "test accuracy": [f"{100 * h.final('test_acc'):.1f} %" for h in runs],
        "gradient deviation": [f"{finding.deviation[b]:.2f}" for b in sizes],
        "wall time (s)": [f"{h.seconds[-1]:.2f}" for h in runs],
    }
    return markdown_table(head, rows)


def learning_rate_table(finding: LearningRateFinding) -> str:
    """Markdown: status, lowest and final training loss, jumps."""
    rows = [
        "| $\\eta$ | status | lowest loss | final loss | jumps |",
        "|--:|:--|--:|--:|--:|",
    ]
    for e, h in finding.runs.items():
        final = "—" if h.diverged else f"{h.final('train_loss'):.3f}"
        rows.append(
            f"| {e:g} | {h.status} | {finding.lowest(e):.3f} | "
            f"{final} | {finding.jumps(e)} |"
        )
    return "\n".join(rows)


def step_table(finding: StepFinding) -> str:
    """Markdown: one column per activation."""
    acts = list(HIDDEN)
    rows = {
        "max $\\lvert\\partial L/\\partial W_h\\rvert$ at start": [
            f"{finding.largest[a]['Wh']:.3g}" for a in acts
        ],
        "max $\\lvert\\partial L/\\partial W_y\\rvert$ at start": [
            f"{finding.largest[a]['Wy']:.3g}" for a in acts
        ],
        "max change of $W_h$": [f"{finding.moved[a]['Wh']:.3g}" for a in acts],
        "test accuracy": [f"{100 * finding.test_acc[a]:.1f} %" for a in acts],
    }
    return markdown_table(acts, rows)


def counts_table(finding: CostFinding) -> str:
    """Markdown: products per depth and method, ratio to backprop."""
    head = [m.replace("-", " ") for m in METHODS]
    rows = [
        "| $D$ | " + " | ".join(head) + " |",
        "|---:|" + "---:|" * len(METHODS),
    ]
    for i, d in enumerate(finding.depths):
        cells = [f"{int(finding.products(m)[i])}" for m in METHODS[:1]]
        cells += [
            f"{int(finding.products(m)[i])} (×{finding.ratio(m)[i]:.1f})"
            for m in METHODS[1:]
        ]
        rows.append(f"| {d} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def times_table(finding: CostFinding) -> str:
    """Markdown: measured processor times in milliseconds (shown)."""
    head = [f"{m.replace('-', ' ')} (ms)" for m in METHODS]
    rows = [
        "| $D$ | " + " | ".join(head) + " |",
        "|---:|" + "---:|" * len(METHODS),
    ]
    for i, d in enumerate(finding.depths):
        t = [f"{1000 * finding.seconds[m][i]:.2f}" for m in METHODS]
        rows.append(f"| {d} | " + " | ".join(t) + " |")
    return "\n".join(rows)

"""Drawings of a fully connected network: one column of neurons per layer,
every edge drawn."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
from matplotlib.patches import Circle

LAYER_COLOURS = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
)  # Okabe-Ito: input, hidden, output
DEFAULT_LAYER_NAMES = ("input $x$", "hidden $h$", "output $\\hat y$")
DEFAULT_SYMBOLS = ("x", "h", "\\hat y")


def neuron_positions(
    sizes: Sequence[int], *, dx: float = 2.0, dy: float = 1.0
):
    """(x, y) centres of the neurons, one list per layer,
    each layer centred on y = 0."""
    if len(sizes) < 2 or any(int(n) != n or n < 1 for n in sizes):
        raise ValueError(
            f"sizes must be at least two positive integers, got {tuple(sizes)}"
        )
    return [
        [(layer * dx, (n - 1) / 2 * dy - k * dy) for k in range(n)]
        for layer, n in enumerate(sizes)
    ]


def draw_network(
    sizes: Sequence[int] = (2, 4, 2),
    ax=None,
    *,
    layer_names: Sequence[str] | None = None,
    symbols: Sequence[str] | None = None,
    radius: float = 0.28,
):
    """Draw a fully connected network with ``sizes[l]`` neurons in layer l;
    return the Axes.

    Each neuron is a labelled circle (x_1, h_3, ...), each weight a line;
    under each column its name and size (n_x, n_h, n_y for three layers).
    """
    positions = neuron_positions(sizes)
    if ax is None:
        _, ax = plt.subplots(figsize=(2.2 * len(sizes), 1 + 0.8 * max(sizes)))
    three = len(sizes) == 3
    names = layer_names or (
        DEFAULT_LAYER_NAMES
        if three
        else [f"layer {l}" for l in range(len(sizes))]
    )
    syms = symbols or (
        DEFAULT_SYMBOLS if three else [f"a^{{{l}}}" for l in range(len(sizes))]
    )
    size_names = (
        ("n_x", "n_h", "n_y")
        if three
        else [f"n_{l}" for l in range(len(sizes))]
    )
    for left, right in zip(positions, positions[1:]):
        for x0, y0 in left:
            for x1, y1 in right:
                ax.plot(
                    [x0 + radius, x1 - radius],
                    [y0, y1],
                    color="0.45",
                    lw=0.8,
                    zorder=1,
                )
    for layer, column in enumerate(positions):
        colour = LAYER_COLOURS[min(layer, 1) if layer < len(sizes) - 1 else 2]
        for k, (x, y) in enumerate(column):
            ax.add_patch(
                Circle(
                    (x, y),
                    radius,
                    facecolor=colour,
                    edgecolor="black",
                    zorder=2,
                )
            )
            ax.text(
                x,
                y,
                f"${syms[layer]}_{{{k + 1}}}$",
                ha="center",
                va="center",
                zorder=3,
            )
        lowest = min(y for col in positions for _, y in col)
        ax.text(
            column[0][0],
            lowest - 0.8,
            f"{names[layer]}\n${size_names[layer]} = {sizes[layer]}$",
            ha="center",
            va="top",
        )
    xs = [x for col in positions for x, _ in col]
    ys = [y for col in positions for _, y in col]
    ax.set_xlim(min(xs) - 1.0, max(xs) + 1.0)
    ax.set_ylim(min(ys) - 1.9, max(ys) + 0.6)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax

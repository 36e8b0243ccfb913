"""Figures of the digits page (section 2.5)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from nnintro.digits_data import DigitsData
from nnintro.experiments.digits import BINS, Calibration, DigitsFinding
from nnintro.plots import SERIES_COLOURS, plot_history


def show_digit(ax, row, shape, title: str, *, fontsize=10):
    """One image (a row of grey levels in [0, 1]) drawn dark on light."""
    ax.imshow(np.asarray(row).reshape(shape), cmap="gray_r", vmin=0, vmax=1)
    ax.set_title(title, fontsize=fontsize)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)


def samples_figure(data: DigitsData):
    """The first training image of each digit, 0 to 9."""
    labels = data.Ytrain.argmax(dim=1).numpy()
    fig, axes = plt.subplots(2, 5, figsize=(6.4, 3.0), layout="constrained")
    for digit, ax in enumerate(axes.flat):
        first = int(np.flatnonzero(labels == digit)[0])
        show_digit(ax, data.Xtrain[first], data.image_shape, f"label {digit}")
    return fig


def curves_figure(finding: DigitsFinding):
    """Loss and accuracy per epoch; the nn version's final test accuracy."""
    fig, axes = plt.subplots(1, 2, figsize=(6.4, 3.0), layout="constrained")
    plot_history(finding.history, axes)
    epochs = finding.config.epochs
    axes[1].plot(
        [epochs],
        [finding.nn_test_acc],
        "x",
        color=SERIES_COLOURS[1],
        markersize=9,
        markeredgewidth=2,
        label="nn version, test",
    )
    axes[1].legend(fontsize="small", loc="lower right")
    axes[0].legend(fontsize="small", loc="upper right")
    return fig


def confusion_figure(finding: DigitsFinding):
    """The confusion matrix: counts, rows true digits, columns predicted."""
    counts = finding.confusion
    k = counts.shape[0]
    fig, ax = plt.subplots(figsize=(6.4, 5.6), layout="constrained")
    ax.imshow(np.log1p(counts), cmap="Blues")
    dark = np.log1p(counts) > 0.6 * np.log1p(counts).max()
    for i in range(k):
        for j in range(k):
            if counts[i, j]:
                ax.text(
                    j,
                    i,
                    str(counts[i, j]),
                    ha="center",
                    va="center",
                    fontsize=10,
                    color="white" if dark[i, j] else "black",
                    fontweight="normal" if i == j else "bold",
                )
    ax.set_xticks(range(k))
    ax.set_yticks(range(k))
    ax.grid(False)
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    ax.set_title(
        f"{len(finding.truth)} test images, {len(finding.wrong)} misread"
    )
    return fig


def misclassified_figure(finding: DigitsFinding):
    """The first misclassified test images, true and predicted digit."""
    shown = finding.wrong[: finding.config.n_shown]
    columns = 4
    rows = max(1, -(-len(shown) // columns))
    fig, axes = plt.subplots(
        rows,
        columns,
        figsize=(6.4, 1.9 * rows),
        layout="constrained",
        squeeze=False,
    )
    for ax in axes.flat:
        ax.axis("off")
    for ax, i in zip(axes.flat, shown):
        ax.axis("on")
        title = (
            f"{finding.truth[i]} read as {finding.predicted[i]}\n"
            f"({100 * finding.confidence[i]:.0f} % sure)"
        )
        show_digit(ax, finding.data.Xtest[i], finding.data.image_shape, title)
    return fig


def reliability_figure(calibration: Calibration):
    """Accuracy against confidence in ten bins (top); images per bin."""
    fig, (top, bottom) = plt.subplots(
        2,
        1,
        figsize=(5.0, 4.6),
        sharex=True,
        height_ratios=(2.2, 1),
        layout="constrained",
    )
    width = 1 / BINS
    rows = calibration.table()
    left = np.array([k * width for k, *_ in rows])
    count, confidence, accuracy = (
        np.array([row[i] for row in rows]) for i in (1, 2, 3)
    )
    top.plot([0, 1], [0, 1], color="black", lw=1, label="calibrated")
    top.bar(
        left,
        accuracy,
        width=width,
        align="edge",
        color=SERIES_COLOURS[0],
        edgecolor="white",
        label="accuracy in the bin",
    )
    top.plot(
        confidence,
        confidence,
        "o",
        color=SERIES_COLOURS[1],
        markersize=6,
        clip_on=False,
        label="mean confidence in the bin",
    )
    top.set_ylim(0, 1)
    top.set_ylabel("accuracy")
    top.legend(loc="upper left", fontsize="small")
    bottom.bar(
        left,
        count,
        width=width,
        align="edge",
        color=SERIES_COLOURS[2],
        edgecolor="white",
    )
    bottom.set_yscale("log")
    bottom.set_ylabel("test images")
    bottom.set_xlabel("confidence")
    bottom.set_xlim(0, 1)
    bottom.set_xticks(np.linspace(0, 1, 6))
    bottom.set_xticks(np.linspace(0, 1, BINS + 1), minor=True)
    return fig

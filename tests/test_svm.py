"""Support vector machines on the circles: each kernel, and the meaning of the decision grid."""

import numpy as np
import pytest

from nnintro import make_circles
from nnintro.svm import SVMConfig, fit_all, fit_svm, labels


@pytest.fixture(scope="module")
def data():
    return make_circles(seed=0)


def test_linear_svm_cannot_separate_rings(data):
    result = fit_svm(SVMConfig(kernel="linear"), data)
    assert result.test_acc < 0.75  # a line cannot put a disc inside a ring


@pytest.mark.parametrize(
    "config", [SVMConfig(kernel="poly", degree=2, coef0=1.0), SVMConfig(kernel="rbf")]
)
def test_nonlinear_kernels_separate_rings(data, config):
    result = fit_svm(config, data)
    assert result.test_acc > 0.9 and result.train_acc > 0.9


def test_larger_C_fits_training_set_harder(data):
    small, large = fit_all([SVMConfig(C=0.01), SVMConfig(C=1000.0)], data)
    assert large.train_acc > small.train_acc
    assert large.n_support < small.n_support  # a softer margin touches more points
    assert small.support_vectors.shape == (small.n_support, 2)


def test_grid_decision_agrees_with_points(data):
    """The grid's sign is the predicted class: check it at the grid points nearest the origin."""
    result = fit_svm(SVMConfig(kernel="rbf"), data)
    size = result.grid_decision.shape[0]
    assert result.grid_decision.shape == (size, size) == (40, 40)
    centre = result.grid_decision[size // 2, size // 2]  # the point (0, 0): inside the disc
    corner = result.grid_decision[0, 0]  # the point (-2, -2): outside the ring
    assert centre > 0 > corner
    shading = result.grid_probability_like
    assert shading.min() >= 0 and shading.max() <= 1
    assert np.array_equal(shading > 0.5, result.grid_decision > 0)


def test_labels_from_one_hot(data):
    assert set(labels(data.Ytrain)) == {0, 1}
    assert labels(data.Ytrain).sum() == 100


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kernel": "gaussian"}, "kernel must be one of"),
        ({"C": 0.0}, "C must be a positive finite number"),
        ({"C": float("inf")}, "C must be a positive finite number"),
        ({"kernel": "poly", "degree": 0}, "degree must be a positive integer"),
    ],
)
def test_bad_settings_are_rejected(kwargs, message):
    with pytest.raises(ValueError, match=message):
        SVMConfig(**kwargs)

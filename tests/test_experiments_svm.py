"""SVMs on the circles: the machines, the paired test, the claims."""

import dataclasses

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnintro import TrainConfig, make_circles
from nnintro.experiments.svm import (
    C_study,
    SVMConfig,
    SVMStudyConfig,
    encloses_centre,
    fit_all,
    fit_svm,
    labels,
    paired_comparison,
    svm_study,
)
from nnintro.plots.svm import C_figure, regions_figure

# the network trained for fewer epochs than in the book
SMALL = SVMStudyConfig(
    network=TrainConfig(nh=10, eta=0.1, batch_size=10, epochs=40, seed=0)
)


@pytest.fixture(scope="module")
def data():
    return make_circles(seed=0)


@pytest.fixture(scope="module")
def study():
    return svm_study(SMALL)


@pytest.fixture(scope="module")
def sweep():
    return C_study(SMALL)


def test_linear_svm_cannot_separate_rings(data):
    result = fit_svm(SVMConfig(kernel="linear"), data)
    assert result.test_acc < 0.75  # a line cannot put a disc inside a ring
    assert result.test_correct.shape == (200,)
    assert result.test_correct.mean() == result.test_acc


@pytest.mark.parametrize(
    "config",
    [SVMConfig(kernel="poly", degree=2, coef0=1.0), SVMConfig(kernel="rbf")],
)
def test_nonlinear_kernels_separate_rings(data, config):
    result = fit_svm(config, data)
    assert result.test_acc > 0.9 and result.train_acc > 0.9


def test_larger_C_fits_training_set_harder(data):
    small, large = fit_all([SVMConfig(C=0.01), SVMConfig(C=1000.0)], data)
    assert large.train_acc > small.train_acc
    assert large.n_support < small.n_support
    assert small.support_vectors.shape == (small.n_support, 2)


def test_grid_decision_agrees_with_points(data):
    result = fit_svm(SVMConfig(kernel="rbf"), data)
    size = result.grid_decision.shape[0]
    assert result.grid_decision.shape == (size, size) == (40, 40)
    centre = result.grid_decision[size // 2, size // 2]  # (0, 0)
    corner = result.grid_decision[0, 0]  # (-2, -2)
    assert centre > 0 > corner
    shading = result.grid_probability_like
    assert shading.min() >= 0 and shading.max() <= 1
    assert np.array_equal(shading > 0.5, result.grid_decision > 0)
    assert encloses_centre(result.grid_decision > 0)


def test_encloses_centre():
    disc = np.zeros((5, 5), bool)
    disc[1:4, 1:4] = True
    assert encloses_centre(disc)
    half = np.zeros((5, 5), bool)
    half[:, 2:] = True  # a half-plane reaches the border
    assert not encloses_centre(half)
    assert not encloses_centre(np.zeros((5, 5), bool))


def test_labels_from_one_hot(data):
    assert set(labels(data.Ytrain)) == {0, 1}
    assert labels(data.Ytrain).sum() == 100


@pytest.mark.parametrize(
    ("a_only", "b_only", "p"),
    [(4, 0, 0.125), (3, 0, 0.25), (0, 4, 0.125), (0, 0, 1.0), (5, 5, 1.0)],
)
def test_mcnemar_exact_p_values(a_only, b_only, p):
    a = [True] * a_only + [False] * b_only + [True] * 7
    b = [False] * a_only + [True] * b_only + [True] * 7
    pair = paired_comparison(a, b)
    assert (pair.a_only, pair.b_only, pair.n) == (a_only, b_only, len(a))
    assert pair.p_value == pytest.approx(p, abs=1e-15)


def test_mcnemar_against_the_binomial_sum():
    # 10 against 2: 2 * (C(12,0) + C(12,1) + C(12,2)) / 2**12
    pair = paired_comparison(
        [True] * 10 + [False] * 2, [False] * 10 + [True] * 2
    )
    assert pair.p_value == pytest.approx(2 * (1 + 12 + 66) / 4096, rel=1e-15)
    with pytest.raises(ValueError, match="equal vectors"):
        paired_comparison([True, False], [True])


def test_study_holds_its_claims(study, sweep):
    assert study.require() is study and sweep.require() is sweep
    ids = [c.id for f in (study, sweep) for c in f.claims()]
    assert len(ids) == len(set(ids)) == 11
    assert all(i.startswith("svm-") for i in ids)
    numbers = study.numbers()
    assert numbers["svm-linear-test"] == 100 * study.linear.test_acc
    pair = study.versus_network(study.rbf)
    assert numbers["svm-rbf-only"] == pair.a_only


def test_a_lopsided_paired_comparison_is_significant(study):
    # a network wrong on 30 test points where the Gaussian SVM is right
    correct = study.rbf.test_correct.copy()
    wrong = np.flatnonzero(correct)[:30]
    network = correct.copy()
    network[wrong] = False
    broken = dataclasses.replace(study, network_correct=network)
    with pytest.raises(AssertionError, match="not-significant"):
        broken.require()


def test_figures_draw(study, sweep):
    fig = regions_figure(study)
    titles = [ax.get_title() for ax in fig.axes]
    assert len(titles) == 4
    assert f"{study.linear.n_support} support vectors" in titles[0]
    assert len(C_figure(sweep).axes) == 3
    plt.close("all")


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

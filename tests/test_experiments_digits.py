"""Section 2.5: the digits experiment on a reduced run, claims both ways."""

import dataclasses

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnintro.digits_data import load_sklearn_digits
from nnintro.experiments.digits import (
    Calibration,
    DigitsConfig,
    calibration,
    train_digits,
)
from nnintro.gradcheck import (
    AUTOGRAD_TOLERANCE,
    CENTRAL_DIFFERENCE_TOLERANCE,
    check_gradients,
)
from nnintro.network import init_params
from nnintro.plots.digits import (
    confusion_figure,
    curves_figure,
    misclassified_figure,
    reliability_figure,
    samples_figure,
)

SMALL = DigitsConfig(nh=20, eta=0.1, batch_size=10, epochs=8, seed=0)


@pytest.fixture(scope="module")
def data():
    return load_sklearn_digits(seed=0)


@pytest.fixture(scope="module")
def finding(data):
    return train_digits(data, SMALL)


def test_reduced_run_holds_its_claims(finding):
    assert finding.require() is finding
    ids = [c.id for c in finding.claims()]
    assert len(ids) == len(set(ids)) == 9
    assert all(i.startswith("digits-") for i in ids)


def test_numbers_agree_with_the_run(finding, data):
    numbers = finding.numbers()
    assert numbers["digits-n-test"] == data.Xtest.shape[0] == 449
    assert numbers["digits-shape"] == "8 × 8"
    acc = finding.history.final("test_acc")
    assert numbers["digits-test-acc"] == pytest.approx(100 * acc)
    counts = finding.confusion
    assert counts.sum() == 449
    assert np.trace(counts) == 449 - len(finding.wrong)
    assert numbers["digits-n-params"] == 20 * 64 + 20 + 10 * 20 + 10
    true, predicted, count = finding.worst_confusion
    assert true != predicted and count == counts[true, predicted]


def test_a_perfect_classifier_has_no_errors_to_show(finding):
    perfect = np.eye(10)[finding.truth] * 0.99 + 0.001
    flawless = dataclasses.replace(finding, probabilities=perfect)
    assert len(flawless.wrong) == 0
    with pytest.raises(AssertionError) as error:
        flawless.require()
    assert "digits-errors-spread" in str(error.value)
    assert "digits-confident-mistakes" in str(error.value)


def test_gradient_check_with_ten_classes(data):
    """backward against autograd and central differences, n_y = 10."""
    params = init_params(data.Xtrain.shape[1], 3, 10, seed=0)
    report = check_gradients(params, data.Xtrain[:4], data.Ytrain[:4])
    assert report.worst_autograd <= AUTOGRAD_TOLERANCE
    assert report.worst_central_difference <= CENTRAL_DIFFERENCE_TOLERANCE


def test_the_nn_version_keeps_the_manual_parameters(finding):
    assert finding.nn_max_difference < 1e-9


def test_the_confusion_diagonal_counts_the_right_answers(finding):
    counts = finding.confusion
    right = finding.history.final("test_acc") * counts.sum()
    assert np.trace(counts) == round(right)


def test_calibration_bins_and_error_by_hand():
    confidence = np.array([0.95, 0.95, 0.55, 0.15, 1.0])
    correct = np.array([True, False, True, False, True])
    cal = Calibration(confidence, correct)
    assert [(k, m) for k, m, _, _ in cal.table()] == [(1, 1), (5, 1), (9, 3)]
    # |0.15 - 0| + |0.55 - 1| + 3 |0.9667 - 0.6667|, over 5 images
    assert cal.expected_calibration_error == pytest.approx(
        (0.15 + 0.45 + 3 * 0.3) / 5
    )


def made_up_calibration(right_in_bin_6=25):
    """40 images in each bin from 0.3 to 0.9 and 400 in the last (most are
    confident), confidence at the bin's middle, a share (4k + 1) / 40 of
    them right in bin k: every bin overconfident by 0.025."""
    sizes = [40] * 6 + [400]
    confidence = np.repeat(np.arange(3, 10) / 10 + 0.05, sizes)
    right = [(4 * k + 1) * n // 40 for k, n in zip(range(3, 10), sizes)]
    right[6 - 3] = right_in_bin_6
    correct = np.concatenate([np.arange(n) < r for n, r in zip(sizes, right)])
    return Calibration(confidence, correct)


def test_an_underconfident_bin_fails_the_calibration_claim():
    """Issue 20, finding 5: each occupied bin is tested. Raise the accuracy
    of the bin 0.6-0.7 from 25/40 = 0.625 to 28/40 = 0.70, above its mean
    confidence 0.65: the claim that every bin is overconfident fails, and
    only it (the mean confidence stays above the accuracy, the calibration
    error below 0.05)."""
    assert made_up_calibration().require()
    altered = made_up_calibration(right_in_bin_6=28)
    assert [c.id for c in altered.failing()] == ["digits-overconfident"]
    assert "bin 0.6-0.7 = -0.05" in altered.failing()[0].describe_values()


def test_the_fallback_is_underconfident_and_says_so(data, finding):
    cal = calibration(finding)
    assert not cal.mnist
    assert [c.id for c in cal.claims()][0] == "digits-underconfident-8x8"


def test_figures_draw(finding, data):
    assert len(samples_figure(data).axes) == 10
    assert len(curves_figure(finding).axes) == 2
    fig = confusion_figure(finding)
    assert fig.axes[0].get_xlabel() == "predicted digit"
    shown = misclassified_figure(finding)
    titles = [ax.get_title() for ax in shown.axes if ax.get_title()]
    assert len(titles) == min(SMALL.n_shown, len(finding.wrong))
    assert all(" read as " in t for t in titles)
    assert len(reliability_figure(calibration(finding)).axes) == 2
    plt.close("all")


def test_the_book_recipe_holds_its_claims_on_the_fallback(data):
    """Without npm the page trains the book's recipe on the 8x8 digits."""
    fallback = train_digits(data, DigitsConfig())
    assert fallback.require() is fallback
    assert calibration(fallback).require()
    assert fallback.numbers()["digits-source"] == "scikit-learn's 8 × 8 digits"

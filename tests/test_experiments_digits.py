"""Section 2.5: the digits experiment on a reduced run, claims both ways."""

import dataclasses

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnintro.digits_data import load_sklearn_digits
from nnintro.experiments.digits import (
    DigitsConfig,
    digits_gradient_check,
    idx_round_trip,
    train_digits,
)
from nnintro.plots.digits import (
    confusion_figure,
    curves_figure,
    misclassified_figure,
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
    assert float(numbers["digits-test-acc"]) == pytest.approx(
        100 * acc, abs=0.05
    )
    counts = finding.confusion
    assert counts.sum() == 449
    assert np.trace(counts) == 449 - len(finding.wrong)
    assert numbers["digits-n-params"] == 20 * 64 + 20 + 10 * 20 + 10
    true, predicted, count = finding.worst_confusion
    assert true != predicted and count == counts[true, predicted]


def test_the_nn_version_follows_the_manual_network(finding):
    assert finding.nn_max_difference < 1e-12
    assert finding.nn_test_acc == finding.history.final("test_acc")


def test_an_nn_version_that_drifts_fails_its_claim(finding):
    drifted = dataclasses.replace(finding, nn_max_difference=1e-3)
    with pytest.raises(AssertionError, match="digits-nn-follows-manual"):
        drifted.require()


def test_a_perfect_classifier_has_no_errors_to_show(finding):
    perfect = np.eye(10)[finding.truth] * 0.99 + 0.001
    flawless = dataclasses.replace(finding, probabilities=perfect)
    assert len(flawless.wrong) == 0
    with pytest.raises(AssertionError) as error:
        flawless.require()
    assert "digits-errors-spread" in str(error.value)
    assert "digits-confident-mistakes" in str(error.value)


def test_a_poor_classifier_fails_the_accuracy_claims(finding):
    history = dataclasses.replace(
        finding.history, test_acc=finding.history.test_acc * 0 + 0.5
    )
    poor = dataclasses.replace(finding, history=history)
    with pytest.raises(AssertionError, match="digits-test-above-90"):
        poor.require()


def test_gradient_check_with_ten_classes(data):
    check = digits_gradient_check(data, nh=3, rows=4)
    assert check.require() is check
    assert check.nx == 64 and check.ny == 10
    wrong = dataclasses.replace(check, vs_central=1e-3)
    with pytest.raises(AssertionError, match="digits-gradients-agree"):
        wrong.require()


def test_idx_round_trip_both_ways():
    images = np.arange(12, dtype=np.uint8).reshape(2, 2, 3)
    dims = b"".join(d.to_bytes(4, "big") for d in images.shape)
    raw = bytes([0, 0, 0x08, 3]) + dims + images.tobytes()
    assert idx_round_trip(raw, images).require()
    other = images.copy()
    other[1, 1, 2] = 200
    with pytest.raises(AssertionError, match="digits-idx-round-trip"):
        idx_round_trip(raw, other).require()


def test_figures_draw(finding, data):
    assert len(samples_figure(data).axes) == 10
    assert len(curves_figure(finding).axes) == 2
    fig = confusion_figure(finding)
    assert fig.axes[0].get_xlabel() == "predicted digit"
    shown = misclassified_figure(finding)
    titles = [ax.get_title() for ax in shown.axes if ax.get_title()]
    assert len(titles) == min(SMALL.n_shown, len(finding.wrong))
    assert all(" read as " in t for t in titles)
    plt.close("all")


def test_the_book_recipe_holds_its_claims_on_the_fallback(data):
    """Without npm the page trains the book's recipe on the 8x8 digits."""
    fallback = train_digits(data, DigitsConfig())
    assert fallback.require() is fallback
    assert fallback.numbers()["digits-source"] == "scikit-learn's 8 × 8 digits"

"""Question 2: the sample-size study on a reduced configuration,
and its claims both ways."""

import dataclasses

import numpy as np
import pytest
import torch

from nnintro import make_circles
from nnintro.experiments.sample_size import (
    SampleSizeConfig,
    SampleSizeFinding,
    sample_size_study,
    with_fixed_test_set,
)

SMALL = SampleSizeConfig(
    sizes=(10, 40), seeds=(0, 1), updates=30, test_per_class=50, long_epochs=5
)


@pytest.fixture(scope="module")
def finding():
    return sample_size_study(SMALL)


def test_shapes_and_determinism(finding):
    again = sample_size_study(SMALL)
    assert finding.test_acc.shape == (2, 2)
    np.testing.assert_array_equal(finding.test_acc, again.test_acc)
    np.testing.assert_array_equal(finding.long_test_acc, again.long_test_acc)
    assert finding.epochs == (30, 8)  # 1 and 4 mini-batches per epoch
    assert np.all((finding.test_acc >= 0) & (finding.test_acc <= 1))
    assert finding.rule_test_acc.shape == (2,)


def test_numbers_are_formatted_for_the_prose(finding):
    numbers = finding.numbers()
    assert numbers["data-sizes"] == "10, 40"
    assert numbers["data-n-large"] == 40
    assert float(numbers["data-acc-large"]) == pytest.approx(
        100 * finding.mean[-1], abs=0.05
    )


def test_every_claim_has_an_id_of_the_question(finding):
    ids = [c.id for c in finding.claims()]
    assert len(ids) == len(set(ids)) == 7
    assert all(i.startswith("q2-") for i in ids)


def test_claims_hold_on_a_good_run_and_fail_on_a_bad_one():
    n = 3
    good = SampleSizeConfig(sizes=(10, 300, 600), seeds=(0, 1, 2))
    acc = np.array(
        [[0.70, 0.65, 0.75], [0.93, 0.90, 0.92], [0.92, 0.91, 0.925]]
    )
    train = np.array([[1.0, 1.0, 1.0], [0.95, 0.95, 0.95], [0.94, 0.95, 0.94]])

    ok = SampleSizeFinding(
        good, acc, train, (800, 27, 13), np.full(n, 0.945), np.full(n, 0.96)
    )
    assert ok.require() is ok
    # the network without its plateau explanation: the longer recipe no better
    bad = dataclasses.replace(ok, long_test_acc=np.full(n, 0.90))
    with pytest.raises(AssertionError, match="q2-plateau-is-the-recipe"):
        bad.require()
    # more data that does not help
    flat = dataclasses.replace(ok, test_acc=np.full((3, 3), 0.8))
    with pytest.raises(AssertionError, match="q2-more-data-better-test"):
        flat.require()


def test_config_rejects_odd_n():
    with pytest.raises(ValueError):
        SampleSizeConfig(sizes=(11,))


def test_fixed_test_set_is_shared():
    big = make_circles(7, n_per_class=30)
    data = with_fixed_test_set(make_circles(1, n_per_class=3), big)
    assert data.Xtrain.shape == (6, 2) and data.Xtest.shape == (60, 2)
    assert torch.equal(data.Xtest, big.Xtest)

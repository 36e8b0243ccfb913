"""The data page (question 2): the sample-size study on a reduced
configuration, and the claim that the test accuracy dips at the largest N."""

import dataclasses

import numpy as np
import pytest
import torch

from nnintro import make_circles
from nnintro.experiments.data import (
    SampleSizeConfig,
    SampleSizeFinding,
    sample_size_study,
    with_fixed_test_set,
)

SMALL = SampleSizeConfig(
    sizes=(10, 20, 40),
    seeds=(0, 1),
    updates=30,
    test_per_class=50,
    long_epochs=5,
)


def test_study_is_deterministic_and_shaped():
    finding, again = sample_size_study(SMALL), sample_size_study(SMALL)
    assert finding.test_acc.shape == finding.train_acc.shape == (3, 2)
    np.testing.assert_array_equal(finding.test_acc, again.test_acc)
    np.testing.assert_array_equal(finding.long_test_acc, again.long_test_acc)
    assert finding.epochs == (30, 15, 8)  # 1, 2 and 4 mini-batches per epoch
    assert np.all((finding.test_acc >= 0) & (finding.test_acc <= 1))
    assert finding.rule_test_acc.shape == (2,)
    assert finding.numbers()["data-sizes"] == "10, 20, 40"


def page_like_finding() -> SampleSizeFinding:
    """The page's means (70.0 / 89.5 / 92.2 / 93.3 / 91.7 %), three seeds."""
    config = SampleSizeConfig()
    test = np.array(
        [
            [0.726, 0.652, 0.722],
            [0.874, 0.926, 0.886],
            [0.926, 0.894, 0.946],
            [0.924, 0.962, 0.914],
            [0.906, 0.914, 0.930],
        ]
    )
    train = np.array(
        [[1.0] * 3, [0.98] * 3, [0.97] * 3, [0.95] * 3, [0.945] * 3]
    )
    epochs = tuple(config.epochs_for(n) for n in config.sizes)
    return SampleSizeFinding(
        config, test, train, epochs, np.full(3, 0.944), np.full(3, 0.96)
    )


def test_the_dip_at_the_largest_n_is_tested():
    finding = page_like_finding()
    assert finding.require() is finding
    # the sentence "falls at the largest N" with a mean that rose instead
    test = finding.test_acc.copy()
    test[-1] = [0.94, 0.95, 0.945]  # mean 94.5 % > 93.3 % at N = 300
    rising = dataclasses.replace(finding, test_acc=test)
    with pytest.raises(AssertionError, match="q2-test-rises-then-dips"):
        rising.require()


def test_config_rejects_bad_sizes():
    with pytest.raises(ValueError, match="even"):
        SampleSizeConfig(sizes=(11, 20, 30))
    with pytest.raises(ValueError, match="increasing"):
        SampleSizeConfig(sizes=(20, 10, 30))


def test_fixed_test_set_is_shared():
    big = make_circles(7, n_per_class=30)
    data = with_fixed_test_set(make_circles(1, n_per_class=3), big)
    assert data.Xtrain.shape == (6, 2) and data.Xtest.shape == (60, 2)
    assert torch.equal(data.Xtest, big.Xtest)
